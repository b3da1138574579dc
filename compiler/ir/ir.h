// The IR: a whole network with its run schedule, templates instantiated,
// imports followed. Every node has a SourceLoc. Produced by lower(); the
// passes in compiler/passes fill in folded constants, resolved names and
// dimensions. Printed canonically by print_ir() and as JSON by ir_to_json().
#pragma once

#include "ir/expr.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace snnc::ir {

// A named compile-time constant: folded to a value with a dimension.
struct Constant {
  std::string name;
  SourceLoc loc;
  ExprPtr expr;
  bool overridden = false; // set by an instance argument or --set
  // Filled by fold_constants.
  bool folded = false;
  double value = 0;
  Dimension dim;
  ValueType type = ValueType::float_;
  // Declared after this many schedule items (promote_constants).
  std::size_t schedule_item = 0;
};

enum class Flag {
  unless_refractory,
  event_driven,
  clock_driven,
  constant,
  constant_over_dt,
  shared,
  summed,
  linked // a parameter that is another group's variable (`link:`)
};
const char* to_string(Flag f);
std::optional<Flag> flag_from_string(const std::string& s);
std::vector<std::string> flag_names();

enum class VarKind { differential, subexpression, parameter };
const char* to_string(VarKind k);

// One equation line: `dx/dt = ...`, `x = ...` or `x : unit`.
struct Variable {
  VarKind kind = VarKind::parameter;
  std::string name;
  SourceLoc loc;
  ExprPtr rhs;       // null for parameters
  ExprPtr unit_expr; // as written after ':'
  std::vector<Flag> flags;
  std::vector<SourceLoc> flag_locs;
  // Filled by fold_constants (from unit_expr).
  Dimension dim;
  ValueType type = ValueType::float_; // `: boolean` and `: integer` set the others
  bool has(Flag f) const;
};

enum class Method { automatic, exact, euler, rk2, rk4, heun, milstein, exponential_euler };
const char* to_string(Method m);
std::optional<Method> method_from_string(const std::string& s);
std::vector<std::string> method_names();

// A group or a contiguous part of it: `P` or `P[0:3200]`.
struct GroupSlice {
  std::string group;
  SourceLoc loc;
  ExprPtr start_expr, stop_expr; // null unless sliced
  // Filled by fold_constants.
  std::int64_t start = 0, stop = 0;
  bool sliced() const { return start_expr != nullptr; }
};

enum class GroupKind { neurons, poisson, spikes };
const char* to_string(GroupKind k);

// A custom event of a neuron group (Brian2's events={'burst': 'v > 3*mV'}):
// its condition is checked for every neuron after the spike thresholds
// (Brian2's slot after_thresholds; refractoriness does not hold it back); its
// statements (`on_event NAME:`,
// Brian2's run_on_event) run for the neurons it selects after the resets.
// Synapses (`on_pre NAME on EVENT:`) and event monitors may follow it.
struct GroupEvent {
  std::string name;
  SourceLoc loc;
  ExprPtr condition;
  std::vector<Statement> statements; // may be empty
};

// `link: I = inp.x` (Brian2's G.I = linked_var(inp, 'x')): the group's
// parameter I, flagged (linked), is the variable x of group inp, read where
// it is, neuron by neuron if the groups have one size, else (inp of one
// neuron) inp's only value for every neuron.
struct Link {
  std::string var;
  SourceLoc loc;
  std::string group, source; // the variable `source` of `group`
  SourceLoc group_loc, source_loc;
  // Brian2's linked_var(..., index=...): neuron n reads `source` of neuron
  // index_var[n]; index_var is an integer parameter of this group named as
  // the index (Brian2's index='name', read when used), or a hidden one set
  // at init from the index expression (Brian2's index array).
  ExprPtr index;
  std::string index_var;
};

// A neuron group, a Poisson group (rates become the subexpression `rates`,
// threshold `rand() < rates*dt`) or a spike generator.
struct Group {
  GroupKind kind = GroupKind::neurons;
  std::string name;
  SourceLoc loc;
  std::string template_name; // "" if defined inline
  ExprPtr size_expr;
  std::int64_t size = 0; // filled by fold_constants
  std::vector<Constant> constants;
  std::vector<Variable> variables;
  ExprPtr threshold;
  std::vector<Statement> reset;
  ExprPtr refractory; // null: not refractory
  Method method = Method::automatic;
  bool method_chosen = false; // chosen by snnc (as Brian2 would), not given
  SourceLoc method_loc;
  std::vector<Statement> init;
  std::size_t schedule_item = 0;  // declared after this many schedule items
  std::vector<GroupEvent> events; // custom events, in the order written
  std::vector<Link> links;        // of its (linked) parameters

  // Spike generators.
  ExprPtr indices_expr, times_expr, period_expr;
  std::string load_path; // (index, time) pairs, resolved against the model file
  SourceLoc load_loc;
  std::vector<std::int64_t> indices; // filled by fold_constants
  std::vector<double> times;         // seconds
  double period = 0;                 // seconds, 0 = no period

  const Variable* find_variable(const std::string& n) const;
  const Constant* find_constant(const std::string& n) const;
  const GroupEvent* find_event(const std::string& n) const;
  const Link* find_link(const std::string& var) const;
};

struct Connect {
  bool present = false;
  SourceLoc loc;
  bool all = false;
  bool one_to_one = false;
  ExprPtr condition;                            // conditions combined with `and`
  ExprPtr p;                                    // probability
  ExprPtr n;                                    // synapses per pair
  ExprPtr i, j;                                 // explicit index lists
  std::vector<std::int64_t> i_values, j_values; // filled by fold_constants
  std::vector<std::int32_t> pairs_i, pairs_j;   // filled by load_data from load(...)
  std::string load_path;
  SourceLoc load_loc;
  // Brian2's generator syntax, `j = gen_j for gen_var in range(gen_range) if
  // condition`: for each i, one synapse (or n) to j for each value of
  // gen_var. Without `for`, one value (Brian2's `j = i`). With gen_i,
  // Brian2's connect(i='...'): for each j in turn, i = gen_j.
  ExprPtr gen_j;
  bool gen_i = false;
  std::string gen_var; // "" without `for`
  SourceLoc gen_loc;
  std::vector<ExprPtr> gen_range; // low, high, step (low and step may be null)
  ExprPtr gen_size; // sample(..., size = n): n distinct values of the range, in its order
  bool skip_if_invalid = false; // a j outside the target group is skipped, not an error
};

// A synaptic pathway (Brian2's SynapticPathway): statements run for each
// synapse of a presynaptic (pre) or postsynaptic spike, after a delay. The
// pathway 'pre' is `on_pre:`, 'post' is `on_post:`; others are named
// (`on_pre up:`). A per-synapse delay is the synapses' variable
// delay_variable().
struct Pathway {
  std::string name;
  bool pre = true;
  SourceLoc loc;
  std::vector<Statement> statements;
  ExprPtr delay;               // null: no delay
  std::string event = "spike"; // its sources' event: their spikes, or a custom event
  SourceLoc event_loc;

  // "delay" for 'pre' (Brian2's S.delay), "delay_post" for 'post', else "delay_" + name.
  std::string delay_variable() const;
  // The block as written: "on_pre", "on_post", or "on_pre NAME" / "on_post
  // NAME", then " on EVENT" for a custom event.
  std::string block() const;
};

struct Synapses {
  std::string name;
  SourceLoc loc;
  std::string template_name;
  GroupSlice source, target;
  std::vector<Constant> constants;
  std::vector<Variable> variables;
  std::vector<Pathway> pathways; // in the order written
  Connect connect;
  Method method = Method::automatic;
  SourceLoc method_loc;
  std::vector<Statement> init;
  std::string multisynaptic_index; // Brian2's: a variable numbering each pair's synapses
  std::size_t schedule_item = 0;   // declared after this many schedule items

  const Variable* find_variable(const std::string& n) const;
  const Constant* find_constant(const std::string& n) const;
  const Pathway* find_pathway(const std::string& n) const;
};

struct TimedArray {
  std::string name;
  SourceLoc loc;
  ExprPtr values_expr; // inline values (a list or list of lists, maybe times a unit)
  std::string load_path;
  SourceLoc load_loc;
  ExprPtr load_unit; // load(...)*mV: 1*mV (the loaded numbers are scaled by it)
  double load_scale = 1;
  ExprPtr dt_expr;
  // Filled by fold_constants.
  std::vector<double> values;      // SI, row-major (time, index)
  std::int64_t rows = 0, cols = 0; // cols == 0: 1-D
  double dt = 0;                   // seconds
  Dimension dim;
  // Values from data in a statement (passes/lift_arrays): one row, a column
  // per neuron the statement reaches, read as NAME(t, i).
  bool statement_values = false;
  // ... of a synapses statement: a column per synapse of this object, read
  // as NAME(t, _syn) (the synapse's index); the count is checked at run time.
  std::string per_synapse_of;
  // ... or, loaded from a 2-D file, a (pre, post) matrix of that synapses
  // object: a row per presynaptic, a column per postsynaptic neuron, read as
  // NAME(i*second, j) (load_data; per_synapse_of is then empty).
  std::string matrix_of;
};

enum class MonitorKind { spikes, state, rate };
const char* to_string(MonitorKind k);

struct Monitor {
  MonitorKind kind = MonitorKind::spikes;
  std::string name;
  SourceLoc loc;
  std::string object; // group or synapses
  SourceLoc object_loc;
  ExprPtr start_expr, stop_expr; // optional slice of a group
  std::vector<std::string> variables;
  std::vector<SourceLoc> variable_locs;
  ExprPtr record_expr; // state: indices; null or `all`/True records everything
  ExprPtr dt_expr;     // state: sampling interval
  ExprPtr bin_expr;    // rate: bin width
  bool counts_only = false;
  bool float32 = false;
  // spikes: the group's event it records, "spike" or a custom event (an
  // event monitor, `monitor events M = G.burst`).
  std::string event = "spike";
  SourceLoc event_loc;
  // state: where in the step it records, Brian2's `when`: start (the
  // default), groups, thresholds, resets, end or Brian2's before_/after_
  // slots (but before_start), as written.
  std::string when = "start";
  // Filled by fold_constants.
  std::int64_t start = 0, stop = 0;
  bool record_all = true;
  std::vector<std::int64_t> record;
  double dt = 0;  // seconds; 0 = every step
  double bin = 0; // seconds
  // Declared after this many schedule items (0: before any): as a Brian2
  // monitor created between runs, it records from the point where the
  // schedule reaches it, not from t = 0.
  std::size_t schedule_item = 0;
};

// Brian2's PoissonInput: every step, in the synapses slot (after the on_pre
// pathways, before the on_post ones), each neuron of the group (or of its
// part) gets `var += binomial(N, rate*dt)*(weight)`, a write that waits
// while the neuron is refractory if `var` is `(unless refractory)`.
struct PoissonInput {
  std::string name;
  SourceLoc loc;
  ExprPtr n_expr, rate_expr, weight_expr;
  // Built by lower: `P[a:b].var += binomial(N, rate*dt)*(weight)`.
  Statement statement;
  // Filled by fold_constants.
  std::int64_t n = 0;
  double rate = 0; // hertz
};

enum class EventKind { at, every };

struct Event {
  EventKind kind = EventKind::at;
  SourceLoc loc;
  ExprPtr time_expr; // at: time; every: period
  ExprPtr from_expr, until_expr;
  std::vector<Statement> statements;
  // Filled by fold_constants (seconds).
  double time = 0, from = 0, until = -1; // until < 0: forever
};

// The schedule after the declarations: `run T` and statements between runs.
// A statement with no object names a constant of the file: it changes the
// constant from there on (fold_constants folds the new value into a hidden
// constant; promote_constants turns it into statements on the objects).
struct ScheduleItem {
  enum class Kind { run, statement, store, restore };
  Kind kind = Kind::run;
  SourceLoc loc;
  ExprPtr duration_expr;
  double duration = 0; // seconds, filled by fold_constants
  Statement statement;
  std::string snapshot; // store / restore: the snapshot's name
};

struct Template {
  std::string name;
  std::string kind; // neuron | synapse
  std::string base;
  SourceLoc loc;
};

struct Model {
  std::string path; // the main model file
  std::vector<std::string> imports;
  ExprPtr dt_expr;
  SourceLoc dt_loc;
  double dt = 1e-4; // seconds
  ExprPtr seed_expr;
  std::int64_t seed = 0;
  bool seed_set = false;
  std::vector<Constant> constants;
  std::vector<Template> templates;
  std::vector<Group> groups;
  std::vector<Synapses> synapses;
  std::vector<TimedArray> timed;
  std::vector<Monitor> monitors;
  std::vector<Event> events;
  std::vector<PoissonInput> poisson_inputs;
  std::vector<ScheduleItem> schedule;

  const Group* find_group(const std::string& n) const;
  const Synapses* find_synapses(const std::string& n) const;
  // The target of `y` when it is a synapses object (Brian2's Synapses onto
  // Synapses, Izhikevich 2007's reward synapses writing d_post of STDP
  // synapses), else null: a target is a group if there is one of its name.
  const Synapses* target_synapses(const Synapses& y) const;
  const TimedArray* find_timed(const std::string& n) const;
  const Constant* find_constant(const std::string& n) const;
  // Every object name (groups, synapses, timed arrays, monitors).
  std::vector<std::string> object_names() const;
};

} // namespace snnc::ir
