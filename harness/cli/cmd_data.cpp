// `ocbench data list|verify|fetch`: the dataset files, where they are found,
// whether they verify, and downloading the missing ones.
#include <iostream>

#include "datasets/common/dataset.hpp"
#include "harness/cli/commands.hpp"
#include "harness/core/error.hpp"

namespace ocb::cli {

void add_data_command(CLI::App& app, int& code) {
  auto* cmd = app.add_subcommand("data", "list, verify or download dataset files");
  cmd->require_subcommand(1);
  auto data_dir = std::make_shared<std::string>();
  auto ids = std::make_shared<std::vector<std::string>>();
  cmd->add_option("--data-dir", *data_dir, "dataset root (else $OCBENCH_DATA, ./data, /usr/share/datasets)");
  auto locator = [data_dir] {
    return datasets::DataLocator::from_environment(data_dir->empty() ? std::nullopt
                                                                     : std::optional<datasets::fs::path>(*data_dir));
  };
  auto chosen = [ids] {
    std::vector<const datasets::DatasetInfo*> out;
    if (ids->empty())
      for (const auto& d : datasets::dataset_catalog()) out.push_back(&d);
    else
      for (const auto& id : *ids) out.push_back(&datasets::dataset_info(id));
    return out;
  };

  auto* list = cmd->add_subcommand("list", "the manifest: files, sizes, SHA-256, and where each was found");
  list->add_option("datasets", *ids, "dataset ids (default: all)");
  list->callback([=, &code] {
    const auto loc = locator();
    for (const auto* d : chosen()) {
      std::cout << d->id << " (" << d->title << ")\n";
      for (const auto& f : d->files) {
        const auto where = loc.find(d->dir_names, f.name);
        std::cout << fmt::format("  {:<26} {:>10} B  sha256 {}\n      {}\n", f.name, f.size, f.sha256,
                                 where ? where->string() : "missing");
      }
    }
    code = kExitOk;
  });

  auto* verify = cmd->add_subcommand("verify", "read and check every file of the datasets");
  verify->add_option("datasets", *ids, "dataset ids (default: all)");
  verify->callback([=, &code] {
    const auto loc = locator();
    int bad = 0;
    for (const auto* d : chosen()) {
      for (const auto& f : d->files) {
        const auto where = loc.find(d->dir_names, f.name);
        if (!where) {
          std::cout << fmt::format("MISSING {}/{}\n", d->id, f.name);
          ++bad;
          continue;
        }
        try {
          datasets::read_verified(*where, f);
          std::cout << fmt::format("ok      {}\n", where->string());
        } catch (const core::DataError& e) {
          std::cout << fmt::format("BAD     {}\n", e.what());
          ++bad;
        }
      }
    }
    code = bad ? kExitBadInput : kExitOk;
  });

  auto* fetch = cmd->add_subcommand("fetch", "download missing files from their canonical sources and verify them");
  fetch->add_option("datasets", *ids, "dataset ids (default: all)");
  fetch->callback([=, &code] {
    const auto loc = locator();
    for (const auto* d : chosen()) {
      datasets::load_dataset(*d, loc, {true});
      std::cout << fmt::format("ok      {}\n", d->id);
    }
    code = kExitOk;
  });
}

}  // namespace ocb::cli
