#!/usr/bin/env bash
# A throwaway PostgreSQL server for benchmarks and trials, from the installed binaries (apt-get install -y postgresql):
# initdb + pg_ctl in a folder of its own, on a free loopback port, as the postgres user when run as root (the server
# refuses to run as root). Prints the connection string of an empty database named newsbot.
#
#   bash scripts/postgres-throwaway.sh start DIR [SHARED_BUFFERS]   # e.g. start /tmp/newsbot-pg 4GB
#   bash scripts/postgres-throwaway.sh stop DIR                     # stops it; rm -rf DIR removes it
#
# The settings are those of docs/benchmarks.md: shared_buffers large enough that the archive's working set stays in
# memory (default 4GB), synchronous_commit=off (a commit is not flushed before it returns, as SQLite's WAL with
# synchronous=NORMAL, the bot's setting there; a crash loses the last moment's commits, never consistency).
set -euo pipefail

command=${1:?usage: postgres-throwaway.sh start|stop DIR [SHARED_BUFFERS]}
dir=$(realpath -m "${2:?usage: postgres-throwaway.sh start|stop DIR [SHARED_BUFFERS]}")
buffers=${3:-4GB}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed: apt-get install -y postgresql" >&2; exit 1; }

as_server() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_server "$bin/initdb" -D "$dir/data" -U newsbot -A trust -E UTF8 --no-locale >/dev/null
    as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-p $port -c listen_addresses=127.0.0.1 \
      -c unix_socket_directories='$dir' -c shared_buffers=$buffers -c effective_cache_size=8GB -c work_mem=32MB \
      -c maintenance_work_mem=512MB -c max_wal_size=4GB -c synchronous_commit=off -c max_connections=200" start >/dev/null
    as_server "$bin/createdb" -h 127.0.0.1 -p "$port" -U newsbot newsbot
    echo "Host=127.0.0.1;Port=$port;Username=newsbot;Database=newsbot"
    ;;
  stop)
    as_server "$bin/pg_ctl" -D "$dir/data" -m fast -w stop
    ;;
  *)
    echo "usage: postgres-throwaway.sh start|stop DIR [SHARED_BUFFERS]" >&2
    exit 2
    ;;
esac
