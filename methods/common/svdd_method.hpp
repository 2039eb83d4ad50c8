// The skeleton of the SVDD family's plugins (Deep SVDD, Deep SAD, hybrid Deep
// SVDD): their shared parameters and quick() settings, the opening of fit()
// (device, data as a tensor, the pretrained autoencoder) and score(). Each
// plugin supplies only what differs: train(), and any parameter of its own.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "harness/core/method.hpp"
#include "harness/core/run_context.hpp"
#include "methods/common/autoencoder.hpp"
#include "methods/common/pretrain_params.hpp"
#include "methods/common/svdd.hpp"
#include "methods/common/torch_env.hpp"

namespace ocb::methods {

struct SvddFamilyParams {
  NetParams net;
  PretrainParams pretrain;
  SvddParams svdd;

  int numerics_version(const core::Shape& sample, const std::string& device) const {
    return net.numerics_version(sample, device);
  }

  static core::ParamMap quick() { return merged(quick_pretraining(), quick_training()); }
  template <class V>
  void visit(V&& v) {
    net.visit(v);
    pretrain.visit(v);
    svdd.visit(v);
  }
  void check() const { svdd.check(); }
  // The soft-boundary keys, which the one-class objective does not use.
  std::vector<std::string> unused() const;
};

class SvddFamilyMethod : public core::Method {
 public:
  core::Requirements requirements() const override { return {0.0, base_.pretrain.stage(base_.net)}; }
  void fit(const core::TrainSet& train, core::RunContext& ctx) final;
  core::Scores score(const core::Samples& x, core::RunContext& ctx) final;
  // φ(x): the representation the centre and the distances live in.
  std::optional<core::Samples> represent(const core::Samples& x, core::RunContext& ctx) final;
  // Grad-CAM of the distance to c (the hybrid's reconstruction term is left out).
  std::optional<core::Samples> explain(const core::Samples& x, core::RunContext& ctx) final;

 protected:
  explicit SvddFamilyMethod(const SvddFamilyParams& base) : base_(base) {}
  // Trains model_ on x (the training samples on device_).
  virtual void train(const core::TrainSet& train, const at::Tensor& x, core::RunContext& ctx) = 0;
  // Added to the distances (the hybrid's reconstruction term); none by default.
  virtual void adjust_scores(const at::Tensor& /*x*/, core::Scores& /*scores*/) {}
  // The cached (or freshly trained) autoencoder of this cell's class and seed.
  AeStage pretrained(const core::TrainSet& train, const at::Tensor& x, core::RunContext& ctx) const;
  // φ with the pretrained encoder's weights and batch-norm statistics.
  std::shared_ptr<Encoder> encoder_from(const AeStage& stage, const core::TrainSet& train) const;
  std::unique_ptr<SvddModel> make_model(std::shared_ptr<Encoder> phi) const;

  const SvddFamilyParams& base_;
  at::Device device_{at::kCPU};
  std::unique_ptr<SvddModel> model_;
};

}  // namespace ocb::methods
