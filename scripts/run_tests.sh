#!/usr/bin/env bash
# Run the suite on SQLite, then on PostgreSQL when one is reachable.
# REQUIRE_POSTGRES=1 makes a missing PostgreSQL an error. Extra arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/virtcompare}"

pg_reachable() {
  DATABASE_URL="$PG_URL" "$PY" - <<'PYEOF' 2>/dev/null
import os, sys
import dj_database_url, psycopg
cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
try:
    psycopg.connect(host=cfg["HOST"] or None, port=cfg["PORT"] or None, user=cfg["USER"] or None,
                    password=cfg["PASSWORD"] or None, dbname="postgres", connect_timeout=3).close()
except Exception:
    sys.exit(1)
PYEOF
}

# One worker per core; a test file stays on one worker (some start servers or use a Redis
# database of their own), handed out in collection order, where tests/conftest.py puts the
# long modules first. TEST_WORKERS=0 runs in this process.
WORKERS=(-n "${TEST_WORKERS:-auto}" --dist loadfile --no-loadscope-reorder)
[ "${TEST_WORKERS:-auto}" = "0" ] && WORKERS=()

# Browser tests read pages, whatever the database: with PostgreSQL reachable they run once,
# in its pass (arguments given, such as make test-browser's -m, still choose for both).
PG_UP=0
pg_reachable && PG_UP=1  # asked once: unreachable, each probe waits 3 s
SQLITE_ONLY=()
[ "$PG_UP" = "1" ] && SQLITE_ONLY=(-m "not browser")

status=0
echo "=== Test suite on SQLite (the embedded default) ==="
env -u DATABASE_URL "$PY" -m pytest "${WORKERS[@]}" "${SQLITE_ONLY[@]}" "$@" || status=$?

if [ "$PG_UP" = "1" ]; then
  echo "=== Test suite on PostgreSQL ($PG_URL) ==="
  DATABASE_URL="$PG_URL" "$PY" -m pytest "${WORKERS[@]}" "$@" || status=$?
elif [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "PostgreSQL is required (REQUIRE_POSTGRES=1) but not reachable at $PG_URL" >&2
  exit 1
else
  echo "=== PostgreSQL not reachable at $PG_URL: ran on SQLite only ==="
fi
exit $status
