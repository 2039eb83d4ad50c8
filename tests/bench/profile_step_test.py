#!/usr/bin/env python3
"""profile_step.py's self times on a hand-made trace: nested events give
their children's time to the children, phases and the step are reported
inclusive, and the op rows with the time outside any op add up to the step."""
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
# One step of 100 us: forward 60 (conv 40 of which its kernel 30, relu 10),
# backward 40 (conv backward 35); a second thread's event is counted apart.
events = [
    {"name": "ocb::train_step", "ph": "X", "ts": 0, "dur": 100, "tid": 1},
    {"name": "phase: forward + loss", "ph": "X", "ts": 0, "dur": 60, "tid": 1},
    {"name": "aten::conv", "ph": "X", "ts": 1, "dur": 40, "tid": 1},
    {"name": "kernel", "ph": "X", "ts": 5, "dur": 30, "tid": 1},
    {"name": "aten::relu", "ph": "X", "ts": 45, "dur": 10, "tid": 1},
    {"name": "phase: backward", "ph": "X", "ts": 60, "dur": 40, "tid": 1},
    {"name": "conv_backward", "ph": "X", "ts": 61, "dur": 35, "tid": 1},
    {"name": "other_thread", "ph": "X", "ts": 2, "dur": 50, "tid": 2},
]
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "t.json")
    json.dump(events, open(path, "w"))
    out = subprocess.run([sys.executable, os.path.join(here, "profile_step.py"), "T", path, "1"], check=True,
                         capture_output=True, text=True).stdout
expect = [
    "0.1 ms a step",
    "| forward + loss | 0.1 | 60.0 % |",
    "| backward | 0.0 | 40.0 % |",
    "| `conv_backward` | 1 | 0.04 | 35.0 % |",
    "| `kernel` | 1 | 0.03 | 30.0 % |",
    "| `aten::conv` | 1 | 0.01 | 10.0 % |",  # 40 - its kernel's 30
    "| `aten::relu` | 1 | 0.01 | 10.0 % |",
    "| `other_thread` | 1 | 0.05 | 50.0 % |",
    "| outside any op | | 0.01 | 15.0 % |",  # 10 in forward, 5 in backward
]
missing = [e for e in expect if e not in out]
if missing:
    print(out)
    sys.exit(f"missing lines: {missing}")
print("ok")
