// Reading .npy files (format 1.0/2.0, little-endian f8/f4/i4/i8, C order)
// into doubles, for comparing results in tests.
#pragma once

#include <cstdint>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace snnc::test {

struct NpyArray {
  std::string descr;
  std::vector<std::int64_t> shape;
  std::vector<double> data;
};

inline NpyArray read_npy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  char magic[8];
  in.read(magic, 8);
  if (std::memcmp(magic, "\x93NUMPY", 6) != 0) throw std::runtime_error("not npy: " + path);
  std::uint32_t len = 0;
  if (magic[6] == 1) {
    unsigned char b[2];
    in.read(reinterpret_cast<char*>(b), 2);
    len = b[0] | (b[1] << 8);
  } else {
    unsigned char b[4];
    in.read(reinterpret_cast<char*>(b), 4);
    len = b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<std::uint32_t>(b[3]) << 24);
  }
  std::string header(len, ' ');
  in.read(header.data(), len);
  NpyArray a;
  auto d = header.find("'descr': '");
  a.descr = header.substr(d + 10, 3);
  auto s = header.find("'shape': (");
  auto e = header.find(')', s);
  std::string shape = header.substr(s + 10, e - s - 10);
  std::int64_t count = 1;
  std::size_t pos = 0;
  while (pos < shape.size()) {
    while (pos < shape.size() && (shape[pos] == ' ' || shape[pos] == ','))
      ++pos;
    if (pos >= shape.size()) break;
    std::size_t used = 0;
    std::int64_t v = std::stoll(shape.substr(pos), &used);
    a.shape.push_back(v);
    count *= v;
    pos += used;
  }
  a.data.resize(static_cast<std::size_t>(count));
  for (std::int64_t k = 0; k < count; ++k) {
    if (a.descr == "<f8") {
      double v;
      in.read(reinterpret_cast<char*>(&v), 8);
      a.data[k] = v;
    } else if (a.descr == "<f4") {
      float v;
      in.read(reinterpret_cast<char*>(&v), 4);
      a.data[k] = v;
    } else if (a.descr == "<i4") {
      std::int32_t v;
      in.read(reinterpret_cast<char*>(&v), 4);
      a.data[k] = v;
    } else if (a.descr == "<i8") {
      std::int64_t v;
      in.read(reinterpret_cast<char*>(&v), 8);
      a.data[k] = static_cast<double>(v);
    } else {
      throw std::runtime_error("unsupported dtype " + a.descr + " in " + path);
    }
  }
  if (!in) throw std::runtime_error("truncated npy: " + path);
  return a;
}

} // namespace snnc::test
