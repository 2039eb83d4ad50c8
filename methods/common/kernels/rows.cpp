// Choosing the build of the row loops (rows.hpp). All builds give the same
// bytes, so the widest one the CPU runs is the default.
#include "methods/common/kernels/rows.hpp"

#include <atomic>
#include <stdexcept>

#include "harness/core/numerics.hpp"

namespace ocb::methods::kernels {
namespace {

Isa widest() {
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return Isa::avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2")) return Isa::avx2;
#endif
  return Isa::baseline;
}

std::atomic<Isa>& active() {
  static std::atomic<Isa> isa{widest()};
  return isa;
}

const RowKernels& table_of(Isa isa) {
  switch (isa) {
    case Isa::avx512: return rows_avx512();
    case Isa::avx2: return rows_avx2();
    default: return rows_baseline();
  }
}

}  // namespace

bool isa_supported(Isa isa) { return static_cast<int>(isa) <= static_cast<int>(widest()); }

std::vector<Isa> supported_isas() {
  std::vector<Isa> out;
  for (Isa isa : {Isa::baseline, Isa::avx2, Isa::avx512})
    if (isa_supported(isa)) out.push_back(isa);
  return out;
}

std::string isa_name(Isa isa) {
  switch (isa) {
    case Isa::avx512: return "avx512";
    case Isa::avx2: return "avx2";
    default: return "baseline";
  }
}

Isa active_isa() { return active().load(); }

void set_isa(Isa isa) {
  if (!isa_supported(isa)) throw std::invalid_argument("this CPU cannot run the " + isa_name(isa) + " kernels");
  active().store(isa);
}

const RowKernels& rows() { return table_of(active_isa()); }

namespace {
[[maybe_unused]] const bool registered = [] {
  core::register_kernel_build([] { return isa_name(active_isa()); });
  return true;
}();
}  // namespace

}  // namespace ocb::methods::kernels
