#!/usr/bin/env python3
"""Each op's share of a training step, from ocb_profile_step's Chrome traces.

usage: profile_step.py TITLE TRACE.json STEPS

Prints Markdown: the step's phases (inclusive time), then the ops by self
time (their own time, without the ops they call), per step and as a share of
the step. Self time is computed from the nesting of the events on each thread.
"""
import json
import sys
from collections import defaultdict


def self_times(events):
    """Per event name: (self microseconds, calls), from nested 'X' events."""
    by_thread = defaultdict(list)
    for e in events:
        if e.get("ph") == "X":
            by_thread[e.get("tid")].append(e)
    own = defaultdict(float)
    calls = defaultdict(int)
    for evs in by_thread.values():
        # Parents first: earlier start, and the longer one on a tie.
        evs.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack = []  # [event, time taken by children]
        def close(item):
            ev, children = item
            own[ev["name"]] += max(0.0, ev["dur"] - children)
            calls[ev["name"]] += 1
            if stack:
                stack[-1][1] += ev["dur"]
        for e in evs:
            while stack and e["ts"] >= stack[-1][0]["ts"] + stack[-1][0]["dur"] - 1e-6:
                close(stack.pop())
            stack.append([e, 0.0])
        while stack:
            close(stack.pop())
    return own, calls


def main():
    title, path, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    events = json.load(open(path))
    own, calls = self_times(events)
    inclusive = defaultdict(float)
    for e in events:
        if e.get("ph") == "X":
            inclusive[e["name"]] += e["dur"]
    step_us = inclusive.get("ocb::train_step", 0.0) / steps
    if step_us <= 0:
        sys.exit(f"{path}: no ocb::train_step range")
    print(f"### {title}\n")
    print(f"{step_us / 1000:.1f} ms a step (mean of {steps}, profiler on).\n")
    print("| phase | ms per step | share |\n|---|---|---|")
    for name in sorted((n for n in inclusive if n.startswith("phase: ")), key=lambda n: -inclusive[n]):
        print(f"| {name[7:]} | {inclusive[name] / steps / 1000:.1f} | {100 * inclusive[name] / steps / step_us:.1f} % |")
    print("\n| op (self time) | calls per step | ms per step | share |\n|---|---|---|---|")
    shown = 0.0
    ranked = sorted((n for n in own if n != "ocb::train_step" and not n.startswith("phase: ")), key=lambda n: -own[n])
    for name in ranked[:20]:
        shown += own[name]
        print(f"| `{name}` | {calls[name] / steps:g} | {own[name] / steps / 1000:.2f} | {100 * own[name] / steps / step_us:.1f} % |")
    rest = sum(own[n] for n in ranked[20:])
    print(f"| {len(ranked) - 20 if len(ranked) > 20 else 0} other ops | | {rest / steps / 1000:.2f} | {100 * rest / steps / step_us:.1f} % |")
    # Time inside the step and its phases but in no op (the network's own C++ between ops).
    gaps = sum(own[n] for n in own if n == "ocb::train_step" or n.startswith("phase: "))
    print(f"| outside any op | | {gaps / steps / 1000:.2f} | {100 * gaps / steps / step_us:.1f} % |")
    print()


if __name__ == "__main__":
    main()
