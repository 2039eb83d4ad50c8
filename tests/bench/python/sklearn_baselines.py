"""The paper's shallow baselines with scikit-learn on one class, timed, for the
side-by-side comparison with ocbench (tests/bench/compare_sklearn.sh). Same
split, preprocessing, grids and selection rules as ocbench's defaults; with
--holdout-from, OC-SVM uses the test subset of an ocbench score file (so both
select on the same labelled holdout).

usage: OCBENCH_DATA=../shared/data python3 sklearn_baselines.py mnist 3 [ocsvm kde if] [--holdout-from FILE]
"""
import gzip
import struct
import sys
import time

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import KernelDensity
from sklearn.svm import OneClassSVM

import common


def read_ocbench_scores(path):
    raw = gzip.open(path).read()
    head = len(b"ocbench-scores-v1\n")
    (n,) = struct.unpack("<Q", raw[head:head + 8])
    return np.frombuffer(raw, np.int32, n, head + 8)


HOLDOUT_FROM = None


def ocsvm(train, test, y, seed):
    if HOLDOUT_FROM:
        rest = np.sort(read_ocbench_scores(HOLDOUT_FROM))
        hold = np.setdiff1d(np.arange(len(y)), rest)
    else:
        rng = np.random.RandomState(seed)
        n_hold = int(round(0.1 * len(y)))
        while True:
            perm = rng.permutation(len(y))
            hold, rest = perm[:n_hold], perm[n_hold:]
            if 0 < y[hold].sum() < n_hold:
                break
    best, best_model = -1.0, None
    for nu in (0.01, 0.1):
        for g in range(-10, 0):
            m = OneClassSVM(kernel="rbf", nu=nu, gamma=2.0 ** g).fit(train)
            auc = roc_auc_score(y[hold], -m.decision_function(test[hold]))
            if auc > best:
                best, best_model = auc, m
    return roc_auc_score(y[rest], -best_model.decision_function(test[rest]))


def kde(train, test, y, seed):
    grid = GridSearchCV(KernelDensity(kernel="gaussian"), {"bandwidth": 2.0 ** np.arange(0.5, 5.01, 0.5)}, cv=5)
    grid.fit(train)
    return roc_auc_score(y, -grid.best_estimator_.score_samples(test))


def iforest(train, test, y, seed):
    m = IsolationForest(n_estimators=100, max_samples=256, random_state=seed, n_jobs=1).fit(train)
    return roc_auc_score(y, -m.decision_function(test))


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--holdout-from" in args:
        i = args.index("--holdout-from")
        HOLDOUT_FROM = args[i + 1]
        del args[i:i + 2]
    dataset, k = args[0], int(args[1])
    which = args[2:] or ["ocsvm", "kde", "if"]
    train, test, y = common.one_class_split(dataset, k)
    for name in which:
        fn = {"ocsvm": ocsvm, "kde": kde, "if": iforest}[name]
        t = time.time()
        auc = fn(train, test, y, 1)
        print(f"sklearn {name} {dataset} class {k}: auc {100 * auc:.2f}  {time.time() - t:.1f} s", flush=True)
