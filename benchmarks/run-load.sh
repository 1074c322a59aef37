#!/usr/bin/env bash
# Runs the durable load comparison of docs/benchmarks.md: FanOut and its peers, interleaved in rounds so that each
# round's rows share the machine's conditions. Prints markdown rows (stdout) and store counters (stderr).
#   bash benchmarks/run-load.sh [rounds] > load.md 2> load.log
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
for p in FanOut.Load Peers.Wolverine Peers.Hangfire; do dotnet build -c Release "benchmarks/$p" -v q -nologo >/dev/null; done
fanout() { dotnet benchmarks/FanOut.Load/bin/Release/net10.0/FanOut.Load.dll "$@"; }
wolverine() { dotnet benchmarks/Peers.Wolverine/bin/Release/net10.0/Peers.Wolverine.dll "$@"; }
hangfire() { dotnet benchmarks/Peers.Hangfire/bin/Release/net10.0/Peers.Hangfire.dll "$@"; }
info() { echo; echo "<!-- $* | $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg) -->"; }
for round in $(seq 1 "$rounds"); do
  info "round $round: FanOut on SQLite"
  fanout --store sqlite --durability full,normal --producers 1,16 --steps 1,2
  info "round $round: Wolverine"
  wolverine --producers 1,16
  info "round $round: FanOut in memory"
  fanout --store memory --producers 1,16 --steps 1,2
done
info "paced: 1,000 events/s from 16 producers, 10,000 events"
fanout --store sqlite --durability full,normal --producers 16 --steps 1 --events 10000 --rate 1000
wolverine --producers 16 --events 10000 --rate 1000
info "one producer, SendManyAsync x 100, against one producer awaiting each send"
fanout --store sqlite --durability full,normal --producers 1 --steps 1 --batch 100
fanout --store sqlite --durability normal --producers 1 --steps 1
info "Hangfire (once: it is slow)"
hangfire --producers 1,16
info "done"
