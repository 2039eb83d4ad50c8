"""Writes results/performance/deep.md (to stdout) from what
tests/bench/deep_speed.sh leaves in its scratch folder WORK: the speed cell's
record (WORK/r/records/...), Google Benchmark's JSON (WORK/bench.json) and,
when the reference ran, WORK/reference.json and WORK/reference.commit.
tests/bench/deep_speed_page_test.sh runs it on a fresh record, so that a
change of the record's layout breaks a test rather than the next measurement.

    python3 deep_speed_page.py WORK
"""
import glob, json, os, sys
work = sys.argv[1]
r = json.load(open(glob.glob(f"{work}/r/records/*/*/*.json")[0]))
mr, t, p = r["method_report"], r["timing"], r["provenance"]
tr = r["training"]  # per phase: seconds, epoch_loss, epoch_seconds
assert not mr["pretraining"]["cached"], "the speed cell must pretrain (fresh cache)"
ae, sv = tr["pretraining"]["seconds"], tr["train"]["seconds"]
ne, ns = len(tr["pretraining"]["epoch_seconds"]), len(tr["train"]["epoch_seconds"])
print("# Deep methods: speed against the PyTorch reference\n")
print(f"MNIST normal class 3, seed 1, the reference README's schedule (autoencoder {ne} epochs, one-class Deep SVDD {ns} "
      f"epochs, batch 200), one thread, written by `tests/bench/deep_speed.sh` on {p['cpu']} "
      f"({p['hardware_threads']} threads), ocbench {p['git_commit'][:12]}"
      f"{' with uncommitted changes (source diff ' + p['source_diff_sha256'][:12] + ')' if p.get('git_dirty') else ''}, "
      f"AUC {100 * r['metrics']['auc']:.2f}.\n")
if os.path.exists(f"{work}/reference.json"):
    ref = json.load(open(f"{work}/reference.json"))
    ref_ae, ref_sv = ref["ae_epoch_s"], ref["svdd_epoch_s"]
    commit = open(f"{work}/reference.commit").read().strip()
    print(f"The reference was measured in the same run: Deep-SVDD-PyTorch {commit}, its own networks and trainers, "
          f"Debian's python3-torch {ref['torch']} on {ref['threads']} thread, {ref['epochs']} epochs of each on the same "
          f"{ref['train_images']} images (median epoch; `tests/bench/python/reference_epochs.py`). Its cell time is "
          "150 epochs of each at that speed.\n")
else:
    ref_ae, ref_sv = 3.3, 1.2
    print("No reference in this run (OCB_REFERENCE unset): the reference figures are those measured for issue 3 on an "
          "AMD EPYC 2-core machine with Debian's python3-torch 1.13 on one thread (autoencoder 3.3 s/epoch, Deep SVDD "
          "1.2 s/epoch; ../shared/PERF-NOTES.md), not side by side.\n")
ref_cell = 150 * ref_ae + 150 * ref_sv
print("| | ocbench | PyTorch reference | speed-up |\n|---|---|---|---|")
print(f"| autoencoder epoch | {ae / ne:.2f} s | {ref_ae:.2f} s | {ref_ae / (ae / ne):.1f}x |")
print(f"| Deep SVDD epoch | {sv / ns:.2f} s | {ref_sv:.2f} s | {ref_sv / (sv / ns):.1f}x |")
print(f"| one cell (pretraining + one objective) | {t['total_s']:.0f} s | {ref_cell:.0f} s | {ref_cell / t['total_s']:.1f}x |")
print()
print("One training step (batch 200), and each convolution layer forward + both gradients, ocbench's kernels "
      "(`native`) against LibTorch's own on the same build (`torch`), from `build/ocb_bench` (Google Benchmark, CPU time):\n")
bench = [b for b in json.load(open(f"{work}/bench.json"))["benchmarks"] if not b.get("error_occurred")]
peak = {b["label"]: b["GFLOP/s"] / 1e9 for b in bench if b["name"].startswith("peak_fma")}
top = max(peak.values()) if peak else None
if peak:
    print("The core's peak, measured in the same run (`peak_fma`: independent chains of fused multiply-adds in "
          "registers): " + ", ".join(f"{v:.0f} GFLOP/s {k.removeprefix('peak ')}" for k, v in peak.items()) +
          ". The direct kernels' reductions keep eight partial sums, so the 8-lane figure is their ceiling.\n")
print("GFLOP/s counts every tap of every 5x5 window; \"inside\" counts only the taps that land inside the input, "
      "not on its zero padding (the work a convolution that skips the padding does, as oneDNN's seem to: they run "
      "above the every-tap peak on CIFAR-10's 8x8 planes).\n")
print("| case | kernels | ms | GFLOP/s | share of peak | GFLOP/s inside | share of peak |\n|---|---|---|---|---|---|---|")
for b in bench:
    if b["name"].startswith(("peak_fma", "norm_act_layer")):
        continue
    label = b.get("label", b["name"])
    name, _, kern = label.rpartition(" ")
    rate = b.get("GFLOP/s", 0) / 1e9
    inside = rate * b["inside"] if "inside" in b else None
    share = f"{100 * rate / top:.0f} %" if top else "-"
    share_in = f"{100 * inside / top:.0f} %" if top and inside is not None else "-"
    print(f"| {name} | {kern} | {b['cpu_time']:.2f} | {rate:.1f} | {share} | "
          f"{'-' if inside is None else f'{inside:.1f}'} | {share_in} |")

# The fused batch norm + leaky ReLU (+ pooling / upsampling) layers alone: no
# multiply-add count, but the traffic floor's rate (each array touched once).
norms = [b for b in bench if b["name"].startswith("norm_act_layer")]
if norms:
    print("\nThe fused batch norm + leaky ReLU (+ 2x2 max-pooling or upsampling) layers alone, ocbench's kernels "
          "(`norm_act_layer`, batch 200, no affine parameters): GB/s counts each array the pass must touch once "
          "(forward: x read, y written; backward: x, gy and the pooling's choices read, gx written).\n")
    print("| layer | pass | ms | GB/s |\n|---|---|---|---|")
    for b in norms:
        layer, _, direction = b.get("label", b["name"]).rpartition(" ")
        print(f"| {layer} | {direction} | {b['cpu_time']:.3f} | {b['GB/s'] / 1e9:.1f} |")

# What the speed issue's MNIST targets (autoencoder epoch <= 0.2 s, Deep SVDD
# epoch <= 0.08 s on class 3) ask of the arithmetic: each step's FLOPs (from
# the train_step cases: forward, weight gradients, input gradients but the
# network input's) times the epoch's steps, over the target; counted with
# every tap of every window, and with only the taps inside the image (what a
# kernel that skips the zero padding would do).
steps = {b.get("label", "").split(" ")[1]: b for b in bench
         if b["name"].startswith("train_step/mnist") and b.get("label", "").endswith(" native")}
targets = [("autoencoder", 0.2), ("encoder", 0.08)]
if top and all(k in steps for k, _ in targets):
    n_steps = -(-r["data"]["n_train"] // 200)  # the speed cell's own training set, batch 200
    print("\nWhat the speed issue's MNIST targets need on this core: each step's floating-point operations (from the "
          f"`train_step` cases above: the forward pass, every weight gradient, every input gradient but the image's) "
          f"times the epoch's {n_steps} steps, done in the target's time. The rates above count every tap of every "
          "5x5 window; a kernel that skipped the taps on the zero padding would have the smaller count (inside) to do, "
          "so that count is what the targets need of the core.\n")
    print("| step | GFLOP a step, every tap | inside the image | now: s an epoch | target: s an epoch | "
          "GFLOP/s the target needs (inside) | share of peak |")
    print("|---|---|---|---|---|---|---|")
    for kind, target in targets:
        b = steps[kind]
        gflop = b["GFLOP/s"] / 1e9 * b["cpu_time"] / 1e3
        inside = gflop * b["inside"]
        need = inside * n_steps / target
        print(f"| MNIST {kind} | {gflop:.3f} | {inside:.3f} | {n_steps * b['cpu_time'] / 1e3:.3f} | {target:.2f} | "
              f"{need:.0f} | {100 * need / top:.0f} % |")
