// Formatting of the error types declared in error.hpp.
#include "harness/core/error.hpp"

namespace ocb::core {

std::string SourceLocation::str() const {
  if (file.empty()) return "<experiment>";
  if (line <= 0) return file;
  if (column <= 0) return fmt::format("{}:{}", file, line);
  return fmt::format("{}:{}:{}", file, line, column);
}

ConfigError::ConfigError(SourceLocation where, std::string key, const std::string& message)
    : Error(key.empty() ? fmt::format("{}: {}", where.str(), message)
                        : fmt::format("{}: {} {}", where.str(), key, message)),
      where_(std::move(where)),
      key_(std::move(key)) {}

DataError::DataError(std::string path, const std::string& message)
    : Error(fmt::format("{}: {}", path, message)), path_(std::move(path)) {}

}  // namespace ocb::core
