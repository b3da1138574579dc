// libFuzzer target over the model-language front end, the kernel builder
// and the C++ generator: any input must give either a checked model (and
// its C++) or diagnostics, never a crash, a hang or an internal error. Built
// and run by run_fuzz.sh.
#include "codegen/cpp/emit_cpp.h"
#include "driver/large_stack.h"
#include "driver/pipeline.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/snnc_fuzz_" + std::to_string(::getpid()) + ".snn";
  {
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  // On a large stack, as snnc and Model::compile run the compiler.
  snnc::driver::with_large_stack([&] {
    snnc::SourceManager sources;
    snnc::Diagnostics diag(sources);
    try {
      if (auto m = snnc::driver::check_model(path, sources, diag, {})) {
        std::string cpp = snnc::codegen::kernels_to_cpp(m->kernels.kernels);
        (void)cpp;
      }
    } catch (const snnc::InternalError& e) {
      std::fprintf(stderr, "internal error: %s\n", e.what());
      std::abort(); // an internal error is a bug: report it as a crash
    }
  });
  return 0;
}
