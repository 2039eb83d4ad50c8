// The classifier and the two attacks (adversarial.hpp). Everything random is
// drawn from seeded streams, so the same options give the same bytes.
#include "methods/adversarial/adversarial.hpp"

#include <ATen/Parallel.h>
#include <torch/optim/adam.h>

#include <cmath>

#include "harness/core/error.hpp"
#include "harness/core/rng.hpp"
#include "methods/common/networks.hpp"
#include "methods/common/torch_env.hpp"

namespace ocb::methods::adversarial {
namespace {

// conv(3->32) BN ReLU pool, conv(32->64) BN ReLU pool, dense 4096->128 ReLU, dense 128->43.
class Classifier : public torch::nn::Module {
 public:
  explicit Classifier(core::Rng& rng) {
    NetOptions o;
    o.bn_eps = 1e-5;
    conv1 = register_module("conv1", std::make_shared<Conv5x5Impl>(3, 32, 2, false, o.kernels));
    bn1 = register_module("bn1", std::make_shared<BatchNormImpl>(32, o));
    conv2 = register_module("conv2", std::make_shared<Conv5x5Impl>(32, 64, 2, false, o.kernels));
    bn2 = register_module("bn2", std::make_shared<BatchNormImpl>(64, o));
    fc1 = register_parameter("fc1", at::zeros({128, 64 * 8 * 8}));
    b1 = register_parameter("b1", at::zeros({128}));
    fc2 = register_parameter("fc2", at::zeros({43, 128}));
    b2 = register_parameter("b2", at::zeros({43}));
    for (auto* t : {&conv1->weight, &conv2->weight, &fc1, &fc2}) {
      const double fan_in = static_cast<double>(t->numel() / t->size(0));
      std::vector<float> v(static_cast<std::size_t>(t->numel()));
      for (auto& x : v) x = static_cast<float>(rng.uniform(-1, 1) / std::sqrt(fan_in));
      at::NoGradGuard g;
      t->copy_(at::from_blob(v.data(), t->sizes(), at::kFloat));
    }
  }
  at::Tensor forward(const at::Tensor& x) {
    auto h = ops::max_pool2x2(at::relu(bn1->forward(conv1->forward(x))), ops::Kernels::native);
    h = ops::max_pool2x2(at::relu(bn2->forward(conv2->forward(h))), ops::Kernels::native);
    return at::linear(at::relu(at::linear(h.flatten(1), fc1, b1)), fc2, b2);
  }
  std::vector<std::int64_t> predict(const at::Tensor& x) {
    at::NoGradGuard g;
    std::vector<std::int64_t> out;
    for (std::int64_t s = 0; s < x.size(0); s += 500) {
      const auto p = forward(x.slice(0, s, std::min(x.size(0), s + 500))).argmax(1).contiguous();
      out.insert(out.end(), p.data_ptr<std::int64_t>(), p.data_ptr<std::int64_t>() + p.numel());
    }
    return out;
  }
  std::shared_ptr<Conv5x5Impl> conv1, conv2;
  std::shared_ptr<BatchNormImpl> bn1, bn2;
  at::Tensor fc1, b1, fc2, b2;
};

at::Tensor to_tensor(const core::Samples& s) {
  return at::from_blob(const_cast<float*>(s.data()), {s.size(), 3, 32, 32}, at::kFloat);
}

double accuracy(Classifier& c, const at::Tensor& x, const std::vector<int>& y) {
  const auto p = c.predict(x);
  std::int64_t ok = 0;
  for (std::size_t i = 0; i < p.size(); ++i) ok += p[i] == y[i];
  return static_cast<double>(ok) / static_cast<double>(p.size());
}

void train_classifier(Classifier& c, const at::Tensor& x, const std::vector<int>& y, const Options& o,
                      const std::function<void(std::string_view)>& log) {
  core::Rng shuffle(core::derive_seed(o.seed, "classifier_shuffle"));
  torch::optim::Adam adam(c.parameters(), torch::optim::AdamOptions(o.classifier_lr));
  const auto labels = at::tensor(std::vector<std::int64_t>(y.begin(), y.end()), at::kLong);
  c.train();
  for (int e = 0; e < o.classifier_epochs; ++e) {
    const auto order = shuffle.permutation(x.size(0));
    const auto perm = at::tensor(order, at::kLong);
    double loss_sum = 0;
    int batches = 0;
    for (std::int64_t s = 0; s < x.size(0); s += o.batch_size) {
      const auto idx = perm.slice(0, s, std::min(x.size(0), s + o.batch_size));
      adam.zero_grad();
      auto loss = at::cross_entropy_loss(c.forward(x.index_select(0, idx)), labels.index_select(0, idx));
      loss.backward();
      adam.step();
      loss_sum += loss.item<double>();
      ++batches;
    }
    log(fmt::format("classifier epoch {}/{}: loss {:.4f}", e + 1, o.classifier_epochs, loss_sum / batches));
  }
  c.eval();
}

double l2(const at::Tensor& a, const at::Tensor& b) { return (a - b).flatten().norm().item<double>(); }

// PGD on the cross-entropy of the true class, L-inf ball, random start.
at::Tensor pgd(Classifier& c, const at::Tensor& x, int label, const Options& o, core::Rng& rng) {
  std::vector<float> start(static_cast<std::size_t>(x.numel()));
  for (auto& v : start) v = static_cast<float>(rng.uniform(-o.pgd_epsilon, o.pgd_epsilon));
  auto adv = (x + at::from_blob(start.data(), x.sizes(), at::kFloat)).clamp(0, 1);
  const auto target = at::full({x.size(0)}, label, at::kLong);
  for (int s = 0; s < o.pgd_steps; ++s) {
    auto a = adv.detach().requires_grad_(true);
    auto loss = at::cross_entropy_loss(c.forward(a), target);
    loss.backward();
    adv = (a.detach() + o.pgd_step * a.grad().sign());
    adv = at::min(at::max(adv, x - o.pgd_epsilon), x + o.pgd_epsilon).clamp(0, 1);
  }
  return adv.detach();
}

// The boundary attack: start from uniform noise that is misclassified, pulled
// towards the source by binary search; then random steps on the sphere around
// the source followed by a step towards it, keeping only candidates that stay
// adversarial, with step sizes adapted to the acceptance rate. Returns the
// trajectory of accepted points (most recent last) for each source.
std::vector<std::vector<at::Tensor>> boundary(Classifier& c, const at::Tensor& x, int label, const Options& o, core::Rng& rng,
                                              const std::function<void(std::string_view)>& log) {
  const std::int64_t n = x.size(0);
  auto is_adv = [&](const at::Tensor& batch) {
    const auto p = c.predict(batch);
    std::vector<bool> out;
    for (auto v : p) out.push_back(v != label);
    return out;
  };
  auto noise = [&](at::IntArrayRef shape, bool normal) {
    std::vector<float> v(static_cast<std::size_t>(c10::multiply_integers(shape)));
    for (auto& e : v) e = static_cast<float>(normal ? rng.normal() : rng.uniform());
    return at::from_blob(v.data(), shape, at::kFloat).clone();
  };
  std::vector<at::Tensor> adv(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    at::Tensor start;
    for (int t = 0; t < 200 && !start.defined(); ++t) {
      auto cand = noise({1, 3, 32, 32}, false);
      if (is_adv(cand)[0]) start = cand;
    }
    if (!start.defined()) throw core::Error("boundary attack: no random image is misclassified; cannot start");
    double lo = 0.0, hi = 1.0;  // blend towards the source: largest t still adversarial
    for (int b = 0; b < 20; ++b) {
      const double mid = 0.5 * (lo + hi);
      if (is_adv((1 - mid) * start + mid * x.slice(0, i, i + 1))[0]) lo = mid;
      else hi = mid;
    }
    adv[i] = ((1 - lo) * start + lo * x.slice(0, i, i + 1))[0];
  }
  std::vector<std::vector<at::Tensor>> trail(static_cast<std::size_t>(n));
  std::vector<double> delta(n, o.boundary_spherical_step), eps(n, o.boundary_source_step);
  const int k = o.boundary_candidates;
  for (int it = 0; it < o.boundary_iterations; ++it) {
    // Per source: k spherical candidates (orthogonal step only) and the same k
    // followed by the step towards the source; the acceptance rate of the
    // former tunes delta, that of the latter epsilon (Brendel et al. 2018, §3).
    std::vector<at::Tensor> cands;
    for (std::int64_t i = 0; i < n; ++i) {
      const auto src = x[i], diff = src - adv[i];
      const double d = diff.norm().item<double>();
      auto eta = noise({k, 3, 32, 32}, true);
      const auto proj = (eta.flatten(1).matmul(diff.flatten()) / (d * d)).view({k, 1, 1, 1});
      eta = eta - proj * diff.unsqueeze(0);
      eta = eta * (delta[i] * d / eta.flatten(1).norm(2, 1).view({k, 1, 1, 1}));
      auto sph = adv[i].unsqueeze(0) + eta;
      const auto to_src = sph - src.unsqueeze(0);
      sph = (src.unsqueeze(0) + to_src * (d / to_src.flatten(1).norm(2, 1).view({k, 1, 1, 1}))).clamp(0, 1);
      cands.push_back(sph);
      cands.push_back((sph + eps[i] * (src.unsqueeze(0) - sph)).clamp(0, 1));
    }
    const auto all = at::cat(cands, 0);
    const auto ok = is_adv(all);
    for (std::int64_t i = 0; i < n; ++i) {
      int spherical_ok = 0, stepped_ok = 0;
      double best = l2(adv[i], x[i]);
      for (int j = 0; j < k; ++j) {
        spherical_ok += ok[2 * i * k + j];
        const std::int64_t at_ = 2 * i * k + k + j;
        if (!ok[at_]) continue;
        ++stepped_ok;
        const double dist = l2(all[at_], x[i]);
        if (dist < best) {
          best = dist;
          adv[i] = all[at_].clone();
        }
      }
      if (stepped_ok > 0) {
        trail[i].push_back(adv[i]);
        if (trail[i].size() > 30) trail[i].erase(trail[i].begin());
      }
      const double rs = static_cast<double>(spherical_ok) / k, rt = static_cast<double>(stepped_ok) / k;
      delta[i] = std::clamp(delta[i] * (rs > 0.5 ? 1.5 : rs < 0.2 ? 1.0 / 1.5 : 1.0), 1e-4, 1.0);
      eps[i] = std::clamp(eps[i] * (rt > 0.5 ? 1.5 : rt < 0.2 ? 1.0 / 1.5 : 1.0), 1e-5, 0.9);
    }
    if ((it + 1) % 100 == 0) {
      double mean = 0;
      for (std::int64_t i = 0; i < n; ++i) mean += l2(adv[i], x[i]) / n;
      log(fmt::format("boundary attack iteration {}/{}: mean L2 distance {:.4f}", it + 1, o.boundary_iterations, mean));
    }
  }
  for (std::int64_t i = 0; i < n; ++i)
    if (trail[i].empty()) trail[i].push_back(adv[i]);
  return trail;
}

std::vector<std::uint8_t> quantise(const at::Tensor& img) {
  const auto q = (img * 255.0).round().clamp(0, 255).to(at::kByte).contiguous();
  return {q.data_ptr<std::uint8_t>(), q.data_ptr<std::uint8_t>() + q.numel()};
}

at::Tensor dequantise(const std::vector<std::uint8_t>& v) {
  return at::from_blob(const_cast<std::uint8_t*>(v.data()), {1, 3, 32, 32}, at::kByte).to(at::kFloat) / 255.0;
}

}  // namespace

Result make_examples(const core::Samples& train, const std::vector<int>& train_labels, const core::Samples& candidates,
            const Options& o, const std::function<void(std::string_view)>& log);

Result make_adversarial(const core::Samples& train, const std::vector<int>& train_labels, const core::Samples& candidates,
                        const Options& o, const std::function<void(std::string_view)>& log) {
  return torch_errors_translated([&] { return make_examples(train, train_labels, candidates, o, log); });
}

Result make_examples(const core::Samples& train, const std::vector<int>& train_labels, const core::Samples& candidates,
            const Options& o, const std::function<void(std::string_view)>& log) {
  at::set_num_threads(1);
  Result res;
  core::Rng init(core::derive_seed(o.seed, "classifier_init"));
  Classifier c(init);
  for (const auto& p : c.parameters()) res.classifier_parameters += static_cast<int>(p.numel());
  const auto xtrain = to_tensor(train), xcand = to_tensor(candidates);
  train_classifier(c, xtrain, train_labels, o, log);
  res.train_accuracy = accuracy(c, xtrain, train_labels);
  const auto preds = c.predict(xcand);
  std::int64_t right = 0;
  for (auto p : preds) right += p == o.target_class;
  res.target_accuracy = static_cast<double>(right) / static_cast<double>(preds.size());
  log(fmt::format("classifier: {:.1f} % on its training images, {:.1f} % on the {} candidate images", 100 * res.train_accuracy,
                  100 * res.target_accuracy, preds.size()));

  core::Rng order_rng(core::derive_seed(o.seed, "sources")), attack_rng(core::derive_seed(o.seed, "attack"));
  std::vector<std::int64_t> queue;
  for (auto i : order_rng.permutation(candidates.size()))
    if (preds[i] == o.target_class) queue.push_back(i);
  // Attack in rounds of the remaining need until enough succeed.
  std::size_t next = 0;
  while (static_cast<int>(res.examples.size()) < o.count && next < queue.size()) {
    const std::size_t take = std::min(queue.size() - next, static_cast<std::size_t>(o.count - static_cast<int>(res.examples.size())));
    std::vector<std::int64_t> batch(queue.begin() + static_cast<std::ptrdiff_t>(next), queue.begin() + static_cast<std::ptrdiff_t>(next + take));
    next += take;
    res.attempted.insert(res.attempted.end(), batch.begin(), batch.end());
    const auto x = xcand.index_select(0, at::tensor(batch, at::kLong));
    std::vector<std::vector<at::Tensor>> trails;
    if (o.attack == "pgd") {
      const auto adv = pgd(c, x, o.target_class, o, attack_rng);
      for (std::int64_t i = 0; i < adv.size(0); ++i) trails.push_back({adv[i]});
    } else if (o.attack == "boundary") {
      trails = boundary(c, x, o.target_class, o, attack_rng, log);
    } else {
      throw core::Error("unknown attack '" + o.attack + "' (known: boundary, pgd)");
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      // The closest point that is still adversarial once quantised to 8 bits.
      for (auto it = trails[i].rbegin(); it != trails[i].rend(); ++it) {
        auto q = quantise(*it);
        const auto p = c.predict(dequantise(q))[0];
        if (p == o.target_class) continue;
        const auto diff = dequantise(q)[0] - x[static_cast<std::int64_t>(i)];
        res.examples.push_back({batch[i], o.target_class, static_cast<int>(p), diff.flatten().norm().item<double>(),
                                diff.abs().max().item<double>(), std::move(q)});
        break;
      }
    }
  }
  if (static_cast<int>(res.examples.size()) < o.count)
    throw core::Error(fmt::format("only {} of {} adversarial examples could be made", res.examples.size(), o.count));
  return res;
}

namespace {
[[maybe_unused]] const bool registered = core::adversarial::register_maker(make_adversarial);
}  // namespace

}  // namespace ocb::methods::adversarial
