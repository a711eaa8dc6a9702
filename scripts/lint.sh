#!/usr/bin/env bash
# Formatting and clippy, warnings denied, for the server (all targets: lib, binary, tests, benches) and
# for the web app on its real target (wasm32), where its cfgs (`erase_components`) apply.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cargo fmt --all --check
cargo clippy -p boussole-shared -p boussole-api --all-targets -- -D warnings
if command -v rustup >/dev/null 2>&1 && ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
fi
cargo clippy -p boussole-web --target wasm32-unknown-unknown -- -D warnings
