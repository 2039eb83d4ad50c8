// Worker pool, skipping of finished cells and progress reporting (runner.hpp).
#include "harness/run/runner.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "harness/core/runtime.hpp"

namespace ocb::harness {
namespace {

std::string duration(double s) {
  const auto t = static_cast<long>(s + 0.5);
  if (t >= 3600) return fmt::format("{}h{:02}m", t / 3600, (t % 3600) / 60);
  if (t >= 60) return fmt::format("{}m{:02}s", t / 60, t % 60);
  return fmt::format("{}s", t);
}

class Progress {
 public:
  Progress(std::size_t total, int jobs) : total_(total), jobs_(jobs), start_(std::chrono::steady_clock::now()) {}

  void finished(const Cell& cell, const Json& rec) {
    std::lock_guard lock(m_);
    ++done_;
    const double secs = rec["timing"].value("total_s", 0.0);
    auto& [n, sum] = per_label_[cell.method->label];
    ++n;
    sum += secs;
    remaining_[cell.method->label] -= 1;
    // ETA: remaining cells of each label at that label's mean time, spread over the workers.
    double left = 0.0;
    for (const auto& [label, count] : remaining_) {
      auto it = per_label_.find(label);
      const double mean = it != per_label_.end() ? it->second.second / it->second.first : overall_mean();
      left += count * mean;
    }
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const bool ok = rec["status"] == "ok";
    std::string result = ok ? fmt::format("auc {:6.2f}", 100.0 * rec["metrics"]["auc"].get<double>())
                            : "FAILED while " + rec["error"]["phase"].get<std::string>();
    std::cerr << fmt::format("[{:>{}}/{}] {:<4} {} {:>8}  {}  elapsed {}  eta {}\n", done_, std::to_string(total_).size(),
                             total_, ok ? "ok" : "fail", cell.describe(), duration(secs), result, duration(elapsed),
                             duration(left / jobs_));
    if (!ok) std::cerr << "       " << rec["error"]["message"].get<std::string>() << "\n";
  }

  void expect(const Cell& cell) { remaining_[cell.method->label] += 1; }

 private:
  double overall_mean() const {
    double n = 0, s = 0;
    for (const auto& [label, v] : per_label_) {
      n += v.first;
      s += v.second;
    }
    return n > 0 ? s / n : 0.0;
  }
  std::mutex m_;
  std::size_t total_, done_ = 0;
  int jobs_;
  std::chrono::steady_clock::time_point start_;
  std::map<std::string, std::pair<int, double>> per_label_;
  std::map<std::string, double> remaining_;
};

}  // namespace

int run_experiment(const Experiment& exp, const RunOptions& options) {
  core::set_blas_threads(options.threads_per_job);
  auto cells = expand_cells(exp);
  if (!options.only_labels.empty()) {
    std::erase_if(cells, [&](const Cell& c) {
      return std::find(options.only_labels.begin(), options.only_labels.end(), c.method->label) == options.only_labels.end();
    });
  }
  const std::size_t expanded = cells.size();
  if (options.shard_count > 1) cells = shard_cells(cells, options.shard_index, options.shard_count);

  RecordStore store(exp.results_dir);
  std::vector<std::string> problems;
  const auto existing = store.load_all(&problems);
  for (const auto& p : problems) std::cerr << "warning: " << p << "\n";
  if (!options.dry_run)
    if (const auto n = store.remove_orphaned_temporaries())
      std::cerr << fmt::format("removed {} temporary file{} left by a killed run\n", n, n == 1 ? "" : "s");
  std::vector<Cell> todo;
  std::size_t already = 0;
  for (const auto& c : cells) {
    auto it = existing.find(c.id);
    if (it != existing.end() && it->second.value("status", "") == "ok") ++already;
    else todo.push_back(c);
  }
  std::cerr << fmt::format("{}: {} cells{}, {} already recorded, {} to run (results in {})\n", exp.name, cells.size(),
                           options.shard_count > 1 ? fmt::format(" in shard {}/{} of {}", options.shard_index,
                                                                 options.shard_count, expanded)
                                                   : "",
                           already, todo.size(), exp.results_dir.string());
  if (options.dry_run) {
    for (const auto& c : todo) std::cout << c.id << "  " << c.describe() << "\n";
    return 0;
  }
  if (todo.empty()) return 0;

  DataCache data(datasets::DataLocator::from_environment(options.data_dir), options.allow_download);
  // Load (and verify) every dataset before any cell starts: a missing or bad
  // file is bad input (a DataError for the caller), not a failure per cell.
  for (const auto& d : exp.datasets)
    if (std::any_of(todo.begin(), todo.end(), [&](const Cell& c) { return c.dataset->id == d.id; })) data.dataset(d.id, d.options);
  // Seed-major order: a run stopped early has some seeds of every class
  // rather than every seed of a few classes.
  auto groups = group_cells(todo);
  std::stable_sort(groups.begin(), groups.end(), [&](const auto& a, const auto& b) {
    const auto rank = [&](std::uint64_t seed) { return std::find(exp.seeds.begin(), exp.seeds.end(), seed) - exp.seeds.begin(); };
    return rank(a.front()->seed) < rank(b.front()->seed);
  });
  Progress progress(todo.size(), std::max(1, options.jobs));
  for (const auto& c : todo) progress.expect(c);
  std::atomic<std::size_t> next{0};
  std::atomic<int> failures{0};
  auto worker = [&] {
    for (std::size_t g; (g = next.fetch_add(1)) < groups.size();) {
      for (const Cell* cell : groups[g]) {
        Json rec = execute_cell(*cell, exp, data, store, options.exec);
        if (rec["status"] != "ok") ++failures;
        try {
          store.write_record(*cell, rec);
        } catch (const std::exception& e) {
          ++failures;
          std::cerr << "error: cannot write the record of " << cell->describe() << ": " << e.what() << "\n";
        }
        progress.finished(*cell, rec);
      }
    }
  };
  const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(groups.size())));
  std::vector<std::thread> pool;
  for (int j = 1; j < jobs; ++j) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (failures > 0) {
    std::cerr << fmt::format("{}: {} of {} cells failed (their records say why); rerun to retry them\n", exp.name,
                             failures.load(), todo.size());
    return 1;
  }
  return 0;
}

}  // namespace ocb::harness
