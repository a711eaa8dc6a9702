#!/usr/bin/env bash
# Build the SPA (crates/web) in release mode into crates/web/dist, offline, then print the .wasm size and
# fail when its gzip exceeds the budget (1 MB, issue 9). The wasm, JS and CSS are also written brotli-
# and gzip-compressed (`*.br`, brotli -q 11; `*.gz`, zopfli) beside themselves: the server sends the
# one the browser's Accept-Encoding prefers (brotli first, issue 16). zopfli writes ordinary gzip files
# (any browser reads them) ~4 % smaller than gzip -9, in ~20 s for the wasm (issue 13). Debian's
# `brotli` and `zopfli` are installed with apt-get when missing (as root); without brotli only the
# `.gz` are written, without zopfli they are written by gzip -9 — both with a warning.
# Installs the missing tools first (scripts/install-tools.sh). Extra arguments go to `trunk build`.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# install-tools.sh prints the PATH line as its last stdout line; its log goes to stderr.
path_line=$("$ROOT/scripts/install-tools.sh" | tail -n 1)
eval "$path_line"

start=$SECONDS
trunk build --release --offline=true "$@"
echo "build-web: trunk build took $((SECONDS - start)) s" >&2

dist="$ROOT/crates/web/dist"
shopt -s nullglob
wasm_files=("$dist"/*.wasm)
shopt -u nullglob
if [ "${#wasm_files[@]}" -ne 1 ]; then
    echo "build-web: error: expected exactly one .wasm in $dist, found ${#wasm_files[@]}" >&2
    exit 1
fi
wasm=${wasm_files[0]}
raw=$(wc -c <"$wasm")
for tool in brotli zopfli; do
    if ! command -v "$tool" >/dev/null && [ "$(id -u)" = 0 ]; then
        echo "build-web: installing Debian's $tool" >&2
        (apt-get install -y -qq "$tool" >/dev/null 2>&1 ||
            { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null; }) || true
    fi
done
command -v brotli >/dev/null || echo "build-web: warning: no brotli (apt-get install brotli): gzip only" >&2
command -v zopfli >/dev/null || echo "build-web: warning: no zopfli (apt-get install zopfli): gzip -9, ~4 % larger" >&2
for f in "$dist"/*.wasm "$dist"/*.js "$dist"/*.css "$dist"/*.json; do
    if [ -f "$f" ]; then
        if command -v zopfli >/dev/null; then zopfli -c "$f" >"$f.gz"; else gzip -9 -n -k -f "$f"; fi
        if command -v brotli >/dev/null; then brotli -q 11 -k -f "$f"; fi
    fi
done
gz=$(wc -c <"$wasm.gz")
br=$([ -f "$wasm.br" ] && wc -c <"$wasm.br" || echo "-")
# BOUSSOLE_WASM_BUDGET: a local override while a branch is being built up; CI never sets it.
budget=${BOUSSOLE_WASM_BUDGET:-1000000}
gzip9=$(gzip -9 -n -c "$wasm" | wc -c)
echo "wasm: $raw B raw, $gz B gzip as served ($gzip9 B gzip -9), $br B brotli -q 11 ($(basename "$wasm")), budget $budget B gzip"
if [ "$gz" -gt "$budget" ]; then
    echo "build-web: error: the wasm is $gz B gzipped, over the 1 MB budget ($budget B)" >&2
    exit 1
fi
