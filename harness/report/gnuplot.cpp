// gnuplot driver (gnuplot.hpp).
#include "harness/report/gnuplot.hpp"

#include <fmt/format.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>

#include "harness/core/error.hpp"

namespace ocb::harness {

std::string gp_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '_') out += "\\\\";  // no subscripts from underscores in labels
    out += c;
  }
  return out + "\"";
}

void draw_script(const fs::path& stem, const std::string& body, int width, int height) {
  fs::create_directories(stem.parent_path());
  const fs::path script = stem.string() + ".gp";
  std::ofstream out(script);
  for (const char* kind : {"png", "svg"}) {
    const bool png = std::string(kind) == "png";
    out << (png ? fmt::format("set terminal pngcairo size {},{} enhanced font 'DejaVu Sans,10'\n", width, height)
                : fmt::format("set terminal svg size {},{} enhanced font 'DejaVu Sans,10' background rgb 'white'\n",
                              width, height))
        << "set output '" << stem.filename().string() << "." << kind << "'\n"
        << body << "\nunset output\nreset\n";
  }
  out.close();
  const std::string cmd = fmt::format("cd '{}' && gnuplot '{}' 2>&1", stem.parent_path().string(), script.filename().string());
  const int rc = std::system(cmd.c_str());
  if (rc != 0)
    throw core::Error(fmt::format("gnuplot failed on {} (is gnuplot installed? scripts/install-deps.sh installs gnuplot-nox)",
                                  script.string()));
}

void draw(const fs::path& stem, const LinePlot& p, int width, int height) {
  std::string body;
  for (std::size_t i = 0; i < p.series.size(); ++i) {
    body += fmt::format("$S{} << EOD\n", i);
    for (std::size_t j = 0; j < p.series[i].x.size(); ++j) body += fmt::format("{} {}\n", p.series[i].x[j], p.series[i].y[j]);
    body += "EOD\n";
  }
  body += fmt::format("set title {}\nset xlabel {}\nset ylabel {}\nset grid\nset key outside right\n", gp_quote(p.title),
                      gp_quote(p.xlabel), gp_quote(p.ylabel));
  if (p.log_y) body += "set logscale y\n";
  body += p.extra + "\nplot ";
  for (std::size_t i = 0; i < p.series.size(); ++i)
    body += fmt::format("{}$S{} using 1:2 with {} lw 2 title {}", i ? ", " : "", i, p.series[i].style, gp_quote(p.series[i].name));
  draw_script(stem, body + "\n", width, height);
}

}  // namespace ocb::harness
