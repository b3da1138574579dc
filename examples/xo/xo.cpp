// The X/O study: classify 5x5 images as X or O with a spiking network of
// Izhikevich neurons trained by STDP (xo.snn), over many independent trials
// run in parallel, and report accuracy. The choices behind every number are
// in README.md beside this file.
//
//   xo [--trials N] [--threads T] [--out DIR] [--model xo.snn] [--control-trials N]
//
// Writes DIR/report.json (summary, per-trial accuracies, noise curve, the
// learned weights and a raster of trial 0) and prints a summary.
#include "api/progress.h"
#include "api/snnc.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <sys/resource.h>
#include <thread>

namespace {

using Image = std::array<int, 25>;

// The protocol (times in seconds, currents in volt/second = mV/ms * 1e3).
struct Protocol {
  double stimulus = 0.050;       // an image is shown for 50 ms
  double teacher_delay = 0.010;  // the teacher starts 10 ms after the image
  double teacher = 0.030;        // and lasts 30 ms
  double gap = 0.050;            // silence between presentations
  double train_end = 15.0;       // training: 0 to 15 s
  double test_start = 15.5;      // testing: 15.5 s to 24.5 s, one image a second
  int tests = 10;                // 5 X and 5 O, in random order
  int test_flips = 2;            // pixels flipped in every test image
  int train_flips_max = 1;       // training images: clean or with 1 flipped pixel
  double input_current = 30.0;   // mV/ms on the input neurons of lit pixels
  double teacher_current = 25.0; // mV/ms on the output neuron of the right class
  int noise_levels = 6;          // noise curve: 0..5 flipped pixels, after the test
};

Image x_image() {
  Image im{};
  for (int r = 0; r < 5; ++r) {
    im[r * 5 + r] = 1;
    im[r * 5 + (4 - r)] = 1;
  }
  return im;
}

Image o_image() {
  Image im{};
  for (int r = 0; r < 5; ++r)
    for (int c = 0; c < 5; ++c)
      im[r * 5 + c] = (r == 0 || r == 4 || c == 0 || c == 4) ? 1 : 0;
  return im;
}

Image flip(Image im, int k, std::mt19937_64& rng) {
  std::vector<int> idx(25);
  std::iota(idx.begin(), idx.end(), 0);
  std::shuffle(idx.begin(), idx.end(), rng);
  for (int n = 0; n < k; ++n)
    im[idx[n]] ^= 1;
  return im;
}

struct Presentation {
  int label; // 0 = X, 1 = O
  Image image;
};

struct Window {
  double onset;
  int label;
  bool teacher;
};

struct TrialResult {
  std::vector<Window> windows; // trial 0 only
  int correct = 0, tests = 0;
  int confusion[2][2] = {{0, 0}, {0, 0}}; // [true][predicted]
  std::vector<int> noise_correct, noise_tests;
  std::vector<double> weights_in_hidden; // 25 x 5, trial 0 only
  nlohmann::json raster;                 // trial 0 only
};

// A trial's result as bytes (CBOR: doubles exactly), to come back from
// whichever process ran it (snnc::run_batch_gathered).
std::string pack(const TrialResult& r) {
  nlohmann::json j;
  nlohmann::json w = nlohmann::json::array();
  for (const Window& x : r.windows)
    w.push_back({x.onset, x.label, x.teacher});
  j["windows"] = w;
  j["correct"] = r.correct;
  j["tests"] = r.tests;
  j["confusion"] = {r.confusion[0][0], r.confusion[0][1], r.confusion[1][0], r.confusion[1][1]};
  j["noise_correct"] = r.noise_correct;
  j["noise_tests"] = r.noise_tests;
  j["weights"] = r.weights_in_hidden;
  j["raster"] = r.raster;
  std::vector<std::uint8_t> bytes = nlohmann::json::to_cbor(j);
  return std::string(bytes.begin(), bytes.end());
}

TrialResult unpack(const std::string& bytes) {
  nlohmann::json j = nlohmann::json::from_cbor(bytes);
  TrialResult r;
  for (const auto& x : j["windows"])
    r.windows.push_back({x[0].get<double>(), x[1].get<int>(), x[2].get<bool>()});
  r.correct = j["correct"];
  r.tests = j["tests"];
  for (int k = 0; k < 4; ++k)
    r.confusion[k / 2][k % 2] = j["confusion"][static_cast<std::size_t>(k)];
  r.noise_correct = j["noise_correct"].get<std::vector<int>>();
  r.noise_tests = j["noise_tests"].get<std::vector<int>>();
  r.weights_in_hidden = j["weights"].get<std::vector<double>>();
  r.raster = j["raster"];
  return r;
}

// Shows `image` (and the teacher for `label`, if >= 0) and lets the network
// run for one presentation. Each lit pixel's current varies by +-40 % from
// one presentation to the next, so input spikes are not synchronous.
void present(snnc::Simulation& sim, const Image& image, int label, const Protocol& p,
             std::mt19937_64& rng, std::vector<Window>* windows = nullptr, int shown = -1) {
  if (windows) windows->push_back({sim.t(), label >= 0 ? label : shown, label >= 0});
  std::uniform_real_distribution<double> jitter(0.6, 1.4);
  auto& in = sim.variable("input", "I");
  for (int k = 0; k < 25; ++k)
    in[k] = image[k] ? p.input_current * jitter(rng) : 0.0;
  sim.run(p.teacher_delay);
  auto& out = sim.variable("output", "I");
  if (label >= 0) out[label] = p.teacher_current;
  sim.run(p.teacher);
  std::fill(out.begin(), out.end(), 0.0);
  sim.run(p.stimulus - p.teacher_delay - p.teacher);
  std::fill(in.begin(), in.end(), 0.0);
  sim.run(p.gap);
}

// The class whose output neuron fired most during the presentation; a tie
// is broken at random (so a silent network scores 50 %).
int classify(snnc::Simulation& sim, const Image& image, int label, const Protocol& p,
             std::mt19937_64& rng, std::vector<Window>* windows) {
  sim.reset_monitor("output_counts");
  present(sim, image, -1, p, rng, windows, label);
  auto c = sim.spike_counts("output_counts");
  if (c[0] != c[1]) return c[0] > c[1] ? 0 : 1;
  return static_cast<int>(rng() & 1);
}

void set_learning(snnc::Simulation& sim, double on) {
  for (const char* s : {"in_hidden", "hidden_out"}) {
    auto& l = sim.synapse_variable(s, "learning");
    std::fill(l.begin(), l.end(), on);
  }
}

TrialResult trial(const snnc::Model& model, std::uint64_t index, bool learning, bool keep,
                  const Protocol& p) {
  TrialResult r;
  std::mt19937_64 rng(index * 7919 + (learning ? 1 : 2));
  auto sim = model.instantiate(index + 1);
  set_learning(*sim, learning ? 1.0 : 0.0);
  const Image prototypes[2] = {x_image(), o_image()};

  // Training: X and O interleaved (random order, equal numbers), clean or
  // with one flipped pixel.
  double period = p.stimulus + p.gap;
  int presentations = static_cast<int>(p.train_end / period + 1e-9);
  std::vector<int> labels(static_cast<std::size_t>(presentations));
  for (int k = 0; k < presentations; ++k)
    labels[static_cast<std::size_t>(k)] = k % 2;
  std::shuffle(labels.begin(), labels.end(), rng);
  std::set<Image> seen;
  for (int label : labels) {
    Image im = flip(prototypes[label], static_cast<int>(rng() % (p.train_flips_max + 1)), rng);
    seen.insert(im);
    present(*sim, im, label, p, rng, keep ? &r.windows : nullptr);
  }
  set_learning(*sim, 0.0);
  if (keep) {
    const auto& w = sim->synapse_variable("in_hidden", "w");
    r.weights_in_hidden.assign(w.begin(), w.end()); // synapse k: input k/5, hidden k%5
  }

  // Testing: new noisy images, never seen in training, one a second.
  sim->run(p.test_start - sim->t());
  std::vector<int> test_labels;
  for (int k = 0; k < p.tests; ++k)
    test_labels.push_back(k % 2);
  std::shuffle(test_labels.begin(), test_labels.end(), rng);
  for (int label : test_labels) {
    double onset = sim->t();
    Image im;
    do
      im = flip(prototypes[label], p.test_flips, rng);
    while (seen.count(im));
    int predicted = classify(*sim, im, label, p, rng, keep ? &r.windows : nullptr);
    r.correct += predicted == label;
    ++r.tests;
    ++r.confusion[label][predicted];
    sim->run(onset + 1.0 - sim->t());
  }

  // The noise curve: one X and one O at each number of flipped pixels.
  r.noise_correct.assign(static_cast<std::size_t>(p.noise_levels), 0);
  r.noise_tests.assign(static_cast<std::size_t>(p.noise_levels), 0);
  for (int k = 0; k < p.noise_levels; ++k)
    for (int label = 0; label < 2; ++label) {
      Image im = flip(prototypes[label], k, rng);
      r.noise_correct[static_cast<std::size_t>(k)] +=
          classify(*sim, im, label, p, rng, nullptr) == label;
      ++r.noise_tests[static_cast<std::size_t>(k)];
    }
  if (keep) {
    // The raster of this trial: every spike of every layer, and the windows.
    for (const char* m : {"input_spikes", "hidden_spikes", "output_spikes"})
      r.raster[m] = {{"t", sim->spike_times(m)}, {"i", sim->spike_indices(m)}};
    nlohmann::json w = nlohmann::json::array();
    for (const Window& x : r.windows)
      w.push_back({{"onset", x.onset}, {"label", x.label}, {"teacher", x.teacher}});
    r.raster["windows"] = w;
    r.raster["stimulus"] = p.stimulus;
    r.raster["teacher_delay"] = p.teacher_delay;
    r.raster["teacher"] = p.teacher;
  }
  return r;
}

struct Summary {
  double mean = 0, sd = 0, ci_low = 0, ci_high = 0, perfect = 0;
};

Summary summarize(const std::vector<double>& acc) {
  Summary s;
  double n = static_cast<double>(acc.size());
  s.mean = std::accumulate(acc.begin(), acc.end(), 0.0) / n;
  double ss = 0;
  for (double a : acc)
    ss += (a - s.mean) * (a - s.mean);
  s.sd = acc.size() > 1 ? std::sqrt(ss / (n - 1)) : 0.0;
  double half = 1.96 * s.sd / std::sqrt(n);
  s.ci_low = s.mean - half;
  s.ci_high = s.mean + half;
  s.perfect = static_cast<double>(std::count(acc.begin(), acc.end(), 1.0)) / n;
  return s;
}

// Runs `n` trials on `threads` threads of each process of an mpirun (or
// of this one; snnc::run_batch_gathered) with a progress bar on process 0.
std::vector<TrialResult> run_trials(const snnc::Model& model, int n, int threads, bool learning,
                                    const Protocol& p, const char* what) {
  // On a terminal a bar updated in place; in a log one line per 10 %.
  std::optional<snnc::Progress> progress;
  if (snnc::process_rank() == 0) progress.emplace(what, n, "trials");
  std::vector<std::string> packed = snnc::run_batch_gathered(
      n, threads,
      [&](int k) { return pack(trial(model, static_cast<std::uint64_t>(k), learning, k == 0, p)); },
      [&](int d, int) { progress->update(d); });
  if (progress) progress->finish();
  std::vector<TrialResult> results;
  for (const std::string& r : packed)
    results.push_back(unpack(r));
  return results;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"The X/O pattern-recognition study"};
  int trials = 1000, control_trials = 1000;
  int threads = snnc::default_threads();
  std::string out = "out/xo", model_path = SNNC_XO_DIR "/xo.snn";
  app.add_option("--trials", trials, "independent trials (seeds 1..N)")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--control-trials", control_trials, "trials with learning disabled (0: none)")
      ->check(CLI::Range(0, 1000000));
  app.add_option("--threads", threads,
                 "threads per process (default: the cores, shared by mpirun's processes)")
      ->check(CLI::Range(1, 1024));
  app.add_option("--out", out, "results directory");
  app.add_option("--model", model_path, "the network model");
  std::vector<std::string> sets;
  app.add_option("--set", sets, "override a constant of the model: NAME=VALUE");
  CLI11_PARSE(app, argc, argv);

  Protocol p;
  auto t0 = std::chrono::steady_clock::now();
  std::shared_ptr<const snnc::Model> model;
  try {
    snnc::CompileOptions co;
    for (const std::string& kv : sets) {
      auto eq = kv.find('=');
      if (eq == std::string::npos) {
        std::fprintf(stderr, "xo: --set takes NAME=VALUE\n");
        return 1;
      }
      co.constants[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    model = snnc::Model::compile(model_path, co);
  } catch (const snnc::ModelError& e) {
    std::fprintf(stderr, "%s", e.what());
    return 1;
  }
  double compile_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  t0 = std::chrono::steady_clock::now();
  auto learned = run_trials(*model, trials, threads, true, p, "learning");
  double study_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto control = run_trials(*model, control_trials, threads, false, p, "control");

  std::vector<double> acc, acc_control;
  int confusion[2][2] = {{0, 0}, {0, 0}};
  std::vector<int> nc(static_cast<std::size_t>(p.noise_levels), 0),
      nt(static_cast<std::size_t>(p.noise_levels), 0);
  for (const auto& r : learned) {
    acc.push_back(static_cast<double>(r.correct) / r.tests);
    for (int a = 0; a < 2; ++a)
      for (int b = 0; b < 2; ++b)
        confusion[a][b] += r.confusion[a][b];
    for (std::size_t k = 0; k < nc.size(); ++k) {
      nc[k] += r.noise_correct[k];
      nt[k] += r.noise_tests[k];
    }
  }
  for (const auto& r : control)
    acc_control.push_back(static_cast<double>(r.correct) / r.tests);
  Summary s = summarize(acc), sc = summarize(acc_control);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);

  nlohmann::json report;
  const int P = snnc::process_count();
  if (snnc::process_rank() != 0) return 0; // process 0 reports
  report["trials"] = trials;
  report["threads"] = threads;
  report["processes"] = P;
  report["test_flipped_pixels"] = p.test_flips;
  report["accuracy"] = {{"mean", s.mean},
                        {"sd", s.sd},
                        {"ci95", {s.ci_low, s.ci_high}},
                        {"perfect_trials", s.perfect}};
  report["confusion"] = {
      {"rows", "true X, true O"},
      {"columns", "predicted X, predicted O"},
      {"counts", {{confusion[0][0], confusion[0][1]}, {confusion[1][0], confusion[1][1]}}}};
  report["control_no_learning"] = {{"trials", control_trials}};
  if (control_trials > 0) {
    report["control_no_learning"]["mean"] = sc.mean;
    report["control_no_learning"]["sd"] = sc.sd;
    report["control_no_learning"]["ci95"] = {sc.ci_low, sc.ci_high};
  }
  nlohmann::json noise = nlohmann::json::array();
  for (std::size_t k = 0; k < nc.size(); ++k)
    noise.push_back(
        {{"flipped", k}, {"accuracy", static_cast<double>(nc[k]) / nt[k]}, {"tests", nt[k]}});
  report["noise_curve"] = noise;
  report["per_trial_accuracy"] = acc;
  report["control_per_trial_accuracy"] = acc_control;
  report["weights_in_hidden_trial0"] = learned.front().weights_in_hidden;
  report["raster_trial0"] = learned.front().raster;
  report["timing"] = {{"compile_s", compile_s},
                      {"study_wall_s", study_s},
                      {"per_trial_ms", 1000.0 * study_s * threads * P / trials},
                      {"simulated_s_per_trial", p.test_start + p.tests + 0.2 * p.noise_levels * 2},
                      {"peak_rss_mb", ru.ru_maxrss / 1024.0}};
  std::filesystem::create_directories(out);
  std::ofstream(std::filesystem::path(out) / "report.json") << report.dump(1) << '\n';

  std::printf("X/O study: %d trials, test images with %d flipped pixels\n", trials, p.test_flips);
  std::printf("  accuracy %.1f %% (sd %.1f, 95%% CI %.1f-%.1f), perfect trials %.1f %%\n",
              100 * s.mean, 100 * s.sd, 100 * s.ci_low, 100 * s.ci_high, 100 * s.perfect);
  if (control_trials > 0)
    std::printf("  control without learning: %.1f %% (%d trials)\n", 100 * sc.mean, control_trials);
  else
    std::printf("  control without learning: not run (--control-trials 0)\n");
  std::printf("  noise curve:");
  for (std::size_t k = 0; k < nc.size(); ++k)
    std::printf(" %zu:%.0f%%", k, 100.0 * nc[k] / nt[k]);
  std::printf("\n  study wall time %.1f s on %d %s of %d threads (%.1f ms per trial), compile "
              "%.0f ms, peak RSS %.0f MB\n",
              study_s, P, P == 1 ? "process" : "processes", threads,
              1000.0 * study_s * threads * P / trials, 1000 * compile_s, ru.ru_maxrss / 1024.0);
  std::printf("  report: %s/report.json\n", out.c_str());
  return 0;
}
