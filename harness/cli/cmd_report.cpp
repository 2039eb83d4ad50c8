// `ocbench report EXPERIMENT`: tables, figures, statistics and provenance on
// one Markdown page (report.md) and one self-contained HTML page
// (index.html); `ocbench report --all` does it for every experiment file and
// writes the site's index (results/index.html) and its markdown twin
// (results/status.md).
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "harness/cli/commands.hpp"
#include "harness/core/error.hpp"
#include "harness/report/html.hpp"
#include "harness/report/report.hpp"
#include "harness/report/status_page.hpp"
#include "harness/run/cells.hpp"

namespace ocb::cli {
namespace {

namespace fs = std::filesystem;

struct Args {
  std::string experiment, results_dir, data_dir, experiments_dir = "experiments", site_index = "results/index.html";
  std::vector<std::string> image_labels;
  bool all = false;
};

// Figures, report.md and index.html of one experiment; returns whether some
// records were left out.
bool one_page(const harness::Experiment& exp, const Args& a, const fs::path& site_index, harness::SiteEntry* entry) {
  harness::FigureOptions o;
  o.image_labels = a.image_labels;
  if (!a.data_dir.empty()) o.data_dir = a.data_dir;
  const auto table = harness::collect_results(exp);
  const bool left_out = harness::report_record_problems(table.records, std::cerr);
  for (const auto& m : table.mixed_numerics()) std::cerr << "warning: " << m << "\n";
  const auto figures = harness::make_figures(table, o);
  std::cout << harness::write_report(table, figures).string() << "\n";
  const auto page = harness::write_html_page(table, figures, site_index);
  std::cout << page.string() << "\n";
  if (entry) *entry = harness::site_entry(table, page);
  return left_out;
}

}  // namespace

void add_report_command(CLI::App& app, int& code) {
  auto* cmd = app.add_subcommand("report", "write an experiment's report.md and self-contained index.html (--all: every experiment and results/index.html)");
  auto args = std::make_shared<Args>();
  cmd->add_option("experiment", args->experiment, "experiment file (TOML)")->check(CLI::ExistingFile);
  cmd->add_flag("--all", args->all, "every experiment file under --experiments, and the site's index page");
  cmd->add_option("--experiments", args->experiments_dir, "with --all: the folder searched for experiment files (default: experiments)")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--site-index", args->site_index, "the index page (default: results/index.html); experiment pages link to it");
  cmd->add_option("--results-dir", args->results_dir, "records folder (default: results/<experiment name>)");
  cmd->add_option("--images", args->image_labels, "method labels to draw Figure 2 for");
  cmd->add_option("--data-dir", args->data_dir, "dataset root, for the image grids");
  cmd->callback([args, &code] {
    if (args->all == !args->experiment.empty())
      throw CLI::ValidationError("report", "give one experiment file or --all");
    if (!args->all) {
      auto exp = harness::load_experiment(args->experiment);
      if (!args->results_dir.empty()) exp.results_dir = args->results_dir;
      const fs::path index = fs::exists(args->site_index) ? fs::path(args->site_index) : fs::path();
      code = one_page(exp, *args, index, nullptr) ? kExitBadRecords : kExitOk;
      return;
    }
    if (!args->results_dir.empty()) throw CLI::ValidationError("report", "--results-dir names one experiment's folder; not with --all");
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(args->experiments_dir))
      if (e.is_regular_file() && e.path().extension() == ".toml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<harness::SiteEntry> entries;
    bool left_out = false, errors = false;
    for (const auto& f : files) {
      harness::SiteEntry entry;
      entry.experiment_file = f;
      try {
        const auto exp = harness::load_experiment(f);
        entry.name = exp.name;
        entry.description = exp.description;
        if (!fs::exists(exp.results_dir / "records")) {
          entry.error = "not run here (no records in " + exp.results_dir.string() + ")";
        } else {
          left_out = one_page(exp, *args, args->site_index, &entry) || left_out;
        }
      } catch (const std::exception& e) {
        // One experiment's bad file or data stops its own page, not the site.
        std::cerr << "error: " << f.string() << ": " << e.what() << "\n";
        if (entry.name.empty()) entry.name = f.stem().string();
        entry.error = std::string("no page: ") + e.what();
        errors = true;
      }
      entries.push_back(entry);
    }
    std::cout << harness::write_site_index(entries, args->site_index).string() << "\n";
    std::cout << harness::write_status_markdown(entries, fs::path(args->site_index).parent_path() / "status.md").string() << "\n";
    code = errors ? kExitBadInput : left_out ? kExitBadRecords : kExitOk;
  });
}

}  // namespace ocb::cli
