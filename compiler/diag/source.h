// Source files and locations. Every IR node carries a SourceLoc; the
// SourceManager owns the text so diagnostics can quote the offending line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace snnc {

struct SourceLoc {
  int file = -1; // index into SourceManager, -1 = no location
  int line = 0;  // 1-based
  int col = 0;   // 1-based, in bytes
  bool valid() const { return file >= 0; }
};

class SourceManager {
public:
  // Registers a file's text; returns its id.
  int add(std::string path, std::string text);
  const std::string& path(int file) const { return files_.at(file).path; }
  const std::string& text(int file) const { return files_.at(file).text; }
  // The text of a 1-based line, without its newline.
  std::string_view line_text(int file, int line) const;
  int size() const { return static_cast<int>(files_.size()); }

private:
  struct File {
    std::string path;
    std::string text;
    std::vector<std::size_t> line_starts;
  };
  std::vector<File> files_;
};

} // namespace snnc
