// libFuzzer target over the data-file readers behind load(...): any file,
// read as .npy and as .csv, must give a table whose shape matches its values
// or a message, never a crash, a huge allocation or a hang. Built and run by
// run_fuzz.sh.
#include "passes/load_data.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string base = "/tmp/snnc_fuzz_tables_" + std::to_string(::getpid());
  for (const char* ext : {".npy", ".csv"}) {
    const std::string path = base + ext;
    {
      std::ofstream f(path, std::ios::binary);
      f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    snnc::passes::Table t;
    std::string error;
    if (snnc::passes::read_table(path, t, error)) {
      std::int64_t per_row = t.cols == 0 ? 1 : t.cols;
      if (t.rows < 0 || t.cols < 0 ||
          static_cast<std::int64_t>(t.values.size()) != t.rows * per_row) {
        std::fprintf(stderr, "a table of %lld x %lld with %zu values\n",
                     static_cast<long long>(t.rows), static_cast<long long>(t.cols),
                     t.values.size());
        std::abort();
      }
    } else if (error.empty()) {
      std::fprintf(stderr, "a refusal without a message\n");
      std::abort();
    }
  }
  return 0;
}
