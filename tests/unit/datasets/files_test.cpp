// Locating, decompressing and verifying dataset files; IDX and CIFAR parsing;
// a bad file is a DataError naming it, and nothing is loaded from it.
#include <zlib.h>

#include <catch2/catch.hpp>

#include "datasets/cifar10/cifar10.hpp"
#include "datasets/common/dataset.hpp"
#include "datasets/common/files.hpp"
#include "datasets/common/idx.hpp"
#include "harness/core/hash.hpp"
#include "harness/core/error.hpp"
#include "tests/support.hpp"

namespace ds = ocb::datasets;
using ocb::test::TempDir;

namespace {

std::string gzip(const std::string& raw) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, raw.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  zs.avail_in = static_cast<uInt>(raw.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string be32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

// A 3-image 2x2 IDX pair.
std::pair<std::string, std::string> tiny_idx() {
  std::string images = be32(2051) + be32(3) + be32(2) + be32(2) + std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c", 12);
  std::string labels = be32(2049) + be32(3) + std::string("\x07\x00\x03", 3);
  return {images, labels};
}

ds::FileSpec spec_of(const std::string& name, const std::string& content) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(content.data());
  return {name, ocb::core::sha256_hex(std::span(p, content.size())), static_cast<std::int64_t>(content.size()), {}};
}

}  // namespace

TEST_CASE("IDX images and labels parse into shape, pixels and labels", "[datasets]") {
  auto [images, labels] = tiny_idx();
  auto set = ds::parse_idx(std::span(reinterpret_cast<const std::uint8_t*>(images.data()), images.size()), "img",
                           std::span(reinterpret_cast<const std::uint8_t*>(labels.data()), labels.size()), "lbl");
  CHECK(set.shape == ocb::core::Shape{3, 1, 2, 2});
  CHECK(set.labels == std::vector<std::int32_t>{7, 0, 3});
  CHECK(set.pixels[4] == 5);
}

TEST_CASE("a truncated or mislabelled IDX file is rejected by name", "[datasets]") {
  auto [images, labels] = tiny_idx();
  const std::string cut = images.substr(0, images.size() - 1);
  auto span = [](const std::string& s) { return std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); };
  CHECK_THROWS_WITH(ds::parse_idx(span(cut), "img", span(labels), "lbl"), Catch::Contains("img") && Catch::Contains("3 images of 2x2 do not fit in 27 bytes"));
  CHECK_THROWS_WITH(ds::parse_idx(span(labels), "img", span(labels), "lbl"), Catch::Contains("magic 2051"));
}

TEST_CASE("gzip files are read and verified on their content", "[datasets]") {
  TempDir tmp;
  auto [images, labels] = tiny_idx();
  ocb::test::write_text(tmp / "a.gz", gzip(images));
  const auto spec = spec_of("a", images);
  const auto bytes = ds::read_verified(tmp / "a.gz", spec);
  CHECK(std::string(bytes.begin(), bytes.end()) == images);
}

TEST_CASE("a corrupt, truncated or wrong file is a DataError naming the file", "[datasets]") {
  TempDir tmp;
  auto [images, labels] = tiny_idx();
  const auto spec = spec_of("a", images);
  SECTION("truncated gzip") {
    const std::string gz = gzip(images);
    ocb::test::write_text(tmp / "a.gz", gz.substr(0, gz.size() / 2));
    CHECK_THROWS_WITH(ds::read_verified(tmp / "a.gz", spec), Catch::Contains("a.gz") && Catch::Contains("truncated"));
  }
  SECTION("garbage in a .gz") {
    ocb::test::write_text(tmp / "a.gz", "this is not gzip at all");
    CHECK_THROWS_WITH(ds::read_verified(tmp / "a.gz", spec), Catch::Contains("a.gz") && Catch::Contains("gzip"));
  }
  SECTION("one byte changed") {
    std::string changed = images;
    changed[20] ^= 1;
    ocb::test::write_text(tmp / "a", changed);
    CHECK_THROWS_WITH(ds::read_verified(tmp / "a", spec),
                      Catch::Contains("sha256") && Catch::Contains(spec.sha256) && Catch::Contains("/a:"));
  }
  SECTION("short file") {
    ocb::test::write_text(tmp / "a", images.substr(0, 10));
    CHECK_THROWS_WITH(ds::read_verified(tmp / "a", spec), Catch::Contains("expected 28 bytes"));
  }
}

TEST_CASE("the locator searches roots in order and accepts .gz and .xz", "[datasets]") {
  TempDir tmp;
  ocb::test::write_text(tmp / "second/mnist/f.xz", "x");
  ocb::test::write_text(tmp / "third/mnist/f", "x");
  ds::DataLocator loc({tmp / "first", tmp / "second", tmp / "third"});
  const std::vector<std::string> dirs{"mnist"};
  CHECK(loc.find(dirs, "f") == tmp / "second/mnist/f.xz");
  CHECK_FALSE(loc.find(dirs, "g"));
  CHECK(loc.download_root() == tmp / "first");
}

TEST_CASE("a missing dataset names the files and where to put them", "[datasets]") {
  TempDir tmp;
  ds::DataLocator loc({tmp.path()});
  const auto& info = ds::dataset_info("mnist");
  CHECK_THROWS_WITH(ds::load_dataset(info, loc, {false}),
                    Catch::Contains("train-images-idx3-ubyte") && Catch::Contains((tmp / "mnist").string()) &&
                        Catch::Contains("OCBENCH_DATA"));
}

TEST_CASE("a bad file in a data root stops the load and is named", "[datasets]") {
  TempDir tmp;
  const auto& info = ds::dataset_info("mnist");
  for (const auto& f : info.files) ocb::test::write_text(tmp / "mnist" / (f.name + ".gz"), gzip("not mnist"));
  ds::DataLocator loc({tmp.path()});
  CHECK_THROWS_AS(ds::load_dataset(info, loc, {false}), ocb::core::DataError);
  CHECK_THROWS_WITH(ds::load_dataset(info, loc, {false}), Catch::Contains("train-images-idx3-ubyte.gz"));
}

TEST_CASE("CIFAR-10 records parse channel-first with labels", "[datasets]") {
  std::string rec(3073, '\0');
  rec[0] = 6;
  rec[1] = static_cast<char>(200);         // R(0,0)
  rec[1 + 1024] = static_cast<char>(100);  // G(0,0)
  ds::ImageSet set;
  ds::cifar10::parse_batch(std::span(reinterpret_cast<const std::uint8_t*>(rec.data()), rec.size()), "b", set);
  CHECK(set.shape == ocb::core::Shape{1, 3, 32, 32});
  CHECK(set.labels == std::vector<std::int32_t>{6});
  CHECK(set.pixels[0] == 200);
  CHECK(set.pixels[1024] == 100);
  rec[0] = 12;
  CHECK_THROWS_WITH(ds::cifar10::parse_batch(std::span(reinterpret_cast<const std::uint8_t*>(rec.data()), rec.size()), "b", set),
                    Catch::Contains("label 12"));
}

TEST_CASE("downloads go through OCBENCH_DATA_MIRROR and are verified", "[datasets]") {
  TempDir mirror, root;
  auto [images, labels] = tiny_idx();
  // A fake one-file dataset served from a file:// mirror.
  ds::DatasetInfo info;
  info.id = "tiny";
  info.dir_names = {"tiny"};
  info.files = {spec_of("a", images)};
  info.parse = [](const ds::FileContents&) { return ds::RawDataset{}; };
  ocb::test::write_text(mirror / "tiny/a.gz", gzip(images));
  setenv("OCBENCH_DATA_MIRROR", ("file://" + mirror.path().string()).c_str(), 1);
  ds::DataLocator loc({root.path()});
  CHECK_NOTHROW(ds::load_dataset(info, loc, {true}));
  CHECK(ocb::test::fs::exists(root / "tiny/a.gz"));
  // A wrong file on the mirror is not kept.
  ocb::test::fs::remove(root / "tiny/a.gz");
  ocb::test::write_text(mirror / "tiny/a.gz", gzip(images + "x"));
  CHECK_THROWS_WITH(ds::load_dataset(info, loc, {true}), Catch::Contains("download attempts"));
  CHECK_FALSE(ocb::test::fs::exists(root / "tiny/a.gz"));
  unsetenv("OCBENCH_DATA_MIRROR");
}

TEST_CASE("a loader whose samples differ from the catalog's sample_shape is refused, naming the dataset", "[datasets]") {
  TempDir root;
  auto [images, labels] = tiny_idx();
  ds::DatasetInfo info;
  info.id = "tiny";
  info.dir_names = {"tiny"};
  info.files = {spec_of("a", images)};
  info.sample_shape = {0, 1, 28, 28};
  info.parse = [](const ds::FileContents&) {
    ds::RawDataset raw;
    raw.train.shape = {2, 1, 2, 2};
    return raw;
  };
  ocb::test::write_text(root / "tiny/a", images);
  ds::DataLocator loc({root.path()});
  CHECK_THROWS_WITH(ds::load_dataset(info, loc, {false}),
                    Catch::Contains("tiny") && Catch::Contains("1x2x2") && Catch::Contains("1x28x28"));
  info.sample_shape = {0, 1, 2, 2};
  CHECK_NOTHROW(ds::load_dataset(info, loc, {false}));
}
