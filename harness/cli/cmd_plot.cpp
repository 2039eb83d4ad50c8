// `ocbench plot EXPERIMENT`: the experiment's figures from its records and score files.
#include <iostream>

#include "harness/cli/commands.hpp"
#include "harness/report/figures.hpp"

namespace ocb::cli {

void add_plot_command(CLI::App& app, int& code) {
  auto* cmd = app.add_subcommand("plot", "draw ROC curves, AUC bars, Figure 2 image grids, training curves, CD diagram");
  struct Args {
    std::string experiment, results_dir, out_dir, data_dir;
    std::uint64_t seed = 0;
    std::vector<std::string> image_labels;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("experiment", args->experiment, "experiment file (TOML)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--seed", args->seed, "seed whose scores the ROC curves and image grids use (default: the first)");
  cmd->add_option("--images", args->image_labels, "method labels to draw Figure 2 for (default: deep_svdd_one_class)");
  cmd->add_option("--results-dir", args->results_dir, "records folder (default: results/<experiment name>)");
  cmd->add_option("--out", args->out_dir, "output folder (default: <results>/plots)");
  cmd->add_option("--data-dir", args->data_dir, "dataset root, for the image grids");
  cmd->callback([args, &code] {
    auto exp = harness::load_experiment(args->experiment);
    if (!args->results_dir.empty()) exp.results_dir = args->results_dir;
    harness::FigureOptions o;
    if (args->seed) o.seed = args->seed;
    o.image_labels = args->image_labels;
    if (!args->data_dir.empty()) o.data_dir = args->data_dir;
    o.out_dir = args->out_dir;
    const auto table = harness::collect_results(exp);
    const bool left_out = harness::report_record_problems(table.records, std::cerr);
    for (const auto& f : harness::make_figures(table, o)) std::cout << f.string() << "\n";
    code = left_out ? kExitBadRecords : kExitOk;
  });
}

}  // namespace ocb::cli
