// CIFAR-10 files (checksums of the canonical uncompressed .bin batches; the
// shared data folder stores them .xz'ed) and parser.
#include "datasets/cifar10/cifar10.hpp"

#include "harness/core/error.hpp"

namespace ocb::datasets::cifar10 {
namespace {

constexpr std::int64_t kRecord = 1 + 3 * 32 * 32;
constexpr std::int64_t kBatchBytes = 10000 * kRecord;

FileSpec batch(const std::string& name, const std::string& sha) {
  return {name, sha, kBatchBytes,
          {{"https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", "cifar-10-batches-bin/" + name}}};
}

}  // namespace

void parse_batch(std::span<const std::uint8_t> bytes, const std::string& name, ImageSet& into) {
  if (bytes.size() % kRecord != 0)
    throw core::DataError(name, fmt::format("size {} is not a multiple of the {}-byte record", bytes.size(), kRecord));
  const std::int64_t n = static_cast<std::int64_t>(bytes.size()) / kRecord;
  into.shape = {into.shape.n + n, 3, 32, 32};
  for (std::int64_t i = 0; i < n; ++i) {
    const std::uint8_t* rec = bytes.data() + i * kRecord;
    if (rec[0] > 9) throw core::DataError(name, fmt::format("record {} has label {}, expected 0..9", i, rec[0]));
    into.labels.push_back(rec[0]);
    into.pixels.insert(into.pixels.end(), rec + 1, rec + kRecord);
  }
}

DatasetInfo info() {
  DatasetInfo d;
  d.id = "cifar10";
  d.sample_shape = {0, 3, 32, 32};
  d.title = "CIFAR-10";
  d.dir_names = {"cifar10", "cifar-10-batches-bin"};
  d.class_names = {"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"};
  d.files = {
      batch("data_batch_1.bin", "cee916563c9f80d84e3cc88e17fdc0941787f1244f00a67874d45b261883ada5"),
      batch("data_batch_2.bin", "a591ca11fa1708a91ee40f54b3da4784ccd871ecf2137de63f51ada8b3fa57ed"),
      batch("data_batch_3.bin", "bbe8596564c0f86427f876058170b84dac6670ddf06d79402899d93ceea26f67"),
      batch("data_batch_4.bin", "014e562d6e23c72197cc727519169a60359f5eccd8945ad5a09d710285ff4e48"),
      batch("data_batch_5.bin", "755304fc0b379caeae8c14f0dac912fbc7d6cd469eb67a1029a08a39453a9add"),
      batch("test_batch.bin", "8e2eb146ae340b09e24670f29cabc6326dba54da8789dab6768acf480273f65b"),
  };
  d.parse = [](const FileContents& f) {
    RawDataset raw;
    for (int b = 1; b <= 5; ++b) {
      const std::string name = fmt::format("data_batch_{}.bin", b);
      parse_batch(f.at(name), name, raw.train);
    }
    parse_batch(f.at("test_batch.bin"), "test_batch.bin", raw.test);
    return raw;
  };
  return d;
}

}  // namespace ocb::datasets::cifar10
