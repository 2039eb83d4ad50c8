// The one-class split of PROTOCOL.md Part 1 §2: train = every training image of
// the normal class, test = the whole test split with label 1 = anomaly, both
// preprocessed with constants computed from the training images.
#pragma once

#include <cstdint>
#include <string>

#include "datasets/common/dataset.hpp"
#include "datasets/preprocess/normalize.hpp"
#include "harness/core/samples.hpp"

namespace ocb::datasets {

struct SplitOptions {
  std::string preprocessing = "gcn_l1_minmax";  // see is_preprocessing_kind
  double pca_variance = 0.0;                    // 0 = off; else keep this fraction of the variance
  std::int64_t max_train = 0;                   // 0 = all; else a seeded subset (quick runs only)
  std::int64_t max_test = 0;                    // 0 = all; else a seeded subset with both labels
  std::uint64_t subsample_seed = 0;
};

// What was applied, for the run record.
struct SplitFacts {
  std::string preprocessing;
  MinMax minmax;                   // meaningful for "minmax" kinds
  std::int64_t class_train_size = 0;  // before any max_train subsampling
  std::int64_t pca_components = 0;    // 0 = no PCA
  double pca_explained = 0.0;
};

struct OneClassSplit {
  core::Samples train;
  core::LabeledSamples test;
  SplitFacts facts;
};

OneClassSplit make_one_class_split(const RawDataset& raw, int normal_class, const SplitOptions& options);

}  // namespace ocb::datasets
