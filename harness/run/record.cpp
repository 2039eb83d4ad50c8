// Reading, checking, upgrading and writing cell records (record.hpp).
#include "harness/run/record.hpp"

#include <cmath>

namespace ocb::harness {

const core::Decisions* Metrics::at(const std::string& policy) const {
  for (const auto& t : thresholds)
    if (t.policy == policy) return &t.decisions;
  return nullptr;
}
namespace {

std::string join_path(const std::string& parent, const std::string& key) { return parent.empty() ? key : parent + "." + key; }

std::string type_of(const Json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number_integer()) return "an integer";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "a list";
  return "an object";
}

// Field access that names the field and what was expected.
class Fields {
 public:
  Fields(const Json& j, std::string path) : j_(j), path_(std::move(path)) {
    if (!j_.is_object()) throw RecordError(path_.empty() ? "(record)" : path_, "must be an object, got " + type_of(j_));
  }
  bool has(const char* key) const { return j_.contains(key) && !j_.at(key).is_null(); }
  const Json& at(const char* key) const {
    if (!j_.contains(key)) throw RecordError(join_path(path_, key), "is missing");
    return j_.at(key);
  }
  std::string string(const char* key) const {
    const Json& v = at(key);
    if (!v.is_string()) bad(key, "a string", v);
    return v.get<std::string>();
  }
  std::string string_or(const char* key, std::string fallback) const { return has(key) ? string(key) : fallback; }
  std::int64_t integer(const char* key) const {
    const Json& v = at(key);
    if (!v.is_number_integer()) bad(key, "an integer", v);
    return v.get<std::int64_t>();
  }
  std::uint64_t unsigned_integer(const char* key) const {
    const Json& v = at(key);
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0)) bad(key, "an integer >= 0", v);
    return v.get<std::uint64_t>();
  }
  double number(const char* key) const {
    const Json& v = at(key);
    if (!v.is_number()) bad(key, "a number", v);
    const double d = v.get<double>();
    if (!std::isfinite(d)) throw RecordError(join_path(path_, key), "must be finite");
    return d;
  }
  bool boolean_or(const char* key, bool fallback) const {
    if (!has(key)) return fallback;
    const Json& v = at(key);
    if (!v.is_boolean()) bad(key, "a boolean", v);
    return v.get<bool>();
  }
  const Json& object(const char* key) const {
    const Json& v = at(key);
    if (!v.is_object()) bad(key, "an object", v);
    return v;
  }
  std::vector<double> numbers(const char* key) const {
    const Json& v = at(key);
    if (!v.is_array()) bad(key, "a list of numbers", v);
    std::vector<double> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_number()) throw RecordError(fmt::format("{}[{}]", join_path(path_, key), i), "must be a number, got " + type_of(v[i]));
      out.push_back(v[i].get<double>());
    }
    return out;
  }
  Fields sub(const char* key) const { return Fields(object(key), join_path(path_, key)); }
  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void bad(const char* key, const char* expected, const Json& got) const {
    throw RecordError(join_path(path_, key), fmt::format("must be {}, got {}", expected, type_of(got)));
  }
  const Json& j_;
  std::string path_;
};

core::TrainingCurve read_curve(const Fields& f) {
  core::TrainingCurve c;
  c.epoch_loss = f.numbers("epoch_loss");
  if (f.has("epoch_seconds")) c.epoch_seconds = f.numbers("epoch_seconds");
  if (f.has("seconds")) c.seconds = f.number("seconds");
  return c;
}

Json curve_json(const core::TrainingCurve& c) {
  Json j{{"epoch_loss", c.epoch_loss}};
  if (!c.epoch_seconds.empty()) j["epoch_seconds"] = c.epoch_seconds;
  j["seconds"] = c.seconds;
  return j;
}

// Schema 1 kept the curves and the representation facts among the method's free-form facts.
void upgrade_from_schema1(const Fields& f, CellRecord& r) {
  if (!f.has("method_report")) return;
  const Fields mr = f.sub("method_report");
  for (const char* phase : {"pretraining", "train"}) {
    if (!mr.has(phase)) continue;
    const Fields p = mr.sub(phase);
    if (p.has("epoch_loss")) r.curves[phase] = read_curve(p);
  }
  if (mr.has("representation_spread"))
    r.representation = core::RepresentationFacts{mr.number("representation_spread"), mr.boolean_or("collapse_suspected", false)};
}

}  // namespace

RecordError::RecordError(std::string field, const std::string& message)
    : core::Error(field + " " + message), field_(std::move(field)) {}

std::string Numerics::environment() const {
  std::string s = fmt::format("threads={} {}", threads, device);
  if (device == "cpu" && !cpu.empty()) s += " " + cpu;
  return s;
}

std::string Numerics::signature() const { return known() ? fmt::format("v{} {}", method_version, environment()) : "unknown"; }

double CellRecord::total_seconds() const {
  for (const auto& [name, s] : timing)
    if (name == "total") return s;
  return 0.0;
}

Json CellRecord::to_json() const {
  Json j;
  j["schema"] = schema;
  j["status"] = status;
  j["cell_id"] = cell_id;
  j["experiment"] = experiment;
  j["label"] = label;
  j["method"] = method;
  j["dataset"] = dataset;
  j["normal_class"] = normal_class;
  j["seed"] = seed;
  j["params"] = params;
  j["canonical"] = canonical;
  j["started_at"] = started_at;
  if (!data.empty()) j["data"] = data;
  if (!selection.empty()) j["selection"] = selection;
  if (ok()) {
    j["metrics"] = {{"auc", metrics.auc},
                    {"average_precision", metrics.average_precision},
                    {"score_min", metrics.score_min},
                    {"score_max", metrics.score_max}};
    if (metrics.mahalanobis_auc) j["metrics"]["mahalanobis_auc"] = *metrics.mahalanobis_auc;
    if (!metrics.thresholds.empty()) {
      Json t = Json::object();
      for (const auto& [policy, d] : metrics.thresholds)
        t[policy] = {{"threshold", d.threshold}, {"tp", d.tp}, {"fp", d.fp}, {"tn", d.tn}, {"fn", d.fn},
                     {"precision", d.precision()}, {"recall", d.recall()}, {"f1", d.f1()}, {"accuracy", d.accuracy()}};
      j["metrics"]["thresholds"] = t;
    }
  }
  if (!curves.empty()) {
    Json t = Json::object();
    for (const auto& [phase, c] : curves) t[phase] = curve_json(c);
    j["training"] = t;
  }
  if (representation)
    j["representation"] = {{"spread", representation->spread}, {"collapse_suspected", representation->collapse_suspected}};
  if (!method_report.empty()) j["method_report"] = method_report;
  if (!scores_file.empty()) j["scores_file"] = scores_file;
  if (!scores_sha256.empty()) j["scores_sha256"] = scores_sha256;
  if (!ok()) j["error"] = {{"phase", error_phase}, {"message", error_message}};
  Json t = Json::object();
  for (const auto& [name, s] : timing) t[name + "_s"] = s;
  j["timing"] = t;
  j["threads"] = threads;
  j["device"] = device;
  j["numerics"] = {{"signature", numerics.signature()}, {"method_version", numerics.method_version},
                   {"threads", numerics.threads},       {"device", numerics.device},
                   {"cpu", numerics.cpu},               {"kernels", numerics.kernels}};
  j["finished_at"] = finished_at;
  j["provenance"] = provenance;
  return j;
}

CellRecord CellRecord::from_json(const Json& j) {
  const Fields f(j, "");
  CellRecord r;
  r.schema = static_cast<int>(f.integer("schema"));
  if (r.schema < 1 || r.schema > kSchema)
    throw RecordError("schema", fmt::format("must be 1 to {} (this ocbench's), got {}{}", kSchema, r.schema,
                                            r.schema > kSchema ? ": made by a newer ocbench" : ""));
  r.status = f.string("status");
  if (r.status != "ok" && r.status != "failed") throw RecordError("status", "must be \"ok\" or \"failed\", got \"" + r.status + "\"");
  r.cell_id = f.string("cell_id");
  if (r.cell_id.size() != 16 || r.cell_id.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw RecordError("cell_id", "must be 16 hexadecimal digits, got \"" + r.cell_id + "\"");
  r.experiment = f.string("experiment");
  r.label = f.string("label");
  r.method = f.string("method");
  r.dataset = f.string("dataset");
  r.normal_class = static_cast<int>(f.integer("normal_class"));
  r.seed = f.unsigned_integer("seed");
  r.params = f.object("params");
  r.canonical = f.string("canonical");
  r.started_at = f.string_or("started_at", "");
  r.finished_at = f.string_or("finished_at", "");
  if (f.has("data")) r.data = f.object("data");
  if (f.has("selection")) r.selection = f.object("selection");
  if (r.ok()) {
    const Fields m = f.sub("metrics");
    r.metrics.auc = m.number("auc");
    if (r.metrics.auc < 0.0 || r.metrics.auc > 1.0) throw RecordError("metrics.auc", fmt::format("must be in [0, 1], got {}", r.metrics.auc));
    r.metrics.average_precision = m.number("average_precision");
    r.metrics.score_min = m.number("score_min");
    r.metrics.score_max = m.number("score_max");
    if (m.has("mahalanobis_auc")) {
      r.metrics.mahalanobis_auc = m.number("mahalanobis_auc");
      if (*r.metrics.mahalanobis_auc < 0.0 || *r.metrics.mahalanobis_auc > 1.0)
        throw RecordError("metrics.mahalanobis_auc", fmt::format("must be in [0, 1], got {}", *r.metrics.mahalanobis_auc));
    }
    if (m.has("thresholds")) {
      const Fields t = m.sub("thresholds");
      for (const auto& [policy, v] : m.at("thresholds").items()) {
        const Fields d = t.sub(policy.c_str());
        core::Decisions x;
        x.threshold = d.number("threshold");
        x.tp = d.integer("tp");
        x.fp = d.integer("fp");
        x.tn = d.integer("tn");
        x.fn = d.integer("fn");
        if (x.tp < 0 || x.fp < 0 || x.tn < 0 || x.fn < 0)
          throw RecordError("metrics.thresholds." + policy, "counts must be >= 0");
        r.metrics.thresholds.push_back({policy, x});
      }
    }
    if (f.has("scores_file")) r.scores_file = f.string("scores_file");
    if (f.has("scores_sha256")) {
      r.scores_sha256 = f.string("scores_sha256");
      if (r.scores_sha256.size() != 64 || r.scores_sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
        throw RecordError("scores_sha256", "must be 64 lowercase hex digits");
    }
  } else {
    const Fields e = f.sub("error");
    r.error_phase = e.string("phase");
    r.error_message = e.string("message");
  }
  if (f.has("method_report")) r.method_report = f.object("method_report");
  if (r.schema == 1) {
    upgrade_from_schema1(f, r);
  } else {
    if (f.has("training")) {
      const Fields t = f.sub("training");
      for (const auto& [phase, v] : f.object("training").items()) r.curves[phase] = read_curve(t.sub(phase.c_str()));
    }
    if (f.has("representation")) {
      const Fields rep = f.sub("representation");
      r.representation = core::RepresentationFacts{rep.number("spread"), rep.boolean_or("collapse_suspected", false)};
    }
  }
  const Fields t = f.sub("timing");
  for (const auto& [name, v] : f.object("timing").items()) {
    if (name.size() < 3 || name.compare(name.size() - 2, 2, "_s") != 0)
      throw RecordError("timing." + name, "must end in _s (seconds)");
    r.timing.emplace_back(name.substr(0, name.size() - 2), t.number(name.c_str()));
  }
  r.threads = static_cast<int>(f.integer("threads"));
  if (r.threads < 1) throw RecordError("threads", fmt::format("must be >= 1, got {}", r.threads));
  r.device = f.string("device");
  if (r.schema >= 2) {
    const Fields n = f.sub("numerics");
    r.numerics.method_version = static_cast<int>(n.integer("method_version"));
    r.numerics.threads = static_cast<int>(n.integer("threads"));
    r.numerics.device = n.string("device");
    r.numerics.cpu = n.string_or("cpu", "");
    r.numerics.kernels = n.string_or("kernels", "");
  } else {
    r.numerics.threads = r.threads;
    r.numerics.device = r.device;
  }
  r.provenance = f.object("provenance");
  r.schema = kSchema;  // upgraded: written back, it is a record of this schema
  return r;
}

}  // namespace ocb::harness
