// The JSON half of a pretraining cache entry (autoencoder.hpp): the complete
// key text the weights were trained under, the weights' size and SHA-256,
// and the training log. No torch here, so the parser can be fuzzed alone.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ocb::methods {

struct CacheMeta {
  std::string key_text;
  std::size_t weights_bytes = 0;
  std::string weights_sha256;
  std::vector<double> epoch_loss, epoch_seconds;
  double seconds = 0.0;
};

// Throws core::DataError naming `name` and the field that is wrong.
CacheMeta parse_cache_meta(std::string_view text, const std::string& name);
std::string cache_meta_json(const CacheMeta& meta);

}  // namespace ocb::methods
