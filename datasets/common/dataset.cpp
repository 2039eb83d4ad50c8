// load_dataset: locate, download if missing, verify, parse (dataset.hpp).
#include "datasets/common/dataset.hpp"

#include "datasets/common/download.hpp"
#include "harness/core/error.hpp"

namespace ocb::datasets {
namespace {

// What the catalog declares of a sample's shape is what the loader made.
RawDataset checked(const DatasetInfo& info, RawDataset raw) {
  const auto& want = info.sample_shape;
  for (const ImageSet* set : {&raw.train, &raw.test}) {
    const auto& got = set->shape;
    if (got.n > 0 && (got.c != want.c || got.h != want.h || got.w != want.w))
      throw core::DataError(info.id, fmt::format("loaded samples of {}x{}x{}, but the catalog declares {}x{}x{} (sample_shape)",
                                                 got.c, got.h, got.w, want.c, want.h, want.w));
  }
  return raw;
}

}  // namespace

RawDataset load_dataset(const DatasetInfo& info, const DataLocator& locator, const LoadOptions& options,
                        const DatasetOptions& dataset_options) {
  if (info.load) {
    RawDataset raw = info.load(locator, dataset_options);
    raw.id = info.id;
    return checked(info, std::move(raw));
  }
  FileContents contents;
  std::map<std::string, std::string> checksums;
  std::vector<std::string> missing;
  std::vector<std::string> download_errors;
  for (const auto& spec : info.files) {
    auto path = locator.find(info.dir_names, spec.name);
    if (!path && options.allow_download) path = download_file(info, spec, locator.download_root(), download_errors);
    if (!path) {
      missing.push_back(spec.name);
      continue;
    }
    contents[spec.name] = read_verified(*path, spec);
    checksums[spec.name] = spec.sha256;
  }
  std::error_code ec;
  fs::remove_all(locator.download_root() / info.dir_names.front() / ".downloads", ec);
  if (!missing.empty()) {
    std::string roots;
    for (const auto& r : locator.roots()) roots += fmt::format("\n  {}/{}/", r.string(), info.dir_names.front());
    std::string files;
    for (const auto& m : missing) files += fmt::format("\n  {} (or {}.gz / {}.xz)", m, m, m);
    std::string why;
    for (const auto& e : download_errors) why += "\n  " + e;
    throw core::DataError(info.id, fmt::format("dataset files not found:{}\nput them in one of:{}\n(set --data-dir "
                                               "or OCBENCH_DATA to choose the folder){}{}",
                                               files, roots, why.empty() ? "" : "\ndownload attempts:", why));
  }
  RawDataset raw = info.parse(contents);
  raw.id = info.id;
  raw.checksums = std::move(checksums);
  return checked(info, std::move(raw));
}

}  // namespace ocb::datasets
