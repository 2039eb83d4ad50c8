// `ocbench run EXPERIMENT`: run (the missing cells of) an experiment.
#include <iostream>
#include <regex>

#include "harness/cli/commands.hpp"
#include "harness/core/run_context.hpp"
#include "harness/run/runner.hpp"

namespace ocb::cli {

std::pair<int, int> parse_shard(const std::string& text) {
  std::smatch m;
  const auto bad = [&] { return CLI::ValidationError("--shard", "expected K/N with 1 <= K <= N <= 100000, got " + text); };
  if (!std::regex_match(text, m, std::regex(R"((\d{1,6})/(\d{1,6}))"))) throw bad();
  const int k = std::stoi(m[1]), n = std::stoi(m[2]);
  if (n < 1 || n > 100000 || k < 1 || k > n) throw bad();
  return {k, n};
}

void add_run_command(CLI::App& app, int& code) {
  auto* cmd = app.add_subcommand("run", "run the cells of an experiment that have no record yet");
  struct Args {
    std::string experiment, shard, data_dir, results_dir, cache_dir = "cache", device = "cpu", plan;
    std::vector<std::string> only;
    int jobs = 1, threads = 1, lease_s = 600, batch = 1;
    std::int64_t share_mb = -1;
    bool no_download = false, dry_run = false, no_scores = false, verbose = false, native_kernels = false, refresh = false, rescore = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("experiment", args->experiment, "experiment file (TOML)")->required()->check(CLI::ExistingFile);
  cmd->add_option("-j,--jobs", args->jobs, "cells run in parallel, one worker thread each")->check(CLI::Range(1, 4096));
  cmd->add_option("--batch", args->batch,
                  "train up to K concurrent cells' networks as one batched network (K worker threads at least; "
                  "for a GPU: on the CPU each cell gets the same scores as alone, but slower)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--threads", args->threads, "threads per cell (BLAS and LibTorch intra-op)")->check(CLI::Range(1, 4096));
  cmd->add_option("--shard", args->shard, "run the K-th of N disjoint slices of the cells, as K/N");
  cmd->add_option("--plan", args->plan, "a plan written by `ocbench slurm`: --shard K/N then runs the plan's shard K");
  cmd->add_option("--lease", args->lease_s, "seconds a claim of another host stays valid without renewal")->check(CLI::Range(5, 86400 * 7));
  cmd->add_option("--share-mb", args->share_mb,
                  "memory (MB) for what cells of this run share: a class's distance matrices, KDE's search and scores, "
                  "OC-SVM's grid of models "
                  "(computed once, the same bytes; 0 shares nothing; default a quarter of physical memory)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 40));
  cmd->add_flag("--refresh-numerics", args->refresh, "rerun ok cells recorded with numerics other than this run's");
  cmd->add_flag("--rescore-missing", args->rescore, "rerun ok cells whose score file is absent (a damaged one is always rerun)");
  cmd->add_option("--data-dir", args->data_dir, "dataset root (else $OCBENCH_DATA, ./data, /usr/share/datasets)");
  cmd->add_option("--results-dir", args->results_dir, "where records go (default: results/<experiment name>)");
  cmd->add_option("--cache-dir", args->cache_dir, "cache of shared stages such as pretrained autoencoders");
  cmd->add_option("--device", args->device,
                  "cpu, or cuda when built against a CUDA LibTorch (cuDNN's convolutions may use TF32, LibTorch's "
                  "default), or cuda-fp32 (float32 throughout, as on the CPU)")
      ->check(CLI::IsMember(ocb::core::known_devices()));
  cmd->add_option("--only", args->only, "run only these method labels");
  cmd->add_flag("--no-download", args->no_download, "never download missing dataset files");
  cmd->add_flag("--dry-run", args->dry_run, "list the cells that would run");
  cmd->add_flag("--no-scores", args->no_scores, "do not write per-sample score files");
  cmd->add_flag("--native-kernels", args->native_kernels,
                "let OpenBLAS, oneDNN and ATen pick their kernels for this CPU (faster on some CPUs; results then "
                "differ between machines, and the records say so)");
  cmd->add_flag("-v,--verbose", args->verbose, "log each method's progress (epochs, grid points)");
  cmd->callback([args, &code] {
    harness::RunOptions o;
    o.jobs = args->jobs;
    o.batch = args->batch;
    o.threads_per_job = args->threads;
    if (!args->shard.empty()) std::tie(o.shard_index, o.shard_count) = parse_shard(args->shard);
    if (!args->plan.empty()) {
      if (args->shard.empty()) throw CLI::ValidationError("--plan", "needs --shard K/N (the plan's shard to run)");
      o.plan = args->plan;
    }
    if (args->share_mb >= 0) o.shared_bytes = static_cast<std::size_t>(args->share_mb) << 20;
    o.refresh_numerics = args->refresh;
    o.rescore_missing = args->rescore;
    o.lease = std::chrono::seconds(args->lease_s);
    if (!args->data_dir.empty()) o.data_dir = args->data_dir;
    o.allow_download = !args->no_download;
    o.only_labels = args->only;
    o.dry_run = args->dry_run;
    o.exec.threads = args->threads;
    o.exec.device = args->device;
    o.exec.cache_dir = args->cache_dir;
    o.exec.write_scores = !args->no_scores;
    o.exec.verbose = args->verbose;
    auto exp = harness::load_experiment(args->experiment);
    if (!args->results_dir.empty()) exp.results_dir = args->results_dir;
    for (const auto& label : o.only_labels) exp.method(label);  // unknown label: error
    code = harness::run_experiment(exp, o);
  });
}

}  // namespace ocb::cli
