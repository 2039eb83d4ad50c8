// DataCache (data_cache.hpp).
#include "harness/run/data_cache.hpp"

#include <fmt/format.h>

#include "harness/core/params.hpp"

namespace ocb::harness {

DataCache::DataCache(datasets::DataLocator locator, bool allow_download, std::size_t max_splits)
    : locator_(std::move(locator)), allow_download_(allow_download), max_splits_(max_splits) {}

std::shared_ptr<const datasets::RawDataset> DataCache::dataset(const std::string& id, const datasets::DatasetOptions& options) {
  std::string key = id;
  for (const auto& [k, v] : options) key += "|" + k + "=" + v;
  std::lock_guard lock(datasets_mutex_);
  if (auto it = datasets_.find(key); it != datasets_.end()) return it->second;
  auto raw = std::make_shared<const datasets::RawDataset>(
      datasets::load_dataset(datasets::dataset_info(id), locator_, {allow_download_}, options));
  datasets_[key] = raw;
  return raw;
}

std::shared_ptr<const datasets::OneClassSplit> DataCache::split(const std::string& dataset_id,
                                                               const datasets::DatasetOptions& dataset_options, int normal_class,
                                                               const datasets::SplitOptions& o) {
  const bool seeded = o.draws_by_seed();
  std::string id = dataset_id;
  for (const auto& [k, v] : dataset_options) id += "|" + k + "=" + v;
  const std::string key = fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", id, normal_class, o.preprocessing,
                                      core::to_string(o.pca_variance), o.max_train, o.max_test, o.test_normals_from_train,
                                      seeded ? o.subsample_seed : 0, o.semi.labelled_anomalies, o.semi.pollution,
                                      o.semi.known_classes);
  {
    std::lock_guard lock(splits_mutex_);
    for (auto it = splits_.begin(); it != splits_.end(); ++it)
      if (it->first == key) {
        splits_.splice(splits_.begin(), splits_, it);
        return splits_.front().second;
      }
  }
  auto raw = dataset(dataset_id, dataset_options);
  auto made = std::make_shared<const datasets::OneClassSplit>(datasets::make_one_class_split(*raw, normal_class, o));
  std::lock_guard lock(splits_mutex_);
  splits_.emplace_front(key, made);
  while (splits_.size() > max_splits_) splits_.pop_back();
  return made;
}

}  // namespace ocb::harness
