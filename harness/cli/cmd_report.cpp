// `ocbench report EXPERIMENT`: tables, figures, statistics and provenance on one page.
#include <iostream>

#include "harness/cli/commands.hpp"
#include "harness/report/report.hpp"

namespace ocb::cli {

void add_report_command(CLI::App& app, int& code) {
  auto* cmd = app.add_subcommand("report", "write results/<experiment>/report.md with tables, figures and statistics");
  struct Args {
    std::string experiment, results_dir, data_dir;
    std::vector<std::string> image_labels;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("experiment", args->experiment, "experiment file (TOML)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--results-dir", args->results_dir, "records folder (default: results/<experiment name>)");
  cmd->add_option("--images", args->image_labels, "method labels to draw Figure 2 for");
  cmd->add_option("--data-dir", args->data_dir, "dataset root, for the image grids");
  cmd->callback([args, &code] {
    auto exp = harness::load_experiment(args->experiment);
    if (!args->results_dir.empty()) exp.results_dir = args->results_dir;
    harness::FigureOptions o;
    o.image_labels = args->image_labels;
    if (!args->data_dir.empty()) o.data_dir = args->data_dir;
    const auto table = harness::collect_results(exp);
    const bool left_out = harness::report_record_problems(table.records, std::cerr);
    for (const auto& m : table.mixed_numerics()) std::cerr << "warning: " << m << "\n";
    std::cout << harness::write_report(table, o).string() << "\n";
    code = left_out ? kExitBadRecords : kExitOk;
  });
}

}  // namespace ocb::cli
