// A registry of self-registering plugins, created on first use so static
// registrars in any translation unit can add to it before main(). Duplicate ids
// are kept and reported with both source locations by check_unique().
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/error.hpp"

namespace ocb::core {

// Info must have `id`, `file` and `line` members.
template <class Info>
class Registry {
 public:
  explicit Registry(std::string kind) : kind_(std::move(kind)) {}

  void add(Info info) noexcept {
    try {
      entries_.push_back(std::move(info));
    } catch (...) {
      // Out of memory during static initialisation: nothing sensible to do;
      // the missing id shows up as "unknown" when looked up.
    }
  }

  const Info& get(std::string_view id) const {
    for (const auto& e : entries_)
      if (e.id == id) return e;
    std::string known;
    for (const auto* e : all()) known += (known.empty() ? "" : ", ") + e->id;
    throw Error(fmt::format("unknown {} '{}' (known: {})", kind_, id, known));
  }

  bool contains(std::string_view id) const {
    return std::any_of(entries_.begin(), entries_.end(), [&](const Info& e) { return e.id == id; });
  }

  // Sorted by id.
  std::vector<const Info*> all() const {
    std::vector<const Info*> out;
    for (const auto& e : entries_) out.push_back(&e);
    std::sort(out.begin(), out.end(), [](const Info* a, const Info* b) { return a->id < b->id; });
    return out;
  }

  void check_unique() const {
    std::map<std::string, const Info*> seen;
    for (const auto& e : entries_) {
      auto [it, inserted] = seen.emplace(e.id, &e);
      if (!inserted)
        throw Error(fmt::format("{} '{}' is registered twice: {}:{} and {}:{}", kind_, e.id, it->second->file,
                                it->second->line, e.file, e.line));
    }
  }

 private:
  std::string kind_;
  std::vector<Info> entries_;
};

}  // namespace ocb::core
