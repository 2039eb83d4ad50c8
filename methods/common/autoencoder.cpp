// Pretraining stage with its on-disk cache (autoencoder.hpp).
#include "methods/common/autoencoder.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <torch/serialize.h>
#include <torch/version.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/core/error.hpp"
#include "harness/core/hash.hpp"
#include "harness/core/params.hpp"

namespace ocb::methods {
namespace fs = std::filesystem;
namespace {

class FileLock {
 public:
  explicit FileLock(const fs::path& path) : fd_(::open(path.c_str(), O_RDWR | O_CREAT, 0644)) {
    if (fd_ < 0) throw core::Error("cannot open lock file " + path.string());
    ::flock(fd_, LOCK_EX);
  }
  ~FileLock() {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

std::vector<at::Tensor> state_tensors(torch::nn::Module& m) {
  std::vector<at::Tensor> out;
  for (auto& p : m.named_parameters()) out.push_back(p.value());
  for (auto& b : m.named_buffers()) out.push_back(b.value());
  return out;
}

class AeLoss final : public Objective {
 public:
  explicit AeLoss(Autoencoder& ae) : ae_(ae) {}
  at::Tensor batch_loss(const at::Tensor& x, const at::Tensor&, std::int64_t) override {
    // Batch mean of the per-sample sum of squared errors (PROTOCOL.md §4.7).
    return (ae_.forward(x) - x).pow(2).flatten(1).sum(1).mean();
  }

 private:
  Autoencoder& ae_;
};

void report(core::RunContext& ctx, const AeStage& s, const AeConfig& cfg) {
  auto& r = ctx.report();
  r.set("pretraining.key", s.key);
  r.set("pretraining.cached", s.cached);
  r.set("pretraining.config", cfg.canonical());
  ctx.facts().curve("pretraining", s.log.curve());
}

}  // namespace

at::Tensor training_rows(std::int64_t n, double fraction, std::uint64_t seed) {
  if (fraction >= 1.0) return {};
  // As the Theano code's validation split: floor((1 - fraction) n) samples held out.
  const auto held_out = static_cast<std::int64_t>(std::floor((1.0 - fraction) * static_cast<double>(n)));
  auto order = core::Rng(seed).permutation(n);
  order.resize(static_cast<std::size_t>(std::max<std::int64_t>(1, n - held_out)));
  std::sort(order.begin(), order.end());
  return at::tensor(order, at::kLong);
}

std::string AeConfig::canonical() const {
  const auto& s = schedule;
  return fmt::format("arch={};leaky={};bn_affine={};bn_eps={};kernels={};epochs={};lr={};milestones={};wd={};batch={}", arch,
                     core::to_string(net.leaky_slope), net.bn_affine, core::to_string(net.bn_eps),
                     net.kernels == ops::Kernels::native ? "native" : "torch", s.epochs, core::to_string(s.lr),
                     core::to_string(std::vector<std::int64_t>(s.milestones)), core::to_string(s.weight_decay),
                     s.batch_size) +
         // Options added later appear only when set, so older cache keys stay valid.
         (s.fixed_blocks ? ";batching=theano_blocks" : "") +
         (train_fraction != 1.0 ? ";train_fraction=" + core::to_string(train_fraction) : "");
}

AeStage pretrained_autoencoder(const AeConfig& cfg, const at::Tensor& data, const at::Device& device,
                               core::RunContext& ctx) {
  const auto& cell = ctx.cell();
  const std::string text = fmt::format("ocbench-ae/1|{}|class={}|seed={}|{}|torch={}|device={}", cell.data_key,
                                       cell.normal_class, cell.seed, cfg.canonical(), TORCH_VERSION, device.str());
  AeStage stage;
  stage.key = core::sha256_hex(text).substr(0, 20);
  const fs::path dir = ctx.cache_dir() / "autoencoders";
  fs::create_directories(dir);
  const fs::path weights = dir / (stage.key + ".pt"), log_file = dir / (stage.key + ".json");

  auto encoder = make_encoder(cfg.arch, cfg.net);
  auto decoder = make_decoder(cfg.arch, cfg.net);
  stage.model = std::make_shared<Autoencoder>(encoder, decoder);
  stage.model->to(device);

  FileLock lock(dir / (stage.key + ".lock"));
  if (fs::exists(weights) && fs::exists(log_file)) {
    std::vector<at::Tensor> saved;
    torch::load(saved, weights.string());
    auto mine = state_tensors(*stage.model);
    if (saved.size() != mine.size()) throw core::Error("cached autoencoder " + weights.string() + " does not fit the network");
    at::NoGradGuard guard;
    for (std::size_t i = 0; i < mine.size(); ++i) mine[i].copy_(saved[i]);
    const auto j = nlohmann::json::parse(std::ifstream(log_file));
    stage.log.epoch_loss = j.at("epoch_loss").get<std::vector<double>>();
    stage.log.seconds = j.at("seconds").get<double>();
    stage.cached = true;
    ctx.log(fmt::format("pretraining: reusing {}", weights.string()));
  } else {
    core::Rng init(ctx.seed_for("ae_init")), shuffle(ctx.seed_for("ae_shuffle"));
    init_encoder(*encoder, cfg.arch, true, init);
    init_decoder(*decoder, cfg.arch, init);
    AeLoss loss(*stage.model);
    Schedule schedule = cfg.schedule;
    schedule.block_seed = ctx.seed_for("train_blocks");
    const at::Tensor rows = training_rows(data.size(0), cfg.train_fraction, ctx.seed_for("ae_subset"));
    const at::Tensor train_data = rows.defined() ? data.index_select(0, rows.to(data.device())) : data;
    if (rows.defined())
      ctx.log(fmt::format("pretraining on {} of {} training samples", train_data.size(0), data.size(0)));
    stage.log = train(*stage.model, stage.model->parameters(), train_data, loss, schedule, shuffle, ctx, "pretrain");
    // Written to temporary names and renamed: a kill never leaves half a cache entry.
    const std::string suffix = fmt::format(".tmp.{}", ::getpid());
    torch::save(state_tensors(*stage.model), weights.string() + suffix);
    nlohmann::json j{{"config", text}, {"epoch_loss", stage.log.epoch_loss}, {"seconds", stage.log.seconds}};
    std::ofstream(log_file.string() + suffix) << j.dump(1);
    fs::rename(log_file.string() + suffix, log_file);
    fs::rename(weights.string() + suffix, weights);
  }
  stage.model->eval();
  report(ctx, stage, cfg);
  return stage;
}

at::Tensor reconstruction_errors(Autoencoder& ae, const at::Tensor& x) {
  ae.eval();
  return map_batches(x, 200, [&](const at::Tensor& b) { return (ae.forward(b) - b).pow(2).flatten(1).sum(1); });
}

}  // namespace ocb::methods
