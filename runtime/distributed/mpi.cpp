// The processes of an mpirun, through MPI (OpenMPI). Compiled only when
// CMake found MPI (SNN_WITH_MPI); the exported C++ project has the local
// communicator only.
#include "snn/distributed.h"

// MPI's C interface only (not its deprecated C++ bindings).
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <cstdlib>
#include <limits>
#include <stdexcept>

namespace snn {

namespace {

void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) {
    char text[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(rc, text, &len);
    throw std::runtime_error(std::string("MPI: ") + what + ": " + std::string(text, len));
  }
}

int as_count(int64_t n) {
  if (n > std::numeric_limits<int>::max())
    throw std::length_error("MPI: more than 2^31 values in one exchange");
  return static_cast<int>(n);
}

class Mpi final : public Communicator {
public:
  Mpi() {
    int provided = 0;
    // Only the thread that calls the runtime talks to MPI.
    check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "MPI_Comm_rank");
    check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "MPI_Comm_size");
    std::atexit([] {
      int finalized = 0;
      MPI_Finalized(&finalized);
      if (!finalized) MPI_Finalize();
    });
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  std::vector<std::string> all_gather(const std::string& mine) override {
    std::vector<int> lengths(static_cast<std::size_t>(size_));
    int n = as_count(static_cast<int64_t>(mine.size()));
    check(MPI_Allgather(&n, 1, MPI_INT, lengths.data(), 1, MPI_INT, MPI_COMM_WORLD),
          "MPI_Allgather");
    std::vector<int> offsets(lengths.size());
    int64_t total = 0;
    for (std::size_t r = 0; r < lengths.size(); ++r) {
      offsets[r] = as_count(total);
      total += lengths[r];
    }
    std::string all(static_cast<std::size_t>(as_count(total)), '\0');
    check(MPI_Allgatherv(mine.data(), n, MPI_CHAR, all.data(), lengths.data(), offsets.data(),
                         MPI_CHAR, MPI_COMM_WORLD),
          "MPI_Allgatherv");
    std::vector<std::string> out;
    for (std::size_t r = 0; r < lengths.size(); ++r)
      out.push_back(
          all.substr(static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(lengths[r])));
    return out;
  }

  void all_gather(const int32_t* mine, int64_t count, std::vector<int32_t>& all,
                  std::vector<int64_t>& counts) override {
    lengths_.resize(static_cast<std::size_t>(size_));
    offsets_.resize(lengths_.size());
    int n = as_count(count);
    check(MPI_Allgather(&n, 1, MPI_INT, lengths_.data(), 1, MPI_INT, MPI_COMM_WORLD),
          "MPI_Allgather");
    int64_t total = 0;
    counts.resize(lengths_.size());
    for (std::size_t r = 0; r < lengths_.size(); ++r) {
      offsets_[r] = as_count(total);
      counts[r] = lengths_[r];
      total += lengths_[r];
    }
    all.resize(static_cast<std::size_t>(as_count(total)));
    check(MPI_Allgatherv(mine, n, MPI_INT32_T, all.data(), lengths_.data(), offsets_.data(),
                         MPI_INT32_T, MPI_COMM_WORLD),
          "MPI_Allgatherv");
  }

  void gather(const double* mine, int64_t count, std::vector<double>& all,
              std::vector<int64_t>& counts) override {
    lengths_.resize(static_cast<std::size_t>(size_));
    offsets_.resize(lengths_.size());
    int n = as_count(count);
    check(MPI_Gather(&n, 1, MPI_INT, lengths_.data(), 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Gather");
    all.clear();
    counts.clear();
    if (rank_ == 0) {
      int64_t total = 0;
      for (std::size_t r = 0; r < lengths_.size(); ++r) {
        offsets_[r] = as_count(total);
        counts.push_back(lengths_[r]);
        total += lengths_[r];
      }
      all.resize(static_cast<std::size_t>(as_count(total)));
    }
    check(MPI_Gatherv(mine, n, MPI_DOUBLE, all.data(), lengths_.data(), offsets_.data(), MPI_DOUBLE,
                      0, MPI_COMM_WORLD),
          "MPI_Gatherv");
  }

  bool any(bool mine) override {
    int in = mine ? 1 : 0, out = 0;
    check(MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD), "MPI_Allreduce");
    return out != 0;
  }
  int64_t sum(int64_t mine) override {
    int64_t out = 0;
    check(MPI_Allreduce(&mine, &out, 1, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD), "MPI_Allreduce");
    return out;
  }
  void barrier() override { check(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier"); }
  std::string describe() const override {
    char version[MPI_MAX_LIBRARY_VERSION_STRING];
    int len = 0;
    MPI_Get_library_version(version, &len);
    std::string v(version, static_cast<std::size_t>(len));
    // "Open MPI v4.1.4, package: ..." -> "Open MPI v4.1.4"
    if (auto comma = v.find(','); comma != std::string::npos) v.resize(comma);
    return v + ", " + std::to_string(size_) + (size_ == 1 ? " process" : " processes");
  }

private:
  int rank_ = 0, size_ = 1;
  std::vector<int> lengths_, offsets_;
};

} // namespace

bool built_with_mpi() {
  return true;
}

Communicator& world() {
  static std::unique_ptr<Communicator> w =
      launched_by_mpirun() ? std::unique_ptr<Communicator>(std::make_unique<Mpi>())
                           : local_communicator();
  return *w;
}

} // namespace snn
