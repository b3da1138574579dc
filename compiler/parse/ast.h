// The syntax tree of one model file, as written: declarations in file order,
// template bodies unresolved, imports not followed. Produced by parse_file(),
// consumed by lower(). Expressions are already IR expressions (ir/expr.h);
// the declaration structure is what lowering turns into the IR proper.
// No Spirit types appear here.
#pragma once

#include "diag/source.h"
#include "ir/expr.h"

#include <optional>
#include <string>
#include <vector>

namespace snnc::ast {

using ir::ExprPtr;
using ir::Statement;

struct Ident {
  std::string name;
  SourceLoc loc;
};

struct KeywordArg {
  Ident key;
  ExprPtr value;
};

// `load("file.npy", dt = 1*ms)`: data read from a file, relative to the model file.
struct Load {
  std::string path;
  SourceLoc loc;
  std::vector<KeywordArg> options;
};

// Positional and keyword arguments of a call-like declaration.
struct Args {
  std::vector<ExprPtr> positional;
  std::vector<KeywordArg> keywords;
  std::optional<Load> load; // a `load(...)` among the positional arguments
};

struct Equation {
  enum class Kind { differential, subexpression, parameter };
  Kind kind = Kind::parameter;
  SourceLoc loc;
  Ident var;
  ExprPtr rhs;              // null for parameters
  ExprPtr unit;             // the unit after ':' as an expression (`1`, `volt/second`)
  std::vector<Ident> flags; // as written, normalised spacing: "unless refractory"
};

struct Const {
  SourceLoc loc;
  Ident name;
  ExprPtr value;
};

// `P` or `P[0:3200]`.
struct GroupRef {
  Ident group;
  ExprPtr start, stop; // both null unless sliced
  SourceLoc loc;
};

// One item of a `connect:` line: `all`, `one_to_one`, `p = e`, `n = e`,
// `i = [...]`, `j = [...]`, `load("f")`, or a condition.
// `j = e [for k in range(...)] [if c]` is a keyword `j` with its generator.
struct ConnectItem {
  enum class Kind { all, one_to_one, skip_if_invalid, keyword, load, condition };
  Kind kind = Kind::condition;
  SourceLoc loc;
  Ident key;                     // keyword
  ExprPtr value;                 // keyword value or condition
  Load load;                     // load
  Ident gen_var, gen_fn;         // `for k in range(...)`: k and range
  std::vector<ExprPtr> gen_args; // range's arguments
  std::vector<KeywordArg> gen_keywords;
  ExprPtr gen_if;    // `if c`
  SourceLoc gen_loc; // of `for` or `if`
};

// A synaptic pathway's statements: `on_pre:` (the pathway 'pre'),
// `on_post:` ('post'), or a named one, `on_pre up:` (Brian2's
// on_pre={'up': ...}).
struct PathwayBlock {
  Ident name;
  bool pre = true; // run at the presynaptic neurons' spikes, else the postsynaptic ones'
  std::vector<Statement> statements;
  Ident event; // `on_pre NAME on EVENT:`: its sources' custom event (empty: their spikes)
};

// A custom event of a group: a line `NAME: condition` of its `events:` block.
struct EventCondition {
  Ident name;
  ExprPtr condition;
};

// A line `VAR = GROUP.SOURCE` of a `link:` block, or `VAR =
// GROUP.SOURCE[INDEX]` (Brian2's linked_var(..., index=...)).
struct LinkLine {
  Ident var, group, source;
  ir::ExprPtr index; // null without [INDEX]
};

// `on_event NAME:`: statements run for the neurons of the event NAME
// (Brian2's run_on_event).
struct OnEventBlock {
  Ident event;
  std::vector<Statement> statements;
};

// A pathway's delay: `delay:` ('pre'), `delay_post:` ('post'), `delay up:`.
struct DelayBlock {
  Ident pathway;
  ExprPtr value;
};

// The body shared by templates and inline objects: every block is optional.
struct Body {
  SourceLoc loc;
  std::vector<Equation> equations;
  bool has_equations = false;
  SourceLoc equations_loc;
  std::vector<Const> consts;
  std::optional<ExprPtr> threshold;
  std::optional<std::vector<Statement>> reset;
  std::optional<ExprPtr> refractory;
  std::optional<Ident> method;
  std::optional<Ident> multisynaptic_index; // synapses: the variable numbering a pair's synapses
  std::optional<std::vector<Statement>> init;
  std::vector<PathwayBlock> pathways; // in the order written
  std::optional<std::vector<ConnectItem>> connect;
  SourceLoc connect_loc;
  std::vector<DelayBlock> delays;
  std::vector<EventCondition> events; // in the order written
  SourceLoc events_loc;
  std::vector<OnEventBlock> on_events;
  std::vector<LinkLine> links;
};

struct Template {
  enum class Kind { neuron, synapse };
  Kind kind = Kind::neuron;
  SourceLoc loc;
  Ident name;
  std::optional<Ident> base;
  Body body;
};

// `neurons name = T(args)[:]` or `neurons name(size):` + body.
struct Neurons {
  SourceLoc loc;
  Ident name;
  std::optional<Ident> template_name;
  Args args;    // for an instance: size first, then overrides
  ExprPtr size; // for an inline group
  Body body;    // inline definition, or additions to an instance
};

struct Synapses {
  SourceLoc loc;
  Ident name;
  std::optional<Ident> template_name;
  GroupRef source, target;
  std::vector<KeywordArg> overrides;
  Body body;
};

struct Poisson {
  SourceLoc loc;
  Ident name;
  Args args; // size, rates = ...
};

struct Spikes {
  SourceLoc loc;
  Ident name;
  Args args; // size, then indices = ..., times = ..., period = ... or load(...)
};

struct Timed {
  SourceLoc loc;
  Ident name;
  ExprPtr values; // inline: a list (of lists), possibly times a unit
  std::optional<Load> load;
  ExprPtr load_unit; // load(...)*mV: 1*mV
  Args args;         // dt = ...
};

// `g.v`, `S.w` or a bare group name.
struct MonitorTarget {
  Ident object;
  std::optional<Ident> var;
  ExprPtr start, stop; // optional subgroup slice
  SourceLoc loc;
};

struct Monitor {
  enum class Kind { spikes, state, rate, events };
  Kind kind = Kind::spikes;
  SourceLoc loc;
  Ident name;
  std::vector<MonitorTarget> targets; // events: `G.EVENT`
  std::vector<KeywordArg> options;
  std::vector<Ident> flags; // "counts only", "float32"
};

// `poisson_input NAME = P[a:b].v (N = ..., rate = ..., weight = ...)`:
// Brian2's PoissonInput.
struct PoissonInput {
  SourceLoc loc;
  Ident name;
  MonitorTarget target;
  std::vector<KeywordArg> options;
};

struct Event {
  enum class Kind { at, every };
  Kind kind = Kind::at;
  SourceLoc loc;
  ExprPtr time;                    // at: the time; every: the period
  std::vector<KeywordArg> options; // every: from = ..., until = ...
  std::vector<Statement> statements;
};

struct Setting {
  SourceLoc loc;
  Ident name; // dt | seed
  ExprPtr value;
};

struct Import {
  SourceLoc loc;
  std::string path;
};

struct Run {
  SourceLoc loc;
  ExprPtr duration;
};

// `store [NAME]` / `restore [NAME]`: a snapshot of the network (default name "default").
struct Snapshot {
  SourceLoc loc;
  bool restore = false;
  Ident name;
};

struct Item {
  enum class Kind {
    setting,
    constant,
    import,
    template_,
    neurons,
    synapses,
    poisson,
    spikes,
    timed,
    monitor,
    poisson_input,
    event,
    run,
    snapshot,
    statement
  };
  Kind kind;
  Setting setting;
  Const constant;
  Import import;
  Template template_;
  Neurons neurons;
  Synapses synapses;
  Poisson poisson;
  Spikes spikes;
  Timed timed;
  Monitor monitor;
  PoissonInput poisson_input;
  Event event;
  Run run;
  Snapshot snapshot;
  Statement statement;
};

struct File {
  int file_id = -1;
  std::string path;
  std::vector<Item> items;
};

} // namespace snnc::ast
