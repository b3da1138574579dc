// What a monitor has recorded, as the network holds it in memory
// (Network::recording). A network with a results directory streams spike
// and state monitors to their .npy files instead; then only what stays in
// memory is here (a spike monitor's counts), and `streamed` says so.
#pragma once

#include "snn/spec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snn {

struct Recording {
  MonitorKind kind = MonitorKind::spikes;
  bool streamed = false; // t, i and values went to the results directory
  // spikes: the spike times; state: the sample times; rate: each bin's start
  std::vector<double> t;
  std::vector<int32_t> i;     // spikes: the neurons, relative to the recorded part
  std::vector<int64_t> count; // spikes: per neuron of the recorded part
  // The recorded variables; for each, spikes: its value at each spike;
  // state: samples x record.size() values, row by row (float32 monitors'
  // values rounded to float, as their files hold them).
  std::vector<std::string> variables;
  std::vector<std::vector<double>> values;
  std::vector<int64_t> record; // state: the recorded indices (relative to the part)
  std::vector<double> rate;    // rate: the population rate of each bin, in Hz
};

} // namespace snn
