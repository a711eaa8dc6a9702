#!/usr/bin/env bash
# Formatting and clippy, warnings denied, for the server (all targets: lib, binary, tests, benches) and
# for the web app on its real target (wasm32), where its cfgs (`erase_components`) apply.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cargo fmt --all --check
cargo clippy -p boussole-shared -p boussole-api --all-targets -- -D warnings

# The server's build and the tests' build must resolve the crates they share with the same features
# (crates/api/Cargo.toml, end of [dependencies]): a crate of the server's graph listed with other features
# once the dev-dependencies are in is rebuilt twice, minutes on a new machine.
features() { cargo tree -q -p boussole-api -f '{p} [{f}]' --prefix none "$@" | sed 's/ (\*)$//' | sort -u; }
drift=$(comm -23 <(features -e no-dev) <(features))
if [ -n "$drift" ]; then
    echo "lint: the dev-dependencies change these crates' features; name them in crates/api/Cargo.toml:" >&2
    echo "$drift" >&2
    exit 1
fi
if command -v rustup >/dev/null 2>&1 && ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
fi
cargo clippy -p boussole-web --target wasm32-unknown-unknown -- -D warnings
