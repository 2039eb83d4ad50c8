// The method registry, created on first use (static initialisation order).
#include "harness/core/method.hpp"

namespace ocb::core {

Registry<MethodInfo>& method_registry() {
  static Registry<MethodInfo> registry("method");
  return registry;
}

}  // namespace ocb::core
