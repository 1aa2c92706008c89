#!/usr/bin/env bash
# Page loads against the floor (issue 11): builds a minimal Leptos counter (tests/bench/counter)
# with the same Leptos, wasm-bindgen, Trunk, wasm-opt and release profile as the site, then
# compares the site's catalog, a scenario page, Settings and Progress with it: what a first visit
# downloads, throttled first-load timings (firstload.mjs), a first visit with the service worker on
# over one shared link (shared-link.mjs) and Lighthouse mobile (lighthouse.mjs).
#
#   tests/bench/pageload.sh <site dist>     (report.sh runs it on the build it made)
#
# Environment: RUNS (throttled loads per page, default 5), LH_RUNS (Lighthouse runs, default 3).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
D="$(cd "${1:?usage: tests/bench/pageload.sh <site dist>}" && pwd)"
OUT="$ROOT/target/bench"
mkdir -p "$OUT"

# The counter resolves its crates from the site's lockfile, so both use the same Leptos and the
# wasm-bindgen the installed CLI matches; its own target folder keeps its build warm between runs.
want=$(sed -n 's/^wasm_bindgen = "\(.*\)"/\1/p' Trunk.toml)
have=$(sed -n 's/^wasm_bindgen = "\(.*\)"/\1/p' tests/bench/counter/Trunk.toml)
if [ "$want" != "$have" ]; then
  echo "tests/bench/counter/Trunk.toml pins wasm-bindgen $have, the site $want: make them equal" >&2
  exit 1
fi
cp Cargo.lock tests/bench/counter/Cargo.lock
echo "== building the counter (the floor)"
(cd tests/bench/counter && CARGO_TARGET_DIR="$ROOT/target/bench-counter" trunk build --release --dist "$OUT/counter") \
  >"$OUT/counter.log" 2>&1 || { tail -20 "$OUT/counter.log"; exit 1; }

# A plain scenario's page and an investigation's (its write bundle sends for the full loop at once).
plain=$(cd "$D" && grep -L 'data-investigation' scenarios/*/*/index.html | sed -n 1p); plain="${plain%index.html}"
investigation=$(cd "$D" && grep -l 'data-investigation' scenarios/*/*/index.html | sed -n 1p); investigation="${investigation%index.html}"
pages=("" "$plain" "$investigation" settings/ progress/)

if ! command -v chromium >/dev/null 2>&1 || [ ! -d tests/e2e/node_modules/@playwright/test ]; then
  echo "== page loads skipped (need Chromium and the test packages: ./site bench installs them)"
  exit 0
fi
echo
node tests/bench/firstload.mjs "$D" "$OUT/counter" "${pages[@]}" --runs "${RUNS:-5}"
echo
# A first visit with the service worker on, every byte through one shared link (its precache
# competes with the page for bandwidth, which per-page CDP throttling does not show).
node tests/bench/shared-link.mjs "$D" "" --runs "${RUNS:-5}"
node tests/bench/shared-link.mjs "$D" "" --runs "${RUNS:-5}" --no-worker
echo
node tests/bench/lighthouse.mjs "$D" "$OUT/counter" "${pages[@]}" --runs "${LH_RUNS:-3}"
