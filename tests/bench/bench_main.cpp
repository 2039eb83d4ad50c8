// ocb_bench's main: the kernel families every ocbench run uses are pinned
// first (core/numerics.hpp), so the benchmarks time the kernels the harness
// runs; left to itself, OpenBLAS picks its family by CPU (on some Intel CPUs
// a far slower one).
#include <benchmark/benchmark.h>

#include <cstring>
#include <vector>

#include "harness/core/numerics.hpp"
#include "harness/core/runtime.hpp"

int main(int argc, char** argv) {
  // As ocbench starts (core/runtime.hpp): without its allocator settings every
  // step re-faulted its activations, and without its one BLAS thread
  // OpenBLAS's second thread spun beside each step.
  ocb::core::start_process(argc, argv, ocb::core::wants_native_kernels(argc, argv));
  // --native-kernels (as in ocbench: no pins) is ours, not Google Benchmark's.
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i)
    if (std::strcmp(argv[i], "--native-kernels") != 0) args.push_back(argv[i]);
  argc = static_cast<int>(args.size());
  argv = args.data();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("ocbench_numerics", ocb::core::cpu_numerics().signature());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
