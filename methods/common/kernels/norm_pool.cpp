// Batch norm, max-pool and upsampling kernels (norm_pool.hpp). Channel sums
// are taken per row in float (the row loops of rows.hpp, eight partial sums)
// and accumulated across rows in float64, in a fixed order.
#include "methods/common/kernels/norm_pool.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "methods/common/kernels/rows.hpp"

namespace ocb::methods::kernels {

namespace {

// Software prefetch of the cache lines of [p, p + bytes), a hint only (no
// result changes): the backward walks one channel across the batch, planes a
// whole sample apart (a new page each time), where the hardware's stride
// prefetchers stop, so it asks for the next planes while it works on these.
void prefetch_bytes(const void* p, std::int64_t bytes) {
  const char* c = static_cast<const char*>(p);
  for (std::int64_t b = 0; b < bytes; b += 64) __builtin_prefetch(c + b);
  if (bytes > 0) __builtin_prefetch(c + bytes - 1);
}

// One channel's batch statistics: two passes (sum, then squared deviations).
// Each plane's float sum is added to the float64 total in the order of the
// batch; the row kernels take four planes at a time (the same bytes per plane).
void channel_stats(const RowKernels& rk, const float* x, std::int64_t n, std::int64_t c, std::int64_t hw, std::int64_t ch,
                   double eps, float* mean, float* var, float* invstd) {
  const double count = static_cast<double>(n * hw);
  // The float64 total of kernel(planes, k, sums) over the batch, four planes a call.
  auto total = [&](auto&& kernel) {
    double t = 0.0;
    for (std::int64_t b = 0; b < n; b += 4) {
      const int k = static_cast<int>(std::min<std::int64_t>(4, n - b));
      const float* p[4];
      float s[4];
      for (int j = 0; j < k; ++j) p[j] = x + ((b + j) * c + ch) * hw;
      kernel(p, k, s);
      for (int j = 0; j < k; ++j) t += s[j];
    }
    return t;
  };
  const double mu = total([&](const float* const* p, int k, float* s) { rk.sums(p, k, hw, s); }) / count;
  const auto muf = static_cast<float>(mu);
  const double sq = total([&](const float* const* p, int k, float* s) { rk.sq_devs(p, k, hw, muf, s); });
  mean[ch] = static_cast<float>(mu);
  var[ch] = static_cast<float>(sq / count);
  invstd[ch] = static_cast<float>(1.0 / std::sqrt(sq / count + eps));
}

}  // namespace

void batch_norm_train(const float* x, std::int64_t n, std::int64_t c, std::int64_t hw, double eps, const float* gamma,
                      const float* beta, float* y, float* mean, float* var, float* invstd) {
  const RowKernels& rk = rows();
  for (std::int64_t ch = 0; ch < c; ++ch) {
    channel_stats(rk, x, n, c, hw, ch, eps, mean, var, invstd);
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

namespace {

// The per-channel terms of batch norm's input gradient from the channel's sums
// of gy and gy (x - mean):
//   gx = gamma invstd (gy - mean(gy) - xhat mean(gy xhat)), xhat = (x - mean) invstd,
// written as gamma invstd (gy - mean_g - (x - mean) k); and, when asked for,
// the gradients of gamma and beta.
struct GradTerms {
  float mean_g, k;
};
GradTerms grad_terms(double sum_g, double sum_gx, float invstd, double count, float* ggamma, float* gbeta) {
  const double sum_g_xhat = sum_gx * invstd;
  if (ggamma) {
    *ggamma = static_cast<float>(sum_g_xhat);
    *gbeta = static_cast<float>(sum_g);
  }
  return {static_cast<float>(sum_g / count), static_cast<float>(sum_g_xhat / count) * invstd};
}

}  // namespace

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
    const float gam = gamma ? gamma[ch] : 1.f;
    const auto [mean_g, k] = grad_terms(sum_g, sum_gx, s, count, gamma ? ggamma + ch : nullptr, gamma ? gbeta + ch : nullptr);
    for (std::int64_t b = 0; b < n; ++b)
      rk.bn_grad(x + (b * c + ch) * hw, gy + (b * c + ch) * hw, gx + (b * c + ch) * hw, hw, m, gam * s, mean_g, k);
  }
}

std::pair<std::int64_t, std::int64_t> after_shape(After after, std::int64_t h, std::int64_t w) {
  switch (after) {
    case After::pool2x2: return {h / 2, w / 2};
    case After::upsample2x: return {2 * h, 2 * w};
    default: return {h, w};
  }
}

void batch_norm_act_train(const float* x, std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w, double eps,
                          const float* gamma, const float* beta, float slope, After after, float* y, std::uint8_t* where,
                          float* mean, float* var, float* invstd) {
  const RowKernels& rk = rows();
  const auto [oh, ow] = after_shape(after, h, w);
  const std::int64_t hw = h * w, out = oh * ow;
  std::vector<float> scratch(static_cast<std::size_t>(after == After::upsample2x ? hw : 0));
  for (std::int64_t ch = 0; ch < c; ++ch) {
    channel_stats(rk, x, n, c, hw, ch, eps, mean, var, invstd);
    const float g = gamma ? gamma[ch] : 1.f, bt = gamma ? beta[ch] : 0.f;
    for (std::int64_t b = 0; b < n; ++b) {
      const std::int64_t plane = b * c + ch;
      float* yp = y + plane * out;
      if (after == After::pool2x2) {  // the activation pooled as it is computed
        rk.act_pool(x + plane * hw, h, w, mean[ch], invstd[ch] * g, bt, slope, yp, where + plane * out);
      } else if (after == After::upsample2x) {
        rk.affine_lrelu(x + plane * hw, scratch.data(), hw, mean[ch], invstd[ch] * g, bt, slope);
        rk.upsample(scratch.data(), h, w, yp, 2 * w);
      } else {
        rk.affine_lrelu(x + plane * hw, yp, hw, mean[ch], invstd[ch] * g, bt, slope);
      }
    }
  }
}

void batch_norm_act_backward(const float* x, const float* gy, std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w,
                             const float* mean, const float* invstd, const float* gamma, const float* beta, float slope,
                             After after, const std::uint8_t* where, float* gx, float* ggamma, float* gbeta) {
  const RowKernels& rk = rows();
  const auto [oh, ow] = after_shape(after, h, w);
  const std::int64_t hw = h * w, out = oh * ow;
  const double count = static_cast<double>(n * hw);
  for (std::int64_t ch = 0; ch < c; ++ch) {
    const float m = mean[ch], s = invstd[ch];
    const float gam = gamma ? gamma[ch] : 1.f, bt = gamma ? beta[ch] : 0.f;
    // First pass, four planes a call: the gradient at the activation's output
    // on the batch norm's grid (the pooling's or upsampling's backward, written
    // into gx), then the leaky ReLU's gradient, its input recomputed from x,
    // written over it while the planes' float sums are taken. The sums go into
    // the float64 totals in the order of the batch (the same bytes per plane).
    double sum_g = 0.0, sum_gx = 0.0;
    for (std::int64_t b = 0; b < n; b += 4) {
      const int planes = static_cast<int>(std::min<std::int64_t>(4, n - b));
      const float* xs[4];
      const float* gs[4];
      float* outs[4];
      for (int j = 0; j < planes; ++j) {
        const std::int64_t plane = (b + j) * c + ch;
        xs[j] = x + plane * hw;
        outs[j] = gx + plane * hw;
        gs[j] = outs[j];
        if (after == After::pool2x2) {
          rk.unpool(gy + plane * out, where + plane * out, h, w, outs[j]);
        } else if (after == After::upsample2x) {
          rk.upsample_backward(gy + plane * out, h, w, outs[j]);
        } else {
          gs[j] = gy + plane * out;
        }
      }
      for (std::int64_t j = b + 4; j < std::min(b + 8, n); ++j) {  // the next four planes' inputs
        const std::int64_t plane = j * c + ch;
        prefetch_bytes(x + plane * hw, hw * 4);
        prefetch_bytes(gy + plane * out, out * 4);
        if (after == After::pool2x2) prefetch_bytes(where + plane * out, out);
      }
      float a[4], bb[4];
      rk.act_grad_sums(xs, gs, outs, planes, hw, m, s * gam, bt, slope, a, bb);
      for (int j = 0; j < planes; ++j) {
        sum_g += a[j];
        sum_gx += bb[j];
      }
    }
    // Second pass: batch norm's input gradient from the activation's, in
    // place, plane by plane (no order in its arithmetic). Last plane first:
    // one channel's x and gx over a batch of 200 are 1.25 MB on MNIST's first
    // layer, more than a 1 MB L2, and the first pass leaves its last planes
    // in the cache, not its first.
    const auto [mean_g, k] = grad_terms(sum_g, sum_gx, s, count, gamma ? ggamma + ch : nullptr, gamma ? gbeta + ch : nullptr);
    for (std::int64_t b = n - 1; b >= 0; --b) {
      const std::int64_t plane = b * c + ch;
      rk.bn_grad_in_place(x + plane * hw, gx + plane * hw, hw, m, gam * s, mean_g, k);
    }
  }
}

void max_pool2x2(const float* x, std::int64_t planes, std::int64_t h, std::int64_t w, float* y, std::uint8_t* where) {
  const RowKernels& rk = rows();
  const std::int64_t out = (h / 2) * (w / 2);
  for (std::int64_t p = 0; p < planes; ++p) rk.pool(x + p * h * w, h, w, y + p * out, where + p * out);
}

void max_pool2x2_backward(const float* gy, const std::uint8_t* where, std::int64_t planes, std::int64_t h, std::int64_t w,
                          float* gx) {
  const std::int64_t out = (h / 2) * (w / 2);
  const RowKernels& rk = rows();
  for (std::int64_t p = 0; p < planes; ++p) rk.unpool(gy + p * out, where + p * out, h, w, gx + p * h * w);
}

void upsample2x(const float* x, std::int64_t planes, std::int64_t h, std::int64_t w, float* y) {
  const RowKernels& rk = rows();
  for (std::int64_t p = 0; p < planes; ++p) rk.upsample(x + p * h * w, h, w, y + p * 4 * h * w, 2 * w);
}

void upsample2x_backward(const float* gy, std::int64_t planes, std::int64_t h, std::int64_t w, float* gx) {
  const RowKernels& rk = rows();
  for (std::int64_t p = 0; p < planes; ++p) rk.upsample_backward(gy + p * 4 * h * w, h, w, gx + p * h * w);
}

}  // namespace ocb::methods::kernels
