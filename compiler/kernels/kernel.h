// Kernel IR: what one compiled function does to one object, element by
// element, after integration. Expressions refer only to the object's state
// variables (NameRef::variable, by name; the slot is its index in
// `variables`), kernel temporaries (NameRef::builtin with a leading '_'),
// the built-ins t, dt, i, N, numbers, and calls (math, rand(), randn(),
// timed arrays). Subexpressions are inlined and constants folded.
#pragma once

#include "ir/expr.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snnc::kir {

// `target = value`, written only where `condition` holds (if set). In
// synapse kernels `side` says whose variable the target is.
struct Assign {
  std::string target;
  bool temporary = false;
  ir::ExprPtr value;
  ir::ExprPtr condition;
  ir::Side side = ir::Side::own;
  // The target is a shared variable: the value is the same for every
  // element (its random numbers drawn at one fixed element), as Brian2
  // computes it once, in its scalar code.
  bool scalar = false;
};

enum class KernelKind {
  update,     // every element, every step
  threshold,  // every element; fills the spike list, then `on_spike` for spikers
  step,       // a group's update and threshold in one loop: per element, the update's
              // body, then its threshold's condition (random numbers of the
              // threshold's stream, `condition_stream`), spikes as a threshold's
  reset,      // the elements in the spike list
  statements, // every element, once (init, events, statements between runs)
  // Synapse kernels: names with side pre/post read the pre-/postsynaptic
  // neuron's variables; i and j are the pre- and postsynaptic indices.
  syn_all,      // every synapse (init, delays, clock-driven update, summed variables)
  syn_selected, // the synapses given (on_pre, on_post)
  syn_connect,  // one presynaptic neuron, every postsynaptic one: lists the new synapses
};
const char* to_string(KernelKind k);

struct Kernel {
  std::string name; // unique in the module: "P_update"
  KernelKind kind = KernelKind::update;
  std::string object;                 // the group
  std::vector<std::string> variables; // the object's state, by slot
  std::vector<std::string> timed;     // timed arrays by slot (model-wide)
  std::vector<Assign> body;
  ir::ExprPtr condition;            // threshold; connect: the condition
  std::vector<Assign> on_spike;     // threshold
  ir::ExprPtr connect_p, connect_n; // connect: probability and multiplicity
  bool skip_ahead = false;          // connect: nothing depends on j, so jump geometrically
  // connect with a generator: for k (the builtin `_k`) in range(gen_low,
  // gen_high, gen_step), j = gen_j; a j outside the target group is skipped
  // (skip_invalid) or an error (the kernel's count is -2).
  ir::ExprPtr gen_j, gen_low, gen_high, gen_step;
  // sample(..., size = gen_size): the k are gen_size distinct values of the
  // range, in its order (snn_sample); a size outside 0 to the range's length
  // is skipped or clipped (skip_invalid) or an error (the count is -3, out[0]
  // the size and out[1] the length).
  ir::ExprPtr gen_size;
  bool skip_invalid = false;
  // connect: Brian2's generator over i (connect(i='...')), as the generator
  // over j of the synapses turned around: i and j, N_pre and N_post and the
  // two sides' variables are swapped in the kernel, which is called for each
  // postsynaptic neuron and lists presynaptic ones.
  bool by_target = false;
  bool condition_uses_j = false; // checked only where j is valid
                                 // from one created synapse to the next (Brian2's
                                 // method): cost O(synapses), not O(N_post)
  std::vector<std::string> pre_variables, post_variables; // synapse kernels
  std::uint64_t stream = 0;                               // random stream id
  std::uint64_t condition_stream = 0;                     // step: the threshold's
  // on_pre/on_post: the side whose neurons the synapses may be split by
  // over threads (each thread the synapses of its part of those neurons),
  // giving the bits of one thread; own: not splittable.
  ir::Side split = ir::Side::own;
  std::vector<std::string> source; // the model's text it implements (for comments)
  // Group kernels: variables (linked to a group of one neuron) read at
  // element 0 whatever the element.
  std::vector<std::string> broadcast;
  // Group kernels: variables (linked with an index, Brian2's linked_var(...,
  // index=...)) read at the element the second variable gives.
  std::vector<std::pair<std::string, std::string>> gathered;
};

// The side an on_pre/on_post kernel can be split by (see Kernel::split):
// post if it writes no presynaptic variable and, when both sides are the same
// group, reads none on the presynaptic side that it writes on the other; pre
// likewise; own if neither.
ir::Side split_side(const Kernel& k, bool same_group);

// Calls f on each expression of a kernel (values and conditions of its
// assignments, its condition, connect probability and multiplicity), null
// ones included.
template <class F> void each_expression(const Kernel& k, const F& f) {
  for (const auto* list : {&k.body, &k.on_spike})
    for (const Assign& a : *list) {
      f(a.value);
      f(a.condition);
    }
  f(k.condition);
  f(k.connect_p);
  f(k.connect_n);
  f(k.gen_j);
  f(k.gen_low);
  f(k.gen_high);
  f(k.gen_step);
  f(k.gen_size);
}

// Whether a synapse kernel reads a variable of the neurons on `side`.
bool reads_side(const Kernel& k, ir::Side side);

// Readable text of a kernel, for `snnc ir --kernels` and golden tests.
std::string to_string(const Kernel& k);

// Equal for kernels that compile to the same function: the same kind, state
// layout and code, whatever their name and object (structurally identical
// groups and pathways, as the X/O study's three Izhikevich groups). A step
// kernel's threshold stream counts only if its condition draws random
// numbers (other streams are run-time arguments). The backends compile one
// kernel per key and serve the others with it.
std::string structure_key(const Kernel& k);
// For each kernel, the index of the first one with its structure_key (its
// own index if none comes before it): the one whose code serves it.
std::vector<std::size_t> shared_code(const std::vector<Kernel>& kernels);

} // namespace snnc::kir
