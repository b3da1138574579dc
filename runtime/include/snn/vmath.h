/* snnc's exp(): the generated code of every model calls this one function,
 * in the JIT (codegen/llvm/jit.cpp emits it operation for operation, so that
 * neuron loops with exp() vectorize) and in exported C++ (which includes
 * this header), so both give the same bits. IEEE double arithmetic with
 * explicit fused multiply-adds (C's fma(), LLVM's llvm.fma: one rounding,
 * the same result with or without FMA hardware) and no other contraction:
 * build without fast-math and with -ffp-contract=off.
 *
 * exp(x) = 2^n * exp(r), n = round(x/ln 2), r = x - n*ln 2 (Cody-Waite, in
 * two parts), exp(r) by its Taylor series to degree 13 (|r| <= 0.347, so
 * the series error is below 1e-17) as 1 + r + r^2 (pe(r^2) + r po(r^2)),
 * the even and odd parts in two Horner chains that run side by side, one
 * fma per step; clamped so that NaN and out-of-range arguments never reach
 * the integer conversion; 2^n applied as two exact powers of two,
 * so that results in the subnormal range are right too. Within 1 ulp of
 * the correctly rounded exp over the whole range (tests/vmath.cpp
 * measures it); NaN gives NaN, overflow +inf, underflow 0. */
#ifndef SNN_VMATH_H
#define SNN_VMATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#define SNN_EXP_LOW (-746.0)
#define SNN_EXP_HIGH 710.0
#define SNN_EXP_INV_LN2 1.4426950408889634
#define SNN_EXP_LN2_HI 6.93147180369123816490e-01
#define SNN_EXP_LN2_LO 1.90821492927058770002e-10

static inline double snn_pow2i(int64_t k) {
  uint64_t bits = (uint64_t)(k + 1023) << 52;
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

static inline double snn_exp(double x) {
  double xc = x < SNN_EXP_HIGH ? x : SNN_EXP_HIGH; /* NaN: SNN_EXP_HIGH, */
  xc = xc > SNN_EXP_LOW ? xc : SNN_EXP_LOW;        /* NaN again at the end */
  double n = floor(fma(xc, SNN_EXP_INV_LN2, 0.5));
  double r = fma(-n, SNN_EXP_LN2_LO, fma(-n, SNN_EXP_LN2_HI, xc));
  double s = r * r;
  double pe = 1.0 / 479001600.0; /* 1/12! */
  pe = fma(pe, s, 1.0 / 3628800.0);
  pe = fma(pe, s, 1.0 / 40320.0);
  pe = fma(pe, s, 1.0 / 720.0);
  pe = fma(pe, s, 1.0 / 24.0);
  pe = fma(pe, s, 0.5);
  double po = 1.0 / 6227020800.0; /* 1/13! */
  po = fma(po, s, 1.0 / 39916800.0);
  po = fma(po, s, 1.0 / 362880.0);
  po = fma(po, s, 1.0 / 5040.0);
  po = fma(po, s, 1.0 / 120.0);
  po = fma(po, s, 1.0 / 6.0);
  double e = 1.0 + fma(s, fma(po, r, pe), r);
  int64_t k = (int64_t)n;
  int64_t k1 = k >> 1;
  double y = (e * snn_pow2i(k1)) * snn_pow2i(k - k1);
  return x != x ? x : y;
}

#endif
