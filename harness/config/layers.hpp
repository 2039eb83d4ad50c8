// Layered experiment files (`extends = "experiments/table1_mnist.toml"`):
// the chain of files from the root-most parent to the file itself, and tables
// merged across that chain key by key, the later file winning, each value
// keeping the file it came from so that errors point into the right file.
// Internal to harness/config (toml++ is used here and in experiment.cpp only).
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ocb::harness::config {

namespace fs = std::filesystem;

struct Layer {
  fs::path file;
  toml::table root;
};

// The file and, before it, every file it extends (parents first). `extends`
// paths are relative to the working directory, as every path in an
// experiment; a cycle or a chain deeper than 8 is a ConfigError.
std::vector<Layer> load_layers(std::string_view text, const fs::path& file);

// One key of a merged table: where its value comes from.
struct Entry {
  std::string name;
  const fs::path* file = nullptr;
  const toml::key* key = nullptr;
  const toml::node* value = nullptr;
  std::size_t layer = 0;  // 0 = the root-most file
};

// A table as several files give it: (file, table) pairs, parents first.
struct TableLayers {
  std::vector<std::pair<const Layer*, const toml::table*>> parts;
  std::size_t first_layer = 0;         // of its first appearance (for the column order)
  const toml::node* first = nullptr;   // its first appearance
  const fs::path* first_file = nullptr;
};

// The keys of a table merged across layers, in first-appearance order.
std::vector<Entry> merged_keys(const TableLayers& t, const std::vector<Layer>& layers);

// The sub-tables of `section` ("datasets", "methods") across layers, in
// order of first appearance (the root-most file's order first).
std::vector<std::pair<std::string, TableLayers>> sections(const std::vector<Layer>& layers, const char* section);

}  // namespace ocb::harness::config
