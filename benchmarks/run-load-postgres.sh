#!/usr/bin/env bash
# The durable load comparison of docs/benchmarks.md on PostgreSQL: starts a throwaway PostgreSQL 15 cluster (a temp
# folder, a free port on 127.0.0.1, fsync on, every other setting PostgreSQL's default), runs FanOut and its peers
# interleaved in rounds so that each round's rows share the machine's conditions, then stops and deletes the cluster.
# Prints markdown rows (stdout) and progress and store counters (stderr).
#   bash benchmarks/run-load-postgres.sh [rounds] [events] [hangfire-events] > load-pg.md 2> load-pg.log
# (defaults 3, 20000 and 20000: on a loaded machine fewer events keep a round within minutes; the rows say how many)
# Set FANOUT_PG_BIN for another PostgreSQL 15 bin folder.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
events=${2:-20000}
hangfire_events=${3:-20000}
bin=${FANOUT_PG_BIN:-/usr/lib/postgresql/15/bin}
for p in FanOut.Load Peers.Wolverine Peers.Hangfire; do dotnet build -c Release "benchmarks/$p" -v q -nologo >/dev/null; done

dir=$(mktemp -d /tmp/fanout-load-pg.XXXXXX)
as_postgres=()
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$dir"            # initdb and postgres refuse to run as root
  as_postgres=(runuser -u postgres --)
fi
stop() {
  "${as_postgres[@]}" "$bin/pg_ctl" stop -D "$dir/data" -m fast -w >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as_postgres[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
"${as_postgres[@]}" "$bin/pg_ctl" start -D "$dir/data" -w -t 60 -l "$dir/server.log" \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=300" >/dev/null
export FANOUT_PG_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
echo "PostgreSQL $("$bin/postgres" --version | cut -d' ' -f3) on port $port in $dir: $("${as_postgres[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -Atc \
  "SELECT string_agg(name || '=' || setting, ', ') FROM pg_settings WHERE name IN ('fsync','synchronous_commit','wal_sync_method','full_page_writes','shared_buffers','max_connections')")" >&2

fanout() { dotnet benchmarks/FanOut.Load/bin/Release/net10.0/FanOut.Load.dll --store postgres "$@"; }
wolverine() { dotnet benchmarks/Peers.Wolverine/bin/Release/net10.0/Peers.Wolverine.dll --store postgres "$@"; }
hangfire() { dotnet benchmarks/Peers.Hangfire/bin/Release/net10.0/Peers.Hangfire.dll --store postgres "$@"; }
info() { echo; echo "<!-- $* | $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg) -->"; echo "$* $(date -u +%H:%M:%S)" >&2; }
for round in $(seq 1 "$rounds"); do
  info "round $round: FanOut on PostgreSQL"
  fanout --producers 1,16 --steps 1,2 --events "$events"
  fanout --producers 16 --steps 1,2 --events "$events" --step-saving next
  info "round $round: Wolverine on PostgreSQL"
  wolverine --producers 1,16 --events "$events"
done
info "Hangfire on PostgreSQL (once: it is slow), $hangfire_events jobs"
hangfire --producers 1,16 --events "$hangfire_events"
info "done"
