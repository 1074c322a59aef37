#!/usr/bin/env bash
# The in-process comparison of docs/benchmarks-inprocess.md, section 3: one event to 1, 4 and 16 handlers, sync and
# Task.Yield, FanOut's in-memory path against Mediator 3.0.2, MassTransit 8.5.12's mediator, Wolverine 6.62.0 and a plain
# Task.WhenAll, all in one BenchmarkDotNet run. Re-run it after a change to FanOut's in-memory path:
#
#   benchmarks/peers-inprocess.sh                 # ShortRun job (3 warm-up + 3 measured iterations), ~10-15 min on 2 cores
#   benchmarks/peers-inprocess.sh --job default   # BenchmarkDotNet's default job: tighter figures, ~3x as long
#   benchmarks/peers-inprocess.sh --smoke         # every case once, in process: checks that all contenders run, no figures
#
# Prints what the doc records beside the figures (UTC start and end, load average, machine), then the table as
# BenchmarkDotNet's GitHub-markdown export. Output goes to ${ARTIFACTS:-/tmp/bdn-peers-inprocess}, not to the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
artifacts="${ARTIFACTS:-/tmp/bdn-peers-inprocess}"
rm -rf "$artifacts"
args=("$@")
if [ ${#args[@]} -eq 0 ]; then args=(--job short); fi
if [[ " ${args[*]} " != *" --smoke "* ]]; then
  if [[ " ${args[*]} " != *" --filter "* ]]; then args+=(--filter '*'); fi
  # BenchmarkDotNet rebuilds the project (FanOut, Mediator, MassTransit, Wolverine) for its benchmark processes; its
  # 2-minute default build timeout was not enough on this shared 2-core VM at load 30.
  if [[ " ${args[*]} " != *" --buildTimeout "* ]]; then args+=(--buildTimeout 900); fi
fi

echo "started:  $(date -u '+%Y-%m-%d %H:%M:%S UTC')   uptime:$(uptime)"
echo "machine:  $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), dotnet $(dotnet --version)"
echo "command:  dotnet run -c Release --project benchmarks/Peers.InProcess -- ${args[*]} --artifacts $artifacts"
dotnet run -c Release --project benchmarks/Peers.InProcess -- "${args[@]}" --artifacts "$artifacts" > "$artifacts.log" 2>&1 || status=$?
echo "finished: $(date -u '+%Y-%m-%d %H:%M:%S UTC')   uptime:$(uptime)"
report=$(ls "$artifacts"/results/*-report-github.md 2>/dev/null | head -1 || true)
if [ -n "$report" ]; then cat "$report"; else tail -40 "$artifacts.log"; fi
echo "full log: $artifacts.log"
exit "${status:-0}"
