#!/usr/bin/env bash
# NativeAOT against JIT for samples/Signup: the size of what is deployed, and the cold start from process start to the
# first function body (the "cold start:" line the sample prints, see samples/Signup/ColdStart.cs). Each run starts in
# an empty temporary folder, so every run creates its SQLite file from nothing, as the first run of a deployment does.
#
#   bash benchmarks/aot-coldstart.sh [runs]        (default 10; results in docs/benchmarks.md)
#
# Publishes into artifacts/coldstart/ (ignored by git): the AOT binary as .ci/run publishes it, and the JIT build as
# a framework-dependent `dotnet publish`, run with `dotnet Signup.dll`. Runs alternate AOT, JIT, AOT, JIT... so a
# neighbour's load spreads over both. If hyperfine is installed it also times the whole process (wall clock, start
# to exit), which includes the sample's own waits and retry backoff; it is not required.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
runs=${1:-10}
out=artifacts/coldstart
rm -rf "$out"
mkdir -p "$out"

echo "== publish: NativeAOT (as .ci/run) and JIT (framework-dependent)" >&2
dotnet publish samples/Signup -c Release -r linux-x64 -p:PublishAot=true -o "$out/aot" >"$out/aot.log" 2>&1 || { cat "$out/aot.log" >&2; exit 1; }
dotnet publish samples/Signup -c Release -o "$out/jit" >"$out/jit.log" 2>&1 || { cat "$out/jit.log" >&2; exit 1; }
aot_bin=$(realpath "$out/aot/Signup")
jit_dll=$(realpath "$out/jit/Signup.dll")

# One run in a fresh folder; prints the milliseconds of the sample's cold-start line, fails if the sample failed.
run_once() {
  local dir line
  dir=$(mktemp -d)
  if ! (cd "$dir" && "$@" >"$dir/out" 2>&1); then
    cat "$dir/out" >&2
    rm -rf "$dir"
    return 1
  fi
  line=$(grep '^cold start: process start to first function:' "$dir/out") || { cat "$dir/out" >&2; rm -rf "$dir"; return 1; }
  rm -rf "$dir"
  echo "$line" | sed 's/.*: \([0-9]*\) ms$/\1/'
}

# median and min of the numbers on stdin
stats() { sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "median %s ms, min %s ms, max %s ms (%d runs)", m, v[1], v[NR], NR }'; }

echo "== $runs runs each, alternating" >&2
aot_ms=() jit_ms=()
for i in $(seq 1 "$runs"); do
  aot_ms+=("$(run_once "$aot_bin")")
  jit_ms+=("$(run_once dotnet "$jit_dll")")
  echo "  run $i: aot ${aot_ms[-1]} ms, jit ${jit_ms[-1]} ms (load average $(cut -d' ' -f1 /proc/loadavg))" >&2
done

size() { stat -c %s "$1"; }
human() { numfmt --to=iec-i --suffix=B --format=%.1f "$1"; }
dir_size() { du -sb "$1" | cut -f1; }

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), .NET SDK $(dotnet --version), load average $(cut -d' ' -f1-3 /proc/loadavg)"
# What a deployment copies: the AOT binary and the SQLite native library beside it (no .pdb, .xml or .dbg); for JIT the
# assemblies and this platform's SQLite library, plus the shared runtime the machine must have.
aot_deploy=$(find "$out/aot" -maxdepth 1 -type f \( -name Signup -o -name '*.so' \) -printf '%s\n' | awk '{ s += $1 } END { print s }')
jit_deploy=$(find "$out/jit" -maxdepth 1 -type f \( -name '*.dll' -o -name '*.json' \) -printf '%s\n' | awk '{ s += $1 } END { print s }')
jit_native=$(find "$out/jit/runtimes/linux-x64" -type f -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
runtime_dir=$(dirname "$(dotnet --list-runtimes | awk '/^Microsoft.NETCore.App / { v = $2; p = $3 } END { gsub(/[][]/, "", p); print p "/" v "/x" }')")
echo "AOT: binary $out/aot/Signup $(size "$out/aot/Signup") bytes ($(human "$(size "$out/aot/Signup")")); binary + libe_sqlite3.so $aot_deploy bytes ($(human "$aot_deploy")); no runtime needed"
echo "JIT: assemblies + *.json $jit_deploy bytes ($(human "$jit_deploy")), runtimes/linux-x64 $jit_native bytes ($(human "$jit_native")); plus the shared runtime $runtime_dir ($(human "$(dir_size "$runtime_dir")"))"
echo "cold start, process start to first function body:"
echo "  AOT: $(printf '%s\n' "${aot_ms[@]}" | stats)   [${aot_ms[*]}]"
echo "  JIT: $(printf '%s\n' "${jit_ms[@]}" | stats)   [${jit_ms[*]}]"

if command -v hyperfine >/dev/null 2>&1; then
  echo
  echo "hyperfine, whole process (start to exit, includes the sample's waits):"
  tmp=$(mktemp -d)
  (cd "$tmp" && hyperfine --warmup 1 --runs "$runs" --prepare 'rm -f fanout-signup.db*' "$aot_bin" "dotnet $jit_dll")
  rm -rf "$tmp"
fi
