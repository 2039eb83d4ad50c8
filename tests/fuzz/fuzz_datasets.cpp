// Fuzz targets for the dataset parsers: IDX, CIFAR-10 batches, PPM, GTSRB
// annotation CSVs, tar archives and the adversarial artefact.
#include "datasets/cifar10/cifar10.hpp"
#include "datasets/common/idx.hpp"
#include "datasets/common/tar.hpp"
#include "datasets/gtsrb/adversarial_file.hpp"
#include "datasets/gtsrb/gtsrb.hpp"
#include "tests/fuzz/fuzz_target.hpp"

namespace ds = ocb::datasets;

// The first two bytes (little-endian) split the rest into an image file and a label file.
OCB_FUZZ_TARGET(idx) {
  if (size < 2) return 0;
  const std::size_t cut = std::min<std::size_t>(size - 2, data[0] | (std::size_t{data[1]} << 8));
  OCB_FUZZ_EXPECTED_ERRORS(ds::parse_idx({data + 2, cut}, "images", {data + 2 + cut, size - 2 - cut}, "labels"));
}

OCB_FUZZ_TARGET(cifar) {
  ds::ImageSet set;
  OCB_FUZZ_EXPECTED_ERRORS(ds::cifar10::parse_batch(ocb::fuzz::bytes(data, size), "batch", set));
}

OCB_FUZZ_TARGET(ppm) {
  OCB_FUZZ_EXPECTED_ERRORS({
    const auto img = ds::gtsrb::parse_ppm(ocb::fuzz::bytes(data, size), "image.ppm");
    // Crop the whole image, as the loader does with an annotation.
    ds::gtsrb::Annotation roi{"image.ppm", img.width, img.height, 0, 0, img.width, img.height, 14};
    if (img.width > 0 && img.height > 0) ds::gtsrb::crop_resize(img, roi, 32, false);
  });
}

OCB_FUZZ_TARGET(gtsrb_csv) { OCB_FUZZ_EXPECTED_ERRORS(ds::gtsrb::parse_annotations(ocb::fuzz::bytes(data, size), "GT.csv")); }

OCB_FUZZ_TARGET(tar) { OCB_FUZZ_EXPECTED_ERRORS(ds::tar_members(ocb::fuzz::bytes(data, size), "archive.tar")); }

OCB_FUZZ_TARGET(adversarial) {
  OCB_FUZZ_EXPECTED_ERRORS(ds::gtsrb::parse_adversarial_set(ocb::fuzz::bytes(data, size), "set.adv"));
}
