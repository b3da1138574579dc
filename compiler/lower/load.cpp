#include "lower/load.h"

#include "parse/parser.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace snnc::lower {

namespace fs = std::filesystem;

bool read_file(const std::string& path, std::string& text, std::string& error) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    error = "is a directory";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return false;
  }
  if (!fs::is_regular_file(path, ec)) {
    error = "not a regular file";
    return false;
  }
  if (fs::file_size(path, ec) > (64u << 20)) {
    error = "larger than 64 MB: not a model file";
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  text = ss.str();
  return true;
}

std::string resolve_relative(const std::string& from, const std::string& rel) {
  fs::path p(rel);
  if (p.is_absolute()) return p.lexically_normal().string();
  return (fs::path(from).parent_path() / p).lexically_normal().string();
}

namespace {

class Loader {
public:
  Loader(SourceManager& sources, Diagnostics& diag) : sources_(sources), diag_(diag) {}

  // Loads `path` (already read as `text`) and everything it imports.
  void load(const std::string& path, std::string text) {
    std::string key = canonical(path);
    int id = sources_.add(path, std::move(text));
    stack_.push_back(key);
    ast::File file = parse::parse_file(id, sources_, diag_);
    for (const ast::Item& item : file.items) {
      if (item.kind != ast::Item::Kind::import) continue;
      const ast::Import& imp = item.import;
      std::string target = resolve_relative(path, imp.path);
      std::string tkey = canonical(target);
      auto cyc = std::find(stack_.begin(), stack_.end(), tkey);
      if (cyc != stack_.end()) {
        std::string chain;
        for (auto it = cyc; it != stack_.end(); ++it)
          chain += fs::path(*it).filename().string() + " imports ";
        chain += fs::path(tkey).filename().string();
        diag_.error(imp.loc, "circular import: " + chain);
        continue;
      }
      if (std::find(done_.begin(), done_.end(), tkey) != done_.end()) continue;
      std::string t, err;
      if (!read_file(target, t, err)) {
        diag_.error(imp.loc, "cannot open imported file '" + imp.path + "': " + err);
        continue;
      }
      load(target, std::move(t));
    }
    stack_.pop_back();
    done_.push_back(key);
    files_.push_back(std::move(file));
  }

  std::vector<ast::File> take() { return std::move(files_); }

private:
  static std::string canonical(const std::string& p) {
    std::error_code ec;
    fs::path c = fs::weakly_canonical(p, ec);
    return ec ? fs::path(p).lexically_normal().string() : c.string();
  }
  SourceManager& sources_;
  Diagnostics& diag_;
  std::vector<std::string> stack_, done_;
  std::vector<ast::File> files_;
};

} // namespace

std::vector<ast::File> load_files(const std::string& path, SourceManager& sources,
                                  Diagnostics& diag, const std::string* given) {
  std::string text, err;
  if (given) {
    text = *given;
  } else if (!read_file(path, text, err)) {
    diag.error({}, "cannot open '" + path + "': " + err);
    return {};
  }
  Loader l(sources, diag);
  l.load(path, std::move(text));
  return l.take();
}

} // namespace snnc::lower
