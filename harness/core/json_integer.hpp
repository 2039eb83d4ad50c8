// Reading an integer out of a JSON document (any nlohmann::basic_json) with
// its type and range checked. nlohmann's get<int>() converts a float such as
// 4e21, or an integer too large for the type, without a word, and the float
// case is undefined behaviour; files that ocbench reads back (plans, claims,
// baselines, records) go through this instead.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <limits>
#include <string_view>
#include <utility>

#include "harness/core/error.hpp"

namespace ocb::core {

template <class T, class JsonT>
T json_integer(const JsonT& v, std::string_view key, T lo = std::numeric_limits<T>::min(),
               T hi = std::numeric_limits<T>::max()) {
  const auto fail = [&] { return Error(fmt::format("{} must be an integer in {}..{}, got {}", key, lo, hi, v.dump())); };
  if (!v.is_number_integer()) throw fail();  // nlohmann counts unsigned values as integers too
  if (v.is_number_unsigned()) {
    const auto u = v.template get<std::uint64_t>();
    if (!std::cmp_greater_equal(u, lo) || !std::cmp_less_equal(u, hi)) throw fail();
    return static_cast<T>(u);
  }
  const auto s = v.template get<std::int64_t>();
  if (!std::cmp_greater_equal(s, lo) || !std::cmp_less_equal(s, hi)) throw fail();
  return static_cast<T>(s);
}

}  // namespace ocb::core
