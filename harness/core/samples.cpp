// Row access and selection for Samples and LabeledSamples.
#include "harness/core/samples.hpp"

#include <algorithm>

#include "harness/core/error.hpp"

namespace ocb::core {

Samples::Samples(Shape shape) : shape_(shape), data_(static_cast<std::size_t>(shape.n * shape.features()), 0.f) {}

Samples::Samples(Shape shape, std::vector<float> data) : shape_(shape), data_(std::move(data)) {
  OCB_CHECK(static_cast<std::int64_t>(data_.size()) == shape_.n * shape_.features(),
            "samples of shape [{}, {}, {}, {}] need {} values, got {}", shape_.n, shape_.c, shape_.h,
            shape_.w, shape_.n * shape_.features(), data_.size());
}

std::span<float> Samples::row(std::int64_t i) {
  return {data_.data() + i * features(), static_cast<std::size_t>(features())};
}

std::span<const float> Samples::row(std::int64_t i) const {
  return {data_.data() + i * features(), static_cast<std::size_t>(features())};
}

Samples Samples::select(std::span<const std::int64_t> indices) const {
  Shape out_shape = shape_;
  out_shape.n = static_cast<std::int64_t>(indices.size());
  Samples out(out_shape);
  for (std::size_t k = 0; k < indices.size(); ++k) {
    OCB_CHECK(indices[k] >= 0 && indices[k] < shape_.n, "row {} out of range [0, {})", indices[k], shape_.n);
    auto src = row(indices[k]);
    std::copy(src.begin(), src.end(), out.row(static_cast<std::int64_t>(k)).begin());
  }
  return out;
}

LabeledSamples LabeledSamples::select(std::span<const std::int64_t> indices) const {
  LabeledSamples out;
  out.x = x.select(indices);
  for (std::int64_t i : indices) {
    out.anomaly.push_back(anomaly[i]);
    out.original_class.push_back(original_class[i]);
    out.source_index.push_back(source_index[i]);
  }
  return out;
}

}  // namespace ocb::core
