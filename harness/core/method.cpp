// The method registry, created on first use (static initialisation order).
#include "harness/core/method.hpp"

namespace ocb::core {

Registry<MethodInfo>& method_registry() {
  static Registry<MethodInfo> registry("method");
  return registry;
}

bool is_test_plugin(const MethodInfo& info) { return info.id.rfind("test_", 0) == 0; }

std::vector<const MethodInfo*> listed_methods() {
  auto all = method_registry().all();
  std::erase_if(all, [](const MethodInfo* m) { return is_test_plugin(*m); });
  return all;
}

}  // namespace ocb::core
