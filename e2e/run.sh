#!/usr/bin/env bash
# Browser journeys: builds the SPA and the server, starts the real `boussole` on a fresh SQLite database
# with the demo accounts, and runs the Node test runner with playwright-core driving Debian's Chromium.
# Installs what it needs when missing: npm packages (from the lock), Debian's chromium.
# Arguments name the specs to run (e.g. `e2e/run.sh tests/first-screen.test.js`); none: all of them.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

# The SPA first: its tools may still be installing in the background (`.ci/run`), and waiting for them
# here (install-tools.sh takes a lock) keeps their apt-get from running beside the ones below.
scripts/build-web.sh
cargo build -q -p boussole-api

if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "e2e: installing Debian's chromium"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null
    else
        echo "e2e: /usr/bin/chromium is missing: apt-get install chromium" >&2; exit 1
    fi
fi
if ! command -v npm >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "e2e: npm is missing: apt-get install nodejs npm" >&2; exit 1; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
(cd e2e && npm ci --no-audit --no-fund --silent)

DATA=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SHOTS=${E2E_SCREENSHOTS:-$ROOT/e2e/screenshots}
export BOUSSOLE_GUIDE_SCREENSHOTS=$SHOTS BOUSSOLE_DATA_DIR=$DATA BOUSSOLE_KEY_DIR=$(mktemp -d) BOUSSOLE_BIND=127.0.0.1:$PORT BOUSSOLE_STATIC_DIR=$ROOT/crates/web/dist \
    BOUSSOLE_PUBLIC_URL=http://127.0.0.1:$PORT BOUSSOLE_LOG=warn BOUSSOLE_OUTBOX_INTERVAL_MS=1000
unset DATABASE_URL
"$CARGO_TARGET_DIR/debug/boussole" seed-demo >/dev/null
"$CARGO_TARGET_DIR/debug/boussole" serve 2>"$DATA/server.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done

rm -rf "$SHOTS"; mkdir -p "$SHOTS"
echo "e2e: server on http://127.0.0.1:$PORT (data $DATA); screenshots in $SHOTS"
SPECS=("${@:-tests/}")
status=0
(cd e2e && BASE_URL="http://127.0.0.1:$PORT" MAILBOX_DIR="$DATA/mailbox" SCREENSHOT_DIR="$SHOTS" \
    node --test --test-concurrency=1 "${SPECS[@]}") || status=$?
echo "e2e: screenshots of each screen (1280 px and 375 px) are in $SHOTS"
[ $status -eq 0 ] || { echo "e2e: server log:"; tail -50 "$DATA/server.log"; }
exit $status
