// MNIST files (checksums of the canonical uncompressed IDX files) and parser.
#include "datasets/mnist/mnist.hpp"

#include "datasets/common/idx.hpp"

namespace ocb::datasets::mnist {
namespace {

std::vector<Source> mirrors(const std::string& name) {
  return {{"https://ossci-datasets.s3.amazonaws.com/mnist/" + name + ".gz", ""},
          {"https://storage.googleapis.com/cvdf-datasets/mnist/" + name + ".gz", ""},
          {"http://yann.lecun.com/exdb/mnist/" + name + ".gz", ""}};
}

}  // namespace

DatasetInfo info() {
  DatasetInfo d;
  d.id = "mnist";
  d.sample_shape = {0, 1, 28, 28};
  d.title = "MNIST";
  d.dir_names = {"mnist"};
  d.class_names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  d.files = {
      {"train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", 47040016,
       mirrors("train-images-idx3-ubyte")},
      {"train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", 60008,
       mirrors("train-labels-idx1-ubyte")},
      {"t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", 7840016,
       mirrors("t10k-images-idx3-ubyte")},
      {"t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", 10008,
       mirrors("t10k-labels-idx1-ubyte")},
  };
  d.parse = [](const FileContents& f) {
    RawDataset raw;
    raw.train = parse_idx(f.at("train-images-idx3-ubyte"), "train-images-idx3-ubyte", f.at("train-labels-idx1-ubyte"),
                          "train-labels-idx1-ubyte");
    raw.test = parse_idx(f.at("t10k-images-idx3-ubyte"), "t10k-images-idx3-ubyte", f.at("t10k-labels-idx1-ubyte"),
                         "t10k-labels-idx1-ubyte");
    return raw;
  };
  return d;
}

}  // namespace ocb::datasets::mnist
