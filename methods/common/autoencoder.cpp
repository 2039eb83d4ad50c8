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
#include <sstream>
#include <chrono>

#include "harness/core/atomic_file.hpp"
#include "harness/core/error.hpp"
#include "harness/core/hash.hpp"
#include "harness/core/params.hpp"
#include "methods/common/cache_meta.hpp"

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
  at::Tensor batch_loss(const at::Tensor& x, const at::Tensor& index, std::int64_t epoch) override {
    return loss_of(ae_.forward(x), x, index, epoch);
  }
  bool splits_forward() const override { return true; }
  at::Tensor loss_of(const at::Tensor& out, const at::Tensor& x, const at::Tensor&, std::int64_t) override {
    // Batch mean of the per-sample sum of squared errors (the PyTorch reference's AE loss).
    return (out - x).pow(2).flatten(1).sum(1).mean();
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

namespace {

// A cache entry: <key>.pt (the weights) and <key>.json (the complete key
// text, the weights' size and SHA-256, the training log). The JSON is
// written last, so its presence marks a whole entry; loading checks every
// part and refuses an entry that differs in any.
struct CacheEntry {
  fs::path weights, meta;
};

std::string serialize(const std::vector<at::Tensor>& tensors) {
  std::ostringstream out;
  torch::save(tensors, out);
  return out.str();
}

// Why the entry cannot be used ("" if it can), and its contents.
std::string load_entry(const CacheEntry& e, const std::string& key_text, Autoencoder& model, TrainLog& log) {
  try {
    const CacheMeta meta = parse_cache_meta(core::read_file(e.meta), e.meta.string());
    if (meta.key_text != key_text) return fmt::format("{}: made for another configuration ({})", e.meta.string(), meta.key_text);
    const std::string bytes = core::read_file(e.weights);
    if (bytes.size() != meta.weights_bytes)
      return fmt::format("{}: {} bytes, the entry says {}", e.weights.string(), bytes.size(), meta.weights_bytes);
    if (core::sha256_hex(bytes) != meta.weights_sha256) return fmt::format("{}: content does not match its SHA-256", e.weights.string());
    std::vector<at::Tensor> saved;
    std::istringstream in(bytes);
    torch::load(saved, in);
    auto mine = state_tensors(model);
    if (saved.size() != mine.size()) return fmt::format("{}: {} tensors, the network has {}", e.weights.string(), saved.size(), mine.size());
    for (std::size_t i = 0; i < mine.size(); ++i)
      if (saved[i].sizes() != mine[i].sizes()) return fmt::format("{}: tensor {} has the wrong shape", e.weights.string(), i);
    at::NoGradGuard guard;
    for (std::size_t i = 0; i < mine.size(); ++i) mine[i].copy_(saved[i].to(mine[i].device()));
    log.epoch_loss = meta.epoch_loss;
    log.epoch_seconds = meta.epoch_seconds;
    log.seconds = meta.seconds;
  } catch (const core::Error& ex) {
    return ex.what();
  } catch (const std::exception& ex) {
    return fmt::format("{}: {}", e.meta.string(), ex.what());
  }
  return "";
}

// Moves a bad entry into <cache>/autoencoders/corrupt/, where nothing reads it.
void move_aside(const CacheEntry& e, core::RunContext& ctx) {
  const fs::path dir = e.meta.parent_path() / "corrupt";
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string stamp = std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  for (const auto& p : {e.weights, e.meta})
    if (fs::exists(p, ec)) fs::rename(p, dir / (p.filename().string() + "." + stamp), ec);
  ctx.log(fmt::format("moved the bad cache entry to {}", dir.string()));
}

}  // namespace

int ae_numerics_version(const AeConfig& cfg, const at::Device& device) {
  return network_numerics_version(cfg.arch, device.is_cpu() ? "cpu" : "cuda", cfg.net.kernels);
}

AeStage pretrained_autoencoder(const AeConfig& cfg, const at::Tensor& data, const at::Device& device,
                               core::RunContext& ctx) {
  const auto& cell = ctx.cell();
  // Everything that decides the weights: training data, class, seed, configuration, LibTorch, device, threads and kernel families.
  const std::string text = fmt::format("ocbench-ae/2|{}|class={}|seed={}|{}|torch={}|device={}|numerics={}|kernels=v{}",
                                       cell.train_key.empty() ? cell.data_key : cell.train_key, cell.normal_class, cell.seed, cfg.canonical(), TORCH_VERSION, device.str(),
                                       ctx.numerics_key(), ae_numerics_version(cfg, device));
  AeStage stage;
  stage.key = core::sha256_hex(text).substr(0, 20);
  const fs::path dir = ctx.cache_dir() / "autoencoders";
  fs::create_directories(dir);
  const CacheEntry entry{dir / (stage.key + ".pt"), dir / (stage.key + ".json")};

  auto encoder = make_encoder(cfg.arch, cfg.net);
  auto decoder = make_decoder(cfg.arch, cfg.net);
  stage.model = std::make_shared<Autoencoder>(encoder, decoder);
  stage.model->to(device);

  FileLock lock(dir / (stage.key + ".lock"));
  std::error_code ec;
  if (fs::exists(entry.meta, ec) || fs::exists(entry.weights, ec)) {
    const std::string problem = load_entry(entry, text, *stage.model, stage.log);
    if (problem.empty()) {
      stage.cached = true;
      ctx.log(fmt::format("pretraining: reusing {}", entry.weights.string()));
    } else {
      ctx.warn("pretraining cache entry not used: " + problem + "; retraining");
      move_aside(entry, ctx);
    }
  }
  if (!stage.cached) {
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
    const Batching batching = batching_of(*stage.model);
    stage.log = train(*stage.model, stage.model->parameters(), train_data, loss, schedule, shuffle, ctx, "pretrain", &batching);
    // Weights first, then the JSON that vouches for them; both through the atomic write path.
    try {
      const std::string bytes = serialize(state_tensors(*stage.model));
      core::write_file_atomic(entry.weights, bytes);
      core::write_file_atomic(entry.meta, cache_meta_json({text, bytes.size(), core::sha256_hex(bytes), stage.log.epoch_loss,
                                                          stage.log.epoch_seconds, stage.log.seconds}));
    } catch (const core::IoError& e) {
      // The trained weights are in memory: the cell goes on, the next one trains again.
      ctx.warn(std::string("cannot write the pretraining cache: ") + e.what());
      fs::remove(entry.meta, ec);
    }
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
