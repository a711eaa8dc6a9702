#!/usr/bin/env bash
# Runs the API test suite on SQLite, and on PostgreSQL when a server answers.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

pg_url=${BOUSSOLE_TEST_PG:-postgres://postgres@127.0.0.1:5432}
hostport=${pg_url#*://}; hostport=${hostport#*@}; hostport=${hostport%%/*}
host=${hostport%%:*}; port=${hostport##*:}; [ "$port" = "$host" ] && port=5432

if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
    echo "test-api: PostgreSQL at $host:$port answers: running the SQLite and the PostgreSQL tests"
    cargo test -p boussole-shared -p boussole-api
elif [ "${CI:-}" = "true" ]; then
    echo "test-api: ERROR: no PostgreSQL server at $host:$port, and CI=true: the PostgreSQL half may not be skipped" >&2
    exit 1
else
    cat >&2 <<MSG
############################################################################
#  test-api: no PostgreSQL server at $host:$port.
#  SKIPPING THE POSTGRESQL HALF OF THE TESTS: only SQLite is tested.
#  Start one (apt-get install postgresql) or set BOUSSOLE_TEST_PG=postgres://…
############################################################################
MSG
    cargo test -p boussole-shared -p boussole-api -- --skip postgres
fi

# The committed contract must be a valid OpenAPI 3.1 document, checked by an independent validator.
venv=${BOUSSOLE_TOOLS:-$HOME/.cache/boussole-tools}/openapi-validator
if [ ! -x "$venv/bin/openapi-spec-validator" ]; then
    python3 -m venv "$venv" && "$venv/bin/pip" install -q openapi-spec-validator==0.9.0
fi
"$venv/bin/openapi-spec-validator" openapi/openapi.json
