#include "diag/diagnostics.h"

#include <algorithm>
#include <sstream>

namespace snnc {

void Diagnostics::add(Severity s, SourceLoc loc, std::string message) {
  // The same message at the same place once: a mistake in a template's line
  // is found in every instance of the template.
  for (const Diagnostic& d : diags_)
    if (d.severity == s && d.loc.file == loc.file && d.loc.line == loc.line &&
        d.loc.col == loc.col && d.message == message)
      return;
  if (s == Severity::error) {
    if (errors_ >= kMaxErrors) {
      ++dropped_;
      return;
    }
    ++errors_;
  } else if (s == Severity::warning) {
    ++warnings_;
  }
  diags_.push_back({s, loc, std::move(message)});
}

void Diagnostics::error(SourceLoc loc, std::string message) {
  add(Severity::error, loc, std::move(message));
}
void Diagnostics::warning(SourceLoc loc, std::string message) {
  add(Severity::warning, loc, std::move(message));
}
void Diagnostics::note(SourceLoc loc, std::string message) {
  add(Severity::note, loc, std::move(message));
}

static const char* label(Severity s) {
  switch (s) {
  case Severity::error:
    return "error";
  case Severity::warning:
    return "warning";
  case Severity::note:
    return "note";
  }
  return "?";
}

std::string Diagnostics::format(const Diagnostic& d) const {
  std::ostringstream os;
  if (d.loc.valid()) {
    os << sources_.path(d.loc.file) << ':' << d.loc.line << ':' << d.loc.col << ": ";
  } else {
    os << "snnc: ";
  }
  os << label(d.severity) << ": " << d.message << '\n';
  if (d.loc.valid()) {
    std::string_view line = sources_.line_text(d.loc.file, d.loc.line);
    // Keep the quoted line printable: control bytes become '?'.
    std::string shown(line);
    for (char& c : shown)
      if (static_cast<unsigned char>(c) < 0x20) c = '?';
    os << "    " << shown << '\n';
    os << "    " << std::string(static_cast<std::size_t>(std::max(d.loc.col - 1, 0)), ' ') << "^\n";
  }
  return os.str();
}

void Diagnostics::print(std::ostream& os) const {
  for (const Diagnostic& d : diags_)
    os << format(d);
  if (dropped_ > 0) os << "snnc: error: too many errors; " << dropped_ << " more not shown\n";
}

void internal_check(bool cond, const char* what) {
  if (!cond) throw InternalError(what);
}

// Optimal-string-alignment distance: insert, delete, substitute, and swap of
// two neighbours each cost one.
static std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev2(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    prev2 = prev;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest_name(const std::string& name, const std::vector<std::string>& candidates) {
  std::size_t limit = std::max<std::size_t>(1, name.size() / 3);
  std::string best;
  std::size_t best_d = limit + 1;
  for (const std::string& c : candidates) {
    if (c == name) continue;
    std::size_t d = edit_distance(name, c);
    if (d < best_d && d < name.size() && d < c.size()) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
  std::string c = closest_name(name, candidates);
  return c.empty() ? std::string() : " (did you mean '" + c + "'?)";
}

} // namespace snnc
