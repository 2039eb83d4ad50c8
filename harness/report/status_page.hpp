// results/status.md: the markdown twin of the site index (results/index.html),
// written by `ocbench report --all` beside it. Per experiment file, how many
// cells are ok, failed and missing and which seeds each column holds; per
// table with the paper's values, how many classes of each column lie within
// the paper's band. results/README.md quotes these counts by linking here, so
// none of them is typed by hand.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "harness/report/html.hpp"

namespace ocb::harness {

// `generated_at` goes into the page's first paragraph (utc_now() when written).
std::string render_status_markdown(const std::vector<SiteEntry>& entries, const std::string& generated_at);
// Writes `path` (results/status.md); returns it.
fs::path write_status_markdown(const std::vector<SiteEntry>& entries, const fs::path& path);

}  // namespace ocb::harness
