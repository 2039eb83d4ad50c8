// One cell, end to end (execute.hpp).
#include "harness/run/execute.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <mutex>
#include <numeric>

#include "harness/core/error.hpp"
#include "harness/core/method.hpp"
#include "harness/core/mahalanobis.hpp"
#include "harness/core/metrics.hpp"
#include "harness/core/numerics.hpp"
#include "harness/core/rng.hpp"
#include "harness/core/run_context.hpp"
#include "harness/run/provenance.hpp"

namespace ocb::harness {
namespace {

Json report_json(const core::Report& report) {
  Json out = Json::object();
  for (const auto& [key, value] : report.entries()) {
    Json* node = &out;
    std::size_t start = 0, dot;
    while ((dot = key.find('.', start)) != std::string::npos) {
      node = &(*node)[key.substr(start, dot - start)];
      start = dot + 1;
    }
    const std::string leaf = key.substr(start);
    std::visit([&](const auto& v) { (*node)[leaf] = v; }, value);
  }
  return out;
}

// A labelled holdout of `fraction` of the test split with both labels on both
// sides; returns the holdout rows (sorted).
std::vector<std::int64_t> draw_holdout(const core::LabeledSamples& test, double fraction, std::uint64_t seed) {
  const auto n = test.size();
  const auto k = std::max<std::int64_t>(2, static_cast<std::int64_t>(std::llround(fraction * static_cast<double>(n))));
  core::Rng rng(seed);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    auto perm = rng.permutation(n);
    std::vector<std::int64_t> rows(perm.begin(), perm.begin() + k);
    std::int64_t hold_anom = 0, all_anom = 0;
    for (auto r : rows) hold_anom += test.anomaly[r];
    for (auto a : test.anomaly) all_anom += a;
    if (hold_anom > 0 && hold_anom < k && all_anom - hold_anom > 0 && (n - k) - (all_anom - hold_anom) > 0) {
      std::sort(rows.begin(), rows.end());
      return rows;
    }
  }
  throw core::Error("cannot draw a holdout with both labels on both sides");
}

Json split_json(const datasets::OneClassSplit& split, const Cell& cell, std::int64_t n_test, std::int64_t n_anomalies,
                const datasets::RawDataset& raw) {
  Json d;
  d["dataset"] = cell.dataset->kind;
  if (cell.dataset->id != cell.dataset->kind) d["name"] = cell.dataset->id;
  d["normal_class"] = cell.normal_class;
  d["files_sha256"] = raw.checksums;
  d["preprocessing"] = split.facts.preprocessing;
  if (split.facts.preprocessing != "raw") d["minmax"] = {split.facts.minmax.min, split.facts.minmax.max};
  d["pca_variance"] = cell.split.pca_variance;
  if (split.facts.pca_components > 0) {
    d["pca_components"] = split.facts.pca_components;
    d["pca_explained"] = split.facts.pca_explained;
  }
  d["class_train_size"] = split.facts.class_train_size;
  d["n_train"] = split.train.size();
  d["n_test"] = n_test;
  d["n_test_anomalies"] = n_anomalies;
  d["max_train"] = cell.split.max_train;
  d["max_test"] = cell.split.max_test;
  if (cell.split.test_normals_from_train > 0) d["test_normals_from_train"] = cell.split.test_normals_from_train;
  if (!raw.facts.empty()) d["facts"] = raw.facts;
  if (cell.split.semi.active()) {
    d["semi_supervised"] = {{"labelled_anomalies", cell.split.semi.labelled_anomalies},
                            {"pollution", cell.split.semi.pollution},
                            {"known_anomaly_classes", cell.split.semi.known_classes},
                            {"known_classes", split.facts.known_classes},
                            {"n_labelled", split.facts.n_labelled},
                            {"n_pollution", split.facts.n_pollution}};
  }
  return d;
}

}  // namespace

// Up to 500 normal and 500 anomalous test samples, evenly spaced in the test
// split's order (no randomness: the same rows on every rerun).
RepresentationSample representation_sample(const core::LabeledSamples& test, const core::Samples& rep) {
  std::vector<std::int64_t> normal, anomalous;
  for (std::int64_t i = 0; i < test.size(); ++i) (test.anomaly[static_cast<std::size_t>(i)] ? anomalous : normal).push_back(i);
  std::vector<std::int64_t> picked;
  for (const auto* group : {&normal, &anomalous}) {
    const std::size_t n = group->size(), k = std::min<std::size_t>(500, n);
    for (std::size_t j = 0; j < k; ++j) picked.push_back((*group)[j * n / k]);
  }
  RepresentationSample s;
  for (auto i : picked) {
    s.positions.push_back(static_cast<std::int32_t>(i));
    s.anomaly.push_back(test.anomaly[static_cast<std::size_t>(i)]);
  }
  s.rows = rep.select(picked);
  return s;
}

void check_finite(const Cell& cell, const core::Scores& scores, std::size_t expected, const char* set) {
  if (scores.size() != expected)
    throw core::Error(fmt::format("{} returned {} scores for {} {} samples", cell.describe(), scores.size(), expected, set));
  for (std::size_t i = 0; i < scores.size(); ++i)
    if (!std::isfinite(scores[i]))
      throw core::Error(fmt::format("{} returned a non-finite score ({}) for {} sample {}", cell.describe(), scores[i], set, i));
}

void check_scores(const Cell& cell, const core::Scores& scores, std::size_t expected) {
  if (scores.size() != expected)
    throw core::Error(fmt::format("{} returned {} scores for {} samples", cell.describe(), scores.size(), expected));
  for (std::size_t i = 0; i < scores.size(); ++i)
    if (!std::isfinite(scores[i]))
      throw core::Error(fmt::format("{} returned a non-finite score ({}) for sample {}", cell.describe(), scores[i], i));
  if (std::all_of(scores.begin(), scores.end(), [&](double s) { return s == scores.front(); }))
    throw core::Error(fmt::format("{} returned the same score ({}) for every sample", cell.describe(), scores.front()));
}

Numerics expected_numerics(const Cell& cell, const ExecOptions& options) {
  Numerics n;
  n.method_version = cell.method->numerics_version_for(cell.dataset->kind, options.device);
  n.threads = options.threads;
  n.device = options.device;
  if (options.device == "cpu") n.cpu = core::cpu_numerics().signature();
  return n;
}

CellRecord execute_cell(const Cell& cell, const Experiment& exp, DataCache& data, const RecordStore& store,
                        const ExecOptions& options) {
  CellRecord rec;
  rec.status = "failed";
  rec.cell_id = cell.id;
  rec.experiment = exp.name;
  rec.label = cell.method->label;
  rec.method = cell.method->method;
  rec.dataset = cell.dataset->kind;
  rec.normal_class = cell.normal_class;
  rec.seed = cell.seed;
  for (const auto& entry : cell.method->params) std::visit([&](const auto& x) { rec.params[entry.first] = x; }, entry.second);
  rec.canonical = cell.canonical;
  rec.started_at = utc_now();
  rec.threads = options.threads;
  rec.device = options.device;
  rec.numerics = expected_numerics(cell, options);
  rec.numerics.kernels = core::kernel_build_name();

  core::CellInfo info{cell.method->label, cell.method->method, cell.dataset->kind, cell.normal_class, cell.seed, cell.data_key, cell.train_key};
  static std::mutex log_mutex;
  core::RunContext ctx(info, options.threads, options.device, options.cache_dir, [&, verbose = options.verbose](std::string_view m) {
    if (!verbose) return;
    std::lock_guard lock(log_mutex);
    std::cerr << "  [" << cell.method->label << " " << cell.dataset->id << " c" << cell.normal_class << " s" << cell.seed
              << "] " << m << "\n";
  }, [&](std::string_view m) {
    std::lock_guard lock(log_mutex);
    std::cerr << "warning: " << cell.describe() << ": " << m << "\n";
  });
  ctx.set_numerics_key(rec.numerics.environment());
  ctx.set_rendezvous(options.rendezvous);
  ctx.set_shared(options.shared);
  std::string phase = "loading data";
  const auto t0 = std::chrono::steady_clock::now();
  try {
    std::shared_ptr<const datasets::OneClassSplit> split;
    std::shared_ptr<const datasets::RawDataset> raw;
    {
      auto t = ctx.phase("data");
      raw = data.dataset(cell.dataset->kind, cell.dataset->options);
      split = data.split(cell.dataset->kind, cell.dataset->options, cell.normal_class, cell.split);
    }
    phase = "building the method";
    core::ParamMap resolved;
    auto method = core::method_registry().get(cell.method->method).make(cell.method->params, resolved);
    const auto& req = cell.method->requirements;

    const core::LabeledSamples* test = &split->test;
    core::LabeledSamples held_out, remaining;
    Json selection;
    selection["uses_test_labels"] = false;
    if (req.test_holdout_fraction > 0.0) {
      phase = "drawing the holdout";
      const auto rows = draw_holdout(split->test, req.test_holdout_fraction, ctx.seed_for("holdout"));
      std::vector<std::int64_t> rest;
      for (std::int64_t i = 0, r = 0; i < split->test.size(); ++i) {
        if (r < static_cast<std::int64_t>(rows.size()) && rows[r] == i) ++r;
        else rest.push_back(i);
      }
      held_out = split->test.select(rows);
      remaining = split->test.select(rest);
      test = &remaining;
      selection["uses_test_labels"] = true;
      selection["holdout_fraction"] = req.test_holdout_fraction;
      selection["holdout_size"] = held_out.size();
      selection["holdout_removed_from_test"] = true;
    }
    const std::int64_t n_anom = std::count(test->anomaly.begin(), test->anomaly.end(), 1);
    rec.data = split_json(*split, cell, test->size(), n_anom, *raw);
    rec.selection = selection;

    phase = "fitting";
    core::TrainSet train{split->train, split->semi_labels, req.test_holdout_fraction > 0.0 ? &held_out : nullptr};
    {
      auto t = ctx.phase("fit");
      method->fit(train, ctx);
    }
    phase = "scoring";
    core::Scores scores;
    {
      auto t = ctx.phase("score");
      scores = method->score(test->x, ctx);
    }
    check_scores(cell, scores, static_cast<std::size_t>(test->size()));
    // The training set's scores, after the test set's (so that these stay as
    // they were): thresholds are set from them alone.
    phase = "scoring the training set";
    core::Scores train_scores;
    {
      auto t = ctx.phase("score_train");
      train_scores = method->score(split->train, ctx);
    }
    check_finite(cell, train_scores, static_cast<std::size_t>(split->train.size()), "training");

    phase = "computing metrics";
    rec.metrics.auc = core::roc_auc(scores, test->anomaly);
    rec.metrics.average_precision = core::average_precision(scores, test->anomaly);
    const auto [lo, hi] = std::minmax_element(scores.begin(), scores.end());
    rec.metrics.score_min = *lo;
    rec.metrics.score_max = *hi;
    rec.metrics.thresholds = core::threshold_policies(train_scores, scores, test->anomaly);

    // Methods with a representation: the adaptive (Mahalanobis) score and
    // threshold, and a sample of test representations for t-SNE figures.
    phase = "representing";
    std::optional<core::Samples> train_rep, test_rep;
    {
      auto t = ctx.phase("represent");
      train_rep = method->represent(split->train, ctx);
      if (train_rep) test_rep = method->represent(test->x, ctx);
    }
    if (train_rep && test_rep) {
      const core::Mahalanobis gauss(*train_rep);
      const auto train_m = gauss.squared_distances(*train_rep), test_m = gauss.squared_distances(*test_rep);
      rec.metrics.mahalanobis_auc = core::roc_auc(test_m, test->anomaly);
      rec.metrics.thresholds.push_back(
          {"adaptive_mahalanobis_p95", core::decide(test_m, test->anomaly, core::percentile_threshold(train_m, 95.0))});
    }
    rec.method_report = report_json(ctx.report());
    for (const auto& [name, curve] : ctx.facts().curves()) rec.curves[name] = curve;
    rec.representation = ctx.facts().representation();

    if (options.write_scores) {
      phase = "writing scores";
      ScoreFile sf{test->source_index, test->anomaly, std::vector<float>(scores.begin(), scores.end()),
                   std::vector<float>(train_scores.begin(), train_scores.end())};
      rec.scores_sha256 = store.write_scores(cell, sf);
      rec.scores_file = store.scores_relpath(cell);
      if (test_rep) store.write_representations(cell, representation_sample(*test, *test_rep));
      // Grad-CAM of the 16 most anomalous test samples, for methods that explain.
      phase = "explaining";
      std::vector<std::int64_t> top(static_cast<std::size_t>(test->size()));
      std::iota(top.begin(), top.end(), 0);
      std::stable_sort(top.begin(), top.end(), [&](std::int64_t a, std::int64_t b) { return scores[a] > scores[b]; });
      top.resize(std::min<std::size_t>(16, top.size()));
      std::optional<core::Samples> maps;
      {
        auto t = ctx.phase("explain");
        maps = method->explain(test->x.select(top), ctx);
      }
      if (maps) {
        RepresentationSample cams;
        for (auto i : top) {
          cams.positions.push_back(static_cast<std::int32_t>(i));
          cams.anomaly.push_back(test->anomaly[static_cast<std::size_t>(i)]);
        }
        cams.rows = std::move(*maps);
        store.write_explanations(cell, cams);
      }
    }
    rec.status = "ok";
  } catch (const core::IoError& e) {
    // A full or read-only disk is the run's problem, not this cell's: the caller stops.
    if (e.disk_unusable()) throw;
    rec.error_phase = phase;
    rec.error_message = e.what();
  } catch (const std::exception& e) {
    rec.error_phase = phase;
    rec.error_message = e.what();
  }
  for (const auto& [name, seconds] : ctx.timings()) rec.timing.emplace_back(name, seconds);
  rec.timing.emplace_back("total", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  rec.finished_at = utc_now();
  rec.provenance = provenance();
  return rec;
}

}  // namespace ocb::harness
