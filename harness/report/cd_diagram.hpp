// The critical-difference diagram of Demšar (2006, Fig. 1), drawn as SVG text
// with no external tool: an axis of average ranks (1 = best, on the left), the
// Nemenyi critical difference as a bar above it, the better half of the
// methods labelled on the left and the rest on the right, each joined to its
// rank by an elbow line, and every clique of methods whose average ranks lie
// within one critical difference of each other as one thick bar below the
// axis. The picture's width is computed from its labels, so none is cut.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace ocb::harness {

struct CdInput {
  std::vector<std::string> labels;
  std::vector<double> ranks;  // average rank per label (1 = best)
  double cd = 0.0;            // Nemenyi critical difference
  std::string title;          // one line above the diagram; may be empty
};

// Positions in rank order (ascending) of the maximal cliques: runs [first,
// last] of at least two methods whose ranks differ by less than `cd` and that
// no other such run contains. `sorted_ranks` must be ascending.
std::vector<std::pair<std::size_t, std::size_t>> cd_cliques(const std::vector<double>& sorted_ranks, double cd);

// A complete <svg> element (with xmlns, usable inline or as a file).
std::string cd_diagram_svg(const CdInput& in);

// Width in pixels that text is given at `font_px`: a generous estimate
// (0.62 em per character), so that labels measured by a browser fit.
double text_width_estimate(const std::string& text, double font_px);

// Escapes &, <, >, " and ' for XML and HTML text and attributes.
std::string xml_escape(const std::string& s);

}  // namespace ocb::harness
