/* The one narrow C ABI between generated kernels and the runtime.
 *
 * Every kernel, whether JIT-compiled by LLVM or exported as C++, has the
 * signature `void kernel(snn_kernel_args*)` and sees an object's state only
 * through these arguments. The runtime fills them; the kernels read and write
 * the state arrays. Versioned: a kernel module records SNN_ABI_VERSION and the
 * runtime refuses a mismatch.
 */
#ifndef SNN_ABI_H
#define SNN_ABI_H

#include <stdint.h>

#define SNN_ABI_VERSION 3

#ifdef __cplusplus
extern "C" {
#endif

/* A timed array: values[row * cols + col] (cols == 0: 1-D, one value per row).
 * As Brian2's TimedArray: with k = max(2**ceil(log2(8*dt/clock_dt)), 1) and
 * eps = dt/k, row = int((t/eps + 0.5)/k), clipped to [0, rows-1].
 * A column outside [0, cols) is an error of the model: the lookup returns NaN
 * and stores the first such column in *bad_col (left at INT64_MIN otherwise), which
 * the runtime checks after every step. */
typedef struct snn_timed_array {
  const double* values;
  int64_t rows;
  int64_t cols;
  double dt;
  int64_t k;
  int64_t* bad_col;
} snn_timed_array;

typedef struct snn_kernel_args {
  int64_t n;                    /* elements of the object (neurons, synapses) */
  int64_t step;                 /* the current time step */
  double t;                     /* step * dt, in seconds */
  double dt;                    /* seconds */
  uint64_t seed;                /* the run's random seed */
  uint64_t stream;              /* the kernel's random stream (object and kernel) */
  double* const* vars;          /* state arrays by slot, each of length n */
  const snn_timed_array* timed; /* timed arrays by slot */
  int32_t* spikes;              /* threshold: filled with spiking indices; reset: read */
  int64_t nspikes;              /* threshold: set to the count; reset: the count */
  /* Synapse kernels only (zero otherwise). `vars` are the synapses' own. */
  double* const* pre_vars;         /* state arrays of the presynaptic group */
  double* const* post_vars;        /* state arrays of the postsynaptic group */
  const int32_t* pre_index;        /* per synapse: presynaptic neuron (index in its group) */
  const int32_t* post_index;       /* per synapse: postsynaptic neuron */
  int64_t pre_offset, post_offset; /* start of the source / target subgroup */
  int64_t n_pre, n_post;           /* sizes of the source / target (sub)groups */
  const int32_t* selected;         /* on_pre/on_post: the synapses to process ... */
  int64_t nselected;               /* ... and how many; connect: the presynaptic neuron */
  int32_t* out;                    /* connect: filled with postsynaptic indices */
  int64_t nout;                    /* connect: set to their count */
} snn_kernel_args;

typedef void (*snn_kernel_fn)(snn_kernel_args* args);

/* Runtime functions that kernels call. Random numbers are counter-based:
 * the same (seed, stream, step, index, draw) always gives the same number,
 * whatever the chunking of runs or the thread count. */
double snn_rand(uint64_t seed, uint64_t stream, int64_t step, int64_t index, uint32_t draw);
double snn_randn(uint64_t seed, uint64_t stream, int64_t step, int64_t index, uint32_t draw);
double snn_poisson(uint64_t seed, uint64_t stream, int64_t step, int64_t index, uint32_t draw,
                   double lambda);
double snn_timed_1d(const snn_timed_array* a, double t);
double snn_timed_2d(const snn_timed_array* a, double t, int64_t i);
/* Brian2's timestep(t, dt): int64((t + 1e-3*dt)/dt). */
int64_t snn_timestep(double t, double dt);

#ifdef __cplusplus
}
#endif

#endif /* SNN_ABI_H */
