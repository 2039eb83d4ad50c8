// Typed method parameters. A method's Params struct declares each field once,
// in visit(); from that one list come the documentation (`ocbench methods`),
// the TOML binding with its checks, and the canonical text hashed into cell ids.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace ocb::core {

using ParamValue = std::variant<bool, std::int64_t, double, std::string, std::vector<std::int64_t>,
                                std::vector<double>, std::vector<std::string>>;
using ParamMap = std::map<std::string, ParamValue>;

// Canonical text of a value (TOML-like: 0.1, [1, 2], "a"); equal values give equal text.
std::string to_string(const ParamValue& value);
// "integer", "float", "list of floats", ...: the words errors use.
std::string type_name(const ParamValue& value);
// "key=value;key=value" over the sorted keys.
std::string canonical(const ParamMap& params);

// A rule a value must satisfy, with the text that documents it ("in (0, 1]").
struct Constraint {
  std::string text;
  std::function<bool(const ParamValue&)> ok;
  // False for a key added after records exist: at its default value it is
  // left out of the cell id, so the cells recorded before it keep their ids.
  bool in_id_at_default = true;
};

Constraint any_value();
Constraint in_range(double lo, double hi, bool lo_open = false, bool hi_open = false);
Constraint at_least(double lo);
Constraint greater_than(double lo);
Constraint one_of(std::vector<std::string> choices);
// For lists: non-empty, and every element satisfies the scalar rule.
Constraint each(Constraint element);
// Both rules hold; the text joins them.
Constraint both(Constraint a, Constraint b);
// The same rule, for a key added after records were made (see
// Constraint::in_id_at_default).
Constraint added_later(Constraint c);

struct ParamSpec {
  std::string key;
  std::string doc;
  ParamValue default_value;
  Constraint constraint;
};

// Thrown by a Params::check() on a cross-field problem; the harness adds the
// experiment file's location.
class ParamError : public std::runtime_error {
 public:
  ParamError(std::string key, const std::string& message)
      : std::runtime_error(message), key_(std::move(key)) {}
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

// The part of a resolved map that identifies a cell: every key, except the
// keys added later that hold their default value.
ParamMap identifying(const ParamMap& resolved, const std::vector<ParamSpec>& specs);

// Checks one value against its spec: "" when fine, otherwise the reason
// ("must be in (0, 1], got 1.5").
std::string violation(const ParamSpec& spec, const ParamValue& value);

namespace detail {
template <class T>
inline constexpr bool is_param_type =
    std::is_same_v<T, bool> || std::is_same_v<T, std::int64_t> || std::is_same_v<T, double> ||
    std::is_same_v<T, std::string> || std::is_same_v<T, std::vector<std::int64_t>> ||
    std::is_same_v<T, std::vector<double>> || std::is_same_v<T, std::vector<std::string>>;

template <class P>
concept HasCheck = requires(const P& p) { p.check(); };
}  // namespace detail

// The spec list of P, defaults taken from a default-constructed P.
template <class P>
std::vector<ParamSpec> describe_params() {
  P defaults;
  std::vector<ParamSpec> specs;
  defaults.visit([&](const char* key, auto& field, const char* doc, Constraint constraint) {
    using T = std::decay_t<decltype(field)>;
    static_assert(detail::is_param_type<T>, "parameter fields must be a ParamValue alternative");
    specs.push_back(ParamSpec{key, doc, ParamValue(field), std::move(constraint)});
  });
  return specs;
}

// Builds P from values already converted to each field's type and checked
// (the harness does that against describe_params<P>()); missing keys keep
// their defaults. Runs P::check() when P has one.
template <class P>
P bind_params(const ParamMap& values) {
  P params;
  params.visit([&](const char* key, auto& field, const char*, const Constraint&) {
    using T = std::decay_t<decltype(field)>;
    if (auto it = values.find(key); it != values.end()) {
      if (const T* v = std::get_if<T>(&it->second)) field = *v;
      else throw ParamError(key, "expected " + type_name(ParamValue(field)) + ", got " + type_name(it->second));
    }
  });
  if constexpr (detail::HasCheck<P>) params.check();
  return params;
}

// The complete map (every key, defaults filled in) of a bound P.
template <class P>
ParamMap resolved_params(const P& bound) {
  ParamMap out;
  const_cast<P&>(bound).visit([&](const char* key, auto& field, const char*, const Constraint&) {
    out.emplace(key, ParamValue(field));
  });
  return out;
}

}  // namespace ocb::core
