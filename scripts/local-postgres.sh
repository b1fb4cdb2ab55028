#!/usr/bin/env bash
# Starts (creating it the first time) a private PostgreSQL for local runs under .data/postgres, listening
# on 127.0.0.1 only, and prints its connection string. Its data outlives restarts of the product.
# Usage: scripts/local-postgres.sh start|stop
set -euo pipefail
cd "$(dirname "$0")/.."

port="${UFB_PG_PORT:-55432}"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL server binaries not found; run scripts/install-deps.sh" >&2; exit 1; }
data="$PWD/.data/postgres"

as_pg() {
  # initdb refuses to run as root: the cluster belongs to the postgres user when we are root.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$PWD"; then
  data="/var/lib/ufbrowsers/$(echo "$PWD" | md5sum | cut -c1-12)/postgres"
fi

case "${1:-start}" in
  start)
    if [ ! -f "$data/PG_VERSION" ]; then
      mkdir -p "$data"
      [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$data"
      chmod 700 "$data"
      as_pg "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C --no-instructions >/dev/null
    fi
    if ! as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$data'" start >/dev/null
    fi
    if ! psql -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'ufbrowsers'" | grep -q 1; then
      psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE ufbrowsers" >/dev/null
    fi
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=ufbrowsers"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
esac
