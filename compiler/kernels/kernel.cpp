#include "kernels/kernel.h"

#include <sstream>

namespace snnc::kir {

const char* to_string(KernelKind k) {
  switch (k) {
  case KernelKind::update: return "update";
  case KernelKind::threshold: return "threshold";
  case KernelKind::reset: return "reset";
  case KernelKind::statements: return "statements";
  }
  return "?";
}

static void assigns(std::ostringstream& os, const std::vector<Assign>& as, const char* indent) {
  for (const Assign& a : as) {
    os << indent;
    if (a.condition) os << "if " << ir::to_string(a.condition) << ": ";
    os << a.target << " = " << ir::to_string(a.value) << '\n';
  }
}

std::string to_string(const Kernel& k) {
  std::ostringstream os;
  os << "kernel " << k.name << " (" << to_string(k.kind) << " of " << k.object << "):\n";
  assigns(os, k.body, "    ");
  if (k.condition) {
    os << "    spike if " << ir::to_string(k.condition) << '\n';
    assigns(os, k.on_spike, "        ");
  }
  return os.str();
}

} // namespace snnc::kir
