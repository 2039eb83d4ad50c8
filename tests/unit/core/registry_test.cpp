// The plugin registry: duplicates reported with both locations, unknown ids
// answered with the known ones, and every method CMake builds is registered.
#include <catch2/catch.hpp>
#include <sstream>

#include "harness/core/method.hpp"
#include "harness/core/registry.hpp"

namespace {
struct Info {
  std::string id;
  std::string file;
  int line = 0;
};
}  // namespace

TEST_CASE("duplicate ids name both registrations", "[core]") {
  ocb::core::Registry<Info> r("widget");
  r.add({"a", "x.cpp", 10});
  r.add({"b", "y.cpp", 20});
  CHECK_NOTHROW(r.check_unique());
  r.add({"a", "z.cpp", 30});
  CHECK_THROWS_WITH(r.check_unique(), "widget 'a' is registered twice: x.cpp:10 and z.cpp:30");
}

TEST_CASE("an unknown id lists the known ones", "[core]") {
  ocb::core::Registry<Info> r("widget");
  r.add({"b", "y.cpp", 20});
  r.add({"a", "x.cpp", 10});
  CHECK_THROWS_WITH(r.get("c"), "unknown widget 'c' (known: a, b)");
  CHECK(r.get("a").line == 10);
}

TEST_CASE("every method CMake builds is in the registry, and nothing else", "[core]") {
  std::istringstream expected(OCB_METHOD_IDS);
  std::vector<std::string> ids;
  for (std::string id; std::getline(expected, id, ',');) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> registered;
  for (const auto* m : ocb::core::listed_methods()) registered.push_back(m->id);
  CHECK(registered == ids);
  CHECK_NOTHROW(ocb::core::method_registry().check_unique());
}
