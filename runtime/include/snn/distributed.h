// The processes a run is spread over: those of an `mpirun` (OpenMPI), or
// this process alone. The runtime and the drivers talk to the other
// processes only through this interface (runtime/distributed/), as Arbor's
// simulation talks to its distributed_context: collectives, called by every
// process in the same order.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace snn {

class Communicator {
public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Every process's `mine`, in rank order, on every process.
  virtual std::vector<std::string> all_gather(const std::string& mine) = 0;
  // Every process's int32 values, concatenated in rank order, into `all`
  // (resized); counts[r]: how many came from rank r.
  virtual void all_gather(const int32_t* mine, int64_t count, std::vector<int32_t>& all,
                          std::vector<int64_t>& counts) = 0;
  // Every process's doubles, concatenated in rank order, on process 0 only
  // (`all` and `counts` are left empty on the others).
  virtual void gather(const double* mine, int64_t count, std::vector<double>& all,
                      std::vector<int64_t>& counts) = 0;
  // True on every process if `mine` is true on any.
  virtual bool any(bool mine) = 0;
  // The sum of every process's `mine`, on every process.
  virtual int64_t sum(int64_t mine) = 0;
  virtual void barrier() = 0;
  // A short description: "OpenMPI 4.1.4, 2 processes" / "one process".
  virtual std::string describe() const = 0;
};

// This process alone.
std::unique_ptr<Communicator> local_communicator();

// The processes of the mpirun that started this one (MPI is initialised on
// the first call, and finalised at exit), else this process alone. Only
// processes started by mpirun initialise MPI: a plain `snnc run` starts as
// fast as without it.
Communicator& world();

// Whether this snnc was built with MPI, and whether this process was
// started by mpirun (without initialising anything).
bool built_with_mpi();
bool launched_by_mpirun();
// How many processes of this mpirun share this machine (1 without mpirun).
int processes_on_this_machine();

} // namespace snn
