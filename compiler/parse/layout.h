// Layout: the lexical frame of a model file, before the grammar sees it.
//
// Splits the text into logical lines (comments removed, lines joined while a
// bracket is open), checks the text is UTF-8 without tabs or NUL bytes, and
// builds the block tree from indentation: a line ending in ':' owns the
// following lines indented deeper. Every character of a logical line keeps
// its SourceLoc, so the grammar reports exact columns.
#pragma once

#include "diag/diagnostics.h"

#include <string>
#include <vector>

namespace snnc::parse {

struct Line {
  std::string text;            // logical line, comment stripped, trailing spaces removed
  std::vector<SourceLoc> locs; // locs[k] is where text[k] came from; locs.size() == text.size()+1
  int indent = 0;
  std::vector<Line> children; // the block this line opens (if it ends in ':')
  bool opens_block = false;   // text ends in ':'

  SourceLoc loc() const { return locs.front(); }
  SourceLoc loc_at(std::size_t offset) const {
    return locs[offset < locs.size() ? offset : locs.size() - 1];
  }
};

// Returns the top-level lines of the file, or reports errors (and returns
// what it could) when the layout is broken.
std::vector<Line> layout(int file_id, const std::string& text, Diagnostics& diag);

} // namespace snnc::parse
