// Batch norm, max-pool and upsampling kernels (norm_pool.hpp). Channel sums
// are taken per row in float (vectorised) and accumulated across rows in
// float64, in a fixed order.
#include "methods/common/kernels/norm_pool.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "methods/common/kernels/clones.hpp"

namespace ocb::methods::kernels {
namespace {

OCB_CLONES float row_sum(const float* __restrict p, std::int64_t n) {
  float s = 0.f;
#pragma omp simd reduction(+ : s)
  for (std::int64_t i = 0; i < n; ++i) s += p[i];
  return s;
}

OCB_CLONES float row_sq_dev(const float* __restrict p, std::int64_t n, float m) {
  float s = 0.f;
#pragma omp simd reduction(+ : s)
  for (std::int64_t i = 0; i < n; ++i) s += (p[i] - m) * (p[i] - m);
  return s;
}

// sum g and sum g * (x - m) over a row.
OCB_CLONES void row_grad_sums(const float* __restrict x, const float* __restrict g, std::int64_t n, float m, float* sg,
                              float* sgx) {
  float a = 0.f, b = 0.f;
#pragma omp simd reduction(+ : a, b)
  for (std::int64_t i = 0; i < n; ++i) {
    a += g[i];
    b += g[i] * (x[i] - m);
  }
  *sg = a;
  *sgx = b;
}

OCB_CLONES void row_affine(const float* __restrict x, float* __restrict y, std::int64_t n, float m, float scale, float shift) {
  for (std::int64_t i = 0; i < n; ++i) y[i] = (x[i] - m) * scale + shift;
}

// gx = scale * (g - mean_g - (x - m) * k)
OCB_CLONES void row_bn_grad(const float* __restrict x, const float* __restrict g, float* __restrict gx, std::int64_t n,
                            float m, float scale, float mean_g, float k) {
  for (std::int64_t i = 0; i < n; ++i) gx[i] = scale * (g[i] - mean_g - (x[i] - m) * k);
}

OCB_CLONES void pool_row(const float* __restrict a, const float* __restrict b, std::int64_t ow, float* __restrict y,
                         std::uint8_t* __restrict where) {
  // First maximum in scan order (strict comparisons), as PyTorch; written
  // without branches so that it vectorises.
  for (std::int64_t c = 0; c < ow; ++c) {
    const float v0 = a[2 * c], v1 = a[2 * c + 1], v2 = b[2 * c], v3 = b[2 * c + 1];
    const int up = v1 > v0, down = v3 > v2;
    const float m01 = std::max(v0, v1), m23 = std::max(v2, v3);
    const int lower = m23 > m01;
    y[c] = std::max(m01, m23);
    where[c] = static_cast<std::uint8_t>(lower * (2 + down) + (1 - lower) * up);
  }
}

}  // namespace

void batch_norm_train(const float* x, std::int64_t n, std::int64_t c, std::int64_t hw, double eps, const float* gamma,
                      const float* beta, float* y, float* mean, float* var, float* invstd) {
  const double count = static_cast<double>(n * hw);
  for (std::int64_t ch = 0; ch < c; ++ch) {
    double sum = 0.0;
    for (std::int64_t b = 0; b < n; ++b) sum += row_sum(x + (b * c + ch) * hw, hw);
    const double mu = sum / count;
    double sq = 0.0;
    for (std::int64_t b = 0; b < n; ++b) sq += row_sq_dev(x + (b * c + ch) * hw, hw, static_cast<float>(mu));
    const double inv = 1.0 / std::sqrt(sq / count + eps);
    mean[ch] = static_cast<float>(mu);
    var[ch] = static_cast<float>(sq / count);
    invstd[ch] = static_cast<float>(inv);
    const float g = gamma ? gamma[ch] : 1.f, bt = gamma ? beta[ch] : 0.f;
    for (std::int64_t b = 0; b < n; ++b)
      row_affine(x + (b * c + ch) * hw, y + (b * c + ch) * hw, hw, mean[ch], invstd[ch] * g, bt);
  }
}

void batch_norm_eval(const float* x, std::int64_t n, std::int64_t c, std::int64_t hw, double eps, const float* running_mean,
                     const float* running_var, const float* gamma, const float* beta, float* y) {
  for (std::int64_t ch = 0; ch < c; ++ch) {
    const float s = static_cast<float>(1.0 / std::sqrt(static_cast<double>(running_var[ch]) + eps));
    const float g = gamma ? gamma[ch] : 1.f, bt = gamma ? beta[ch] : 0.f;
    for (std::int64_t b = 0; b < n; ++b)
      row_affine(x + (b * c + ch) * hw, y + (b * c + ch) * hw, hw, running_mean[ch], s * g, bt);
  }
}

void batch_norm_backward(const float* x, const float* gy, std::int64_t n, std::int64_t c, std::int64_t hw,
                         const float* mean, const float* invstd, const float* gamma, float* gx, float* ggamma, float* gbeta) {
  const double count = static_cast<double>(n * hw);
  for (std::int64_t ch = 0; ch < c; ++ch) {
    const float m = mean[ch], s = invstd[ch];
    double sum_g = 0.0, sum_gx = 0.0;  // sum gy, sum gy * (x - mean)
    for (std::int64_t b = 0; b < n; ++b) {
      float a, bb;
      row_grad_sums(x + (b * c + ch) * hw, gy + (b * c + ch) * hw, hw, m, &a, &bb);
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
      row_bn_grad(x + (b * c + ch) * hw, gy + (b * c + ch) * hw, gx + (b * c + ch) * hw, hw, m, gam * s, mean_g, k);
  }
}

void max_pool2x2(const float* x, std::int64_t planes, std::int64_t h, std::int64_t w, float* y, std::uint8_t* where) {
  const std::int64_t oh = h / 2, ow = w / 2;
  for (std::int64_t p = 0; p < planes; ++p)
    for (std::int64_t r = 0; r < oh; ++r) {
      const float* a = x + p * h * w + 2 * r * w;
      pool_row(a, a + w, ow, y + (p * oh + r) * ow, where + (p * oh + r) * ow);
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
