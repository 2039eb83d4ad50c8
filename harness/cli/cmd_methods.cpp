// `ocbench methods [ID]`: the registered methods with their parameters.
#include <iostream>

#include "harness/cli/commands.hpp"
#include "harness/core/method.hpp"

namespace ocb::cli {

void add_methods_command(CLI::App& app, int& code) {
  auto* cmd = app.add_subcommand("methods", "list the registered methods, their parameters and defaults");
  auto id = std::make_shared<std::string>();
  cmd->add_option("id", *id, "show only this method");
  cmd->callback([id, &code] {
    const auto& registry = core::method_registry();
    std::vector<const core::MethodInfo*> shown;
    if (id->empty()) shown = core::listed_methods();
    else shown.push_back(&registry.get(*id));
    for (const auto* m : shown) {
      std::cout << m->id << "  " << m->summary << "\n";
      for (const auto& p : m->params) {
        std::cout << fmt::format("    {} = {}\n        {}", p.key, core::to_string(p.default_value), p.doc);
        if (!p.constraint.text.empty()) std::cout << " (" << p.constraint.text << ")";
        std::cout << "\n";
      }
      std::cout << "\n";
    }
    code = kExitOk;
  });
}

}  // namespace ocb::cli
