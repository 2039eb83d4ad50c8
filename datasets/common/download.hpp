// Fetching missing dataset files from their canonical sources with curl,
// verifying them before they are moved into the data root.
#pragma once

#include <optional>

#include "datasets/common/dataset.hpp"

namespace ocb::datasets {

// Tries $OCBENCH_DATA_MIRROR (a base URL with the data root's layout, used by
// the tests) and then spec.sources; returns the verified file's path, or
// nothing when no source worked (the reasons go to `errors`).
std::optional<fs::path> download_file(const DatasetInfo& info, const FileSpec& spec, const fs::path& root,
                                      std::vector<std::string>& errors);

}  // namespace ocb::datasets
