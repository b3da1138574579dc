#include "passes/load_data.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>

namespace snnc::passes {

namespace {

// The value of `key` in a .npy header's dictionary: the text of a tuple
// without its parentheses, of a quoted string without its quotes, or of a
// bare word; nullopt when the key is missing or its value unterminated.
std::optional<std::string> npy_field(const std::string& h, const std::string& key) {
  auto p = h.find("'" + key + "':");
  if (p == std::string::npos) return std::nullopt;
  p = h.find_first_not_of(' ', p + key.size() + 3);
  if (p == std::string::npos) return std::nullopt;
  std::size_t from = p + 1, to;
  if (h[p] == '(')
    to = h.find(')', from);
  else if (h[p] == '\'')
    to = h.find('\'', from);
  else {
    from = p;
    to = h.find_first_of(",}", from);
  }
  if (to == std::string::npos) return std::nullopt;
  return h.substr(from, to - from);
}

// The dimensions of a .npy shape "3, 2" (the text in its parentheses), each
// a whole number of at most 15 digits; false for anything else.
bool npy_shape(const std::string& shape, std::vector<std::int64_t>& dims) {
  std::stringstream ss(shape);
  std::string item;
  while (std::getline(ss, item, ',')) {
    auto b = item.find_first_not_of(' ');
    if (b == std::string::npos) continue; // "(5,)"
    auto e = item.find_last_not_of(' ');
    std::string digits = item.substr(b, e - b + 1);
    if (digits.empty() || digits.size() > 15 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
      return false;
    dims.push_back(std::stoll(digits)); // at most 15 digits: no overflow
  }
  return true;
}

bool read_npy(const std::string& path, Table& t, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return error = std::strerror(errno), false;
  char magic[8];
  if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0)
    return error = "not a .npy file", false;
  std::uint32_t len = 0;
  unsigned char b[4] = {0, 0, 0, 0};
  if (magic[6] == 1) {
    in.read(reinterpret_cast<char*>(b), 2);
    len = b[0] | (b[1] << 8);
  } else {
    in.read(reinterpret_cast<char*>(b), 4);
    len = b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<std::uint32_t>(b[3]) << 24);
  }
  if (!in || len > (1u << 20)) return error = "a malformed .npy header", false;
  std::string h(len, ' ');
  if (!in.read(h.data(), len)) return error = "a malformed .npy header", false;
  auto descr = npy_field(h, "descr"), order = npy_field(h, "fortran_order"),
       shape = npy_field(h, "shape");
  if (!descr || !order || !shape) return error = "a malformed .npy header", false;
  const bool fortran = order->rfind("True", 0) == 0;
  std::vector<std::int64_t> dims;
  if (!npy_shape(*shape, dims)) return error = "a malformed .npy shape (" + *shape + ")", false;
  if (dims.empty() || dims.size() > 2)
    return error = fmt::format("an array of {} dimensions (1 or 2 expected)", dims.size()), false;
  if (dims.size() == 2 && dims[1] == 0 && dims[0] > 0)
    return error = fmt::format("an array of shape ({}, 0): rows without columns", dims[0]), false;
  static const std::pair<const char*, int> known[] = {{"<f8", 8}, {"<f4", 4}, {"<i8", 8},
                                                      {"<i4", 4}, {"<i2", 2}, {"<u2", 2},
                                                      {"|i1", 1}, {"|u1", 1}, {"|b1", 1}};
  auto type = std::find_if(std::begin(known), std::end(known),
                           [&](const auto& k) { return *descr == k.first; });
  if (type == std::end(known))
    return error = "unsupported element type '" + *descr +
                   "' (float64, float32, int64, int32, "
                   "int16, uint16, int8, uint8 or bool)",
           false;
  // The data must be in the file before anything is allocated for it.
  const std::int64_t header_end = static_cast<std::int64_t>(in.tellg());
  in.seekg(0, std::ios::end);
  const std::int64_t bytes = static_cast<std::int64_t>(in.tellg()) - header_end;
  in.seekg(header_end);
  const int size = type->second;
  std::int64_t n = dims[0]; // the elements, each factor compared with the bytes: no overflow
  if (dims.size() == 2) n = dims[1] == 0 || n <= bytes / dims[1] ? n * dims[1] : -1;
  if (n < 0 || n > bytes / size) return error = "the file is shorter than its header says", false;
  t.rows = dims[0];
  t.cols = dims.size() == 2 ? dims[1] : 0;
  t.values.resize(static_cast<std::size_t>(n));
  const std::string& d = *descr;
  for (std::int64_t k = 0; k < n; ++k) {
    double v = 0;
    if (d == "<f8")
      in.read(reinterpret_cast<char*>(&v), 8);
    else if (d == "<f4") {
      float f;
      in.read(reinterpret_cast<char*>(&f), 4);
      v = f;
    } else if (d == "<i4") {
      std::int32_t x;
      in.read(reinterpret_cast<char*>(&x), 4);
      v = x;
    } else if (d == "<i8") {
      std::int64_t x;
      in.read(reinterpret_cast<char*>(&x), 8);
      v = static_cast<double>(x);
    } else if (d == "<i2") {
      std::int16_t x;
      in.read(reinterpret_cast<char*>(&x), 2);
      v = x;
    } else if (d == "<u2") {
      std::uint16_t x;
      in.read(reinterpret_cast<char*>(&x), 2);
      v = x;
    } else if (d == "|i1") {
      std::int8_t x;
      in.read(reinterpret_cast<char*>(&x), 1);
      v = x;
    } else {
      unsigned char x;
      in.read(reinterpret_cast<char*>(&x), 1);
      v = x;
    }
    t.values[static_cast<std::size_t>(k)] = v;
  }
  if (!in) return error = "the file is shorter than its header says", false;
  if (fortran && t.cols > 1 && t.rows > 1) { // column by column in the file: transpose
    std::vector<double> c_order(t.values.size());
    for (std::int64_t r = 0; r < t.rows; ++r)
      for (std::int64_t c = 0; c < t.cols; ++c)
        c_order[static_cast<std::size_t>(r * t.cols + c)] =
            t.values[static_cast<std::size_t>(c * t.rows + r)];
    t.values = std::move(c_order);
  }
  return true;
}

bool read_csv(const std::string& path, Table& t, std::string& error) {
  std::ifstream in(path);
  if (!in) return error = std::strerror(errno), false;
  std::string line;
  int number = 0;
  std::int64_t cols = -1;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos || line[0] == '#') continue;
    std::stringstream ss(line);
    std::string cell;
    std::int64_t c = 0;
    while (std::getline(ss, cell, ',')) {
      char* end = nullptr;
      double v = std::strtod(cell.c_str(), &end);
      if (end == cell.c_str() || std::string(end).find_first_not_of(" \t\r") != std::string::npos)
        return error = fmt::format("line {}: '{}' is not a number", number, cell), false;
      t.values.push_back(v);
      ++c;
    }
    if (cols >= 0 && c != cols)
      return error = fmt::format("line {} has {} values, the first row {}", number, c, cols), false;
    cols = c;
    ++t.rows;
  }
  if (t.rows == 0) return error = "no values", false;
  t.cols = cols == 1 ? 0 : cols;
  return true;
}

} // namespace

bool read_table(const std::string& path, Table& out, std::string& error) {
  out = Table{};
  auto ends = [&](const char* ext) {
    std::size_t n = std::strlen(ext);
    return path.size() >= n && path.compare(path.size() - n, n, ext) == 0;
  };
  if (ends(".npy")) return read_npy(path, out, error);
  if (ends(".csv") || ends(".txt")) return read_csv(path, out, error);
  error = "unknown file type (use .npy or .csv)";
  return false;
}

// Statements and delays reading a (pre, post) matrix read it at row i, column j.
void read_as_matrices(ir::Model& m) {
  auto fix = [&](ir::ExprPtr& value) {
    if (!value) return;
    value = ir::rewrite(value, [&](const ir::ExprPtr& e) -> ir::ExprPtr {
      if (e->kind != ir::ExprKind::call || e->args.size() != 2) return nullptr;
      const ir::TimedArray* t = m.find_timed(e->name);
      if (!t || t->matrix_of.empty()) return nullptr;
      SourceLoc loc = e->loc;
      return ir::make_call(e->name,
                           {ir::make_binary(ir::BinOp::mul, ir::make_name("i", loc),
                                            ir::make_name("second", loc), loc),
                            ir::make_name("j", loc)},
                           loc);
    });
  };
  for (ir::Synapses& y : m.synapses) {
    for (ir::Statement& s : y.init)
      fix(s.value);
    for (ir::Pathway& p : y.pathways)
      fix(p.delay);
  }
  for (ir::Event& e : m.events)
    for (ir::Statement& s : e.statements)
      fix(s.value);
  for (ir::ScheduleItem& it : m.schedule)
    if (it.kind == ir::ScheduleItem::Kind::statement) fix(it.statement.value);
}

void load_data(ir::Model& m, Diagnostics& diag) {
  for (ir::TimedArray& t : m.timed) {
    if (t.load_path.empty()) continue;
    Table tab;
    std::string err;
    if (!read_table(t.load_path, tab, err)) {
      diag.error(t.load_loc, fmt::format("cannot load timed array '{}' from '{}': {}", t.name,
                                         t.load_path, err));
      continue;
    }
    if (tab.rows == 0 || (tab.cols == 0 && tab.values.empty())) {
      diag.error(t.load_loc,
                 fmt::format("timed array '{}': '{}' has no values", t.name, t.load_path));
      continue;
    }
    for (double v : tab.values)
      if (!std::isfinite(v)) {
        diag.error(t.load_loc, fmt::format("timed array '{}': '{}' contains NaN or infinity",
                                           t.name, t.load_path));
        break;
      }
    if (t.statement_values && !t.per_synapse_of.empty() && tab.cols != 0) {
      // A (pre, post) matrix: synapse (i, j) takes the value at row i, column j.
      const ir::Synapses* y = m.find_synapses(t.per_synapse_of);
      const ir::Group* pre = y ? m.find_group(y->source.group) : nullptr;
      const ir::Group* post = y ? m.find_group(y->target.group) : nullptr;
      if (pre && y && m.target_synapses(*y))
        diag.error(t.load_loc, fmt::format("this file has shape ({}, {}); synapses '{}' target "
                                           "synapses, so a (pre, post) matrix is not supported "
                                           "for them: give a 1-D array, one value per synapse",
                                           tab.rows, tab.cols, y->name));
      if (!pre || !post) continue; // reported by resolve_names
      std::int64_t npre = y->source.sliced() ? y->source.stop - y->source.start : pre->size;
      std::int64_t npost = y->target.sliced() ? y->target.stop - y->target.start : post->size;
      if (tab.rows != npre || tab.cols != npost) {
        diag.error(t.load_loc,
                   fmt::format("this file has shape ({}, {}); a (pre, post) matrix for synapses "
                               "'{}' needs shape ({}, {}), a row per presynaptic and a column "
                               "per postsynaptic neuron (or give a 1-D array, one value per "
                               "synapse)",
                               tab.rows, tab.cols, y->name, npre, npost));
        continue;
      }
      t.matrix_of = t.per_synapse_of;
      t.per_synapse_of.clear();
    } else if (t.statement_values) { // one value per neuron: a row of the table
      if (tab.cols != 0) {
        diag.error(t.load_loc, fmt::format("this file has shape ({}, {}); values for a statement "
                                           "need a 1-D array, one value per neuron",
                                           tab.rows, tab.cols));
        continue;
      }
      tab.cols = tab.rows;
      tab.rows = 1;
    }
    t.values = std::move(tab.values);
    if (t.load_scale != 1)
      for (double& v : t.values)
        v *= t.load_scale;
    t.rows = tab.rows;
    t.cols = tab.cols;
  }
  read_as_matrices(m);
  for (ir::Synapses& y : m.synapses) {
    if (y.connect.load_path.empty()) continue;
    Table tab;
    std::string err;
    const ir::Group* pre = m.find_group(y.source.group);
    const ir::Group* post = m.find_group(y.target.group);
    // Onto synapses, whose number is known at run time (which checks j).
    const bool onto_synapses = !post && m.target_synapses(y);
    if (!pre || (!post && !onto_synapses)) continue; // reported by resolve_names
    std::int64_t npre = y.source.sliced() ? y.source.stop - y.source.start : pre->size;
    std::int64_t npost = onto_synapses       ? INT32_MAX
                         : y.target.sliced() ? y.target.stop - y.target.start
                                             : post->size;
    if (!read_table(y.connect.load_path, tab, err)) {
      diag.error(y.connect.load_loc, fmt::format("cannot load the connections of '{}' from "
                                                 "'{}': {}",
                                                 y.name, y.connect.load_path, err));
      continue;
    }
    if (tab.cols != 2) {
      diag.error(y.connect.load_loc,
                 fmt::format("'{}' must hold (i, j) pairs: two columns", y.connect.load_path));
      continue;
    }
    for (std::int64_t r = 0; r < tab.rows; ++r) {
      double i = tab.values[static_cast<std::size_t>(2 * r)];
      double j = tab.values[static_cast<std::size_t>(2 * r + 1)];
      if (i != std::floor(i) || j != std::floor(j) || i < 0 || j < 0 ||
          i >= static_cast<double>(npre) || j >= static_cast<double>(npost)) {
        diag.error(y.connect.load_loc,
                   onto_synapses
                       ? fmt::format("row {} of '{}' is ({}, {}): not a neuron of '{}' (0 to {}) "
                                     "and a synapse number",
                                     r, y.connect.load_path, i, j, y.source.group, npre - 1)
                       : fmt::format("row {} of '{}' is ({}, {}): not a pair of neurons of '{}' "
                                     "(0 to {}) and '{}' (0 to {})",
                                     r, y.connect.load_path, i, j, y.source.group, npre - 1,
                                     y.target.group, npost - 1));
        break;
      }
      y.connect.pairs_i.push_back(static_cast<std::int32_t>(i));
      y.connect.pairs_j.push_back(static_cast<std::int32_t>(j));
    }
  }
  for (ir::Group& g : m.groups) {
    if (g.load_path.empty()) continue;
    Table tab;
    std::string err;
    if (!read_table(g.load_path, tab, err)) {
      diag.error(g.load_loc,
                 fmt::format("cannot load spikes '{}' from '{}': {}", g.name, g.load_path, err));
      continue;
    }
    if (tab.cols != 2) {
      diag.error(g.load_loc, fmt::format("spikes '{}': '{}' must hold (index, time) pairs, two "
                                         "columns, with times in seconds",
                                         g.name, g.load_path));
      continue;
    }
    for (std::int64_t r = 0; r < tab.rows; ++r) {
      double i = tab.values[static_cast<std::size_t>(2 * r)];
      double t = tab.values[static_cast<std::size_t>(2 * r + 1)];
      if (i != std::floor(i) || i < 0 || i >= static_cast<double>(g.size) || !(t >= 0)) {
        diag.error(g.load_loc, fmt::format("spikes '{}': row {} of '{}' is ({}, {}): the index "
                                           "must be a neuron (0 to {}) and the time >= 0",
                                           g.name, r, g.load_path, i, t, g.size - 1));
        break;
      }
      g.indices.push_back(static_cast<std::int64_t>(i));
      g.times.push_back(t);
    }
    check_loaded_spikes(g, m.dt, diag);
  }
}

} // namespace snnc::passes
