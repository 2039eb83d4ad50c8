#!/usr/bin/env python3
"""Writes the fuzzers' seed inputs into tests/fuzz/corpus/<target>/: small,
valid, synthetic files of each format (no dataset bytes), plus copies of a
few committed files (experiment files, paper tables). Rerun after a format
changes; inputs that once crashed a parser live beside them as crash-*."""
import gzip, io, json, pathlib, random, struct, tarfile

root = pathlib.Path(__file__).resolve().parent
repo = root.parent.parent
corpus = root / "corpus"
rng = random.Random(1)


def put(target, name, data):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def idx_pair(n, h, w):
    images = struct.pack(">IIII", 2051, n, h, w) + bytes(rng.randrange(256) for _ in range(n * h * w))
    labels = struct.pack(">II", 2049, n) + bytes(rng.randrange(10) for _ in range(n))
    return struct.pack("<H", len(images)) + images + labels


put("idx", "two_4x4", idx_pair(2, 4, 4))
put("idx", "one_28x28", idx_pair(1, 28, 28))
put("cifar", "two_records", b"".join(bytes([k]) + bytes(rng.randrange(256) for _ in range(3072)) for k in (3, 9)))
put("ppm", "rgb_4x3", b"P6\n# a comment\n4 3\n255\n" + bytes(rng.randrange(256) for _ in range(36)))
put("ppm", "rgb_1x1", b"P6 1 1 255\n\x01\x02\x03")
put("gtsrb_csv", "two_rows", "Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId\n00000_00000.ppm;30;31;5;6;25;26;14\n"
    "00000_00001.ppm;32;32;5;5;27;27;14\r\n")
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
    for name, data in [("GTSRB/a.txt", b"hello\n"), ("GTSRB/dir/b.csv", b"x;y\n1;2\n")]:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mtime = 0
        t.addfile(info, io.BytesIO(data))
put("tar", "two_members", buf.getvalue())
put("adversarial", "one_image", b"ocbench-adversarial-v1\n" + struct.pack("<I", 1) + b"00093.ppm".ljust(32, b"\0")
    + bytes(rng.randrange(256) for _ in range(3072)))

probe = """name = "fuzz"
seeds = [1, 2]
caption = "a caption"
[datasets.mnist]
classes = [0, 3]
max_train = 100
[methods.p]
method = "probe"
flag = true
count = 4
rate = 0.25
mode = "b"
steps = [1, 2]
grid = [0.5, 1.0]
names = ["a", "b"]
seeds = [3]
[slurm]
shards = 4
throttle = 2
time = "1:00:00"
extra = ["--constraint=x"]
"""
put("experiment", "probe.toml", probe)
for f in ["table1_mnist.toml", "extended_mnist.toml", "ci/gate.toml"]:
    put("experiment", f.replace("/", "_"), (repo / "experiments" / f).read_text())

record = {"schema": 2, "status": "ok", "cell_id": "0123456789abcdef", "experiment": "e", "label": "l", "method": "m",
          "dataset": "mnist", "normal_class": 3, "seed": 1, "params": {"lr": 0.001, "milestones": [50]},
          "canonical": "ocbench-cell/1\n", "started_at": "2026-01-01T00:00:00Z", "data": {"n_test": 3},
          "selection": {"uses_test_labels": False},
          "metrics": {"auc": 0.9, "average_precision": 0.8, "score_min": -1.0, "score_max": 2.0},
          "training": {"pretraining": {"epoch_loss": [2.0, 1.0], "epoch_seconds": [0.5, 0.5], "seconds": 1.0}},
          "representation": {"spread": 0.1, "collapse_suspected": False}, "method_report": {"radius": 0.3},
          "scores_file": "scores/x.scores.gz", "scores_sha256": "0" * 64, "timing": {"fit_s": 1.0, "total_s": 1.5}, "threads": 1, "device": "cpu",
          "numerics": {"signature": "v1 threads=1 cpu", "method_version": 1, "threads": 1, "device": "cpu",
                       "cpu": "blas=Haswell", "kernels": "avx2"},
          "finished_at": "2026-01-01T00:00:01Z", "provenance": {"git_commit": "abc", "git_dirty": False}}
put("record", "ok_schema2.json", json.dumps(record, indent=1))
failed = dict(record, status="failed", error={"phase": "fitting", "message": "boom"})
del failed["metrics"]
put("record", "failed.json", json.dumps(failed))
old = dict(record, schema=1, method_report={"train": {"epoch_loss": [1.0, 0.5], "seconds": 3.0},
                                            "representation_spread": 0.2, "collapse_suspected": True})
for k in ("training", "representation", "numerics"):
    del old[k]
put("record", "schema1.json", json.dumps(old))

raw = b"ocbench-scores-v1\n" + struct.pack("<Q", 3) + struct.pack("<3i", 4, 0, 7) + bytes([0, 1, 1]) + struct.pack("<3f", 0.5, -1.0, 2.0)
put("scores", "three.scores.gz", gzip.compress(raw, mtime=0))
plan = {"ocbench_plan": 1, "experiment": "e", "experiment_file": "e.toml", "shards": 2, "created_at": "",
        "shard_costs_s": [1.0, 2.0], "cells": [{"id": "0123456789abcdef", "shard": 1, "cost_s": 1.0, "cell": "x"},
                                               {"id": "fedcba9876543210", "shard": 2, "cost_s": 2.0, "cell": "y"}]}
put("plan", "two_shards.json", json.dumps(plan))
for f in ["table1.csv", "extensions.csv"]:
    put("paper_csv", f, (repo / "results" / "paper" / f).read_text())
put("cache_meta", "entry.json", json.dumps({"key_text": "ocbench-ae/2|x", "weights_bytes": 10, "weights_sha256": "0" * 64,
                                             "epoch_loss": [3.0, 2.0], "epoch_seconds": [1.0, 1.0], "seconds": 2.0}))
print("seeds written to", corpus)
