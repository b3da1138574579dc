// Writing numpy .npy files (format 1.0), whole or streamed: a streamed file
// gets a fixed-size header that is rewritten with the final shape, so data
// never has to be held in memory. A write that fails (a full disk, a file
// size limit, a removed directory) throws OutputError; a stream that failed
// still closes into a readable file of the whole rows that reached the disk.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace snn {

// "<f8", "<f4", "<i4", "<i8".
void write_npy(const std::string& path, const std::string& descr, const std::vector<int64_t>& shape,
               const void* data, std::size_t bytes);

class NpyStream {
public:
  // Rows of `row_shape` elements of type `descr` will be appended.
  NpyStream(std::string path, std::string descr, std::vector<int64_t> row_shape);
  // Continues a stream: the first `rows` rows of the streamed file
  // `previous` (which may be complete or still being written) are copied.
  NpyStream(std::string path, std::string descr, std::vector<int64_t> row_shape,
            const std::string& previous, int64_t rows);
  ~NpyStream();
  NpyStream(const NpyStream&) = delete;
  NpyStream& operator=(const NpyStream&) = delete;
  void append(const void* data, std::size_t bytes, int64_t rows);
  // The rows the file holds: all appended, or after a failed write the
  // whole rows that reached the disk.
  int64_t rows_on_disk();
  // Writes the final header, with at most `most` rows (>= 0) or all the file
  // holds; returns the final shape (again if called again). A file that
  // cannot be completed is removed, and OutputError says why.
  std::vector<int64_t> close(int64_t most = -1);
  bool failed() const { return failed_; }
  const std::string& path() const { return path_; }
  int64_t rows() const { return rows_; }
  // Makes every row appended so far reach the file.
  void flush();

private:
  std::string path_, descr_;
  std::vector<int64_t> row_shape_;
  std::FILE* f_ = nullptr;
  int64_t rows_ = 0;
  std::size_t row_bytes_ = 0;
  bool failed_ = false;
  bool closed_ok_ = true;
  [[noreturn]] void fail(const std::string& what);
};

} // namespace snn
