#!/bin/sh
# Run once by the postgres image when it creates the cluster (an existing volume keeps what it has).
set -e
# The replica service streams from db as the application role (the image's superuser, which may replicate),
# password-checked like every other connection.
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
# Behind PgBouncer the portal sets its lock timeout per transaction (SET LOCAL); a statement outside a
# transaction gets the role's own, the same 5 s (DB_LOCK_TIMEOUT_MS) the direct connection sets at start-up.
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" \
  -c "ALTER ROLE \"$POSTGRES_USER\" SET lock_timeout = '5s'"
