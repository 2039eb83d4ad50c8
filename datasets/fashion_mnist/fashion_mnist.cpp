// Fashion-MNIST files: the checksums are of the uncompressed IDX content, so
// Debian's recompressed copy (dataset-fashion-mnist, /usr/share/datasets/
// fashion-mnist) and the canonical download both pass.
#include "datasets/fashion_mnist/fashion_mnist.hpp"

#include "datasets/common/idx.hpp"

namespace ocb::datasets::fashion_mnist {
namespace {

std::vector<Source> mirrors(const std::string& name) {
  return {{"http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/" + name + ".gz", ""},
          {"https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/" + name + ".gz", ""}};
}

}  // namespace

DatasetInfo info() {
  DatasetInfo d;
  d.id = "fashion_mnist";
  d.sample_shape = {0, 1, 28, 28};
  d.title = "Fashion-MNIST";
  d.dir_names = {"fashion_mnist", "fashion-mnist"};
  d.class_names = {"t-shirt/top", "trouser", "pullover", "dress", "coat",
                   "sandal",      "shirt",   "sneaker",  "bag",   "ankle boot"};
  d.files = {
      {"train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", 47040016,
       mirrors("train-images-idx3-ubyte")},
      {"train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", 60008,
       mirrors("train-labels-idx1-ubyte")},
      {"t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", 7840016,
       mirrors("t10k-images-idx3-ubyte")},
      {"t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", 10008,
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

}  // namespace ocb::datasets::fashion_mnist
