// The verbs of the ocbench command line; each adds its subcommand to the app.
// Exit codes: harness/core/exit_codes.hpp.
#pragma once

#include <CLI/CLI.hpp>

#include "harness/core/exit_codes.hpp"

namespace ocb::cli {

// "K/N" as (K, N), or a ValidationError naming --shard.
std::pair<int, int> parse_shard(const std::string& text);

// Each registers a subcommand whose callback stores its exit code in `code`.
void add_run_command(CLI::App& app, int& code);
void add_table_command(CLI::App& app, int& code);
void add_methods_command(CLI::App& app, int& code);
void add_data_command(CLI::App& app, int& code);
void add_plot_command(CLI::App& app, int& code);
void add_report_command(CLI::App& app, int& code);
void add_check_command(CLI::App& app, int& code);
void add_status_command(CLI::App& app, int& code);
void add_slurm_command(CLI::App& app, int& code);

}  // namespace ocb::cli
