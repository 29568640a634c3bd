#!/bin/sh
# The pools and the one application role come from the environment (docker-compose.yml), at every start.
set -eu
db="${POSTGRES_DB:-jeonju_center}"
printf '[databases]\n%s = host=db port=5432\n%s_replica = host=replica port=5432 dbname=%s\n' "$db" "$db" "$db" \
  >/tmp/databases.ini
printf '"%s" "%s"\n' "$POSTGRES_USER" "$POSTGRES_PASSWORD" >/tmp/userlist.txt
exec pgbouncer /etc/pgbouncer/pgbouncer.ini
