// lower: syntax trees (main file last) -> IR model.
//
// Assumes: files come from load_files (imports first). Guarantees: templates
// are instantiated (base chain, then the instance's own blocks, then its
// constant overrides); every object, constant and variable name is unique in
// its scope; flags and methods are known; declarations that only an imported
// file may not contain are reported. Names and units are not checked yet.
#pragma once

#include "diag/diagnostics.h"
#include "ir/ir.h"
#include "parse/ast.h"

#include <map>
#include <string>
#include <vector>

namespace snnc::lower {

ir::Model lower(std::vector<ast::File>& files, Diagnostics& diag);

} // namespace snnc::lower
