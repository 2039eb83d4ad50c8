// Worker pool, claims, skipping of finished cells and progress reporting (runner.hpp).
#include "harness/run/runner.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include "harness/core/exit_codes.hpp"
#include "harness/core/rendezvous.hpp"
#include "harness/core/runtime.hpp"
#include "harness/run/claims.hpp"
#include "harness/run/plan.hpp"
#include "harness/run/stop.hpp"

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

  void finished(const Cell& cell, const CellRecord& rec) {
    std::lock_guard lock(m_);
    ++done_;
    const double secs = rec.total_seconds();
    auto& [n, sum] = per_label_[cell.method->label];
    ++n;
    sum += secs;
    remaining_[cell.method->label] -= 1;
    std::cerr << fmt::format("[{:>{}}/{}] {:<4} {} {:>8}  {}  elapsed {}  eta {}\n", done_, std::to_string(total_).size(),
                             total_, rec.ok() ? "ok" : "fail", cell.describe(), duration(secs),
                             rec.ok() ? fmt::format("auc {:6.2f}", 100.0 * rec.metrics.auc) : "FAILED while " + rec.error_phase,
                             duration(elapsed()), duration(eta()));
    if (!rec.ok()) std::cerr << "       " << rec.error_message << "\n";
  }
  void skipped(const Cell& cell, const std::string& why) {
    std::lock_guard lock(m_);
    ++done_;
    remaining_[cell.method->label] -= 1;
    std::cerr << fmt::format("[{:>{}}/{}] skip {}: {}\n", done_, std::to_string(total_).size(), total_, cell.describe(), why);
  }
  void expect(const Cell& cell) { remaining_[cell.method->label] += 1; }

 private:
  double elapsed() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }
  // Remaining cells of each label at that label's mean time, spread over the workers.
  double eta() const {
    double n_all = 0, s_all = 0, left = 0;
    for (const auto& [label, v] : per_label_) {
      n_all += v.first;
      s_all += v.second;
    }
    for (const auto& [label, count] : remaining_) {
      auto it = per_label_.find(label);
      left += count * (it != per_label_.end() ? it->second.second / it->second.first : n_all > 0 ? s_all / n_all : 0.0);
    }
    return left / jobs_;
  }
  std::mutex m_;
  std::size_t total_, done_ = 0;
  int jobs_;
  std::chrono::steady_clock::time_point start_;
  std::map<std::string, std::pair<int, double>> per_label_;
  std::map<std::string, double> remaining_;
};

// A record on disk that makes running the cell unnecessary ("" = none).
std::string reason_to_skip(const RecordStore& store, const CellRecord* rec, const Numerics& expected, bool refresh) {
  return recorded_as_wanted(store, rec, expected, refresh) ? "recorded" : "";
}

// Reads the one record file of a cell (another process may have written it
// since this one started).
std::optional<CellRecord> reread(const RecordStore& store, const Cell& cell) {
  const auto path = store.record_path(cell);
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  try {
    return CellRecord::from_json(Json::parse(core::read_file(path)));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

bool recorded_as_wanted(const RecordStore& store, const CellRecord* rec, const Numerics& expected, bool refresh) {
  if (!rec || !rec->ok()) return false;
  if (refresh && rec->numerics.signature() != expected.signature()) return false;
  return store.check_score_file(*rec).kind != RecordStore::ScoreFileCheck::damaged;
}

std::function<bool(const std::string&)> plan_done(const Experiment& exp, const RecordStore& store, const RecordSet& records,
                                                   const DoneRule& rule) {
  std::map<std::string, Numerics> expected;
  if (rule.refresh_numerics) {
    ExecOptions exec;
    exec.device = rule.device;
    exec.threads = rule.threads;
    for (const auto& c : selected_cells(exp, RunOptions{})) expected.emplace(c.id, expected_numerics(c, exec));
  }
  return [&store, &records, expected = std::move(expected), refresh = rule.refresh_numerics](const std::string& id) {
    const auto it = expected.find(id);
    // A cell the experiment no longer has cannot be rerun: recorded is done.
    if (!refresh || it == expected.end()) return recorded_as_wanted(store, records.find(id), Numerics{}, false);
    return recorded_as_wanted(store, records.find(id), it->second, true);
  };
}

std::vector<Cell> selected_cells(const Experiment& exp, const RunOptions& options) {
  auto cells = expand_cells(exp);
  if (!options.only_labels.empty()) {
    std::erase_if(cells, [&](const Cell& c) {
      return std::find(options.only_labels.begin(), options.only_labels.end(), c.method->label) == options.only_labels.end();
    });
  }
  if (options.plan) {
    const Plan plan = read_plan(*options.plan);
    if (plan.experiment != exp.name)
      throw core::DataError(options.plan->string(), fmt::format("is a plan for experiment '{}', not '{}'", plan.experiment, exp.name));
    if (plan.shards != options.shard_count)
      throw core::DataError(options.plan->string(),
                            fmt::format("has {} shards, but --shard asks for {}/{}", plan.shards, options.shard_index, options.shard_count));
    std::set<std::string> mine;
    for (const auto& c : plan.cells)
      if (c.shard == options.shard_index) mine.insert(c.id);
    std::erase_if(cells, [&](const Cell& c) { return !mine.count(c.id); });
  } else if (options.shard_count > 1) {
    cells = shard_cells(cells, options.shard_index, options.shard_count);
  }
  return cells;
}

int run_experiment(const Experiment& exp, const RunOptions& options) {
  core::set_blas_threads(options.threads_per_job);
  // From here on SIGTERM exits with kExitInterrupted (once claims exist, after releasing them).
  if (!options.dry_run) install_stop_handlers(nullptr);
  const auto cells = selected_cells(exp, options);
  RecordStore store(exp.results_dir);
  if (!options.dry_run) {
    // Before any cell: a folder we cannot write would throw every result away.
    core::check_writable(exp.results_dir);
    core::check_writable(options.exec.cache_dir);
  }
  const RecordSet existing = store.load_all();
  for (const auto& p : existing.problems) std::cerr << "warning: " << p.str() << "; its cell will be rerun\n";
  if (!options.dry_run) {
    std::size_t n = store.remove_orphaned_temporaries() + core::remove_stale_temporaries(options.exec.cache_dir);
    if (n) std::cerr << fmt::format("removed {} temporary file{} left by killed runs\n", n, n == 1 ? "" : "s");
  }
  std::vector<Cell> todo;
  std::size_t already = 0, other_numerics = 0, without_scores = 0;
  for (const auto& c : cells) {
    const CellRecord* rec = existing.find(c.id);
    const Numerics expected = expected_numerics(c, options.exec);
    if (rec && rec->ok()) {
      const auto scores = store.check_score_file(*rec);
      if (scores.kind == RecordStore::ScoreFileCheck::damaged ||
          (scores.kind == RecordStore::ScoreFileCheck::absent && options.rescore_missing)) {
        std::cerr << "warning: " << scores.message << "; its cell will be rerun\n";
        todo.push_back(c);
        continue;
      }
      without_scores += scores.kind == RecordStore::ScoreFileCheck::absent;
      if (rec->numerics.signature() != expected.signature()) {
        ++other_numerics;
        if (options.refresh_numerics) {
          todo.push_back(c);
          continue;
        }
      }
      ++already;
    } else {
      todo.push_back(c);
    }
  }
  std::cerr << fmt::format("{}: {} cells{}, {} already recorded, {} to run (results in {})\n", exp.name, cells.size(),
                           options.shard_count > 1 ? fmt::format(" in shard {}/{}", options.shard_index, options.shard_count) : "",
                           already, todo.size(), exp.results_dir.string());
  if (other_numerics)
    std::cerr << fmt::format("note: {} recorded cell{} made with numerics other than this run's ({}){}\n", other_numerics,
                             other_numerics == 1 ? " was" : "s were",
                             expected_numerics(cells.front(), options.exec).environment(),
                             options.refresh_numerics ? ": rerunning them (--refresh-numerics)" : "; kept (--refresh-numerics reruns them)");
  if (without_scores)
    std::cerr << fmt::format("note: {} recorded cell{} no score file in this folder (a checkout keeps only the first seed's); "
                             "tables need none, `check` and the ROC figures do (--rescore-missing reruns them)\n",
                             without_scores, without_scores == 1 ? " has" : "s have");
  if (options.batch > 1 && options.exec.device == "cpu")
    std::cerr << fmt::format("note: --batch {} on the CPU trains the cells' networks as one with the bytes each gets alone, "
                             "but slower than alone (it is for GPUs); --jobs runs cells side by side\n",
                             options.batch);
  if (options.dry_run) {
    for (const auto& c : todo) std::cout << c.id << "  " << c.describe() << "\n";
    return kExitOk;
  }
  if (todo.empty()) {
    clear_stop_action();
    return kExitOk;
  }

  DataCache data(datasets::DataLocator::from_environment(options.data_dir), options.allow_download);
  // Load (and verify) every dataset before any cell starts: a missing or bad
  // file is bad input (a DataError for the caller), not a failure per cell.
  for (const auto& d : exp.datasets)
    if (std::any_of(todo.begin(), todo.end(), [&](const Cell& c) { return c.dataset->id == d.id; })) data.dataset(d.kind, d.options);
  // Seed-major order: a run stopped early has some seeds of every class
  // rather than every seed of a few classes.
  auto groups = group_cells(todo);
  std::unordered_map<std::uint64_t, std::size_t> seed_rank;
  for (std::size_t i = 0; i < exp.seeds.size(); ++i) seed_rank.emplace(exp.seeds[i], i);
  const auto rank = [&](std::uint64_t seed) {
    auto it = seed_rank.find(seed);
    return it == seed_rank.end() ? exp.seeds.size() + seed : it->second;
  };
  std::stable_sort(groups.begin(), groups.end(), [&](const auto& a, const auto& b) { return rank(a.front()->seed) < rank(b.front()->seed); });

  ClaimBoard claims(exp.results_dir, options.lease);
  std::mutex claim_gate;  // held from the stop check through a claim, so that SIGTERM never races a new claim
  std::atomic<std::size_t> ran{0};
  set_stop_action([&] {
    std::lock_guard lock(claim_gate);
    claims.release_all();
    std::cerr << fmt::format("{}: stopped by a signal: {} cells recorded by this run, the cells in flight are left for a "
                             "rerun; claims released\n",
                             exp.name, ran.load());
    std::_Exit(kExitInterrupted);
  });
  // The lease: touch our claims while we hold them.
  std::atomic<bool> finished{false};
  std::mutex renew_m;
  std::condition_variable renew_cv;
  std::thread renewer([&] {
    const auto every = std::max<std::chrono::seconds>(std::chrono::seconds(1), options.lease / 5);
    std::unique_lock lock(renew_m);
    while (!renew_cv.wait_for(lock, every, [&] { return finished.load(); })) claims.renew();
  });

  // Cells at once, for the ETA: on the CPU a batched group trains on its leader's thread alone.
  const bool cpu_batch = options.batch > 1 && options.exec.device == "cpu";
  Progress progress(todo.size(), cpu_batch ? std::max(1, options.jobs / options.batch) : std::max({1, options.jobs, options.batch}));
  for (const auto& c : todo) progress.expect(c);
  std::atomic<std::size_t> next{0};
  std::atomic<int> failures{0}, elsewhere{0};
  std::atomic<bool> disk_full{false};
  // --batch: the workers' trainings meet here (methods/common/trainer.hpp).
  // Patience covers a worker that waits for a pretraining another is doing.
  const int jobs = std::max(1, std::min<int>(std::max(options.jobs, options.batch), static_cast<int>(groups.size())));
  std::optional<core::Rendezvous> rendezvous;
  ExecOptions exec = options.exec;
  if (options.batch > 1) {
    rendezvous.emplace(static_cast<std::size_t>(options.batch), std::chrono::seconds(30), jobs);
    exec.rendezvous = &*rendezvous;
  }
  core::SharedResults shared(options.shared_bytes);
  if (options.shared_bytes > 0) exec.shared = &shared;
  auto worker = [&] {
    const core::Rendezvous::Leaving leaving(rendezvous ? &*rendezvous : nullptr);
    for (std::size_t g; (g = next.fetch_add(1)) < groups.size();) {
      for (const Cell* cell : groups[g]) {
        {
          std::lock_guard lock(claim_gate);
          if (stop_requested() != StopRequest::none) return;
          if (!claims.claim(cell->id)) {
            ++elsewhere;
            const auto o = claims.owner(cell->id);
            progress.skipped(*cell, "being run by " + (o ? o->describe() : std::string("another process")));
            continue;
          }
        }
        // Recorded by another process since this one read the records?
        if (const auto now = reread(store, *cell);
            now && !reason_to_skip(store, &*now, expected_numerics(*cell, options.exec), options.refresh_numerics).empty()) {
          claims.release(cell->id);
          progress.skipped(*cell, "recorded by another process meanwhile");
          continue;
        }
        CellRecord rec;
        try {
          rec = execute_cell(*cell, exp, data, store, exec);
          store.write_record(*cell, rec);
          ++ran;
        } catch (const core::IoError& e) {
          claims.release(cell->id);
          if (!e.disk_unusable()) throw;
          disk_full = true;
          request_drain();
          std::cerr << "error: " << e.what() << "\n";
          return;
        }
        claims.release(cell->id);
        if (!rec.ok()) ++failures;
        progress.finished(*cell, rec);
      }
    }
  };
  std::exception_ptr error;
  std::mutex error_m;
  auto guarded = [&] {
    try {
      worker();
    } catch (...) {
      std::lock_guard lock(error_m);
      if (!error) error = std::current_exception();
      request_drain();
    }
  };
  std::vector<std::thread> pool;
  for (int j = 1; j < jobs; ++j) pool.emplace_back(guarded);
  guarded();
  for (auto& t : pool) t.join();
  {
    std::lock_guard lock(renew_m);
    finished = true;
  }
  renew_cv.notify_all();
  renewer.join();
  clear_stop_action();
  if (error) std::rethrow_exception(error);
  if (disk_full) {
    std::cerr << fmt::format("{}: stopped: the disk of {} or {} is full or read-only; the {} cells recorded before are kept, "
                             "rerun when there is room\n",
                             exp.name, exp.results_dir.string(), options.exec.cache_dir.string(), ran.load());
    return kExitDiskFull;
  }
  if (stop_requested() != StopRequest::none) {
    std::cerr << fmt::format("{}: stopped taking cells (SIGUSR1): {} cells recorded by this run; rerun to finish\n", exp.name,
                             ran.load());
    return kExitInterrupted;
  }
  if (elsewhere > 0)
    std::cerr << fmt::format("{}: {} cells were being run by other processes (see `ocbench status`)\n", exp.name, elsewhere.load());
  if (failures > 0) {
    std::cerr << fmt::format("{}: {} of {} cells failed (their records say why); rerun to retry them\n", exp.name,
                             failures.load(), todo.size());
    return kExitFailedCells;
  }
  return kExitOk;
}

}  // namespace ocb::harness
