#!/usr/bin/env bash
# Runs the whole test suite: starts a throw-away PostgreSQL on loopback when one can be started,
# so the workflow store is tested on SQLite and PostgreSQL alike.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAMLIK_TEST_POSTGRES_URL:-}" ] && [ -f scripts/start_postgres.sh ]; then
  url=$(bash scripts/start_postgres.sh | tail -n 1) || url=""
  if [ -n "$url" ]; then export JAMLIK_TEST_POSTGRES_URL="$url"; fi
fi
# In CI the PostgreSQL variants must run, never be skipped silently.
if [ "${CI:-}" = "true" ] && [ -z "${JAMLIK_TEST_POSTGRES_URL:-}" ]; then
  echo "CI: PostgreSQL kunde inte startas (scripts/start_postgres.sh)" >&2
  exit 1
fi
exec .venv/bin/pytest "$@"
