// The readers behind load(...): .npy files of every supported element type
// and .csv files are read with their shapes; malformed files are refused with
// a message, before anything is allocated for the data they claim to hold.
#include "passes/load_data.h"

#include "support/temp.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using snnc::passes::read_table;
using snnc::passes::Table;

namespace {

// A version-1 .npy file with this header dictionary and these data bytes
// (the header padded with spaces to a multiple of 64, as numpy writes it).
std::string npy(const std::string& dict, const std::string& data) {
  std::string header = dict;
  while ((10 + header.size() + 1) % 64 != 0)
    header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  return out + header + data;
}

template <class T> std::string bytes(std::initializer_list<T> xs) {
  std::string s;
  for (T x : xs)
    s.append(reinterpret_cast<const char*>(&x), sizeof x);
  return s;
}

std::string write(const std::string& name, const std::string& content) {
  fs::path p = snnc::test::scratch("load_data") / name;
  std::ofstream(p, std::ios::binary) << content;
  return p.string();
}

// read_table on `content` as `name`: the error ("" when it was read).
std::string refusal(const std::string& name, const std::string& content) {
  Table t;
  std::string error;
  bool ok = read_table(write(name, content), t, error);
  CHECK(ok == error.empty());
  return error;
}

} // namespace

TEST_CASE(".npy files of each element type, 1-D and 2-D", "[load_data]") {
  Table t;
  std::string error;
  REQUIRE(read_table(write("f8.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': "
                                         "(3,), }",
                                         bytes<double>({0.5, 1.0, -2.0}))),
                     t, error));
  CHECK(t.rows == 3);
  CHECK(t.cols == 0);
  CHECK(t.values == std::vector<double>{0.5, 1.0, -2.0});
  REQUIRE(read_table(write("i4.npy", npy("{'descr': '<i4', 'fortran_order': False, 'shape': (2, "
                                         "2), }",
                                         bytes<std::int32_t>({1, -2, 3, 4}))),
                     t, error));
  CHECK(t.rows == 2);
  CHECK(t.cols == 2);
  CHECK(t.values == std::vector<double>{1, -2, 3, 4});
  REQUIRE(read_table(write("u1.npy", npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, "
                                         "1), }",
                                         bytes<std::uint8_t>({200, 7}))),
                     t, error));
  CHECK(t.values == std::vector<double>{200, 7});
  // Fortran order (numpy's order='F', what np.asfortranarray saves): columns
  // first in the file, rows first in the table.
  REQUIRE(read_table(write("fortran.npy", npy("{'descr': '<f8', 'fortran_order': True, 'shape': "
                                              "(2, 3), }",
                                              bytes<double>({1, 4, 2, 5, 3, 6}))),
                     t, error));
  CHECK(t.rows == 2);
  CHECK(t.cols == 3);
  CHECK(t.values == std::vector<double>{1, 2, 3, 4, 5, 6});
  REQUIRE(read_table(write("fortran1.npy", npy("{'descr': '<f8', 'fortran_order': True, 'shape': "
                                               "(2,), }",
                                               bytes<double>({1, 2}))),
                     t, error));
  CHECK(t.values == std::vector<double>{1, 2});
  // No pairs at all is a table too (a connect of no synapses).
  REQUIRE(read_table(write("none.npy", npy("{'descr': '<i8', 'fortran_order': False, 'shape': (0, "
                                           "2), }",
                                           "")),
                     t, error));
  CHECK(t.rows == 0);
  CHECK(t.cols == 2);
}

TEST_CASE("malformed .npy files are refused with a message", "[load_data]") {
  const std::string f8 = bytes<double>({1.0, 2.0});
  auto with = [&](const std::string& shape, const std::string& data, const char* descr = "<f8") {
    return npy(std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (" +
                   shape + "), }",
               data);
  };
  CHECK(refusal("a.npy", "not numpy at all") == "not a .npy file");
  CHECK(refusal("a.npy", std::string("\x93NUMPY\x01\x00\xff\x00{'descr'", 17)) ==
        "a malformed .npy header");
  CHECK(refusal("a.npy", npy("{'descr': '<f8', 'shape': (2,), }", f8)) ==
        "a malformed .npy header");
  CHECK(refusal("a.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,", f8)) ==
        "a malformed .npy header");
  CHECK(refusal("a.npy", with("x", f8)) == "a malformed .npy shape (x)");
  CHECK(refusal("a.npy", with("-2,", f8)) == "a malformed .npy shape (-2,)");
  CHECK(refusal("a.npy", with("99999999999999999999,", f8)) ==
        "a malformed .npy shape (99999999999999999999,)");
  CHECK(refusal("a.npy", with("1, 1, 2", f8)) == "an array of 3 dimensions (1 or 2 expected)");
  CHECK(refusal("a.npy", with("2, 0", "")) == "an array of shape (2, 0): rows without columns");
  CHECK(refusal("a.npy", with("2,", f8, "<c16")).rfind("unsupported element type '<c16'", 0) == 0);
  // Sizes the file does not hold are refused before any allocation: a
  // terabyte, and dimensions whose product overflows 64 bits.
  CHECK(refusal("a.npy", with("3,", f8)) == "the file is shorter than its header says");
  CHECK(refusal("a.npy", with("137438953472,", f8)) == "the file is shorter than its header says");
  CHECK(refusal("a.npy", with("999999999999999, 999999999999999", f8)) ==
        "the file is shorter than its header says");
  CHECK(refusal("a.npy", with("2,", f8)).empty());
}

TEST_CASE(".csv files: one row per line, the same number of values on each", "[load_data]") {
  Table t;
  std::string error;
  REQUIRE(read_table(write("a.csv", "# index, time\n0, 0.001\n\n1, 2e-3\n"), t, error));
  CHECK(t.rows == 2);
  CHECK(t.cols == 2);
  CHECK(t.values == std::vector<double>{0, 0.001, 1, 0.002});
  CHECK(refusal("b.csv", "1, 2\n3\n") == "line 2 has 1 values, the first row 2");
  CHECK(refusal("c.csv", "1, x\n") == "line 1: ' x' is not a number");
  CHECK(refusal("d.csv", "# nothing\n") == "no values");
  CHECK(refusal("e.dat", "1\n") == "unknown file type (use .npy or .csv)");
}
