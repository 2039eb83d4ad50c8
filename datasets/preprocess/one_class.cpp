// Building the one-class split (one_class.hpp): select, normalise, subsample, PCA.
#include "datasets/preprocess/one_class.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include "datasets/preprocess/pca.hpp"
#include "harness/core/error.hpp"
#include "harness/core/rng.hpp"

namespace ocb::datasets {
namespace {

// Images of `set` at `rows` as float64 in [0, 1], GCN'd if asked.
std::vector<double> to_unit(const ImageSet& set, const std::vector<std::int64_t>& rows, bool gcn) {
  const std::int64_t d = set.shape.features();
  std::vector<double> out(rows.size() * static_cast<std::size_t>(d));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::uint8_t* src = set.pixels.data() + rows[r] * d;
    std::span<double> img(out.data() + r * d, static_cast<std::size_t>(d));
    for (std::int64_t j = 0; j < d; ++j) img[j] = src[j] / 255.0;
    if (gcn) gcn_l1(img);
  }
  return out;
}

core::Samples to_samples(const std::vector<double>& values, core::Shape shape, const MinMax* mm) {
  std::vector<float> out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i)
    out[i] = static_cast<float>(mm ? mm->scale(values[i]) : values[i]);
  return core::Samples(shape, std::move(out));
}

std::vector<std::int64_t> sorted_subset(std::int64_t n, std::int64_t k, core::Rng& rng) {
  auto perm = rng.permutation(n);
  perm.resize(static_cast<std::size_t>(k));
  std::sort(perm.begin(), perm.end());
  return perm;
}

// Appends pollution and labelled anomalies to the training rows (Ruff et al., ICLR 2020, §4).
void draw_semi_supervised(const RawDataset& raw, int normal_class, const SplitOptions& o, std::vector<std::int64_t>& rows,
                          std::vector<std::int8_t>& labels, SplitFacts& facts) {
  const auto& semi = o.semi;
  std::vector<int> anomaly_classes;
  for (int c = 0; c <= *std::max_element(raw.train.labels.begin(), raw.train.labels.end()); ++c)
    if (c != normal_class) anomaly_classes.push_back(c);
  core::Rng rng(core::derive_seed(o.subsample_seed, "semi_supervised"));
  const auto k = std::min<std::int64_t>(semi.known_classes, static_cast<std::int64_t>(anomaly_classes.size()));
  if (k == 1) {
    facts.known_classes = {anomaly_classes[(o.subsample_seed + anomaly_classes.size() - 1) % anomaly_classes.size()]};
  } else {
    auto perm = rng.permutation(static_cast<std::int64_t>(anomaly_classes.size()));
    for (std::int64_t i = 0; i < k; ++i) facts.known_classes.push_back(anomaly_classes[perm[i]]);
    std::sort(facts.known_classes.begin(), facts.known_classes.end());
  }
  const double n_normal = static_cast<double>(rows.size());
  const double n_pollution = semi.pollution * n_normal / (1.0 - semi.pollution);
  facts.n_pollution = static_cast<std::int64_t>(n_pollution);
  facts.n_labelled = static_cast<std::int64_t>(semi.labelled_anomalies * (n_normal + n_pollution) / (1.0 - semi.labelled_anomalies));
  // Pollution from all anomaly classes, then labelled ones from the known
  // classes among the images not yet drawn: the two sets are disjoint.
  std::vector<std::int64_t> pool;
  for (std::int64_t i = 0; i < raw.train.shape.n; ++i)
    if (raw.train.labels[i] != normal_class) pool.push_back(i);
  auto perm = rng.permutation(static_cast<std::int64_t>(pool.size()));
  std::vector<bool> used(pool.size(), false);
  if (facts.n_pollution > static_cast<std::int64_t>(pool.size())) throw core::Error("not enough anomalies for the pollution ratio");
  for (std::int64_t i = 0; i < facts.n_pollution; ++i) {
    used[perm[i]] = true;
    rows.push_back(pool[perm[i]]);
    labels.push_back(0);
  }
  std::int64_t drawn = 0;
  for (std::size_t i = 0; i < perm.size() && drawn < facts.n_labelled; ++i) {
    const auto r = pool[perm[i]];
    if (used[perm[i]] || std::find(facts.known_classes.begin(), facts.known_classes.end(), raw.train.labels[r]) == facts.known_classes.end())
      continue;
    rows.push_back(r);
    labels.push_back(-1);
    ++drawn;
  }
  if (drawn < facts.n_labelled) throw core::Error("not enough images of the known anomaly classes");
}

}  // namespace

OneClassSplit make_one_class_split(const RawDataset& raw, int normal_class, const SplitOptions& options) {
  if (!is_preprocessing_kind(options.preprocessing))
    throw core::Error(fmt::format("unknown preprocessing '{}' (known: gcn_l1_minmax, minmax, raw)", options.preprocessing));
  std::vector<std::int64_t> train_rows, test_rows;
  for (std::int64_t i = 0; i < raw.train.shape.n; ++i)
    if (raw.train.labels[i] == normal_class) train_rows.push_back(i);
  if (train_rows.empty())
    throw core::Error(fmt::format("{} has no training images of class {}", raw.id, normal_class));
  // The test set's normal part from held-out training images (the Theano
  // code's GTSRB split): drawn first, so training keeps the rest.
  std::vector<std::int64_t> held;
  if (options.test_normals_from_train > 0) {
    const auto n_held = options.test_normals_from_train;
    if (n_held >= static_cast<std::int64_t>(train_rows.size()))
      throw core::Error(fmt::format("test_normals_from_train = {} leaves no training images: {} class {} has {}", n_held, raw.id,
                                    normal_class, train_rows.size()));
    core::Rng rng(core::derive_seed(options.subsample_seed, "test_normals_from_train"));
    const auto perm = rng.permutation(static_cast<std::int64_t>(train_rows.size()));
    std::vector<std::int64_t> kept;
    for (std::size_t i = 0; i < perm.size(); ++i) (static_cast<std::int64_t>(i) < n_held ? held : kept).push_back(train_rows[perm[i]]);
    std::sort(held.begin(), held.end());
    std::sort(kept.begin(), kept.end());
    train_rows = std::move(kept);
  }
  for (std::int64_t i = 0; i < raw.test.shape.n; ++i)
    if (held.empty() || raw.test.labels[i] != normal_class) test_rows.push_back(i);

  const bool gcn = options.preprocessing == "gcn_l1_minmax";
  const bool minmax = options.preprocessing != "raw";
  auto train = to_unit(raw.train, train_rows, gcn);
  auto test = to_unit(raw.train, held, gcn);
  const auto test_part = to_unit(raw.test, test_rows, gcn);
  test.insert(test.end(), test_part.begin(), test_part.end());

  OneClassSplit split;
  split.facts.preprocessing = options.preprocessing;
  split.facts.class_train_size = static_cast<std::int64_t>(train_rows.size());
  if (minmax) {
    // Constants from the normal class's training images only.
    auto [lo, hi] = std::minmax_element(train.begin(), train.end());
    split.facts.minmax = {*lo, *hi};
    if (!(*hi > *lo)) throw core::Error(fmt::format("{} class {}: constant training images", raw.id, normal_class));
  }
  if (options.semi.active()) {
    split.semi_labels.assign(train_rows.size(), 0);
    const std::size_t normal_rows = train_rows.size();
    draw_semi_supervised(raw, normal_class, options, train_rows, split.semi_labels, split.facts);
    const auto extra = to_unit(raw.train, std::vector<std::int64_t>(train_rows.begin() + normal_rows, train_rows.end()), gcn);
    train.insert(train.end(), extra.begin(), extra.end());
  }
  core::Shape image = raw.train.shape;
  image.n = static_cast<std::int64_t>(train_rows.size());
  split.train = to_samples(train, image, minmax ? &split.facts.minmax : nullptr);
  image.n = static_cast<std::int64_t>(held.size() + test_rows.size());
  split.test.x = to_samples(test, image, minmax ? &split.facts.minmax : nullptr);
  for (std::int64_t r : held) {
    split.test.anomaly.push_back(0);
    split.test.original_class.push_back(normal_class);
    split.test.source_index.push_back(raw.test.shape.n + r);
  }
  for (std::int64_t i : test_rows) {
    split.test.anomaly.push_back(raw.test.labels[i] == normal_class ? 0 : 1);
    split.test.original_class.push_back(raw.test.labels[i]);
    split.test.source_index.push_back(i);
  }

  // Quick-run subsets: drawn after the constants, so those stay the protocol's.
  core::Rng rng(core::derive_seed(options.subsample_seed, "subsample"));
  if (options.max_train > 0 && options.max_train < split.train.size()) {
    const auto rows = sorted_subset(split.train.size(), options.max_train, rng);
    split.train = split.train.select(rows);
    if (!split.semi_labels.empty()) {
      std::vector<std::int8_t> kept;
      for (auto r : rows) kept.push_back(split.semi_labels[r]);
      split.semi_labels = std::move(kept);
    }
  }
  if (options.max_test > 0 && options.max_test < split.test.size()) {
    for (int attempt = 0;; ++attempt) {
      auto rows = sorted_subset(split.test.size(), options.max_test, rng);
      auto sub = split.test.select(rows);
      const auto anomalies = std::count(sub.anomaly.begin(), sub.anomaly.end(), 1);
      if ((anomalies > 0 && anomalies < sub.size()) || attempt == 100) {
        split.test = std::move(sub);
        break;
      }
    }
  }
  if (options.pca_variance > 0.0) {
    const PcaModel pca = fit_pca(split.train, options.pca_variance);
    split.train = apply_pca(pca, split.train);
    split.test.x = apply_pca(pca, split.test.x);
    split.facts.pca_components = pca.components;
    split.facts.pca_explained = pca.explained;
  }
  return split;
}

}  // namespace ocb::datasets
