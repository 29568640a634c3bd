#!/usr/bin/env bash
# Start PgBouncer in transaction mode on 127.0.0.1:${PGBOUNCER_PORT:-6432} in front of the PostgreSQL at
# 127.0.0.1:${PGPORT:-5432} (trust authentication, as the CI's and a developer's loopback cluster), for running
# tests through the pooler:
#   scripts/start_pgbouncer.sh            # prints the directory holding its ini, log and pid file
#   DATABASE_URL=postgres://postgres@127.0.0.1:6432/<db> DATABASE_POOLER=pgbouncer .venv/bin/pytest …
#   kill "$(cat <directory>/pgbouncer.pid)"
# PgBouncer refuses to run as root: as root it runs as the postgres user.
set -euo pipefail
port="${PGBOUNCER_PORT:-6432}"
dir="$(mktemp -d /tmp/jeonju-pgbouncer-XXXXXX)"
cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=${PGPORT:-5432}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 40
; libpq sends PGOPTIONS as the startup parameter "options", which PgBouncer 1.18 cannot forward: the portal
; needs none behind it (DATABASE_POOLER=pgbouncer sets the lock timeout per transaction instead).
ignore_startup_parameters = extra_float_digits,options
; A test database is dropped at the end of a run: idle server connections must not keep it open long.
server_idle_timeout = 5
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
admin_users = postgres
INI
printf '"postgres" ""\n' >"$dir/userlist.txt"
if [ "$(id -u)" = 0 ]; then
  chown -R postgres:postgres "$dir"
  runuser -u postgres -- pgbouncer -d "$dir/pgbouncer.ini"
else
  pgbouncer -d "$dir/pgbouncer.ini"
fi
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 0.5; done
pg_isready -q -h 127.0.0.1 -p "$port"
echo "$dir"
