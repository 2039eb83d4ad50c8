// The adversarial stop-sign set as a dataset artefact: written once by
// `ocbench data make-adversarial` into <data root>/gtsrb_adversarial/<name>.adv
// (images and the test-set files they were made from) with a JSON manifest
// beside it, and read back, checked against the SHA-256 the experiment names.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include <map>
#include <nlohmann/json.hpp>

#include "datasets/common/dataset.hpp"
#include "harness/core/adversarial.hpp"

namespace ocb::datasets::gtsrb {

struct AdversarialSet {
  std::string file_name, sha256;
  ImageSet images;                        // N x 3 x 32 x 32, uint8
  std::vector<std::string> source_files;  // GTSRB test images (e.g. "00093.ppm") they were made from
};

AdversarialSet read_adversarial_set(const DataLocator& locator, const std::string& name, const std::string& expected_sha256);
// The artefact's bytes as a set (no checksum check); DataError naming `name`.
AdversarialSet parse_adversarial_set(std::span<const std::uint8_t> bytes, const std::string& name);
// The name of a generator's set `set_index` from all the settings one can
// give `ocbench data make-adversarial`, so that sets made with other settings
// never overwrite each other: e.g. boundary_seed1_n20_e20_it1000, or
// boundary_seed1_n20_e20_l2_4_it3000 for the set stopped at L2 4.
std::string adversarial_set_name(const core::adversarial::Options& options, std::size_t set_index);

// Writes a generator's set `set_index` as the artefact <dir>/<name>.adv and its manifest
// <dir>/<name>.json (attack settings, the classifier, every example with its
// source image and perturbation norms, the inputs' checksums, and `extra`
// facts such as provenance); returns the artefact's SHA-256.
std::string write_adversarial_artefact(const std::filesystem::path& dir, const std::string& name,
                                       const core::adversarial::Options& options, const core::adversarial::Result& result,
                                       std::size_t set_index,
                                       const std::vector<std::string>& test_files, std::int64_t training_images,
                                       std::int64_t test_stop_signs, const std::map<std::string, std::string>& input_checksums,
                                       const nlohmann::ordered_json& extra);
// The sizes of a set's perturbations (L2 of pixels in [0, 1], L-inf in 1/255
// steps, one each per image): count, l2_median, l2_min, l2_max and
// linf_255_median, as the manifest and the loader's facts give them.
std::map<std::string, double> perturbation_summary(const std::vector<double>& l2, const std::vector<double>& linf_255);

// Writes <dir>/<name>.adv atomically; returns its SHA-256.
std::string write_adversarial_set(const std::filesystem::path& dir, const std::string& name, const ImageSet& images,
                                  const std::vector<std::string>& source_files);

}  // namespace ocb::datasets::gtsrb
