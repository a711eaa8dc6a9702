#!/usr/bin/env bash
# Install the tools that build the SPA (crates/web) into one local root, skipping whatever is
# already there at the right version. Safe to re-run: when everything is present it takes < 1 s.
#
#   TOOLS=${BOUSSOLE_TOOLS:-$HOME/.cache/boussole-tools}
#     $TOOLS/bin/trunk                          trunk 0.21.14 (0.22 needs rustc >= 1.96.1)
#     $TOOLS/bin/wasm-bindgen                   wasm-bindgen-cli 0.2.130 (= wasm-bindgen in Cargo.lock)
#     $TOOLS/binaryen/node_modules/.bin/wasm-opt  npm binaryen 132 (Debian's wasm-opt 108 breaks the app)
#   plus the rustup target wasm32-unknown-unknown.
#
# Needs rustup/cargo and node/npm (npm is installed with apt-get when missing and running as root).
# Prints the PATH line to use on its last line of stdout.
set -euo pipefail

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132.0.0
WASM_OPT_VERSION=132            # `wasm-opt --version` prints "wasm-opt version 132 (version_132)"
WASM_TARGET=wasm32-unknown-unknown

TOOLS=${BOUSSOLE_TOOLS:-$HOME/.cache/boussole-tools}
mkdir -p "$TOOLS/bin"
TOOLS=$(cd "$TOOLS" && pwd)

# Two builds started at once (a test run and a `just run`, or several worktrees) would install into
# the same root and build dir at the same time; one removed the other's binary mid-copy. One at a time:
# the second waits, then finds the tools present.
exec 9>"$TOOLS/.install.lock"
flock 9

log() { printf 'install-tools: %s\n' "$*" >&2; }
die() { printf 'install-tools: error: %s\n' "$*" >&2; exit 1; }

# cargo/rustup from rustup's default location when the shell has not sourced ~/.cargo/env
if ! command -v cargo >/dev/null 2>&1 && [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo" ]; then
    PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
fi
command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust with rustup (https://rustup.rs) first"

# Prints word N (default 2) of the first line of "$1 --version", or nothing if the binary is absent/broken.
tool_version() {
    [ -x "$1" ] || return 0
    "$1" --version 2>/dev/null | awk -v n="${2:-2}" 'NR==1 { print $n }' || true
}

# cargo install builds in its own target dir so it never waits on (or pollutes) the workspace's.
# Built for build time, not speed: trunk's own release profile asks for fat LTO in one codegen unit,
# 490 s on 2 cores against 287 s this way (wasm-bindgen 149 s against 123 s). Both only run other
# programs and rewrite one wasm file, in the same half second either way (measured on the app's wasm,
# identical output). Cargo lets these variables override the package's own profile.
cargo_install() { # crate version [extra cargo args...]
    local crate=$1 version=$2
    shift 2
    log "cargo install $crate $version (a few minutes)..."
    local start=$SECONDS
    CARGO_TARGET_DIR="$TOOLS/build" CARGO_PROFILE_RELEASE_LTO=false \
        CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
        cargo install "$crate" --version "$version" --root "$TOOLS" --force "$@"
    log "$crate $version installed in $((SECONDS - start)) s"
    built=1
}
built=0

# 1. rustup target
if command -v rustup >/dev/null 2>&1; then
    if rustup target list --installed | grep -qx "$WASM_TARGET"; then
        log "rust target $WASM_TARGET: ok"
    else
        log "adding rust target $WASM_TARGET"
        rustup target add "$WASM_TARGET"
    fi
elif [ -d "$(rustc --print sysroot)/lib/rustlib/$WASM_TARGET" ]; then
    log "rust target $WASM_TARGET: ok (no rustup)"
else
    die "rust target $WASM_TARGET missing and rustup not found"
fi

# 2. trunk (--locked: its latest deps need a newer rustc)
if [ "$(tool_version "$TOOLS/bin/trunk")" = "$TRUNK_VERSION" ]; then
    log "trunk $TRUNK_VERSION: ok"
else
    cargo_install trunk "$TRUNK_VERSION" --locked
fi

# 3. wasm-bindgen-cli (NO --locked: its lock names a webpki-roots version missing from the index)
if [ "$(tool_version "$TOOLS/bin/wasm-bindgen")" = "$WASM_BINDGEN_VERSION" ]; then
    log "wasm-bindgen $WASM_BINDGEN_VERSION: ok"
else
    cargo_install wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
fi

# The build dir only matters to resume a failed install; drop it (≈ 1 GB) once both succeeded.
if [ "$built" = 1 ]; then
    rm -rf "$TOOLS/build"
fi

# 4. wasm-opt from npm binaryen (a Node script; version_132)
WASM_OPT="$TOOLS/binaryen/node_modules/.bin/wasm-opt"
if [ "$(tool_version "$WASM_OPT" 3)" = "$WASM_OPT_VERSION" ]; then
    log "wasm-opt version_$WASM_OPT_VERSION: ok"
else
    if ! command -v npm >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            log "npm not found: apt-get install nodejs npm"
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
        else
            die "npm not found: install Node.js and npm (as root: apt-get install nodejs npm), then re-run"
        fi
    fi
    log "npm install binaryen@$BINARYEN_VERSION"
    mkdir -p "$TOOLS/binaryen"
    [ -f "$TOOLS/binaryen/package.json" ] ||
        printf '{ "name": "boussole-tools-binaryen", "private": true }\n' >"$TOOLS/binaryen/package.json"
    npm install --prefix "$TOOLS/binaryen" --no-audit --no-fund --loglevel=error \
        --save-exact "binaryen@$BINARYEN_VERSION" >&2
    got=$(tool_version "$WASM_OPT" 3)
    [ "$got" = "$WASM_OPT_VERSION" ] || die "wasm-opt reports version '${got}', expected $WASM_OPT_VERSION"
fi

log "all tools present in $TOOLS"
echo "export PATH=\"$TOOLS/binaryen/node_modules/.bin:$TOOLS/bin:\$PATH\""
