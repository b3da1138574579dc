// The errors the runtime reports to its caller. Both are the user's (a
// model, a checkpoint), not the runtime's: an error of the runtime itself
// is a std::logic_error.
#pragma once

#include <stdexcept>
#include <string>

namespace snn {

// An error of the model found while it runs (e.g. a timed array indexed
// outside its columns); the results of the run are not valid.
struct ModelError : std::runtime_error {
  ModelError(const std::string& what, std::string object_name)
      : std::runtime_error(what), object(std::move(object_name)) {}
  std::string object; // the model object at fault (e.g. the timed array)
};

// The results could not be written: a full disk, a quota, a file-size
// limit, no permission, a results directory removed while running. The
// user's environment, not a bug.
struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A checkpoint that cannot be read into this network (damaged, truncated,
// or of another network).
struct CheckpointError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

} // namespace snn
