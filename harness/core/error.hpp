// The error types of every layer: a bad experiment file (ConfigError) and a
// bad or missing data file (DataError); a method's failure is an Error the
// runner turns into a failed record naming the phase. Messages follow LLVM
// style: lower case, expected and got.
#pragma once

#include <fmt/format.h>

#include <stdexcept>
#include <string>

namespace ocb::core {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Where in an experiment file a problem sits. line/column are 1-based, 0 = unknown.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
  std::string str() const;  // "file:line:col" (only the parts that are known)
};

class ConfigError : public Error {
 public:
  ConfigError(SourceLocation where, std::string key, const std::string& message);
  const SourceLocation& where() const { return where_; }
  const std::string& key() const { return key_; }

 private:
  SourceLocation where_;
  std::string key_;
};

class DataError : public Error {
 public:
  DataError(std::string path, const std::string& message);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};


}  // namespace ocb::core

// Always-on invariant check (never compiled out, unlike assert).
#define OCB_CHECK(cond, ...)                                                              \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      throw ::ocb::core::Error(fmt::format("internal check failed at {}:{}: {}", __FILE__, \
                                           __LINE__, fmt::format(__VA_ARGS__)));          \
    }                                                                                     \
  } while (false)
