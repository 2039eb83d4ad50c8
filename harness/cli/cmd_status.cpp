// `ocbench status EXPERIMENT`: cells ok / failed / running (by whom) / missing
// per label, the core-hours left, and with a plan the array tasks with work left.
#include <iostream>

#include "harness/cli/commands.hpp"
#include "harness/core/error.hpp"
#include "harness/run/status.hpp"
#include "harness/slurm/sbatch.hpp"

namespace ocb::cli {

void add_status_command(CLI::App& app, int& code) {
  auto* cmd = app.add_subcommand("status", "what is done, running, failed and missing, and the core-hours left");
  struct Args {
    std::string experiment, results_dir, plan;
    std::vector<std::string> only;
    bool missing_shards = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("experiment", args->experiment, "experiment file (TOML)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--results-dir", args->results_dir, "records folder (default: results/<experiment name>)");
  cmd->add_option("--only", args->only, "only these method labels");
  cmd->add_option("--plan", args->plan, "the plan of a job array (default: the latest in the experiment's slurm/ folder)");
  cmd->add_flag("--missing-shards", args->missing_shards,
                "print only the array indices of the plan that still have work (what `ocbench slurm --only-missing` resubmits)");
  cmd->callback([args, &code] {
    auto exp = harness::load_experiment(args->experiment);
    if (!args->results_dir.empty()) exp.results_dir = args->results_dir;
    harness::RunOptions sel;
    sel.only_labels = args->only;
    for (const auto& label : sel.only_labels) exp.method(label);
    std::optional<std::filesystem::path> plan;
    if (!args->plan.empty()) plan = args->plan;
    else if (const auto plans = harness::plans_in(exp.view_dir() / "slurm"); !plans.empty()) plan = plans.back();
    if (args->missing_shards && !plan)
      throw core::DataError((exp.view_dir() / "slurm").string(), "holds no plan (submit with `ocbench slurm` first, or give --plan)");
    const auto st = harness::experiment_status(exp, sel, plan);
    if (args->missing_shards) {
      std::cout << fmt::format("{}", fmt::join(st.missing_shards, ",")) << "\n";
    } else {
      std::cout << st.render();
    }
    code = st.problems.empty() ? kExitOk : kExitBadRecords;
  });
}

}  // namespace ocb::cli
