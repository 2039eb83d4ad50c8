// `ocbench slurm EXPERIMENT`: the experiment as a Slurm job array (slurm/sbatch.hpp).
#include <iostream>

#include "harness/cli/commands.hpp"
#include "harness/slurm/sbatch.hpp"

namespace ocb::cli {

void add_slurm_command(CLI::App& app, int& code) {
  auto* cmd = app.add_subcommand(
      "slurm", "write (and with --submit, submit) a Slurm job array of the cells not yet recorded, and a collect job");
  struct Args {
    std::string experiment, results_dir, cache_dir = "cache", data_dir, time, partition, mem, account, qos;
    std::vector<std::string> only, extra;
    std::int64_t shards = 0, throttle = 0, cpus = 0, gpus = -1, batch = 0;
    bool cuda_fp32 = false;
    int signal_seconds = 120;
    bool submit = false, only_missing = false, requeue = false, refresh = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("experiment", args->experiment, "experiment file (TOML)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--shards", args->shards, "array tasks (default: [slurm] shards, else 1)")->check(CLI::Range(1, 100000));
  cmd->add_option("--throttle", args->throttle, "tasks running at once (%K)")->check(CLI::Range(1, 100000));
  cmd->add_option("--partition", args->partition, "Slurm partition");
  cmd->add_option("--time", args->time, "time limit per task (Slurm's formats, e.g. 2:00:00)");
  cmd->add_option("--cpus-per-task", args->cpus, "CPUs per task; also the cells the task runs at once (--jobs)")->check(CLI::Range(1, 4096));
  cmd->add_option("--mem", args->mem, "memory per task (e.g. 16G)");
  cmd->add_option("--gpus", args->gpus, "GPUs per task; > 0 runs the cells with --device cuda")->check(CLI::Range(0, 64));
  cmd->add_option("--batch", args->batch, "the tasks run `ocbench run --batch K`: up to K cells' networks trained as one (with --gpus)")
      ->check(CLI::Range(1, 256));
  cmd->add_flag("--cuda-fp32", args->cuda_fp32, "with --gpus: the tasks run --device cuda-fp32 (float32 convolutions, no TF32)");
  cmd->add_option("--account", args->account, "Slurm account");
  cmd->add_option("--qos", args->qos, "Slurm QOS");
  cmd->add_option("--sbatch-line", args->extra, "a further #SBATCH line, e.g. --sbatch-line=--constraint=a100 (repeatable)");
  cmd->add_option("--signal-seconds", args->signal_seconds, "SIGUSR1 this long before the time limit: finish the cells in flight, take no new one (0: none)")
      ->check(CLI::Range(0, 86400));
  cmd->add_flag("--requeue", args->requeue, "let Slurm requeue preempted or failed tasks (safe: cells are claimed and recorded atomically)");
  cmd->add_option("--results-dir", args->results_dir, "records folder (default: results/<experiment name>)");
  cmd->add_option("--cache-dir", args->cache_dir, "cache of shared stages (on a file system all nodes see)");
  cmd->add_option("--data-dir", args->data_dir, "dataset root on the nodes");
  cmd->add_option("--only", args->only, "only these method labels");
  cmd->add_flag("--only-missing", args->only_missing, "resubmit the array tasks of the latest plan that still have work");
  cmd->add_flag("--refresh-numerics", args->refresh,
                "also plan ok cells recorded with numerics other than the tasks' (their device and one thread); the tasks run "
                "`ocbench run --refresh-numerics`")
      ->excludes(cmd->get_option("--only-missing"));
  cmd->add_flag("--submit", args->submit, "submit the array and its collect job with sbatch");
  cmd->callback([args, &code] {
    auto exp = harness::load_experiment(args->experiment);
    if (!args->results_dir.empty()) exp.results_dir = args->results_dir;
    for (const auto& label : args->only) exp.method(label);
    harness::SlurmOptions o;
    o.cluster = exp.slurm;  // the experiment's defaults, then the command line
    if (args->shards) o.cluster.shards = args->shards;
    if (args->throttle) o.cluster.throttle = args->throttle;
    if (args->cpus) o.cluster.cpus_per_task = args->cpus;
    if (args->gpus >= 0) o.cluster.gpus = args->gpus;
    if (args->batch) o.cluster.batch = args->batch;
    if (args->cuda_fp32) o.cluster.cuda_fp32 = true;
    for (auto [field, value] : {std::pair{&o.cluster.partition, &args->partition}, {&o.cluster.time, &args->time},
                                {&o.cluster.mem, &args->mem}, {&o.cluster.account, &args->account}, {&o.cluster.qos, &args->qos}})
      if (!value->empty()) *field = *value;
    o.cluster.extra.insert(o.cluster.extra.end(), args->extra.begin(), args->extra.end());
    o.requeue = args->requeue;
    o.signal_seconds = args->signal_seconds;
    o.results_dir = exp.results_dir;
    o.cache_dir = args->cache_dir;
    if (!args->data_dir.empty()) o.data_dir = args->data_dir;
    o.only_labels = args->only;
    o.only_missing = args->only_missing;
    o.refresh_numerics = args->refresh;
    o.submit = args->submit;
    const auto f = harness::prepare_slurm(exp, args->experiment, o);
    if (f.tasks.empty()) {
      code = kExitOk;
      return;
    }
    std::cerr << fmt::format("wrote {} and {} (plan {}, array tasks {})\n", f.array_script.string(), f.collect_script.string(),
                             f.plan.string(), f.tasks.size());
    if (o.submit) {
      std::cerr << fmt::format("submitted array job {} and collect job {} (after it); watch with `ocbench status {}`\n",
                               f.array_job, f.collect_job, args->experiment);
      std::cout << f.array_job << " " << f.collect_job << "\n";
    } else {
      std::cerr << fmt::format("submit with: sbatch {}  (then: sbatch --dependency=afterany:<job id> {})\n", f.array_script.string(),
                               f.collect_script.string());
    }
    code = kExitOk;
  });
}

}  // namespace ocb::cli
