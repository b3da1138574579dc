#include "driver/checkpoint.h"

#include "ir/print.h"

#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

namespace snnc::driver {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'S', 'N', 'N', 'C', 'C', 'K', 'P', 'T'};

struct Fnv {
  std::uint64_t h = 1469598103934665603ull;
  void add(const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t k = 0; k < n; ++k)
      h = (h ^ b[k]) * 1099511628211ull;
  }
  void add(const std::string& s) {
    std::uint64_t n = s.size();
    add(&n, sizeof n);
    add(s.data(), s.size());
  }
  template <class T> void add(const std::vector<T>& v) {
    std::uint64_t n = v.size();
    add(&n, sizeof n);
    add(v.data(), v.size() * sizeof(T));
  }
};

template <class T> void put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

template <class T> bool get(const std::string& in, std::size_t& pos, T& v) {
  if (in.size() - pos < sizeof v) return false;
  std::memcpy(&v, in.data() + pos, sizeof v);
  pos += sizeof v;
  return true;
}

} // namespace

std::uint64_t model_hash(const ir::Model& m, const kir::Module& mod) {
  Fnv f;
  f.add(ir::print_ir(m));
  for (const kir::Kernel& k : mod.kernels)
    f.add(kir::to_string(k));
  for (const ir::TimedArray& t : m.timed)
    f.add(t.values);
  for (const ir::Group& g : m.groups) {
    f.add(g.indices);
    f.add(g.times);
  }
  for (const ir::Synapses& y : m.synapses) {
    f.add(y.connect.i_values);
    f.add(y.connect.j_values);
    f.add(y.connect.pairs_i);
    f.add(y.connect.pairs_j);
  }
  return f.h;
}

std::string checkpoint_part(const std::string& path, int process, int processes) {
  return processes <= 1 || process == 0 ? path : path + ".process-" + std::to_string(process);
}

bool write_checkpoint(const std::string& path, snn::Network& net, const ir::Model& m,
                      const kir::Module& mod, const CheckpointInfo& info, Diagnostics& diag) {
  nlohmann::json meta;
  meta["processes"] = info.processes;
  meta["process"] = info.process;
  meta["format"] = "snnc-checkpoint";
  meta["model"] = fs::absolute(m.path).string();
  meta["seed"] = info.seed;
  meta["dt"] = m.dt;
  meta["step"] = net.step();
  meta["t"] = net.t();
  meta["schedule_item"] = info.cursor.item;
  meta["run_end_step"] = info.cursor.end_step;
  meta["results_dir"] = info.results_dir;
  meta["partial_dir"] = info.partial_dir;
  nlohmann::json names = nlohmann::json::array();
  for (const auto& [name, snap] : info.cursor.snapshots)
    names.push_back(name);
  meta["snapshots"] = names;

  std::ostringstream body;
  std::vector<const snn::Snapshot*> stored;
  for (const auto& [name, snap] : info.cursor.snapshots)
    stored.push_back(snap.get());
  try {
    net.write_checkpoint(body, stored); // flushes the monitors' files
  } catch (const snn::OutputError& e) {
    diag.error({}, fmt::format("cannot write the checkpoint '{}': the results it continues "
                               "could not be written: {}",
                               path, e.what()));
    return false;
  }

  std::string out(kMagic, sizeof kMagic);
  put(out, kCheckpointVersion);
  put(out, model_hash(m, mod));
  std::string meta_text = meta.dump();
  put(out, static_cast<std::uint64_t>(meta_text.size()));
  out += meta_text;
  out += body.str();
  Fnv sum;
  sum.add(out.data(), out.size());
  put(out, sum.h);

  std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream os(tmp, std::ios::binary | std::ios::trunc);
    os.write(out.data(), static_cast<std::streamsize>(out.size()));
    os.flush();
    if (!os) {
      diag.error({},
                 fmt::format("cannot write the checkpoint '{}': {}", path, std::strerror(errno)));
      std::error_code ec;
      fs::remove(tmp, ec);
      return false;
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    diag.error({}, fmt::format("cannot write the checkpoint '{}': {}", path, ec.message()));
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

std::optional<Checkpoint> read_checkpoint(const std::string& path, const ir::Model& m,
                                          const kir::Module& mod, Diagnostics& diag) {
  auto fail = [&](const std::string& why) -> std::optional<Checkpoint> {
    diag.error({}, fmt::format("cannot resume from '{}': {}", path, why));
    return std::nullopt;
  };
  std::ifstream is(path, std::ios::binary);
  if (!is) return fail(std::strerror(errno));
  std::string in((std::istreambuf_iterator<char>(is)), std::istreambuf_iterator<char>());
  if (in.size() < sizeof kMagic || std::memcmp(in.data(), kMagic, sizeof kMagic) != 0)
    return fail("it is not an snnc checkpoint");
  std::size_t pos = sizeof kMagic;
  std::uint32_t version = 0;
  std::uint64_t hash = 0, meta_size = 0, sum = 0;
  if (!get(in, pos, version)) return fail("the file is truncated");
  if (version != kCheckpointVersion)
    return fail(fmt::format("it has format version {}, and this snnc reads version {}", version,
                            kCheckpointVersion));
  if (in.size() < pos + 8 + 8 + 8) return fail("the file is truncated");
  std::size_t end = in.size() - sizeof sum;
  std::memcpy(&sum, in.data() + end, sizeof sum);
  Fnv f;
  f.add(in.data(), end);
  if (f.h != sum) return fail("the file is damaged or truncated (its checksum does not match)");
  get(in, pos, hash);
  get(in, pos, meta_size);
  if (meta_size > end - pos) return fail("the file is damaged");
  nlohmann::json meta =
      nlohmann::json::parse(in.substr(pos, static_cast<std::size_t>(meta_size)), nullptr, false);
  pos += static_cast<std::size_t>(meta_size);
  if (meta.is_discarded() || meta.value("format", "") != "snnc-checkpoint")
    return fail("the file is damaged (unreadable metadata)");
  if (hash != model_hash(m, mod))
    return fail(fmt::format(
        "it was written by another model ({}), or by this one with different constants or "
        "data; a checkpoint resumes only the model that wrote it",
        meta.value("model", std::string("unknown"))));
  Checkpoint c;
  c.path = path;
  try {
    c.info.seed = meta.at("seed").get<std::uint64_t>();
    c.info.step = meta.at("step").get<std::int64_t>();
    c.info.results_dir = meta.at("results_dir").get<std::string>();
    c.info.partial_dir = meta.at("partial_dir").get<std::string>();
    c.info.cursor.item = meta.at("schedule_item").get<std::size_t>();
    c.info.cursor.end_step = meta.at("run_end_step").get<std::int64_t>();
    c.info.processes = meta.value("processes", 1);
    c.info.process = meta.value("process", 0);
    for (const auto& n : meta.at("snapshots"))
      c.info.cursor.snapshots[n.get<std::string>()] = nullptr;
  } catch (const nlohmann::json::exception&) {
    return fail("the file is damaged (incomplete metadata)");
  }
  if (c.info.cursor.item > m.schedule.size()) return fail("the file is damaged");
  c.body = in.substr(pos, end - pos);
  return c;
}

bool load_checkpoint(const Checkpoint& c, snn::Network& net, const std::string& previous_dir,
                     ScheduleCursor& cursor, Diagnostics& diag) {
  try {
    std::istringstream is(c.body);
    cursor = c.info.cursor;
    auto stored = net.read_checkpoint(is, cursor.snapshots.size(), previous_dir);
    std::size_t k = 0;
    for (auto& [name, snap] : cursor.snapshots)
      snap = stored[k++];
    if (is.peek() != std::char_traits<char>::eof())
      throw snn::CheckpointError("the checkpoint is damaged (data after its end)");
  } catch (const snn::CheckpointError& e) {
    diag.error({}, fmt::format("cannot resume from '{}': {}", c.path, e.what()));
    return false;
  } catch (const snn::OutputError& e) {
    diag.error({}, fmt::format("cannot resume from '{}': the results could not be continued: {}",
                               c.path, e.what()));
    return false;
  }
  return true;
}

} // namespace snnc::driver
