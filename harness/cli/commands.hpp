// The verbs of the ocbench command line; each adds its subcommand to the app.
// Exit codes: 0 success, 1 some cells failed (run) or a check failed, 2 bad
// input (usage, experiment file, data).
#pragma once

#include <CLI/CLI.hpp>

namespace ocb::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailedCells = 1;
inline constexpr int kExitBadInput = 2;

// Each registers a subcommand whose callback stores its exit code in `code`.
void add_run_command(CLI::App& app, int& code);
void add_table_command(CLI::App& app, int& code);
void add_methods_command(CLI::App& app, int& code);
void add_data_command(CLI::App& app, int& code);
void add_plot_command(CLI::App& app, int& code);
void add_report_command(CLI::App& app, int& code);
void add_check_command(CLI::App& app, int& code);

}  // namespace ocb::cli
