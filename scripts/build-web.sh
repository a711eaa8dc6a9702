#!/usr/bin/env bash
# Build the SPA (crates/web) in release mode into crates/web/dist, offline, then print the .wasm size and
# fail when its gzip exceeds the budget (1 MB, issue 9). The wasm, JS and CSS are also written gzipped
# (`*.gz`, gzip -9) beside themselves: the server sends those to browsers that accept gzip.
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
for f in "$dist"/*.wasm "$dist"/*.js "$dist"/*.css; do
    if [ -f "$f" ]; then gzip -9 -n -k -f "$f"; fi
done
gz=$(wc -c <"$wasm.gz")
budget=1000000
echo "wasm: $raw B raw, $gz B gzip -9 ($(basename "$wasm")), budget $budget B gzip"
if [ "$gz" -gt "$budget" ]; then
    echo "build-web: error: the wasm is $gz B gzipped, over the 1 MB budget ($budget B)" >&2
    exit 1
fi
