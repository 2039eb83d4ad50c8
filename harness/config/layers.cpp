// Loading and merging layered experiment files (layers.hpp).
#include "harness/config/layers.hpp"

#include <algorithm>
#include <map>

#include "harness/core/atomic_file.hpp"
#include "harness/core/error.hpp"

namespace ocb::harness::config {
namespace {

toml::table parse(std::string_view text, const fs::path& file) {
  try {
    return toml::parse(text, file.string());
  } catch (const toml::parse_error& e) {
    const auto& src = e.source();
    throw core::ConfigError({file.string(), static_cast<int>(src.begin.line), static_cast<int>(src.begin.column)}, "",
                            std::string(e.description()));
  }
}

// The file's canonical name for the cycle check; a name the file system
// refuses (too long, a loop of links) is compared as written, and reading the
// file then reports it with the key that names it.
fs::path same_file_key(const fs::path& p) {
  std::error_code ec;
  auto c = fs::weakly_canonical(p, ec);
  return ec ? p.lexically_normal() : c;
}

}  // namespace

std::vector<Layer> load_layers(std::string_view text, const fs::path& file) {
  std::vector<Layer> chain;
  chain.push_back({file, parse(text, file)});
  while (const auto* ext = chain.back().root.get("extends")) {
    const fs::path& child = chain.back().file;
    const auto src = ext->source();
    const core::SourceLocation where{child.string(), static_cast<int>(src.begin.line), static_cast<int>(src.begin.column)};
    const auto parent = ext->value<std::string>();
    if (!parent) throw core::ConfigError(where, "extends", "must be a string (the path of the experiment file this one builds on)");
    if (chain.size() >= 8) throw core::ConfigError(where, "extends", "chains more than 8 files");
    for (const auto& l : chain)
      if (same_file_key(l.file) == same_file_key(*parent))
        throw core::ConfigError(where, "extends", "makes a cycle through " + *parent);
    std::error_code ec;
    const auto st = fs::status(*parent, ec);
    if (fs::exists(st) && !fs::is_regular_file(st))
      throw core::ConfigError(where, "extends", "names " + *parent + ", which is not a regular file (an experiment file was expected)");
    std::string parent_text;
    try {
      parent_text = core::read_file(*parent);
    } catch (const core::IoError& e) {
      throw core::ConfigError(where, "extends", "names a file that cannot be read: " + std::string(e.what()));
    }
    chain.push_back({*parent, parse(parent_text, *parent)});
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

std::vector<Entry> merged_keys(const TableLayers& t, const std::vector<Layer>& layers) {
  std::vector<Entry> out;
  std::map<std::string, std::size_t> index;
  for (const auto& [layer, table] : t.parts) {
    const std::size_t li = static_cast<std::size_t>(layer - layers.data());
    for (const auto& [key, value] : *table) {
      Entry e{std::string(key.str()), &layer->file, &key, &value, li};
      auto [it, inserted] = index.emplace(e.name, out.size());
      if (inserted) out.push_back(e);
      else out[it->second] = e;
    }
  }
  return out;
}

std::vector<std::pair<std::string, TableLayers>> sections(const std::vector<Layer>& layers, const char* section) {
  std::vector<std::pair<std::string, TableLayers>> out;
  std::map<std::string, std::size_t> index;
  for (std::size_t li = 0; li < layers.size(); ++li) {
    const auto* sec = layers[li].root.get(section);
    if (!sec) continue;
    const auto* table = sec->as_table();
    if (!table) {
      const auto src = sec->source();
      throw core::ConfigError({layers[li].file.string(), static_cast<int>(src.begin.line), static_cast<int>(src.begin.column)},
                              section, "must be a table of tables");
    }
    for (const auto& [key, value] : *table) {
      const std::string name(key.str());
      auto [it, inserted] = index.emplace(name, out.size());
      if (inserted) {
        TableLayers t;
        t.first_layer = li;
        t.first = &value;
        t.first_file = &layers[li].file;
        out.emplace_back(name, t);
      }
      // A non-table value is reported by the reader of the section, at its place.
      if (value.is_table()) out[it->second].second.parts.push_back({&layers[li], value.as_table()});
      else out[it->second].second.first = &value, out[it->second].second.first_file = &layers[li].file;
    }
  }
  return out;
}

}  // namespace ocb::harness::config
