#include "kernels/kernel.h"

#include <map>
#include <set>
#include <sstream>

namespace snnc::kir {

const char* to_string(KernelKind k) {
  switch (k) {
  case KernelKind::update:
    return "update";
  case KernelKind::threshold:
    return "threshold";
  case KernelKind::step:
    return "update and threshold";
  case KernelKind::reset:
    return "reset";
  case KernelKind::statements:
    return "statements";
  case KernelKind::syn_all:
    return "every synapse";
  case KernelKind::syn_selected:
    return "selected synapses";
  case KernelKind::syn_connect:
    return "connect";
  }
  return "?";
}

static void assigns(std::ostringstream& os, const std::vector<Assign>& as, const char* indent) {
  for (const Assign& a : as) {
    os << indent;
    if (a.condition) os << "if " << ir::to_string(a.condition) << ": ";
    const char* suffix = a.side == ir::Side::pre ? "_pre" : a.side == ir::Side::post ? "_post" : "";
    os << a.target << suffix << " = " << ir::to_string(a.value) << '\n';
  }
}

std::string to_string(const Kernel& k) {
  std::ostringstream os;
  os << "kernel " << k.name << " (" << to_string(k.kind) << " of " << k.object << "):\n";
  assigns(os, k.body, "    ");
  if (k.gen_j) {
    os << "    for _k in " << (k.gen_size ? "sample(" : "range(") << ir::to_string(k.gen_low)
       << ", " << ir::to_string(k.gen_high) << ", " << ir::to_string(k.gen_step)
       << (k.gen_size ? ", size = " + ir::to_string(k.gen_size) : std::string())
       << "): j = " << ir::to_string(k.gen_j) << (k.skip_invalid ? " (skip if invalid)" : "")
       << (k.by_target ? " (by target: i and j, pre and post swapped)" : "") << '\n';
  }
  if (k.condition && k.kind == KernelKind::syn_connect) {
    os << "    connect if " << ir::to_string(k.condition);
    if (k.connect_p) os << ", p = " << ir::to_string(k.connect_p);
    if (k.connect_n) os << ", n = " << ir::to_string(k.connect_n);
    os << '\n';
  } else if (k.condition) {
    os << "    spike if " << ir::to_string(k.condition) << '\n';
    assigns(os, k.on_spike, "        ");
  }
  return os.str();
}

std::string structure_key(const Kernel& k) {
  std::ostringstream os;
  os << to_string(k.kind) << '|' << k.skip_ahead << '|';
  for (const auto* names :
       {&k.variables, &k.pre_variables, &k.post_variables, &k.timed, &k.broadcast}) {
    for (const std::string& n : *names)
      os << n << ',';
    os << '|';
  }
  for (const auto& [var, index] : k.gathered)
    os << var << '[' << index << "],";
  os << '|';
  bool draws = false;
  if (k.kind == KernelKind::step && k.condition)
    ir::visit(k.condition, [&](const ir::ExprPtr& n) {
      if (ir::is_random_call(*n)) draws = true;
    });
  if (draws) os << k.condition_stream << '|';
  std::string text = to_string(k); // without its first line: the name and object
  os << text.substr(text.find('\n') + 1);
  return os.str();
}

std::vector<std::size_t> shared_code(const std::vector<Kernel>& kernels) {
  std::map<std::string, std::size_t> first_of;
  std::vector<std::size_t> code;
  for (std::size_t i = 0; i < kernels.size(); ++i)
    code.push_back(first_of.emplace(structure_key(kernels[i]), i).first->second);
  return code;
}

bool reads_side(const Kernel& k, ir::Side side) {
  bool found = false;
  each_expression(k, [&](const ir::ExprPtr& e) {
    ir::visit(e, [&](const ir::ExprPtr& n) {
      found = found ||
              (n->kind == ir::ExprKind::name && n->ref == ir::NameRef::variable && n->side == side);
    });
  });
  return found;
}

ir::Side split_side(const Kernel& k, bool same_group) {
  std::set<std::string> written[3], read[3];
  auto side = [](ir::Side s) { return static_cast<std::size_t>(s); };
  auto reads = [&](const ir::ExprPtr& e) {
    ir::visit(e, [&](const ir::ExprPtr& n) {
      if (n->kind == ir::ExprKind::name)
        read[side(n->side)].insert(n->target.empty() ? n->name : n->target);
    });
  };
  for (const Assign& a : k.body) {
    reads(a.value);
    reads(a.condition);
    if (!a.temporary) written[side(a.side)].insert(a.target);
  }
  auto can_split_by = [&](ir::Side by, ir::Side other) {
    if (!written[side(other)].empty()) return false;
    if (!same_group) return true;
    for (const std::string& v : written[side(by)])
      if (read[side(other)].count(v)) return false;
    return true;
  };
  if (can_split_by(ir::Side::post, ir::Side::pre)) return ir::Side::post;
  if (can_split_by(ir::Side::pre, ir::Side::post)) return ir::Side::pre;
  return ir::Side::own;
}

} // namespace snnc::kir
