// Critical-difference diagram as SVG (cd_diagram.hpp).
#include "harness/report/cd_diagram.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

namespace ocb::harness {

std::string xml_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  return out;
}

double text_width_estimate(const std::string& text, double font_px) {
  // Count code points, not bytes (labels may hold Greek letters).
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return 0.62 * font_px * static_cast<double>(n);
}

std::vector<std::pair<std::size_t, std::size_t>> cd_cliques(const std::vector<double>& r, double cd) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t last_end = 0;
  for (std::size_t i = 0; i < r.size(); ++i) {
    std::size_t j = i;
    while (j + 1 < r.size() && r[j + 1] - r[i] < cd) ++j;
    // A run ending where an earlier one ended lies inside it.
    if (j > i && (out.empty() || j > last_end)) {
      out.emplace_back(i, j);
      last_end = j;
    }
  }
  return out;
}

std::string cd_diagram_svg(const CdInput& in) {
  const std::size_t k = in.labels.size();
  std::vector<std::size_t> order(k);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return in.ranks[a] < in.ranks[b]; });
  std::vector<double> sorted(k);
  for (std::size_t i = 0; i < k; ++i) sorted[i] = in.ranks[order[i]];
  const auto cliques = cd_cliques(sorted, in.cd);

  constexpr double font = 13, row = 22, axis_len = 520, pad = 16, gap = 12;
  const std::size_t left_n = (k + 1) / 2;  // the better half goes left
  auto label_text = [&](std::size_t pos) { return fmt::format("{} ({:.2f})", in.labels[order[pos]], sorted[pos]); };
  double left_w = 0, right_w = 0;
  for (std::size_t p = 0; p < k; ++p) {
    double& side = p < left_n ? left_w : right_w;
    side = std::max(side, text_width_estimate(label_text(p), font));
  }
  const double title_w = text_width_estimate(in.title, font);
  const double x0 = pad + left_w + gap + 20;  // rank 1
  const double lo = 1.0, hi = std::max<double>(static_cast<double>(k), 2.0);
  double width = x0 + axis_len + 20 + gap + right_w + pad;
  width = std::max(width, title_w + 2 * pad);
  auto X = [&](double rank) { return x0 + (rank - lo) / (hi - lo) * axis_len; };

  const double title_y = in.title.empty() ? 0 : pad + font;
  const double cd_y = title_y + 26, axis_y = cd_y + 34;
  const double clique_top = axis_y + 14, clique_step = 9;
  const double first_row = clique_top + static_cast<double>(cliques.size()) * clique_step + 16;
  const std::size_t lines = std::max(left_n, k - left_n);
  const double height = first_row + static_cast<double>(lines) * row + pad;

  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cd-diagram\" width=\"{0:.0f}\" height=\"{1:.0f}\" viewBox=\"0 0 {0:.0f} {1:.0f}\" "
      "font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"{2:.0f}\">\n",
      width, height, font);
  s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  if (!in.title.empty()) s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-weight=\"bold\">{}</text>\n", pad, title_y, xml_escape(in.title));
  // Critical difference above the axis, starting at rank 1.
  if (in.cd > 0) {
    const double end = X(std::min(lo + in.cd, hi));
    s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"black\" stroke-width=\"2\"/>\n", X(lo), cd_y, end);
    for (double x : {X(lo), end})
      s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"black\"/>\n", x, cd_y - 5, cd_y + 5);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">CD = {:.2f}</text>\n", (X(lo) + end) / 2, cd_y - 8, in.cd);
  }
  // The axis, ticks at every whole rank, half ticks between.
  s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{2:.1f}\" x2=\"{1:.1f}\" y2=\"{2:.1f}\" stroke=\"black\"/>\n", X(lo), X(hi), axis_y);
  for (int t = 1; t <= static_cast<int>(hi); ++t) {
    s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"black\"/>\n", X(t), axis_y - 7, axis_y);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", X(t), axis_y - 10, t);
    if (t < static_cast<int>(hi))
      s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"black\"/>\n", X(t + 0.5), axis_y - 4, axis_y);
  }
  // Cliques: thick bars, slightly longer than the ranks they join.
  for (std::size_t c = 0; c < cliques.size(); ++c) {
    const double y = clique_top + static_cast<double>(c) * clique_step;
    s += fmt::format("<line class=\"clique\" x1=\"{0:.1f}\" y1=\"{2:.1f}\" x2=\"{1:.1f}\" y2=\"{2:.1f}\" stroke=\"black\" stroke-width=\"5\" "
                     "stroke-linecap=\"round\"/>\n",
                     X(sorted[cliques[c].first]) - 4, X(sorted[cliques[c].second]) + 4, y);
  }
  // Methods: the better half from the best outward on the left, the rest
  // from the worst outward on the right, so that no two lines cross.
  for (std::size_t p = 0; p < k; ++p) {
    const bool left = p < left_n;
    const std::size_t line = left ? p : k - 1 - p;
    const double y = first_row + static_cast<double>(line) * row;
    const double x = X(sorted[p]);
    const double end = left ? x0 - 20 : X(hi) + 20;
    s += fmt::format("<polyline points=\"{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}\" fill=\"none\" stroke=\"#333\"/>\n", x, axis_y, x, y, end, y);
    s += fmt::format("<text class=\"method\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"{}\" dominant-baseline=\"middle\">{}</text>\n",
                     left ? end - 4 : end + 4, y, left ? "end" : "start", xml_escape(label_text(p)));
  }
  s += "</svg>\n";
  return s;
}

}  // namespace ocb::harness
