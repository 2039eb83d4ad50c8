// The registry of fuzz targets (registry.hpp).
#include "tests/fuzz/registry.hpp"

namespace ocb::fuzz {

std::map<std::string, Target>& targets() {
  static std::map<std::string, Target> t;
  return t;
}

bool register_target(const char* name, Target fn) {
  targets()[name] = fn;
  return true;
}

Target find_target(const char* name) {
  auto it = targets().find(name);
  return it == targets().end() ? nullptr : it->second;
}

}  // namespace ocb::fuzz
