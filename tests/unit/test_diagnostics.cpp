// Diagnostics: formatting with the quoted line and caret, and suggestions.
#include "diag/diagnostics.h"

#include <catch2/catch.hpp>

using namespace snnc;

TEST_CASE("a diagnostic quotes its line and puts a caret under the column", "[diag]") {
  SourceManager sm;
  int f = sm.add("m.snn", "const a = 1\nconst b = oops\n");
  Diagnostics d(sm);
  d.error({f, 2, 11}, "unknown identifier 'oops'");
  CHECK(d.format(d.all()[0]) == "m.snn:2:11: error: unknown identifier 'oops'\n"
                                "    const b = oops\n"
                                "              ^\n");
  CHECK(d.has_errors());
}

TEST_CASE("warnings do not count as errors", "[diag]") {
  SourceManager sm;
  int f = sm.add("m.snn", "x\n");
  Diagnostics d(sm);
  d.warning({f, 1, 1}, "w");
  CHECK_FALSE(d.has_errors());
  CHECK(d.warning_count() == 1);
}

TEST_CASE("errors beyond the limit are counted, not printed", "[diag]") {
  SourceManager sm;
  int f = sm.add("m.snn", "x\n");
  Diagnostics d(sm);
  for (int k = 0; k < Diagnostics::kMaxErrors + 5; ++k)
    d.error({f, 1, 1}, "e" + std::to_string(k));
  CHECK(d.all().size() == static_cast<std::size_t>(Diagnostics::kMaxErrors));
}

TEST_CASE("the same message at the same place is reported once", "[diag]") {
  SourceManager sm;
  int f = sm.add("m.snn", "x\n");
  Diagnostics d(sm);
  for (int k = 0; k < 3; ++k)
    d.error({f, 1, 1}, "e"); // (a template's line, in three instances)
  d.error({f, 1, 2}, "e");
  d.warning({f, 1, 1}, "e");
  CHECK(d.error_count() == 2);
  CHECK(d.warning_count() == 1);
  CHECK(d.all().size() == 3);
}

TEST_CASE("did you mean: close names only", "[diag]") {
  std::vector<std::string> names = {"taum", "taue", "threshold", "v"};
  CHECK(closest_name("tau_m", names) == "taum");
  CHECK(closest_name("treshold", names) == "threshold");
  CHECK(closest_name("thresohld", names) == "threshold"); // a swap is one edit
  CHECK(closest_name("w", names).empty());                // one letter: no guess
  CHECK(closest_name("completely_different", names).empty());
  CHECK(closest_name("taue", {"taue"}).empty()); // the name itself is not a suggestion
  CHECK(did_you_mean("tau_m", names) == " (did you mean 'taum'?)");
}
