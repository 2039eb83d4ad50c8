// GTSRB loading (gtsrb.hpp).
#include "datasets/gtsrb/gtsrb.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "datasets/common/tar.hpp"
#include "datasets/gtsrb/adversarial_file.hpp"
#include "harness/core/error.hpp"
#include "harness/core/hash.hpp"

namespace ocb::datasets::gtsrb {
namespace {

const FileSpec kStopArchive{"gtsrb_stop14.tar", "e31073714ffdcfb9990dfa4f4fffeff8f82e189797ff7f828819f47b55d761f5", 19896320, {}};
const FileSpec kSubsetArchive{"gtsrb_train_subset_1in10.tar", "a4a2370fd2ac497a0ebe3d13194e996c2852eea63449635ba16bd1954ad2fcfc",
                              27750400, {}};
const std::vector<std::string> kDirs{"gtsrb"};

std::vector<std::uint8_t> read_archive(const DataLocator& locator, const FileSpec& spec, std::map<std::string, std::string>* sums) {
  const auto path = locator.find(kDirs, spec.name);
  if (!path) {
    std::string roots;
    for (const auto& r : locator.roots()) roots += "\n  " + (r / "gtsrb").string() + "/";
    throw core::DataError(spec.name, "GTSRB archive not found (" + spec.name + " or " + spec.name + ".xz) in any of:" + roots +
                                         "\nGTSRB has no canonical download of these archives: see ../shared/data/MANIFEST.md");
  }
  auto bytes = read_verified(*path, spec);
  if (sums) (*sums)[spec.name] = spec.sha256;
  return bytes;
}

const std::span<const std::uint8_t>& member(const std::map<std::string, std::span<const std::uint8_t>>& m, const std::string& path,
                                            const std::string& archive) {
  auto it = m.find(path);
  if (it == m.end()) throw core::DataError(archive, "has no member " + path);
  return it->second;
}

void append(ImageSet& set, const std::vector<std::uint8_t>& image, int label) {
  set.pixels.insert(set.pixels.end(), image.begin(), image.end());
  set.labels.push_back(label);
  set.shape = {set.shape.n + 1, 3, 32, 32};
}

}  // namespace

std::vector<Annotation> parse_annotations(std::span<const std::uint8_t> csv, const std::string& name) {
  std::istringstream in(std::string(csv.begin(), csv.end()));
  std::string line;
  std::vector<Annotation> rows;
  std::getline(in, line);  // header
  int n = 1;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string s; std::getline(fields, s, ';');) f.push_back(s);
    if (f.size() < 7) throw core::DataError(fmt::format("{}:{}", name, n), "expected Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2[;ClassId]");
    Annotation a;
    a.file = f[0];
    try {
      a.width = std::stoi(f[1]);
      a.height = std::stoi(f[2]);
      a.x1 = std::stoi(f[3]);
      a.y1 = std::stoi(f[4]);
      a.x2 = std::stoi(f[5]);
      a.y2 = std::stoi(f[6]);
      if (f.size() > 7) a.class_id = std::stoi(f[7]);
    } catch (const std::exception&) {
      throw core::DataError(fmt::format("{}:{}", name, n), "malformed number in: " + line);
    }
    rows.push_back(a);
  }
  return rows;
}

RgbImage parse_ppm(std::span<const std::uint8_t> bytes, const std::string& name) {
  // P6 <w> <h> <maxval> then one whitespace byte, then raw RGB; '#' comments allowed.
  std::size_t at = 0;
  auto token = [&]() {
    while (at < bytes.size()) {
      if (bytes[at] == '#') {
        while (at < bytes.size() && bytes[at] != '\n') ++at;
      } else if (std::isspace(bytes[at])) {
        ++at;
      } else {
        break;
      }
    }
    std::string t;
    while (at < bytes.size() && !std::isspace(bytes[at])) t += static_cast<char>(bytes[at++]);
    return t;
  };
  if (token() != "P6") throw core::DataError(name, "not a binary PPM (P6)");
  RgbImage img;
  // Dimensions are positive and small (GTSRB's images are under 300 pixels a side).
  auto dimension = [&](const char* what) {
    const std::string t = token();
    if (t.empty() || t.size() > 5 || t.find_first_not_of("0123456789") != std::string::npos || std::stoi(t) < 1)
      throw core::DataError(name, fmt::format("malformed PPM header: {} must be an integer in 1..99999, got \"{}\"", what, t));
    return std::stoi(t);
  };
  img.width = dimension("width");
  img.height = dimension("height");
  if (token() != "255") throw core::DataError(name, "malformed PPM header: expected maxval 255");
  ++at;
  const std::size_t n = static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height) * 3;
  if (at > bytes.size() || n > bytes.size() - at) throw core::DataError(name, fmt::format("truncated PPM: {} pixel bytes expected", n));
  img.pixels.assign(bytes.begin() + static_cast<std::ptrdiff_t>(at), bytes.begin() + static_cast<std::ptrdiff_t>(at + n));
  return img;
}

std::vector<std::uint8_t> crop_resize(const RgbImage& image, const Annotation& roi, int size, bool transposed) {
  // Rows [r0, r1) and columns [c0, c1), clamped like numpy slicing.
  int r0 = transposed ? roi.x1 : roi.y1, r1 = transposed ? roi.x2 : roi.y2;
  int c0 = transposed ? roi.y1 : roi.x1, c1 = transposed ? roi.y2 : roi.x2;
  r0 = std::clamp(r0, 0, image.height);
  r1 = std::clamp(r1, r0, image.height);
  c0 = std::clamp(c0, 0, image.width);
  c1 = std::clamp(c1, c0, image.width);
  const int h = r1 - r0, w = c1 - c0;
  if (h < 1 || w < 1) throw core::Error(fmt::format("empty region of interest in {}", roi.file));
  std::vector<std::uint8_t> out(static_cast<std::size_t>(3) * size * size);
  // Bilinear with half-pixel centres and edge clamping, as OpenCV's INTER_LINEAR
  // (in floating point; OpenCV's fixed-point weights can differ by one grey level).
  const double sy = static_cast<double>(h) / size, sx = static_cast<double>(w) / size;
  for (int y = 0; y < size; ++y) {
    double fy = (y + 0.5) * sy - 0.5;
    int y0 = static_cast<int>(std::floor(fy));
    fy -= y0;
    if (y0 < 0) { y0 = 0; fy = 0; }
    const int y1 = std::min(y0 + 1, h - 1);
    if (y0 >= h - 1) { y0 = h - 1; fy = 0; }
    for (int x = 0; x < size; ++x) {
      double fx = (x + 0.5) * sx - 0.5;
      int x0 = static_cast<int>(std::floor(fx));
      fx -= x0;
      if (x0 < 0) { x0 = 0; fx = 0; }
      const int x1 = std::min(x0 + 1, w - 1);
      if (x0 >= w - 1) { x0 = w - 1; fx = 0; }
      for (int ch = 0; ch < 3; ++ch) {
        auto px = [&](int r, int c) {
          const std::size_t row = static_cast<std::size_t>(r0 + r), col = static_cast<std::size_t>(c0 + c);
          return static_cast<double>(image.pixels[(row * static_cast<std::size_t>(image.width) + col) * 3 + static_cast<std::size_t>(ch)]);
        };
        const double v = (1 - fy) * ((1 - fx) * px(y0, x0) + fx * px(y0, x1)) + fy * ((1 - fx) * px(y1, x0) + fx * px(y1, x1));
        out[(static_cast<std::size_t>(ch) * size + y) * size + x] = static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
      }
    }
  }
  return out;
}

StopSigns load_stop_signs(const DataLocator& locator, bool transposed_roi, std::map<std::string, std::string>* checksums) {
  const auto tar = read_archive(locator, kStopArchive, checksums);
  const auto m = tar_members(tar, kStopArchive.name);
  StopSigns s;
  const std::string train_dir = "GTSRB/Final_Training/Images/00014/";
  for (const auto& a : parse_annotations(member(m, train_dir + "GT-00014.csv", kStopArchive.name), "GT-00014.csv")) {
    const auto img = parse_ppm(member(m, train_dir + a.file, kStopArchive.name), a.file);
    append(s.train, crop_resize(img, a, 32, transposed_roi), kStopSign);
  }
  for (const auto& a : parse_annotations(member(m, "GTSRB/GT-final_test.csv", kStopArchive.name), "GT-final_test.csv")) {
    if (a.class_id != kStopSign) continue;
    const auto img = parse_ppm(member(m, "GTSRB/Final_Test/Images/" + a.file, kStopArchive.name), a.file);
    append(s.test, crop_resize(img, a, 32, transposed_roi), kStopSign);
    s.test_files.push_back(a.file);
  }
  return s;
}

ImageSet load_training_subset(const DataLocator& locator, std::map<std::string, std::string>* checksums) {
  const auto tar = read_archive(locator, kSubsetArchive, checksums);
  const auto m = tar_members(tar, kSubsetArchive.name);
  ImageSet set;
  for (int c = 0; c < 43; ++c) {
    const std::string dir = fmt::format("GTSRB/Final_Training/Images/{:05}/", c);
    for (const auto& a : parse_annotations(member(m, dir + fmt::format("GT-{:05}.csv", c), kSubsetArchive.name), "GT.csv")) {
      auto it = m.find(dir + a.file);
      if (it == m.end()) continue;  // the CSVs list every frame; the subset holds every 10th
      append(set, crop_resize(parse_ppm(it->second, a.file), a, 32, false), c);
    }
  }
  return set;
}

DatasetInfo info() {
  DatasetInfo d;
  d.id = "gtsrb_adversarial";
  d.sample_shape = {0, 3, 32, 32};
  d.title = "GTSRB stop signs vs adversarial";
  d.dir_names = kDirs;
  d.class_names.assign(43, "");
  d.class_names[kStopSign] = "stop";
  d.class_names.push_back("adversarial");
  d.default_classes = {kStopSign};
  d.files = {kStopArchive};
  d.option_keys = {"adversarial", "adversarial_sha256", "transposed_roi"};
  d.test_only_option_keys = {"adversarial", "adversarial_sha256"};
  d.parse = [](const FileContents&) { return RawDataset{}; };
  d.load = [](const DataLocator& locator, const std::map<std::string, std::string>& options) {
    RawDataset raw;
    const bool transposed = options.count("transposed_roi") && options.at("transposed_roi") == "true";
    auto stops = load_stop_signs(locator, transposed, &raw.checksums);
    raw.train = std::move(stops.train);
    if (!options.count("adversarial"))
      throw core::Error("dataset gtsrb_adversarial needs the option adversarial = \"<name>\" (made by ocbench data make-adversarial)");
    const auto adv = read_adversarial_set(locator, options.at("adversarial"),
                                          options.count("adversarial_sha256") ? options.at("adversarial_sha256") : "");
    raw.checksums[adv.file_name] = adv.sha256;
    // The normal test part: the 270 test stop signs minus those the attack started from.
    for (std::int64_t i = 0; i < stops.test.shape.n; ++i) {
      if (std::find(adv.source_files.begin(), adv.source_files.end(), stops.test_files[i]) != adv.source_files.end()) continue;
      append(raw.test, std::vector<std::uint8_t>(stops.test.pixels.begin() + i * 3072, stops.test.pixels.begin() + (i + 1) * 3072), kStopSign);
    }
    for (std::int64_t i = 0; i < adv.images.shape.n; ++i)
      append(raw.test, std::vector<std::uint8_t>(adv.images.pixels.begin() + i * 3072, adv.images.pixels.begin() + (i + 1) * 3072), kAdversarial);
    // The perturbations' sizes, measured against the source images (pixels
    // in [0, 1]; L-inf also in 1/255 steps), as the attack's manifest has them.
    std::vector<double> l2s, linfs;
    for (std::int64_t i = 0; i < adv.images.shape.n; ++i) {
      const auto src = std::find(stops.test_files.begin(), stops.test_files.end(), adv.source_files[i]);
      if (src == stops.test_files.end())
        throw core::DataError(adv.file_name, "image " + std::to_string(i) + " names source " + adv.source_files[i] +
                                                 ", which is not a GTSRB test stop sign");
      const std::uint8_t* a = adv.images.pixels.data() + i * 3072;
      const std::uint8_t* b = stops.test.pixels.data() + (src - stops.test_files.begin()) * 3072;
      double sq = 0.0;
      int peak = 0;
      for (int j = 0; j < 3072; ++j) {
        const int diff = static_cast<int>(a[j]) - static_cast<int>(b[j]);
        sq += static_cast<double>(diff) * diff;
        peak = std::max(peak, std::abs(diff));
      }
      l2s.push_back(std::sqrt(sq) / 255.0);
      linfs.push_back(peak);
    }
    for (const auto& [k, v] : perturbation_summary(l2s, linfs)) raw.facts["adversarial_" + k] = v;
    return raw;
  };
  return d;
}

}  // namespace ocb::datasets::gtsrb
