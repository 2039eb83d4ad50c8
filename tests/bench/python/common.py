"""Shared helpers of the scikit-learn comparison scripts: the same one-class
split and preprocessing as ocbench (PROTOCOL.md §2.2), in numpy float64.
These scripts measure the Python baselines side by side; ocbench does not
depend on them."""
import gzip
import lzma
import os
import struct

import numpy as np


def data_root():
    return os.environ.get("OCBENCH_DATA", "data")


def _idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    magic, n = struct.unpack(">II", raw[:8])
    if magic == 2051:
        h, w = struct.unpack(">II", raw[8:16])
        return np.frombuffer(raw, np.uint8, offset=16).reshape(n, 1, h, w)
    return np.frombuffer(raw, np.uint8, offset=8)


def load_mnist(name="mnist"):
    root = os.path.join(data_root(), name)
    if not os.path.isdir(root) and name == "fashion_mnist":
        root = "/usr/share/datasets/fashion-mnist"
    f = lambda n: os.path.join(root, n + ".gz")
    return (_idx(f("train-images-idx3-ubyte")), _idx(f("train-labels-idx1-ubyte")),
            _idx(f("t10k-images-idx3-ubyte")), _idx(f("t10k-labels-idx1-ubyte")))


def load_cifar10():
    root = os.path.join(data_root(), "cifar10")
    def batch(name):
        p = os.path.join(root, name + ".xz")
        raw = lzma.open(p).read() if os.path.exists(p) else open(os.path.join(root, name), "rb").read()
        a = np.frombuffer(raw, np.uint8).reshape(-1, 3073)
        return a[:, 1:].reshape(-1, 3, 32, 32), a[:, 0]
    xs, ys = zip(*[batch(f"data_batch_{i}.bin") for i in range(1, 6)])
    xt, yt = batch("test_batch.bin")
    return np.concatenate(xs), np.concatenate(ys), xt, yt


def gcn_l1(x):
    x = x.reshape(len(x), -1).astype(np.float64) / 255.0
    x = x - x.mean(axis=1, keepdims=True)
    scale = np.abs(x).mean(axis=1, keepdims=True)
    scale[scale == 0] = 1.0
    return x / scale


def one_class_split(dataset, normal_class, gcn=True):
    xtr, ytr, xte, yte = load_cifar10() if dataset == "cifar10" else load_mnist(dataset)
    train = xtr[ytr == normal_class]
    if gcn:
        train, test = gcn_l1(train), gcn_l1(xte)
    else:
        train = train.reshape(len(train), -1) / 255.0
        test = xte.reshape(len(xte), -1) / 255.0
    lo, hi = train.min(), train.max()
    return (train - lo) / (hi - lo), (test - lo) / (hi - lo), (yte != normal_class).astype(int)
