// Pinning the libraries' CPU kernel families (numerics.hpp).
#include "harness/core/numerics.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <algorithm>
#include <cstring>

namespace ocb::core {
namespace {

// Set by the process that pinned, for the copy it re-executes: the variables
// it set itself (the others present were preset), or "native".
constexpr const char* kMarker = "OCBENCH_NUMERICS_PINNED";

bool cpu_has_avx2() {
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

struct Family {
  const char* variable;
  const char* with_avx2;
  const char* without;
  const char* short_name;
};
// OpenBLAS's Haswell kernels run on every AVX2 + FMA CPU (AMD's too); oneDNN
// and ATen are capped at the same instruction set.
constexpr Family kFamilies[] = {{"OPENBLAS_CORETYPE", "Haswell", "Prescott", "blas"},
                                {"ONEDNN_MAX_CPU_ISA", "AVX2", "SSE41", "dnnl"},
                                {"ATEN_CPU_CAPABILITY", "avx2", "default", "aten"}};

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t c; (c = s.find(',', start)) != std::string::npos; start = c + 1) out.push_back(s.substr(start, c - start));
  if (start < s.size()) out.push_back(s.substr(start));
  return out;
}

std::string blas_corename() {
  using Fn = char* (*)();
  auto fn = reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  return fn ? std::string(fn()) : std::string("unknown");
}

CpuNumerics read_state() {
  CpuNumerics n;
  n.avx2 = cpu_has_avx2();
  const char* marker = std::getenv(kMarker);
  const std::string set_by_us = marker ? marker : "";
  n.native = set_by_us == "native";
  const auto ours = split_commas(set_by_us);
  for (const auto& f : kFamilies) {
    LibraryPin p{f.variable, "", "native"};
    if (const char* v = std::getenv(f.variable); v && *v) {
      p.value = v;
      p.origin = std::find(ours.begin(), ours.end(), f.variable) != ours.end() ? "pinned" : "preset";
    }
    n.pins.push_back(p);
  }
  n.blas_core = blas_corename();
  return n;
}

}  // namespace

std::string CpuNumerics::signature() const {
  std::string s;
  for (std::size_t i = 0; i < pins.size(); ++i) {
    if (pins[i].value.empty()) continue;
    if (!s.empty()) s += ';';
    s.append(kFamilies[i].short_name).append("=").append(pins[i].value);
  }
  return s.empty() ? "native" : s;
}

bool wants_native_kernels(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--native-kernels") == 0) return true;
  return false;
}

void pin_cpu_numerics(int argc, char** argv, bool native) {
  (void)argc;
  if (std::getenv(kMarker)) return;  // already decided, by us or by a parent ocbench
  if (native) {
    ::setenv(kMarker, "native", 1);
    return;  // nothing loaded needs to see it
  }
  const bool avx2 = cpu_has_avx2();
  std::string set;
  for (const auto& f : kFamilies) {
    if (const char* v = std::getenv(f.variable); v && *v) continue;  // preset: kept
    ::setenv(f.variable, avx2 ? f.with_avx2 : f.without, 1);
    if (!set.empty()) set += ',';
    set += f.variable;
  }
  ::setenv(kMarker, set.empty() ? "none" : set.c_str(), 1);
  if (set.empty()) return;
  // OpenBLAS chose its kernels when it loaded: start again so that it sees the pin.
  ::execv("/proc/self/exe", argv);
  // exec failed (no /proc?): go on unpinned, and say so in the records.
  ::unsetenv(kMarker);
  for (const auto& f : kFamilies)
    if (set.find(f.variable) != std::string::npos) ::unsetenv(f.variable);
}

namespace {
std::string (*kernel_build)() = nullptr;
}  // namespace

void register_kernel_build(std::string (*name)()) { kernel_build = name; }
std::string kernel_build_name() { return kernel_build ? kernel_build() : std::string("none"); }

const CpuNumerics& cpu_numerics() {
  static const CpuNumerics n = read_state();
  return n;
}

}  // namespace ocb::core
