// Cache entry metadata (cache_meta.hpp).
#include "methods/common/cache_meta.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "harness/core/error.hpp"

namespace ocb::methods {
namespace {

std::vector<double> finite_list(const nlohmann::json& j, const char* key, const std::string& name) {
  const auto& v = j.at(key);
  if (!v.is_array()) throw core::DataError(name, std::string(key) + " must be a list of numbers");
  std::vector<double> out;
  for (const auto& x : v) {
    if (!x.is_number() || !std::isfinite(x.get<double>())) throw core::DataError(name, std::string(key) + " must hold finite numbers");
    out.push_back(x.get<double>());
  }
  return out;
}

}  // namespace

CacheMeta parse_cache_meta(std::string_view text, const std::string& name) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw core::DataError(name, text.empty() ? "empty" : std::string("not valid JSON: ") + e.what());
  }
  CacheMeta m;
  try {
    if (!j.is_object()) throw core::DataError(name, "not a JSON object");
    m.key_text = j.at("key_text").get<std::string>();
    if (!j.at("weights_bytes").is_number_unsigned()) throw core::DataError(name, "weights_bytes must be an integer >= 0");
    m.weights_bytes = j.at("weights_bytes").get<std::size_t>();
    m.weights_sha256 = j.at("weights_sha256").get<std::string>();
    if (m.weights_sha256.size() != 64 || m.weights_sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
      throw core::DataError(name, "weights_sha256 must be 64 hexadecimal digits");
    m.epoch_loss = finite_list(j, "epoch_loss", name);
    if (j.contains("epoch_seconds")) m.epoch_seconds = finite_list(j, "epoch_seconds", name);
    if (!j.at("seconds").is_number() || !std::isfinite(j.at("seconds").get<double>()))
      throw core::DataError(name, "seconds must be a finite number");
    m.seconds = j.at("seconds").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw core::DataError(name, std::string("not a cache entry: ") + e.what());
  }
  return m;
}

std::string cache_meta_json(const CacheMeta& m) {
  const nlohmann::json j{{"key_text", m.key_text},
                         {"weights_bytes", m.weights_bytes},
                         {"weights_sha256", m.weights_sha256},
                         {"epoch_loss", m.epoch_loss},
                         {"epoch_seconds", m.epoch_seconds},
                         {"seconds", m.seconds}};
  return j.dump(1) + "\n";
}

}  // namespace ocb::methods
