#include "parse/layout.h"

#include <fmt/format.h>

namespace snnc::parse {

namespace {

// Length of the UTF-8 sequence starting at s[k], or 0 if it is malformed.
std::size_t utf8_length(const std::string& s, std::size_t k) {
  unsigned char c = static_cast<unsigned char>(s[k]);
  std::size_t n;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0 && c >= 0xC2)
    n = 2;
  else if ((c & 0xF0) == 0xE0)
    n = 3;
  else if ((c & 0xF8) == 0xF0 && c <= 0xF4)
    n = 4;
  else
    return 0;
  if (k + n > s.size()) return 0;
  for (std::size_t m = 1; m < n; ++m)
    if ((static_cast<unsigned char>(s[k + m]) & 0xC0) != 0x80) return 0;
  return n;
}

struct Physical {
  int number;
  std::size_t begin, end; // [begin, end) in the text, without the newline
};

struct Flat {
  Line line;
  int number; // physical line of the start
};

// Whether a line's text (trailing spaces trimmed) ends in a binary operator,
// so that it goes on on the next line, as in a Brian2 equations string:
// `dv/dt = -v/tau +` / `I/C : volt`.
bool ends_in_operator(const std::string& t) {
  if (t.empty()) return false;
  if (std::string("+-*/%<>=!&|").find(t.back()) != std::string::npos) return true;
  for (const char* w : {"and", "or", "not"}) {
    std::size_t n = std::char_traits<char>::length(w);
    if (t.size() > n && t.compare(t.size() - n, n, w) == 0 &&
        (t[t.size() - n - 1] == ' ' || t[t.size() - n - 1] == ')'))
      return true;
  }
  return false;
}

} // namespace

std::vector<Line> layout(int file_id, const std::string& text, Diagnostics& diag) {
  std::vector<Line> top;
  const int errors_at_start = diag.error_count();

  // 1. Encoding: valid UTF-8, no NUL or other control bytes but \n, \r, \t.
  {
    int line = 1, col = 1;
    for (std::size_t k = 0; k < text.size();) {
      unsigned char c = static_cast<unsigned char>(text[k]);
      std::size_t n = utf8_length(text, k);
      if (n == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F) {
        diag.error({file_id, line, col},
                   n == 0 ? "the file is not valid UTF-8 text (byte 0x" + fmt::format("{:02X}", c) +
                                ")"
                          : fmt::format("control character 0x{:02X} in the file", c));
        return top;
      }
      if (c == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
      k += n;
    }
  }

  // 2. Physical lines.
  std::vector<Physical> phys;
  {
    std::size_t begin = 0;
    int number = 1;
    while (begin <= text.size()) {
      std::size_t end = text.find('\n', begin);
      bool last = end == std::string::npos;
      if (last) end = text.size();
      std::size_t e = end;
      if (e > begin && text[e - 1] == '\r') --e;
      phys.push_back({number++, begin, e});
      if (last) break;
      begin = end + 1;
    }
  }

  // 3. Logical lines: strip comments, join while brackets are open or a
  // line ends in an operator.
  std::vector<Flat> flat;
  bool any_tab = false;
  {
    Flat cur;
    bool open = false;   // a logical line is in progress
    bool broken = false; // an error was reported on the logical line
    std::vector<std::pair<char, SourceLoc>> brackets;
    // The indentation of the next line with text after physical line k (-1:
    // none): a line that ends in an operator goes on only onto a deeper one.
    auto next_indent = [&](std::size_t k) {
      for (std::size_t n = k + 1; n < phys.size(); ++n) {
        std::size_t c = phys[n].begin;
        while (c < phys[n].end && text[c] == ' ')
          ++c;
        if (c < phys[n].end && text[c] != '#') return static_cast<int>(c - phys[n].begin);
      }
      return -1;
    };
    for (std::size_t pk = 0; pk < phys.size(); ++pk) {
      const Physical& p = phys[pk];
      bool in_string = false;
      std::size_t k = p.begin;
      // Indentation of a new logical line.
      if (!open) {
        int indent = 0;
        while (k < p.end && (text[k] == ' ' || text[k] == '\t')) {
          if (text[k] == '\t') {
            // A tab on a blank or comment line is harmless; elsewhere it is an error.
            std::size_t r = k;
            while (r < p.end && (text[r] == ' ' || text[r] == '\t'))
              ++r;
            if (r < p.end && text[r] != '#') {
              diag.error({file_id, p.number, static_cast<int>(k - p.begin) + 1},
                         "tab character in indentation; indent with spaces only");
              any_tab = true;
            }
            break;
          }
          ++indent;
          ++k;
        }
        if (k < p.end && text[k] == '\t') continue;
        if (k >= p.end || text[k] == '#') continue; // blank or comment-only line
        cur = Flat{};
        broken = false;
        cur.line.indent = indent;
        cur.number = p.number;
        open = true;
      } else {
        // A continuation line: keep one space for the newline.
        cur.line.text.push_back(' ');
        cur.line.locs.push_back({file_id, p.number, 1});
        while (k < p.end && text[k] == ' ')
          ++k;
      }
      for (; k < p.end; ++k) {
        char c = text[k];
        SourceLoc loc{file_id, p.number, static_cast<int>(k - p.begin) + 1};
        if (!in_string && c == '#') break;
        if (c == '"') in_string = !in_string;
        if (c == '\t') {
          diag.error(loc, "tab character; use spaces");
          any_tab = true;
          c = ' ';
        }
        if (!in_string && static_cast<unsigned char>(c) >= 0x80) {
          // Identifiers and operators are ASCII; other text belongs in
          // comments and strings.
          std::size_t n = utf8_length(text, k);
          diag.error(loc, "character '" + text.substr(k, n) +
                              "' is not allowed here: outside comments and strings, model "
                              "files are ASCII");
          broken = true;
          k += n - 1;
          continue;
        }
        if (!in_string) {
          if (c == '(' || c == '[')
            brackets.push_back({c, loc});
          else if ((c == ')' || c == ']') && !brackets.empty())
            brackets.pop_back();
        }
        cur.line.text.push_back(c);
        cur.line.locs.push_back(loc);
      }
      if (in_string) {
        diag.error({file_id, p.number, static_cast<int>(p.end - p.begin) + 1},
                   "unterminated string: a '\"' is missing before the end of the line");
        brackets.clear();
        broken = true; // reported; the grammar need not see it
      }
      if (brackets.empty()) {
        // Trim trailing spaces.
        while (!cur.line.text.empty() && cur.line.text.back() == ' ') {
          cur.line.text.pop_back();
          cur.line.locs.pop_back();
        }
        if (!broken && ends_in_operator(cur.line.text) && next_indent(pk) > cur.line.indent) {
          continue; // the operand is on the next line
        }
        SourceLoc end_loc = cur.line.locs.empty() ? SourceLoc{file_id, p.number, 1}
                                                  : SourceLoc{file_id, cur.line.locs.back().line,
                                                              cur.line.locs.back().col + 1};
        cur.line.locs.push_back(end_loc);
        cur.line.opens_block = !cur.line.text.empty() && cur.line.text.back() == ':';
        if (!broken) flat.push_back(std::move(cur));
        open = false;
      }
    }
    if (open) {
      const auto& [c, loc] = brackets.back();
      diag.error(loc, fmt::format("'{}' is never closed", c));
      return top;
    }
  }
  if (any_tab) return top;

  if (flat.empty()) {
    if (diag.error_count() == errors_at_start)
      diag.error({file_id, 1, 1}, "the file is empty: a model file must declare something");
    return top;
  }

  // 4. Blocks from indentation. `stack` holds the open blocks' indents.
  struct Open {
    int indent;
    std::vector<Line>* lines;
  };
  std::vector<Open> stack{{flat.front().line.indent, &top}};
  if (flat.front().line.indent != 0) {
    diag.error(flat.front().line.loc(), "unexpected indentation at the start of the file");
    return top;
  }
  bool expect_block = false;
  SourceLoc opener;
  for (Flat& f : flat) {
    Line& l = f.line;
    if (expect_block) {
      if (l.indent > stack.back().indent) {
        stack.push_back({l.indent, &stack.back().lines->back().children});
      } else {
        diag.error(l.loc(), "expected an indented block after the line ending in ':' above");
        stack.back().lines->pop_back(); // no line may open a block it does not have
        return top;
      }
      expect_block = false;
    } else if (l.indent > stack.back().indent) {
      diag.error(l.loc(), "unexpected indentation");
      return top;
    } else {
      while (l.indent < stack.back().indent)
        stack.pop_back();
      if (l.indent != stack.back().indent) {
        diag.error(l.loc(), "unindent does not match any outer indentation level");
        return top;
      }
    }
    bool opens = l.opens_block;
    opener = l.loc();
    stack.back().lines->push_back(std::move(l));
    expect_block = opens;
  }
  if (expect_block) {
    diag.error(opener, "expected an indented block after this line, which ends in ':'");
    stack.back().lines->pop_back();
  }
  return top;
}

} // namespace snnc::parse
