// The statistics behind `ocbench report` (Wilcoxon signed-rank, average ranks,
// Nemenyi critical difference) against hand-counted and published values, and
// the PNG image grids behind Figures 2 and 4, read back pixel by pixel.
#include <png.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>

#include "harness/core/error.hpp"
#include "harness/report/cd_diagram.hpp"
#include "harness/report/html.hpp"
#include "harness/report/image_grid.hpp"
#include "harness/report/perturbation.hpp"
#include "harness/report/results.hpp"
#include "harness/report/stats.hpp"
#include "harness/report/status_page.hpp"
#include "harness/report/table.hpp"
#include "harness/report/tsne.hpp"
#include "tests/support.hpp"

using namespace ocb::harness;

namespace {

// An experiment file written into a fresh folder from `toml` and loaded, and
// an empty table of it: rows, paper values and records are the test's.
struct TableFixture {
  ocb::test::TempDir dir;
  fs::path file = dir / "exp.toml";
  Experiment exp;
  ResultTable t;
  explicit TableFixture(const std::string& toml) : exp((ocb::test::write_text(file, toml), load_experiment(file))) {
    t.exp = &exp;
  }
};

}  // namespace

TEST_CASE("Wilcoxon signed-rank: exact p-values counted by hand", "[harness][report]") {
  // Differences 1..10: all positive. Only the empty subset has rank sum 0, so
  // the one-sided p is 1/2^10 and the two-sided one twice that.
  std::vector<double> a(10), b(10, 0.0);
  std::iota(a.begin(), a.end(), 1.0);
  auto r = wilcoxon_signed_rank(a, b);
  CHECK(r.exact);
  CHECK(r.n == 10);
  CHECK(r.w_plus == 55.0);
  CHECK(r.w_minus == 0.0);
  CHECK(r.p_value == Approx(2.0 / 1024));

  // Flip the smallest difference: W- = 1; rank sums 0 and 1 each come from one
  // subset, so p = 2 * 2 / 2^10. Swapping the arguments swaps W+ and W-.
  a[0] = -1.0;
  r = wilcoxon_signed_rank(a, b);
  CHECK(r.w_plus == 54.0);
  CHECK(r.w_minus == 1.0);
  CHECK(r.p_value == Approx(4.0 / 1024));
  const auto swapped = wilcoxon_signed_rank(b, a);
  CHECK(swapped.w_plus == 1.0);
  CHECK(swapped.p_value == Approx(r.p_value));

  // Zero differences are dropped, not counted as pairs.
  a.push_back(7.0);
  b.push_back(7.0);
  CHECK(wilcoxon_signed_rank(a, b).n == 10);
  CHECK(wilcoxon_signed_rank(b, b).p_value == 1.0);
}

TEST_CASE("Wilcoxon signed-rank: normal approximation with tied magnitudes", "[harness][report]") {
  // Tied |differences| force the normal approximation with the tie-corrected
  // variance and no continuity correction; the reference value is SciPy 1.10's
  // wilcoxon(a, b, correction=False, method="approx") (statistic 1.5).
  const std::vector<double> a{3, 5, 5, 8, 9, 12, 2, 7, 6, 10, 4, 11};
  const std::vector<double> b{1, 4, 2, 8, 5, 9, 3, 4, 3, 6, 1, 6};
  const auto r = wilcoxon_signed_rank(a, b);
  CHECK_FALSE(r.exact);
  CHECK(r.n == 11);
  CHECK(r.w_minus == 1.5);
  CHECK(r.w_plus == 64.5);
  CHECK(r.p_value == Approx(0.004631003912662297).epsilon(1e-9));
}

TEST_CASE("average ranks: 1 is best, ties share their mean rank", "[harness][report]") {
  const auto ranks = average_ranks({{0.9, 0.8, 0.8}, {0.5, 0.7, 0.6}});
  REQUIRE(ranks.size() == 3);
  CHECK(ranks[0] == Approx(2.0));   // ranks 1 and 3
  CHECK(ranks[1] == Approx(1.75));  // 2.5 and 1
  CHECK(ranks[2] == Approx(2.25));  // 2.5 and 2
}

TEST_CASE("Nemenyi critical difference matches Demsar (2006)", "[harness][report]") {
  // Demšar's worked example: four classifiers on 14 data sets, CD = 1.25.
  CHECK(nemenyi_cd(4, 14) == Approx(1.25).margin(0.005));
  // Two methods: q = 1.960, CD = 1.960 * sqrt(2 * 3 / (6 n)).
  CHECK(nemenyi_cd(2, 9) == Approx(1.960 / 3.0));
  CHECK_THROWS(nemenyi_cd(1, 10));
  CHECK_THROWS(nemenyi_cd(21, 10));
}

namespace {

struct Png {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;
  const std::uint8_t* at(int x, int y) const { return rgb.data() + (static_cast<std::size_t>(y) * width + x) * 3; }
};

Png read_png(const std::filesystem::path& path) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  REQUIRE(png_image_begin_read_from_file(&image, path.c_str()) != 0);
  image.format = PNG_FORMAT_RGB;
  Png out;
  out.width = static_cast<int>(image.width);
  out.height = static_cast<int>(image.height);
  out.rgb.resize(PNG_IMAGE_SIZE(image));
  REQUIRE(png_image_finish_read(&image, nullptr, out.rgb.data(), 0, nullptr) != 0);
  return out;
}

}  // namespace

TEST_CASE("image grids: panels side by side, images zoomed, marked ones framed in red", "[harness][report]") {
  ocb::test::TempDir dir;
  // Two 2x2 RGB images: the first all (10, 20, 30), the second all (200, 150, 100).
  ocb::datasets::ImageSet set;
  set.shape = {2, 3, 2, 2};  // n, c, h, w
  for (std::uint8_t v : {10, 20, 30}) set.pixels.insert(set.pixels.end(), 4, v);
  for (std::uint8_t v : {200, 150, 100}) set.pixels.insert(set.pixels.end(), 4, v);
  set.labels = {0, 1};

  const int zoom = 4, pad = 2, gap = 16;
  ImagePanel left{{0, 1}, {}};
  ImagePanel right{{1}, {true}};
  const auto path = dir / "grid.png";
  write_image_grid(path, set, {left, right}, 1, 2, zoom);
  const Png png = read_png(path);

  const int cell = 2 * zoom + pad, panel_w = 2 * cell + pad;
  CHECK(png.width == 2 * panel_w + gap);
  CHECK(png.height == cell + pad);
  auto rgb_is = [&](int x, int y, int r, int g, int b) {
    const auto* p = png.at(x, y);
    return p[0] == r && p[1] == g && p[2] == b;
  };
  // Left panel: image 0 then image 1, unframed (their centres and corners).
  CHECK(rgb_is(pad + 3, pad + 3, 10, 20, 30));
  CHECK(rgb_is(pad, pad, 10, 20, 30));
  CHECK(rgb_is(pad + cell + 3, pad + 3, 200, 150, 100));
  CHECK(rgb_is(pad + cell, pad, 200, 150, 100));
  // Right panel: image 1 with a red frame at its edge, its centre untouched,
  // and white where no image was given.
  const int x0 = panel_w + gap + pad;
  CHECK(rgb_is(x0, pad, 230, 20, 20));
  CHECK(rgb_is(x0 + 2 * zoom - 1, pad + 2 * zoom - 1, 230, 20, 20));
  CHECK(rgb_is(x0 + 4, pad + 4, 200, 150, 100));
  CHECK(rgb_is(x0 + cell + 3, pad + 3, 255, 255, 255));
}

TEST_CASE("the paper's tables: per-class rows, mean rows, a std left empty, malformed rows named", "[harness][report]") {
  ocb::test::TempDir dir;
  const auto csv = dir / "paper.csv";
  ocb::test::write_text(csv,
                        "dataset,normal_class,class_name,method,auc_mean,auc_std\r\n"
                        "mnist,3,,kde,86.2,0.0\r\n"
                        "mnist,mean,,dasvdd,97.7,\n");
  PaperTable paper;
  load_paper_table(csv, paper);
  REQUIRE(paper.size() == 2);
  const auto kde = paper.at({"mnist", 3, "kde"});
  CHECK(kde.mean == 86.2);
  const auto dasvdd = paper.at({"mnist", kMeanRow, "dasvdd"});
  CHECK(dasvdd.mean == 97.7);
  CHECK(dasvdd.std == 0.0);

  ocb::test::write_text(csv, "dataset,normal_class,class_name,method,auc_mean,auc_std\nmnist,3,,kde,high,1\n");
  try {
    load_paper_table(csv, paper);
    FAIL("a malformed row was accepted");
  } catch (const ocb::core::DataError& e) {
    CHECK_THAT(e.what(), Catch::Contains("paper.csv:2") && Catch::Contains("malformed row"));
  }
}

TEST_CASE("a mean published over all classes gets a difference only from a mean over all classes", "[harness][report]") {
  TableFixture fx("name = \"means\"\n[datasets.mnist]\nclasses = [0, 1]\n[methods.dasvdd]\n");
  auto& [dir, file, exp, t] = fx;
  t.paper[{"mnist", kMeanRow, "dasvdd"}] = PaperValue{97.7, 0.0};
  CellSummary c0, c1;
  c0.dataset = c1.dataset = "mnist";
  c0.label = c1.label = "dasvdd";
  c0.normal_class = 0;
  c1.normal_class = 1;
  c0.expected = c1.expected = 1;
  c0.aucs = {96.0};
  t.rows = {c0, c1};
  // Class 1 has no record yet: the paper's mean is shown, not set against ours.
  const auto partial = render_markdown(t);
  CHECK_THAT(partial, Catch::Contains("**96.00** [97.7] (1 of 2 classes)"));
  CHECK_THAT(partial, !Catch::Contains("-1.70"));
  t.rows[1].aucs = {99.0};
  CHECK_THAT(render_markdown(t), Catch::Contains("**97.50** [97.7, -0.20]"));
}

namespace {
// One kde cell of MNIST class k with one seed's AUC and, if given, the paper's value.
CellSummary kde_cell(int k, double auc, std::optional<PaperValue> paper) {
  CellSummary c;
  c.dataset = "mnist";
  c.label = "kde";
  c.expected = 1;
  c.normal_class = k;
  c.aucs = {auc};
  c.paper = paper;
  return c;
}
}  // namespace

TEST_CASE("a cell is within the paper's band at max(2 paper sigma, 2 points), counted per column", "[harness][report]") {
  TableFixture fx("name = \"band\"\n[datasets.mnist]\nclasses = [0, 1, 2]\n[methods.kde]\n");
  auto& [dir, file, exp, t] = fx;
  // Class 0: sigma 0.5, so the band is 2 points; 97.9 is 2.1 away.
  const CellSummary c = kde_cell(0, 97.9, PaperValue{100.0, 0.5});
  // Class 1: sigma 3, band 6 points; 5.5 away is inside.
  const CellSummary c1 = kde_cell(1, 84.5, PaperValue{90.0, 3.0});
  // Class 2: no paper value, so it is not counted either way.
  const CellSummary c2 = kde_cell(2, 97.9, std::nullopt);
  CHECK(c.matches_paper() == false);
  CHECK(c1.matches_paper() == true);
  CHECK_FALSE(c2.matches_paper().has_value());
  CellSummary exact = c;
  exact.aucs = {98.0};
  CHECK(exact.matches_paper() == true);  // the band's edge is inside
  t.rows = {c, c1, c2};
  CHECK_THAT(render_markdown(t), Catch::Contains("| within the paper's band | 1/2 |"));
  const auto csv = render_csv(t);
  CHECK_THAT(csv, Catch::Contains("mnist,0,kde,1,97.9000,0.0000,100.0,0.5,0,"));
  CHECK_THAT(csv, Catch::Contains("mnist,1,kde,1,84.5000,0.0000,90.0,3.0,1,"));
  CHECK_THAT(csv, Catch::Contains("mnist,2,kde,1,97.9000,0.0000,,,,"));
}

TEST_CASE("status.md: cells per experiment and band counts per column, from the site entries", "[harness][report]") {
  TableFixture fx("name = \"bands\"\n[datasets.mnist]\nclasses = [0, 1, 2]\n[methods.kde]\n[methods.ocsvm]\n");
  auto& [dir, file, exp, t] = fx;
  // kde: class 0 outside (2.1 from the paper, band 2), class 1 inside, class
  // 2 without a paper value; ocsvm: no paper value anywhere, so no count.
  CellSummary ocsvm = kde_cell(0, 90.0, std::nullopt);
  ocsvm.label = "ocsvm";
  t.rows = {kde_cell(0, 97.9, PaperValue{100.0, 0.5}), ocsvm, kde_cell(1, 84.5, PaperValue{90.0, 3.0}),
            kde_cell(2, 97.9, std::nullopt)};
  SiteEntry e = site_entry(t, dir / "r" / "index.html");
  REQUIRE(e.bands.size() == 1);
  CHECK(e.bands[0].label == "kde");
  CHECK(e.bands[0].count.within == 1);
  CHECK(e.bands[0].count.with_paper == 2);
  e.ok = 5;
  e.missing = 1;
  SiteEntry broken;
  broken.name = "broken";
  broken.experiment_file = "experiments/broken.toml";
  broken.error = "no page: bad | key";
  const std::string md = render_status_markdown({e, broken}, "2026-11-30T00:00:00Z");
  CHECK_THAT(md, Catch::Contains("on 2026-11-30T00:00:00Z"));
  CHECK_THAT(md, Catch::Contains("| bands | `" + file.generic_string() + "` | 5 | 0 | 1 |"));
  CHECK_THAT(md, Catch::Contains("| bands | mnist | kde 1/2 | 1/2 |"));
  // The '|' of the error does not end its cell.
  CHECK_THAT(md, Catch::Contains("| broken | `experiments/broken.toml` | | | | no page: bad \\| key | |"));
  CHECK_THAT(md, !Catch::Contains("ocsvm 0/"));
}

TEST_CASE("CD diagram: maximal cliques within one critical difference, joined by one bar each", "[harness][report]") {
  // 1.0-1.5 and 1.5-2.2 are within 1.0; 1.0-2.2 is not; 3.9 stands alone.
  CHECK(cd_cliques({1.0, 1.5, 2.2, 3.9}, 1.0) == std::vector<std::pair<std::size_t, std::size_t>>{{0, 1}, {1, 2}});
  // One clique holding all: one bar, not one per method.
  CHECK(cd_cliques({1.0, 1.2, 1.4, 1.6}, 1.0) == std::vector<std::pair<std::size_t, std::size_t>>{{0, 3}});
  // Nothing within the difference: no bar.
  CHECK(cd_cliques({1.0, 2.5, 4.0}, 1.0).empty());
  // A difference exactly equal to the CD is significant (Nemenyi: >= CD).
  CHECK(cd_cliques({1.0, 2.0}, 1.0).empty());

  CdInput in{{"a_method_with_a_rather_long_name", "b", "c", "d<e"}, {3.5, 1.0, 2.0, 3.5}, 1.2, "title & more"};
  const std::string svg = cd_diagram_svg(in);
  CHECK_THAT(svg, Catch::StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK_THAT(svg, Catch::Contains("d&lt;e (3.50)") && Catch::Contains("title &amp; more") && Catch::Contains("CD = 1.20"));
  // b (1.00) and c (2.00) are on the left; the two 3.5s on the right.
  CHECK_THAT(svg, Catch::Contains("text-anchor=\"end\" dominant-baseline=\"middle\">b (1.00)"));
  CHECK_THAT(svg, Catch::Contains("text-anchor=\"start\" dominant-baseline=\"middle\">a_method_with_a_rather_long_name (3.50)"));
  // The picture is wide enough for its longest label on its side.
  const double width = std::stod(svg.substr(svg.find("width=\"") + 7));
  CHECK(width > text_width_estimate("a_method_with_a_rather_long_name (3.50)", 13) + 520);
  std::size_t bars = 0;
  for (std::size_t at = svg.find("class=\"clique\""); at != std::string::npos; at = svg.find("class=\"clique\"", at + 1)) ++bars;
  CHECK(bars == 2);  // {b, c} (1.0 apart) and {c, a, d} (1.5 apart)
}

TEST_CASE("base64 for data: URIs, RFC 4648 test vectors", "[harness][report]") {
  CHECK(base64("") == "");
  CHECK(base64("f") == "Zg==");
  CHECK(base64("fo") == "Zm8=");
  CHECK(base64("foo") == "Zm9v");
  CHECK(base64("foob") == "Zm9vYg==");
  CHECK(base64("fooba") == "Zm9vYmE=");
  CHECK(base64("foobar") == "Zm9vYmFy");
  CHECK(base64(std::string("\xff\x00\xfe", 3)) == "/wD+");
}

TEST_CASE("the HTML page: self-contained, one cell per result with its band, seeds embedded", "[harness][report]") {
  TableFixture fx("name = \"page\"\ndescription = \"a <test> page\"\n[datasets.mnist]\nclasses = [0, 1]\n[methods.kde]\n");
  fx.exp.results_dir = fx.dir / "r";
  auto& [dir, file, exp, t] = fx;
  t.rows = {kde_cell(0, 97.9, PaperValue{100.0, 0.5}), kde_cell(1, 99.0, PaperValue{100.0, 0.5})};
  const fs::path fig = dir / "roc_mnist_class0.png", grid = dir / "figure2_mnist_kde_class0.png";
  ocb::test::write_text(fig, "not really a png");
  ocb::test::write_text(grid, "a grid");
  const std::string html = render_html_page(t, {fig, grid});
  // Image grids have a page of their own, linked from the experiment's page.
  CHECK_THAT(html, Catch::Contains("href=\"images.html\"") && !Catch::Contains("data-figure=\"figure2_mnist_kde_class0\""));
  const std::string images = render_images_page(t, {"images.html", "", {fig, grid}, 1, {}});
  CHECK_THAT(images, Catch::Contains("data-figure=\"figure2_mnist_kde_class0\"") && Catch::Contains("href=\"index.html\""));
  CHECK_THAT(images, !Catch::Contains("roc_mnist_class0"));
  CHECK(render_images_page(t, {"images.html", "", {fig}, 1, {}}).empty());
  CHECK_THAT(html, Catch::Contains("a &lt;test&gt; page"));
  CHECK_THAT(html, Catch::Contains("class=\"cell miss\" data-key=\"mnist|0|kde\" data-n=\"1\" data-auc=\"97.9000\""));
  CHECK_THAT(html, Catch::Contains("class=\"cell within\" data-key=\"mnist|1|kde\" data-n=\"1\" data-auc=\"99.0000\""));
  CHECK_THAT(html, Catch::Contains("data-within=\"1\" data-of=\"2\""));
  CHECK_THAT(html, Catch::Contains("src=\"data:image/png;base64,bm90IHJlYWxseSBhIHBuZw==\""));
  // Nothing is loaded from outside the file.
  CHECK_THAT(html, !Catch::Contains("src=\"http") && !Catch::Contains("href=\"http") && !Catch::Contains("@import"));
  CHECK_THAT(html, !Catch::Contains("<link"));
}

TEST_CASE("t-SNE: the same seed gives the same picture, and two far clusters stay apart", "[harness][report]") {
  // Two clusters of 40 points in 10 dimensions, 20 units apart, spread ~1.
  std::vector<float> data;
  std::uint64_t state = 7;
  auto noise = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<float>((state >> 40) % 1000) / 1000.0f - 0.5f;
  };
  for (int i = 0; i < 80; ++i)
    for (int k = 0; k < 10; ++k) data.push_back((i < 40 ? 0.0f : 20.0f) + 2.0f * noise());
  const ocb::core::Samples rows(ocb::core::Shape{80, 10, 1, 1}, data);
  TsneOptions o;
  o.iterations = 400;
  const auto a = tsne(rows, o), b = tsne(rows, o);
  CHECK(a == b);  // bit for bit
  o.seed = 2;
  CHECK(tsne(rows, o) != a);
  // Every point's nearest neighbour in the picture is from its own cluster, and
  // the clusters' centres are further apart than either cluster's spread.
  auto dist = [&](std::size_t i, std::size_t j) { return std::hypot(a[2 * i] - a[2 * j], a[2 * i + 1] - a[2 * j + 1]); };
  int same = 0;
  for (std::size_t i = 0; i < 80; ++i) {
    std::size_t best = i == 0 ? 1 : 0;
    for (std::size_t j = 0; j < 80; ++j)
      if (j != i && dist(i, j) < dist(i, best)) best = j;
    same += (i < 40) == (best < 40);
  }
  CHECK(same == 80);
  double c0x = 0, c0y = 0, c1x = 0, c1y = 0;
  for (std::size_t i = 0; i < 40; ++i) {
    c0x += a[2 * i] / 40;
    c0y += a[2 * i + 1] / 40;
    c1x += a[2 * (i + 40)] / 40;
    c1y += a[2 * (i + 40) + 1] / 40;
  }
  double spread = 0;
  for (std::size_t i = 0; i < 40; ++i) spread = std::max(spread, std::hypot(a[2 * i] - c0x, a[2 * i + 1] - c0y));
  CHECK(std::hypot(c0x - c1x, c0y - c1y) > spread);
  CHECK_THROWS(tsne(ocb::core::Samples(ocb::core::Shape{3, 2, 1, 1}, {1, 2, 3, 4, 5, 6})));
}

TEST_CASE("AUC against perturbation size: rows by median L2, where each method reaches the paper, order agreement", "[harness][report]") {
  TableFixture fx(R"(name = "perturb"
[datasets.big]
dataset = "gtsrb_adversarial"
adversarial = "b"
[datasets.small]
dataset = "gtsrb_adversarial"
adversarial = "s"
[datasets.middle]
dataset = "gtsrb_adversarial"
adversarial = "m"
[methods.ocsvm]
[methods.kde]
[methods.dcae]
)");
  auto& [dir, file, exp, t] = fx;
  t.paper[{"gtsrb_adversarial", 14, "ocsvm"}] = PaperValue{80.0, 1.0};
  t.paper[{"gtsrb_adversarial", 14, "kde"}] = PaperValue{70.0, 1.0};
  t.paper[{"gtsrb_adversarial", 14, "dcae"}] = PaperValue{90.0, 1.0};
  auto cell = [](const std::string& ds, const std::string& label, std::vector<double> aucs) {
    CellSummary c;
    c.dataset = ds;
    c.label = label;
    c.normal_class = 14;
    c.expected = 2;
    c.aucs = std::move(aucs);
    return c;
  };
  // ocsvm reaches 80 at the middle set; kde at the small one; dcae never.
  t.rows = {cell("small", "ocsvm", {60, 62}), cell("small", "kde", {70, 72}), cell("small", "dcae", {50, 52}),
            cell("middle", "ocsvm", {80, 82}), cell("middle", "kde", {75, 75}), cell("middle", "dcae", {85, 87}),
            cell("big", "ocsvm", {95, 95}), cell("big", "kde", {90}), cell("big", "dcae", {89, 89})};
  CHECK_FALSE(perturbation_view(t, {{"big", {8.0, 60.0}}}).has_value());  // one sized set is no curve
  const auto v = perturbation_view(t, {{"big", {8.0, 60.0}}, {"small", {1.5, 20.0}}, {"middle", {4.0, 35.0}}});
  REQUIRE(v.has_value());
  REQUIRE(v->rows.size() == 3);
  CHECK(v->rows[0].dataset == "small");
  CHECK(v->rows[1].dataset == "middle");
  CHECK(v->rows[2].dataset == "big");
  CHECK(v->normal_class == 14);
  const auto reach = reaches_paper(*v);
  CHECK(reach == std::vector<std::optional<double>>{4.0, 1.5, std::nullopt});
  // Paper order dcae > ocsvm > kde. small: kde > ocsvm > dcae (all three pairs
  // reversed, tau -1); middle: dcae > ocsvm > kde (the paper's, +1).
  CHECK(*order_agreement(*v, v->rows[0]) == Approx(-1.0));
  CHECK(*order_agreement(*v, v->rows[1]) == Approx(1.0));
  const auto md = render_perturbation_markdown(*v);
  CHECK_THAT(md, Catch::Contains("| small | 1.50 | 20 | 61.0 ± 1.0 | 71.0 ± 1.0 | 51.0 ± 1.0 | -1.00 |"));
  CHECK_THAT(md, Catch::Contains("| big | 8.00 | 60 | 95.0 ± 0.0 | 90.0 ± 0.0 (n=1) | 89.0 ± 0.0 |"));
  CHECK_THAT(md, Catch::Contains("| reaches the paper at median L2 | | | 4.00 | 1.50 | never |"));
  const auto csv = render_perturbation_csv(*v);
  CHECK_THAT(csv, Catch::Contains("middle,4,35,dcae,86.0000,1.0000,2,90,1\n"));
  const auto html = render_perturbation_html(*v);
  CHECK_THAT(html, Catch::Contains("<td>80.0 ± 1.0</td>") && Catch::Contains("<td>81.0 ± 1.0 ✓</td>"));
}

TEST_CASE("image pages are cut into parts by embedded size, in the order of the figure kinds", "[harness][report]") {
  TableFixture fx("name = \"parts\"\n[datasets.mnist]\n[methods.kde]\n");
  auto& [dir, file, exp, t] = fx;
  // 3000 bytes embed as 4000 of base64 (+ markup): two fit a 9000-byte part, three do not.
  const std::vector<fs::path> figs{dir / "figure2_mnist_kde_class0.png", dir / "tsne_mnist_kde_class0.png", dir / "tsne_mnist_kde_class1.png",
                                   dir / "figure2_mnist_kde_class1.png", dir / "tsne_mnist_kde_class1.svg", dir / "roc_mnist_class0.png"};
  for (const auto& f : figs) ocb::test::write_text(f, std::string(3000, 'x'));
  ocb::test::write_text(figs[4], std::string(5000, 'x'));  // the larger twin of a PNG: not embedded
  const auto pages = image_pages(t, figs, 9000);
  REQUIRE(pages.size() == 2);
  CHECK(pages[0].file == "images.html");
  CHECK(pages[1].file == "images-p2.html");
  // Kind order: t-SNE maps before Figure 2's grids, whatever the file order.
  CHECK(pages[0].figures == std::vector<fs::path>{figs[1], figs[2]});
  CHECK(pages[1].figures == std::vector<fs::path>{figs[0], figs[3]});
  CHECK(pages[1].part == 2);
  CHECK(pages[0].group == std::vector<std::string>{"images.html", "images-p2.html"});
  const std::string second = render_images_page(t, pages[1]);
  CHECK_THAT(second, Catch::Contains("part 2 of 2") && Catch::Contains("href=\"images.html\"") && !Catch::Contains("tsne_mnist"));
  // One part when the budget holds them all; a figure over the budget gets a part of its own.
  CHECK(image_pages(t, figs).size() == 1);
  CHECK(image_pages(t, figs, 100).size() == 4);
}

TEST_CASE("image grids: one page for one dataset, one page per dataset for several", "[harness][report]") {
  TableFixture fx("name = \"grids\"\n[datasets.l2_2]\ndataset = \"gtsrb_adversarial\"\nadversarial = \"a\"\n"
                              "[datasets.l2_25]\ndataset = \"gtsrb_adversarial\"\nadversarial = \"b\"\n[methods.kde]\n");
  auto& [dir, file, exp, t] = fx;
  const std::vector<fs::path> figs{dir / "figure4_l2_2_kde.png", dir / "gradcam_l2_25_kde_class14.png", dir / "roc_l2_2_class14.png"};
  for (const auto& f : figs) ocb::test::write_text(f, "png");
  const auto pages = image_pages(t, figs);
  REQUIRE(pages.size() == 2);
  CHECK(pages[0].file == "images-l2_2.html");
  CHECK(pages[0].figures == std::vector<fs::path>{figs[0]});  // not l2_25's, whose name begins alike
  CHECK(pages[1].file == "images-l2_25.html");
  CHECK(pages[1].figures == std::vector<fs::path>{figs[1]});
  CHECK_THAT(render_html_page(t, figs), Catch::Contains("href=\"images-l2_2.html\"") && Catch::Contains("href=\"images-l2_25.html\""));
  // Two splits of one set have one size: no curve.
  CHECK_FALSE(perturbation_view(t, {{"l2_2", {2.0, 34.0}}, {"l2_25", {2.0, 34.0}}}).has_value());
}
