// The snnc binary as a user meets it: exit codes, where output goes, and the
// shape of a diagnostic (location, quoted line, caret).
#include "support/files.h"
#include "support/temp.h"

#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>

namespace fs = std::filesystem;

namespace {

using snnc::test::slurp;

struct Result {
  int code;
  std::string out, err;
};

Result run(const std::string& args) {
  fs::path dir = snnc::test::scratch("cli");
  std::string cmd = std::string(SNNC_BINARY) + " " + args + " >" + (dir / "out").string() + " 2>" +
                    (dir / "err").string();
  int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "out"), slurp(dir / "err")};
}

const std::string kErrors = std::string(SNNC_TEST_DATA_DIR) + "/errors/";
const std::string kModels = std::string(SNNC_TEST_DATA_DIR) + "/../examples/models/";

} // namespace

TEST_CASE("check of a wrong model: exit 1, diagnostics with caret on stderr, nothing on stdout",
          "[cli]") {
  Result r = run("check " + kErrors + "dim_mismatch_diff.snn");
  CHECK(r.code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("dim_mismatch_diff.snn:4:17: error: dimension mismatch in 'dv/dt'") !=
        std::string::npos);
  // The line, indented by four spaces, and a caret under column 17.
  CHECK(r.err.find("\n            dv/dt = -v : volt\n" + std::string(4 + 16, ' ') + "^\n") !=
        std::string::npos);
  CHECK(r.err.find("1 error generated.") != std::string::npos);
}

TEST_CASE("ir of a wrong model writes nothing to stdout", "[cli]") {
  Result r = run("ir --json " + kErrors + "multiple_errors.snn");
  CHECK(r.code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("2 errors generated.") != std::string::npos);
}

TEST_CASE("check of a good model: exit 0 and a one-line summary", "[cli]") {
  Result r = run("check " + kModels + "cuba.snn");
  CHECK(r.code == 0);
  CHECK(r.out == "cuba.snn: ok: 1 group (4000 neurons), 2 synapses objects, 2 monitors, 1 run "
                 "(1 s simulated)\n");
  CHECK(r.err.empty());
}

TEST_CASE("a missing file is a user error, not a crash", "[cli]") {
  Result r = run("check " + kErrors + "does_not_exist.snn");
  CHECK(r.code == 1);
  CHECK(r.err.find("error: cannot open") != std::string::npos);
}

TEST_CASE("usage errors are reported by the argument parser", "[cli]") {
  Result r = run("frobnicate");
  CHECK(r.code != 0);
  CHECK(r.code != 2);
}

TEST_CASE("ir options that cannot be combined are refused, not ignored", "[cli]") {
  Result r = run("ir --json --kernels " + kModels + "cuba.snn");
  CHECK(r.code != 0);
  CHECK(r.out.empty());
  CHECK(r.err.find("--json excludes --kernels") != std::string::npos);
}
