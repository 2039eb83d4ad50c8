// Cells trained as one batched network (trainer.hpp, `ocbench run --batch`):
// on the CPU each cell must get, byte for byte, the weights and scores it gets
// alone, and the fused layers that CUDA gets must agree with the split ones.
#include <cstring>
#include <limits>
#include <thread>

#include "harness/core/rendezvous.hpp"
#include "methods/common/autoencoder.hpp"
#include "methods/common/networks.hpp"
#include "methods/common/ops.hpp"
#include "methods/common/svdd.hpp"
#include "tests/support.hpp"
// LibTorch's headers bring glog's CHECK; Catch's is the one meant here.
#undef CHECK
#include <catch2/catch.hpp>

using namespace ocb::methods;

namespace {

// Images in [0, 1] with a bright bar: enough structure to train on.
at::Tensor images(std::int64_t n, std::int64_t c, std::int64_t hw, std::uint64_t seed) {
  at::manual_seed(static_cast<std::int64_t>(seed));
  auto x = at::rand({n, c, hw, hw}) * 0.2;
  using at::indexing::Slice;
  x.index_put_({Slice(), Slice(), Slice(hw / 2 - 3, hw / 2 + 3), Slice()}, 0.9);
  return x;
}

// The bytes of every parameter and buffer, in module order.
std::string state_bytes(const torch::nn::Module& m) {
  std::string out;
  auto add = [&](const at::Tensor& t) {
    const auto c = t.detach().contiguous();
    out.append(static_cast<const char*>(c.data_ptr()), static_cast<std::size_t>(c.numel()) * c.element_size());
  };
  for (const auto& p : m.named_parameters()) add(p.value());
  for (const auto& b : m.named_buffers()) add(b.value());
  return out;
}

std::int64_t reported(ocb::core::RunContext& ctx, const std::string& key) {
  for (const auto& [k, v] : ctx.report().entries())
    if (k == key) return std::get<std::int64_t>(v);
  return 1;  // not reported: trained alone
}

// What one cell ends with: pretrained autoencoder, trained φ, scores.
struct Outcome {
  std::string autoencoder, phi;
  std::vector<double> scores;
  double radius = 0.0;
  std::int64_t pretrain_batch = 0, train_batch = 0;
};

struct CellSpec {
  at::Tensor train, test;
  std::uint64_t seed;
  std::string objective;
};

Outcome run_cell(const std::string& arch, const CellSpec& cell, std::int64_t batch, ocb::core::Rendezvous* meet,
                 const NetOptions& net) {
  ocb::test::TempDir cache;
  ocb::core::CellInfo info{"t", "deep_svdd", "synthetic", 0, cell.seed, "synthetic|batching", "synthetic|batching"};
  ocb::core::RunContext ctx(info, 1, "cpu", cache.path(), [](std::string_view) {});
  ctx.set_rendezvous(meet);
  AeConfig cfg;
  cfg.arch = arch;
  cfg.net = net;
  cfg.schedule = {2, 1e-3, {1}, 1e-6, batch};
  const AeStage stage = pretrained_autoencoder(cfg, cell.train, at::kCPU, ctx);
  auto phi = make_encoder(arch, net);
  copy_state(*stage.model->encoder, *phi);
  SvddParams p;
  p.objective = cell.objective;
  p.epochs = 2;
  p.milestones = {1};
  p.lr = 1e-3;
  p.warm_up_epochs = 0;
  SvddModel model(phi, p, batch);
  model.fit(cell.train, nullptr, ctx);
  Outcome o;
  o.autoencoder = state_bytes(*stage.model);
  o.phi = state_bytes(*phi);
  o.scores = model.score(cell.test, ctx);
  o.radius = model.radius();
  o.pretrain_batch = reported(ctx, "batched.pretrain");
  o.train_batch = reported(ctx, "batched.train");
  return o;
}

// The cells alone, then together (one thread each, meeting in a rendezvous).
void check_batched_equals_alone(const std::string& arch, const std::vector<CellSpec>& cells, std::int64_t batch,
                                const NetOptions& net = {}) {
  std::vector<Outcome> alone, together(cells.size());
  for (const auto& c : cells) alone.push_back(run_cell(arch, c, batch, nullptr, net));
  ocb::core::Rendezvous meet(cells.size(), std::chrono::minutes(5), static_cast<int>(cells.size()));
  std::vector<std::thread> threads;
  for (std::size_t k = 0; k < cells.size(); ++k)
    threads.emplace_back([&, k] {
      const ocb::core::Rendezvous::Leaving leaving(&meet);
      together[k] = run_cell(arch, cells[k], batch, &meet, net);
    });
  for (auto& t : threads) t.join();
  // All pretrain together, and all train φ together: the objective is each
  // cell's own (one-class beside soft-boundary), the network is shared.
  for (std::size_t k = 0; k < cells.size(); ++k) {
    INFO(arch << " cell " << k << " (" << cells[k].objective << ")");
    CHECK(together[k].pretrain_batch == static_cast<std::int64_t>(cells.size()));
    CHECK(together[k].train_batch == static_cast<std::int64_t>(cells.size()));
    CHECK(alone[k].pretrain_batch == 1);
    CHECK(together[k].autoencoder == alone[k].autoencoder);
    CHECK(together[k].phi == alone[k].phi);
    CHECK(together[k].radius == alone[k].radius);
    REQUIRE(together[k].scores.size() == alone[k].scores.size());
    CHECK(std::memcmp(together[k].scores.data(), alone[k].scores.data(), sizeof(double) * alone[k].scores.size()) == 0);
  }
}

}  // namespace

TEST_CASE("batched training gives each MNIST cell the bytes it gets alone", "[methods]") {
  // Different seeds and sizes: 130 and 97 samples in batches of 40 end in
  // batches of 10 and 17, so the last step of an epoch splits the group by size.
  const std::vector<CellSpec> cells{{images(130, 1, 28, 1), images(40, 1, 28, 11), 1, "one-class"},
                                    {images(97, 1, 28, 2), images(40, 1, 28, 12), 2, "one-class"},
                                    {images(130, 1, 28, 3), images(40, 1, 28, 13), 3, "soft-boundary"}};
  check_batched_equals_alone("mnist_lenet", cells, 40);
  // LibTorch's CPU kernels (kernels = "torch") and the Theano code's learnt
  // batch-norm affine weights.
  NetOptions torch_affine;
  torch_affine.kernels = ops::Kernels::torch;
  torch_affine.bn_affine = true;
  check_batched_equals_alone("mnist_lenet", cells, 40, torch_affine);
}

TEST_CASE("batched training gives each GTSRB and CIFAR-10 cell the bytes it gets alone", "[methods]") {
  // GTSRB: two dense layers in the encoder and one in the decoder, and a plain
  // batch norm before the sigmoid; CIFAR-10: the many-channel layers' weight
  // gradients (their other order) and the code's 1-d batch norm.
  for (const std::string arch : {"gtsrb_lenet", "cifar10_lenet"})
    check_batched_equals_alone(arch,
                               {{images(50, 3, 32, 4), images(20, 3, 32, 14), 4, "one-class"},
                                {images(37, 3, 32, 5), images(20, 3, 32, 15), 5, "one-class"},
                                {images(50, 3, 32, 6), images(20, 3, 32, 16), 6, "soft-boundary"}},
                               20);
}

namespace {

// Sets the process's group mode for a scope.
struct GroupModeScope {
  explicit GroupModeScope(ops::GroupMode m) { ops::set_group_mode(m); }
  ~GroupModeScope() { ops::set_group_mode(ops::GroupMode::automatic); }
};

// Output and the gradients of x and of each weight for the loss sum(out * probe).
std::vector<at::Tensor> forward_backward(ops::GroupMode mode, const at::Tensor& x0, const std::vector<at::Tensor>& w0,
                                         const std::function<at::Tensor(const at::Tensor&, const std::vector<at::Tensor>&)>& f) {
  const GroupModeScope scope(mode);
  auto x = x0.clone().requires_grad_(true);
  std::vector<at::Tensor> w;
  for (const auto& t : w0) w.push_back(t.clone().requires_grad_(true));
  const auto out = f(x, w);
  at::manual_seed(99);
  (out * at::rand_like(out)).sum().backward();
  std::vector<at::Tensor> all{out.detach(), x.grad()};
  for (const auto& t : w) all.push_back(t.grad());
  return all;
}

void check_fused_matches_split(const at::Tensor& x, const std::vector<at::Tensor>& w,
                               const std::function<at::Tensor(const at::Tensor&, const std::vector<at::Tensor>&)>& f) {
  const auto split = forward_backward(ops::GroupMode::split, x, w, f);
  const auto fused = forward_backward(ops::GroupMode::fused, x, w, f);
  REQUIRE(split.size() == fused.size());
  for (std::size_t i = 0; i < split.size(); ++i) {
    INFO("tensor " << i << " (0: output, 1: input gradient, then the weights' gradients)");
    CHECK(split[i].sizes() == fused[i].sizes());
    CHECK(at::allclose(split[i], fused[i], 1e-4, 1e-5));
  }
}

}  // namespace

TEST_CASE("fused group layers (the CUDA path) agree with split ones on the CPU", "[methods]") {
  at::manual_seed(5);
  const std::int64_t k = 3, n = 6;
  std::vector<at::Tensor> conv_w, deconv_w, dense_w;
  for (std::int64_t g = 0; g < k; ++g) {
    conv_w.push_back(at::randn({4, 2, 5, 5}) * 0.2);    // [Co, Ci, 5, 5]
    deconv_w.push_back(at::randn({2, 4, 5, 5}) * 0.2);  // [Ci, Co, 5, 5]
    dense_w.push_back(at::randn({5, 12}) * 0.2);        // [R, F]
  }
  const auto planes = at::randn({n, k * 2, 9, 9});
  for (const auto kernels : {ops::Kernels::native, ops::Kernels::torch}) {
    check_fused_matches_split(planes, conv_w, [&](const at::Tensor& x, const std::vector<at::Tensor>& w) {
      return ops::group_conv5x5(x, w, 2, false, kernels);
    });
    for (const std::int64_t pad : {2, 3})
      check_fused_matches_split(planes, deconv_w, [&](const at::Tensor& x, const std::vector<at::Tensor>& w) {
        return ops::group_conv5x5(x, w, pad, true, kernels);
      });
  }
  check_fused_matches_split(at::randn({n, k * 12}), dense_w,
                            [](const at::Tensor& x, const std::vector<at::Tensor>& w) { return ops::group_linear(x, w); });
  // Batch norm + leaky ReLU + pooling, learnt affine weights: one batch norm
  // over all the cells' channels (fused) against each cell's own (split).
  const auto bn = [&](ops::GroupMode mode) {
    const GroupModeScope scope(mode);
    at::manual_seed(6);
    std::vector<ops::BnCell> cells;
    for (std::int64_t g = 0; g < k; ++g)
      cells.push_back({at::rand({2}), at::rand({2}) + 0.5, (at::rand({2}) + 0.5).requires_grad_(), at::rand({2}).requires_grad_()});
    auto x = planes.clone().requires_grad_(true);
    const auto y = ops::group_batch_norm(x, cells, true, 0.1, 1e-4, 0.01, ops::After::pool2x2, ops::Kernels::torch);
    (y * at::rand_like(y)).sum().backward();
    return std::vector<at::Tensor>{y.detach(), x.grad(), cells[1].running_mean, cells[2].running_var, cells[0].weight.grad(),
                                   cells[2].bias.grad()};
  };
  const auto bn_split = bn(ops::GroupMode::split), bn_fused = bn(ops::GroupMode::fused);
  for (std::size_t i = 0; i < bn_split.size(); ++i) {
    INFO("batch norm tensor " << i << " (output, input gradient, running statistics, affine gradients)");
    CHECK(at::allclose(bn_split[i], bn_fused[i], 1e-4, 1e-5));
  }
  // Split is each cell alone: cell 1's part of the output is its own layer's.
  const GroupModeScope scope(ops::GroupMode::split);
  const auto out = ops::group_conv5x5(planes, conv_w, 2, false, ops::Kernels::native);
  const auto own = ops::conv5x5(planes.narrow(1, 2, 2).contiguous(), conv_w[1], 2, ops::Kernels::native);
  CHECK(at::equal(out.narrow(1, 4, 4), own));
}

namespace {

// |φ(x)|² as the loss, and NaN from the second epoch on for a poisoned cell.
class SquaredNorm final : public Objective {
 public:
  SquaredNorm(Encoder& phi, bool poisoned) : phi_(phi), poisoned_(poisoned) {}
  at::Tensor batch_loss(const at::Tensor& x, const at::Tensor& index, std::int64_t epoch) override {
    return loss_of(phi_.forward(x), x, index, epoch);
  }
  bool splits_forward() const override { return true; }
  at::Tensor loss_of(const at::Tensor& z, const at::Tensor&, const at::Tensor&, std::int64_t epoch) override {
    const auto loss = z.pow(2).sum(1).mean();
    return poisoned_ && epoch >= 1 ? loss * std::numeric_limits<double>::quiet_NaN() : loss;
  }

 private:
  Encoder& phi_;
  bool poisoned_;
};

struct Trained {
  std::string weights, error;
  std::vector<double> losses;
  std::int64_t batch = 0;
};

// `data` is made before the threads start: images() draws from LibTorch's global generator.
Trained train_one(const at::Tensor& data, std::uint64_t seed, bool poisoned, bool fixed_blocks, ocb::core::Rendezvous* meet) {
  ocb::test::TempDir cache;
  ocb::core::CellInfo info{"t", "deep_svdd", "synthetic", 0, seed, "synthetic|batching", "synthetic|batching"};
  ocb::core::RunContext ctx(info, 1, "cpu", cache.path(), [](std::string_view) {});
  ctx.set_rendezvous(meet);
  auto phi = make_encoder("mnist_lenet", NetOptions{});
  ocb::core::Rng init(seed);
  init_encoder(*phi, "mnist_lenet", false, init);
  SquaredNorm objective(*phi, poisoned);
  Schedule schedule{3, 1e-3, {2}, 1e-6, 40};
  schedule.fixed_blocks = fixed_blocks;
  schedule.block_seed = seed + 100;
  ocb::core::Rng shuffle(seed + 200);
  const Batching batching = batching_of(*phi);
  Trained t;
  try {
    t.losses = train(*phi, phi->parameters(), data, objective, schedule, shuffle, ctx, "train", &batching).epoch_loss;
  } catch (const std::exception& e) {
    t.error = e.what();
  }
  t.weights = state_bytes(*phi);
  t.batch = reported(ctx, "batched.train");
  return t;
}

}  // namespace

TEST_CASE("a cell whose loss fails in a batched group fails alone; the others keep their bytes", "[methods]") {
  for (const bool fixed_blocks : {false, true}) {
    INFO("Theano's fixed blocks: " << fixed_blocks);
    const std::vector<at::Tensor> data{images(120, 1, 28, 20), images(90, 1, 28, 21), images(120, 1, 28, 22)};
    std::vector<Trained> alone, together(3);
    for (int k = 0; k < 3; ++k) alone.push_back(train_one(data[k], 20 + k, k == 1, fixed_blocks, nullptr));
    ocb::core::Rendezvous meet(3, std::chrono::minutes(5), 3);
    std::vector<std::thread> threads;
    for (int k = 0; k < 3; ++k)
      threads.emplace_back([&, k] {
        const ocb::core::Rendezvous::Leaving leaving(&meet);
        together[k] = train_one(data[k], 20 + k, k == 1, fixed_blocks, &meet);
      });
    for (auto& t : threads) t.join();
    CHECK_THAT(alone[1].error, Catch::Contains("train: loss became nan in epoch 2"));
    CHECK(together[1].error == alone[1].error);
    for (int k : {0, 2}) {
      INFO("cell " << k);
      CHECK(alone[k].error.empty());
      CHECK(together[k].error.empty());
      CHECK(together[k].batch == 3);
      CHECK(together[k].losses == alone[k].losses);
      CHECK(together[k].weights == alone[k].weights);
    }
  }
}
