// json_integer: integers of JSON documents read with their type and range checked.
#include "harness/core/json_integer.hpp"

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

using ocb::core::json_integer;
using nlohmann::json;

TEST_CASE("json_integer reads integers within the range and refuses the rest by key", "[core]") {
  CHECK(json_integer<int>(json::parse("7"), "shard", 1, 8) == 7);
  CHECK(json_integer<int>(json::parse("-3"), "x") == -3);
  CHECK(json_integer<long>(json::parse("4000000000"), "pid") == 4000000000L);
  CHECK(json_integer<std::uint64_t>(json::parse("18446744073709551615"), "seed") == 18446744073709551615ULL);
  // What nlohmann's get<int>() would have turned into something without a word.
  for (const char* bad : {"4.44444e21", "2.5", "\"3\"", "null", "true", "[1]", "2147483648", "-2147483649"})
    CHECK_THROWS_WITH(json_integer<int>(json::parse(bad), "shards", 1), Catch::Contains("shards must be an integer in 1..2147483647"));
  CHECK_THROWS_WITH(json_integer<int>(json::parse("0"), "shard", 1, 4), Catch::Contains("shard must be an integer in 1..4, got 0"));
  CHECK_THROWS_WITH(json_integer<std::uint64_t>(json::parse("-1"), "seed"), Catch::Contains("got -1"));
}
