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

// `target = value`, written only where `condition` holds (if set).
struct Assign {
  std::string target;
  bool temporary = false;
  ir::ExprPtr value;
  ir::ExprPtr condition;
};

enum class KernelKind {
  update,     // every element, every step
  threshold,  // every element; fills the spike list, then `on_spike` for spikers
  reset,      // the elements in the spike list
  statements, // every element, once (init, events, statements between runs)
};
const char* to_string(KernelKind k);

struct Kernel {
  std::string name;   // unique in the module: "P_update"
  KernelKind kind = KernelKind::update;
  std::string object; // the group
  std::vector<std::string> variables;  // the object's state, by slot
  std::vector<std::string> timed;      // timed arrays by slot (model-wide)
  std::vector<Assign> body;
  ir::ExprPtr condition;               // threshold
  std::vector<Assign> on_spike;        // threshold
  std::uint64_t stream = 0;            // random stream id
};

// Readable text of a kernel, for `snnc ir --kernels` and golden tests.
std::string to_string(const Kernel& k);

} // namespace snnc::kir
