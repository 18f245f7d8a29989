#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server on loopback and TEST_DATABASE_URL set.
# The server lives in a temporary directory and is removed afterwards, whatever happens.
# Usage: scripts/with-throwaway-postgres.sh COMMAND [ARGS...]
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  else
    echo "PostgreSQL is not installed (apt-get install postgresql)." >&2
    exit 1
  fi
fi

port=${PGPORT_TEST:-54329}
dir=$(mktemp -d /tmp/varna-pg.XXXXXX)
# PostgreSQL refuses to run as root; use the package's postgres user then.
run_as=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$dir"
  run_as=(runuser -u postgres --)
fi

cleanup() {
  "${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

"${run_as[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U varna -E UTF8 --no-locale >/dev/null
"${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
  start >/dev/null
"${run_as[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U varna varna_test

export TEST_DATABASE_URL="postgresql+psycopg://varna@127.0.0.1:$port/varna_test"
echo "Throwaway PostgreSQL at $TEST_DATABASE_URL"
"$@"
