// Name lookup in the scope of one expression: which object it belongs to
// (a group, or synapses with their pre- and postsynaptic groups) and what is
// allowed there. Shared by resolve_names (binding) and check_units (types).
//
// Order, as in Brian2: the object's variables, built-ins, `x_pre`/`x_post`,
// then (in synapses) the postsynaptic group's variables by bare name, the
// object's constants, global constants, pi/e, and finally units.
#pragma once

#include "ir/ir.h"
#include "passes/analyze.h"

#include <optional>
#include <string>
#include <vector>

namespace snnc::passes {

struct Scope {
  const ir::Model* model = nullptr;
  const ir::Group* group = nullptr;  // a group's own expression
  const ir::Synapses* syn = nullptr; // a synapse expression
  const ir::Group* pre = nullptr;    // for synapses
  const ir::Group* post = nullptr;   // for synapses
  // ... or, for synapses onto synapses, the target synapses: `x_post` (and a
  // bare `x`) is that synapse's variable, `N_post` their number.
  const ir::Synapses* post_syn = nullptr;
  bool noise = false;             // xi allowed (right side of a differential equation)
  bool synaptic_variables = true; // false in connect conditions
  std::string generator_var;      // a connect generator's `k`: an integer there

  // Whether both sides of synapses were found (resolve_names reports what was not).
  bool sides() const { return pre && (post || post_syn); }
  const std::string& post_name() const { return post ? post->name : post_syn->name; }
  const std::vector<ir::Variable>& post_variables() const {
    return post ? post->variables : post_syn->variables;
  }
};

struct Binding {
  ir::NameRef ref = ir::NameRef::unresolved;
  ir::Side side = ir::Side::own;
  std::string target;
  Typed type;
  const ir::Variable* variable = nullptr;
  const ir::Constant* constant = nullptr; // a named constant's definition
};

// The binding of `name`, or nullopt if it is unknown here.
std::optional<Binding> lookup(const Scope& s, const std::string& name);

// Why `name` is unknown, with a suggestion: "unknown identifier 'tau_m' (did
// you mean 'taum'?)" or "'v_post' is not a variable of group 'hidden'".
std::string unknown_message(const Scope& s, const std::string& name);

// Scopes of the model's objects.
Scope group_scope(const ir::Model& m, const ir::Group& g);
Scope synapse_scope(const ir::Model& m, const ir::Synapses& s);

} // namespace snnc::passes
