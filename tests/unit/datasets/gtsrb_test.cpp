// GTSRB on the real archives: counts, the ROI crop (plain and the Theano code's
// transposed quirk), bilinear resizing, PPM and CSV errors, and the
// adversarial artefact's round trip and checksum check.
#include <catch2/catch.hpp>

#include "datasets/gtsrb/adversarial_file.hpp"
#include "datasets/gtsrb/gtsrb.hpp"
#include "harness/core/error.hpp"
#include "tests/support.hpp"

namespace g = ocb::datasets::gtsrb;

namespace {
std::span<const std::uint8_t> bytes(const std::string& s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }
}  // namespace

TEST_CASE("the stop-sign archive holds 780 training and 270 test stop signs", "[datasets][data]") {
  const auto s = g::load_stop_signs(ocb::datasets::DataLocator({ocb::test::data_root()}), false, nullptr);
  CHECK(s.train.shape == ocb::core::Shape{780, 3, 32, 32});
  CHECK(s.test.shape == ocb::core::Shape{270, 3, 32, 32});
  CHECK(s.test_files.size() == 270);
  CHECK(std::all_of(s.train.labels.begin(), s.train.labels.end(), [](int l) { return l == g::kStopSign; }));
  // The transposed crop of the reference code changes pixels, not counts.
  const auto t = g::load_stop_signs(ocb::datasets::DataLocator({ocb::test::data_root()}), true, nullptr);
  CHECK(t.train.shape == s.train.shape);
  CHECK(t.train.pixels != s.train.pixels);
}

TEST_CASE("crop_resize crops the ROI (x2, y2 exclusive) and resizes bilinearly", "[datasets]") {
  // A 6x4 image: red = column index * 10, green = row index * 10, blue = 7.
  g::RgbImage img{6, 4, {}};
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 6; ++x) img.pixels.insert(img.pixels.end(), {std::uint8_t(x * 10), std::uint8_t(y * 10), 7});
  // ROI columns 1..4 (x1 = 1, x2 = 5), rows 1..2: to 2x2 = a 2:1 downscale in x, 1:1 in y.
  const auto out = g::crop_resize(img, {"", 6, 4, 1, 1, 5, 3, 14}, 2, false);
  // x: centres at src 0.5 and 2.5 of the 4-wide crop -> columns 1.5 and 3.5 -> red 15 and 35 (rounded: 15, 35).
  CHECK(out[0] == 15);
  CHECK(out[1] == 35);
  // y: 2 rows to 2 rows -> rows 1 and 2 -> green 10 and 20.
  CHECK(out[4 + 0] == 10);
  CHECK(out[4 + 2] == 20);
  CHECK(out[8] == 7);
  // Transposed: rows from the X coordinates [1, 5) clamped to the 4 rows.
  const auto tr = g::crop_resize(img, {"", 6, 4, 1, 1, 5, 3, 14}, 2, true);
  CHECK(tr != out);
}

TEST_CASE("malformed PPM and annotation files are named in the error", "[datasets]") {
  CHECK_THROWS_WITH(g::parse_ppm(bytes("P5\n2 2\n255\nxxxx"), "a.ppm"), Catch::Contains("a.ppm") && Catch::Contains("P6"));
  CHECK_THROWS_WITH(g::parse_ppm(bytes("P6\n2 2\n255\nxx"), "b.ppm"), Catch::Contains("b.ppm") && Catch::Contains("truncated"));
  CHECK_THROWS_WITH(g::parse_annotations(bytes("Filename;Width\nx.ppm;12;bad;1;1;5;5\n"), "GT.csv"),
                    Catch::Contains("GT.csv:2") && Catch::Contains("malformed"));
  const auto rows = g::parse_annotations(bytes("h\r\n00001.ppm;40;41;5;6;35;36;14\r\n"), "GT.csv");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].x2 == 35);
  CHECK(rows[0].class_id == 14);
}

TEST_CASE("adversarial artefacts round-trip and are checked against the expected sha256", "[datasets]") {
  ocb::test::TempDir tmp;
  ocb::datasets::ImageSet images;
  images.shape = {2, 3, 32, 32};
  images.pixels.assign(2 * 3072, 9);
  images.pixels[3072] = 200;
  const auto sha = g::write_adversarial_set(tmp / "gtsrb_adversarial", "unit", images, {"00001.ppm", "00002.ppm"});
  const ocb::datasets::DataLocator loc({tmp.path()});
  const auto back = g::read_adversarial_set(loc, "unit", sha);
  CHECK(back.images.pixels == images.pixels);
  CHECK(back.source_files == std::vector<std::string>{"00001.ppm", "00002.ppm"});
  CHECK_THROWS_WITH(g::read_adversarial_set(loc, "unit", std::string(64, '0')), Catch::Contains("the experiment expects"));
  CHECK_THROWS_WITH(g::read_adversarial_set(loc, "missing", ""), Catch::Contains("make-adversarial"));
}

TEST_CASE("an adversarial set's name holds every setting the command takes", "[datasets]") {
  ocb::core::adversarial::Options o;
  CHECK(g::adversarial_set_name(o, 0) == "boundary_seed1_n20_e20_it1000");
  o.seed = 7;
  o.count = 5;
  o.classifier_epochs = 3;
  o.boundary_iterations = 4000;
  o.stop_norm = "l2";
  o.stop_budgets = {8.0, 2.5};
  CHECK(g::adversarial_set_name(o, 0) == "boundary_seed7_n5_e3_l2_8_it4000");
  CHECK(g::adversarial_set_name(o, 1) == "boundary_seed7_n5_e3_l2_2.5_it4000");
  o.stop_norm = "linf";
  CHECK(g::adversarial_set_name(o, 1) == "boundary_seed7_n5_e3_linf_2.5_it4000");
  // Two budgets never share a name; PGD has no iterations or budgets to name.
  CHECK(g::adversarial_set_name(o, 0) != g::adversarial_set_name(o, 1));
  o.attack = "pgd";
  o.stop_budgets.clear();
  CHECK(g::adversarial_set_name(o, 0) == "pgd_seed7_n5_e3");
}
