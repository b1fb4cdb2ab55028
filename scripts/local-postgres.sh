#!/usr/bin/env bash
# Starts (creating it the first time) a private PostgreSQL for local runs and prints its connection string.
# It listens on a Unix socket only (no TCP port at all) and lets in only this service's own OS user, as the
# `postgres` role (peer authentication): nothing on the machine's loopback, and so nothing a browser page could
# reach, can talk to it. Its data outlives restarts of the product.
#
# Where the data lives: .data/postgres when the script runs as an ordinary user; as root, PostgreSQL runs as the
# `postgres` user, which may not enter .data (kept 0700 for the service's secrets), so the cluster lives under
# /var/lib/ufbrowsers/<checkout hash>/postgres. A cluster left in .data/postgres by an earlier version (trust
# authentication on 127.0.0.1) is moved there and its authentication rewritten; balances are kept.
# Usage: scripts/local-postgres.sh start|stop
set -euo pipefail
cd "$(dirname "$0")/.."

port="${UFB_PG_PORT:-55432}"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL server binaries not found; run scripts/install-deps.sh" >&2; exit 1; }
checkout_hash=$(echo "$PWD" | md5sum | cut -c1-12)
legacy="$PWD/.data/postgres"

if [ "$(id -u)" -eq 0 ]; then
  pg_user=postgres
  data="/var/lib/ufbrowsers/$checkout_hash/postgres"
  as_pg() { runuser -u postgres -- "$@"; }
else
  pg_user=$(id -un)
  data="$legacy"
  as_pg() { "$@"; }
fi

# The socket goes in the data directory (0700, the cluster's owner's), unless that path is too long for a socket address.
socket_dir="$data"
if [ $(( ${#socket_dir} + 20 )) -gt 107 ]; then
  socket_dir="/tmp/ufb-pg-$checkout_hash"
fi

prepare_socket_dir() {
  if [ "$socket_dir" != "$data" ]; then
    mkdir -p "$socket_dir"
    [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$socket_dir"
    chmod 700 "$socket_dir"
  fi
}

# Written on every start, so that an older cluster (trust on 127.0.0.1) is brought to this one's rules.
write_authentication() {
  as_pg tee "$data/pg_hba.conf" >/dev/null <<HBA
# Written by scripts/local-postgres.sh on every start. Unix socket only; the service's OS user as role postgres.
local all postgres peer map=ufbrowsers
HBA
  as_pg tee "$data/pg_ident.conf" >/dev/null <<IDENT
# Written by scripts/local-postgres.sh on every start.
ufbrowsers $(id -un) postgres
ufbrowsers $pg_user postgres
IDENT
}

running() { as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

case "${1:-start}" in
  start)
    if [ "$data" != "$legacy" ] && [ -f "$legacy/PG_VERSION" ] && [ ! -f "$data/PG_VERSION" ]; then
      echo "Moving the PostgreSQL cluster of an earlier version from .data/postgres to $data..." >&2
      as_pg "$bin/pg_ctl" -D "$legacy" -m fast -w stop >/dev/null 2>&1 || true
      mkdir -p "$(dirname "$data")"
      chmod 755 /var/lib/ufbrowsers "$(dirname "$data")"
      mv "$legacy" "$data"
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
      mkdir -p "$data"
      [ "$(id -u)" -ne 0 ] || { chmod 755 /var/lib/ufbrowsers "$(dirname "$data")"; chown postgres:postgres "$data"; }
      chmod 700 "$data"
      as_pg "$bin/initdb" -D "$data" -U postgres --auth-local=peer --auth-host=reject -E UTF8 --locale=C --no-instructions >/dev/null
    fi
    write_authentication
    prepare_socket_dir
    # A server still running from an earlier start may listen on TCP with older rules: start it afresh.
    if running; then
      as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    fi
    as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
      -o "-p $port -c listen_addresses='' -c unix_socket_directories='$socket_dir' -c unix_socket_permissions=0700" start >/dev/null
    if ! psql -h "$socket_dir" -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'ufbrowsers'" | grep -q 1; then
      psql -h "$socket_dir" -p "$port" -U postgres -qc "CREATE DATABASE ufbrowsers" >/dev/null
    fi
    echo "Host=$socket_dir;Port=$port;Username=postgres;Database=ufbrowsers"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
esac
