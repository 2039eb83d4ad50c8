// An experiment file (TOML): which methods, under which column labels and
// parameters, on which datasets, normal classes and seeds. Every key is
// checked; a mistake is a ConfigError naming file:line:col and the key.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "harness/core/error.hpp"
#include "harness/core/method.hpp"
#include "harness/core/params.hpp"

namespace ocb::harness {

namespace fs = std::filesystem;

struct DatasetEntry {
  // The table's name for it ([datasets.<id>]); `kind` is the catalog's
  // dataset it loads (`dataset = "..."`, default the id). Several entries of
  // one kind with other options (e.g. adversarial sets) sit side by side.
  std::string id;
  std::string kind;
  std::string title;               // the catalog's title, or `title = "..."`
  std::vector<int> classes;        // default: all classes of the dataset
  std::string preprocessing;       // default for the methods on this dataset
  std::int64_t max_train = 0;      // 0 = all (quick runs only)
  std::int64_t max_test = 0;       // 0 = all (quick runs only)
  // > 0: the normal part of the test set is this many training images of the
  // normal class, drawn with the cell's seed and left out of training (the
  // Theano code's GTSRB split); the dataset's own normal test images are not used.
  std::int64_t test_normals_from_train = 0;
  std::map<std::string, std::string> options;  // dataset-specific (e.g. gtsrb_adversarial's adversarial set)
  core::SourceLocation where;
};

struct MethodEntry {
  std::string label;               // column name in tables, e.g. "deep_svdd_soft"
  std::string method;              // plugin id
  core::ParamMap params;           // complete: given keys checked, the rest defaults
  std::string preprocessing;       // "" = the dataset's
  double pca_variance = 0.0;       // 0 = no PCA
  std::vector<std::string> datasets;  // empty = every dataset of the experiment
  std::string paper_method;        // the paper's column this label is compared with (default: the label)
  double labelled_anomalies = 0.0; // Deep SAD's gamma_l (training set composition, Ruff et al., ICLR 2020, §4)
  double pollution = 0.0;          // Deep SAD's gamma_p
  std::int64_t known_anomaly_classes = 1;  // Deep SAD's k_l
  std::vector<std::uint64_t> seeds;  // overrides the experiment's seeds for this label (expensive columns)
  core::SourceLocation where;
  // Resolved once, when the file is read:
  std::string identity;            // canonical text of the parameters that identify a cell
  core::Requirements requirements; // holdout, shared stage
  int numerics_version = 1;        // the plugin's
  // The plugin's per-data version, when it declares one (core::MethodInfo).
  std::function<int(const core::ParamMap&, const core::Shape&, const std::string&)> numerics_version_on;
  // The version of this label's cells on a dataset of this kind on this device.
  int numerics_version_for(const std::string& dataset_kind, const std::string& device) const;
};

// Defaults for `ocbench slurm` from the experiment's [slurm] table: how the
// cluster runs the cells, never what a cell is (no cell id depends on them).
// Empty strings and zeros leave the choice to the command line or to Slurm.
struct SlurmDefaults {
  std::int64_t shards = 0;         // array tasks
  std::int64_t throttle = 0;       // tasks running at once (%K)
  std::string partition, time, mem, account, qos;
  std::int64_t cpus_per_task = 0;  // also the task's --jobs
  std::int64_t gpus = 0;           // per task; > 0 runs the task with --device cuda
  std::int64_t batch = 0;          // > 1: the task runs --batch K (cells' networks trained as one)
  bool cuda_fp32 = false;          // with gpus: --device cuda-fp32 (no TF32) instead of cuda
  // The device the tasks run: cpu, cuda or cuda-fp32.
  std::string task_device() const { return gpus > 0 ? (cuda_fp32 ? "cuda-fp32" : "cuda") : "cpu"; }
  std::vector<std::string> extra;  // further #SBATCH lines, as "--constraint=a100"
};

struct Experiment {
  fs::path file;
  std::string name;
  std::string description;
  std::string caption;             // printed under rendered tables
  std::vector<std::uint64_t> seeds;
  std::vector<DatasetEntry> datasets;
  std::vector<MethodEntry> methods;
  std::vector<fs::path> paper;     // published values (CSV files), may be empty
  fs::path results_dir;
  bool shares_records = false;     // results_dir set in the file: another experiment's records folder
  SlurmDefaults slurm;

  const MethodEntry& method(const std::string& label) const;
  // The [datasets.<id>] entry; core::Error when there is none.
  const DatasetEntry& dataset(const std::string& id) const;
  // Where the generated views (tables, report, plots) go: the results folder
  // itself, or, when the experiment shares another experiment's records
  // (`results_dir` in its file), a subfolder named after it, so that the two
  // never overwrite each other's tables and figures.
  fs::path view_dir() const;
};

// The toml++ version experiment files are read with (for provenance).
std::string tomlplusplus_version();

// Parses and validates; relative paths are relative to the working directory.
Experiment load_experiment(const fs::path& file);
// The same from the file's text (`file` names it in errors and provenance).
Experiment parse_experiment(std::string_view text, const fs::path& file);

}  // namespace ocb::harness
