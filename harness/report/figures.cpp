// Figures of an experiment (figures.hpp).
#include "harness/report/figures.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <numeric>

#include "datasets/common/dataset.hpp"
#include "harness/core/atomic_file.hpp"
#include "harness/core/error.hpp"
#include "harness/core/metrics.hpp"
#include "harness/report/cd_diagram.hpp"
#include "harness/report/gnuplot.hpp"
#include "harness/report/image_grid.hpp"
#include "harness/report/perturbation.hpp"
#include "harness/report/stats.hpp"
#include "harness/report/tsne.hpp"
#include "harness/run/cells.hpp"
#include "harness/run/store.hpp"

namespace ocb::harness {
namespace {

struct Context {
  const Experiment& exp;
  const RecordSet& records;
  const std::vector<Cell>& cells;
  std::uint64_t seed;
  fs::path out;
  std::vector<fs::path> written;

  const CellRecord* record(const Cell& c) const { return records.ok(c.id); }
  // A missing or damaged score file leaves its curve out, with a warning.
  std::optional<ScoreFile> scores(const Cell& c) const {
    const CellRecord* r = record(c);
    if (!r || r->scores_file.empty()) return std::nullopt;
    try {
      return RecordStore::read_scores(exp.results_dir / r->scores_file);
    } catch (const core::DataError& e) {
      std::cerr << "warning: " << e.what() << "; left out of the figures\n";
      return std::nullopt;
    }
  }
  // A kept sample (representations, heatmaps); absent or damaged: nothing, with a warning for damage.
  std::optional<RepresentationSample> sample(const fs::path& file, const char* figure) const {
    if (!fs::exists(file)) return std::nullopt;
    try {
      return RecordStore::read_representations(file);
    } catch (const core::DataError& e) {
      std::cerr << "warning: " << e.what() << "; no " << figure << " figure\n";
      return std::nullopt;
    }
  }
  void wrote(const fs::path& stem, bool svg = true) {
    written.push_back(stem.string() + ".png");
    if (svg) written.push_back(stem.string() + ".svg");
  }
};

std::vector<std::string> labels_for(const Context& ctx, const std::string& dataset) {
  std::vector<std::string> out;
  for (const auto& c : ctx.cells)
    if (c.dataset->id == dataset && std::find(out.begin(), out.end(), c.method->label) == out.end()) out.push_back(c.method->label);
  return out;
}

// A ROC curve thinned for drawing: points on a straight run between their
// neighbours are dropped, then points closer than `step` (in both rates) to the
// last kept one; the end points always stay. The legend's AUC is computed on
// the full curve, so the thinning only touches the picture (and keeps figures
// and their gnuplot scripts small).
void thin_curve(std::vector<double>& x, std::vector<double>& y, double step = 1.0 / 400) {
  if (x.size() < 3) return;
  std::vector<double> tx{x.front()}, ty{y.front()};
  for (std::size_t i = 1; i + 1 < x.size(); ++i) {
    const bool straight = (x[i - 1] == x[i] && x[i] == x[i + 1]) || (y[i - 1] == y[i] && y[i] == y[i + 1]);
    if (straight) continue;
    if (std::abs(x[i] - tx.back()) < step && std::abs(y[i] - ty.back()) < step) continue;
    tx.push_back(x[i]);
    ty.push_back(y[i]);
  }
  tx.push_back(x.back());
  ty.push_back(y.back());
  x = std::move(tx);
  y = std::move(ty);
}

void roc_figures(Context& ctx, const DatasetEntry& d) {
  for (int k : d.classes) {
    LinePlot p;
    p.title = fmt::format("{} normal class {}: ROC, seed {}", d.title, k, ctx.seed);
    p.xlabel = "false positive rate";
    p.ylabel = "true positive rate";
    p.extra = "set xrange [0:1]\nset yrange [0:1]\nset size ratio -1\nset arrow from 0,0 to 1,1 nohead dt 2 lc rgb 'gray'";
    for (const auto& c : ctx.cells) {
      if (c.dataset->id != d.id || c.normal_class != k || c.seed != ctx.seed) continue;
      const auto s = ctx.scores(c);
      if (!s) continue;
      const std::vector<double> scores(s->scores.begin(), s->scores.end());
      auto roc = core::roc_curve(scores, s->anomaly);
      thin_curve(roc.fpr, roc.tpr);
      p.series.push_back({fmt::format("{} (AUC {:.1f})", c.method->label, 100 * core::roc_auc(scores, s->anomaly)), roc.fpr, roc.tpr});
    }
    if (p.series.empty()) continue;
    const fs::path stem = ctx.out / fmt::format("roc_{}_class{}", d.id, k);
    draw(stem, p, 760, 560);
    ctx.wrote(stem);
  }
}

void auc_bar_figure(Context& ctx, const ResultTable& table, const DatasetEntry& d) {
  const auto labels = labels_for(ctx, d.id);
  const double m = static_cast<double>(labels.size()), width = 0.8 / m;
  std::string body = "$D << EOD\n";
  std::string paper = "$P << EOD\n";
  bool any_paper = false;
  for (std::size_t j = 0; j < labels.size(); ++j) {
    for (std::size_t i = 0; i < d.classes.size(); ++i) {
      const auto* s = table.find(d.id, d.classes[i], labels[j]);
      const double x = static_cast<double>(i) + (static_cast<double>(j) - (m - 1) / 2) * width;
      if (s && !s->aucs.empty()) body += fmt::format("{} {} {} {}\n", j, x, s->mean(), s->std());
      if (s && s->paper) {
        paper += fmt::format("{} {}\n", x, s->paper->mean);
        any_paper = true;
      }
    }
  }
  body += "EOD\n" + paper + "EOD\n";
  std::string xtics = "set xtics (";
  for (std::size_t i = 0; i < d.classes.size(); ++i) xtics += fmt::format("{}\"{}\" {}", i ? ", " : "", d.classes[i], i);
  body += xtics + ")\n";
  body += fmt::format("set title {}\nset ylabel 'AUC (%)'\nset xlabel 'normal class'\nset grid ytics\nset key outside right\n",
                      gp_quote(fmt::format("{}: AUC per class, mean and std over seeds ({})", d.title, ctx.exp.name)));
  body += fmt::format("set boxwidth {} absolute\nset style fill solid 0.6 border -1\nset yrange [*:100]\nset xrange [-0.6:{}]\n", width * 0.95,
                      static_cast<double>(d.classes.size()) - 0.4);
  body += "plot ";
  for (std::size_t j = 0; j < labels.size(); ++j)
    body += fmt::format("{}$D using ($1=={} ? $2 : 1/0):3:4 with boxerrorbars lc {} title {}", j ? ", " : "", j, j + 1, gp_quote(labels[j]));
  if (any_paper) body += ", $P using 1:2 with points pt 7 ps 0.8 lc rgb 'black' title 'paper'";
  const fs::path stem = ctx.out / fmt::format("auc_{}", d.id);
  draw_script(stem, body + "\n", 1100, 520);
  ctx.wrote(stem);
}

void training_figures(Context& ctx, const DatasetEntry& d) {
  for (const auto& label : labels_for(ctx, d.id)) {
    LinePlot p;
    p.title = fmt::format("{}: {} training loss per epoch, seed {}", d.title, label, ctx.seed);
    p.xlabel = "epoch";
    p.ylabel = "mean batch loss";
    p.log_y = true;
    for (const auto& c : ctx.cells) {
      if (c.dataset->id != d.id || c.method->label != label || c.seed != ctx.seed) continue;
      const CellRecord* r = ctx.record(c);
      if (!r) continue;
      for (const char* phase : {"pretraining", "train"}) {
        auto curve = r->curves.find(phase);
        if (curve == r->curves.end() || curve->second.epoch_loss.empty()) continue;
        const auto& loss = curve->second.epoch_loss;
        Series s{fmt::format("class {} {}", c.normal_class, std::string(phase) == "train" ? "φ" : "autoencoder"), {}, loss};
        for (std::size_t e = 0; e < loss.size(); ++e) s.x.push_back(static_cast<double>(e + 1));
        p.series.push_back(std::move(s));
      }
    }
    if (p.series.empty()) continue;
    const fs::path stem = ctx.out / fmt::format("training_{}_{}", d.id, label);
    draw(stem, p, 900, 560);
    ctx.wrote(stem);
  }
}

// Grey digits are drawn at twice their size; colour photographs (32 x 32) at
// their own, where they are already as wide as the digits' grids and their
// PNG a third smaller (an upscaled photograph compresses worse, a digit better).
int grid_zoom(const datasets::ImageSet& set) { return set.shape.c > 1 ? 1 : 2; }

// Figure 4: the most anomalous test images of all (stop signs and adversarial
// examples together), the adversarial ones framed in red, beside the most
// normal ones; the caption counts how many adversarial examples the top 32 hold.
void adversarial_figure(Context& ctx, const DatasetEntry& d, const std::string& label, const ScoreFile& s, const datasets::RawDataset& raw) {
  std::vector<std::size_t> order(s.scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return s.scores[a] > s.scores[b]; });
  ImagePanel most_anomalous, most_normal;
  std::size_t hits = 0;
  const std::size_t n = std::min<std::size_t>(32, order.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t top = order[i], bottom = order[order.size() - 1 - i];
    most_anomalous.images.push_back(s.source_index[top]);
    most_anomalous.marked.push_back(s.anomaly[top] != 0);
    hits += s.anomaly[top] != 0;
    most_normal.images.push_back(s.source_index[bottom]);
    most_normal.marked.push_back(s.anomaly[bottom] != 0);
  }
  const fs::path png = ctx.out / fmt::format("figure4_{}_{}.png", d.id, label);
  write_image_grid(png, raw.test, {most_normal, most_anomalous}, 4, 8, grid_zoom(raw.test));
  ctx.written.push_back(png);
  std::cout << fmt::format("{}: {} of the {} most anomalous test images are adversarial examples\n", png.filename().string(), hits, n);
}

// Figure 2: for each normal class, the 32 most normal and the 32 most anomalous
// test images of that class by the method's scores (Figure 4 for Table 2's).
void image_figures(Context& ctx, const DatasetEntry& d, const std::vector<std::string>& labels, const datasets::RawDataset& raw) {
  for (const auto& label : labels) {
    for (int k : d.classes) {
      for (const auto& c : ctx.cells) {
        if (c.dataset->id != d.id || c.normal_class != k || c.seed != ctx.seed || c.method->label != label) continue;
        const auto s = ctx.scores(c);
        if (!s) continue;
        // Table 2's datasets get the paper's Figure 4 (adversarial examples
        // among the stop signs) instead: one colour grid per set keeps a
        // study of many sets within the page size.
        if (d.kind == "gtsrb_adversarial") {
          adversarial_figure(ctx, d, label, *s, raw);
          continue;
        }
        std::vector<std::size_t> normal;
        for (std::size_t i = 0; i < s->anomaly.size(); ++i)
          if (!s->anomaly[i]) normal.push_back(i);
        std::stable_sort(normal.begin(), normal.end(), [&](std::size_t a, std::size_t b) { return s->scores[a] < s->scores[b]; });
        ImagePanel most_normal, most_anomalous;
        for (std::size_t i = 0; i < std::min<std::size_t>(32, normal.size()); ++i) {
          most_normal.images.push_back(s->source_index[normal[i]]);
          most_anomalous.images.push_back(s->source_index[normal[normal.size() - 1 - i]]);
        }
        const fs::path png = ctx.out / fmt::format("figure2_{}_{}_class{}.png", d.id, label, k);
        write_image_grid(png, raw.test, {most_normal, most_anomalous}, 4, 8, grid_zoom(raw.test));
        ctx.written.push_back(png);
      }
    }
  }
}

// t-SNE of the test representations a run kept (methods with one), normal
// and anomalous samples in two colours: up to 250 of each, evenly spaced.
void tsne_figures(Context& ctx, const DatasetEntry& d) {
  const RecordStore store(ctx.exp.results_dir);
  for (const auto& c : ctx.cells) {
    if (c.dataset->id != d.id || c.seed != ctx.seed || !ctx.record(c)) continue;
    const auto kept = ctx.sample(store.representations_path(c), "t-SNE");
    if (!kept) continue;
    const RepresentationSample& rep = *kept;
    std::vector<std::int64_t> normal, anomalous, picked;
    for (std::size_t i = 0; i < rep.anomaly.size(); ++i) (rep.anomaly[i] ? anomalous : normal).push_back(static_cast<std::int64_t>(i));
    for (const auto* group : {&normal, &anomalous}) {
      const std::size_t n = group->size(), k = std::min<std::size_t>(250, n);
      for (std::size_t j = 0; j < k; ++j) picked.push_back((*group)[j * n / k]);
    }
    if (picked.size() < 10) continue;
    const auto y = tsne(rep.rows.select(picked), TsneOptions{});
    LinePlot p;
    p.title = fmt::format("{} class {}: t-SNE of {}'s representation, seed {}", d.title, c.normal_class,
                          c.method->label, ctx.seed);
    p.xlabel = "t-SNE 1";
    p.ylabel = "t-SNE 2";
    Series sn{"normal (test)", {}, {}, "points pt 7 ps 0.5 lc rgb '#1f77b4'"}, sa{"anomalous (test)", {}, {}, "points pt 7 ps 0.5 lc rgb '#d62728'"};
    for (std::size_t i = 0; i < picked.size(); ++i) {
      Series& s = rep.anomaly[static_cast<std::size_t>(picked[i])] ? sa : sn;
      s.x.push_back(y[2 * i]);
      s.y.push_back(y[2 * i + 1]);
    }
    p.series = {sn, sa};
    const fs::path stem = ctx.out / fmt::format("tsne_{}_{}_class{}", d.id, c.method->label, c.normal_class);
    draw(stem, p, 640, 560);
    ctx.wrote(stem);
  }
}

// Grad-CAM: the 16 most anomalous test images of each (class, label) whose run
// kept heatmaps, each above its heatmap (normalised to its own maximum, a
// blue-to-red scale) laid over a grey copy of it.
void gradcam_figures(Context& ctx, const DatasetEntry& d, const datasets::RawDataset& raw) {
  const RecordStore store(ctx.exp.results_dir);
  const datasets::ImageSet& set = raw.test;
  const int h = static_cast<int>(set.shape.h), w = static_cast<int>(set.shape.w), ch = static_cast<int>(set.shape.c);
  for (const auto& c : ctx.cells) {
    if (c.dataset->id != d.id || c.seed != ctx.seed || !ctx.record(c)) continue;
    const auto kept = ctx.sample(store.explanations_path(c), "Grad-CAM");
    if (!kept) continue;
    const RepresentationSample& maps = *kept;
    const auto s = ctx.scores(c);
    if (!s || maps.rows.features() != static_cast<std::int64_t>(h) * w) continue;
    constexpr int cols = 8, zoom = 3, pad = 2;
    const int n = static_cast<int>(maps.positions.size()), pairs = (n + cols - 1) / cols;
    const int cw = w * zoom + pad, chh = h * zoom + pad, width = cols * cw + pad, height = 2 * pairs * chh + pad;
    std::vector<std::uint8_t> rgb(static_cast<std::size_t>(width) * height * 3, 255);
    for (int k = 0; k < n; ++k) {
      const auto pos = static_cast<std::size_t>(maps.positions[static_cast<std::size_t>(k)]);
      if (pos >= s->source_index.size()) continue;
      const std::uint8_t* img = set.pixels.data() + s->source_index[pos] * set.shape.features();
      const auto cam = maps.rows.row(k);
      float peak = 0.0f;
      for (float v : cam) peak = std::max(peak, v);
      const int gx = pad + k % cols * cw, gy = pad + (k / cols) * 2 * chh;
      for (int y = 0; y < h * zoom; ++y)
        for (int x = 0; x < w * zoom; ++x) {
          const int sy = y / zoom, sx = x / zoom;
          std::uint8_t px[3];
          for (int b = 0; b < 3; ++b) px[b] = img[(ch > b ? b * h * w : 0) + sy * w + sx];
          const double grey = (px[0] + px[1] + px[2]) / 3.0;
          const double t = peak > 0.0f ? cam[static_cast<std::size_t>(sy * w + sx)] / peak : 0.0;
          // Blue (0) -> cyan -> yellow -> red (1).
          const double r = std::clamp(1.5 - std::abs(4.0 * t - 3.0), 0.0, 1.0), g = std::clamp(1.5 - std::abs(4.0 * t - 2.0), 0.0, 1.0),
                       b = std::clamp(1.5 - std::abs(4.0 * t - 1.0), 0.0, 1.0);
          std::uint8_t* top = rgb.data() + (static_cast<std::size_t>(gy + y) * width + gx + x) * 3;
          std::uint8_t* bottom = rgb.data() + (static_cast<std::size_t>(gy + chh + y) * width + gx + x) * 3;
          for (int q = 0; q < 3; ++q) top[q] = px[q];
          bottom[0] = static_cast<std::uint8_t>(0.45 * grey + 0.55 * 255 * r);
          bottom[1] = static_cast<std::uint8_t>(0.45 * grey + 0.55 * 255 * g);
          bottom[2] = static_cast<std::uint8_t>(0.45 * grey + 0.55 * 255 * b);
        }
    }
    const fs::path png = ctx.out / fmt::format("gradcam_{}_{}_class{}.png", d.id, c.method->label, c.normal_class);
    fs::create_directories(ctx.out);
    write_png_rgb(png, width, height, rgb);
    ctx.written.push_back(png);
  }
}

void cd_figure(Context& ctx, const ResultTable& table, const DatasetEntry& d) {
  const auto rs = rank_summary(table, d.id);
  if (rs.rows < 2 || rs.labels.size() < 2) return;
  CdInput in{rs.labels, rs.ranks, rs.cd,
             fmt::format("{}: average rank over {} classes (1 = best), Nemenyi CD at alpha 0.05", d.title, rs.rows)};
  const fs::path svg = ctx.out / fmt::format("cd_{}.svg", d.id);
  fs::create_directories(ctx.out);
  core::write_file_atomic(svg, cd_diagram_svg(in));
  ctx.written.push_back(svg);
}

}  // namespace

RankSummary rank_summary(const ResultTable& table, const std::string& dataset) {
  RankSummary rs;
  std::vector<int> classes;
  for (const auto& r : table.rows) {
    if (r.dataset != dataset) continue;
    if (std::find(rs.labels.begin(), rs.labels.end(), r.label) == rs.labels.end()) rs.labels.push_back(r.label);
    if (std::find(classes.begin(), classes.end(), r.normal_class) == classes.end()) classes.push_back(r.normal_class);
  }
  std::vector<std::vector<double>> rows;
  for (int k : classes) {
    std::vector<double> row;
    for (const auto& l : rs.labels) {
      const auto* s = table.find(dataset, k, l);
      if (!s || s->aucs.empty()) break;
      row.push_back(s->mean());
    }
    if (row.size() == rs.labels.size()) rows.push_back(row);
  }
  // With one label there is nothing to rank: no row is used.
  rs.rows = rs.labels.size() < 2 ? 0 : static_cast<int>(rows.size());
  if (rs.rows == 0) return rs;
  rs.ranks = average_ranks(rows);
  rs.cd = nemenyi_cd(static_cast<int>(rs.labels.size()), rs.rows);
  return rs;
}

std::vector<fs::path> make_figures(const ResultTable& table, const FigureOptions& o) {
  const Experiment& exp = *table.exp;
  Context ctx{exp, table.records, table.cells, o.seed.value_or(exp.seeds.front()),
              o.out_dir.empty() ? exp.view_dir() / "plots" : o.out_dir, {}};
  for (const auto& d : exp.datasets) {
    roc_figures(ctx, d);
    auc_bar_figure(ctx, table, d);
    training_figures(ctx, d);
    cd_figure(ctx, table, d);
    tsne_figures(ctx, d);
    std::vector<std::string> image_labels = o.image_labels;
    if (image_labels.empty())
      for (const auto& m : exp.methods)
        if (m.label == "deep_svdd_one_class") image_labels.push_back(m.label);
    // Grad-CAM needs the images too: any heatmaps kept for this seed?
    const RecordStore store(exp.results_dir);
    const bool heatmaps = std::any_of(ctx.cells.begin(), ctx.cells.end(), [&](const Cell& c) {
      return c.dataset->id == d.id && c.seed == ctx.seed && fs::exists(store.explanations_path(c));
    });
    if (!image_labels.empty() || heatmaps) {
      // Without the images (another machine, a set made elsewhere) the other
      // figures still come out; the image grids are left out, with the reason.
      std::optional<datasets::RawDataset> raw;
      try {
        raw = datasets::load_dataset(datasets::dataset_info(d.kind), datasets::DataLocator::from_environment(o.data_dir), {false},
                                     d.options);
      } catch (const core::DataError& e) {
        // Grids drawn earlier from these records (when the images were at
        // hand) are kept and shown; none is drawn anew.
        std::vector<fs::path> kept;
        std::error_code ec;
        for (const auto& f : fs::directory_iterator(ctx.out, ec)) {
          const std::string name = f.path().filename().string();
          for (const char* kind : {"figure2_", "figure4_", "gradcam_"})
            if (name.rfind(kind + d.id + "_", 0) == 0 && f.path().extension() == ".png") kept.push_back(f.path());
        }
        std::sort(kept.begin(), kept.end());
        ctx.written.insert(ctx.written.end(), kept.begin(), kept.end());
        std::cerr << "warning: image grids of " << d.id << " not drawn (" << e.what() << "); " << kept.size()
                  << " drawn earlier are kept\n";
      }
      if (raw && d.test_normals_from_train > 0) {
        // Test images moved in from training are indexed after the test
        // split (samples.hpp): the grids read them from one set.
        auto& t = raw->test;
        t.pixels.insert(t.pixels.end(), raw->train.pixels.begin(), raw->train.pixels.end());
        t.labels.insert(t.labels.end(), raw->train.labels.begin(), raw->train.labels.end());
        t.shape.n += raw->train.shape.n;
      }
      if (raw) {
        image_figures(ctx, d, image_labels, *raw);
        if (heatmaps) gradcam_figures(ctx, d, *raw);
      }
    }
  }
  if (const auto v = perturbation_view(table)) {
    ctx.wrote(perturbation_figure(*v, ctx.out, fmt::format("{}: AUC against the adversarial perturbation (dashed: the paper)", exp.name)));
  }
  return ctx.written;
}

}  // namespace ocb::harness
