#!/usr/bin/env bash
# The generator's time inside a real `dotnet build` of the 1,000-function project (GeneratorProject, the same code
# GeneratorBenchmarks measures in process), read from the compiler's own report (-p:ReportAnalyzer=true).
#
#   bash benchmarks/generator-build.sh [edits]       (default 3 edit-and-build rounds; results in docs/benchmarks.md)
#
# Writes the project to a temporary folder outside the repository (deleted at the end), builds it once from nothing
# (the first build), then [edits] times: appends an unrelated file (no FanOut declaration) and builds again. For each
# build it prints the wall time of `dotnet build` and, for Bench.App's compile only, the compiler's "Total analyzer
# execution time" and "Total generator execution time" lines and the rows of FanOutGenerator and FanOutAnalyzer.
# The builds run csc as its own process, not in the compiler server (UseSharedCompilation=false, which this machine's
# environment sets and CI machines often do; the log says "using command line tool by design"), so every build here
# starts the generator with a new driver: what a command-line or CI build pays, edit or not. The incremental re-run
# an IDE gets is GeneratorBenchmarks' to measure.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
edits=${1:-3}
repo=$PWD
dir=$(mktemp -d "${TMPDIR:-/tmp}/fanout-generator-build.XXXXXX")
trap 'rm -rf "$dir"' EXIT

dotnet build -c Release benchmarks/FanOut.Benchmarks -v:q -nologo >/dev/null
dotnet benchmarks/FanOut.Benchmarks/bin/Release/net10.0/FanOut.Benchmarks.dll --write-generator-project "$dir/Bench.App" "$repo"
echo "project: $dir/Bench.App, $(ls "$dir/Bench.App"/*.cs | wc -l) files, $(cat "$dir/Bench.App"/*.cs | wc -l) lines"
# FanOut.Sdk and the generator, built before the first measured build so it measures Bench.App's compile alone.
dotnet build -c Release FanOut.Sdk -v:q -nologo >/dev/null
dotnet build -c Release FanOut.Generators -v:q -nologo >/dev/null

# Builds Bench.App, prints the wall time and the compiler's analyzer and generator report for Bench.App.
build() {
  local label=$1 log="$dir/build-$2.log" start end
  start=$(date +%s%N)
  if ! dotnet build -c Release "$dir/Bench.App" -p:ReportAnalyzer=true -v:d -nologo >"$log" 2>&1; then
    grep -E "error|warning" "$log" | head -40 >&2
    return 1
  fi
  end=$(date +%s%N)
  printf '%s: dotnet build %d ms wall (load average %s)\n' "$label" $(((end - start) / 1000000)) "$(cut -d' ' -f1 /proc/loadavg)"
  # The compiler's report for Bench.App (the only project compiled; FanOut.Sdk and the generator are up to date):
  # the totals over all analyzers and generators, and FanOut's two rows.
  grep -E '^\s+Total (analyzer|generator) execution time|^\s+[0-9.]+\s+[0-9<]+\s+FanOut\.Generators\.(FanOutGenerator|Diagnostics\.FanOutAnalyzer)' "$log" \
    | sed -E 's/^\s+/    /; s/ \(FANOUT.*$//' | sort -u
}

build "first build (obj/ empty)" 0
for i in $(seq 1 "$edits"); do
  cat >"$dir/Bench.App/Unrelated$i.cs" <<CS
namespace Bench.App;

public static class Unrelated$i
{
    public static int Twice(int value) => value * 2 + $i;
}
CS
  build "after adding Unrelated$i.cs (no FanOut declaration)" "$i"
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), .NET SDK $(dotnet --version)"
