#!/usr/bin/env bash
# Starts (or stops) a local Citus cluster for the Citus tests and benchmarks: one coordinator and two
# workers on loopback ports, from a Citus already installed into the machine's PostgreSQL (this
# script builds nothing and installs nothing). Needs root (the clusters run as the postgres user)
# and pgvector installed (tooling/scripts/install-pgvector-debian.sh).
#
#   bash tooling/scripts/citus-cluster.sh start|stop|status
#   CITUS_DATABASE_URL=postgres://postgres@127.0.0.1:5440/postgres pnpm exec vitest run <files>
#
# Ports: CITUS_PORT (coordinator, default 5440) and the next two for the workers; data directories
# under CITUS_DATA_DIR (default /work/citus-data). Trust authentication on 127.0.0.1 only.
set -euo pipefail
action="${1:-start}"
port="${CITUS_PORT:-5440}"
data="${CITUS_DATA_DIR:-/work/citus-data}"
major="$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)"
[ -n "$major" ] || { echo "citus-cluster: no PostgreSQL in /usr/lib/postgresql" >&2; exit 2; }
bin="/usr/lib/postgresql/$major/bin"
libdir="$("$bin/pg_config" --pkglibdir)"
sharedir="$("$bin/pg_config" --sharedir)"
nodes=(coordinator worker1 worker2)

as_postgres() { runuser -u postgres -- "$@"; }
node_port() { echo $((port + $1)); }
psql_at() { as_postgres "$bin/psql" -h 127.0.0.1 -p "$1" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt -c "$2"; }

if [ "$action" = stop ] || [ "$action" = status ]; then
  for index in 0 1 2; do
    dir="$data/${nodes[$index]}"
    [ -d "$dir" ] || continue
    if [ "$action" = stop ]; then as_postgres "$bin/pg_ctl" -D "$dir" -m fast stop || true
    else as_postgres "$bin/pg_ctl" -D "$dir" status || true; fi
  done
  exit 0
fi
[ "$action" = start ] || { echo "citus-cluster: usage: citus-cluster.sh start|stop|status" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "citus-cluster: run as root (clusters run as the postgres user)" >&2; exit 2; }
if [ ! -f "$libdir/citus.so" ] || [ ! -f "$sharedir/extension/citus.control" ]; then
  echo "citus-cluster: Citus is not installed into PostgreSQL $major ($libdir/citus.so missing)." >&2
  echo "citus-cluster: install Citus 13.2.x for PostgreSQL $major first; the Citus tests skip without it." >&2
  exit 3
fi
[ -f "$sharedir/extension/vector.control" ] || {
  echo "citus-cluster: pgvector is not installed (tooling/scripts/install-pgvector-debian.sh)" >&2
  exit 3
}

mkdir -p "$data"
chown postgres:postgres "$data"
for index in 0 1 2; do
  dir="$data/${nodes[$index]}"
  if [ ! -f "$dir/PG_VERSION" ]; then
    as_postgres "$bin/initdb" -D "$dir" -U postgres --auth=trust --no-sync >/dev/null
    # wal_level=logical lets shard moves copy without blocking writes; prepared transactions
    # carry Citus's two-phase commit. citus.propagate_set_commands stays at its default (none):
    # the library sets it per search transaction, and the tests prove that this is enough.
    cat >>"$dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $(node_port "$index")
shared_preload_libraries = 'citus'
wal_level = logical
max_prepared_transactions = 100
max_connections = 200
shared_buffers = 128MB
CONF
  fi
  if ! as_postgres "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w start >/dev/null
  fi
done

# Only when missing: once a worker holds the cluster's metadata, Citus refuses extension DDL there
# (even CREATE EXTENSION IF NOT EXISTS), so a second `start` must not send it.
for index in 0 1 2; do
  for extension in citus vector; do
    if [ "$(psql_at "$(node_port "$index")" "SELECT count(*) FROM pg_extension WHERE extname = '$extension'")" = 0 ]; then
      psql_at "$(node_port "$index")" "CREATE EXTENSION $extension"
    fi
  done
done
coordinator="$(node_port 0)"
psql_at "$coordinator" "SELECT citus_set_coordinator_host('127.0.0.1', $coordinator)" >/dev/null
for index in 1 2; do
  psql_at "$coordinator" "SELECT citus_add_node('127.0.0.1', $(node_port "$index"))" >/dev/null
done
echo "citus-cluster: coordinator 127.0.0.1:$coordinator, workers 127.0.0.1:$(node_port 1) and 127.0.0.1:$(node_port 2)"
psql_at "$coordinator" "SELECT nodename || ':' || nodeport || ' ' || noderole FROM pg_dist_node ORDER BY nodeport"
echo "CITUS_DATABASE_URL=postgres://postgres@127.0.0.1:$coordinator/postgres"
