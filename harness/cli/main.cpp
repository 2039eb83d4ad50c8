// ocbench: the command-line entry point. Parses the verb, runs it, and turns
// every ocbench error into a one-line message and exit code 2.
#include <iostream>

#include "harness/cli/commands.hpp"
#include "harness/core/atomic_file.hpp"
#include "harness/core/error.hpp"
#include "harness/core/method.hpp"
#include "harness/core/numerics.hpp"
#include "harness/core/runtime.hpp"

int main(int argc, char** argv) {
  // First of all (may re-execute this program): kernel families, one BLAS
  // thread unless a command asks for more, the allocator.
  ocb::core::start_process(argc, argv, ocb::core::wants_native_kernels(argc, argv));
  CLI::App app{"ocbench: benchmark harness for deep one-class anomaly detection (Ruff et al., ICML 2018)"};
  app.require_subcommand(1);
  int code = ocb::kExitOk;
  ocb::cli::add_run_command(app, code);
  ocb::cli::add_table_command(app, code);
  ocb::cli::add_plot_command(app, code);
  ocb::cli::add_report_command(app, code);
  ocb::cli::add_check_command(app, code);
  ocb::cli::add_status_command(app, code);
  ocb::cli::add_slurm_command(app, code);
  ocb::cli::add_methods_command(app, code);
  ocb::cli::add_data_command(app, code);
  try {
    ocb::core::method_registry().check_unique();
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : ocb::kExitBadInput;
  } catch (const ocb::core::IoError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return e.disk_unusable() ? ocb::kExitDiskFull : ocb::kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return ocb::kExitBadInput;
  }
  return code;
}
