#include "api/progress.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <unistd.h>

namespace snnc {

namespace {

double seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// 27010 as 27010, 2.5 as 2.5: whole amounts in full.
std::string amount(double x) {
  if (x == std::floor(x) && std::fabs(x) < 1e15) return fmt::format("{:.0f}", x);
  return fmt::format("{:.4g}", x);
}

std::string duration(double s) {
  if (!std::isfinite(s)) return "?";
  if (s < 60) return fmt::format("{:.1f} s", s);
  if (s < 3600) return fmt::format("{}:{:02}", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  return fmt::format("{}:{:02}:{:02}", static_cast<int>(s) / 3600, static_cast<int>(s) / 60 % 60,
                     static_cast<int>(s) % 60);
}

} // namespace

Progress::Progress(std::string what, double total, std::string unit, double delay_seconds,
                   Mode mode)
    : what_(std::move(what)), unit_(std::move(unit)), total_(total), delay_(delay_seconds),
      mode_(mode), t0_(std::chrono::steady_clock::now()), last_(t0_) {
  if (mode_ == Mode::automatic) mode_ = ::isatty(STDERR_FILENO) ? Mode::terminal : Mode::lines;
}

Progress::~Progress() {
  finish();
}

std::string Progress::line(double done, double elapsed) const {
  double fraction = total_ > 0 ? std::clamp(done / total_, 0.0, 1.0) : 1.0;
  double rate = elapsed > 0 ? done / elapsed : 0;
  double eta = rate > 0 ? (total_ - done) / rate : INFINITY;
  std::string bar;
  if (mode_ == Mode::terminal) {
    auto full = static_cast<std::size_t>(std::min(20.0, std::floor(20 * fraction + 1e-6)));
    bar = " [" + std::string(full, '#') + std::string(20 - full, ' ') + "]";
  }
  return fmt::format("{}{} {}/{} {} ({:.0f} %), {:.3g} {}/s, {} {}", what_, bar, amount(done),
                     amount(total_), unit_, 100 * fraction, rate, unit_,
                     done >= total_ ? "took" : "ETA", duration(done >= total_ ? elapsed : eta));
}

void Progress::update(double done) {
  if (mode_ == Mode::off || finished_) return;
  done_ = done;
  auto now = std::chrono::steady_clock::now();
  double elapsed = seconds(now - t0_);
  if (elapsed < delay_) return;
  if (mode_ == Mode::terminal) {
    if (shown_ && seconds(now - last_) < 0.1 && done < total_) return;
    std::fprintf(stderr, "\r%s\033[K", line(done, elapsed).c_str());
    std::fflush(stderr);
    shown_ = true;
    last_ = now;
    return;
  }
  int tenths =
      total_ > 0 ? static_cast<int>(std::floor(10 * std::min(done / total_, 1.0) + 1e-6)) : 10;
  if (tenths <= tenths_) return;
  tenths_ = tenths;
  std::fprintf(stderr, "%s\n", line(done, elapsed).c_str());
  shown_ = true;
}

void Progress::finish() {
  if (finished_ || mode_ == Mode::off) return;
  double elapsed = seconds(std::chrono::steady_clock::now() - t0_);
  if (mode_ == Mode::terminal && shown_) {
    std::fprintf(stderr, "\r%s\033[K\n", line(done_, elapsed).c_str());
    std::fflush(stderr);
  } else if (mode_ == Mode::lines && shown_ && tenths_ < 10) {
    std::fprintf(stderr, "%s\n", line(done_, elapsed).c_str()); // where it ended
  }
  finished_ = true;
}

} // namespace snnc
