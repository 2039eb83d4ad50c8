// Table 2's adversarial-example generator: a traffic-sign classifier trained
// with LibTorch, attacked by the Boundary Attack (Brendel et al. 2018) or PGD
// (Madry et al. 2018). Registered with harness/core/adversarial.hpp, whose
// types it uses; the CLI never includes this header.
#pragma once

#include "harness/core/adversarial.hpp"

namespace ocb::methods::adversarial {

using core::adversarial::Example;
using core::adversarial::Options;
using core::adversarial::Result;

Result make_adversarial(const core::Samples& train, const std::vector<int>& train_labels, const core::Samples& candidates,
                        const Options& options, const std::function<void(std::string_view)>& log);

}  // namespace ocb::methods::adversarial
