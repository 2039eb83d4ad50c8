// Samples: a contiguous float32 batch [N, C, H, W], the one data type every
// layer passes around. Deep methods view it as a torch::Tensor and shallow ones
// as an Eigen matrix without copying (methods/common/torch_env.hpp,
// methods/common/distances.hpp).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace ocb::core {

struct Shape {
  std::int64_t n = 0, c = 1, h = 1, w = 1;
  std::int64_t features() const { return c * h * w; }
  bool operator==(const Shape&) const = default;
};

class Samples {
 public:
  Samples() = default;
  explicit Samples(Shape shape);  // zero-filled
  Samples(Shape shape, std::vector<float> data);

  const Shape& shape() const { return shape_; }
  std::int64_t size() const { return shape_.n; }
  std::int64_t features() const { return shape_.features(); }
  float* data() { return data_.data(); }
  const float* data() const { return data_.data(); }
  std::span<float> row(std::int64_t i);
  std::span<const float> row(std::int64_t i) const;
  // The rows at `indices`, in that order.
  Samples select(std::span<const std::int64_t> indices) const;
  // Same data under a new shape with the same number of features per sample.

 private:
  Shape shape_;
  std::vector<float> data_;
};

// Test data: samples with their ground truth. `anomaly` is 1 for every class
// but the normal one; `source_index` is each sample's position in the
// dataset's own test split, so scores can be traced back to images (a
// training image moved into the test set has the test split's size plus
// its training row).
struct LabeledSamples {
  Samples x;
  std::vector<std::uint8_t> anomaly;
  std::vector<std::int32_t> original_class;
  std::vector<std::int64_t> source_index;

  std::int64_t size() const { return x.size(); }
  LabeledSamples select(std::span<const std::int64_t> indices) const;
};

// One finite anomaly score per sample, higher = more anomalous.
using Scores = std::vector<double>;

}  // namespace ocb::core
