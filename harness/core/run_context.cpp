// RunContext, Report and phase timing (run_context.hpp).
#include "harness/core/run_context.hpp"

#include <fmt/format.h>

#include "harness/core/rng.hpp"

namespace ocb::core {

std::string CellInfo::describe() const {
  return fmt::format("'{}' on {} class {} seed {}", label, dataset, normal_class, seed);
}

void Facts::curve(const std::string& phase, TrainingCurve c) {
  for (auto& [name, existing] : curves_)
    if (name == phase) {
      existing = std::move(c);
      return;
    }
  curves_.emplace_back(phase, std::move(c));
}

void Report::set(std::string key, Value value) {
  for (auto& [k, v] : entries_) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  entries_.emplace_back(std::move(key), std::move(value));
}

RunContext::RunContext(CellInfo cell, int threads, std::string device, std::filesystem::path cache_dir, LogSink sink,
                       LogSink warn_sink)
    : cell_(std::move(cell)),
      threads_(threads),
      device_(std::move(device)),
      cache_dir_(std::move(cache_dir)),
      sink_(std::move(sink)),
      warn_sink_(std::move(warn_sink)) {}

std::uint64_t RunContext::seed_for(std::string_view stream) const { return derive_seed(cell_.seed, stream); }

void RunContext::log(std::string_view message) const {
  if (sink_) sink_(message);
}

void RunContext::warn(const std::string& message) {
  if (warn_sink_) warn_sink_(message);
  warnings_.push_back(message);
  report_.set("warnings", warnings_);
}

void RunContext::add_time(const std::string& phase, double seconds) {
  for (auto& [name, total] : timings_) {
    if (name == phase) {
      total += seconds;
      return;
    }
  }
  timings_.emplace_back(phase, seconds);
}

RunContext::Phase::Phase(RunContext& ctx, std::string name)
    : ctx_(ctx), name_(std::move(name)), start_(std::chrono::steady_clock::now()) {}

RunContext::Phase::~Phase() {
  ctx_.add_time(name_, std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
}

}  // namespace ocb::core
