// The datasets ocbench knows. A new dataset is a folder with an info() and one
// line here.
#include "datasets/cifar10/cifar10.hpp"
#include "datasets/common/dataset.hpp"
#include "datasets/fashion_mnist/fashion_mnist.hpp"
#include "datasets/gtsrb/gtsrb.hpp"
#include "datasets/mnist/mnist.hpp"
#include "harness/core/error.hpp"

namespace ocb::datasets {

const std::vector<DatasetInfo>& dataset_catalog() {
  static const std::vector<DatasetInfo> catalog = {mnist::info(), fashion_mnist::info(), cifar10::info(), gtsrb::info()};
  return catalog;
}

const DatasetInfo& dataset_info(const std::string& id) {
  std::string known;
  for (const auto& d : dataset_catalog()) {
    if (d.id == id) return d;
    known += (known.empty() ? "" : ", ") + d.id;
  }
  throw core::Error(fmt::format("unknown dataset '{}' (known: {})", id, known));
}

}  // namespace ocb::datasets
