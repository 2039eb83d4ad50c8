// A cell's record, typed: what ran (identity, parameters, data), what came out
// (metrics, training curves, representation facts, the score file), how
// (numerics signature, timings, provenance), or why it failed. Every reader
// (run, table, report, plot, check) goes through from_json(), which checks
// each field and names the one that is wrong; records of the first schema are
// upgraded on reading.
#pragma once

#include "harness/core/metrics.hpp"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/core/error.hpp"
#include "harness/core/run_context.hpp"

namespace ocb::harness {

using Json = nlohmann::ordered_json;

// A record that fails its schema: `field` is the JSON path ("metrics.auc").
class RecordError : public core::Error {
 public:
  RecordError(std::string field, const std::string& message);
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// What a result depends on beyond the experiment's choices. Records made
// before signatures existed read as unknown (method_version 0).
struct Numerics {
  int method_version = 0;  // declared by the method; bumped by any change to its scores
  int threads = 0;         // intra-op threads of the cell
  std::string device;      // "cpu", "cuda"
  std::string cpu;         // pinned kernel families (core::CpuNumerics::signature()), CPU only
  std::string kernels;     // the build of ocbench's own kernels that ran (same bytes on every build)
  bool known() const { return method_version > 0; }
  // "v2 threads=1 cpu blas=Haswell;dnnl=AVX2;aten=avx2", or "unknown".
  std::string signature() const;
  // The same without the method's version: what a stage shared by several
  // methods (a pretraining) depends on.
  std::string environment() const;
};

struct Metrics {
  double auc = 0.0;                // in [0, 1]
  double average_precision = 0.0;
  double score_min = 0.0, score_max = 0.0;
  // Decisions on the test set at each threshold policy (core::threshold_policies);
  // empty in records made before training scores were kept.
  std::vector<core::PolicyDecision> thresholds;
  const core::Decisions* at(const std::string& policy) const;
  // Methods with a representation: the AUC of the Mahalanobis distance to a
  // Gaussian fitted on the training representations (the adaptive score).
  std::optional<double> mahalanobis_auc;
};

struct CellRecord {
  static constexpr int kSchema = 2;

  int schema = kSchema;
  std::string status;              // "ok" or "failed"
  std::string cell_id, experiment, label, method, dataset;
  int normal_class = 0;
  std::uint64_t seed = 0;
  Json params = Json::object();    // resolved parameters as given to the method
  std::string canonical;           // the text hashed into cell_id
  std::string started_at, finished_at;
  Json data = Json::object();      // split facts (files, preprocessing, sizes)
  Json selection = Json::object(); // model selection: whether test labels were used
  Metrics metrics;                 // when ok
  std::map<std::string, core::TrainingCurve> curves;  // "pretraining", "train"
  std::optional<core::RepresentationFacts> representation;
  Json method_report = Json::object();  // the method's other facts, free form
  std::string scores_file;         // relative to the results folder; "" = none written
  // SHA-256 of the score file's decompressed bytes, as written: lets a rerun
  // be checked byte for byte where the file itself is not kept ("" in
  // records made before it was recorded).
  std::string scores_sha256;
  std::string error_phase, error_message;  // when failed
  std::vector<std::pair<std::string, double>> timing;  // phase -> seconds, "total" last
  int threads = 1;
  std::string device = "cpu";
  Numerics numerics;
  Json provenance = Json::object();

  bool ok() const { return status == "ok"; }
  double total_seconds() const;
  Json to_json() const;
  // Throws RecordError naming the field. Accepts schemas 1 and 2.
  static CellRecord from_json(const Json& j);
};

}  // namespace ocb::harness
