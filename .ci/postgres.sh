#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1:${PGPORT:-54329} for the store tests.
# Installs Debian's postgresql when it is missing. Prints the SQLAlchemy URL on stdout.
set -euo pipefail
PGPORT="${PGPORT:-54329}"
PGDATA="${PGDATA_DIR:-/tmp/evidence-ci-pg}"
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ]; then
    if [ "$(id -u)" = 0 ]; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
    else
        (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
    fi
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
runas() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ -f "$PGDATA/postmaster.pid" ]; then
    runas "$bindir/pg_ctl" -D "$PGDATA" -m immediate stop >&2 || true
fi
rm -rf "$PGDATA"
mkdir -p "$PGDATA"
[ "$(id -u)" = 0 ] && chown postgres "$PGDATA"
runas "$bindir/initdb" -D "$PGDATA" -A trust -U postgres >/dev/null
runas "$bindir/pg_ctl" -D "$PGDATA" -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1" -l "$PGDATA/log" -w start >&2
runas "$bindir/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE evidence_test" >&2
echo "postgresql+psycopg://postgres@127.0.0.1:$PGPORT/evidence_test"
