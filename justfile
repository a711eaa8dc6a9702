# Boussole's verbs. `just run` serves the demo; `just test` runs every test.
set shell := ["bash", "-euo", "pipefail", "-c"]

export CARGO_TARGET_DIR := env_var_or_default("CARGO_TARGET_DIR", justfile_directory() / "target")

# List the recipes.
default:
    @just --list

# Build the SPA and the server (release), seed the demo if the database is empty, serve on BOUSSOLE_BIND (127.0.0.1:8080).
# The demo keeps its keys in ./data/keys (BOUSSOLE_INSECURE_KEY_LAYOUT=1): never for production.
run: build
    @echo "WARNING: demo layout, the keys sit inside the data folder (a copy of ./data holds them). In production set BOUSSOLE_KEY_DIR outside BOUSSOLE_DATA_DIR (README, Security decisions)." >&2
    BOUSSOLE_INSECURE_KEY_LAYOUT=${BOUSSOLE_INSECURE_KEY_LAYOUT:-1} "$CARGO_TARGET_DIR/release/boussole" seed-demo
    BOUSSOLE_INSECURE_KEY_LAYOUT=${BOUSSOLE_INSECURE_KEY_LAYOUT:-1} "$CARGO_TARGET_DIR/release/boussole" serve

# The release server and the release SPA (crates/web/dist) it serves.
build: build-web
    cargo build --release -p boussole-api

# The SPA only: installs trunk, wasm-bindgen and wasm-opt when missing (registries only), then builds it offline.
build-web:
    scripts/build-web.sh

# Every test: formatting and clippy, the API on SQLite and PostgreSQL, the fuzzer against the served
# contract, the web app's unit tests, and the browser journeys.
test: lint test-api fuzz crm test-web e2e

# `cargo fmt --check` and clippy with warnings denied (server and web app).
lint:
    scripts/lint.sh

# API tests. Both backends when a PostgreSQL server answers (BOUSSOLE_TEST_PG, or 127.0.0.1:5432);
# without one, SQLite only with a loud warning, except under CI=true where that is a failure.
test-api:
    scripts/test-api.sh

# schemathesis (PyPI) over the served /api/openapi.json as a beneficiary, a consultant and an admin:
# no 5xx, statuses, content types and bodies as documented. Under CI=true it may not be skipped.
fuzz:
    scripts/fuzz-api.sh

# The CRM scenario (issue 15): a Python client generated from openapi/openapi.json by
# openapi-python-client (PyPI) runs the office side of a bilan with an API key. Under CI=true it may
# not be skipped.
crm:
    scripts/crm-scenario.sh

# The web app's unit tests (plain functions: i18n, error mapping, charts), on the host.
test-web:
    cargo test -p boussole-web

# Browser journeys in headless Chromium against the real server and SPA (installs chromium and npm packages when missing).
e2e:
    e2e/run.sh

# Regenerate openapi/openapi.json from the code (commit the diff).
openapi:
    cargo run -q -p boussole-api -- openapi > openapi/openapi.json

# Load benchmark against a release build (wrk), SQLite and PostgreSQL: see the README's figures.
bench:
    scripts/bench.sh

# Criterion benchmark of the free-slots computation (3 months, 500 appointments; budget 5 ms).
bench-slots:
    cargo bench -p boussole-api --bench slots

# Criterion benchmark of scoring one response set of a 120-item instrument (budget 50 µs).
bench-scoring:
    cargo bench -p boussole-api --bench scoring

# Criterion benchmark of rendering one certificat de réalisation to PDF (budget 10 ms).
bench-certificat:
    cargo bench -p boussole-api --bench certificat

# Criterion benchmark of rendering a 10-page document de synthèse to PDF (budget 50 ms).
bench-synthesis:
    cargo bench -p boussole-api --bench synthesis

# Development: the API on 8080 and `trunk serve` on 8081 with /api proxied.
dev:
    @echo "WARNING: demo layout, the keys sit inside the data folder (BOUSSOLE_INSECURE_KEY_LAYOUT=1)." >&2
    BOUSSOLE_INSECURE_KEY_LAYOUT=${BOUSSOLE_INSECURE_KEY_LAYOUT:-1} cargo run -p boussole-api -- seed-demo
    (BOUSSOLE_INSECURE_KEY_LAYOUT=${BOUSSOLE_INSECURE_KEY_LAYOUT:-1} cargo run -p boussole-api -- serve &) ; eval "$(scripts/install-tools.sh | tail -n 1)"; trunk serve
