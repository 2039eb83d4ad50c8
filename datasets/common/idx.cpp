// IDX parsing (idx.hpp).
#include "datasets/common/idx.hpp"

#include "harness/core/error.hpp"

namespace ocb::datasets {
namespace {

std::uint32_t be32(std::span<const std::uint8_t> b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) |
         std::uint32_t{b[at + 3]};
}

}  // namespace

ImageSet parse_idx(std::span<const std::uint8_t> images, const std::string& images_name,
                   std::span<const std::uint8_t> labels, const std::string& labels_name) {
  if (images.size() < 16 || be32(images, 0) != 2051)
    throw core::DataError(images_name, "not an IDX image file (expected magic 2051)");
  if (labels.size() < 8 || be32(labels, 0) != 2049)
    throw core::DataError(labels_name, "not an IDX label file (expected magic 2049)");
  const std::int64_t n = be32(images, 4), h = be32(images, 8), w = be32(images, 12);
  // Each factor is below 2^32, so the product of all three can overflow.
  std::int64_t hw = 0, pixels = 0;
  const bool overflow = __builtin_mul_overflow(h, w, &hw) || __builtin_mul_overflow(n, hw, &pixels);
  if (overflow || static_cast<std::int64_t>(images.size()) - 16 != pixels)
    throw core::DataError(images_name, fmt::format("{} images of {}x{} do not fit in {} bytes", n, h, w, images.size()));
  if (be32(labels, 4) != n || static_cast<std::int64_t>(labels.size()) != 8 + n)
    throw core::DataError(labels_name, fmt::format("expected {} labels, got {}", n, be32(labels, 4)));
  ImageSet set;
  set.shape = {n, 1, h, w};
  set.pixels.assign(images.begin() + 16, images.end());
  set.labels.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) set.labels.push_back(labels[8 + i]);
  return set;
}

}  // namespace ocb::datasets
