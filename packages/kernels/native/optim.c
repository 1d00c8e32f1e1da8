/*
 * Adam's update in one pass over memory, with the arithmetic of the element-wise version
 * (@mbrl-ts/nn's Adam on tfjs kernels), operation for operation in float32:
 *   g = scale * grad;   m' = b1 m + (1 - b1) g;   v' = b2 v + (1 - b2) g^2
 *   param' = param - (m' / (sqrt(v') / sqrt(1 - b2^t) + eps)) * lr / (1 - b1^t)
 * The build turns off contraction into fused multiply-adds so each step rounds as tfjs's does.
 * Also the sum of squares (accumulated in double) behind the global gradient norm.
 */
#include "optim.h"

#include <math.h>

#if defined(__x86_64__) && !defined(MBRL_PORTABLE)
#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CLONES
#endif

CLONES void mbrl_adam(const float *restrict param, const float *restrict m, const float *restrict v,
                      const float *restrict grad, float *restrict param_out, float *restrict m_out,
                      float *restrict v_out, int64_t n, const mbrl_adam_params *p) {
  const float b1 = p->beta1, c1 = p->one_minus_beta1, b2 = p->beta2, c2 = p->one_minus_beta2;
  const float eps = p->epsilon, step = p->step_size, bc2 = p->sqrt_bias_correction2, scale = p->scale;
  for (int64_t i = 0; i < n; i++) {
    const float g = scale == 1.0f ? grad[i] : grad[i] * scale;
    const float mi = b1 * m[i] + c1 * g;
    const float vi = b2 * v[i] + (g * g) * c2;
    m_out[i] = mi;
    v_out[i] = vi;
    param_out[i] = param[i] - (mi / (sqrtf(vi) / bc2 + eps)) * step;
  }
}

CLONES double mbrl_sum_squares(const float *restrict x, int64_t n) {
  double lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int l = 0; l < 8; l++) lanes[l] += (double)x[i + l] * x[i + l];
  double total = 0;
  for (; i < n; i++) total += (double)x[i] * x[i];
  for (int l = 0; l < 8; l++) total += lanes[l];
  return total;
}

/* Polyak averaging as tfjs's ops compute it: out = online * tau + target * keep (keep = 1 - tau as
   a float32), each product rounded, then the sum. */
CLONES void mbrl_polyak(const float *restrict target, const float *restrict online, float *restrict out, int64_t n,
                        float tau, float keep) {
  for (int64_t i = 0; i < n; i++) {
    const float a = online[i] * tau;
    const float b = target[i] * keep;
    out[i] = a + b;
  }
}
