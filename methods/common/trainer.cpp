// The shared training loop (trainer.hpp).
#include "methods/common/trainer.hpp"

#include <torch/optim/adam.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "harness/core/error.hpp"

namespace ocb::methods {

double Schedule::lr_at(std::int64_t epoch) const {
  double lr_now = lr;
  for (auto m : milestones)
    if (epoch >= m) lr_now *= 0.1;
  return lr_now;
}

std::vector<std::int64_t> kept_rows(std::int64_t n, const Schedule& schedule) {
  auto kept = core::Rng(schedule.block_seed).permutation(n);
  if (schedule.fixed_blocks && n >= schedule.batch_size)
    kept.resize(static_cast<std::size_t>(n / schedule.batch_size * schedule.batch_size));
  return kept;
}

std::vector<std::int64_t> epoch_order(std::int64_t n, const Schedule& schedule, core::Rng& shuffle) {
  return epoch_order(schedule.fixed_blocks ? kept_rows(n, schedule) : std::vector<std::int64_t>{}, n, schedule, shuffle);
}

std::vector<std::int64_t> epoch_order(const std::vector<std::int64_t>& kept, std::int64_t n,
                                      const Schedule& schedule, core::Rng& shuffle) {
  if (!schedule.fixed_blocks) return shuffle.permutation(n);
  // Block k is kept[k*b, (k+1)*b); fewer samples than one batch make one block.
  const std::int64_t block_len = std::min(n, schedule.batch_size);
  const std::int64_t blocks = static_cast<std::int64_t>(kept.size()) / block_len;
  std::vector<std::int64_t> order;
  order.reserve(static_cast<std::size_t>(blocks * block_len));
  for (auto k : shuffle.permutation(blocks))
    order.insert(order.end(), kept.begin() + k * block_len, kept.begin() + (k + 1) * block_len);
  return order;
}

TrainLog train(torch::nn::Module& model, const std::vector<at::Tensor>& params, const at::Tensor& data,
               Objective& objective, const Schedule& schedule, core::Rng& shuffle, core::RunContext& ctx,
               const std::string& phase) {
  TrainLog log;
  const std::int64_t n = data.size(0);
  if (n == 0) throw core::Error("no training data");
  torch::optim::Adam adam(params, torch::optim::AdamOptions(schedule.lr).weight_decay(schedule.weight_decay));
  model.train();
  // The kept rows are fixed for the whole phase; only the block order changes.
  const auto kept = schedule.fixed_blocks ? kept_rows(n, schedule) : std::vector<std::int64_t>{};
  const auto t_start = std::chrono::steady_clock::now();
  for (std::int64_t epoch = 0; epoch < schedule.epochs; ++epoch) {
    const auto t0 = std::chrono::steady_clock::now();
    for (auto& group : adam.param_groups())
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(schedule.lr_at(epoch));
    auto order = epoch_order(kept, n, schedule, shuffle);
    const auto used = static_cast<std::int64_t>(order.size());
    const auto perm = at::from_blob(order.data(), {used}, at::kLong).to(data.device());
    double loss_sum = 0.0;
    std::int64_t batches = 0;
    for (std::int64_t start = 0; start < used; start += schedule.batch_size) {
      const auto index = perm.slice(0, start, std::min(used, start + schedule.batch_size));
      const auto x = data.index_select(0, index);
      adam.zero_grad();
      at::Tensor loss = objective.batch_loss(x, index, epoch);
      loss.backward();
      adam.step();
      objective.after_step(epoch);
      loss_sum += loss.item<double>();
      ++batches;
      ++log.steps;
    }
    objective.after_epoch(epoch);
    const double mean = loss_sum / static_cast<double>(batches);
    if (!std::isfinite(mean))
      throw core::Error(fmt::format("{}: loss became {} in epoch {}", phase, mean, epoch + 1));
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    log.epoch_loss.push_back(mean);
    log.epoch_seconds.push_back(secs);
    ctx.log(fmt::format("{} epoch {:>3}/{}  lr {:.0e}  loss {:.6g}  {:.2f} s", phase, epoch + 1, schedule.epochs,
                        schedule.lr_at(epoch), mean, secs));
  }
  log.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  ctx.add_time(phase, log.seconds);
  return log;
}

at::Tensor map_batches(const at::Tensor& data, std::int64_t batch_size,
                       const std::function<at::Tensor(const at::Tensor&)>& fn) {
  at::NoGradGuard guard;
  std::vector<at::Tensor> parts;
  for (std::int64_t start = 0; start < data.size(0); start += batch_size)
    parts.push_back(fn(data.slice(0, start, std::min(data.size(0), start + batch_size))));
  return at::cat(parts, 0);
}

}  // namespace ocb::methods
