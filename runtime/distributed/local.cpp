// One process: every collective is the identity.
#include "snn/distributed.h"

#include <cstdlib>

namespace snn {

namespace {

class Local final : public Communicator {
public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::vector<std::string> all_gather(const std::string& mine) override { return {mine}; }
  void all_gather(const int32_t* mine, int64_t count, std::vector<int32_t>& all,
                  std::vector<int64_t>& counts) override {
    all.assign(mine, mine + count);
    counts.assign(1, count);
  }
  void gather(const double* mine, int64_t count, std::vector<double>& all,
              std::vector<int64_t>& counts) override {
    all.assign(mine, mine + count);
    counts.assign(1, count);
  }
  bool any(bool mine) override { return mine; }
  int64_t sum(int64_t mine) override { return mine; }
  void barrier() override {}
  std::string describe() const override { return "one process"; }
};

} // namespace

std::unique_ptr<Communicator> local_communicator() {
  return std::make_unique<Local>();
}

bool launched_by_mpirun() {
  // OpenMPI's launcher sets these in every process it starts (PMIx for
  // other launchers).
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMIX_RANK") != nullptr;
}

int processes_on_this_machine() {
  const char* n = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  int k = n ? std::atoi(n) : 1;
  return k > 0 ? k : 1;
}

#ifndef SNN_WITH_MPI
bool built_with_mpi() {
  return false;
}

Communicator& world() {
  static std::unique_ptr<Communicator> local = local_communicator();
  return *local;
}
#endif

} // namespace snn
