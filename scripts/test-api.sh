#!/usr/bin/env bash
# Runs the API test suite on SQLite, and on PostgreSQL when a server answers; the S3 test against a
# local fake S3 server (moto, from PyPI). Under CI=true nothing may be skipped; elsewhere a missing
# PostgreSQL server or moto is skipped with a loud warning.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tools=${BOUSSOLE_TOOLS:-$HOME/.cache/boussole-tools}
skip=()

loud_skip() { # what why
    if [ "${CI:-}" = "true" ]; then
        echo "test-api: ERROR: $2, and CI=true: the $1 tests may not be skipped" >&2
        exit 1
    fi
    cat >&2 <<MSG
############################################################################
#  test-api: $2.
#  SKIPPING THE $1 TESTS.
############################################################################
MSG
}

pg_url=${BOUSSOLE_TEST_PG:-postgres://postgres@127.0.0.1:5432}
hostport=${pg_url#*://}; hostport=${hostport#*@}; hostport=${hostport%%/*}
host=${hostport%%:*}; port=${hostport##*:}; [ "$port" = "$host" ] && port=5432
if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
    echo "test-api: PostgreSQL at $host:$port answers: running the SQLite and the PostgreSQL tests"
else
    loud_skip POSTGRESQL "no PostgreSQL server at $host:$port (apt-get install postgresql, or set BOUSSOLE_TEST_PG)"
    skip+=(--skip postgres)
fi

# Python tools from PyPI, in one virtualenv: the fake S3 server, the OpenAPI validator, a real SMTP
# server (aiosmtpd) for the outbox tests, an independent iCalendar parser (icalendar), and the Factur-X
# validator (factur-x: the official XSD and EN 16931 schematron; saxonche runs the schematron's XSLT 2).
venv=$tools/pytools
PY_CHECKERS="import aiosmtpd, icalendar, facturx, saxonche"
if [ ! -x "$venv/bin/moto_server" ] || [ ! -x "$venv/bin/openapi-spec-validator" ] \
    || ! "$venv/bin/python" -c "$PY_CHECKERS" 2>/dev/null; then
    { python3 -m venv "$venv" && "$venv/bin/pip" install -q 'moto[server]==5.1.*' openapi-spec-validator==0.9.0 \
        'aiosmtpd==1.4.*' 'icalendar==6.*' 'factur-x==7.8' 'saxonche==13.1.1'; } || true
fi
if [ -x "$venv/bin/moto_server" ]; then
    export BOUSSOLE_TEST_MOTO=$venv/bin/moto_server
else
    loud_skip S3 "moto (fake S3 server) could not be installed from PyPI"
    skip+=(--skip s3::)
fi
if "$venv/bin/python" -c "$PY_CHECKERS" 2>/dev/null; then
    export BOUSSOLE_TEST_PYTHON=$venv/bin/python
else
    loud_skip "SMTP, ICALENDAR AND FACTUR-X" "aiosmtpd, icalendar, factur-x and saxonche could not be installed from PyPI"
    skip+=(--skip smtp:: --skip ical:: --skip facturx::)
fi

cargo test -p boussole-shared -p boussole-api -- "${skip[@]}"

# The committed contract must be a valid OpenAPI 3.1 document, checked by an independent validator.
if [ -x "$venv/bin/openapi-spec-validator" ]; then
    "$venv/bin/openapi-spec-validator" openapi/openapi.json
else
    loud_skip "OPENAPI VALIDATION" "openapi-spec-validator could not be installed from PyPI"
fi
