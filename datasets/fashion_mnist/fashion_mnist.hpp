// Fashion-MNIST (Xiao et al. 2017): MNIST's format and sizes, ten clothing classes.
#pragma once

#include "datasets/common/dataset.hpp"

namespace ocb::datasets::fashion_mnist {

DatasetInfo info();

}  // namespace ocb::datasets::fashion_mnist
