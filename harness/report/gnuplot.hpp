// Drawing with gnuplot (Debian's gnuplot-nox): each figure is a small script
// with its data inline, rendered to PNG (pngcairo) and SVG next to each other.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ocb::harness {

namespace fs = std::filesystem;

struct Series {
  std::string name;
  std::vector<double> x, y;
  std::string style = "lines";  // gnuplot "with" clause
};

struct LinePlot {
  std::string title, xlabel, ylabel;
  std::vector<Series> series;
  bool log_y = false;
  std::string extra;  // further gnuplot commands (ranges, arrows)
};

// Writes <stem>.png and <stem>.svg (and keeps <stem>.gp, the script).
void draw(const fs::path& stem, const LinePlot& plot, int width = 800, int height = 560);
// Runs a complete gnuplot script body (terminal and output are set here).
void draw_script(const fs::path& stem, const std::string& body, int width, int height);

// Quotes a string for gnuplot.
std::string gp_quote(const std::string& s);

}  // namespace ocb::harness
