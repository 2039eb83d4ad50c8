// Batch normalisation over (N, H, W) per channel and 2x2 max-pooling, on
// contiguous float32 NCHW arrays: the other layers of the paper's networks
// whose LibTorch 1.13 CPU kernels dominate a training step after the
// convolutions (PERF-NOTES.md: batch-norm backward 7 %, max-pool 5.5 %).
#pragma once

#include <cstdint>
#include <utility>

namespace ocb::methods::kernels {

// Training-mode forward: per channel mean and biased variance over (N, H, W);
// y = (x - mean) / sqrt(var + eps), then y = gamma * y + beta when gamma is
// non-null. Writes per channel the mean, the biased variance and
// invstd = 1 / sqrt(var + eps).
void batch_norm_train(const float* x, std::int64_t n, std::int64_t c, std::int64_t hw, double eps, const float* gamma,
                      const float* beta, float* y, float* mean, float* var, float* invstd);
// Inference-mode forward with given statistics.
void batch_norm_eval(const float* x, std::int64_t n, std::int64_t c, std::int64_t hw, double eps, const float* running_mean,
                     const float* running_var, const float* gamma, const float* beta, float* y);
// Training-mode backward: gx (always), ggamma and gbeta when gamma is non-null.
void batch_norm_backward(const float* x, const float* gy, std::int64_t n, std::int64_t c, std::int64_t hw,
                         const float* mean, const float* invstd, const float* gamma, float* gx, float* ggamma, float* gbeta);

// What follows a fused batch norm + leaky ReLU, and the output plane's
// (height, width) it gives an h x w input.
enum class After { none, pool2x2, upsample2x };
std::pair<std::int64_t, std::int64_t> after_shape(After after, std::int64_t h, std::int64_t w);

// leaky_relu(batch_norm_train(x), slope) followed by `after` (max_pool2x2 or
// upsample2x below), for [n, c, h, w] inputs: the same bytes as the three
// kernels one after the other (and LibTorch's leaky_relu), in one pass per
// plane without full-size intermediates. y is [n, c, h/2, w/2] (pool),
// [n, c, 2h, 2w] (upsample) or [n, c, h, w]; `where` as max_pool2x2's (pool only).
void batch_norm_act_train(const float* x, std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w, double eps,
                          const float* gamma, const float* beta, float slope, After after, float* y, std::uint8_t* where,
                          float* mean, float* var, float* invstd);
// Its backward: gy has y's shape; gx (always), ggamma and gbeta when gamma is
// non-null; the activations are recomputed from x, the same bytes as the
// backward of the three kernels one after the other.
void batch_norm_act_backward(const float* x, const float* gy, std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w,
                             const float* mean, const float* invstd, const float* gamma, const float* beta, float slope,
                             After after, const std::uint8_t* where, float* gx, float* ggamma, float* gbeta);

// 2x2 max-pooling, stride 2 (floor). `where` gets the winning offset 0..3 of
// each output (first maximum in scan order, as PyTorch; NaN wins).
void max_pool2x2(const float* x, std::int64_t planes, std::int64_t h, std::int64_t w, float* y, std::uint8_t* where);
void max_pool2x2_backward(const float* gy, const std::uint8_t* where, std::int64_t planes, std::int64_t h, std::int64_t w,
                          float* gx);

// Nearest-neighbour upsampling by 2 and its gradient (sum of the 2x2 block).
void upsample2x(const float* x, std::int64_t planes, std::int64_t h, std::int64_t w, float* y);
void upsample2x_backward(const float* gy, std::int64_t planes, std::int64_t h, std::int64_t w, float* gx);

}  // namespace ocb::methods::kernels
