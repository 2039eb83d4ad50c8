// One macro for a fuzz target, two builds: under libFuzzer (the fuzz preset,
// clang with ASan and UBSan) each target is an executable of its own
// (libfuzzer_main.cpp picks it by name); in the ordinary build every target is
// linked into ocb_fuzz_replay, which runs the committed corpus (seeds and
// every input that once crashed) as a regression test.
// A target catches only ocbench's own errors: any other exception escaping a
// parser (a bare std::out_of_range, a JSON type error) is a bug, since its
// message names no file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "harness/core/error.hpp"

namespace ocb::fuzz {
using Target = int (*)(const std::uint8_t*, std::size_t);
bool register_target(const char* name, Target fn);
Target find_target(const char* name);  // null if unknown
inline std::string_view text(const std::uint8_t* data, std::size_t size) { return {reinterpret_cast<const char*>(data), size}; }
inline std::span<const std::uint8_t> bytes(const std::uint8_t* data, std::size_t size) { return {data, size}; }
}  // namespace ocb::fuzz

#define OCB_FUZZ_TARGET(name)                                                                              \
  static int ocb_fuzz_##name(const std::uint8_t* data, std::size_t size);                                  \
  [[maybe_unused]] static const bool ocb_fuzz_registered_##name = ocb::fuzz::register_target(#name, ocb_fuzz_##name); \
  static int ocb_fuzz_##name(const std::uint8_t* data, std::size_t size)

// Runs the body; ocbench's errors are the expected outcome of bad input.
#define OCB_FUZZ_EXPECTED_ERRORS(...) \
  try {                               \
    __VA_ARGS__;                      \
  } catch (const ocb::core::Error&) { \
  }                                   \
  return 0
