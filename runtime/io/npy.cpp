#include "io/npy.h"

#include "snn/errors.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace snn {

namespace {

constexpr std::size_t kStreamHeader = 128; // bytes, including magic and padding

std::string header_dict(const std::string& descr, const std::vector<int64_t>& shape) {
  std::string s = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (";
  for (std::size_t k = 0; k < shape.size(); ++k) {
    s += std::to_string(shape[k]);
    if (shape.size() == 1 || k + 1 < shape.size()) s += ",";
    if (k + 1 < shape.size()) s += " ";
  }
  return s + "), }";
}

// The full header (magic, version, length, dict, padding, newline), padded
// to `total` bytes (a multiple of 64), or to the next multiple of 64.
std::string header(const std::string& descr, const std::vector<int64_t>& shape,
                   std::size_t total = 0) {
  std::string dict = header_dict(descr, shape);
  std::size_t base = 10 + dict.size() + 1;
  if (total == 0) total = (base + 63) / 64 * 64;
  if (base > total) throw std::logic_error("npy header too long");
  dict.append(total - base, ' ');
  dict += '\n';
  std::string h = "\x93NUMPY";
  h += '\x01';
  h += '\x00';
  uint16_t len = static_cast<uint16_t>(dict.size());
  h += static_cast<char>(len & 0xFF);
  h += static_cast<char>(len >> 8);
  return h + dict;
}

[[noreturn]] void cannot_write(const std::string& path) {
  int e = errno;
  throw OutputError("cannot write " + path + ": " + std::strerror(e != 0 ? e : EIO));
}

std::FILE* open(const std::string& path) {
  errno = 0;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) cannot_write(path);
  return f;
}

void write_all(std::FILE* f, const void* data, std::size_t bytes, const std::string& path) {
  errno = 0;
  if (bytes && std::fwrite(data, 1, bytes, f) != bytes) cannot_write(path);
}

std::size_t row_bytes(const std::string& descr, const std::vector<int64_t>& row_shape) {
  auto n = static_cast<std::size_t>(descr.back() - '0');
  for (int64_t k : row_shape)
    n *= static_cast<std::size_t>(k);
  return n;
}

} // namespace

void write_npy(const std::string& path, const std::string& descr, const std::vector<int64_t>& shape,
               const void* data, std::size_t bytes) {
  std::FILE* f = open(path);
  std::string h = header(descr, shape);
  try {
    write_all(f, h.data(), h.size(), path);
    write_all(f, data, bytes, path);
  } catch (const OutputError&) {
    std::fclose(f);
    std::remove(path.c_str()); // no half a file
    throw;
  }
  errno = 0;
  if (std::fclose(f) != 0) {
    int e = errno;
    std::remove(path.c_str());
    errno = e;
    cannot_write(path);
  }
}

NpyStream::NpyStream(std::string path, std::string descr, std::vector<int64_t> row_shape)
    : path_(std::move(path)), descr_(std::move(descr)), row_shape_(std::move(row_shape)),
      row_bytes_(row_bytes(descr_, row_shape_)) {
  f_ = open(path_);
  std::string placeholder(kStreamHeader, ' ');
  try {
    write_all(f_, placeholder.data(), placeholder.size(), path_);
  } catch (const OutputError&) {
    std::fclose(f_);
    std::remove(path_.c_str());
    throw;
  }
}

NpyStream::NpyStream(std::string path, std::string descr, std::vector<int64_t> row_shape,
                     const std::string& previous, int64_t rows)
    : path_(std::move(path)), descr_(std::move(descr)), row_shape_(std::move(row_shape)),
      row_bytes_(row_bytes(descr_, row_shape_)) {
  std::size_t want = kStreamHeader + row_bytes_ * static_cast<std::size_t>(rows);
  std::FILE* in = std::fopen(previous.c_str(), "rb");
  if (!in) throw CheckpointError("cannot read " + previous + ": " + std::strerror(errno));
  try {
    f_ = open(path_);
  } catch (...) {
    std::fclose(in);
    throw;
  }
  std::vector<char> buf(std::size_t{1} << 20);
  std::size_t copied = 0;
  try {
    while (copied < want) {
      std::size_t n = std::fread(buf.data(), 1, std::min(buf.size(), want - copied), in);
      if (n == 0) break;
      write_all(f_, buf.data(), n, path_);
      copied += n;
    }
  } catch (...) {
    std::fclose(in);
    std::fclose(f_);
    throw;
  }
  std::fclose(in);
  if (copied < want) {
    std::fclose(f_);
    throw CheckpointError(previous + " holds less than the checkpoint recorded (" +
                          std::to_string(copied) + " of " + std::to_string(want) + " bytes)");
  }
  rows_ = rows;
}

void NpyStream::fail(const std::string& what) {
  failed_ = true;
  int e = errno;
  throw OutputError("cannot write " + what + ": " + std::strerror(e != 0 ? e : EIO));
}

void NpyStream::flush() {
  errno = 0;
  if (f_ && std::fflush(f_) != 0) fail(path_);
}

NpyStream::~NpyStream() {
  if (f_) std::fclose(f_);
}

void NpyStream::append(const void* data, std::size_t bytes, int64_t rows) {
  if (!f_) throw std::logic_error("npy stream " + path_ + ": appended to after closing");
  if (failed_) return; // what reached the disk is kept; nothing more is written
  errno = 0;
  if (bytes && std::fwrite(data, 1, bytes, f_) != bytes) fail(path_);
  rows_ += rows;
}

int64_t NpyStream::rows_on_disk() {
  if (!f_) return rows_;
  errno = 0;
  if (!failed_ && std::fflush(f_) != 0) failed_ = true;
  if (!failed_) return rows_;
  // After a failed write: the whole rows that reached the disk.
  std::clearerr(f_);
  std::fflush(f_);
  struct stat st {};
  int64_t on_disk = 0;
  if (::fstat(fileno(f_), &st) == 0 && st.st_size > static_cast<off_t>(kStreamHeader) &&
      row_bytes_ > 0)
    on_disk =
        static_cast<int64_t>((static_cast<std::size_t>(st.st_size) - kStreamHeader) / row_bytes_);
  return std::min(rows_, on_disk);
}

std::vector<int64_t> NpyStream::close(int64_t most) {
  if (f_) {
    int64_t rows = rows_on_disk();
    if (most >= 0) rows = std::min(rows, most);
    if (rows < rows_ || failed_) {
      // Cut what is past the rows kept (a partial row, or rows other files
      // of the monitor lack); readers would ignore it anyway.
      std::fflush(f_);
      if (::ftruncate(fileno(f_),
                      static_cast<off_t>(kStreamHeader +
                                         row_bytes_ * static_cast<std::size_t>(rows))) != 0) {
      }
      rows_ = rows;
    }
    std::vector<int64_t> shape{rows_};
    shape.insert(shape.end(), row_shape_.begin(), row_shape_.end());
    std::string h = header(descr_, shape, kStreamHeader);
    std::clearerr(f_);
    errno = 0;
    bool ok = std::fseek(f_, 0, SEEK_SET) == 0 &&
              std::fwrite(h.data(), 1, h.size(), f_) == h.size() && std::fflush(f_) == 0;
    int e = errno;
    int rc = std::fclose(f_);
    f_ = nullptr;
    if (!ok || rc != 0) {
      // Without its header the file is no .npy: it goes.
      std::remove(path_.c_str());
      errno = e;
      closed_ok_ = false;
      fail(path_);
    }
  }
  if (!closed_ok_) throw OutputError("cannot write " + path_ + " (it could not be completed)");
  std::vector<int64_t> shape{rows_};
  shape.insert(shape.end(), row_shape_.begin(), row_shape_.end());
  return shape;
}

} // namespace snn
