// The Spirit X3 grammar of the model language, one entry point per kind of
// logical line. This header is the whole interface: Spirit stays inside
// grammar.cpp. Each function parses `line.text` from `offset`; on success it
// fills `out` and returns the offset where it stopped (the text after a
// block-opening ':' is left for the caller); on failure it reports a
// diagnostic at the exact column and returns std::nullopt.
#pragma once

#include "diag/diagnostics.h"
#include "parse/ast.h"
#include "parse/layout.h"

#include <optional>

namespace snnc::parse {

using Offset = std::optional<std::size_t>;

// Parsers that must consume the line to its end.
bool parse_expression(const Line& line, std::size_t offset, ir::ExprPtr& out, Diagnostics& diag);
bool parse_statements(const Line& line, std::size_t offset, std::vector<ir::Statement>& out,
                      Diagnostics& diag);
bool parse_equation(const Line& line, std::size_t offset, ast::Equation& out, Diagnostics& diag);
bool parse_connect(const Line& line, std::size_t offset, std::vector<ast::ConnectItem>& out,
                   Diagnostics& diag);
bool parse_const(const Line& line, std::size_t offset, ast::Const& out, Diagnostics& diag);
bool parse_import(const Line& line, ast::Import& out, Diagnostics& diag);
bool parse_setting(const Line& line, ast::Setting& out, Diagnostics& diag);
bool parse_poisson(const Line& line, ast::Poisson& out, Diagnostics& diag);
bool parse_spikes(const Line& line, ast::Spikes& out, Diagnostics& diag);
bool parse_timed(const Line& line, ast::Timed& out, Diagnostics& diag);
bool parse_monitor(const Line& line, ast::Monitor& out, Diagnostics& diag);
bool parse_poisson_input(const Line& line, ast::PoissonInput& out, Diagnostics& diag);
bool parse_run(const Line& line, ast::Run& out, Diagnostics& diag);
bool parse_identifier(const Line& line, std::size_t offset, ast::Ident& out, Diagnostics& diag);

// Headers: they stop after the ':' (if any) and return that offset.
Offset parse_template_header(const Line& line, ast::Template& out, Diagnostics& diag);
Offset parse_neurons_header(const Line& line, ast::Neurons& out, Diagnostics& diag);
Offset parse_synapses_header(const Line& line, ast::Synapses& out, Diagnostics& diag);
Offset parse_event_header(const Line& line, ast::Event& out, Diagnostics& diag);
// `key:` at the start of a body line; returns the offset after the ':'.
Offset parse_block_key(const Line& line, ast::Ident& key, Diagnostics& diag);

} // namespace snnc::parse
