// Adversarial artefact I/O (adversarial_file.hpp). Format: "ocbench-adversarial-v1\n",
// a little-endian uint32 count, then per image a 32-byte source file name
// (NUL-padded) and 3072 pixel bytes (channel-first).
#include "datasets/gtsrb/adversarial_file.hpp"
#include "datasets/gtsrb/gtsrb.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "harness/core/atomic_file.hpp"
#include "harness/core/error.hpp"
#include "harness/core/hash.hpp"
#include "harness/core/metrics.hpp"

namespace ocb::datasets::gtsrb {
namespace {
constexpr char kMagic[] = "ocbench-adversarial-v1\n";
constexpr std::size_t kName = 32, kImage = 3 * 32 * 32;
}  // namespace

AdversarialSet read_adversarial_set(const DataLocator& locator, const std::string& name, const std::string& expected) {
  const std::vector<std::string> dirs{"gtsrb_adversarial"};
  const auto path = locator.find(dirs, name + ".adv");
  if (!path)
    throw core::DataError(name + ".adv", "adversarial set not found in <data root>/gtsrb_adversarial/; make it with "
                                         "`ocbench data make-adversarial` (the experiment's name and seed give the same bytes)");
  const auto bytes = read_decompressed(*path);
  const std::string sha = core::sha256_hex(bytes);
  if (!expected.empty() && sha != expected)
    throw core::DataError(path->string(), fmt::format("sha256 is {}, the experiment expects {} (remade with other "
                                                      "settings or on another machine?)", sha, expected));
  AdversarialSet s = parse_adversarial_set(bytes, path->string());
  s.file_name = name + ".adv";
  s.sha256 = sha;
  return s;
}

AdversarialSet parse_adversarial_set(std::span<const std::uint8_t> bytes, const std::string& name) {
  const std::size_t head = std::strlen(kMagic);
  if (bytes.size() < head + 4 || std::memcmp(bytes.data(), kMagic, head) != 0)
    throw core::DataError(name, "not an ocbench adversarial set");
  std::uint32_t n = 0;
  std::memcpy(&n, bytes.data() + head, 4);
  if (bytes.size() != head + 4 + std::size_t{n} * (kName + kImage))
    throw core::DataError(name, fmt::format("{} bytes, {} images need {}", bytes.size(), n, head + 4 + std::size_t{n} * (kName + kImage)));
  AdversarialSet s;
  const std::uint8_t* p = bytes.data() + head + 4;
  for (std::uint32_t i = 0; i < n; ++i, p += kName + kImage) {
    s.source_files.emplace_back(reinterpret_cast<const char*>(p), strnlen(reinterpret_cast<const char*>(p), kName));
    s.images.pixels.insert(s.images.pixels.end(), p + kName, p + kName + kImage);
    s.images.labels.push_back(43);
  }
  s.images.shape = {static_cast<std::int64_t>(n), 3, 32, 32};
  return s;
}

std::string write_adversarial_set(const std::filesystem::path& dir, const std::string& name, const ImageSet& images,
                                  const std::vector<std::string>& source_files) {
  OCB_CHECK(static_cast<std::int64_t>(source_files.size()) == images.shape.n, "one source file per image");
  std::string bytes(kMagic);
  const auto n = static_cast<std::uint32_t>(images.shape.n);
  bytes.append(reinterpret_cast<const char*>(&n), 4);
  for (std::uint32_t i = 0; i < n; ++i) {
    std::string fname = source_files[i].substr(0, kName);
    fname.resize(kName, '\0');
    bytes += fname;
    bytes.append(reinterpret_cast<const char*>(images.pixels.data() + i * kImage), kImage);
  }
  core::write_file_atomic(dir / (name + ".adv"), bytes);
  return core::sha256_hex(bytes);
}

std::map<std::string, double> perturbation_summary(const std::vector<double>& l2, const std::vector<double>& linf_255) {
  std::map<std::string, double> s{{"count", static_cast<double>(l2.size())}};
  if (l2.empty()) return s;
  s["l2_median"] = core::percentile_threshold(l2, 50.0);  // the median, interpolated as numpy's
  s["l2_min"] = *std::min_element(l2.begin(), l2.end());
  s["l2_max"] = *std::max_element(l2.begin(), l2.end());
  s["linf_255_median"] = core::percentile_threshold(linf_255, 50.0);
  return s;
}

std::string adversarial_set_name(const core::adversarial::Options& o, std::size_t set_index) {
  std::string name = fmt::format("{}_seed{}_n{}_e{}", o.attack, o.seed, o.count, o.classifier_epochs);
  if (o.attack != "boundary") return name;
  if (!o.stop_budgets.empty()) name += fmt::format("_{}_{:g}", o.stop_norm, o.stop_budgets.at(set_index));
  return name + fmt::format("_it{}", o.boundary_iterations);
}

std::string write_adversarial_artefact(const std::filesystem::path& dir, const std::string& name,
                                       const core::adversarial::Options& o, const core::adversarial::Result& res,
                                       std::size_t set_index,
                                       const std::vector<std::string>& test_files, std::int64_t training_images,
                                       std::int64_t test_stop_signs, const std::map<std::string, std::string>& input_checksums,
                                       const nlohmann::ordered_json& extra) {
  ImageSet images;
  std::vector<std::string> sources;
  nlohmann::ordered_json examples = nlohmann::ordered_json::array();
  const auto& set = res.sets.at(set_index);
  for (const auto& e : set.examples) {
    images.pixels.insert(images.pixels.end(), e.image.begin(), e.image.end());
    images.labels.push_back(kAdversarial);
    sources.push_back(test_files.at(static_cast<std::size_t>(e.source)));
    examples.push_back({{"source", sources.back()}, {"clean_prediction", e.clean_prediction},
                        {"adversarial_prediction", e.adversarial_prediction}, {"l2", e.l2}, {"linf", e.linf},
                        {"linf_255", e.linf * 255}, {"iterations", e.iterations}});
    if (!o.stop_budgets.empty()) examples.back()["within_budget"] = e.within_budget;
  }
  images.shape = {static_cast<std::int64_t>(set.examples.size()), 3, 32, 32};
  const std::string sha = write_adversarial_set(dir, name, images, sources);
  std::vector<std::string> attempted;
  for (auto i : res.attempted) attempted.push_back(test_files.at(static_cast<std::size_t>(i)));
  nlohmann::ordered_json m;
  m["name"] = name;
  m["file"] = name + ".adv";
  m["sha256"] = sha;
  m["attack"] = o.attack;
  m["seed"] = o.seed;
  m["parameters"] = o.attack == "pgd"
                        ? nlohmann::ordered_json{{"epsilon", o.pgd_epsilon}, {"step", o.pgd_step}, {"steps", o.pgd_steps}}
                        : nlohmann::ordered_json{{"iterations", o.boundary_iterations}, {"candidates", o.boundary_candidates},
                                                 {"spherical_step", o.boundary_spherical_step}, {"source_step", o.boundary_source_step}};
  if (!o.stop_budgets.empty()) {
    // The set's stopping rule, and the family made in the same run (its
    // other sets hold the same sources, further along the same trajectories).
    std::vector<std::string> family;
    for (std::size_t b = 0; b < o.stop_budgets.size(); ++b) family.push_back(adversarial_set_name(o, b));
    m["parameters"]["stop"] = {{"norm", o.stop_norm},
                               {"budget", set.budget},
                               {"unit", o.stop_norm == "l2" ? "L2 of pixels in [0, 1] over 3x32x32 values" : "1/255 pixel steps"},
                               {"within_budget", set.within_budget()},
                               {"rule", "each source stops at the first iteration its perturbation is within the smallest budget; "
                                        "this set takes the point where it first came within this one"},
                               {"family", family}};
  }
  m["classifier"] = {{"architecture", "conv5x5(3->32) BN ReLU pool, conv5x5(32->64) BN ReLU pool, dense 128 ReLU, dense 43"},
                     {"parameters", res.classifier_parameters}, {"epochs", o.classifier_epochs}, {"lr", o.classifier_lr},
                     {"batch_size", o.batch_size}, {"training_images", training_images},
                     {"training_accuracy", res.train_accuracy}, {"stop_sign_test_accuracy", res.target_accuracy},
                     {"stop_sign_test_images", test_stop_signs}};
  m["sources"] = "GTSRB test stop signs (GT-final_test.csv ClassId 14) correctly classified, in a seeded order; every "
                 "attempted image is left out of Table 2's normal test part";
  m["attempted"] = attempted;
  m["success_rate"] = res.attempted.empty() ? 0.0 : static_cast<double>(set.examples.size()) / static_cast<double>(res.attempted.size());
  std::vector<double> l2s, linfs;
  for (const auto& e : set.examples) {
    l2s.push_back(e.l2);
    linfs.push_back(e.linf * 255);
  }
  m["perturbation"] = perturbation_summary(l2s, linfs);
  m["examples"] = examples;
  m["input_checksums"] = input_checksums;
  for (const auto& [k, v] : extra.items()) m[k] = v;
  core::write_file_atomic(dir / (name + ".json"), m.dump(1) + "\n");
  return sha;
}

}  // namespace ocb::datasets::gtsrb
