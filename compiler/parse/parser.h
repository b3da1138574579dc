// parse_file: text of one model file -> syntax tree (ast::File).
// Layout (layout.h) builds the block tree; this walker dispatches each line on
// its leading keyword to the grammar (grammar.h). Imports are not followed
// here: lowering does that.
#pragma once

#include "diag/diagnostics.h"
#include "parse/ast.h"

namespace snnc::parse {

ast::File parse_file(int file_id, const SourceManager& sources, Diagnostics& diag);

// The words that may start a top-level line and a body line (for "did you mean").
const std::vector<std::string>& top_level_keywords();
const std::vector<std::string>& neuron_block_keywords();
const std::vector<std::string>& synapse_block_keywords();

} // namespace snnc::parse
