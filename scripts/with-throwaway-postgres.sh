#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server on loopback and TEST_DATABASE_URL set.
# The server lives in a temporary directory and is removed afterwards, whatever happens.
# It listens on 127.0.0.1:54329, or the next free port when another run holds that one
# (PGPORT_TEST=N forces a port).
# Usage: scripts/with-throwaway-postgres.sh COMMAND [ARGS...]
set -euo pipefail

find_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true; }

bindir=$(find_bindir)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's postgresql package ..."
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql >/dev/null
    bindir=$(find_bindir)
  fi
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "PostgreSQL is not installed (as root: apt-get install postgresql)." >&2
    exit 1
  fi
fi

dir=$(mktemp -d /tmp/varna-pg.XXXXXX)
# PostgreSQL refuses to run as root; use the package's postgres user then.
run_as=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$dir"
  run_as=(runuser -u postgres --)
fi
# Run from the server's directory: the postgres user may not be allowed into the caller's.
pg() { (cd "$dir" && "${run_as[@]}" "$@"); }

cleanup() {
  pg "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pg "$bindir/initdb" -D "$dir/data" -A trust -U varna -E UTF8 --no-locale >/dev/null

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

first=${PGPORT_TEST:-54329}
last=$first
[ -n "${PGPORT_TEST:-}" ] || last=$((first + 20))
port=""
for candidate in $(seq "$first" "$last"); do
  port_in_use "$candidate" && continue
  # Another run may take the port between the check and the start: then try the next one.
  if pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
      -o "-p $candidate -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
      start >/dev/null 2>>"$dir/start-errors"; then
    port=$candidate
    break
  fi
done
if [ -z "$port" ]; then
  echo "Could not start a throwaway PostgreSQL on 127.0.0.1 port(s) $first-$last (in use, or see below)." >&2
  [ ! -f "$dir/start-errors" ] || cat "$dir/start-errors" >&2
  [ ! -f "$dir/log" ] || tail -n 20 "$dir/log" >&2
  exit 1
fi
pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U varna varna_test

export TEST_DATABASE_URL="postgresql+psycopg://varna@127.0.0.1:$port/varna_test"
echo "Throwaway PostgreSQL at $TEST_DATABASE_URL"
"$@"
