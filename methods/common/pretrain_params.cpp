// NetParams and PretrainParams helpers (pretrain_params.hpp).
#include "methods/common/pretrain_params.hpp"

#include <fmt/format.h>

#include "harness/core/error.hpp"

namespace ocb::methods {

NetOptions NetParams::options() const {
  NetOptions o;
  o.leaky_slope = leaky_slope;
  o.bn_affine = bn_affine;
  o.kernels = ops::parse_kernels(kernels);
  return o;
}

int NetParams::numerics_version(const core::Shape& sample, const std::string& device) const {
  std::string arch;
  try {
    arch = resolve_architecture(network, sample.c, sample.h, sample.w);
  } catch (const core::Error&) {
    arch = network;  // no network for this shape: the cell fails when it builds one, saying so
  }
  return network_numerics_version(arch, device, ops::parse_kernels(kernels));
}

std::string NetParams::architecture(const core::Samples& x) const {
  const auto& s = x.shape();
  return resolve_architecture(network, s.c, s.h, s.w);
}

AeConfig PretrainParams::config(const NetParams& net, const core::Samples& x) const {
  AeConfig c;
  c.arch = net.architecture(x);
  c.net = net.options();
  c.schedule = {ae_epochs, ae_lr, ae_milestones, ae_weight_decay, net.batch_size};
  c.schedule.fixed_blocks = net.fixed_blocks();
  c.train_fraction = ae_train_fraction;
  return c;
}

std::string PretrainParams::stage(const NetParams& net) const {
  std::string key = fmt::format("autoencoder|network={}|leaky={}|bn_affine={}|kernels={}|batch={}|epochs={}|lr={}|milestones={}|wd={}",
                                net.network, core::to_string(net.leaky_slope), net.bn_affine, net.kernels, net.batch_size,
                                ae_epochs, core::to_string(ae_lr), core::to_string(ae_milestones), core::to_string(ae_weight_decay));
  // Options added later appear only when set, as in AeConfig::canonical().
  if (net.fixed_blocks()) key += "|batching=" + net.batching;
  if (ae_train_fraction != 1.0) key += "|train_fraction=" + core::to_string(ae_train_fraction);
  return key;
}

core::ParamMap quick_pretraining() {
  return {{"ae_epochs", std::int64_t{15}}, {"ae_milestones", std::vector<std::int64_t>{10}}, {"ae_lr", 1e-3}};
}

core::ParamMap quick_training() {
  return {{"epochs", std::int64_t{10}}, {"milestones", std::vector<std::int64_t>{7}}, {"lr", 1e-3}};
}

core::ParamMap merged(core::ParamMap a, const core::ParamMap& b) {
  for (const auto& [k, v] : b) a[k] = v;
  return a;
}

}  // namespace ocb::methods
