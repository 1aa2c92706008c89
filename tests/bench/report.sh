#!/usr/bin/env bash
# Reports the numbers the issues ask for; it measures, it does not judge (tests assert behaviour).
#   ./site bench      (installs what is missing, then runs this)
#
# 1. First load, gzip -9: what a first visit to the catalog downloads (html + js + wasm + css +
#    any data its page preloads), for the bundled pack and for a generated 1,000-scenario pack
#    (issue 11: ≤ 120 KB, growing ≤ 10 KB at 1,000), and the same for a scenario page.
# 2. Pack compile time for the bundled pack and for generated 1,000- and 10,000-scenario packs
#    (median of five runs of `leap check`, and of `leap build` writing every page to the disk
#    under target/; three runs at 10,000), their ratio, and for one generated investigation with 1,000 probes and
#    1,000 injects (issue 9).
# 3. Keystroke-to-paint latency in a 5,000-word answer (tests/bench/keystroke.mjs).
# 4. The evaluator client's overhead: provider bytes to visible feedback (tests/bench/evaluator.mjs).
# 5. A 5 MB streamed reply: the longest main-thread task and the total time (tests/bench/bigreply.mjs).
# 6. Page loads beside a minimal Leptos counter: sizes, throttled timings, Lighthouse (tests/bench/pageload.sh).
# 7. Typing at first paint on a scenario page under the mobile conditions: text readable, typing
#    accepted, draft saved, app took over (tests/bench/firstpaint.mjs, issue 11).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
OUT="$ROOT/target/bench"
rm -rf "$OUT" && mkdir -p "$OUT"

gz() { gzip -9c "$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1024 }'; }

echo "== release build"
LEAP_SITE_PATH=/senior-leap/ trunk build --release --dist "$OUT/dist" >"$OUT/trunk.log" 2>&1 || { tail -20 "$OUT/trunk.log"; exit 1; }
D="$OUT/dist"
# The stylesheet is inlined into every page by `leap build` (no file left), unless it could not be.
css=$(ls "$D"/main-*.css 2>/dev/null || true); bjs=$(ls "$D"/browse-*.js); bwasm=$(ls "$D"/browse-*_bg.wasm)
pjs=$(ls "$D"/practice-*.js); pwasm=$(ls "$D"/practice-*_bg.wasm)
wjs=$(ls "$D"/write-*.js); wwasm=$(ls "$D"/write-*_bg.wasm)
# A plain scenario's page and an investigation's (both start with their own bundle, `write`).
first=$(grep -L 'data-investigation' "$D"/scenarios/*/*/index.html | sed -n 1p); first="${first%/index.html}"
inv=$(grep -l 'data-investigation' "$D"/scenarios/*/*/index.html | sed -n 1p); inv="${inv%/index.html}"

cargo build --quiet --profile tool -p leap-core --bin leap
LEAP="${CARGO_TARGET_DIR:-$ROOT/target}/tool/leap"
# Generate N scenarios from the bundled ones, each a real copy with its own id (its files hard
# links to the bundled ones', its scenario.md its own). With a third argument `distinct`, each
# copy also takes the title (numbered) and hook of another bundled scenario, so the catalog's
# first cards differ from each other as a real pack's do (copies of one scenario would sort
# together and compress to nothing).
generate() {
  python3 - "$1" "$2" "${3:-}" <<'PY'
import os, re, shutil, sys
n, out, distinct = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "distinct"
src = "content/packs/core/scenarios"
shutil.rmtree(out, ignore_errors=True)
dest = os.path.join(out, "packs/core/scenarios")
os.makedirs(dest)
for f in ("site.toml", "how-it-works.md"):
    shutil.copy(os.path.join("content", f), out)
shutil.copy("content/packs/core/pack.toml", os.path.join(out, "packs/core"))
sources = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
for i in range(1, n + 1):
    name = sources[(i - 1) % len(sources)]
    slug = f"{name}-{i}"
    to = os.path.join(dest, slug)
    shutil.copytree(os.path.join(src, name), to, copy_function=os.link)
    md = os.path.join(to, "scenario.md")
    text = open(md, encoding="utf-8").read()
    os.unlink(md)
    text = re.sub(r'^id = ".*"', f'id = "{slug}"', text, count=1, flags=re.M)
    if distinct:
        other = open(os.path.join(src, sources[((i - 1) // len(sources) + i) % len(sources)], "scenario.md"), encoding="utf-8").read()
        title = re.search(r'^title = "(.*)"$', other, re.M).group(1)
        hook = re.search(r'^hook = ".*"$', other, re.M).group(0)
        text = re.sub(r'^title = ".*"$', lambda _: f'title = "{title} ({i})"', text, count=1, flags=re.M)
        text = re.sub(r'^hook = ".*"$', lambda _: hook, text, count=1, flags=re.M)
    with open(md, "w", encoding="utf-8") as f:
        f.write(text)
PY
}
generate 1000 "$OUT/pack-1000"
generate 1000 "$OUT/catalog-pack-1000" distinct

echo
echo "== first load of the catalog (gzip -9)"
# The data files a page preloads (fetched at start), one path a line.
preloaded() { grep -o '<link rel="preload" href="data/[^"?]*' "$1" | sed 's/.*href="//' || true; }
total=0
for f in "$D/index.html" "$bjs" "$bwasm" $css $(preloaded "$D/index.html" | sed "s|^|$D/|"); do
  s=$(gz "$f"); total=$((total + s))
  printf '  %-40s %9s   (raw %s)\n' "${f#"$D"/}" "$(kb "$s")" "$(kb "$(stat -c%s "$f")")"
done
[ -n "$(preloaded "$D/index.html")" ] || printf '  %-40s\n' "(no data fetched at start)"
n40=$(grep -o '"slug"' "$D/data/index.json" | wc -l)
printf '  %-40s %9s   budget 120 KB\n' "first load, $n40 scenarios" "$(kb $total)"
# The same catalog page for a generated pack of 1,000 scenarios. Built by `leap build` from the
# fixture template for both packs (a real Trunk build bakes only content/), so the difference is
# what the pack's size adds to the page; the js, wasm and css are the pack's no matter its size.
catalog_page() {
  local site="$OUT/catalog-$2"
  rm -rf "$site" && mkdir -p "$site"
  cp tests/fixtures/template.html "$site/index.html"
  for b in write practice progress review settings probe yourdata; do
    cp "$(ls "$D/$b"-*.js)" "$site/$b.js"
    cp "$(ls "$D/$b"-*_bg.wasm)" "$site/${b}_bg.wasm"
  done
  "$LEAP" build --content "$1" --dist "$site" --site-path /senior-leap/ >/dev/null
  echo "$site"
}
small=$(catalog_page content small); large=$(catalog_page "$OUT/catalog-pack-1000" 1000)
grow=$(( $(gz "$large/index.html") - $(gz "$small/index.html") ))
for f in $(preloaded "$large/index.html"); do grow=$((grow + $(gz "$large/$f"))); done
for f in $(preloaded "$small/index.html"); do grow=$((grow - $(gz "$small/$f"))); done
printf '  %-40s %9s   (its catalog page %s, that of %d scenarios %s, from the fixture template)\n' \
  "first load, 1,000 scenarios" "$(kb $((total + grow)))" "$(kb "$(gz "$large/index.html")")" "$n40" "$(kb "$(gz "$small/index.html")")"
cards() { grep -o '<li class="card"' "$1" | wc -l; }
printf '  %-40s %9s   budget +10 KB (cards on the page: %d at %d, %d at 1,000)\n' "growth from $n40 to 1,000 scenarios" "$(kb $grow)" \
  "$(cards "$small/index.html")" "$n40" "$(cards "$large/index.html")"
printf '  %-40s %9s   (%d scenarios; %s at 1,000)\n' "data/catalog.txt, on search/filter only" "$(kb "$(gz "$D/data/catalog.txt")")" "$n40" \
  "$(kb "$(gz "$large/data/catalog.txt")")"

echo
echo "== first load of a plain scenario page (${first#"$D"/}, gzip -9): what writing and committing need"
total=0
for f in "$first/index.html" "$wjs" "$wwasm" $css; do
  s=$(gz "$f"); total=$((total + s))
  printf '  %-40s %9s\n' "${f#"$D"/}" "$(kb "$s")"
done
printf '  %-40s %9s\n' "total" "$(kb $total)"
code=$(( $(gz "$wjs") + $(gz "$wwasm") ))
printf '  %-40s %9s   budget 250 KB\n' "code before a commit (write js + wasm)" "$(kb $code)"
total=0
for f in "$pjs" "$pwasm" "$first/scenario.json" "$D/data/index.json"; do total=$((total + $(gz "$f"))); done
printf '  %-40s %9s   (practice js %s + wasm %s + its data, at the first interaction)\n' "the full practice loop" "$(kb $total)" \
  "$(kb "$(gz "$pjs")")" "$(kb "$(gz "$pwasm")")"
printf '  %-40s %9s   (fetched only after commit)\n' "its rubric.json" "$(kb "$(gz "$first/rubric.json")")"
if [ -n "$inv" ]; then
  total=0
  for f in "$inv/index.html" "$wjs" "$wwasm" $css; do total=$((total + $(gz "$f"))); done
  printf '  %-40s %9s   (%s: page and write bundle; typing works with these)\n' "an investigation's page" "$(kb $total)" "${inv#"$D"/}"
  total=0
  for f in "$pjs" "$pwasm" "$inv/scenario.json" "$inv/investigation.json" "$D/data/index.json"; do total=$((total + $(gz "$f"))); done
  printf '  %-40s %9s   (sent for at once: its evidence column and its commit are the loop'"'"'s)\n' "  + its full practice loop and data" "$(kb $total)"
fi

echo
echo "== pack compile time (leap built with --profile tool; median of 5 runs)"
# median PREPARE COMMAND...: runs PREPARE untimed, then times COMMAND; $RUNS times (default 5).
median() {
  local prepare="$1" times=() runs="${RUNS:-5}"
  shift
  for _ in $(seq "$runs"); do
    "$prepare"
    local start end
    start=$(date +%s%N); "$@" >/dev/null 2>&1; end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}
generate 10000 "$OUT/pack-10000"

# `leap build` writes every page from a template shaped like Trunk's output (the one the snapshot
# test uses), so the timing covers compiling, rendering and writing the whole site. Clearing and
# seeding the folder is not timed: Trunk hands `leap build` a fresh staging folder.
SITE="$OUT/site"
# The previous site is moved aside and deleted only after the timings: ext4 skips recently
# deleted inodes when it allocates new ones, so deleting thousands of files right before a build
# slows the build itself (Trunk's staging folder is new, and the old dist is removed afterwards).
fresh_site() {
  if [ -d "$SITE" ]; then mv "$SITE" "$(mktemp -d "$OUT/old-site.XXXXXX")/"; fi
  mkdir -p "$SITE"
  cp tests/fixtures/template.html "$SITE/index.html"
  # leap build content-addresses the bundles Trunk builds without a loader (Bundle::GENERATED);
  # give it the unhashed files Trunk writes. Without one the build fails at once, and the
  # timing below would be that of the failure.
  for b in write practice progress review settings probe yourdata; do
    cp "$(ls "$D/$b"-*.js)" "$SITE/$b.js"
    cp "$(ls "$D/$b"-*_bg.wasm)" "$SITE/${b}_bg.wasm"
  done
}
nothing() { :; }
fresh_site
"$LEAP" build --content content --dist "$SITE" --site-path /senior-leap/ >/dev/null || { echo "leap build fails on the bundled content"; exit 1; }
fresh_site
echo "  (written to $SITE, on $(df --output=fstype "$SITE" | tail -1): the target is for a real disk, not tmpfs)"

declare -A checks builds
for pack in content "$OUT/pack-1000" "$OUT/pack-10000"; do
  n=$(ls -d "$pack"/packs/core/scenarios/*/ | wc -l)
  # Three runs, not five, at 10,000: each takes seconds.
  runs=5; [ "$n" -lt 10000 ] || runs=3
  checks[$n]=$(RUNS=$runs median nothing "$LEAP" check --content "$pack")
  printf '  %5d scenarios: check %6d ms' "$n" "${checks[$n]}"
  builds[$n]=$(RUNS=$runs median fresh_site "$LEAP" build --content "$pack" --dist "$SITE" --site-path /senior-leap/)
  printf ',  build (check + write every page) %6d ms\n' "${builds[$n]}"
done
rm -rf "$OUT"/old-site.*
echo "  target: build ≤ 500 ms at 1,000 scenarios"
awk -v c1="${checks[1000]}" -v c10="${checks[10000]}" -v b1="${builds[1000]}" -v b10="${builds[10000]}" \
  'BEGIN { printf "  10,000 / 1,000 scenarios: check %.1f×, build %.1f× (linear is 10×)\n", c10 / c1, b10 / b1 }'

# One investigation with 1,000 probes and 1,000 injects: the fixture's packet-loss, its three probes
# and two injects kept (its rubric and sample logs name them), the rest generated.
INV="$OUT/investigation-1000"
cp -r tests/fixtures/good "$INV"
python3 - "$INV/packs/demo/scenarios/packet-loss/scenario.md" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
head, rest = text.split("## Injects", 1)
injects, facts = rest.split("## Facts", 1)
probes = "".join(
    f"### Check signal {i} {{#probe-{i} cost={i % 240 + 1}}}\n\n| metric | value |\n|---|---|\n| p99 | {i} ms |\n\n"
    for i in range(4, 1001))
more = "".join(f"### Update {i} {{#inject-{i} at={i % 600 + 1}}}\n\n> Status message {i}.\n\n" for i in range(3, 1001))
open(path, "w").write(head + probes + "## Injects" + injects + more + "## Facts" + facts)
PY
"$LEAP" check --content "$INV" >/dev/null || { echo "the generated investigation does not compile"; exit 1; }
printf '  1 investigation, 1,000 probes + 1,000 injects: check %6d ms\n' "$(median nothing "$LEAP" check --content "$INV")"

echo
need_chromium_note="(needs Chromium and the test packages: ./site test installs them)"
if command -v chromium >/dev/null 2>&1 && [ -d tests/e2e/node_modules/@playwright/test ]; then
  node tests/bench/keystroke.mjs "$D"
  echo
  node tests/bench/evaluator.mjs "$D"
  echo
  node tests/bench/bigreply.mjs "$D"
  echo
  node tests/bench/firstpaint.mjs "$D"
else
  echo "== keystroke latency and evaluator overhead skipped $need_chromium_note"
fi

echo
# 6. Page loads against a minimal Leptos counter built in the same run (issue 11): first-load
#    sizes, throttled timings to readable and taken over, Lighthouse mobile.
tests/bench/pageload.sh "$D"
