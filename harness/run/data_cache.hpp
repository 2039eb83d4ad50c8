// Datasets loaded once per process (files read, verified, parsed) and the last
// few one-class splits, shared by the worker threads. A load that fails caches
// nothing: the next cell tries again and reports the same error.
#pragma once

#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "datasets/common/dataset.hpp"
#include "datasets/preprocess/one_class.hpp"

namespace ocb::harness {

class DataCache {
 public:
  DataCache(datasets::DataLocator locator, bool allow_download, std::size_t max_splits = 4);

  std::shared_ptr<const datasets::RawDataset> dataset(const std::string& id, const datasets::DatasetOptions& options = {});
  std::shared_ptr<const datasets::OneClassSplit> split(const std::string& dataset_id, const datasets::DatasetOptions& dataset_options,
                                                       int normal_class, const datasets::SplitOptions& options);
  const datasets::DataLocator& locator() const { return locator_; }

 private:
  datasets::DataLocator locator_;
  bool allow_download_;
  std::size_t max_splits_;
  std::mutex datasets_mutex_;  // held while loading: one load per dataset
  std::map<std::string, std::shared_ptr<const datasets::RawDataset>> datasets_;
  std::mutex splits_mutex_;
  std::list<std::pair<std::string, std::shared_ptr<const datasets::OneClassSplit>>> splits_;  // most recent first
};

}  // namespace ocb::harness
