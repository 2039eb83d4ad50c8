// The registered adversarial-example generator (adversarial.hpp).
#include "harness/core/adversarial.hpp"

#include "harness/core/error.hpp"

namespace ocb::core::adversarial {
namespace {
Maker& registered() {
  static Maker maker = nullptr;
  return maker;
}
}  // namespace

bool register_maker(Maker maker) {
  registered() = maker;
  return true;
}

Result make(const core::Samples& train, const std::vector<int>& train_labels, const core::Samples& candidates,
            const Options& options, const std::function<void(std::string_view)>& log) {
  if (!registered()) throw core::Error("this program has no adversarial attack (methods/adversarial/ is not linked in)");
  return registered()(train, train_labels, candidates, options, log);
}

}  // namespace ocb::core::adversarial
