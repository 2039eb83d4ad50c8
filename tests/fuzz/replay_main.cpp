// ocb_fuzz_replay: runs every fuzz target on its committed corpus
// (tests/fuzz/corpus/<target>/: seeds and each input that once crashed a
// parser), so that the ordinary build and CI keep them fixed.
//   ocb_fuzz_replay CORPUS_DIR [TARGET...]
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <vector>

#include "tests/fuzz/registry.hpp"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (argc < 2) {
    std::cerr << "usage: ocb_fuzz_replay CORPUS_DIR [TARGET...]\n";
    return 2;
  }
  std::vector<std::string> wanted(argv + 2, argv + argc);
  int inputs = 0;
  for (const auto& [name, fn] : ocb::fuzz::targets()) {
    if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), name) == wanted.end()) continue;
    const fs::path dir = fs::path(argv[1]) / name;
    if (!fs::is_directory(dir)) {
      std::cerr << "FAIL: no corpus for target " << name << " in " << dir << "\n";
      return 1;
    }
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      try {
        fn(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      } catch (const std::exception& e) {
        std::cerr << "FAIL: " << name << " on " << f << ": uncaught " << e.what() << "\n";
        return 1;
      }
      ++inputs;
    }
    std::cout << name << ": " << files.size() << " inputs\n";
  }
  std::cout << inputs << " inputs replayed, no crash\n";
  return 0;
}
