// The snnc C++ API in one page: compile a model once, then run independent
// trials that set an input, run, read spike counts and start afresh.
//
//   build/examples/api/trials [path/to/lif_trials.snn]
//
// Prints, per input level, the mean firing rate over 5 trials (seeds 1..5).
#include "api/snnc.h"

#include <cstdio>
#include <numeric>

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : SNNC_EXAMPLE_DIR "/lif_trials.snn";
  try {
    // Parse, check and JIT-compile once; override a constant on the way.
    auto model = snnc::Model::compile(path, {{{"sigma", "2*mV"}}});
    std::printf("compiled %s (dt = %g s, sigma = %g V)\n", path, model->dt(),
                model->constant("sigma"));
    for (double input_mv : {8.0, 11.0, 14.0, 17.0}) {
      double total = 0;
      for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        auto sim = model->instantiate(seed); // a fresh network, same code
        sim->set("P", "I", input_mv * 1e-3); // SI units: volt
        // Halve the input at 150 ms: a callback at a given time.
        sim->at(0.15, [](snnc::Simulation& s) {
          for (double& i : s.variable("P", "I"))
            i *= 0.5;
        });
        sim->run(0.2); // seconds
        auto counts = sim->spike_counts("spikes");
        total += static_cast<double>(std::accumulate(counts.begin(), counts.end(), 0LL));
      }
      std::printf("input %4.1f mV: %6.1f Hz\n", input_mv, total / 5 / 20 / 0.2);
    }
  } catch (const snnc::ModelError& e) {
    std::fprintf(stderr, "%s", e.what()); // the diagnostics, as snnc prints them
    return 1;
  }
  return 0;
}
