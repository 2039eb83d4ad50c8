// The fuzz targets by name (fuzz_target.hpp registers them).
#pragma once

#include <map>
#include <string>

#include "tests/fuzz/fuzz_target.hpp"

namespace ocb::fuzz {
std::map<std::string, Target>& targets();
}  // namespace ocb::fuzz
