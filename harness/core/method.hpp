// The contract every anomaly-detection method implements, and its registry.
// fit() learns from normal training data; score() returns one finite score per
// sample, higher = more anomalous. A method never sees test labels: when its
// selection rule needs labelled data it asks for it in requirements(), and the
// harness hands over an explicit, recorded validation split.
#pragma once

#include <optional>

#include <cstdint>
#include <concepts>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "harness/core/params.hpp"
#include "harness/core/registry.hpp"
#include "harness/core/samples.hpp"

namespace ocb::core {

class RunContext;

struct Requirements {
  // > 0: draw this fraction of the test split as a labelled holdout, remove it
  // from the test split and pass it as TrainSet::validation (the paper's
  // OC-SVM rule; the record says test labels were used for selection).
  double test_holdout_fraction = 0.0;
  // Non-empty: the cell reuses an expensive stage (e.g. autoencoder
  // pretraining) that other cells with the same data, seed and key share; the
  // runner keeps such cells together.
  std::string shared_stage;
  // The cell's expensive work depends on its data alone, not on its seed, and
  // goes through RunContext::shared() (KDE, OC-SVM): a run's cells on the same
  // training bytes compute it once, so plans and shards keep a class's such
  // cells together wherever the data is the same for every seed.
  bool shared_across_seeds = false;
};

struct TrainSet {
  const Samples& x;
  // Empty, or one entry per sample: +1 known normal, -1 known anomaly, 0 unlabelled.
  std::span<const std::int8_t> semi_labels;
  const LabeledSamples* validation = nullptr;
};

class Method {
 public:
  virtual ~Method() = default;
  virtual Requirements requirements() const { return {}; }
  virtual void fit(const TrainSet& train, RunContext& ctx) = 0;
  virtual Scores score(const Samples& x, RunContext& ctx) = 0;
  // Optional: the learned representation of x after fit(), one row per sample
  // (shape [N, D]). Methods that learn one (the SVDD family) override it; the
  // runner then adds the Mahalanobis score and threshold and keeps a sample
  // for t-SNE figures. Others have none.
  virtual std::optional<Samples> represent(const Samples& /*x*/, RunContext& /*ctx*/) { return std::nullopt; }
  // Optional: a Grad-CAM heatmap of each sample's anomaly score, [N, 1, H, W]
  // in the input's resolution (non-negative; larger = more responsible for
  // the score). Methods with a convolutional representation override it.
  virtual std::optional<Samples> explain(const Samples& /*x*/, RunContext& /*ctx*/) { return std::nullopt; }
};

struct MethodInfo {
  std::string id;
  std::string summary;
  std::vector<ParamSpec> params;
  // Builds the method from checked values (missing keys take defaults) and
  // returns the complete resolved parameter map beside it.
  std::function<std::unique_ptr<Method>(const ParamMap&, ParamMap& resolved)> make;
  // Small settings for smoke tests and quick experiments (few epochs, small
  // grids), from Params::quick() when the method defines one.
  ParamMap quick;
  // Bumped by any change that alters the method's scores for the same
  // parameters and seed (from M::numerics_version; 1 when M declares none).
  // Records carry it, so old and new numerics never mix unseen.
  int numerics_version = 1;
  // Where a change altered the scores on some data only (one network's
  // kernels), the version of the cells on samples of this shape (c, h, w)
  // with these resolved parameters on this device ("cpu", "cuda"), from
  // P::numerics_version(shape, device); empty when P declares none (then
  // numerics_version holds for every cell).
  std::function<int(const ParamMap& resolved, const Shape& sample, const std::string& device)> numerics_version_on;
  // The keys a bound parameter set does not use (Deep SAD's nu; a one-class
  // Deep SVDD's radius rule), from P::unused(); setting one is an error.
  std::function<std::vector<std::string>(const ParamMap& resolved)> unused;
  std::string file;
  int line = 0;
};

Registry<MethodInfo>& method_registry();

// Plugins whose id starts with "test_" exist only in test binaries (broken on
// purpose, or the README's example under another name): never listed, never
// part of an experiment's `all_methods`.
bool is_test_plugin(const MethodInfo& info);
// The registry without the test plugins, sorted by id: what `ocbench methods`
// lists and `all_methods` expands to.
std::vector<const MethodInfo*> listed_methods();

namespace detail {
template <class P>
concept HasQuick = requires { { P::quick() } -> std::convertible_to<ParamMap>; };
template <class P>
concept HasUnused = requires(const P& p) { { p.unused() } -> std::convertible_to<std::vector<std::string>>; };
template <class P>
concept HasNumericsOn = requires(const P& p, const Shape& s, const std::string& d) {
  { p.numerics_version(s, d) } -> std::convertible_to<int>;
};
template <class M>
concept HasNumericsVersion = requires { { M::numerics_version } -> std::convertible_to<int>; };
}  // namespace detail

template <class M>
bool register_method(const char* id, const char* summary, const char* file, int line) noexcept {
  using P = typename M::Params;
  MethodInfo info;
  try {
    info.id = id;
    info.summary = summary;
    info.params = describe_params<P>();
    info.make = [](const ParamMap& values, ParamMap& resolved) -> std::unique_ptr<Method> {
      P params = bind_params<P>(values);
      resolved = resolved_params(params);
      return std::make_unique<M>(std::move(params));
    };
    if constexpr (detail::HasQuick<P>) info.quick = P::quick();
    if constexpr (detail::HasNumericsVersion<M>) info.numerics_version = M::numerics_version;
    if constexpr (detail::HasNumericsOn<P>)
      info.numerics_version_on = [](const ParamMap& resolved, const Shape& sample, const std::string& device) {
        return bind_params<P>(resolved).numerics_version(sample, device);
      };
    if constexpr (detail::HasUnused<P>)
      info.unused = [](const ParamMap& resolved) { return bind_params<P>(resolved).unused(); };
    info.file = file;
    info.line = line;
  } catch (...) {
    return false;
  }
  method_registry().add(std::move(info));
  return true;
}

}  // namespace ocb::core

// One line at the bottom of a method's .cpp: OCB_REGISTER_METHOD(Ocsvm, "ocsvm", "one-line summary");
#define OCB_REGISTER_METHOD(Class, id, summary)                                                         \
  namespace {                                                                                           \
  [[maybe_unused]] const bool ocb_registered_##Class =                                                  \
      ::ocb::core::register_method<Class>(id, summary, __FILE__, __LINE__);                             \
  }

// A test binary's own plugin: registered as "test_<id>" (is_test_plugin()).
#define OCB_REGISTER_TEST_METHOD(Class, id, summary)                                                    \
  namespace {                                                                                           \
  [[maybe_unused]] const bool ocb_test_registered_##Class =                                             \
      ::ocb::core::register_method<Class>("test_" id, summary, __FILE__, __LINE__);                     \
  }
