// `ocbench data list|verify|fetch`: the dataset files, where they are found,
// whether they verify, and downloading the missing ones.
#include <iostream>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "datasets/common/dataset.hpp"
#include "datasets/gtsrb/adversarial_file.hpp"
#include "datasets/gtsrb/gtsrb.hpp"
#include "harness/cli/commands.hpp"
#include "harness/core/numerics.hpp"
#include "harness/core/adversarial.hpp"
#include "harness/core/error.hpp"
#include "harness/run/provenance.hpp"
#include "harness/run/store.hpp"

namespace ocb::cli {

namespace {

core::Samples unit_samples(const datasets::ImageSet& set) {
  std::vector<float> v(set.pixels.size());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = set.pixels[i] / 255.0f;
  return core::Samples(set.shape, std::move(v));
}

// `ocbench data make-adversarial`: trains the GTSRB classifier, attacks test
// stop signs, writes <root>/gtsrb_adversarial/<attack>_seed<seed>.adv and its
// manifest (.json); prints the SHA-256 for the experiment file.
void add_make_adversarial(CLI::App& data, std::function<datasets::DataLocator()> locator, int& code) {
  auto* cmd = data.add_subcommand("make-adversarial", "make Table 2's adversarial stop signs (classifier + attack), reproducible from a seed");
  auto o = std::make_shared<core::adversarial::Options>();
  auto out = std::make_shared<std::string>("data");
  cmd->add_option("--attack", o->attack, "boundary (decision-based, the paper's) or pgd (white-box, fast)")->check(CLI::IsMember({"boundary", "pgd"}));
  cmd->add_option("--seed", o->seed, "seed of the classifier, the choice of sources and the attack");
  cmd->add_option("--count", o->count, "adversarial examples to make")->check(CLI::PositiveNumber);
  cmd->add_option("--iterations", o->boundary_iterations, "boundary attack iterations (with --stop-*: the most any source gets)")
      ->check(CLI::PositiveNumber);
  auto* l2 = cmd->add_option("--stop-l2", o->stop_budgets,
                             "boundary attack: stop each source once its L2 perturbation (pixels in [0, 1]) is within the "
                             "budget; several (comma-separated) make one set per budget in one run")
                 ->delimiter(',')
                 ->check(CLI::PositiveNumber);
  auto* linf = cmd->add_option("--stop-linf", o->stop_budgets, "as --stop-l2, for the L-inf perturbation in 1/255 steps")
                   ->delimiter(',')
                   ->check(CLI::PositiveNumber);
  l2->excludes(linf);
  cmd->add_option("--classifier-epochs", o->classifier_epochs, "classifier training epochs")->check(CLI::PositiveNumber);
  cmd->add_option("--out", *out, "data root to write into (<out>/gtsrb_adversarial/)");
  cmd->callback([o, out, locator, l2, &code] {
    if (!o->stop_budgets.empty()) {
      o->stop_norm = l2->count() ? "l2" : "linf";
      std::sort(o->stop_budgets.begin(), o->stop_budgets.end(), std::greater<>());
      o->stop_budgets.erase(std::unique(o->stop_budgets.begin(), o->stop_budgets.end()), o->stop_budgets.end());
    }
    const auto loc = locator();
    std::map<std::string, std::string> sums;
    const auto subset = datasets::gtsrb::load_training_subset(loc, &sums);
    const auto stops = datasets::gtsrb::load_stop_signs(loc, false, &sums);
    std::cerr << fmt::format("training the classifier on {} images of 43 classes; attacking {} test stop signs ({})\n",
                             subset.shape.n, stops.test.shape.n, o->attack);
    const auto t0 = std::chrono::steady_clock::now();
    const auto res = core::adversarial::make(unit_samples(subset), subset.labels, unit_samples(stops.test), *o,
                                             [](std::string_view m) { std::cerr << "  " << m << "\n"; });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto dir = std::filesystem::path(*out) / "gtsrb_adversarial";
    // The pinned CPU kernel families decide the classifier's weights and so the
    // images: a set made under other families has other bytes.
    const nlohmann::ordered_json extra{{"seconds", seconds},
                                       {"created_at", harness::utc_now()},
                                       {"numerics", core::cpu_numerics().signature()},
                                       {"provenance", harness::provenance()}};
    for (std::size_t b = 0; b < res.sets.size(); ++b) {
      const std::string name = datasets::gtsrb::adversarial_set_name(*o, b);
      const std::string sha = datasets::gtsrb::write_adversarial_artefact(dir, name, *o, res, b, stops.test_files, subset.shape.n,
                                                                          stops.test.shape.n, sums, extra);
      std::cout << fmt::format("{}\nsha256 {}\n{} examples from {} attempts{}\n", (dir / (name + ".adv")).string(), sha,
                               res.sets[b].examples.size(), res.attempted.size(),
                               o->stop_budgets.empty() ? std::string()
                                                       : fmt::format(", {} within the budget {} {:g}", res.sets[b].within_budget(), o->stop_norm,
                                                                     res.sets[b].budget));
    }
    std::cout << fmt::format("classifier {:.1f} % on the test stop signs\n", 100 * res.target_accuracy);
    code = kExitOk;
  });
}

}  // namespace

void add_data_command(CLI::App& app, int& code) {
  auto* cmd = app.add_subcommand("data", "list, verify or download dataset files");
  cmd->require_subcommand(1);
  auto data_dir = std::make_shared<std::string>();
  auto ids = std::make_shared<std::vector<std::string>>();
  cmd->add_option("--data-dir", *data_dir, "dataset root (else $OCBENCH_DATA, ./data, /usr/share/datasets)");
  auto locator = [data_dir] {
    return datasets::DataLocator::from_environment(data_dir->empty() ? std::nullopt
                                                                     : std::optional<datasets::fs::path>(*data_dir));
  };
  auto chosen = [ids] {
    std::vector<const datasets::DatasetInfo*> out;
    if (ids->empty())
      for (const auto& d : datasets::dataset_catalog()) out.push_back(&d);
    else
      for (const auto& id : *ids) out.push_back(&datasets::dataset_info(id));
    return out;
  };

  auto* list = cmd->add_subcommand("list", "the manifest: files, sizes, SHA-256, and where each was found");
  list->add_option("datasets", *ids, "dataset ids (default: all)");
  list->callback([=, &code] {
    const auto loc = locator();
    for (const auto* d : chosen()) {
      std::cout << d->id << " (" << d->title << ")\n";
      for (const auto& f : d->files) {
        const auto where = loc.find(d->dir_names, f.name);
        std::cout << fmt::format("  {:<26} {:>10} B  sha256 {}\n      {}\n", f.name, f.size, f.sha256,
                                 where ? where->string() : "missing");
      }
    }
    code = kExitOk;
  });

  auto* verify = cmd->add_subcommand("verify", "read and check every file of the datasets");
  verify->add_option("datasets", *ids, "dataset ids (default: all)");
  verify->callback([=, &code] {
    const auto loc = locator();
    int bad = 0;
    for (const auto* d : chosen()) {
      for (const auto& f : d->files) {
        const auto where = loc.find(d->dir_names, f.name);
        if (!where) {
          std::cout << fmt::format("MISSING {}/{}\n", d->id, f.name);
          ++bad;
          continue;
        }
        try {
          datasets::read_verified(*where, f);
          std::cout << fmt::format("ok      {}\n", where->string());
        } catch (const core::DataError& e) {
          std::cout << fmt::format("BAD     {}\n", e.what());
          ++bad;
        }
      }
    }
    code = bad ? kExitBadInput : kExitOk;
  });

  add_make_adversarial(*cmd, locator, code);

  auto* fetch = cmd->add_subcommand("fetch", "download missing files from their canonical sources and verify them");
  fetch->add_option("datasets", *ids, "dataset ids (default: all)");
  fetch->callback([=, &code] {
    const auto loc = locator();
    for (const auto* d : chosen()) {
      datasets::load_dataset(*d, loc, {true});
      std::cout << fmt::format("ok      {}\n", d->id);
    }
    code = kExitOk;
  });
}

}  // namespace ocb::cli
