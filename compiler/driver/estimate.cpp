#include "driver/estimate.h"

#include "kernels/symbolic.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <optional>
#include <random>
#include <sys/statvfs.h>
#include <unistd.h>
#include <vector>

namespace snnc::driver {

namespace fs = std::filesystem;

namespace {

struct Item {
  SourceLoc loc;
  std::string what;
  double bytes; // expected
  double lower; // at least (what a refusal counts)
  std::string advice;
};

// The value of a connect kernel's expression for the pair (i, j): i, j,
// N_pre and N_post are known, state variables and random numbers are not.
std::optional<double> at_pair(const ir::ExprPtr& e, double i, double j, double npre, double npost) {
  return kir::value_of(e, [&](const ir::Expr& n) -> std::optional<double> {
    if (n.ref != ir::NameRef::builtin) return std::nullopt;
    if (n.name == "i") return i;
    if (n.name == "j") return j;
    if (n.name == "N_pre") return npre;
    if (n.name == "N_post") return npost;
    return std::nullopt;
  });
}

std::vector<Item> memory_items(const ir::Model& m, const kir::Module& mod) {
  std::vector<Item> items;
  double total_t = schedule_seconds(m);
  for (const ir::Group& g : m.groups) {
    // Per neuron: its state, a place in the spike list and one in each
    // custom event's list.
    double b = static_cast<double>(g.size) *
               (8.0 * static_cast<double>(mod.groups.at(g.name).variables.size()) + 4 +
                4.0 * static_cast<double>(g.events.size()));
    items.push_back(
        {g.loc, fmt::format("group '{}' ({} neurons)", g.name, g.size), b, b, "use fewer neurons"});
  }
  for (const ir::Synapses& y : m.synapses) {
    SynapseCount c = synapse_count(m, mod, y);
    // Per synapse: its state, pre and post indices, and up to 8 bytes more:
    // a place in a queue not in source order (on_post), a delay of its own
    // in steps, its number when spread over processes.
    double per = 8.0 * static_cast<double>(mod.synapses.at(y.name).variables.size()) + 16;
    items.push_back(
        {y.loc,
         c.known ? fmt::format("synapses '{}' (about {:.3g} synapses)", y.name, c.expected)
                 : fmt::format("synapses '{}'", y.name),
         c.expected * per, c.lower * per, "connect fewer pairs (a smaller p, or a condition)"});
  }
  for (const ir::Monitor& mon : m.monitors)
    if (mon.kind == ir::MonitorKind::rate && mon.bin > 0) {
      double b = 8.0 * total_t / mon.bin;
      items.push_back({mon.loc,
                       fmt::format("rate monitor '{}' ({:.3g} bins)", mon.name, total_t / mon.bin),
                       b, b, "use a larger bin or a shorter run"});
    }
  return items;
}

// What each monitor writes to the results directory, roughly: state
// monitors their samples, rate monitors their bins, spike monitors counted
// only their counts. (The spikes of a spike monitor depend on the activity,
// which is not known before the run: they are not counted.)
std::vector<Item> disk_items(const ir::Model& m, const kir::Module& mod, double seconds) {
  std::vector<Item> items;
  double steps = seconds / m.dt;
  for (const ir::Monitor& mon : m.monitors) {
    double bytes = 0;
    std::string what;
    if (mon.kind == ir::MonitorKind::state) {
      double width = 0;
      if (!mon.record_all) {
        width = static_cast<double>(mon.record.size());
      } else if (const ir::Group* g = m.find_group(mon.object)) {
        width = static_cast<double>(mon.stop > mon.start ? mon.stop - mon.start : g->size);
      } else {
        for (const ir::Synapses& y : m.synapses)
          if (y.name == mon.object) width = synapse_count(m, mod, y).lower;
      }
      double every = mon.dt > 0 ? std::max(1.0, std::round(mon.dt / m.dt)) : 1.0;
      double samples = std::floor(steps / every) + 1;
      double value = mon.float32 ? 4 : 8;
      bytes = samples * (8 + width * value * static_cast<double>(mon.variables.size()));
      what = fmt::format("{:.3g} samples of {:.3g} values of {} variable{}", samples, width,
                         mon.variables.size(), mon.variables.size() == 1 ? "" : "s");
    } else if (mon.kind == ir::MonitorKind::rate && mon.bin > 0) {
      bytes = 16 * seconds / mon.bin;
      what = fmt::format("{:.3g} bins", seconds / mon.bin);
    } else if (mon.kind == ir::MonitorKind::spikes && mon.counts_only) {
      bytes = 8 * static_cast<double>(mon.stop - mon.start);
      what = "spike counts";
    } else {
      continue;
    }
    items.push_back({mon.loc, fmt::format("monitor '{}' ({})", mon.name, what), bytes, bytes,
                     mon.kind == ir::MonitorKind::state
                         ? "record fewer elements (record = [...]), sample less often (dt = ...), "
                           "store float32 (the option float32), or run a shorter time"
                         : "use a larger bin, or run a shorter time"});
  }
  return items;
}

const Item* largest(const std::vector<Item>& items, double& need, double& at_least) {
  const Item* biggest = nullptr;
  need = at_least = 0;
  for (const Item& it : items) {
    need += it.bytes;
    at_least += it.lower;
    if (!biggest || it.lower > biggest->lower) biggest = &it;
  }
  return biggest;
}

} // namespace

double available_memory() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  double kb = 0;
  std::string unit;
  while (in >> key >> kb >> unit)
    if (key == "MemAvailable:") return kb * 1024;
  long pages = sysconf(_SC_AVPHYS_PAGES), size = sysconf(_SC_PAGESIZE);
  return pages > 0 && size > 0 ? static_cast<double>(pages) * static_cast<double>(size) : 0;
}

double free_disk(const std::string& dir) {
  std::error_code ec;
  fs::path p = fs::absolute(dir, ec);
  while (!p.empty() && !fs::exists(p, ec) && p != p.parent_path())
    p = p.parent_path();
  struct statvfs st {};
  if (p.empty() || ::statvfs(p.c_str(), &st) != 0) return INFINITY; // unknown: never refuse
  return static_cast<double>(st.f_bavail) * static_cast<double>(st.f_frsize);
}

double schedule_seconds(const ir::Model& m) {
  double s = 0;
  for (const ir::ScheduleItem& it : m.schedule)
    if (it.kind == ir::ScheduleItem::Kind::run) s += it.duration;
  return s;
}

std::string bytes_text(double b) {
  const char* units[] = {"bytes", "kB", "MB", "GB", "TB", "PB"};
  int k = 0;
  while (b >= 1000 && k < 5) {
    b /= 1000;
    ++k;
  }
  return fmt::format("{:.3g} {}", b, units[k]);
}

SynapseCount synapse_count(const ir::Model& m, const kir::Module& mod, const ir::Synapses& y) {
  SynapseCount c;
  if (!y.connect.i_values.empty()) {
    c.expected = c.lower = static_cast<double>(y.connect.i_values.size());
    c.known = true;
    return c;
  }
  if (!y.connect.pairs_i.empty()) {
    c.expected = c.lower = static_cast<double>(y.connect.pairs_i.size());
    c.known = true;
    return c;
  }
  const kir::SynapseKernels& sk = mod.synapses.at(y.name);
  if (!y.connect.present || sk.connect < 0) {
    c.known = true;
    return c;
  }
  const kir::Kernel& k = mod.kernels[static_cast<std::size_t>(sk.connect)];
  if (k.gen_j) return c; // a generator: not estimated; the runtime checks while connecting
  const ir::Group* pre = m.find_group(y.source.group);
  const ir::Group* post = m.find_group(y.target.group);
  if (!post) return c; // onto synapses, whose number is not known before the run
  double npre = static_cast<double>(y.source.sliced() ? y.source.stop - y.source.start : pre->size);
  double npost =
      static_cast<double>(y.target.sliced() ? y.target.stop - y.target.start : post->size);
  if (npre <= 0 || npost <= 0) {
    c.known = true;
    return c;
  }
  // The synapses of the pair (i, j), expected: condition * p * n.
  auto pair = [&](double i, double j) -> std::optional<double> {
    double v = 1;
    if (k.condition) {
      auto x = at_pair(k.condition, i, j, npre, npost);
      if (!x) return std::nullopt;
      if (*x == 0) return 0.0;
    }
    if (k.connect_p) {
      auto p = at_pair(k.connect_p, i, j, npre, npost);
      if (!p) return std::nullopt;
      v *= std::clamp(*p, 0.0, 1.0);
    }
    if (k.connect_n) {
      auto n = at_pair(k.connect_n, i, j, npre, npost);
      if (!n) return std::nullopt;
      v *= std::max(0.0, std::trunc(*n));
    }
    return v;
  };
  double pairs = npre * npost;
  // Constant for all pairs (no i or j): exact.
  bool constant = true; // no name but the sizes
  for (const ir::ExprPtr& e : {k.condition, k.connect_p, k.connect_n})
    if (e)
      ir::visit(e, [&](const ir::ExprPtr& n) {
        if (n->kind == ir::ExprKind::name &&
            !(n->ref == ir::NameRef::builtin && (n->name == "N_pre" || n->name == "N_post")))
          constant = false;
      });
  if (constant) {
    auto v = pair(0, 0);
    if (!v) return c;
    c.expected = c.lower = pairs * *v;
    c.known = true;
    return c;
  }
  // Otherwise a sample of pairs (a fixed seed: the same estimate every time),
  // every pair when there are few.
  const int kSamples = 4096;
  std::mt19937_64 rng(1);
  double sum = 0, sum2 = 0;
  int taken = 0;
  auto add = [&](double i, double j) {
    auto v = pair(i, j);
    if (!v) return false;
    sum += *v;
    sum2 += *v * *v;
    ++taken;
    return true;
  };
  if (pairs <= kSamples) {
    for (double i = 0; i < npre; ++i)
      for (double j = 0; j < npost; ++j)
        if (!add(i, j)) return c;
    c.expected = c.lower = sum;
    c.known = true;
    return c;
  }
  std::uniform_real_distribution<double> u(0, 1);
  for (int s = 0; s < kSamples; ++s)
    if (!add(std::floor(u(rng) * npre), std::floor(u(rng) * npost))) return c;
  double mean = sum / taken;
  double sd = std::sqrt(std::max(0.0, sum2 / taken - mean * mean));
  c.expected = pairs * mean;
  c.lower = pairs * std::max(0.0, mean - 4 * sd / std::sqrt(static_cast<double>(taken)));
  c.known = true;
  return c;
}

bool memory_fits(const ir::Model& m, const kir::Module& mod, double limit, bool given,
                 Diagnostics& diag) {
  std::vector<Item> items = memory_items(m, mod);
  double need = 0, at_least = 0;
  const Item* biggest = largest(items, need, at_least);
  if (!biggest || limit <= 0 || at_least <= limit) return true;
  diag.error(biggest->loc,
             fmt::format("the run would need about {} of memory, more than {} ({}); the largest "
                         "part is {}, about {}: {}",
                         bytes_text(need), bytes_text(limit),
                         given ? "the limit given" : "half of the available memory", biggest->what,
                         bytes_text(biggest->bytes), biggest->advice));
  return false;
}

bool disk_fits(const ir::Model& m, const kir::Module& mod, double seconds,
               const std::string& out_dir, Diagnostics& diag, double free_bytes) {
  std::vector<Item> items = disk_items(m, mod, seconds);
  double need = 0, at_least = 0;
  const Item* biggest = largest(items, need, at_least);
  if (!biggest) return true;
  double free = free_bytes >= 0 ? free_bytes : free_disk(out_dir);
  if (at_least > free) {
    diag.error(biggest->loc,
               fmt::format("the run would write about {} to '{}', more than the {} free on its "
                           "file system; the largest part is {}, about {}: {}",
                           bytes_text(need), out_dir, bytes_text(free), biggest->what,
                           bytes_text(biggest->bytes), biggest->advice));
    return false;
  }
  if (need > kLargeOutput)
    diag.note(biggest->loc, fmt::format("the run will write about {} to '{}' ({} free); the "
                                        "largest part is {}, about {}",
                                        bytes_text(need), out_dir, bytes_text(free), biggest->what,
                                        bytes_text(biggest->bytes)));
  return true;
}

} // namespace snnc::driver
