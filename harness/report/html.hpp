// The HTML results site: one self-contained page per experiment
// (<view folder>/index.html), its image grids (Figure 2 / Figure 4, Grad-CAM)
// on a second self-contained page beside it (images.html, linked from the
// first; two pages keep each under 2 MiB), and an index of every experiment
// (results/index.html). A page needs nothing but itself: its styles and its
// script are inline, the critical-difference diagram is inline SVG, every
// other figure is embedded as a data: URI, and it loads nothing from a
// network. It shows the paper-layout table (the paper's value and the
// difference beside each cell, coloured by whether the cell lies within the
// paper's band), lets the reader sort columns, switch between AUC and average
// precision, and open a cell to its seeds (AUC, AP, seconds, record path),
// then the figures, the comparisons (average ranks, Wilcoxon tests), the
// failures and the provenance of the records. The script checks the page it
// runs in (every figure decoded, no diagram label outside its picture) and
// writes what it finds into <body data-check>, for the browser test.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "harness/report/report.hpp"
#include "harness/report/results.hpp"
#include "harness/report/table.hpp"

namespace ocb::harness {

// The page's HTML. `figures` are the files make_figures() wrote (a figure
// drawn both as PNG and SVG is embedded once, as the smaller of the two);
// `site_index`, if not empty, is the index page, linked relative to the page.
std::string render_html_page(const ResultTable& table, const std::vector<fs::path>& figures, const fs::path& site_index = {});
// Where the image grids go: images.html for an experiment of one dataset,
// else images-<dataset>.html per dataset with grids (a study of many
// adversarial sets would outgrow one page). A group whose embedded figures
// would pass `budget` bytes (base64 counted) is cut into parts, in the order
// of the figure kinds: images.html, images-p2.html, ... (images-<dataset>.html,
// images-<dataset>-p2.html, ...); a figure larger than the budget gets a part
// of its own. The parts of one group link to each other.
struct ImagePage {
  std::string file, dataset;
  std::vector<fs::path> figures;
  int part = 1;                     // 1-based, within its dataset's group
  std::vector<std::string> group;   // the files of all parts of the group
};
inline constexpr std::uintmax_t kImagePageBudget = 1536 * 1024;
std::vector<ImagePage> image_pages(const ResultTable& table, const std::vector<fs::path>& figures, std::uintmax_t budget = kImagePageBudget);
// One image page (a part from image_pages()), or "" when its figures hold no
// grid. Its dataset ("" for all) goes into the title; a part of a group of
// several links to the others.
std::string render_images_page(const ResultTable& table, const ImagePage& page);
// Writes <view folder>/index.html and the image pages (removing any left
// from an earlier drawing); returns the path of index.html.
fs::path write_html_page(const ResultTable& table, const std::vector<fs::path>& figures, const fs::path& site_index = {});

// One experiment on the index page.
struct SiteEntry {
  std::string name, description;
  fs::path experiment_file;
  fs::path page;                 // its index.html; empty when nothing of it was run here
  int ok = 0, failed = 0, missing = 0, left_out = 0;
  std::string seeds;             // "dcae: 1–10; hybrid_svdd: 1–5" (seeds with an ok record, per column)
  std::string newest_finished, newest_commit;
  std::string error;             // why its page could not be made, if it could not
  // Per column with paper values: how many of its classes lie within the
  // paper's band (band_count), in the table's order.
  struct Band {
    std::string dataset, label;
    BandCount count;
  };
  std::vector<Band> bands;
};
SiteEntry site_entry(const ResultTable& table, const fs::path& page);
std::string render_site_index(const std::vector<SiteEntry>& entries, const fs::path& index_path);
// Writes `index_path` (results/index.html); returns it.
fs::path write_site_index(const std::vector<SiteEntry>& entries, const fs::path& index_path);

// RFC 4648 base64, for data: URIs.
std::string base64(std::string_view bytes);

}  // namespace ocb::harness
