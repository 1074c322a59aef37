#!/usr/bin/env python3
"""Inclusive thread time per frame for the threads of a dotnet-trace Speedscope file whose stacks contain a marker
(default: the SQLite store's writer loop). How docs/benchmarks.md ("What limits FanOut now") splits the writer's time:

  dotnet-trace collect --profile dotnet-sampled-thread-time -o fanout.nettrace -- \\
      dotnet benchmarks/FanOut.Load/bin/Release/net10.0/FanOut.Load.dll --store sqlite --durability normal --producers 16 --events 40000
  dotnet-trace convert --format Speedscope fanout.nettrace -o fanout
  python3 benchmarks/thread-time.py fanout.speedscope.json [marker] [rows]
"""
import collections, json, sys

path = sys.argv[1]
marker = sys.argv[2] if len(sys.argv) > 2 else "StoreWriter.RunLoop"
rows = int(sys.argv[3]) if len(sys.argv) > 3 else 40
trace = json.load(open(path))
frames = [f["name"] for f in trace["shared"]["frames"]]
for profile in trace["profiles"]:
    events = profile["events"]
    if not any(marker in frames[e["frame"]] for e in events):
        continue
    inclusive = collections.Counter()
    stack, last = [], None
    for e in events:
        if stack and last is not None:
            for f in set(stack):
                inclusive[frames[f]] += e["at"] - last
        last = e["at"]
        if e["type"] == "O":
            stack.append(e["frame"])
        elif stack:
            stack.pop()
    span = profile["endValue"] - profile["startValue"]
    print(f"{profile['name']}: {span:.0f} ms of thread time")
    for name, time in inclusive.most_common(rows):
        print(f"  {100 * time / span:5.1f}%  {name[:140]}")
