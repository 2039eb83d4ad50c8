// Canonical text, type names and the stock constraints of params.hpp.
#include "harness/core/params.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace ocb::core {
namespace {

std::string number(double v) {
  // fmt's shortest round-trip form; "1.0" rather than "1" so floats stay floats.
  std::string s = fmt::format("{}", v);
  if (std::isfinite(v) && s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

template <class T, class F>
std::string list(const std::vector<T>& xs, F&& item) {
  std::string out = "[";
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (i) out += ", ";
    out += item(xs[i]);
  }
  return out + "]";
}

// Applies a scalar predicate to a scalar value, or to every element of a list.
bool numeric_all(const ParamValue& v, const std::function<bool(double)>& pred) {
  if (auto* i = std::get_if<std::int64_t>(&v)) return pred(static_cast<double>(*i));
  if (auto* d = std::get_if<double>(&v)) return pred(*d);
  return false;
}

}  // namespace

std::string to_string(const ParamValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) return v ? "true" : "false";
        else if constexpr (std::is_same_v<T, std::int64_t>) return std::to_string(v);
        else if constexpr (std::is_same_v<T, double>) return number(v);
        else if constexpr (std::is_same_v<T, std::string>) return quoted(v);
        else if constexpr (std::is_same_v<T, std::vector<std::int64_t>>)
          return list(v, [](std::int64_t x) { return std::to_string(x); });
        else if constexpr (std::is_same_v<T, std::vector<double>>) return list(v, number);
        else return list(v, quoted);
      },
      value);
}

std::string type_name(const ParamValue& value) {
  static const char* names[] = {"a boolean",        "an integer",        "a number",
                                "a string",         "a list of integers", "a list of numbers",
                                "a list of strings"};
  return names[value.index()];
}

std::string canonical(const ParamMap& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out += ';';
    out += key + '=' + to_string(value);
  }
  return out;
}

Constraint any_value() {
  return {"", [](const ParamValue&) { return true; }};
}

Constraint in_range(double lo, double hi, bool lo_open, bool hi_open) {
  std::string text = fmt::format("in {}{}, {}{}", lo_open ? '(' : '[', lo, hi, hi_open ? ')' : ']');
  return {text, [=](const ParamValue& v) {
            return numeric_all(v, [=](double x) {
              return (lo_open ? x > lo : x >= lo) && (hi_open ? x < hi : x <= hi);
            });
          }};
}

Constraint at_least(double lo) {
  return {fmt::format(">= {}", lo),
          [=](const ParamValue& v) { return numeric_all(v, [=](double x) { return x >= lo; }); }};
}

Constraint greater_than(double lo) {
  return {fmt::format("> {}", lo),
          [=](const ParamValue& v) { return numeric_all(v, [=](double x) { return x > lo; }); }};
}

Constraint one_of(std::vector<std::string> choices) {
  std::string text = "one of " + list(choices, quoted);
  return {text, [choices = std::move(choices)](const ParamValue& v) {
            auto* s = std::get_if<std::string>(&v);
            return s && std::find(choices.begin(), choices.end(), *s) != choices.end();
          }};
}

Constraint each(Constraint element) {
  std::string text = "a non-empty list, each " + element.text;
  return {text, [element = std::move(element)](const ParamValue& v) {
            return std::visit(
                [&](const auto& xs) -> bool {
                  using T = std::decay_t<decltype(xs)>;
                  if constexpr (std::is_same_v<T, std::vector<std::int64_t>> ||
                                std::is_same_v<T, std::vector<double>> ||
                                std::is_same_v<T, std::vector<std::string>>) {
                    if (xs.empty()) return false;
                    for (const auto& x : xs)
                      if (!element.ok(ParamValue(x))) return false;
                    return true;
                  } else {
                    return false;
                  }
                },
                v);
          }};
}

Constraint both(Constraint a, Constraint b) {
  std::string text = a.text.empty() ? b.text : b.text.empty() ? a.text : a.text + " and " + b.text;
  return {text, [a = std::move(a), b = std::move(b)](const ParamValue& v) { return a.ok(v) && b.ok(v); }};
}

Constraint added_later(Constraint c) {
  c.in_id_at_default = false;
  return c;
}

ParamMap identifying(const ParamMap& resolved, const std::vector<ParamSpec>& specs) {
  ParamMap out = resolved;
  for (const auto& spec : specs) {
    if (spec.constraint.in_id_at_default) continue;
    if (auto it = out.find(spec.key); it != out.end() && it->second == spec.default_value) out.erase(it);
  }
  return out;
}

std::string violation(const ParamSpec& spec, const ParamValue& value) {
  if (value.index() != spec.default_value.index())
    return fmt::format("must be {}, got {}", type_name(spec.default_value), type_name(value));
  if (spec.constraint.ok && !spec.constraint.ok(value))
    return fmt::format("must be {}, got {}", spec.constraint.text, to_string(value));
  return "";
}

}  // namespace ocb::core
