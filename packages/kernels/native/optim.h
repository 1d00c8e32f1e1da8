/* Optimizer arithmetic over float32 arrays (see optim.c). */
#ifndef MBRL_OPTIM_H
#define MBRL_OPTIM_H
#include <stdint.h>

typedef struct {
  float beta1, one_minus_beta1, beta2, one_minus_beta2, epsilon, step_size, sqrt_bias_correction2, scale;
} mbrl_adam_params;

void mbrl_adam(const float *param, const float *m, const float *v, const float *grad, float *param_out,
               float *m_out, float *v_out, int64_t n, const mbrl_adam_params *p);
double mbrl_sum_squares(const float *x, int64_t n);
void mbrl_polyak(const float *target, const float *online, float *out, int64_t n, float tau, float keep);

#endif
