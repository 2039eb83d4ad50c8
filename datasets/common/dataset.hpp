// A dataset as loaded from disk (uint8 images with class labels), and the
// description each dataset folder provides: its files with checksums and
// mirrors, class names, and a parser from verified file contents.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "datasets/common/files.hpp"
#include "harness/core/samples.hpp"

namespace ocb::datasets {

// uint8 images [N, C, H, W] with one class label each.
struct ImageSet {
  core::Shape shape;
  std::vector<std::uint8_t> pixels;
  std::vector<std::int32_t> labels;
};

struct RawDataset {
  std::string id;
  ImageSet train, test;
  std::map<std::string, std::string> checksums;  // file name -> sha256 of its content
  // What the loader measured about its data, kept in every run record (e.g.
  // an adversarial set's perturbation sizes, which tables and figures read).
  std::map<std::string, double> facts;
};

using FileContents = std::map<std::string, std::vector<std::uint8_t>>;

using DatasetOptions = std::map<std::string, std::string>;

struct DatasetInfo {
  std::string id;
  std::string title;
  std::vector<std::string> dir_names;  // folder names tried under each data root
  std::vector<std::string> class_names;
  // One sample's channels x height x width as loaded (n unused): known before
  // loading, for what depends on it (a deep method's network, and with it the
  // numerics of its cells: core::MethodInfo::numerics_version_on).
  core::Shape sample_shape;
  std::vector<int> default_classes;    // normal classes an experiment gets by default (empty: all)
  std::vector<FileSpec> files;
  std::function<RawDataset(const FileContents&)> parse;
  // Datasets that take options from the experiment (e.g. which adversarial
  // set) load themselves instead of going through files + parse.
  std::vector<std::string> option_keys;
  // Those of option_keys that change only the test set (pretraining is then shared).
  std::vector<std::string> test_only_option_keys;
  std::function<RawDataset(const DataLocator&, const DatasetOptions&)> load;
};

// All datasets ocbench knows (datasets/catalog.cpp), and one by id.
const std::vector<DatasetInfo>& dataset_catalog();
const DatasetInfo& dataset_info(const std::string& id);

struct LoadOptions {
  bool allow_download = true;
};
// Locates (downloading what is missing when allowed), verifies and parses.
// DataError names each missing or bad file and where it was expected.
RawDataset load_dataset(const DatasetInfo& info, const DataLocator& locator, const LoadOptions& options = {},
                        const DatasetOptions& dataset_options = {});

}  // namespace ocb::datasets
