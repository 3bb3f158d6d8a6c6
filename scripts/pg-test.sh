#!/usr/bin/env bash
# pg-test.sh — a throwaway PostgreSQL 15 for the tests.
#
#   scripts/pg-test.sh start DIR   create DIR, start a server on a free loopback
#                                  port and print ONE line: its URL
#   scripts/pg-test.sh stop DIR    stop that server and remove DIR
#
# Everything else goes to DIR/log.  Authentication is `trust` on 127.0.0.1
# only.  fsync stays on: durability tests kill the server and check what
# survived.  PostgreSQL refuses to run as root, so as root the server runs as
# the `postgres` user with DIR owned by it.  A DIR left by an aborted run is
# stopped and removed by `start`; a DIR that this script did not create is
# never removed.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
MARKER=.khibra-pg-test
USER_NAME=khibra
DB_NAME=khibra_test

die() { echo "pg-test: $*" >&2; exit 1; }

# as_pg: run a command as the server's owner (postgres when we are root).
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# port_free: true when nothing listens on 127.0.0.1:$1.
port_free() {
  if command -v ss >/dev/null; then
    [ -z "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
  else
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# stop_dir: stop a server in DIR (if running) and remove DIR, only if it is
# ours (has the marker) or empty.
stop_dir() {
  local dir=$1
  [ -e "$dir" ] || return 0
  if [ ! -e "$dir/$MARKER" ]; then
    [ -z "$(ls -A "$dir")" ] || die "$dir exists and was not made by pg-test.sh; not touching it"
    rmdir "$dir"
    return 0
  fi
  if [ -f "$dir/data/postmaster.pid" ]; then
    (cd "$dir" && as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop) >>"$dir/log" 2>&1 ||
      (cd "$dir" && as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop) >>"$dir/log" 2>&1 || true
  fi
  rm -rf "$dir"
}

start() {
  local dir=$1
  [ -x "$PGBIN/postgres" ] || die "PostgreSQL 15 is not installed in $PGBIN (run scripts/install-deps.sh)"
  mkdir -p "$(dirname "$dir")"
  dir=$(cd "$(dirname "$dir")" && pwd)/$(basename "$dir")
  stop_dir "$dir"
  mkdir -m 0700 "$dir"
  touch "$dir/$MARKER" "$dir/log"
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres: "$dir"
    as_pg test -w "$dir" || die "user postgres cannot reach $dir (choose a DIR under /tmp)"
  fi
  # Run from inside DIR: the postgres user may not be able to read our cwd.
  cd "$dir"
  as_pg "$PGBIN/initdb" -D "$dir/data" --auth=trust -U "$USER_NAME" --encoding=UTF8 \
    --locale=C.UTF-8 >>"$dir/log" 2>&1 || { tail -n 20 "$dir/log" >&2; die "initdb failed (see $dir/log)"; }
  local sockdir=$dir
  # A Unix socket path is limited to ~107 bytes; tests use TCP anyway.
  [ ${#dir} -lt 80 ] || sockdir=
  cat >>"$dir/data/postgresql.conf" <<EOF

# pg-test.sh
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sockdir'
max_connections = 200
shared_buffers = 32MB
fsync = on
synchronous_commit = on
timezone = 'UTC'
log_min_messages = warning
EOF
  local port attempt started=
  for attempt in $(seq 1 20); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 30000))
    port_free "$port" || continue
    if as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" -o "-p $port" -w -t 60 start >>"$dir/log" 2>&1; then
      started=1
      break
    fi
    # Most likely someone took the port between the check and the start.
    as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >>"$dir/log" 2>&1 || true
  done
  [ -n "$started" ] || { tail -n 20 "$dir/log" >&2; die "could not start PostgreSQL (see $dir/log)"; }
  echo "$port" >"$dir/port"
  as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U "$USER_NAME" "$DB_NAME" >>"$dir/log" 2>&1 ||
    { tail -n 20 "$dir/log" >&2; die "createdb failed (see $dir/log)"; }
  echo "postgres://$USER_NAME@127.0.0.1:$port/$DB_NAME"
}

case "${1:-}" in
  start) [ $# = 2 ] || die "usage: $0 start DIR"; start "$2" ;;
  stop)  [ $# = 2 ] || die "usage: $0 stop DIR"
         dir=$2
         [ -e "$dir" ] || exit 0
         dir=$(cd "$dir" && pwd)
         cd /
         stop_dir "$dir" ;;
  *) echo "usage: $0 start DIR | stop DIR" >&2; exit 2 ;;
esac
