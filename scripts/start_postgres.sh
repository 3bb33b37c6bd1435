#!/usr/bin/env bash
# Start a local PostgreSQL (Debian package) on 127.0.0.1 for the steering tests; idempotent.
# Prints the URL to export as JAMLIK_TEST_POSTGRES_URL on its last line of stdout.
#   export JAMLIK_TEST_POSTGRES_URL="$(scripts/start_postgres.sh | tail -1)"
# Needs root (apt-get and pg_ctlcluster). Override with PGVER, PGPORT, JAMLIK_PG_USER/PASSWORD/DB.
set -euo pipefail

PGPORT="${PGPORT:-5432}"
DB_USER="${JAMLIK_PG_USER:-jamlik}"
DB_PASSWORD="${JAMLIK_PG_PASSWORD:-jamlik}"
DB_NAME="${JAMLIK_PG_DB:-jamlik_test}"

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "installerar postgresql (apt-get)…" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

PGVER="${PGVER:-$(ls /usr/lib/postgresql | sort -n | tail -1)}"
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$PGVER main"; then
  pg_createcluster "$PGVER" main --port "$PGPORT" >&2
fi
# Loopback only: the test server must never listen on other interfaces.
CONF_DIR="/etc/postgresql/$PGVER/main"
printf "listen_addresses = '127.0.0.1'\nport = %s\n" "$PGPORT" > "$CONF_DIR/conf.d/jamlik.conf"
pg_conftool "$PGVER" main remove listen_addresses >&2 || true
if ! pg_lsclusters -h | awk -v v="$PGVER" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster "$PGVER" main start >&2
fi
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -h 127.0.0.1 -p $PGPORT" && break
  sleep 1
done

# local connections as postgres use peer auth over the socket
psql_sock() { su postgres -c "psql -v ON_ERROR_STOP=1 -q -p $PGPORT -d postgres -tAc \"$1\""; }

if [ "$(psql_sock "SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'")" != "1" ]; then
  psql_sock "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD' CREATEDB" >&2
fi
if [ "$(psql_sock "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'")" != "1" ]; then
  psql_sock "CREATE DATABASE $DB_NAME OWNER $DB_USER" >&2
fi

echo "postgresql+psycopg://$DB_USER:$DB_PASSWORD@127.0.0.1:$PGPORT/$DB_NAME"
