// `ocbench check EXPERIMENT --baseline FILE`: the CI gate on AUC and degenerate models.
#include <iostream>

#include "harness/check/gate.hpp"
#include "harness/cli/commands.hpp"
#include "harness/core/error.hpp"

namespace ocb::cli {

void add_check_command(CLI::App& app, int& code) {
  auto* cmd = app.add_subcommand(
      "check", "compare the records with a baseline; exit 0 pass, 3 AUC outside its band, 4 degenerate or untrained "
               "model, 5 missing records or score files, 6 records failing their schema, 7 new labels with --strict, 2 bad "
               "input");
  struct Args {
    std::string experiment, results_dir, baseline;
    harness::GateOptions o;
    bool update = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("experiment", args->experiment, "experiment file (TOML)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--baseline", args->baseline, "baseline file (JSON)")->required();
  cmd->add_option("--results-dir", args->results_dir, "records folder (default: results/<experiment name>)");
  cmd->add_option("--floor", args->o.floor_points, "minimum band half-width in AUC points")->check(CLI::NonNegativeNumber);
  cmd->add_option("--k-std", args->o.k_std, "band half-width in baseline seed standard deviations")->check(CLI::NonNegativeNumber);
  cmd->add_flag("--update-baseline", args->update, "write the baseline from the current records (intended changes; adds new labels)");
  cmd->add_option("--only", args->o.only_labels, "check (or with --update-baseline, update) only these labels");
  cmd->add_flag("--strict", args->o.strict, "fail (exit 7) on labels the baseline does not know, instead of reporting them as new");
  cmd->callback([args, &code] {
    auto exp = harness::load_experiment(args->experiment);
    if (!args->results_dir.empty()) exp.results_dir = args->results_dir;
    if (!std::filesystem::is_directory(exp.results_dir))
      throw core::DataError(exp.results_dir.string(), "no results folder: run the experiment first, or fix --results-dir");
    args->o.baseline = args->baseline;
    for (const auto& label : args->o.only_labels) exp.method(label);
    if (args->update) {
      harness::write_baseline(exp, args->o);
      std::cerr << "wrote " << args->baseline << "\n";
      code = kExitOk;
      return;
    }
    const auto result = harness::check_against_baseline(exp, args->o);
    std::cout << result.render();
    code = result.exit_code;
  });
}

}  // namespace ocb::cli
