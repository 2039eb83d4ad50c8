"""Times the PyTorch reference (Deep-SVDD-PyTorch, lukasruff) on this machine,
so that tests/bench/deep_speed.sh can put ocbench beside it in one run.

It imports the reference's own networks (src/networks/mnist_LeNet.py or
cifar10_LeNet.py) and trainers (src/optim/ae_trainer.py, deepSVDD_trainer.py)
from a checkout of it and runs them on one normal class (MNIST class 3 by
default) as its README's command does (Adam, lr 1e-4, batch 200, weight
decay 0.5e-6, one-class objective), but for a few epochs only; the trainers
log each epoch's seconds, which are what is kept. The data are ocbench's
split with GCN (l1) and min-max scaling (common.one_class_split), fed through
a torch DataLoader as the reference's own dataset classes do. On the CPU it
runs on one thread; DEVICE cuda runs it on the GPU (tests/bench/gpu_device.sh)
as the reference's --device option does. Prints one JSON object.

    python3 reference_epochs.py REFERENCE_SRC_DIR EPOCHS [DEVICE [DATASET CLASS]]
"""
import json
import logging
import re
import statistics
import sys
import time

import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset

import common


class EpochTimes(logging.Handler):
    """Collects the 'Epoch i/n  Time: s' lines the reference's trainers log."""

    def __init__(self):
        super().__init__()
        self.seconds = []

    def emit(self, record):
        m = re.search(r"Epoch \d+/\d+\s+Time: ([0-9.]+)", record.getMessage())
        if m:
            self.seconds.append(float(m.group(1)))


class OneClassSet:
    """The part of the reference's BaseADDataset its trainers use: loaders()."""

    def __init__(self, train, shape):
        x = torch.from_numpy(train.astype(np.float32)).view(-1, *shape)
        zeros = torch.zeros(len(x), dtype=torch.long)
        self.train_set = TensorDataset(x, zeros, torch.arange(len(x)))

    def loaders(self, batch_size, shuffle_train=True, shuffle_test=False, num_workers=0):
        train = DataLoader(self.train_set, batch_size=batch_size, shuffle=shuffle_train, num_workers=num_workers)
        return train, None


def main():
    if len(sys.argv) not in (3, 4, 6):
        sys.exit(__doc__)
    src, epochs = sys.argv[1], int(sys.argv[2])
    device = sys.argv[3] if len(sys.argv) > 3 else "cpu"
    dataset, normal = (sys.argv[4], int(sys.argv[5])) if len(sys.argv) > 5 else ("mnist", 3)
    if device not in ("cpu", "cuda") or dataset not in ("mnist", "cifar10"):
        sys.exit(f"reference_epochs.py: DEVICE must be cpu or cuda and DATASET mnist or cifar10, got {device} {dataset}")
    sys.path.insert(0, src)
    if dataset == "mnist":
        from networks.mnist_LeNet import MNIST_LeNet as Encoder, MNIST_LeNet_Autoencoder as Autoencoder
        shape = (1, 28, 28)
    else:
        from networks.cifar10_LeNet import CIFAR10_LeNet as Encoder, CIFAR10_LeNet_Autoencoder as Autoencoder
        shape = (3, 32, 32)
    from optim.ae_trainer import AETrainer
    from optim.deepSVDD_trainer import DeepSVDDTrainer

    if device == "cpu":
        torch.set_num_threads(1)
    torch.manual_seed(1)
    train, _, _ = common.one_class_split(dataset, normal)
    data = OneClassSet(train, shape)
    times = EpochTimes()
    logging.getLogger().addHandler(times)
    logging.getLogger().setLevel(logging.INFO)

    settings = dict(optimizer_name="adam", lr=1e-4, n_epochs=epochs, lr_milestones=(), batch_size=200,
                    weight_decay=0.5e-6, device=device, n_jobs_dataloader=0)
    start = time.time()
    ae = AETrainer(**settings).train(data, Autoencoder())
    ae_epochs = times.seconds[:]
    times.seconds.clear()
    net = Encoder()
    net.load_state_dict({k: v for k, v in ae.state_dict().items() if k in net.state_dict()})
    DeepSVDDTrainer("one-class", 0.0, None, 0.1, **settings).train(data, net)
    print(json.dumps({
        "torch": torch.__version__,
        "device": device if device == "cpu" else torch.cuda.get_device_name(),
        "dataset": dataset,
        "normal_class": normal,
        "threads": torch.get_num_threads(),
        "train_images": len(train),
        "epochs": epochs,
        "ae_epoch_s": statistics.median(ae_epochs),
        "svdd_epoch_s": statistics.median(times.seconds),
        "wall_s": time.time() - start,
    }))


if __name__ == "__main__":
    main()
