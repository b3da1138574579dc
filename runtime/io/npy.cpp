#include "io/npy.h"

#include "snn/errors.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

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
  if (base > total) throw std::runtime_error("npy header too long");
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

std::FILE* open(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
  return f;
}

void write_all(std::FILE* f, const void* data, std::size_t bytes, const std::string& path) {
  if (bytes && std::fwrite(data, 1, bytes, f) != bytes)
    throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
}

} // namespace

void write_npy(const std::string& path, const std::string& descr, const std::vector<int64_t>& shape,
               const void* data, std::size_t bytes) {
  std::FILE* f = open(path);
  std::string h = header(descr, shape);
  write_all(f, h.data(), h.size(), path);
  write_all(f, data, bytes, path);
  if (std::fclose(f) != 0) throw std::runtime_error("cannot write " + path);
}

NpyStream::NpyStream(std::string path, std::string descr, std::vector<int64_t> row_shape)
    : path_(std::move(path)), descr_(std::move(descr)), row_shape_(std::move(row_shape)) {
  f_ = open(path_);
  std::string placeholder(kStreamHeader, ' ');
  write_all(f_, placeholder.data(), placeholder.size(), path_);
}

NpyStream::NpyStream(std::string path, std::string descr, std::vector<int64_t> row_shape,
                     const std::string& previous, int64_t rows)
    : path_(std::move(path)), descr_(std::move(descr)), row_shape_(std::move(row_shape)) {
  std::size_t row_bytes = static_cast<std::size_t>(descr_.back() - '0');
  for (int64_t n : row_shape_)
    row_bytes *= static_cast<std::size_t>(n);
  std::size_t want = kStreamHeader + row_bytes * static_cast<std::size_t>(rows);
  std::FILE* in = std::fopen(previous.c_str(), "rb");
  if (!in) throw CheckpointError("cannot read " + previous + ": " + std::strerror(errno));
  f_ = open(path_);
  std::vector<char> buf(std::size_t{1} << 20);
  std::size_t copied = 0;
  while (copied < want) {
    std::size_t n = std::fread(buf.data(), 1, std::min(buf.size(), want - copied), in);
    if (n == 0) break;
    write_all(f_, buf.data(), n, path_);
    copied += n;
  }
  std::fclose(in);
  if (copied < want)
    throw CheckpointError(previous + " holds less than the checkpoint recorded (" +
                          std::to_string(copied) + " of " + std::to_string(want) + " bytes)");
  rows_ = rows;
}

void NpyStream::flush() {
  if (f_ && std::fflush(f_) != 0) throw std::runtime_error("cannot write " + path_);
}

NpyStream::~NpyStream() {
  if (f_) std::fclose(f_);
}

void NpyStream::append(const void* data, std::size_t bytes, int64_t rows) {
  write_all(f_, data, bytes, path_);
  rows_ += rows;
}

std::vector<int64_t> NpyStream::close() {
  std::vector<int64_t> shape{rows_};
  shape.insert(shape.end(), row_shape_.begin(), row_shape_.end());
  std::string h = header(descr_, shape, kStreamHeader);
  if (std::fseek(f_, 0, SEEK_SET) != 0) throw std::runtime_error("cannot seek in " + path_);
  write_all(f_, h.data(), h.size(), path_);
  int rc = std::fclose(f_);
  f_ = nullptr;
  if (rc != 0) throw std::runtime_error("cannot write " + path_);
  return shape;
}

} // namespace snn
