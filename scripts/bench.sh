#!/usr/bin/env bash
# Load benchmark of the foundation (issue 2), against a release build, on SQLite and on PostgreSQL:
#   - 10 000 beneficiaries, 10 000 bilans (200 of them the demo consultant's) and 1 000 000 audit
#     entries seeded;
#   - wrk from a second process on loopback, 256 connections: /healthz (baseline), then
#     GET /api/v1/me and GET /api/v1/users?page=1 as an admin;
#   - then, the server restarted with the read caches off (BOUSSOLE_READ_CACHE_TTL=0), 64 connections:
#     /healthz again, and GET /api/v1/bilans?per_page=20 as the consultant (issue 9);
#   - start-up time to a 200 on /readyz, and resident memory once idle.
# Budgets: p99 < 25 ms; authenticated reads >= 40 % of the baseline's requests/s; start-up < 300 ms;
# idle memory < 60 MB; the bilans list >= 10 % of its /healthz and p99 < 50 ms.
# Prints two tables per backend; the README keeps the last figures.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
DURATION=${BENCH_DURATION:-15s}
CONNECTIONS=${BENCH_CONNECTIONS:-256}
LIST_CONNECTIONS=${BENCH_LIST_CONNECTIONS:-64}
PORT=${BENCH_PORT:-18181}

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
    else echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; fi
fi
cargo build --release -q -p boussole-api
BIN="$CARGO_TARGET_DIR/release/boussole"
base="http://127.0.0.1:$PORT"

now_ms() { date +%s%3N; }

token_of() { # email
    curl -sf "$base/api/v1/auth/login" -H 'content-type: application/json' \
        -d "{\"email\":\"$1\",\"password\":\"boussole-demo\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

# wrk against each path with the token; the first path is the baseline of the percentages.
measure() { # connections token path...
    local connections=$1 token=$2 baseline="" path
    shift 2
    printf '%-28s %12s %10s %10s\n' endpoint "requests/s" "p50" "p99"
    for path in "$@"; do
        local out rps p50 p99 errors
        out=$(wrk -t2 -c"$connections" -d"$DURATION" --latency -H "authorization: Bearer $token" "$base$path")
        rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
        p50=$(awk '$1=="50%" {print $2}' <<<"$out")
        p99=$(awk '$1=="99%" {print $2}' <<<"$out")
        errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)
        [ -z "$baseline" ] && baseline=$rps
        printf '%-28s %12s %10s %10s   %s of baseline %s\n' "$path" "$rps" "$p50" "$p99" \
            "$(python3 -c "print(f'{100*$rps/$baseline:.0f} %')")" "$errors"
    done
}

serve() { # log file; sets $pid once /readyz answers
    "$BIN" serve 2>"$1" &
    pid=$!
    until curl -sf "$base/readyz" >/dev/null 2>&1; do sleep 0.005; done
}

run_backend() { # name database_url
    local name=$1 url=$2 dir
    dir=$(mktemp -d)
    export BOUSSOLE_DATA_DIR=$dir BOUSSOLE_KEY_DIR=$dir-keys DATABASE_URL=$url BOUSSOLE_BIND=127.0.0.1:$PORT BOUSSOLE_ACCESS_TOKEN_TTL=3600 BOUSSOLE_LOG=warn
    "$BIN" seed-demo >/dev/null
    local t0; t0=$(now_ms)
    "$BIN" seed-bench --beneficiaries 10000 --audit-rows 1000000 --bilans 10000 --bilans-mine 200 >/dev/null
    local seed_s=$(( ($(now_ms) - t0) / 1000 ))

    t0=$(now_ms)
    local pid
    serve "$dir/server.log"
    local startup=$(( $(now_ms) - t0 ))
    sleep 2
    local rss_kb; rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")

    local token
    token=$(token_of admin@boussole.test)
    local total; total=$(curl -sf "$base/api/v1/users?page=1" -H "authorization: Bearer $token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')

    echo
    echo "== $name: $total accounts, 1 000 000 audit entries (seeded in ${seed_s} s); start-up to /readyz: ${startup} ms; idle RSS: $((rss_kb / 1024)) MB"
    measure "$CONNECTIONS" "$token" /healthz /api/v1/me "/api/v1/users?page=1"
    kill -TERM "$pid"; wait "$pid" || true

    # Every request to the database: the list's own cost, not the cache's.
    BOUSSOLE_READ_CACHE_TTL=0 serve "$dir/server-nocache.log"
    token=$(token_of consultant@boussole.test)
    local mine; mine=$(curl -sf "$base/api/v1/bilans?per_page=20" -H "authorization: Bearer $token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
    echo
    echo "== $name, read caches off, $LIST_CONNECTIONS connections: the consultant's $mine bilans of 10 000"
    measure "$LIST_CONNECTIONS" "$token" /healthz "/api/v1/bilans?per_page=20"
    kill -TERM "$pid"; wait "$pid" || true
    rm -rf "$dir" "$dir-keys"
}

run_backend SQLite "sqlite://$(mktemp -d)/bench.db"

pg=${BOUSSOLE_TEST_PG:-postgres://postgres@127.0.0.1:5432}
if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null && command -v psql >/dev/null; then
    db="boussole_bench_$(date +%s)"
    psql "$pg/postgres" -qc "CREATE DATABASE $db"
    run_backend PostgreSQL "$pg/$db"
    psql "$pg/postgres" -qc "DROP DATABASE $db WITH (FORCE)"
else
    echo "bench: no PostgreSQL server (or psql): PostgreSQL figures skipped" >&2
fi
