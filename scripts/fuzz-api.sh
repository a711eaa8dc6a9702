#!/usr/bin/env bash
# Drives the served API against its own OpenAPI document with an independent fuzzer (schemathesis, from
# PyPI), as a beneficiary, a consultant and an admin: no 5xx, every status, content type and body as
# documented. Each role gets a fresh SQLite database seeded with the demo, so what one role's run
# writes cannot spoil the next. Under CI=true a schemathesis that cannot be installed is a failure;
# elsewhere it is skipped with a loud warning.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
tools=${BOUSSOLE_TOOLS:-$HOME/.cache/boussole-tools}
venv=$tools/pytools
SCHEMATHESIS=schemathesis==4.32.5

if ! "$venv/bin/st" --version 2>/dev/null | grep -q "${SCHEMATHESIS#*==}"; then
    { [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"; } && "$venv/bin/pip" install -q "$SCHEMATHESIS" || true
fi
if ! "$venv/bin/st" --version 2>/dev/null | grep -q "${SCHEMATHESIS#*==}"; then
    if [ "${CI:-}" = "true" ]; then
        echo "fuzz-api: ERROR: $SCHEMATHESIS could not be installed from PyPI, and CI=true: the fuzzer may not be skipped" >&2
        exit 1
    fi
    cat >&2 <<MSG
############################################################################
#  fuzz-api: $SCHEMATHESIS could not be installed from PyPI.
#  SKIPPING THE API FUZZER.
############################################################################
MSG
    exit 0
fi

# FUZZ_BIN: an already built `boussole` to fuzz instead of building the debug one.
BIN=${FUZZ_BIN:-$CARGO_TARGET_DIR/debug/boussole}
[ -n "${FUZZ_BIN:-}" ] || cargo build -q -p boussole-api

# Routes that end or lock the caller's own session, which would turn the rest of the run into 401s:
EXCLUDE=(
    --exclude-operation-id logout          # ends the session whose token the fuzzer holds
    --exclude-operation-id logout_all      # ends every session of the account
    --exclude-operation-id change_password # a new password bumps the token version: the token dies
    --exclude-operation-id update_security_settings # mandatory TOTP would lock the admin out of all but /me
    --exclude-operation-id events          # the live stream stays open for minutes (tests/api/messages.rs)
)
CHECKS=not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance
# Reproducible: deterministic generation (no random seed, no example database kept between runs),
# and one worker: with two, schemathesis 4.32 sometimes fails inside its own generator (CPython's
# ast is not thread-safe: "AST constructor recursion depth mismatch"), a run error that is not ours.
# `too_slow` is hypothesis's own health check on how fast it generates data: on a loaded machine it
# failed POST /instruments (a large nested body) with every answer conforming; it says nothing of the API.
MAX_EXAMPLES=${FUZZ_MAX_EXAMPLES:-20}

login() { # base account → access token
    curl -sf "$1/api/v1/auth/login" -H 'Content-Type: application/json' \
        -d "{\"email\":\"$2@boussole.test\",\"password\":\"boussole-demo\"}" \
        | "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
ids() { # base admin-token caller-token → schemathesis.toml binding the demo's ids
    "$venv/bin/python" - "$@" <<'PY'
import json, sys, urllib.request
base, admin, caller = sys.argv[1:4]
def get(path, token):
    req = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
    return json.load(urllib.request.urlopen(req))
me = get("/api/v1/me", caller)["id"]
users = [u["id"] for u in get("/api/v1/users?per_page=100", admin)["items"] if u["id"] != me]
bilans = [b["id"] for b in get("/api/v1/bilans?per_page=100", admin)["items"]]
print("[dictionaries.ids]\nvalues = " + json.dumps(users + bilans))
print("[parameters]")
for key in ["path.id", "body.bilan_id", "body.consultant_id", "body.beneficiary_id",
            "query.beneficiary_id", "query.consultant_id", "query.bilan_id"]:
    print(f'"{key}" = {{ dictionary = "ids", probability = 0.8 }}')
PY
}

SERVER=
trap '[ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true' EXIT
failed=()
started=$SECONDS
for account in beneficiaire consultant admin; do
    role_start=$SECONDS
    DATA=$(mktemp -d)
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    BASE=http://127.0.0.1:$PORT
    (
        export BOUSSOLE_DATA_DIR=$DATA BOUSSOLE_KEY_DIR=$DATA-keys BOUSSOLE_BIND=127.0.0.1:$PORT BOUSSOLE_PUBLIC_URL=$BASE \
            BOUSSOLE_LOG=warn BOUSSOLE_ACCESS_TOKEN_TTL=3600
        unset DATABASE_URL
        "$BIN" seed-demo >/dev/null
        exec "$BIN" serve 2>"$DATA/server.log"
    ) &
    SERVER=$!
    for _ in $(seq 1 100); do curl -sf "$BASE/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
    token=$(login "$BASE" "$account")
    # Random UUIDs only ever reach 404: the ids of the demo's records (but the caller's own account,
    # which a PATCH could deactivate) are offered for every id in paths and bodies, most of the time.
    ids "$BASE" "$(login "$BASE" admin)" "$token" >"$DATA/schemathesis.toml"
    echo "fuzz-api: $account@boussole.test against $BASE/api/openapi.json (data $DATA)"
    status=0
    (cd "$DATA" && "$venv/bin/st" --config-file "$DATA/schemathesis.toml" run "$BASE/api/openapi.json" --url "$BASE" \
        -H "Authorization: Bearer $token" --checks "$CHECKS" "${EXCLUDE[@]}" \
        --max-examples "$MAX_EXAMPLES" --generation-deterministic --suppress-health-check too_slow \
        --workers 1 --no-color --warnings off) || status=$?
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    SERVER=
    echo "fuzz-api: $account: $([ $status -eq 0 ] && echo ok || echo FAILED) in $((SECONDS - role_start)) s"
    if [ $status -ne 0 ]; then
        failed+=("$account")
        echo "fuzz-api: server log of the $account run:"; tail -30 "$DATA/server.log"
    else
        rm -rf "$DATA" "$DATA-keys"
    fi
done
echo "fuzz-api: $((SECONDS - started)) s in all"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz-api: FAILED as ${failed[*]}" >&2
    exit 1
fi
