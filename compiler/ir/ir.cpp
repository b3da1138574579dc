#include "ir/ir.h"

#include <algorithm>

namespace snnc::ir {

namespace {
const std::pair<Flag, const char*> kFlags[] = {
    {Flag::unless_refractory, "unless refractory"},
    {Flag::event_driven, "event-driven"},
    {Flag::clock_driven, "clock-driven"},
    {Flag::constant, "constant"},
    {Flag::constant_over_dt, "constant over dt"},
    {Flag::shared, "shared"},
    {Flag::summed, "summed"},
    {Flag::linked, "linked"},
};
const std::pair<Method, const char*> kMethods[] = {
    {Method::automatic, "automatic"},
    {Method::exact, "exact"},
    {Method::euler, "euler"},
    {Method::rk2, "rk2"},
    {Method::rk4, "rk4"},
    {Method::heun, "heun"},
    {Method::milstein, "milstein"},
    {Method::exponential_euler, "exponential_euler"},
};

template <class V> auto find_named(V& v, const std::string& n) -> decltype(&v.front()) {
  auto it = std::find_if(v.begin(), v.end(), [&](const auto& x) { return x.name == n; });
  return it == v.end() ? nullptr : &*it;
}
} // namespace

const char* to_string(Flag f) {
  for (auto& [k, s] : kFlags)
    if (k == f) return s;
  return "?";
}
std::optional<Flag> flag_from_string(const std::string& s) {
  for (auto& [k, n] : kFlags)
    if (s == n) return k;
  return std::nullopt;
}
std::vector<std::string> flag_names() {
  std::vector<std::string> out;
  for (auto& [k, n] : kFlags)
    out.emplace_back(n);
  return out;
}

const char* to_string(VarKind k) {
  switch (k) {
  case VarKind::differential:
    return "differential";
  case VarKind::subexpression:
    return "subexpression";
  case VarKind::parameter:
    return "parameter";
  }
  return "?";
}

const char* to_string(Method m) {
  for (auto& [k, s] : kMethods)
    if (k == m) return s;
  return "?";
}
std::optional<Method> method_from_string(const std::string& s) {
  for (auto& [k, n] : kMethods)
    if (s == n && k != Method::automatic) return k;
  return std::nullopt;
}
std::vector<std::string> method_names() {
  std::vector<std::string> out;
  for (auto& [k, n] : kMethods)
    if (k != Method::automatic) out.emplace_back(n);
  return out;
}

const char* to_string(GroupKind k) {
  switch (k) {
  case GroupKind::neurons:
    return "neurons";
  case GroupKind::poisson:
    return "poisson";
  case GroupKind::spikes:
    return "spikes";
  }
  return "?";
}

const char* to_string(MonitorKind k) {
  switch (k) {
  case MonitorKind::spikes:
    return "spikes";
  case MonitorKind::state:
    return "state";
  case MonitorKind::rate:
    return "rate";
  }
  return "?";
}

bool Variable::has(Flag f) const {
  return std::find(flags.begin(), flags.end(), f) != flags.end();
}

const Variable* Group::find_variable(const std::string& n) const {
  return find_named(variables, n);
}
const Constant* Group::find_constant(const std::string& n) const {
  return find_named(constants, n);
}
const GroupEvent* Group::find_event(const std::string& n) const {
  return find_named(events, n);
}
const Link* Group::find_link(const std::string& var) const {
  auto it = std::find_if(links.begin(), links.end(), [&](const Link& l) { return l.var == var; });
  return it == links.end() ? nullptr : &*it;
}
const Variable* Synapses::find_variable(const std::string& n) const {
  return find_named(variables, n);
}
const Constant* Synapses::find_constant(const std::string& n) const {
  return find_named(constants, n);
}
const Pathway* Synapses::find_pathway(const std::string& n) const {
  return find_named(pathways, n);
}
std::string Pathway::delay_variable() const {
  if (name == "pre") return "delay";
  if (name == "post") return "delay_post";
  return "delay_" + name;
}
std::string Pathway::block() const {
  std::string on = event == "spike" ? "" : " on " + event;
  if (name == "pre" || name == "post") return "on_" + name + on;
  return (pre ? "on_pre " : "on_post ") + name + on;
}
const Group* Model::find_group(const std::string& n) const {
  return find_named(groups, n);
}
const Synapses* Model::find_synapses(const std::string& n) const {
  return find_named(synapses, n);
}
const Synapses* Model::target_synapses(const Synapses& y) const {
  return find_group(y.target.group) ? nullptr : find_synapses(y.target.group);
}
const TimedArray* Model::find_timed(const std::string& n) const {
  return find_named(timed, n);
}
const Constant* Model::find_constant(const std::string& n) const {
  return find_named(constants, n);
}

std::vector<std::string> Model::object_names() const {
  std::vector<std::string> out;
  for (auto& g : groups)
    out.push_back(g.name);
  for (auto& s : synapses)
    out.push_back(s.name);
  for (auto& t : timed)
    out.push_back(t.name);
  for (auto& m : monitors)
    out.push_back(m.name);
  for (auto& p : poisson_inputs)
    out.push_back(p.name);
  return out;
}

} // namespace snnc::ir
