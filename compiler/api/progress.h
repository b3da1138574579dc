// A progress display on standard error, for runs and batches of trials:
//
//   snnc::Progress p("learning", 1000, "trials");
//   ... p.update(done); ...
//   p.finish();
//
// On a terminal, one line rewritten in place (at most 10 times a second):
//   learning [##########          ] 350/1000 trials (35 %), 412 trials/s, ETA 1.6 s
// Elsewhere (a log, CI), one line each time another tenth is done, so a log
// gets at most ten. With a delay, nothing shows until the work has lasted
// that long (short runs stay quiet). Calls must not overlap (run_batch
// calls its progress callback one call at a time).
#pragma once

#include <chrono>
#include <string>

namespace snnc {

class Progress {
public:
  enum class Mode { automatic, terminal, lines, off };
  // `total` units of work; the mode: a terminal's in-place line if standard
  // error is a terminal, else lines (automatic), or as given.
  Progress(std::string what, double total, std::string unit, double delay_seconds = 0,
           Mode mode = Mode::automatic);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  // `done` units are done so far.
  void update(double done);
  // The end: a terminal's line is completed (if it was shown).
  void finish();

private:
  std::string line(double done, double elapsed) const;
  std::string what_, unit_;
  double total_, delay_;
  Mode mode_;
  std::chrono::steady_clock::time_point t0_, last_;
  bool shown_ = false, finished_ = false;
  int tenths_ = 0; // lines mode: the tenths printed so far
  double done_ = 0;
};

} // namespace snnc
