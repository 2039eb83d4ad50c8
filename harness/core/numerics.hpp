// What makes a CPU result depend on the machine, pinned: the kernel families
// that OpenBLAS, oneDNN and ATen choose by CPU at load time. Unless told to run
// natively, ocbench fixes each to one family that every AVX2 + FMA x86-64 CPU
// runs (a lower one on CPUs without AVX2) and re-executes itself, because
// OpenBLAS reads its setting only when it loads. A value the environment
// already sets is kept and recorded as preset, never overwritten (some
// machines preset OPENBLAS_CORETYPE because older OpenBLAS builds misbehave on
// their processors). ocbench's own kernels need no pin: their builds agree
// byte for byte (methods/common/kernels/rows.hpp).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace ocb::core {

struct LibraryPin {
  std::string variable;  // OPENBLAS_CORETYPE, ONEDNN_MAX_CPU_ISA, ATEN_CPU_CAPABILITY
  std::string value;     // "" when neither pinned nor preset (native)
  std::string origin;    // "pinned", "preset" or "native"
};

struct CpuNumerics {
  bool native = false;             // --native-kernels: no pins
  bool avx2 = false;               // the CPU runs AVX2 + FMA
  std::vector<LibraryPin> pins;
  std::string blas_core;           // the family OpenBLAS reports it runs, or "unknown"
  // "blas=Haswell;dnnl=AVX2;aten=avx2", or "native" when nothing is pinned
  // (presets count as pins: they fix the family as well).
  std::string signature() const;
};

// Call first in main(), before any thread starts. Returns in the process that
// goes on (possibly a re-executed copy of this one).
void pin_cpu_numerics(int argc, char** argv, bool native);

// Whether argv asks for native kernels (--native-kernels anywhere).
bool wants_native_kernels(int argc, char** argv);

// The build of ocbench's own kernels that runs ("avx512", "avx2", "baseline";
// "none" in a program without them). The methods layer registers a function
// that names it, since core knows nothing of the kernels.
void register_kernel_build(std::string (*name)());
std::string kernel_build_name();

// The settings in force in this process (valid also if pin_cpu_numerics was
// never called: then whatever the environment says).
const CpuNumerics& cpu_numerics();

}  // namespace ocb::core
