// Making adversarial examples for Table 2: the images the paper used were
// never published, so ocbench trains its own traffic-sign classifier and
// attacks it. The generator lives in methods/adversarial/ (it needs LibTorch)
// and registers itself here; `ocbench data make-adversarial` reaches it
// through make() without including any method header, and
// datasets/gtsrb/adversarial_file writes and reads the artefact.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/samples.hpp"

namespace ocb::core::adversarial {

struct Options {
  std::string attack = "boundary";  // "boundary" (Brendel et al. 2018, decision-based) or "pgd" (Madry et al. 2018, L-inf)
  std::uint64_t seed = 1;
  int count = 20;                   // adversarial examples to make (the paper's Table 2 used 20)
  int target_class = 14;            // the class the sources belong to (stop sign)
  // classifier
  int classifier_epochs = 20;
  double classifier_lr = 1e-3;
  int batch_size = 64;
  // PGD
  double pgd_epsilon = 8.0 / 255.0, pgd_step = 1.0 / 255.0;
  int pgd_steps = 40;
  // boundary attack
  int boundary_iterations = 1000;   // with stopping budgets: the most iterations any source gets
  int boundary_candidates = 10;
  double boundary_spherical_step = 0.05, boundary_source_step = 0.05;
  // Stopping budgets (boundary attack only). Empty: every source runs all
  // iterations. Else each source stops once its perturbation is within the
  // smallest budget, and one set is made per budget, from the point where
  // the source first came within it. Budgets are in `stop_norm`: "l2"
  // (pixels in [0, 1], 3 x 32 x 32 values) or "linf" (in 1/255 steps).
  // Every source has a random stream of its own, so a set is the same bytes
  // whether its budget was made alone or with others.
  std::string stop_norm;
  std::vector<double> stop_budgets;  // descending
};

struct Example {
  std::int64_t source = 0;          // index into the candidate images
  int clean_prediction = 0, adversarial_prediction = 0;
  double l2 = 0.0, linf = 0.0;      // of the quantised perturbation, pixels in [0, 1]
  std::vector<std::uint8_t> image;  // 3 x 32 x 32, quantised
  int iterations = 0;               // attack iterations the source had run at this point
  bool within_budget = true;        // false: the iterations ran out before the budget was reached
};

// One adversarial set: with stopping budgets, one per budget (same sources).
struct ExampleSet {
  double budget = 0.0;  // 0: no stopping budget
  std::vector<Example> examples;
  int within_budget() const {
    int n = 0;
    for (const auto& e : examples) n += e.within_budget;
    return n;
  }
};

struct Result {
  std::vector<ExampleSet> sets;         // one, or one per stopping budget in the options' order
  std::vector<std::int64_t> attempted;  // candidate indices the attack started from (successful or not)
  double train_accuracy = 0.0;          // of the classifier on its training images
  double target_accuracy = 0.0;         // on the candidate (test) images of the target class
  int classifier_parameters = 0;
};

// train: images in [0, 1] with labels (all classes); candidates: test images
// of the target class in [0, 1]. Attacks correctly classified candidates in a
// seeded order until `count` succeed.
using Maker = Result (*)(const core::Samples& train, const std::vector<int>& train_labels, const core::Samples& candidates,
                         const Options& options, const std::function<void(std::string_view)>& log);
bool register_maker(Maker maker);
// The registered generator; throws core::Error if this program has none.
Result make(const core::Samples& train, const std::vector<int>& train_labels, const core::Samples& candidates,
            const Options& options, const std::function<void(std::string_view)>& log);

}  // namespace ocb::core::adversarial
