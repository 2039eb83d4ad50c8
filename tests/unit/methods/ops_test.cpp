// ocbench's CPU kernels against LibTorch's own operations: forward values and
// gradients of every layer the paper's networks use, on shapes from both
// networks, with odd sizes and paddings.
// LibTorch first: its c10 logging header defines a CHECK of its own (abort on
// failure, counted by no one), which, included after Catch, silently replaced
// Catch's CHECK in this file. Catch's definition must be the one that stays.
#include <torch/torch.h>
#undef CHECK
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstring>

#include "methods/common/kernels/conv5x5.hpp"
#include "methods/common/kernels/norm_pool.hpp"
#include "methods/common/kernels/rows.hpp"
#include "methods/common/ops.hpp"

namespace ops = ocb::methods::ops;

namespace {

struct Pair {
  at::Tensor native, reference;
};

// Runs f on a fresh leaf copy of each input with each kernel set, backpropagates
// the same random upstream gradient, and returns outputs and input gradients.
template <class F>
std::vector<Pair> compare(std::vector<at::Tensor> inputs, F&& f) {
  std::vector<Pair> out;
  std::vector<at::Tensor> grads[2], outputs;
  at::Tensor upstream;
  for (int k = 0; k < 2; ++k) {
    std::vector<at::Tensor> leaves;
    for (auto& t : inputs) leaves.push_back(t.clone().set_requires_grad(true));
    auto y = f(leaves, k == 0 ? ops::Kernels::native : ops::Kernels::torch);
    if (!upstream.defined()) upstream = torch::randn_like(y);
    y.backward(upstream);
    outputs.push_back(y.detach());
    for (auto& l : leaves) grads[k].push_back(l.grad());
  }
  out.push_back({outputs[0], outputs[1]});
  for (std::size_t i = 0; i < inputs.size(); ++i) out.push_back({grads[0][i], grads[1][i]});
  return out;
}

void check_close(const std::vector<Pair>& pairs, double tol = 2e-5) {
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    INFO("tensor " << i << " (0 = output, then the inputs' gradients)");
    REQUIRE(pairs[i].native.sizes() == pairs[i].reference.sizes());
    const double scale = std::max(1.0, pairs[i].reference.abs().max().item<double>());
    CHECK((pairs[i].native - pairs[i].reference).abs().max().item<double>() / scale < tol);
  }
}

// One convolution shape of the tests that hold the direct kernels to their
// defining chains: the sizes, a random input and its zero-padded copy.
struct ConvCase {
  ocb::methods::kernels::ConvShape shape;
  std::int64_t ho, wo, hp, wp;
  at::Tensor x, padded;  // [b, ci, h, w] and [b, ci, hp, wp]
};

// fn(isa) under every build of the row kernels this CPU runs, after seeding
// LibTorch's generator; the build in use is restored afterwards, also when a
// REQUIRE inside fn throws.
template <class F>
void for_each_build(std::uint64_t seed, F&& fn) {
  namespace kn = ocb::methods::kernels;
  struct Restore {
    kn::Isa isa;
    ~Restore() { kn::set_isa(isa); }
  } restore{kn::active_isa()};
  torch::manual_seed(seed);
  for (auto isa : kn::supported_isas()) {
    kn::set_isa(isa);
    fn(isa);
  }
}

// fn(case) for every shape ({b, ci, co, h, w, pad}) under every build of the
// row kernels this CPU runs (for_each_build).
template <class F>
void for_each_build_and_shape(const std::vector<std::array<std::int64_t, 6>>& shapes, std::uint64_t seed, F&& fn) {
  namespace kn = ocb::methods::kernels;
  for_each_build(seed, [&](kn::Isa isa) {
    for (const auto& [b, ci, co, h, w, pad] : shapes) {
      ConvCase c{{b, ci, co, h, w, pad}, 0, 0, h + 2 * pad, w + 2 * pad, torch::randn({b, ci, h, w}), {}};
      c.ho = c.shape.out_height();
      c.wo = c.shape.out_width();
      c.padded = torch::constant_pad_nd(c.x, {pad, pad, pad, pad}).contiguous();
      INFO(kn::isa_name(isa) << ": batch " << b << ", " << ci << " -> " << co << " channels, " << h << "x" << w << ", pad "
                             << pad << ", grid " << c.ho * c.wp);
      fn(c);
    }
  });
}

}  // namespace

TEST_CASE("conv5x5 matches LibTorch forward and backward", "[methods]") {
  torch::manual_seed(1);
  struct S { int b, ci, co, h, w, pad; };
  // The last two: many channels (the weight gradient's channels path).
  for (auto s : {S{3, 1, 8, 28, 28, 2}, S{2, 8, 4, 14, 14, 2}, S{2, 3, 5, 9, 7, 1}, S{1, 2, 3, 6, 6, 0}, S{2, 32, 64, 16, 16, 2},
                 S{3, 64, 32, 7, 5, 1}}) {
    DYNAMIC_SECTION(s.ci << "->" << s.co << " " << s.h << "x" << s.w << " pad " << s.pad) {
      check_close(compare({torch::randn({s.b, s.ci, s.h, s.w}), torch::randn({s.co, s.ci, 5, 5})},
                          [&](auto& in, ops::Kernels k) { return ops::conv5x5(in[0], in[1], s.pad, k); }));
    }
  }
}

TEST_CASE("conv_transpose5x5 matches LibTorch forward and backward", "[methods]") {
  torch::manual_seed(2);
  struct S { int b, ci, co, h, pad; };
  for (auto s : {S{3, 2, 4, 8, 2}, S{2, 4, 8, 16, 3}, S{2, 8, 1, 28, 2}, S{2, 3, 2, 5, 1}, S{2, 128, 64, 8, 2}, S{2, 8, 128, 4, 2}}) {
    DYNAMIC_SECTION(s.ci << "->" << s.co << " " << s.h << " pad " << s.pad) {
      check_close(compare({torch::randn({s.b, s.ci, s.h, s.h}), torch::randn({s.ci, s.co, 5, 5})},
                          [&](auto& in, ops::Kernels k) { return ops::conv_transpose5x5(in[0], in[1], s.pad, k); }));
    }
  }
}

TEST_CASE("batch_norm matches LibTorch in training and inference mode", "[methods]") {
  torch::manual_seed(3);
  for (bool affine : {false, true}) {
    for (auto shape : {std::vector<std::int64_t>{6, 4, 5, 5}, std::vector<std::int64_t>{7, 3}}) {
      DYNAMIC_SECTION("affine " << affine << " dims " << shape.size()) {
        const auto c = shape[1];
        at::Tensor rm[2] = {torch::zeros({c}), torch::zeros({c})}, rv[2] = {torch::ones({c}), torch::ones({c})};
        std::vector<at::Tensor> inputs{torch::randn(shape) * 3 + 1};
        if (affine) {
          inputs.push_back(torch::rand({c}) + 0.5);
          inputs.push_back(torch::randn({c}));
        }
        int call = 0;
        check_close(compare(inputs, [&](auto& in, ops::Kernels k) {
          const int i = call++;
          return ops::batch_norm(in[0], rm[i], rv[i], affine ? in[1] : at::Tensor(), affine ? in[2] : at::Tensor(),
                                 true, 0.1, 1e-4, k);
        }));
        CHECK(torch::allclose(rm[0], rm[1], 1e-5, 1e-6));
        CHECK(torch::allclose(rv[0], rv[1], 1e-5, 1e-6));
        auto x = torch::randn(shape);
        auto a = ops::batch_norm(x, rm[0], rv[0], {}, {}, false, 0.1, 1e-4, ops::Kernels::native);
        auto b = ops::batch_norm(x, rm[1], rv[1], {}, {}, false, 0.1, 1e-4, ops::Kernels::torch);
        CHECK(torch::allclose(a, b, 1e-5, 1e-5));
      }
    }
  }
}

TEST_CASE("max_pool2x2 and upsample2x match LibTorch, ties included", "[methods]") {
  torch::manual_seed(4);
  check_close(compare({torch::randn({2, 3, 8, 6})}, [](auto& in, ops::Kernels k) { return ops::max_pool2x2(in[0], k); }));
  check_close(compare({torch::randn({2, 3, 7, 7})}, [](auto& in, ops::Kernels k) { return ops::max_pool2x2(in[0], k); }));
  // Ties: rounded values make many equal maxima; the gradient must go to the same element.
  check_close(compare({torch::randint(0, 3, {2, 2, 6, 6}).to(torch::kFloat)},
                      [](auto& in, ops::Kernels k) { return ops::max_pool2x2(in[0], k); }));
  check_close(compare({torch::randn({2, 3, 4, 5})}, [](auto& in, ops::Kernels k) { return ops::upsample2x(in[0], k); }));
}

TEST_CASE("upsampling and its gradient under every build, every row width up to 17", "[methods]") {
  // The vector builds take eight and four columns a step and the rest one by
  // one: each width checks a different split against the definition, bytes.
  namespace kn = ocb::methods::kernels;
  for_each_build(12, [](kn::Isa isa) {
    for (std::int64_t w = 1; w <= 17; ++w) {
      const std::int64_t h = 3;
      INFO(kn::isa_name(isa) << ", width " << w);
      auto x = torch::randn({h, w}), gy = torch::randn({2 * h, 2 * w});
      std::vector<float> y(static_cast<std::size_t>(4 * h * w)), gx(static_cast<std::size_t>(h * w));
      kn::rows().upsample(x.data_ptr<float>(), h, w, y.data(), 2 * w);
      kn::rows().upsample_backward(gy.data_ptr<float>(), h, w, gx.data());
      const float* xp = x.data_ptr<float>();
      const float* g = gy.data_ptr<float>();
      bool same_y = true, same_gx = true;
      for (std::int64_t r = 0; r < 2 * h; ++r)
        for (std::int64_t c = 0; c < 2 * w; ++c) same_y &= std::memcmp(&y[r * 2 * w + c], &xp[(r / 2) * w + c / 2], 4) == 0;
      for (std::int64_t r = 0; r < h; ++r)
        for (std::int64_t c = 0; c < w; ++c) {
          const float* a = g + 2 * r * 2 * w;
          const float* b = a + 2 * w;
          const float want = (a[2 * c] + a[2 * c + 1]) + (b[2 * c] + b[2 * c + 1]);
          same_gx &= std::memcmp(&gx[r * w + c], &want, 4) == 0;
        }
      CHECK(same_y);
      CHECK(same_gx);
    }
  });
}

TEST_CASE("pooling, its fused activation and its gradient under every build, every width up to 35", "[methods]") {
  // The sixteen-lane build pools a plane's rows sixteen outputs at a time
  // with masks for the rest: each width (odd ones leave a column in no
  // window) and an odd height check a different split against the
  // definition (first maximum in scan order), bytes.
  namespace kn = ocb::methods::kernels;
  for_each_build(13, [](kn::Isa isa) {
    for (std::int64_t w = 2; w <= 35; ++w) {
      const std::int64_t h = 5, oh = h / 2, ow = w / 2;
      INFO(kn::isa_name(isa) << ", width " << w);
      // Rounded values: ties, and activations at exactly zero.
      auto x = (torch::randn({h, w}) * 4).round() / 4;
      auto gy = torch::randn({oh, ow});
      const float m = 0.25f, scale = 1.5f, shift = -0.125f, slope = 0.01f;
      const float* xp = x.data_ptr<float>();
      auto act = [&](float v) {
        const float a = std::fma(v - m, scale, shift);
        return a > 0.f ? a : a * slope;
      };
      for (int fused = 0; fused < 2; ++fused) {
        std::vector<float> y(static_cast<std::size_t>(oh * ow)), gx(static_cast<std::size_t>(h * w), 7.f);
        std::vector<std::uint8_t> where(static_cast<std::size_t>(oh * ow));
        if (fused) {
          kn::rows().act_pool(xp, h, w, m, scale, shift, slope, y.data(), where.data());
        } else {
          kn::rows().pool(xp, h, w, y.data(), where.data());
        }
        kn::rows().unpool(gy.data_ptr<float>(), where.data(), h, w, gx.data());
        bool same_y = true, same_gx = true;
        std::vector<float> want_gx(static_cast<std::size_t>(h * w), 0.f);
        for (std::int64_t r = 0; r < oh; ++r)
          for (std::int64_t c = 0; c < ow; ++c) {
            float best = 0.f;
            std::int64_t at = -1;
            for (std::int64_t k = 0; k < 4; ++k) {
              const std::int64_t i = (2 * r + k / 2) * w + 2 * c + k % 2;
              const float v = fused ? act(xp[i]) : xp[i];
              if (at < 0 || v > best) best = v, at = i;
            }
            same_y &= std::memcmp(&y[r * ow + c], &best, 4) == 0;
            want_gx[at] = gy.data_ptr<float>()[r * ow + c];
          }
        for (std::int64_t i = 0; i < h * w; ++i) same_gx &= std::memcmp(&gx[i], &want_gx[i], 4) == 0;
        INFO((fused ? "act_pool" : "pool"));
        CHECK(same_y);
        CHECK(same_gx);
      }
    }
  });
}

TEST_CASE("every build of the row kernels gives the same bytes", "[methods]") {
  namespace kn = ocb::methods::kernels;
  const auto isas = kn::supported_isas();
  INFO("this CPU runs: " << [&] {
    std::string s;
    for (auto i : isas) s += kn::isa_name(i) + " ";
    return s;
  }());
  const kn::Isa before = kn::active_isa();
  torch::manual_seed(5);
  // Odd lengths exercise the eight-lane remainders; both networks' shapes.
  struct S { int b, ci, co, h, w, pad; };
  const std::vector<S> shapes{{3, 1, 8, 28, 28, 2}, {2, 8, 4, 14, 14, 2}, {2, 3, 5, 9, 7, 1}, {2, 3, 32, 32, 32, 2},
                              {3, 32, 64, 8, 8, 2}};
  auto run_all = [&](kn::Isa isa) {
    kn::set_isa(isa);
    std::vector<at::Tensor> out;
    torch::manual_seed(6);
    for (const auto& s : shapes) {
      auto x = torch::randn({s.b, s.ci, s.h, s.w}).set_requires_grad(true);
      auto w = torch::randn({s.co, s.ci, 5, 5}).set_requires_grad(true);
      auto y = ops::conv5x5(x, w, s.pad, ops::Kernels::native);
      auto rm = torch::zeros({s.co}), rv = torch::ones({s.co});
      auto z = ops::max_pool2x2(ops::batch_norm(y, rm, rv, {}, {}, true, 0.1, 1e-4, ops::Kernels::native), ops::Kernels::native);
      auto u = ops::upsample2x(z, ops::Kernels::native);
      // and the fused batch norm + leaky ReLU + pooling / upsampling
      auto f = ops::batch_norm_act(u, rm, rv, {}, {}, true, 0.1, 1e-4, 0.01, ops::After::pool2x2, ops::Kernels::native);
      f = ops::batch_norm_act(f, rm, rv, {}, {}, true, 0.1, 1e-4, 0.01, ops::After::upsample2x, ops::Kernels::native);
      f.backward(torch::randn_like(f));
      out.insert(out.end(), {y.detach(), u.detach(), f.detach(), x.grad(), w.grad(), rm, rv});
    }
    return out;
  };
  const auto reference = run_all(kn::Isa::baseline);
  for (auto isa : isas) {
    const auto got = run_all(isa);
    for (std::size_t i = 0; i < got.size(); ++i) {
      INFO(kn::isa_name(isa) << " against baseline, tensor " << i);
      REQUIRE(got[i].numel() == reference[i].numel());
      CHECK(std::memcmp(got[i].data_ptr<float>(), reference[i].data_ptr<float>(), sizeof(float) * got[i].numel()) == 0);
    }
  }
  kn::set_isa(before);
}

TEST_CASE("the register-tiled convolution gives the bytes of the tap-row chain it replaced", "[methods]") {
  // The chain that defines a direct convolution's sums: for every input
  // channel and kernel row, one taps() call over the wide grid (ho x wp), from
  // zero. conv5x5_forward must give these bytes under every build, whatever
  // its tiling: output channels 1 to 9 (blocks of 4, 3, 2, 1), widths that
  // are and are not multiples of the register's lanes, and more input
  // channels than one group of the tiles takes (9, 20: groups of 8, each
  // starting from the sums the group before stored). Both ways it computes
  // them are checked whichever conv5x5_forward picks: the row tiles, and
  // sixteen samples side by side (batches of 9 to 33, so blocks full and
  // not, rows wider than sixteen positions).
  namespace kn = ocb::methods::kernels;
  for_each_build_and_shape({{2, 1, 8, 28, 28, 2}, {2, 8, 4, 14, 14, 2}, {1, 3, 9, 9, 7, 1}, {1, 2, 3, 12, 21, 0},
                            {1, 4, 6, 5, 5, 4}, {1, 1, 1, 36, 36, 2}, {1, 5, 2, 17, 33, 3}, {1, 9, 5, 8, 16, 2},
                            {2, 20, 3, 11, 13, 2}, {17, 1, 8, 28, 28, 2}, {16, 8, 4, 14, 14, 2}, {33, 4, 8, 16, 16, 1},
                            {9, 2, 4, 8, 8, 2}, {19, 8, 1, 28, 28, 2}, {20, 3, 7, 9, 37, 2}},
                           8, [](const ConvCase& c) {
    const auto& s = c.shape;
    auto w = torch::randn({s.out_channels, s.in_channels, 5, 5});
    auto y = torch::empty({s.batch, s.out_channels, c.ho, c.wo});
    auto y_rows = torch::empty_like(y), y_lanes = torch::full_like(y, 7.f);
    kn::conv5x5_forward(s, c.x.data_ptr<float>(), w.data_ptr<float>(), y.data_ptr<float>());
    kn::conv5x5_forward_rows(s, c.x.data_ptr<float>(), w.data_ptr<float>(), y_rows.data_ptr<float>());
    kn::conv5x5_forward_lanes(s, c.x.data_ptr<float>(), w.data_ptr<float>(), y_lanes.data_ptr<float>());
    std::vector<float> plane(static_cast<std::size_t>(c.hp * c.wp + 8)), wide(static_cast<std::size_t>(c.ho * c.wp));
    std::vector<float> expected(static_cast<std::size_t>(y.numel()));
    for (std::int64_t b = 0; b < s.batch; ++b)
      for (std::int64_t co = 0; co < s.out_channels; ++co) {
        std::fill(wide.begin(), wide.end(), 0.f);
        for (std::int64_t ci = 0; ci < s.in_channels; ++ci) {
          std::copy_n(c.padded[b][ci].data_ptr<float>(), c.hp * c.wp, plane.begin());
          for (int ky = 0; ky < 5; ++ky)
            kn::rows().taps(wide.data(), plane.data() + ky * c.wp, c.ho * c.wp, w[co][ci].data_ptr<float>() + 5 * ky);
        }
        for (std::int64_t r = 0; r < c.ho; ++r)
          std::copy_n(wide.data() + r * c.wp, c.wo, expected.data() + ((b * s.out_channels + co) * c.ho + r) * c.wo);
      }
    CHECK(std::memcmp(y.data_ptr<float>(), expected.data(), sizeof(float) * expected.size()) == 0);
    CHECK(std::memcmp(y_rows.data_ptr<float>(), expected.data(), sizeof(float) * expected.size()) == 0);
    CHECK(std::memcmp(y_lanes.data_ptr<float>(), expected.data(), sizeof(float) * expected.size()) == 0);
  });
}

TEST_CASE("dots4 over a gradient's own rows gives the bytes of dots4 over their wide grid", "[methods]") {
  // dots4_rows reads rows of wo where dots4 reads them copied onto a wide
  // grid of wp (a multiple of eight) with zeros past wo: whole chunks, a part
  // chunk of 1 to 7 and chunks wholly past wo, under every build.
  namespace kn = ocb::methods::kernels;
  for_each_build(14, [](kn::Isa isa) {
    const kn::RowKernels& rk = kn::rows();
    for (auto [ho, wo, wp] : std::vector<std::array<std::int64_t, 3>>{{28, 28, 32}, {3, 8, 8}, {5, 9, 16}, {4, 15, 16},
                                                                      {6, 12, 16}, {2, 8, 24}, {7, 17, 32}}) {
      INFO(kn::isa_name(isa) << ", " << ho << " rows of " << wo << " on a grid of " << wp);
      auto g = torch::randn({4, ho, wo}), b = torch::randn({(ho + 4) * wp + 16});
      std::vector<float> grid(static_cast<std::size_t>(4 * ho * wp), 0.f);
      const float* rows[4];
      const float* wide[4];
      for (int j = 0; j < 4; ++j) {
        rows[j] = g[j].data_ptr<float>();
        wide[j] = grid.data() + j * ho * wp;
        for (std::int64_t r = 0; r < ho; ++r) std::copy_n(rows[j] + r * wo, wo, grid.begin() + j * ho * wp + r * wp);
      }
      // From sums already under way, as the weight gradient adds sample after sample.
      std::vector<float> want(20, 0.25f), got(20, 0.25f);
      float* ws[4];
      float* gs[4];
      for (int j = 0; j < 4; ++j) {
        ws[j] = want.data() + 5 * j;
        gs[j] = got.data() + 5 * j;
      }
      rk.dots4(wide, b.data_ptr<float>(), ho * wp, ws);
      rk.dots4_rows(rows, ho, wo, wp, b.data_ptr<float>(), gs);
      CHECK(std::memcmp(want.data(), got.data(), sizeof(float) * want.size()) == 0);
    }
  });
}

TEST_CASE("a channel's batch statistics total the planes' float sums in the order of the batch", "[methods]") {
  // The contract behind the batch norm's bytes, whatever order its passes
  // walk the batch in: each plane's float sum (rows.hpp's sums, then sq_devs
  // about the float mean) added to a float64 total from the first sample to
  // the last. Batches of every size mod 4 (the kernels take four planes a
  // call), and both the plain and the fused forward.
  namespace kn = ocb::methods::kernels;
  const kn::RowKernels& rk = kn::rows();
  torch::manual_seed(15);
  for (std::int64_t n : {1, 3, 5, 6, 7, 9, 13}) {
    const std::int64_t c = 3, h = 6, w = 5, hw = h * w;
    auto x = torch::randn({n, c, h, w}) * 3 + 1;
    const float* xp = x.data_ptr<float>();
    std::vector<float> y(static_cast<std::size_t>(n * c * hw)), mean(c), var(c), invstd(c), fmean(c), fvar(c), finv(c);
    std::vector<std::uint8_t> where(static_cast<std::size_t>(n * c * hw));
    kn::batch_norm_train(xp, n, c, hw, 1e-4, nullptr, nullptr, y.data(), mean.data(), var.data(), invstd.data());
    kn::batch_norm_act_train(xp, n, c, h, w, 1e-4, nullptr, nullptr, 0.01f, kn::After::pool2x2, y.data(), where.data(),
                             fmean.data(), fvar.data(), finv.data());
    for (std::int64_t ch = 0; ch < c; ++ch) {
      INFO("batch " << n << ", channel " << ch);
      double total = 0.0, sq = 0.0;
      for (std::int64_t b = 0; b < n; ++b) {
        const float* p = xp + (b * c + ch) * hw;
        float s;
        rk.sums(&p, 1, hw, &s);
        total += s;
      }
      const double count = static_cast<double>(n * hw), mu = total / count;
      for (std::int64_t b = 0; b < n; ++b) {
        const float* p = xp + (b * c + ch) * hw;
        float s;
        rk.sq_devs(&p, 1, hw, static_cast<float>(mu), &s);
        sq += s;
      }
      const float want[2] = {static_cast<float>(mu), static_cast<float>(sq / count)};
      const float plain[2] = {mean[ch], var[ch]}, fused[2] = {fmean[ch], fvar[ch]};
      CHECK(std::memcmp(want, plain, sizeof want) == 0);
      CHECK(std::memcmp(want, fused, sizeof want) == 0);
    }
  }
}

TEST_CASE("the four-plane batch statistics give each plane the bytes of its own call", "[methods]") {
  // sums, sq_devs and act_grad_sums of four planes against the same kernels
  // of one plane, plane by plane, under every build: lengths below one register, with and
  // without a partial last register, past one chunk of act_grad_sums (256).
  namespace kn = ocb::methods::kernels;
  for_each_build(10, [](kn::Isa isa) {
    const kn::RowKernels& rk = kn::rows();
    for (std::int64_t n : {5, 8, 49, 196, 300, 784}) {
      auto x = torch::randn({4, n}), g = torch::randn({4, n});
      const float* xs[4];
      const float* gs[4];
      for (int j = 0; j < 4; ++j) {
        xs[j] = x[j].data_ptr<float>();
        gs[j] = g[j].data_ptr<float>();
      }
      const float m = 0.1f, scale = 1.3f, shift = -0.2f, slope = 0.01f;
      // The replaced gradients: into a separate buffer for four planes, in
      // place (over a copy of g) for one plane at a time.
      auto out4 = torch::empty({4, n}), in_place = g.clone();
      float* outs[4];
      float* own[4];
      for (int j = 0; j < 4; ++j) {
        outs[j] = out4[j].data_ptr<float>();
        own[j] = in_place[j].data_ptr<float>();
      }
      float s4[4], q4[4], a4[4], c4[4];
      rk.sums(xs, 4, n, s4);
      rk.sq_devs(xs, 4, n, m, q4);
      rk.act_grad_sums(xs, gs, outs, 4, n, m, scale, shift, slope, a4, c4);
      for (int j = 0; j < 4; ++j) {
        INFO(kn::isa_name(isa) << ", length " << n << ", plane " << j);
        float sum, sq, a, c;
        rk.sums(xs + j, 1, n, &sum);
        rk.sq_devs(xs + j, 1, n, m, &sq);
        const float* own_in = own[j];
        rk.act_grad_sums(xs + j, &own_in, own + j, 1, n, m, scale, shift, slope, &a, &c);
        const float one[4] = {sum, sq, a, c};
        const float four[4] = {s4[j], q4[j], a4[j], c4[j]};
        CHECK(std::memcmp(one, four, sizeof one) == 0);
        // What was written is the leaky ReLU's gradient at the affine map's output.
        std::vector<float> expected(static_cast<std::size_t>(n));
        for (std::int64_t i = 0; i < n; ++i) {
          const float act = std::fma(xs[j][i] - m, scale, shift);
          expected[i] = act > 0.f ? gs[j][i] : gs[j][i] * slope;
        }
        CHECK(std::memcmp(outs[j], expected.data(), sizeof(float) * n) == 0);
        CHECK(std::memcmp(own[j], expected.data(), sizeof(float) * n) == 0);
      }
    }
  });
}

TEST_CASE("the weight gradient gives the bytes of one dots() chain per sample and kernel row", "[methods]") {
  // The sums that define a direct convolution's weight gradient: per sample,
  // output and input channel and kernel row, one dots() call over the wide
  // grid (ho x wp, zero past wo; its last n % 8 elements through the scalar
  // tail), added to the weight's five taps. conv5x5_weight_grad pads the grid
  // to whole registers and takes four or two output channels per pass (two
  // input channels for a single output channel, odd counts included); it must
  // still give these bytes, under every build, on grids whose length is and is
  // not a multiple of eight, with batches of 1 to 33. Both ways it computes
  // them are checked whichever conv5x5_weight_grad picks: a sample at a time,
  // and sixteen side by side (blocks full and not, 1 to 8 output channels);
  // a sample at a time both over the grid and, where its rows are whole
  // registers, reading the gradient's rows where they lie.
  namespace kn = ocb::methods::kernels;
  for_each_build_and_shape({{2, 1, 8, 28, 28, 2}, {2, 8, 4, 14, 14, 2}, {2, 3, 7, 9, 7, 1}, {1, 2, 3, 12, 21, 0},
                            {2, 4, 1, 28, 28, 2}, {1, 5, 1, 17, 33, 3}, {1, 5, 2, 17, 33, 3}, {17, 8, 4, 14, 14, 2},
                            {16, 1, 8, 28, 28, 2}, {33, 4, 8, 16, 16, 1}, {9, 2, 4, 8, 8, 2}, {20, 8, 1, 28, 28, 2},
                            {18, 3, 5, 9, 37, 2}, {21, 2, 3, 10, 10, 4}, {3, 3, 6, 5, 6, 0},
                            // wide rows of whole registers (wp % 8 == 0), read in place by
                            // the four-channel blocks, the other channels copied
                            {3, 2, 6, 12, 12, 2}, {2, 3, 5, 8, 8, 4}, {4, 2, 4, 16, 16, 0}, {2, 1, 7, 20, 28, 2},
                            // one output channel on such rows: the five kernel rows in one
                            // pass (dots_in2_planes; an odd channel left over; paddings
                            // under 2, so that its first and last chunks meet data, not
                            // zeros), and a grid too short for it (under four rows)
                            {2, 3, 1, 12, 16, 0}, {1, 2, 1, 10, 14, 1}, {1, 2, 1, 3, 12, 2}},
                           9, [](const ConvCase& c) {
    const auto& s = c.shape;
    auto gy = torch::randn({s.batch, s.out_channels, c.ho, c.wo});
    std::vector<float> gw(static_cast<std::size_t>(s.out_channels * s.in_channels * 25));
    auto gw_rows = gw, gw_lanes = gw;
    kn::conv5x5_weight_grad(s, c.x.data_ptr<float>(), gy.data_ptr<float>(), gw.data());
    kn::conv5x5_weight_grad_rows(s, c.x.data_ptr<float>(), gy.data_ptr<float>(), gw_rows.data());
    kn::conv5x5_weight_grad_lanes(s, c.x.data_ptr<float>(), gy.data_ptr<float>(), gw_lanes.data());
    std::vector<float> plane(static_cast<std::size_t>(c.hp * c.wp + 8), 0.f), wide(static_cast<std::size_t>(c.ho * c.wp));
    std::vector<float> expected(gw.size(), 0.f);
    for (std::int64_t b = 0; b < s.batch; ++b)
      for (std::int64_t co = 0; co < s.out_channels; ++co) {
        std::fill(wide.begin(), wide.end(), 0.f);
        for (std::int64_t r = 0; r < c.ho; ++r)
          std::copy_n(gy[b][co].data_ptr<float>() + r * c.wo, c.wo, wide.begin() + r * c.wp);
        for (std::int64_t ci = 0; ci < s.in_channels; ++ci) {
          std::copy_n(c.padded[b][ci].data_ptr<float>(), c.hp * c.wp, plane.begin());
          for (int ky = 0; ky < 5; ++ky)
            kn::rows().dots(wide.data(), plane.data() + ky * c.wp, c.ho * c.wp,
                            expected.data() + (co * s.in_channels + ci) * 25 + 5 * ky);
        }
      }
    CHECK(std::memcmp(gw.data(), expected.data(), sizeof(float) * expected.size()) == 0);
    CHECK(std::memcmp(gw_rows.data(), expected.data(), sizeof(float) * expected.size()) == 0);
    CHECK(std::memcmp(gw_lanes.data(), expected.data(), sizeof(float) * expected.size()) == 0);
  });
}

TEST_CASE("many channels: the weight gradient gives each weight one chain over samples and positions", "[methods]") {
  // Layers with Ci x Co >= 1024 and Co a multiple of 16 (CIFAR-10's) take
  // another order: each weight's fused multiply-adds from zero over the
  // samples in order and, within one, the output positions row by row. Under
  // every build, with batches that do and do not fill the path's chunks of
  // samples, one and two registers of output channels, odd grids and paddings.
  namespace kn = ocb::methods::kernels;
  for_each_build_and_shape({{3, 32, 64, 8, 8, 2}, {9, 64, 32, 5, 7, 1}, {2, 8, 128, 4, 4, 2}, {17, 64, 16, 6, 3, 3},
                            {1, 32, 48, 9, 9, 0}},
                           10, [](const ConvCase& c) {
    const auto& s = c.shape;
    REQUIRE(kn::weight_channels_path(s));
    auto gy = torch::randn({s.batch, s.out_channels, c.ho, c.wo});
    std::vector<float> gw(static_cast<std::size_t>(s.out_channels * s.in_channels * 25), -1.f);
    auto gw_direct = gw;
    kn::conv5x5_weight_grad(s, c.x.data_ptr<float>(), gy.data_ptr<float>(), gw.data());
    kn::conv5x5_weight_grad_channels(s, c.x.data_ptr<float>(), gy.data_ptr<float>(), gw_direct.data());
    std::vector<float> expected(gw.size(), 0.f);
    const auto g = gy.accessor<float, 4>();
    const auto x = c.padded.accessor<float, 4>();
    for (std::int64_t co = 0; co < s.out_channels; ++co)
      for (std::int64_t ci = 0; ci < s.in_channels; ++ci)
        for (int t = 0; t < 25; ++t) {
          float a = 0.f;
          for (std::int64_t b = 0; b < s.batch; ++b)
            for (std::int64_t r = 0; r < c.ho; ++r)
              for (std::int64_t q = 0; q < c.wo; ++q) a = std::fma(g[b][co][r][q], x[b][ci][r + t / 5][q + t % 5], a);
          expected[(co * s.in_channels + ci) * 25 + t] = a;
        }
    CHECK(std::memcmp(gw.data(), expected.data(), sizeof(float) * expected.size()) == 0);
    CHECK(std::memcmp(gw_direct.data(), expected.data(), sizeof(float) * expected.size()) == 0);
  });
}

TEST_CASE("a convolution that reads its input upsampled gives the bytes of one over the upsampled copy", "[methods]") {
  // ConvShape::upsampled: the loaders (padded planes, sixteen-sample lanes)
  // duplicate rows and columns of the half-size input as they read it. Every
  // forward and weight-gradient path, under every build, against the same
  // path over upsample2x's output: the decoders' shapes (one input channel:
  // rows; MNIST's last layers: lanes forward, dots_in2; grids of 128 or
  // fewer: lanes weight gradient; many channels: the channels path), batches
  // that fill sixteen lanes and do not, a half-size plane with odd sides.
  namespace kn = ocb::methods::kernels;
  using Path = void (*)(const kn::ConvShape&, const float*, const float*, float*);
  for_each_build(21, [](kn::Isa isa) {
    struct S { std::int64_t b, ci, co, h, w, pad; };  // h, w: the half-size input
    for (auto c : {S{3, 1, 8, 14, 14, 2}, S{17, 8, 1, 14, 14, 2}, S{9, 4, 8, 8, 8, 1}, S{5, 2, 4, 4, 4, 2},
                   S{18, 3, 5, 5, 7, 1}, S{3, 32, 64, 4, 4, 2}}) {
      INFO(kn::isa_name(isa) << ": batch " << c.b << ", " << c.ci << " -> " << c.co << ", " << c.h << "x" << c.w
                             << " upsampled, pad " << c.pad);
      auto half = torch::randn({c.b, c.ci, c.h, c.w});
      auto full = ops::upsample2x(half, ops::Kernels::native).contiguous();
      const kn::ConvShape plain{c.b, c.ci, c.co, 2 * c.h, 2 * c.w, c.pad};
      kn::ConvShape up = plain;
      up.upsampled = true;
      auto w = torch::randn({c.co, c.ci, 5, 5});
      auto gy = torch::randn({c.b, c.co, plain.out_height(), plain.out_width()});
      auto same = [&](Path path, const at::Tensor& second, std::int64_t size) {
        std::vector<float> a(static_cast<std::size_t>(size), -1.f), b = a;
        path(plain, full.data_ptr<float>(), second.data_ptr<float>(), a.data());
        path(up, half.data_ptr<float>(), second.data_ptr<float>(), b.data());
        return std::memcmp(a.data(), b.data(), sizeof(float) * a.size()) == 0;
      };
      const std::int64_t out = gy.numel(), weights = w.numel();
      CHECK(same(kn::conv5x5_forward_rows, w, out));
      CHECK(same(kn::conv5x5_forward_lanes, w, out));
      CHECK(same(kn::conv5x5_weight_grad_rows, gy, weights));
      CHECK(same(kn::conv5x5_weight_grad_lanes, gy, weights));
      if (kn::weight_channels_path(plain)) CHECK(same(kn::conv5x5_weight_grad_channels, gy, weights));
      // Through the ops, both kinds of layer, forward and both gradients:
      // the input's gradient is upsample2x's backward of the full-size one.
      for (bool transposed : {false, true}) {
        INFO((transposed ? "conv_transpose5x5" : "conv5x5"));
        auto weight = transposed ? torch::randn({c.ci, c.co, 5, 5}) : w;
        auto layer = [&](const at::Tensor& x, const at::Tensor& k, bool upsampled) {
          return transposed ? ops::conv_transpose5x5(x, k, 4 - c.pad, ops::Kernels::native, upsampled)
                            : ops::conv5x5(x, k, c.pad, ops::Kernels::native, upsampled);
        };
        auto x1 = half.clone().set_requires_grad(true), x2 = half.clone().set_requires_grad(true);
        auto k1 = weight.clone().set_requires_grad(true), k2 = weight.clone().set_requires_grad(true);
        auto y1 = layer(ops::upsample2x(x1, ops::Kernels::native), k1, false), y2 = layer(x2, k2, true);
        REQUIRE(y1.sizes() == y2.sizes());
        auto g = torch::randn_like(y1);
        y1.backward(g);
        y2.backward(g);
        for (auto [p, q] : {std::pair{y1.detach(), y2.detach()}, std::pair{x1.grad(), x2.grad()}, std::pair{k1.grad(), k2.grad()}})
          CHECK(std::memcmp(p.data_ptr<float>(), q.data_ptr<float>(), sizeof(float) * p.numel()) == 0);
      }
    }
  });
}

TEST_CASE("fused batch norm + leaky ReLU + pooling or upsampling gives the bytes of the separate ops", "[methods]") {
  using ops::After;
  const auto k = ops::Kernels::native;
  struct S { int b, c, h, w; };
  for (auto s : {S{3, 8, 28, 28}, S{2, 4, 14, 14}, S{2, 3, 7, 9}, S{1, 5, 4, 4}}) {
    for (After after : {After::none, After::pool2x2, After::upsample2x}) {
      for (bool affine : {false, true}) {
        DYNAMIC_SECTION(s.b << "x" << s.c << "x" << s.h << "x" << s.w << " after " << static_cast<int>(after)
                            << (affine ? " affine" : "")) {
          torch::manual_seed(11);
          // Rounded values give pooling ties and exact zeros after centring.
          const auto x0 = (torch::randn({s.b, s.c, s.h, s.w}) * 4).round() / 4;
          const auto w0 = torch::rand({s.c}) + 0.5, b0 = torch::randn({s.c});
          std::vector<at::Tensor> got[2];
          at::Tensor upstream;
          for (int fused = 0; fused < 2; ++fused) {
            auto x = x0.clone().set_requires_grad(true);
            auto w = w0.clone().set_requires_grad(true), b = b0.clone().set_requires_grad(true);
            at::Tensor gamma = affine ? w : at::Tensor(), beta = affine ? b : at::Tensor();
            auto rm = torch::zeros({s.c}), rv = torch::ones({s.c});
            at::Tensor y;
            if (fused) {
              y = ops::batch_norm_act(x, rm, rv, gamma, beta, true, 0.1, 1e-4, 0.01, after, k);
            } else {
              y = at::leaky_relu(ops::batch_norm(x, rm, rv, gamma, beta, true, 0.1, 1e-4, k), 0.01);
              if (after == After::pool2x2) y = ops::max_pool2x2(y, k);
              if (after == After::upsample2x) y = ops::upsample2x(y, k);
            }
            if (!upstream.defined()) upstream = (torch::randn_like(y) * 8).round() / 8;
            y.backward(upstream);
            got[fused] = {y.detach(), x.grad(), rm, rv};
            if (affine) got[fused].insert(got[fused].end(), {w.grad(), b.grad()});
          }
          REQUIRE(got[0].size() == got[1].size());
          for (std::size_t i = 0; i < got[0].size(); ++i) {
            INFO("tensor " << i << " (output, x's gradient, running mean, running var, then gamma's and beta's gradients)");
            REQUIRE(got[0][i].sizes() == got[1][i].sizes());
            CHECK(std::memcmp(got[0][i].data_ptr<float>(), got[1][i].data_ptr<float>(), sizeof(float) * got[0][i].numel()) == 0);
          }
        }
      }
    }
  }
}
