// MNIST (LeCun et al.): 60,000 training and 10,000 test digits, 1x28x28.
#pragma once

#include "datasets/common/dataset.hpp"

namespace ocb::datasets::mnist {

DatasetInfo info();

}  // namespace ocb::datasets::mnist
