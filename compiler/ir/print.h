// Canonical text and JSON forms of the IR. The text form reads like a model
// file with everything explicit (templates expanded, constants folded, units
// of every variable); the JSON form names every object, variable, unit and
// flag, for tools.
#pragma once

#include "ir/ir.h"

#include <nlohmann/json.hpp>
#include <string>

namespace snnc::ir {

std::string print_ir(const Model& m);
nlohmann::json ir_to_json(const Model& m);

} // namespace snnc::ir
