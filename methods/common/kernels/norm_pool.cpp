// Batch norm, max-pool and upsampling kernels (norm_pool.hpp). Channel
// statistics are accumulated in float64 in a fixed order.
#include "methods/common/kernels/norm_pool.hpp"

#include <cmath>
#include <cstring>

namespace ocb::methods::kernels {

void batch_norm_train(const float* x, std::int64_t n, std::int64_t c, std::int64_t hw, double eps, const float* gamma,
                      const float* beta, float* y, float* mean, float* var, float* invstd) {
  const double count = static_cast<double>(n * hw);
  for (std::int64_t ch = 0; ch < c; ++ch) {
    double sum = 0.0;
    for (std::int64_t b = 0; b < n; ++b) {
      const float* p = x + (b * c + ch) * hw;
      for (std::int64_t i = 0; i < hw; ++i) sum += p[i];
    }
    const double mu = sum / count;
    double sq = 0.0;
    for (std::int64_t b = 0; b < n; ++b) {
      const float* p = x + (b * c + ch) * hw;
      for (std::int64_t i = 0; i < hw; ++i) {
        const double d = p[i] - mu;
        sq += d * d;
      }
    }
    const double inv = 1.0 / std::sqrt(sq / count + eps);
    mean[ch] = static_cast<float>(mu);
    var[ch] = static_cast<float>(sq / count);
    invstd[ch] = static_cast<float>(inv);
    const float m = static_cast<float>(mu), s = static_cast<float>(inv);
    const float g = gamma ? gamma[ch] : 1.f, bt = gamma ? beta[ch] : 0.f;
    for (std::int64_t b = 0; b < n; ++b) {
      const float* p = x + (b * c + ch) * hw;
      float* q = y + (b * c + ch) * hw;
      for (std::int64_t i = 0; i < hw; ++i) q[i] = (p[i] - m) * s * g + bt;
    }
  }
}

void batch_norm_eval(const float* x, std::int64_t n, std::int64_t c, std::int64_t hw, double eps, const float* running_mean,
                     const float* running_var, const float* gamma, const float* beta, float* y) {
  for (std::int64_t ch = 0; ch < c; ++ch) {
    const float m = running_mean[ch];
    const float s = static_cast<float>(1.0 / std::sqrt(static_cast<double>(running_var[ch]) + eps));
    const float g = gamma ? gamma[ch] : 1.f, bt = gamma ? beta[ch] : 0.f;
    for (std::int64_t b = 0; b < n; ++b) {
      const float* p = x + (b * c + ch) * hw;
      float* q = y + (b * c + ch) * hw;
      for (std::int64_t i = 0; i < hw; ++i) q[i] = (p[i] - m) * s * g + bt;
    }
  }
}

void batch_norm_backward(const float* x, const float* gy, std::int64_t n, std::int64_t c, std::int64_t hw,
                         const float* mean, const float* invstd, const float* gamma, float* gx, float* ggamma, float* gbeta) {
  const double count = static_cast<double>(n * hw);
  for (std::int64_t ch = 0; ch < c; ++ch) {
    const float m = mean[ch], s = invstd[ch];
    double sum_gy = 0.0, sum_gy_xhat = 0.0;
    for (std::int64_t b = 0; b < n; ++b) {
      const float* p = x + (b * c + ch) * hw;
      const float* g = gy + (b * c + ch) * hw;
      for (std::int64_t i = 0; i < hw; ++i) {
        sum_gy += g[i];
        sum_gy_xhat += static_cast<double>(g[i]) * ((p[i] - m) * s);
      }
    }
    const float gam = gamma ? gamma[ch] : 1.f;
    if (gamma) {
      ggamma[ch] = static_cast<float>(sum_gy_xhat);
      gbeta[ch] = static_cast<float>(sum_gy);
    }
    // gx = gamma * invstd * (gy - mean(gy) - xhat * mean(gy * xhat))
    const float mean_gy = static_cast<float>(sum_gy / count), mean_gyx = static_cast<float>(sum_gy_xhat / count);
    const float scale = gam * s;
    for (std::int64_t b = 0; b < n; ++b) {
      const float* p = x + (b * c + ch) * hw;
      const float* g = gy + (b * c + ch) * hw;
      float* q = gx + (b * c + ch) * hw;
      for (std::int64_t i = 0; i < hw; ++i) q[i] = scale * (g[i] - mean_gy - (p[i] - m) * s * mean_gyx);
    }
  }
}

void max_pool2x2(const float* x, std::int64_t planes, std::int64_t h, std::int64_t w, float* y, std::uint8_t* where) {
  const std::int64_t oh = h / 2, ow = w / 2;
  for (std::int64_t p = 0; p < planes; ++p) {
    const float* in = x + p * h * w;
    for (std::int64_t r = 0; r < oh; ++r)
      for (std::int64_t col = 0; col < ow; ++col) {
        const float* top = in + 2 * r * w + 2 * col;
        const float v[4] = {top[0], top[1], top[w], top[w + 1]};
        std::uint8_t best = 0;
        for (std::uint8_t k = 1; k < 4; ++k)
          if (v[k] > v[best] || std::isnan(v[k])) best = k;
        y[(p * oh + r) * ow + col] = v[best];
        where[(p * oh + r) * ow + col] = best;
      }
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
