// The shared training loop (trainer.hpp).
#include "methods/common/trainer.hpp"

#include <fmt/ranges.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/optim/adam.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>

#include "harness/core/error.hpp"
#include "harness/core/rendezvous.hpp"

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

at::Tensor Objective::loss_of(const at::Tensor&, const at::Tensor&, const at::Tensor&, std::int64_t) {
  throw core::Error("this objective does not split its forward (it trains alone)");
}

namespace {

// One cell of a (possibly one-cell) training.
struct Member {
  torch::nn::Module* model;
  const std::vector<at::Tensor>* params;
  const at::Tensor* data;
  Objective* objective;
  Schedule schedule;  // the same in a group but for block_seed
  core::Rng* shuffle;
  core::RunContext* ctx;
  TrainLog log;
  std::exception_ptr error;  // the cell's own failure (its loss became NaN, say)
};

// A member's state within one phase.
struct Lane {
  explicit Lane(Member* member) : m(member) {}
  Member* m;
  std::unique_ptr<torch::optim::Adam> adam;
  std::vector<std::int64_t> kept, order;  // kept rows (Theano batching); this epoch's order
  at::Tensor perm;                        // order on the data's device
  double loss_sum = 0.0;
  std::int64_t batches = 0;
  std::int64_t size_at(std::int64_t step) const {
    const auto used = static_cast<std::int64_t>(order.size());
    return std::max<std::int64_t>(0, std::min(used, (step + 1) * m->schedule.batch_size) - step * m->schedule.batch_size);
  }
};

// One step of lanes whose batches at `step` have the same size: alone, the
// objective's own batch_loss; together, one forward of all their models.
void step_lanes(const std::vector<Lane*>& lanes, std::int64_t step, std::int64_t epoch, const Batching* batching) {
  std::vector<at::Tensor> index, x, losses;
  for (Lane* l : lanes) {
    const std::int64_t start = step * l->m->schedule.batch_size;
    index.push_back(l->perm.slice(0, start, start + l->size_at(step)));
    x.push_back(l->m->data->index_select(0, index.back()));
    l->adam->zero_grad();
  }
  if (lanes.size() == 1) {
    losses.push_back(lanes[0]->m->objective->batch_loss(x[0], index[0], epoch));
    losses[0].backward();
  } else {
    std::vector<torch::nn::Module*> models;
    for (Lane* l : lanes) models.push_back(l->m->model);
    const auto out = batching->forward(models, at::cat(x, 1)).chunk(static_cast<std::int64_t>(lanes.size()), 1);
    for (std::size_t k = 0; k < lanes.size(); ++k)
      losses.push_back(lanes[k]->m->objective->loss_of(out[k].contiguous(), x[k], index[k], epoch));
    torch::autograd::backward(losses);
  }
  for (Lane* l : lanes) {
    l->adam->step();
    l->m->objective->after_step(epoch);
  }
  // One transfer for all the lanes' losses (float -> double, as item<double>()).
  const auto values = at::stack(losses).detach().to(at::kCPU).to(at::kDouble).contiguous();
  for (std::size_t k = 0; k < lanes.size(); ++k) {
    lanes[k]->loss_sum += values.data_ptr<double>()[k];
    ++lanes[k]->batches;
    ++lanes[k]->m->log.steps;
  }
}

void train_members(const std::vector<Member*>& members, const std::string& phase, const Batching* batching) {
  const Schedule& common = members.front()->schedule;
  std::vector<Lane> lanes;
  for (Member* m : members) {
    Lane l(m);
    l.adam = std::make_unique<torch::optim::Adam>(*m->params, torch::optim::AdamOptions(common.lr).weight_decay(common.weight_decay));
    // The kept rows are fixed for the whole phase; only the block order changes.
    if (m->schedule.fixed_blocks) l.kept = kept_rows(m->data->size(0), m->schedule);
    m->model->train();
    lanes.push_back(std::move(l));
  }
  const auto t_start = std::chrono::steady_clock::now();
  for (std::int64_t epoch = 0; epoch < common.epochs; ++epoch) {
    const auto t0 = std::chrono::steady_clock::now();
    std::int64_t steps = 0;
    for (Lane& l : lanes) {
      if (l.m->error) continue;
      for (auto& group : l.adam->param_groups())
        static_cast<torch::optim::AdamOptions&>(group.options()).lr(common.lr_at(epoch));
      l.order = epoch_order(l.kept, l.m->data->size(0), l.m->schedule, *l.m->shuffle);
      l.perm = at::from_blob(l.order.data(), {static_cast<std::int64_t>(l.order.size())}, at::kLong).to(l.m->data->device());
      l.loss_sum = 0.0;
      l.batches = 0;
      const auto used = static_cast<std::int64_t>(l.order.size());
      steps = std::max(steps, (used + common.batch_size - 1) / common.batch_size);
    }
    for (std::int64_t step = 0; step < steps; ++step) {
      // The lanes with a batch at this step, by batch size (in lane order).
      std::map<std::int64_t, std::vector<Lane*>> by_size;
      for (Lane& l : lanes)
        if (!l.m->error && l.size_at(step) > 0) by_size[l.size_at(step)].push_back(&l);
      for (auto& [size, together] : by_size) {
        if (batching) {
          step_lanes(together, step, epoch, batching);
        } else {
          for (Lane* l : together) step_lanes({l}, step, epoch, nullptr);
        }
      }
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (Lane& l : lanes) {
      if (l.m->error) continue;
      l.m->objective->after_epoch(epoch);
      const double mean = l.loss_sum / static_cast<double>(l.batches);
      if (!std::isfinite(mean)) {
        l.m->error = std::make_exception_ptr(core::Error(fmt::format("{}: loss became {} in epoch {}", phase, mean, epoch + 1)));
        continue;
      }
      l.m->log.epoch_loss.push_back(mean);
      l.m->log.epoch_seconds.push_back(secs);
      l.m->ctx->log(fmt::format("{} epoch {:>3}/{}  lr {:.0e}  loss {:.6g}  {:.2f} s", phase, epoch + 1, common.epochs,
                                common.lr_at(epoch), mean, secs));
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  for (Member* m : members) {
    m->log.seconds = seconds;
    m->ctx->add_time(phase, seconds);
    if (members.size() > 1) m->ctx->report().set("batched." + phase, static_cast<std::int64_t>(members.size()));
  }
}

// What cells must share to train together.
std::string batch_key(const std::string& phase, const Batching& b, const Schedule& s, const at::Tensor& data) {
  std::string shape;
  for (std::int64_t d = 1; d < data.dim(); ++d) shape += fmt::format("x{}", data.size(d));
  return fmt::format("{}|{}|epochs={}|lr={}|milestones={}|wd={}|batch={}|blocks={}|sample{}|{}|{}", phase, b.key, s.epochs, s.lr,
                     fmt::join(s.milestones, ","), s.weight_decay, s.batch_size, s.fixed_blocks, shape,
                     data.device().str(), c10::toString(data.scalar_type()));
}

}  // namespace

TrainLog train(torch::nn::Module& model, const std::vector<at::Tensor>& params, const at::Tensor& data,
               Objective& objective, const Schedule& schedule, core::Rng& shuffle, core::RunContext& ctx,
               const std::string& phase, const Batching* batching) {
  if (data.size(0) == 0) throw core::Error("no training data");
  Member me{&model, &params, &data, &objective, schedule, &shuffle, &ctx, {}, nullptr};
  core::Rendezvous* meet = batching && objective.splits_forward() ? ctx.rendezvous() : nullptr;
  if (meet) {
    meet->join(batch_key(phase, *batching, schedule, data), &me, [&](const std::vector<void*>& group) {
      std::vector<Member*> members;
      for (void* p : group) members.push_back(static_cast<Member*>(p));
      train_members(members, phase, batching);
    });
  } else {
    train_members({&me}, phase, nullptr);
  }
  if (me.error) std::rethrow_exception(me.error);
  return me.log;
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
