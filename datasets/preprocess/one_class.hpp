// The one-class split of Ruff et al. 2018, §4.1: train = every training image of
// the normal class, test = the whole test split with label 1 = anomaly, both
// preprocessed with constants computed from the training images.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "datasets/common/dataset.hpp"
#include "datasets/preprocess/normalize.hpp"
#include "harness/core/samples.hpp"

namespace ocb::datasets {

// Deep SAD's semi-supervised setting (Ruff et al., ICLR 2020, §4):
// the training set gets unlabelled anomalies (pollution, from every anomaly
// class) and labelled anomalies (from the known classes), drawn disjoint.
// Counts follow the reference: pollution = gamma_p of the unlabelled set,
// labelled = gamma_l of the whole training set.
struct SemiSupervisedOptions {
  double labelled_anomalies = 0.0;  // gamma_l
  double pollution = 0.0;           // gamma_p
  std::int64_t known_classes = 1;   // k_l; with 1, seed s takes the ((s - 1) mod 9)-th anomaly class
  bool active() const { return labelled_anomalies > 0.0 || pollution > 0.0; }
};

struct SplitOptions {
  std::string preprocessing = "gcn_l1_minmax";  // see is_preprocessing_kind
  double pca_variance = 0.0;                    // 0 = off; else keep this fraction of the variance
  std::int64_t max_train = 0;                   // 0 = all; else a seeded subset (quick runs only)
  std::int64_t max_test = 0;                    // 0 = all; else a seeded subset with both labels
  std::uint64_t subsample_seed = 0;  // also seeds the semi-supervised draws and test_normals_from_train
  // > 0: this many training images of the normal class, drawn with
  // subsample_seed, become the test set's normal part and leave training;
  // the dataset's own normal test images are dropped. Their source_index is
  // the test split's size plus their training row.
  std::int64_t test_normals_from_train = 0;
  SemiSupervisedOptions semi;
  // Whether the split depends on subsample_seed (a subset, semi-supervised
  // labels, normals moved into the test set): else every seed gets the same bytes.
  bool draws_by_seed() const { return max_train > 0 || max_test > 0 || semi.active() || test_normals_from_train > 0; }
};

// What was applied, for the run record.
struct SplitFacts {
  std::string preprocessing;
  MinMax minmax;                   // meaningful for "minmax" kinds
  std::int64_t class_train_size = 0;  // before any max_train subsampling
  std::int64_t pca_components = 0;    // 0 = no PCA
  double pca_explained = 0.0;
  std::vector<int> known_classes;     // semi-supervised: classes of the labelled anomalies
  std::int64_t n_labelled = 0, n_pollution = 0;
};

struct OneClassSplit {
  core::Samples train;
  std::vector<std::int8_t> semi_labels;  // empty, or per training sample: 0 unlabelled, -1 labelled anomaly
  core::LabeledSamples test;
  SplitFacts facts;
};

OneClassSplit make_one_class_split(const RawDataset& raw, int normal_class, const SplitOptions& options);

}  // namespace ocb::datasets
