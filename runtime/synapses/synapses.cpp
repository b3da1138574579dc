#include "synapses/synapses.h"

#include "snn/errors.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <stdexcept>

namespace snn {

Synapses::Synapses(const std::vector<SynapseSpec>& specs, const KernelEnv& env, Threads& threads,
                   Groups& groups, double memory_limit)
    : env_(env), groups_(groups), threads_(threads), delivery_(threads),
      memory_limit_(memory_limit) {
  for (const SynapseSpec& y : specs) {
    auto st = std::make_unique<SynapseState>();
    st->spec = &y;
    st->vars.assign(y.variables.size(), {});
    st->var_ptrs.assign(y.variables.size(), nullptr);
    st->queues.resize(y.pathways.size());
    synapses_.push_back(std::move(st));
  }
}

int Synapses::find(const std::string& name) const {
  for (std::size_t s = 0; s < synapses_.size(); ++s)
    if (synapses_[s]->spec->name == name) return static_cast<int>(s);
  return -1;
}

snn_kernel_args Synapses::args(const Kernel& k, const SynapseState& s, int64_t step) const {
  const SynapseSpec& y = *s.spec;
  snn_kernel_args a = kernel_args(env_, k, step);
  a.n = static_cast<int64_t>(s.pre.size());
  a.vars = s.var_ptrs.data();
  a.pre_vars = groups_[static_cast<std::size_t>(y.pre)].var_ptrs.data();
  a.pre_index = s.pre.data();
  a.post_index = s.post.data();
  a.pre_offset = y.pre_start;
  a.n_pre = y.pre_stop - y.pre_start;
  if (y.post_synapses >= 0) { // onto synapses: theirs are the postsynaptic variables
    const SynapseState& t = *synapses_[static_cast<std::size_t>(y.post_synapses)];
    a.post_vars = t.var_ptrs.data();
    a.post_offset = 0;
    a.n_post = static_cast<int64_t>(t.pre.size());
  } else {
    a.post_vars = groups_[static_cast<std::size_t>(y.post)].var_ptrs.data();
    a.post_offset = y.post_start;
    a.n_post = y.post_stop - y.post_start;
  }
  a.global_index = s.total >= 0 ? s.global.data() : nullptr;
  return a;
}

void Synapses::sized(SynapseState& s) {
  for (auto& v : s.vars)
    v.resize(s.pre.size(), 0.0);
  for (std::size_t v = 0; v < s.vars.size(); ++v)
    s.var_ptrs[v] = s.vars[v].data();
  prepared_ = false;
}

double Synapses::bytes_per_synapse(const SynapseState& s) {
  return 8.0 * static_cast<double>(s.vars.size()) + 8 + 8; // see driver/estimate.cpp
}

void Synapses::check_memory(const SynapseState& creating, std::size_t more) const {
  if (memory_limit_ <= 0) return;
  double total = static_cast<double>(more) * bytes_per_synapse(creating);
  for (const auto& sp : synapses_)
    total += static_cast<double>(sp->pre.size()) * bytes_per_synapse(*sp);
  if (total > memory_limit_) {
    char limit[32];
    std::snprintf(limit, sizeof limit, "%.3g GB", memory_limit_ / 1e9);
    throw std::length_error("synapses '" + creating.spec->name + "': creating them would need " +
                            "more than the " + limit +
                            " of memory the run may take (half of the memory available when it "
                            "started); connect fewer pairs (a smaller p, or a condition)");
  }
}

int64_t Synapses::generate(const Kernel& k, const SynapseState& s, int64_t step, int64_t i,
                           bool by_target, std::vector<int32_t>& out) const {
  const SynapseSpec& y = *s.spec;
  snn_kernel_args a = args(k, s, step);
  a.vars = nullptr; // no synapses exist while they are being made
  a.pre_index = a.post_index = nullptr;
  a.n = 0;
  if (by_target) { // the kernel sees the synapses turned around
    std::swap(a.pre_vars, a.post_vars);
    std::swap(a.pre_offset, a.post_offset);
    std::swap(a.n_pre, a.n_post);
  }
  a.nselected = i;
  a.step = i; // random numbers of the pair (i, j): keyed by (i, j)
  // The kernel lists the new synapses; with many per pair (n) the buffer
  // may be too small: it says so (-1) and runs again with a larger one.
  if (out.empty()) out.resize(static_cast<std::size_t>(std::max<int64_t>(a.n_post, 1)) * 4);
  for (;;) {
    a.out = out.data();
    a.nout = static_cast<int64_t>(out.size()); // capacity in, count out
    k.fn(&a);
    if (a.nout >= 0) return a.nout;
    if (a.nout == -3) // Brian2's IndexError
      throw ModelError(
          "synapses '" + y.name + "': for " + (by_target ? "postsynaptic" : "presynaptic") +
              " neuron " + std::to_string(i) + ", the connect generator asks for a sample of " +
              std::to_string(out[0]) + " values of a range of " + std::to_string(out[1]) +
              "; add skip_if_invalid to the connect rule to take the whole range "
              "(and none for a negative size)",
          y.name);
    if (a.nout == -2) {
      const char* made = by_target ? "i" : "j";
      throw ModelError(
          "synapses '" + y.name + "': for " + (by_target ? "postsynaptic" : "presynaptic") +
              " neuron " + std::to_string(i) + ", the connect generator gives " +
              (by_target ? "an i" : "a j") + " outside the " + (by_target ? "source" : "target") +
              " group (0 to " + std::to_string(a.n_post - 1) +
              "); add skip_if_invalid to the connect rule to skip such " + made,
          y.name);
    }
    // At most 2^28 synapses from one neuron (1 GB of indices), or the
    // initial 4 per target neuron.
    const std::size_t most = std::max<std::size_t>(
        std::size_t{1} << 28, 4 * static_cast<std::size_t>(std::max<int64_t>(a.n_post, 1)));
    if (out.size() >= most)
      throw std::length_error("synapses '" + y.name + "': more than " + std::to_string(out.size()) +
                              " synapses from neuron " + std::to_string(i) +
                              " (connect's n too large?)");
    out.resize(std::min(out.size() * 4, most));
  }
}

void Synapses::connect(int syn, const Kernel& k, int64_t step, bool by_target) {
  SynapseState& s = *synapses_.at(static_cast<std::size_t>(syn));
  const SynapseSpec& y = *s.spec;
  // The neurons the kernel runs for (the sources, or by_target the targets),
  // and the two ends of a synapse from one of them to one it lists.
  const int64_t sources = by_target ? args(k, s, step).n_post : y.pre_stop - y.pre_start;
  auto pre_of = [&](int64_t i, int32_t j) {
    return static_cast<int32_t>(y.pre_start + (by_target ? j : i));
  };
  auto post_of = [&](int64_t i, int32_t j) {
    return static_cast<int32_t>(y.post_start + (by_target ? i : j));
  };
  // Neuron i's new synapses, kept in order (after the same checks as one by
  // one: the same synapses, the same errors).
  auto keep_all = [&](int64_t i, const int32_t* js, int64_t count) {
    if (s.pre.size() + static_cast<std::size_t>(count) > 2147483647u)
      throw std::length_error("synapses '" + y.name + "': more than 2^31 synapses");
    if ((i & 255) == 255 || count > 65536) check_memory(s, static_cast<std::size_t>(count));
    for (int64_t c = 0; c < count; ++c)
      keep(s, pre_of(i, js[c]), post_of(i, js[c]));
  };
  const int parts = threads_.pooled() ? threads_.parts_of(sources) : 1;
  if (parts == 1) {
    std::vector<int32_t> out;
    for (int64_t i = 0; i < sources; ++i) {
      int64_t count = generate(k, s, step, i, by_target, out);
      keep_all(i, out.data(), count);
    }
    sized(s);
    return;
  }
  // On the threads: blocks of sources, each cut in parts that the threads
  // make at once (the random numbers of a pair do not depend on who draws
  // them), then kept in order of i on this thread. A part stops at its
  // first error; the error of the least i is the one reported.
  struct Part {
    std::vector<int32_t> out, js;
    std::vector<int64_t> counts; // per source of the part, in order
    std::exception_ptr error;    // at the source after the counted ones
  };
  std::vector<Part> made(static_cast<std::size_t>(parts));
  // Sources per part: few in the first block, then as many as make about
  // kConnectPartSynapses (so that a block's buffers stay small whatever the
  // rule makes per source), at most kConnectSourcesPerPart.
  int64_t per_part = 64, generated = 0;
  for (int64_t b0 = 0, n = 0; b0 < sources; b0 += n) {
    n = std::min(per_part * parts, sources - b0);
    threads_.run(parts, [&](int c) {
      Part& part = made[static_cast<std::size_t>(c)];
      part.js.clear();
      part.counts.clear();
      part.error = nullptr;
      auto [first, last] = Threads::chunk(n, parts, c);
      try {
        for (int64_t i = b0 + first; i < b0 + last; ++i) {
          int64_t count = generate(k, s, step, i, by_target, part.out);
          part.js.insert(part.js.end(), part.out.begin(), part.out.begin() + count);
          part.counts.push_back(count);
        }
      } catch (...) {
        part.error = std::current_exception();
      }
    });
    bool failed = false;
    std::size_t total = 0;
    for (const Part& part : made) {
      total += part.js.size();
      failed = failed || part.error;
    }
    generated += static_cast<int64_t>(total);
    const int64_t each = std::max<int64_t>(1, generated / (b0 + n)); // synapses per source
    per_part = std::clamp<int64_t>(kConnectPartSynapses / each, 1, kConnectSourcesPerPart);
    if (s.total >= 0 || failed || s.pre.size() + total > 2147483647u) {
      // One by one (a process's part keeps some; errors come in order).
      for (int c = 0; c < parts; ++c) {
        Part& part = made[static_cast<std::size_t>(c)];
        int64_t i = b0 + Threads::chunk(n, parts, c).first;
        const int32_t* js = part.js.data();
        for (int64_t count : part.counts) {
          keep_all(i++, js, count);
          js += count;
        }
        if (part.error) std::rethrow_exception(part.error);
      }
      continue;
    }
    // Every synapse kept: each thread copies its part into place.
    check_memory(s, total);
    std::size_t at = s.pre.size();
    s.pre.resize(at + total);
    s.post.resize(at + total);
    std::vector<std::size_t> offsets;
    for (const Part& part : made) {
      offsets.push_back(at);
      at += part.js.size();
    }
    threads_.run(parts, [&](int c) {
      const Part& part = made[static_cast<std::size_t>(c)];
      std::size_t o = offsets[static_cast<std::size_t>(c)];
      int64_t i = b0 + Threads::chunk(n, parts, c).first;
      const int32_t* js = part.js.data();
      for (int64_t count : part.counts) {
        for (int64_t e = 0; e < count; ++e) {
          s.pre[o + static_cast<std::size_t>(e)] = pre_of(i, js[e]);
          s.post[o + static_cast<std::size_t>(e)] = post_of(i, js[e]);
        }
        ++i;
        o += static_cast<std::size_t>(count);
        js += count;
      }
    });
  }
  sized(s);
}

void Synapses::add(int syn, const std::vector<int32_t>& pre, const std::vector<int32_t>& post) {
  SynapseState& s = *synapses_.at(static_cast<std::size_t>(syn));
  check_memory(s, pre.size());
  const SynapseSpec& y = *s.spec;
  if (y.post_synapses >= 0) { // onto synapses: their number is known only now
    const SynapseState& t = *synapses_[static_cast<std::size_t>(y.post_synapses)];
    for (int32_t j : post)
      if (j >= static_cast<int64_t>(t.pre.size()))
        throw ModelError("synapses '" + y.name + "': j = " + std::to_string(j) +
                             " is not a synapse of '" + t.spec->name + "', which has " +
                             std::to_string(t.pre.size()),
                         y.name);
  }
  for (std::size_t k = 0; k < pre.size(); ++k)
    keep(s, static_cast<int32_t>(y.pre_start + pre[k]),
         static_cast<int32_t>(y.post_start + post[k]));
  sized(s);
}

uint32_t Synapses::global_number(const SynapseState& s, int64_t number) {
  if (number >= static_cast<int64_t>(UINT32_MAX)) // at most UINT32_MAX synapses
    throw std::length_error("synapses '" + s.spec->name + "': more than " +
                            std::to_string(UINT32_MAX) +
                            " synapses in one synapses object cannot be spread over processes "
                            "(their numbers are 32 bits); split them into several objects");
  return static_cast<uint32_t>(number);
}

void Synapses::keep_local() {
  for (auto& sp : synapses_) {
    SynapseState& s = *sp;
    if (s.total >= 0) continue; // already
    refuse_spread(s);
    const GroupState& target = groups_[static_cast<std::size_t>(s.spec->post)];
    s.post_lo = target.lo;
    s.post_hi = target.hi;
    const auto n = static_cast<int64_t>(s.pre.size());
    s.total = n;
    s.global.clear();
    std::size_t kept = 0;
    for (int64_t k = 0; k < n; ++k) {
      int32_t post = s.post[static_cast<std::size_t>(k)];
      if (post < s.post_lo || post >= s.post_hi) continue;
      s.global.push_back(global_number(s, k));
      s.pre[kept] = s.pre[static_cast<std::size_t>(k)];
      s.post[kept] = post;
      for (auto& v : s.vars)
        v[kept] = v[static_cast<std::size_t>(k)];
      ++kept;
    }
    s.pre.resize(kept);
    s.post.resize(kept);
    s.pre.shrink_to_fit();
    s.post.shrink_to_fit();
    for (auto& v : s.vars) {
      v.resize(kept);
      v.shrink_to_fit();
    }
    for (std::size_t v = 0; v < s.vars.size(); ++v)
      s.var_ptrs[v] = s.vars[v].data();
  }
  prepared_ = false;
}

void Synapses::start_parts() {
  for (auto& sp : synapses_) {
    SynapseState& s = *sp;
    if (s.total >= 0 || !s.pre.empty()) continue; // keep_local filters those
    refuse_spread(s);
    const GroupState& target = groups_[static_cast<std::size_t>(s.spec->post)];
    s.post_lo = target.lo;
    s.post_hi = target.hi;
    s.total = 0;
  }
  keep_local();
}

void Synapses::refuse_spread(const SynapseState& s) {
  if (s.spec->post_synapses >= 0)
    throw ModelError("synapses '" + s.spec->name +
                         "' target synapses, which a network spread over processes does not "
                         "support yet",
                     s.spec->name);
}

void Synapses::keep(SynapseState& s, int32_t pre, int32_t post) {
  if (s.total >= 0) { // a process's part
    int64_t number = s.total++;
    if (post < s.post_lo || post >= s.post_hi) return;
    s.global.push_back(global_number(s, number));
  }
  s.pre.push_back(pre);
  s.post.push_back(post);
}

void Synapses::apply(int syn, const Kernel& k, int64_t step) {
  call(k, *synapses_.at(static_cast<std::size_t>(syn)), step);
}

void Synapses::call(const Kernel& k, SynapseState& s, int64_t step) {
  snn_kernel_args a = args(k, s, step);
  k.fn(&a);
}

Values& Synapses::variable(int syn, const std::string& var) {
  SynapseState& s = *synapses_.at(static_cast<std::size_t>(syn));
  const auto& names = s.spec->variables;
  auto it = std::find(names.begin(), names.end(), var);
  if (it == names.end())
    throw std::out_of_range("synapses '" + s.spec->name + "' have no variable '" + var + "'");
  auto slot = static_cast<int>(it - names.begin());
  for (const PathwaySpec& p : s.spec->pathways)
    if (slot == p.delay_slot)
      prepared_ = false, delays_handed_out_ = true; // the caller may change delays
  return s.vars[static_cast<std::size_t>(slot)];
}

void Synapses::prepare() {
  if (prepared_) return;
  for (auto& sp : synapses_) {
    SynapseState& s = *sp;
    const SynapseSpec& y = *s.spec;
    for (std::size_t k = 0; k < y.pathways.size(); ++k) {
      const PathwaySpec& p = y.pathways[k];
      const Values* delays =
          p.delay_slot >= 0 ? &s.vars[static_cast<std::size_t>(p.delay_slot)] : nullptr;
      s.queues[k].build(p.pre ? s.pre : s.post, p.pre ? y.pre_start : y.post_start,
                        p.pre ? y.pre_stop : y.post_stop, p, delays, env_.dt, y.name);
    }
  }
  prepared_ = true;
}

void Synapses::check_delays() {
  if (!delays_handed_out_ || !prepared_) return;
  for (auto& sp : synapses_) {
    SynapseState& s = *sp;
    const SynapseSpec& y = *s.spec;
    for (std::size_t k = 0; k < y.pathways.size(); ++k) {
      const PathwaySpec& p = y.pathways[k];
      if (p.delay_slot < 0) continue;
      if (!s.queues[k].same_delays(s.vars[static_cast<std::size_t>(p.delay_slot)], env_.dt, y.name))
        prepared_ = false;
    }
  }
}

void Synapses::hold(int64_t step) {
  for (auto& sp : synapses_)
    if (sp->spec->hold) call(sp->spec->hold, *sp, step);
}

void Synapses::observe(int64_t step) {
  for (auto& sp : synapses_)
    if (sp->spec->observe) call(sp->spec->observe, *sp, step);
}

void Synapses::sum(const std::vector<int>& order, int64_t step) {
  // Summed variables are written before the groups that read them update.
  for (int si : order) {
    SynapseState& s = *synapses_[static_cast<std::size_t>(si)];
    const SynapseSpec& y = *s.spec;
    if (!y.summed) continue;
    GroupState& tgt = groups_[static_cast<std::size_t>(y.post)];
    for (int slot : y.summed_targets)
      std::fill(tgt.vars[static_cast<std::size_t>(slot)].begin() + y.post_start,
                tgt.vars[static_cast<std::size_t>(slot)].begin() + y.post_stop, 0.0);
    call(y.summed, s, step);
  }
}

void Synapses::update(int syn, int64_t step) {
  SynapseState& s = *synapses_[static_cast<std::size_t>(syn)];
  if (s.spec->update) call(s.spec->update, s, step);
}

void Synapses::propagate(SynapseState& s, int p, const SpikeList& source, int64_t step) {
  queue(s, p, source, 0);
  deliver_due(s, p, step);
}

void Synapses::queue(SynapseState& s, int p, const SpikeList& src, int64_t age) {
  const SynapseSpec& y = *s.spec;
  const bool pre = y.pathways[static_cast<std::size_t>(p)].pre;
  SpikeQueue& q = s.queues[static_cast<std::size_t>(p)];
  q.push(src.index, src.n, pre ? y.pre_start : y.post_start, pre ? y.pre_stop : y.post_stop, age);
}

void Synapses::deliver_due(SynapseState& s, int p, int64_t step) {
  const SynapseSpec& y = *s.spec;
  const PathwaySpec& pathway = y.pathways[static_cast<std::size_t>(p)];
  SpikeQueue& q = s.queues[static_cast<std::size_t>(p)];
  if (!q.due().empty())
    delivery_.deliver(pathway.kernel, args(pathway.kernel, s, step), y, s.pre, s.post, q,
                      pathway.pre, s.post_lo, s.post_hi);
  q.advance();
}

int64_t Synapses::min_pre_delay() const {
  int64_t d = INT64_MAX;
  for (const auto& sp : synapses_)
    for (std::size_t k = 0; k < sp->spec->pathways.size(); ++k)
      if (sp->spec->pathways[k].pre) d = std::min(d, sp->queues[k].min_delay());
  return d;
}

} // namespace snn
