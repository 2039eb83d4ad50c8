// TOML reading and validation of experiment files (experiment.hpp). toml++ is
// used here and nowhere else.
#include "harness/config/experiment.hpp"

#include <toml++/toml.h>

#include "harness/config/layers.hpp"

#include <algorithm>
#include <map>
#include <cmath>
#include <cstring>
#include <set>
#include <tuple>

#include "datasets/common/dataset.hpp"
#include "datasets/preprocess/normalize.hpp"
#include "harness/core/atomic_file.hpp"
#include "harness/core/method.hpp"

namespace ocb::harness {
namespace {

using core::ConfigError;

// Values are located at the value, unknown keys at the key.
core::SourceLocation at(const fs::path& file, const toml::source_region& src) {
  return {file.string(), static_cast<int>(src.begin.line), static_cast<int>(src.begin.column)};
}
core::SourceLocation at(const config::Entry& e) { return at(*e.file, e.key->source()); }
core::SourceLocation at(const fs::path& file, const toml::node& node) { return at(file, node.source()); }

std::string join(const std::vector<std::string>& xs) {
  std::string out;
  for (const auto& x : xs) out += (out.empty() ? "" : ", ") + x;
  return out;
}

// Rejects keys not in `allowed`, naming the valid ones.
void only_keys(const std::vector<config::Entry>& keys, const std::string& path, const std::vector<std::string>& allowed) {
  for (const auto& e : keys)
    if (std::find(allowed.begin(), allowed.end(), e.name) == allowed.end())
      throw ConfigError(at(e), path + e.name, "is not a valid key (valid: " + join(allowed) + ")");
}

// A [section.<name>] that is not a table, or has none of its keys in a table.
const std::vector<config::Entry> table_keys(const config::TableLayers& t, const std::vector<config::Layer>& layers,
                                            const std::string& path) {
  if (!t.first->is_table() || t.parts.empty()) throw ConfigError(at(*t.first_file, *t.first), path, "must be a table");
  return config::merged_keys(t, layers);
}

class Reader {
 public:
  Reader(const fs::path& file, const toml::node& node, std::string key) : file_(file), node_(node), key_(std::move(key)) {}

  std::string string() const {
    if (auto v = node_.value<std::string>()) return *v;
    fail("a string");
  }
  std::int64_t integer() const {
    if (node_.is_integer()) return *node_.value<std::int64_t>();
    fail("an integer");
  }
  bool boolean() const {
    if (auto v = node_.value_exact<bool>()) return *v;
    fail("a boolean");
  }
  double number() const {
    if (node_.is_integer() || node_.is_floating_point()) {
      const double v = *node_.value<double>();
      if (!std::isfinite(v)) invalid(fmt::format("must be a finite number, got {}", v));
      return v;
    }
    fail("a number");
  }
  std::vector<std::int64_t> integers() const {
    std::vector<std::int64_t> out;
    if (auto* arr = node_.as_array()) {
      for (const auto& el : *arr) {
        if (!el.is_integer()) fail("a list of integers");
        out.push_back(*el.value<std::int64_t>());
      }
      return out;
    }
    fail("a list of integers");
  }
  std::vector<std::string> strings() const {
    std::vector<std::string> out;
    if (auto* arr = node_.as_array()) {
      for (const auto& el : *arr) {
        if (!el.is_string()) fail("a list of strings");
        out.push_back(*el.value<std::string>());
      }
      return out;
    }
    fail("a list of strings");
  }
  // Converts to the type of `like` (a method parameter's default).
  core::ParamValue like(const core::ParamValue& like) const {
    return std::visit(
        [&](const auto& d) -> core::ParamValue {
          using T = std::decay_t<decltype(d)>;
          if constexpr (std::is_same_v<T, bool>) {
            return boolean();
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            return integer();
          } else if constexpr (std::is_same_v<T, double>) {
            return number();
          } else if constexpr (std::is_same_v<T, std::string>) {
            return string();
          } else if constexpr (std::is_same_v<T, std::vector<std::int64_t>>) {
            return integers();
          } else if constexpr (std::is_same_v<T, std::vector<double>>) {
            std::vector<double> out;
            if (auto* arr = node_.as_array()) {
              for (const auto& el : *arr) {
                if (!el.is_integer() && !el.is_floating_point()) fail("a list of numbers");
                const double v = *el.value<double>();
                if (!std::isfinite(v)) invalid(fmt::format("must hold finite numbers, got {}", v));
                out.push_back(v);
              }
              return out;
            }
            fail("a list of numbers");
          } else {
            return strings();
          }
        },
        like);
  }
  [[noreturn]] void fail(const std::string& expected) const {
    throw ConfigError(at(file_, node_), key_, "must be " + expected + ", got " + got());
  }
  [[noreturn]] void invalid(const std::string& message) const { throw ConfigError(at(file_, node_), key_, message); }

 private:
  std::string got() const {
    switch (node_.type()) {
      case toml::node_type::string: return "a string";
      case toml::node_type::integer: return "an integer";
      case toml::node_type::floating_point: return "a number";
      case toml::node_type::boolean: return "a boolean";
      case toml::node_type::array: return "a list";
      case toml::node_type::table: return "a table";
      default: return "a date or time";
    }
  }
  const fs::path& file_;
  const toml::node& node_;
  std::string key_;
};

DatasetEntry read_dataset(const std::string& id, const config::TableLayers& t, const std::vector<config::Layer>& layers) {
  const std::string path = "datasets." + id + ".";
  const auto keys = table_keys(t, layers, "datasets." + id);
  std::vector<std::string> known;
  for (const auto& d : datasets::dataset_catalog()) known.push_back(d.id);
  std::string kind = id;
  for (const auto& e : keys)
    if (e.name == "dataset") {
      Reader r(*e.file, *e.value, path + "dataset");
      kind = r.string();
      if (std::find(known.begin(), known.end(), kind) == known.end())
        r.invalid("must name a known dataset (known: " + join(known) + "), got \"" + kind + "\"");
    }
  if (std::find(known.begin(), known.end(), kind) == known.end())
    throw ConfigError(at(*t.first_file, *t.first), "datasets." + id,
                      "is not a known dataset (known: " + join(known) + "); another name needs dataset = \"<one of them>\"");
  const auto& info = datasets::dataset_info(kind);
  std::vector<std::string> allowed{"dataset", "title", "classes", "preprocessing", "max_train", "max_test", "test_normals_from_train"};
  allowed.insert(allowed.end(), info.option_keys.begin(), info.option_keys.end());
  only_keys(keys, path, allowed);
  DatasetEntry d;
  d.id = id;
  d.kind = kind;
  d.title = info.title;
  d.where = at(*t.first_file, *t.first);
  d.preprocessing = "gcn_l1_minmax";
  const int n_classes = static_cast<int>(info.class_names.size());
  if (!info.default_classes.empty()) d.classes = info.default_classes;
  else
    for (int k = 0; k < n_classes; ++k) d.classes.push_back(k);
  for (const auto& e : keys) {
    const std::string& k = e.name;
    const toml::node& value = *e.value;
    Reader r(*e.file, value, path + k);
    if (k == "dataset") {
      continue;
    } else if (k == "title") {
      d.title = r.string();
      if (d.title.empty()) r.invalid("must not be empty");
    } else if (k == "test_normals_from_train") {
      const auto v = r.integer();
      if (v < 0) r.invalid(fmt::format("must be >= 0 (0 = the dataset's own test images), got {}", v));
      d.test_normals_from_train = v;
    } else if (k == "classes") {
      d.classes.clear();
      for (auto c : r.integers()) {
        if (c < 0 || c >= n_classes)
          r.invalid(fmt::format("must hold classes in [0, {}], got {}", n_classes - 1, c));
        if (std::find(d.classes.begin(), d.classes.end(), c) != d.classes.end())
          r.invalid(fmt::format("lists class {} twice", c));
        d.classes.push_back(static_cast<int>(c));
      }
      if (d.classes.empty()) r.invalid("must not be empty");
    } else if (k == "preprocessing") {
      d.preprocessing = r.string();
      if (!datasets::is_preprocessing_kind(d.preprocessing))
        r.invalid("must be one of \"gcn_l1_minmax\", \"minmax\", \"raw\", got \"" + d.preprocessing + "\"");
    } else if (k == "max_train" || k == "max_test") {
      const auto v = r.integer();
      if (v < 0) r.invalid(fmt::format("must be >= 0 (0 = all), got {}", v));
      (k == "max_train" ? d.max_train : d.max_test) = v;
    } else if (value.is_boolean()) {
      d.options[k] = *value.value<bool>() ? "true" : "false";
    } else {
      d.options[k] = r.string();
    }
  }
  return d;
}

SlurmDefaults read_slurm(const std::vector<config::Entry>& keys) {
  only_keys(keys, "slurm.", {"shards", "throttle", "partition", "time", "mem", "account", "qos", "cpus_per_task", "gpus", "batch", "cuda_fp32", "extra"});
  SlurmDefaults s;
  for (const auto& e : keys) {
    const std::string& k = e.name;
    Reader r(*e.file, *e.value, "slurm." + k);
    auto positive = [&] {
      const auto v = r.integer();
      if (v < (k == "gpus" ? 0 : 1)) r.invalid(fmt::format("must be >= {}, got {}", k == "gpus" ? 0 : 1, v));
      return v;
    };
    if (k == "shards") s.shards = positive();
    else if (k == "throttle") s.throttle = positive();
    else if (k == "cpus_per_task") s.cpus_per_task = positive();
    else if (k == "gpus") s.gpus = positive();
    else if (k == "batch") s.batch = positive();
    else if (k == "extra") s.extra = r.strings();
    else if (k == "cuda_fp32") s.cuda_fp32 = r.boolean();
    else {
      const std::string v = r.string();
      if (v.find_first_of("\n\r") != std::string::npos) r.invalid("must be one line");
      (k == "partition" ? s.partition : k == "time" ? s.time : k == "mem" ? s.mem : k == "account" ? s.account : s.qos) = v;
    }
  }
  return s;
}

// Keys of a [methods.<label>] table that the harness reads itself.
const std::vector<std::string> kHarnessMethodKeys = {"method",       "preprocessing",      "pca_variance",
                                                     "datasets",     "paper_method",       "labelled_anomalies",
                                                     "pollution",    "known_anomaly_classes", "seeds", "settings"};

// What every method of an experiment starts from: the plugin's defaults, or
// its quick() settings (`settings = "quick"`), then [method_defaults] for each
// key the plugin has, then the label's own table.
struct MethodBase {
  std::string settings = "defaults";
  const config::Entry* settings_entry = nullptr;
  std::vector<config::Entry> defaults;  // [method_defaults]
};

std::string read_settings(const config::Entry& e, const std::string& path) {
  const std::string v = Reader(*e.file, *e.value, path).string();
  if (v != "defaults" && v != "quick")
    Reader(*e.file, *e.value, path).invalid("must be \"defaults\" (the plugin's) or \"quick\" (its quick() settings), got \"" + v + "\"");
  return v;
}

MethodEntry read_method(const std::string& label, const std::vector<config::Entry>& keys, const core::SourceLocation& where,
                        const MethodBase& base) {
  const std::string path = "methods." + label + ".";
  MethodEntry m;
  m.label = label;
  m.method = label;
  m.paper_method = label;
  m.where = where;
  const config::Entry* method_key = nullptr;
  std::string settings = base.settings;
  for (const auto& e : keys) {
    if (e.name == "method") {
      m.method = Reader(*e.file, *e.value, path + "method").string();
      method_key = &e;
    }
    if (e.name == "settings") settings = read_settings(e, path + "settings");
  }
  const auto& registry = core::method_registry();
  if (!registry.contains(m.method)) {
    std::vector<std::string> ids;
    for (const auto* info : core::listed_methods()) ids.push_back(info->id);
    throw ConfigError(method_key ? at(*method_key->file, *method_key->value) : where, path + "method",
                      "names no registered method: '" + m.method + "' (registered: " + join(ids) + ")");
  }
  const auto& info = registry.get(m.method);
  core::ParamMap given;
  std::map<std::string, const config::Entry*> given_by;  // where each given value is written
  if (settings == "quick") given = info.quick;
  auto parameter = [&](const config::Entry& e, const std::string& key_path, bool strict) {
    auto spec = std::find_if(info.params.begin(), info.params.end(), [&](const auto& sp) { return sp.key == e.name; });
    if (spec == info.params.end()) {
      if (!strict) return;  // a [method_defaults] key this plugin does not have
      std::vector<std::string> valid = kHarnessMethodKeys;
      for (const auto& sp : info.params) valid.push_back(sp.key);
      throw ConfigError(at(e), key_path, "is not a parameter of method '" + m.method + "' (valid: " + join(valid) + ")");
    }
    Reader r(*e.file, *e.value, key_path);
    core::ParamValue v = r.like(spec->default_value);
    if (auto why = core::violation(*spec, v); !why.empty()) r.invalid(why);
    given[e.name] = std::move(v);
    given_by[e.name] = &e;
  };
  for (const auto& e : base.defaults) parameter(e, "method_defaults." + e.name, false);
  for (const auto& e : keys) {
    const std::string& k = e.name;
    Reader r(*e.file, *e.value, path + k);
    if (k == "method" || k == "settings") continue;
    if (k == "preprocessing") {
      m.preprocessing = r.string();
      if (!datasets::is_preprocessing_kind(m.preprocessing))
        r.invalid("must be one of \"gcn_l1_minmax\", \"minmax\", \"raw\", got \"" + m.preprocessing + "\"");
    } else if (k == "pca_variance") {
      m.pca_variance = r.number();
      if (m.pca_variance < 0.0 || m.pca_variance > 1.0)
        r.invalid(fmt::format("must be in [0, 1] (0 = no PCA), got {}", m.pca_variance));
    } else if (k == "datasets") {
      m.datasets = r.strings();
    } else if (k == "paper_method") {
      m.paper_method = r.string();
    } else if (k == "labelled_anomalies" || k == "pollution") {
      const double v = r.number();
      if (v < 0.0 || v >= 1.0) r.invalid(fmt::format("must be in [0, 1), got {}", v));
      (k == "pollution" ? m.pollution : m.labelled_anomalies) = v;
    } else if (k == "seeds") {
      std::set<std::int64_t> seen;
      for (auto v : r.integers()) {
        if (v < 0) r.invalid(fmt::format("must hold seeds >= 0, got {}", v));
        if (!seen.insert(v).second) r.invalid(fmt::format("lists seed {} twice", v));
        m.seeds.push_back(static_cast<std::uint64_t>(v));
      }
      if (m.seeds.empty()) r.invalid("must not be empty");
    } else if (k == "known_anomaly_classes") {
      m.known_anomaly_classes = r.integer();
      if (m.known_anomaly_classes < 1) r.invalid(fmt::format("must be >= 1, got {}", m.known_anomaly_classes));
    } else {
      parameter(e, path + k, true);
    }
  }
  try {
    const auto probe = info.make(given, m.params);
    m.requirements = probe->requirements();
    if (info.unused)
      for (const auto& key : info.unused(m.params))
        for (const auto& e : keys)
          if (e.name == key)
            throw ConfigError(at(e), path + key,
                              "has no effect on method '" + m.method + "' with the other settings given; remove it");
    m.identity = core::canonical(core::identifying(m.params, info.params));
    m.numerics_version = info.numerics_version;
    m.numerics_version_on = info.numerics_version_on;
  } catch (const core::ParamError& e) {
    auto it = given_by.find(e.key());
    throw ConfigError(it != given_by.end() ? at(*it->second->file, *it->second->value) : where, path + e.key(), e.what());
  }
  return m;
}

}  // namespace

int MethodEntry::numerics_version_for(const std::string& dataset_kind, const std::string& device) const {
  if (!numerics_version_on) return numerics_version;
  return numerics_version_on(params, datasets::dataset_info(dataset_kind).sample_shape, device);
}

std::string tomlplusplus_version() {
  return fmt::format("{}.{}.{}", TOML_LIB_MAJOR, TOML_LIB_MINOR, TOML_LIB_PATCH);
}

const MethodEntry& Experiment::method(const std::string& label) const {
  for (const auto& m : methods)
    if (m.label == label) return m;
  throw core::Error(fmt::format("{}: no method labelled '{}'", file.string(), label));
}

const DatasetEntry& Experiment::dataset(const std::string& id) const {
  for (const auto& d : datasets)
    if (d.id == id) return d;
  throw core::Error(fmt::format("{}: no dataset '{}'", file.string(), id));
}

fs::path Experiment::view_dir() const {
  return shares_records ? results_dir / name : results_dir;
}

Experiment load_experiment(const fs::path& file) {
  std::string text;
  try {
    text = core::read_file(file);
  } catch (const core::IoError& e) {
    throw ConfigError({file.string(), 0, 0}, "", std::string("cannot read: ") + std::strerror(e.err()));
  }
  return parse_experiment(text, file);
}

Experiment parse_experiment(std::string_view text, const fs::path& file) {
  const auto layers = config::load_layers(text, file);
  config::TableLayers top;
  for (const auto& l : layers) top.parts.push_back({&l, &l.root});
  const auto keys = config::merged_keys(top, layers);
  only_keys(keys, "", {"extends", "name", "description", "caption", "seeds", "paper", "results_dir", "datasets", "methods",
                       "slurm", "settings", "method_defaults", "all_methods"});
  Experiment exp;
  exp.file = file;
  for (std::uint64_t s = 1; s <= 10; ++s) exp.seeds.push_back(s);
  MethodBase base;
  bool all_methods = false;
  for (const auto& e : keys) {
    const std::string& k = e.name;
    const toml::node& value = *e.value;
    Reader r(*e.file, value, k);
    if (k == "name") {
      // Not inherited: a child that kept its parent's name would write into the parent's results.
      if (e.layer + 1 != layers.size()) continue;
      exp.name = r.string();
      const bool ok = !exp.name.empty() && std::all_of(exp.name.begin(), exp.name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
      });
      if (!ok) r.invalid("must be letters, digits, '_' or '-', got \"" + exp.name + "\"");
    } else if (k == "description") {
      exp.description = r.string();
    } else if (k == "caption") {
      exp.caption = r.string();
    } else if (k == "paper") {
      if (value.is_array())
        for (const auto& f : r.strings()) exp.paper.emplace_back(f);
      else
        exp.paper.emplace_back(r.string());
    } else if (k == "results_dir") {
      exp.results_dir = r.string();
      exp.shares_records = true;
    } else if (k == "seeds") {
      exp.seeds.clear();
      std::set<std::int64_t> seen;
      for (auto s : r.integers()) {
        if (s < 0) r.invalid(fmt::format("must hold seeds >= 0, got {}", s));
        if (!seen.insert(s).second) r.invalid(fmt::format("lists seed {} twice", s));
        exp.seeds.push_back(static_cast<std::uint64_t>(s));
      }
      if (exp.seeds.empty()) r.invalid("must not be empty");
    } else if (k == "settings") {
      base.settings = read_settings(e, "settings");
    } else if (k == "all_methods") {
      if (auto v = value.value_exact<bool>()) all_methods = *v;
      else r.fail("a boolean");
    }
  }
  if (exp.name.empty()) throw ConfigError({file.string(), 1, 1}, "name", "is required (it names the results folder; not inherited)");
  for (const char* single : {"slurm", "method_defaults"}) {
    config::TableLayers t;
    for (const auto& l : layers)
      if (const auto* node = l.root.get(single)) {
        if (!node->is_table()) throw ConfigError(at(l.file, *node), single, "must be a table");
        t.parts.push_back({&l, node->as_table()});
      }
    if (t.parts.empty()) continue;
    const auto entries = config::merged_keys(t, layers);
    if (std::string(single) == "slurm") exp.slurm = read_slurm(entries);
    else base.defaults = entries;
  }
  // Columns in the files' order: the root-most file's first.
  std::vector<std::tuple<std::size_t, int, int>> order_ds, order_m;
  for (const auto& [id, t] : config::sections(layers, "datasets")) {
    exp.datasets.push_back(read_dataset(id, t, layers));
    order_ds.emplace_back(t.first_layer, exp.datasets.back().where.line, exp.datasets.back().where.column);
  }
  if (exp.datasets.empty()) throw ConfigError({file.string(), 1, 1}, "datasets", "needs at least one [datasets.<id>] table");
  for (const auto& [label, t] : config::sections(layers, "methods")) {
    const auto entries = table_keys(t, layers, "methods." + label);
    exp.methods.push_back(read_method(label, entries, at(*t.first_file, *t.first), base));
    order_m.emplace_back(t.first_layer, exp.methods.back().where.line, exp.methods.back().where.column);
  }
  if (all_methods) {
    // Every registered method that no label uses, under its id, after the listed ones.
    int n = 0;
    for (const auto* info : core::listed_methods()) {
      const bool named = std::any_of(exp.methods.begin(), exp.methods.end(),
                                     [&](const auto& m) { return m.method == info->id || m.label == info->id; });
      if (named) continue;
      exp.methods.push_back(read_method(info->id, {}, {file.string(), 0, 0}, base));
      order_m.emplace_back(layers.size(), ++n, 0);
    }
  }
  if (exp.methods.empty()) throw ConfigError({file.string(), 1, 1}, "methods", "needs at least one [methods.<label>] table");
  for (const auto& m : exp.methods)
    for (const auto& d : m.datasets)
      if (std::none_of(exp.datasets.begin(), exp.datasets.end(), [&](const auto& e) { return e.id == d; }))
        throw ConfigError(m.where, "methods." + m.label + ".datasets",
                          "names dataset '" + d + "', which has no [datasets." + d + "] table");
  auto sorted = [](auto& items, const auto& order) {
    std::vector<std::size_t> idx(items.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return order[a] < order[b]; });
    std::remove_reference_t<decltype(items)> out;
    for (auto i : idx) out.push_back(std::move(items[i]));
    items = std::move(out);
  };
  sorted(exp.datasets, order_ds);
  sorted(exp.methods, order_m);
  if (exp.results_dir.empty()) exp.results_dir = fs::path("results") / exp.name;
  return exp;
}

}  // namespace ocb::harness
