// Diagnostics: user errors and warnings are collected with their location and
// printed as `file:line:col: error: message`, the source line and a caret.
// Internal errors (bugs in snnc) are a separate kind: thrown as InternalError
// and reported with an "internal error" label by the driver.
#pragma once

#include "diag/source.h"

#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace snnc {

enum class Severity { error, warning, note };

struct Diagnostic {
  Severity severity;
  SourceLoc loc;
  std::string message;
};

class Diagnostics {
public:
  explicit Diagnostics(const SourceManager& sources) : sources_(sources) {}

  void error(SourceLoc loc, std::string message);
  void warning(SourceLoc loc, std::string message);
  void note(SourceLoc loc, std::string message);

  bool has_errors() const { return errors_ > 0; }
  int error_count() const { return errors_; }
  int warning_count() const { return warnings_; }
  const std::vector<Diagnostic>& all() const { return diags_; }
  // After this many errors further ones are dropped (one summary line).
  static constexpr int kMaxErrors = 20;

  // Prints every diagnostic in the order reported, with source line and caret.
  void print(std::ostream& os) const;
  std::string format(const Diagnostic& d) const;

private:
  void add(Severity s, SourceLoc loc, std::string message);
  const SourceManager& sources_;
  std::vector<Diagnostic> diags_;
  int errors_ = 0;
  int warnings_ = 0;
  int dropped_ = 0;
};

// A bug in snnc, not in the user's model.
class InternalError : public std::logic_error {
public:
  using std::logic_error::logic_error;
};

// Throws InternalError when `cond` is false.
void internal_check(bool cond, const char* what);

// Name suggestions: the candidate closest to `name` (edit distance at most a
// third of its length, at least 1), or "" when none is close.
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" or "".
std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates);

} // namespace snnc
