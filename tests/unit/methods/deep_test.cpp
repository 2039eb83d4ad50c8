// The Deep SVDD machinery on small synthetic inputs (no dataset files): the
// paper's networks, the centre, the radius rules, the score, determinism, the
// pretraining cache, and the trainer's two batching modes.
#include <nlohmann/json.hpp>
#include <set>

#include "harness/core/error.hpp"
#include "methods/common/autoencoder.hpp"
#include "methods/common/networks.hpp"
#include "methods/common/svdd.hpp"
#include "methods/common/torch_env.hpp"
#include "methods/common/trainer.hpp"
#include "tests/support.hpp"
// LibTorch's headers bring glog's CHECK; Catch's is the one meant here.
#undef CHECK
#include <catch2/catch.hpp>

using namespace ocb::methods;

namespace {

ocb::core::RunContext make_ctx(const std::filesystem::path& cache, std::uint64_t seed = 7) {
  ocb::core::CellInfo cell{"t", "deep_svdd", "synthetic", 0, seed, "synthetic|test", "synthetic|test"};
  return ocb::core::RunContext(cell, 1, "cpu", cache, [](std::string_view) {});
}

// Deterministic images in [0, 1]: faint noise, plus a bright horizontal bar
// (or, for outliers, a vertical one).
at::Tensor images(std::int64_t n, std::int64_t c, std::int64_t hw, std::uint64_t seed, bool vertical = false) {
  at::manual_seed(static_cast<std::int64_t>(seed));
  auto x = at::rand({n, c, hw, hw}) * 0.2;
  const auto band = at::indexing::Slice(hw / 2 - 3, hw / 2 + 3);
  using at::indexing::Slice;
  if (vertical) x.index_put_({Slice(), Slice(), Slice(), band}, 0.9);
  else x.index_put_({Slice(), Slice(), band, Slice()}, 0.9);
  return x;
}

std::shared_ptr<Encoder> encoder(const std::string& arch, std::uint64_t seed, bool autoencoder = false) {
  auto e = make_encoder(arch, NetOptions{});
  ocb::core::Rng rng(seed);
  init_encoder(*e, arch, autoencoder, rng);
  return e;
}

std::vector<double> as_vector(const at::Tensor& t) {
  auto d = t.detach().to(at::kDouble).contiguous();
  return {d.data_ptr<double>(), d.data_ptr<double>() + d.numel()};
}

// A two-epoch MNIST autoencoder configuration for the cache tests.
AeConfig small_ae(std::int64_t epochs = 2) {
  AeConfig cfg;
  cfg.arch = "mnist_lenet";
  cfg.schedule = {epochs, 1e-3, {1}, 0.0, 60};
  return cfg;
}

SvddParams short_schedule(const std::string& objective) {
  SvddParams p;
  p.objective = objective;
  p.epochs = 3;
  p.milestones = {2};
  p.lr = 1e-3;
  p.warm_up_epochs = 1;
  return p;
}

}  // namespace

// Encoder output [n, rep], decoder output in the input's shape, no bias
// terms; returns the number of learnt values of the encoder.
std::int64_t check_network(const std::string& arch, const at::Tensor& x, std::int64_t rep) {
  auto e = encoder(arch, 1);
  e->eval();
  CHECK(e->forward(x).sizes() == at::IntArrayRef{x.size(0), rep});
  auto d = make_decoder(arch, NetOptions{});
  d->eval();
  CHECK(d->forward(e->forward(x)).sizes() == x.sizes());
  std::int64_t count = 0;
  for (const auto& p : e->named_parameters()) {
    CHECK(p.key().find("bias") == std::string::npos);
    count += p.value().numel();
  }
  return count;
}

TEST_CASE("the paper's networks: shapes, no bias terms, affine-free BatchNorm unless asked", "[methods]") {
  // conv 8x1x5x5 + conv 4x8x5x5 + dense 32x(4*7*7): nothing else is learnt.
  CHECK(check_network("mnist_lenet", images(3, 1, 28, 1), 32) == 200 + 800 + 32 * 196);
  check_network("cifar10_lenet", images(2, 3, 32, 2), 128);

  NetOptions affine;
  affine.bn_affine = true;
  std::int64_t bn_params = 0;
  for (const auto& p : make_encoder("mnist_lenet", affine)->named_parameters())
    if (p.key().find("bias") != std::string::npos) bn_params += p.value().numel();
  CHECK(bn_params == 8 + 4);  // beta of the two BatchNorm layers
}

TEST_CASE("multiply-add counts follow the networks' own layers, padding taps counted apart", "[methods]") {
  struct Net {
    std::string arch;
    std::int64_t image, decoder_in;  // input side, and the first decoder convolution's input side
  };
  for (const auto& net : {Net{"mnist_lenet", 28, 8}, Net{"cifar10_lenet", 32, 4}, Net{"gtsrb_lenet", 32, 8}}) {
    INFO(net.arch);
    const auto layers = network_layers(net.arch, true);
    std::vector<LayerShape> convs, dense;
    for (const auto& l : layers) (l.h ? convs : dense).push_back(l);
    // The table's convolutions and dense layers are the modules' (channels,
    // padding, transposed), in the order the classes build them.
    std::vector<LayerShape> built_convs, built_dense;
    const std::vector<std::shared_ptr<torch::nn::Module>> parts = {make_encoder(net.arch, {}), make_decoder(net.arch, {})};
    for (const auto& part : parts) {
      for (const auto& p : part->named_parameters(false))
        if (p.value().dim() == 2) built_dense.push_back({p.value().size(1), p.value().size(0)});
      for (const auto& m : part->modules(false))
        if (const auto* c = m->as<Conv5x5Impl>()) {
          const auto& w = c->weight;
          built_convs.push_back({c->transposed() ? w.size(0) : w.size(1), c->transposed() ? w.size(1) : w.size(0), 0, 0,
                                 c->pad(), c->transposed()});
        }
    }
    REQUIRE(built_convs.size() == convs.size());
    REQUIRE(built_dense.size() == dense.size());
    for (std::size_t i = 0; i < convs.size(); ++i) {
      INFO("convolution " << i);
      CHECK(convs[i].cin == built_convs[i].cin);
      CHECK(convs[i].cout == built_convs[i].cout);
      CHECK(convs[i].pad == built_convs[i].pad);
      CHECK(convs[i].transposed == built_convs[i].transposed);
    }
    for (std::size_t i = 0; i < dense.size(); ++i) {
      CHECK(dense[i].cin == built_dense[i].cin);
      CHECK(dense[i].cout == built_dense[i].cout);
    }
    // Sides: the encoder pools after each convolution, the decoder upsamples
    // between its convolutions and ends at the image's side.
    const auto side_out = [](const LayerShape& l) { return l.h + 2 * (l.transposed ? 4 - l.pad : l.pad) - 4; };
    CHECK(convs.front().h == net.image);
    std::size_t encoder_convs = 0;
    for (const auto& l : network_layers(net.arch, false)) encoder_convs += l.h ? 1 : 0;
    REQUIRE(encoder_convs < convs.size());
    for (std::size_t j = 0; j + 1 < encoder_convs; ++j) CHECK(convs[j + 1].h * 2 == side_out(convs[j]));
    const auto pooled = side_out(convs[encoder_convs - 1]) / 2;
    CHECK(dense.front().cin == convs[encoder_convs - 1].cout * pooled * pooled);
    CHECK(convs[encoder_convs].h == net.decoder_in);
    for (std::size_t j = encoder_convs; j + 1 < convs.size(); ++j) CHECK(convs[j + 1].h == 2 * side_out(convs[j]));
    CHECK(side_out(convs.back()) == net.image);
    CHECK(convs.back().cout == convs.front().cin);

    // Each convolution's counts against LibTorch's own: a plane of ones
    // through a kernel of ones sums the taps inside the input.
    double forward = 0, forward_inside = 0, first = 0;
    for (const auto& l : layers) {
      const auto m = layer_macs(l);
      if (l.h) {
        const auto ones = torch::ones({1, 1, l.h, l.w}), k = torch::ones({1, 1, 5, 5});
        const auto y = l.transposed ? at::conv_transpose2d(ones, k, {}, 1, l.pad) : at::conv2d(ones, k, {}, 1, l.pad);
        CHECK(m.all == static_cast<double>(y.numel() * 25 * l.cin * l.cout));
        CHECK(m.inside == y.sum().item<double>() * static_cast<double>(l.cin * l.cout));
        CHECK(m.inside < m.all);
      } else {
        CHECK(m.all == static_cast<double>(l.cin * l.cout));
        CHECK(m.inside == m.all);
      }
      if (first == 0) first = m.all;
      forward += m.all;
      forward_inside += m.inside;
    }
    const auto whole = macs(net.arch, true);
    CHECK(whole.forward == forward);
    CHECK(whole.forward_inside == forward_inside);
    CHECK(whole.training == 3 * forward - first);  // no gradient of the network's input
    CHECK(macs(net.arch, false).forward < forward);
  }
  // The MNIST encoder's first convolution: 134 of the 28 x 5 (row, tap) pairs
  // of each axis land inside the image, 8 output channels.
  CHECK(layer_macs(network_layers("mnist_lenet", false).front()).inside == 134.0 * 134 * 8);
}

TEST_CASE("devices: cpu; cuda and cuda-fp32 refused by a LibTorch without CUDA, naming the device; others unknown", "[methods]") {
  ocb::test::TempDir tmp;
  const auto device_of = [&](const std::string& name) {
    ocb::core::CellInfo cell{"t", "deep_svdd", "synthetic", 0, 1, "synthetic|test", "synthetic|test"};
    ocb::core::RunContext ctx(cell, 1, name, tmp.path(), [](std::string_view) {});
    return torch_setup(ctx);
  };
  CHECK(device_of("cpu").is_cpu());
  if (!at::hasCUDA()) {
    for (const std::string name : {"cuda", "cuda-fp32"}) {
      try {
        device_of(name);
        FAIL("device " << name << " was accepted without CUDA");
      } catch (const ocb::core::Error& e) {
        CHECK_THAT(e.what(), Catch::Contains("\"" + name + "\"") && Catch::Contains("no CUDA support"));
      }
    }
  }
  CHECK_THROWS_WITH(device_of("tpu"), Catch::Contains("unknown device 'tpu'") && Catch::Contains("cuda-fp32"));
}

TEST_CASE("the centre is the eval-mode mean of phi with small coordinates pushed to +-eps", "[methods]") {
  const auto x = images(64, 1, 28, 3);
  auto phi = encoder("mnist_lenet", 3);
  phi->eval();
  const auto mean = as_vector(phi->forward(x).mean(0));
  // eps at the median |mean|: half the coordinates move, half stay.
  std::vector<double> mags;
  for (double m : mean) mags.push_back(std::abs(m));
  std::nth_element(mags.begin(), mags.begin() + 16, mags.end());
  SvddParams p;
  p.center_eps = mags[16];
  SvddModel model(phi, p, 200);
  model.init_center(x);
  const auto c = as_vector(model.center());
  int moved = 0;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (std::abs(mean[i]) < p.center_eps) {
      ++moved;
      CHECK(c[i] == Approx(std::copysign(p.center_eps, mean[i])).epsilon(1e-6));
    } else {
      CHECK(c[i] == Approx(mean[i]).epsilon(1e-6));
    }
  }
  CHECK(moved == 16);
}

TEST_CASE("one-class Deep SVDD scores outliers higher, reproducibly", "[methods]") {
  const auto train = images(300, 1, 28, 4);
  const auto normal = images(100, 1, 28, 5), outliers = images(100, 1, 28, 6, true);
  const auto fit_and_score = [&] {
    ocb::test::TempDir cache;  // a fresh cache: the autoencoder is trained again
    auto ctx = make_ctx(cache.path());
    // As the paper: φ starts from the pretrained autoencoder's encoder.
    AeConfig cfg;
    cfg.arch = "mnist_lenet";
    cfg.schedule = {8, 1e-3, {6}, 0.0, 100};
    auto phi = make_encoder("mnist_lenet", NetOptions{});
    copy_state(*pretrained_autoencoder(cfg, train, at::kCPU, ctx).model->encoder, *phi);
    SvddModel model(phi, short_schedule("one-class"), 100);
    model.fit(train, nullptr, ctx);
    auto s = model.score(at::cat({normal, outliers}), ctx);
    return s;
  };
  const auto s = fit_and_score();
  REQUIRE(s.size() == 200);
  // Score = squared distance to c: outliers rank above normal samples (AUC).
  int above = 0;
  for (std::size_t i = 100; i < 200; ++i)
    for (std::size_t j = 0; j < 100; ++j) above += s[i] > s[j];
  INFO("outlier above normal in " << above << " of 10000 pairs");
  CHECK(above >= 9500);
  CHECK(fit_and_score() == s);  // bit for bit
}

TEST_CASE("soft-boundary radius rules and score = distance - R^2", "[methods]") {
  ocb::test::TempDir tmp;
  const auto train = images(150, 1, 28, 8);
  auto ctx = make_ctx(tmp.path());

  SECTION("block_coordinate: R is the (1 - nu)-quantile of the training distances") {
    auto p = short_schedule("soft-boundary");
    p.radius_rule = "block_coordinate";
    p.epochs = 2;  // the update after epoch index 1 (= warm-up) is the last one
    p.milestones = {};
    auto phi = encoder("mnist_lenet", 10);
    SvddModel model(phi, p, 50);
    model.fit(train, nullptr, ctx);
    phi->eval();
    at::NoGradGuard guard;
    const auto dist = as_vector(model.distances(phi->forward(train)));
    CHECK(model.radius() == Approx(std::sqrt(quantile(dist, 0.9))).epsilon(1e-12));
    const auto s = model.score(train, ctx);
    for (std::size_t i = 0; i < s.size(); ++i) CHECK(s[i] == Approx(dist[i] - model.radius() * model.radius()).margin(1e-6));
  }
  SECTION("minibatch_quantile: R follows the (1 - nu)-quantile of the last batch's distances") {
    auto p = short_schedule("soft-boundary");
    p.warm_up_epochs = 0;
    p.lr = 1e-30;  // phi stays put, so the last batch (all samples) can be recomputed
    auto phi = encoder("mnist_lenet", 11);
    SvddModel model(phi, p, 150);
    model.fit(train, nullptr, ctx);
    phi->train();
    at::NoGradGuard guard;
    const auto root = as_vector(model.distances(phi->forward(train)).sqrt());
    CHECK(model.radius() == Approx(quantile(root, 0.9)).epsilon(1e-6));
  }
}

TEST_CASE("pretraining is cached per configuration and reused bit for bit", "[methods]") {
  ocb::test::TempDir tmp;
  const auto x = images(120, 1, 28, 12);
  const AeConfig cfg = small_ae();
  auto ctx = make_ctx(tmp.path());
  const auto first = pretrained_autoencoder(cfg, x, at::kCPU, ctx);
  const auto again = pretrained_autoencoder(cfg, x, at::kCPU, ctx);
  CHECK_FALSE(first.cached);
  CHECK(again.cached);
  CHECK(again.key == first.key);
  CHECK(again.log.epoch_loss == first.log.epoch_loss);
  const auto a = first.model->parameters(), b = again.model->parameters();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(at::equal(a[i], b[i]));
  // Keys added later leave the canonical text of older configurations alone.
  CHECK(cfg.canonical().find("batching") == std::string::npos);
  CHECK(cfg.canonical().find("train_fraction") == std::string::npos);
  for (auto change : {0, 1, 2}) {
    AeConfig other = cfg;
    if (change == 0) other.schedule.epochs = 3;
    if (change == 1) other.schedule.fixed_blocks = true;
    if (change == 2) other.train_fraction = 0.5;
    const auto s = pretrained_autoencoder(other, x, at::kCPU, ctx);
    CHECK_FALSE(s.cached);
    CHECK(s.key != first.key);
  }
}

TEST_CASE("a damaged, truncated or mismatching cache entry is named, moved aside and retrained, never used", "[methods]") {
  ocb::test::TempDir tmp;
  const auto x = images(120, 1, 28, 13);
  const AeConfig cfg = small_ae();
  auto ctx = make_ctx(tmp.path());
  const auto clean = pretrained_autoencoder(cfg, x, at::kCPU, ctx);
  const auto dir = tmp.path() / "autoencoders";
  const auto weights = dir / (clean.key + ".pt"), meta = dir / (clean.key + ".json");
  const std::string good_weights = ocb::test::read_text(weights), good_meta = ocb::test::read_text(meta);
  auto damage = [&](int how) {
    ocb::test::write_text(weights, good_weights);
    ocb::test::write_text(meta, good_meta);
    std::string w = good_weights;
    if (how == 0) w[w.size() / 2] ^= 0x10;           // one flipped bit inside a tensor
    if (how == 1) w.assign(w.size(), '\0');           // zeroed
    if (how == 2) w.resize(w.size() / 3);             // truncated
    if (how == 3) ocb::test::write_text(meta, "");    // a 0-byte JSON (a full disk, written without the atomic path)
    if (how == 4) {                                   // an entry of another configuration under this name
      auto j = nlohmann::json::parse(good_meta);
      j["key_text"] = "something else";
      ocb::test::write_text(meta, j.dump());
    }
    if (how == 5) std::filesystem::remove(weights);  // weights lost
    else ocb::test::write_text(weights, w);
  };
  for (int how = 0; how < 6; ++how) {
    DYNAMIC_SECTION("damage " << how) {
      damage(how);
      std::vector<std::string> warnings;
      ocb::core::RunContext c(ctx.cell(), 1, "cpu", tmp.path(), [](std::string_view) {},
                              [&](std::string_view m) { warnings.emplace_back(m); });
      const auto again = pretrained_autoencoder(cfg, x, at::kCPU, c);
      CHECK_FALSE(again.cached);
      REQUIRE(warnings.size() == 1);
      CHECK_THAT(warnings[0], Catch::Contains("not used") && Catch::Contains(clean.key));
      // Retrained from scratch: the same weights as the clean run, and a good entry again.
      const auto a = clean.model->parameters(), b = again.model->parameters();
      for (std::size_t i = 0; i < a.size(); ++i) CHECK(at::equal(a[i], b[i]));
      CHECK(ocb::test::read_text(weights) == good_weights);
      CHECK(std::filesystem::exists(dir / "corrupt"));
      CHECK(pretrained_autoencoder(cfg, x, at::kCPU, c).cached);
    }
  }
}

TEST_CASE("the cache key holds threads and kernel families: another numerics never reuses an entry", "[methods]") {
  ocb::test::TempDir tmp;
  const auto x = images(120, 1, 28, 14);
  const AeConfig cfg = small_ae(1);
  auto ctx = make_ctx(tmp.path());
  ctx.set_numerics_key("threads=1 cpu blas=Haswell");
  const auto one = pretrained_autoencoder(cfg, x, at::kCPU, ctx);
  ctx.set_numerics_key("threads=2 cpu blas=Haswell");
  const auto two = pretrained_autoencoder(cfg, x, at::kCPU, ctx);
  CHECK_FALSE(two.cached);
  CHECK(two.key != one.key);
}

TEST_CASE("Theano batching: fixed blocks of a seeded subset, only their order reshuffled", "[methods]") {
  Schedule s;
  s.batch_size = 200;
  s.fixed_blocks = true;
  s.block_seed = 42;
  ocb::core::Rng shuffle(1);
  std::vector<std::set<std::set<std::int64_t>>> blocks;
  std::set<std::vector<std::int64_t>> orders;
  for (int epoch = 0; epoch < 4; ++epoch) {
    const auto order = epoch_order(1050, s, shuffle);
    REQUIRE(order.size() == 1000);
    orders.insert(order);
    std::set<std::set<std::int64_t>> b;
    for (std::size_t k = 0; k < 5; ++k) b.insert(std::set<std::int64_t>(order.begin() + k * 200, order.begin() + (k + 1) * 200));
    blocks.push_back(b);
  }
  for (const auto& b : blocks) CHECK(b == blocks.front());  // same blocks, same kept samples
  CHECK(blocks.front().size() == 5);
  CHECK(orders.size() > 1);                                 // in a new order
  const auto kept = kept_rows(1050, s);
  CHECK(std::set<std::int64_t>(kept.begin(), kept.end()).size() == 1000);
  // The trainer's form, with the kept rows computed once, draws the same order.
  ocb::core::Rng a(7), b(7);
  CHECK(epoch_order(1050, s, a) == epoch_order(kept, 1050, s, b));
  // Fewer samples than one batch: one block of all of them.
  CHECK(epoch_order(150, s, shuffle).size() == 150);
  // The default reshuffles everything every epoch.
  s.fixed_blocks = false;
  const auto all = epoch_order(1050, s, shuffle);
  CHECK(std::set<std::int64_t>(all.begin(), all.end()).size() == 1050);
}

TEST_CASE("the autoencoder's training share holds out floor((1 - f) n) samples", "[methods]") {
  CHECK_FALSE(training_rows(5923, 1.0, 3).defined());
  const auto rows = as_vector(training_rows(5923, 0.8333333333333334, 3));
  CHECK(rows.size() == 5923 - 987);
  CHECK(std::is_sorted(rows.begin(), rows.end()));
  CHECK(std::set<double>(rows.begin(), rows.end()).size() == rows.size());
  CHECK(rows.back() < 5923);
  CHECK(as_vector(training_rows(5923, 0.8333333333333334, 4)) != rows);
}

TEST_CASE("Grad-CAM: channel weights are the gradient's spatial mean, checked against finite differences", "[methods]") {
  for (const char* arch : {"mnist_lenet", "gtsrb_lenet"}) {
    // LibTorch's kernels, in double, so that finite differences are exact enough.
    NetOptions torch_kernels;
    torch_kernels.kernels = ops::Kernels::torch;
    auto phi = make_encoder(arch, torch_kernels);
    ocb::core::Rng rng(11);
    init_encoder(*phi, arch, false, rng);
    phi->to(at::kDouble);
    phi->eval();
    const bool mnist = std::string(arch) == "mnist_lenet";
    const at::Tensor x = at::rand({2, mnist ? 1 : 3, mnist ? 28 : 32, mnist ? 28 : 32}, at::TensorOptions().dtype(at::kDouble));
    const at::Tensor c = at::full({phi->rep_dim()}, 0.1, at::kDouble);
    auto score = [&](const at::Tensor& z) { return (z - c).pow(2).sum(1); };
    // The split forward is the forward.
    at::NoGradGuard guard;
    CHECK(at::equal(phi->forward(x), phi->from_last_conv(phi->last_conv(x))));
    const at::Tensor a = phi->last_conv(x);
    const at::Tensor cam = [&] {
      at::AutoGradMode on(true);
      return grad_cam(*phi, x, score);
    }();
    REQUIRE(cam.sizes() == at::IntArrayRef({2, 1, x.size(2), x.size(3)}));
    CHECK(cam.min().item<double>() >= 0.0);
    CHECK(cam.max().item<double>() > 0.0);
    // The same map from finite differences: dS/dA by central differences on
    // every entry of one channel of sample 0, then the weighted sum of all
    // channels rebuilt at one position and compared with the map before upsampling.
    const double h = 1e-6;
    const auto C = a.size(1), H = a.size(2), W = a.size(3);
    std::vector<double> weight(static_cast<std::size_t>(C));
    for (std::int64_t k = 0; k < C; ++k) {
      double sum = 0.0;
      for (std::int64_t i = 0; i < H; ++i)
        for (std::int64_t j = 0; j < W; ++j) {
          at::Tensor up = a.clone(), down = a.clone();
          up[0][k][i][j] += h;
          down[0][k][i][j] -= h;
          sum += (score(phi->from_last_conv(up))[0].item<double>() - score(phi->from_last_conv(down))[0].item<double>()) / (2 * h);
        }
      weight[static_cast<std::size_t>(k)] = sum / static_cast<double>(H * W);
    }
    at::Tensor expect = at::zeros({1, 1, H, W}, at::kDouble);
    for (std::int64_t k = 0; k < C; ++k) expect += weight[static_cast<std::size_t>(k)] * a[0][k].unsqueeze(0).unsqueeze(0);
    expect = at::upsample_bilinear2d(at::relu(expect), {x.size(2), x.size(3)}, false);
    CHECK(at::allclose(cam[0].unsqueeze(0), expect, 1e-5, 1e-7));
  }
}
