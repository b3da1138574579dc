// load_files: reads the main model file, parses it, and follows its imports
// (paths relative to the importing file), each file once. Reports missing
// files at the `import` line and circular imports with the chain.
#pragma once

#include "diag/diagnostics.h"
#include "parse/ast.h"

#include <string>
#include <vector>

namespace snnc::lower {

// Files in dependency order: every file after the files it imports; the main
// file last. Empty if the main file cannot be read.
// With `text`, the main file is that text (named `path`, whose directory
// imports are resolved against: "<string>" resolves them against the working
// directory) and is not read.
std::vector<ast::File> load_files(const std::string& path, SourceManager& sources,
                                  Diagnostics& diag, const std::string* text = nullptr);

// Reads a whole file; false (and `error` set) when it cannot be read.
bool read_file(const std::string& path, std::string& text, std::string& error);

// `rel` resolved against the directory of `from`.
std::string resolve_relative(const std::string& from, const std::string& rel);

} // namespace snnc::lower
