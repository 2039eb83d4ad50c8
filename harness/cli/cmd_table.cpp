// `ocbench table EXPERIMENT`: render the experiment's table from its records.
#include <iostream>

#include "harness/cli/commands.hpp"
#include "harness/report/table.hpp"
#include "harness/run/store.hpp"

namespace ocb::cli {

void add_table_command(CLI::App& app, int& code) {
  auto* cmd = app.add_subcommand("table", "render Table 1/2 (AUC mean ± std, paper beside) from the records");
  struct Args {
    std::string experiment, format = "md", results_dir, metric = "auc";
    bool write = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("experiment", args->experiment, "experiment file (TOML)")->required()->check(CLI::ExistingFile);
  cmd->add_option("-f,--format", args->format, "md, latex or csv")->check(CLI::IsMember({"md", "latex", "csv"}));
  cmd->add_option("--results-dir", args->results_dir, "records folder (default: results/<experiment name>)");
  cmd->add_option("--metric", args->metric,
                  "auc (default), ap, mahalanobis (the adaptive score's AUC), or F1 at a threshold: f1:p95, f1:p99, f1:mean+3sd "
                  "(from training scores), f1:adaptive_mahalanobis_p95, f1:oracle_f1 (test labels: an oracle)");
  cmd->add_flag("--write", args->write, "write table.md, table.tex and table.csv into the results folder (a subfolder named after the experiment where it shares another's records)");
  cmd->callback([args, &code] {
    auto exp = harness::load_experiment(args->experiment);
    if (!args->results_dir.empty()) exp.results_dir = args->results_dir;
    const auto metric = harness::TableMetric::parse(args->metric);
    const auto table = harness::collect_results(exp, metric);
    const bool left_out = harness::report_record_problems(table.records, std::cerr);
    for (const auto& m : table.mixed_numerics()) std::cerr << "warning: " << m << "\n";
    if (args->write) {
      const auto dir = exp.view_dir();
      // table.* is the AUC table; another metric's goes beside it (table_f1_p95.*).
      std::string stem = "table";
      if (!metric.is_auc())
        for (char ch : "_" + metric.name) stem += (ch == ':' || ch == '+') ? '_' : ch;
      core::write_file_atomic(dir / (stem + ".md"), harness::render_markdown(table));
      core::write_file_atomic(dir / (stem + ".tex"), harness::render_latex(table));
      core::write_file_atomic(dir / (stem + ".csv"), harness::render_csv(table));
      std::cerr << "wrote " << (dir / (stem + ".{md,tex,csv}")).string() << "\n";
    }
    if (args->format == "md") std::cout << harness::render_markdown(table);
    else if (args->format == "latex") std::cout << harness::render_latex(table);
    else std::cout << harness::render_csv(table);
    code = left_out ? kExitBadRecords : kExitOk;
  });
}

}  // namespace ocb::cli
