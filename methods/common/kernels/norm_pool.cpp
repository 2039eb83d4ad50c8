// Batch norm, max-pool and upsampling kernels (norm_pool.hpp). Channel sums
// are taken per row in float (the row loops of rows.hpp, eight partial sums)
// and accumulated across rows in float64, in a fixed order.
#include "methods/common/kernels/norm_pool.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "methods/common/kernels/rows.hpp"

namespace ocb::methods::kernels {

void batch_norm_train(const float* x, std::int64_t n, std::int64_t c, std::int64_t hw, double eps, const float* gamma,
                      const float* beta, float* y, float* mean, float* var, float* invstd) {
  const RowKernels& rk = rows();
  const double count = static_cast<double>(n * hw);
  for (std::int64_t ch = 0; ch < c; ++ch) {
    double sum = 0.0;
    for (std::int64_t b = 0; b < n; ++b) sum += rk.sum(x + (b * c + ch) * hw, hw);
    const double mu = sum / count;
    double sq = 0.0;
    for (std::int64_t b = 0; b < n; ++b) sq += rk.sq_dev(x + (b * c + ch) * hw, hw, static_cast<float>(mu));
    const double inv = 1.0 / std::sqrt(sq / count + eps);
    mean[ch] = static_cast<float>(mu);
    var[ch] = static_cast<float>(sq / count);
    invstd[ch] = static_cast<float>(inv);
    const float g = gamma ? gamma[ch] : 1.f, bt = gamma ? beta[ch] : 0.f;
    for (std::int64_t b = 0; b < n; ++b)
      rk.affine(x + (b * c + ch) * hw, y + (b * c + ch) * hw, hw, mean[ch], invstd[ch] * g, bt);
  }
}

void batch_norm_eval(const float* x, std::int64_t n, std::int64_t c, std::int64_t hw, double eps, const float* running_mean,
                     const float* running_var, const float* gamma, const float* beta, float* y) {
  const RowKernels& rk = rows();
  for (std::int64_t ch = 0; ch < c; ++ch) {
    const float s = static_cast<float>(1.0 / std::sqrt(static_cast<double>(running_var[ch]) + eps));
    const float g = gamma ? gamma[ch] : 1.f, bt = gamma ? beta[ch] : 0.f;
    for (std::int64_t b = 0; b < n; ++b)
      rk.affine(x + (b * c + ch) * hw, y + (b * c + ch) * hw, hw, running_mean[ch], s * g, bt);
  }
}

void batch_norm_backward(const float* x, const float* gy, std::int64_t n, std::int64_t c, std::int64_t hw,
                         const float* mean, const float* invstd, const float* gamma, float* gx, float* ggamma, float* gbeta) {
  const RowKernels& rk = rows();
  const double count = static_cast<double>(n * hw);
  for (std::int64_t ch = 0; ch < c; ++ch) {
    const float m = mean[ch], s = invstd[ch];
    double sum_g = 0.0, sum_gx = 0.0;  // sum gy, sum gy * (x - mean)
    for (std::int64_t b = 0; b < n; ++b) {
      float a, bb;
      rk.grad_sums(x + (b * c + ch) * hw, gy + (b * c + ch) * hw, hw, m, &a, &bb);
      sum_g += a;
      sum_gx += bb;
    }
    const double sum_g_xhat = sum_gx * s;
    const float gam = gamma ? gamma[ch] : 1.f;
    if (gamma) {
      ggamma[ch] = static_cast<float>(sum_g_xhat);
      gbeta[ch] = static_cast<float>(sum_g);
    }
    // gx = gamma * invstd * (gy - mean(gy) - xhat * mean(gy * xhat)), xhat = (x - mean) * invstd
    const float mean_g = static_cast<float>(sum_g / count);
    const float k = static_cast<float>(sum_g_xhat / count) * s;
    for (std::int64_t b = 0; b < n; ++b)
      rk.bn_grad(x + (b * c + ch) * hw, gy + (b * c + ch) * hw, gx + (b * c + ch) * hw, hw, m, gam * s, mean_g, k);
  }
}

void max_pool2x2(const float* x, std::int64_t planes, std::int64_t h, std::int64_t w, float* y, std::uint8_t* where) {
  const RowKernels& rk = rows();
  const std::int64_t oh = h / 2, ow = w / 2;
  for (std::int64_t p = 0; p < planes; ++p)
    for (std::int64_t r = 0; r < oh; ++r) {
      const float* a = x + p * h * w + 2 * r * w;
      rk.pool(a, a + w, ow, y + (p * oh + r) * ow, where + (p * oh + r) * ow);
    }
}

void max_pool2x2_backward(const float* gy, const std::uint8_t* where, std::int64_t planes, std::int64_t h, std::int64_t w,
                          float* gx) {
  const std::int64_t oh = h / 2, ow = w / 2;
  std::memset(gx, 0, sizeof(float) * planes * h * w);
  for (std::int64_t p = 0; p < planes; ++p)
    for (std::int64_t r = 0; r < oh; ++r)
      for (std::int64_t col = 0; col < ow; ++col) {
        const std::int64_t o = (p * oh + r) * ow + col;
        const std::uint8_t k = where[o];
        gx[p * h * w + (2 * r + (k >> 1)) * w + 2 * col + (k & 1)] = gy[o];
      }
}

void upsample2x(const float* x, std::int64_t planes, std::int64_t h, std::int64_t w, float* y) {
  for (std::int64_t p = 0; p < planes; ++p)
    for (std::int64_t r = 0; r < h; ++r) {
      const float* in = x + (p * h + r) * w;
      float* out = y + (p * 2 * h + 2 * r) * 2 * w;
      for (std::int64_t col = 0; col < w; ++col) out[2 * col] = out[2 * col + 1] = in[col];
      std::memcpy(out + 2 * w, out, sizeof(float) * 2 * w);
    }
}

void upsample2x_backward(const float* gy, std::int64_t planes, std::int64_t h, std::int64_t w, float* gx) {
  for (std::int64_t p = 0; p < planes; ++p)
    for (std::int64_t r = 0; r < h; ++r) {
      const float* a = gy + (p * 2 * h + 2 * r) * 2 * w;
      const float* b = a + 2 * w;
      float* out = gx + (p * h + r) * w;
      for (std::int64_t col = 0; col < w; ++col) out[col] = (a[2 * col] + a[2 * col + 1]) + (b[2 * col] + b[2 * col + 1]);
    }
}

}  // namespace ocb::methods::kernels
