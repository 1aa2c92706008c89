#!/usr/bin/env bash
# Fuzzes what the site reads from strangers — pack Markdown and front matter, streamed model
# replies, the reply reader, export files — with cargo-fuzz (libFuzzer), each target for a bounded
# time. The targets and what each checks are in fuzz/src/lib.rs.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]    default: 30 s for each of the four targets
#
# Every input kept in fuzz/regressions/<target>/ is replayed first. A crash fails the run and names
# the file that reproduces it. Inputs worth keeping grow in fuzz/corpus/ (not committed); the
# committed starting points are in fuzz/seeds/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT/fuzz"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

seconds="${1:-30}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(compile_scenario stream_decoder reply_reader import_parser)

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  say "installing the nightly toolchain (libFuzzer's instrumentation needs it)"
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz (about 2 minutes, once)"
  cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi

# No AddressSanitizer: the code under test is safe Rust, where every bug found shows as a panic,
# and the targets run faster without it.
say "building the fuzz targets"
cargo +nightly fuzz build --sanitizer none
host=$(rustc +nightly -vV | sed -n 's/^host: //p')
bin="target/$host/release"

# The compile target writes a scenario folder per run: keep that off the disk when we can.
scratch=$(mktemp -d "$( [ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/leap-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

failed=()
summary=()
for t in "${targets[@]}"; do
  [ -x "$bin/$t" ] || { echo "unknown fuzz target: $t" >&2; exit 2; }
  mkdir -p "corpus/$t" "artifacts/$t"
  log="artifacts/$t/last-run.log"
  kept=(regressions/"$t"/*)
  if [ -e "${kept[0]}" ]; then
    say "$t: replaying ${#kept[@]} kept crasher(s)"
    if ! TMPDIR="$scratch" "$bin/$t" "${kept[@]}" >"$log" 2>&1; then
      tail -n 40 "$log"
      echo "A kept crasher fails again (see above; all: $ROOT/fuzz/regressions/$t/)." >&2
      summary+=("$(printf '%-18s a kept crasher fails again' "$t")")
      failed+=("$t")
      continue
    fi
  fi
  say "$t: fuzzing for $seconds s"
  if TMPDIR="$scratch" "$bin/$t" "corpus/$t" "seeds/$t" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="artifacts/$t/" -print_final_stats=1 >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    summary+=("$(printf '%-18s %9s runs  %6s/s  no crash' "$t" "$runs" "$rate")")
  else
    grep -v '^"' "$log" | tail -n 60
    crasher=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    cat >&2 <<EOF

$t FOUND A CRASH. The input that reproduces it: $ROOT/fuzz/${crasher:-artifacts/$t/}
  replay it:   (cd fuzz && cargo +nightly fuzz run -s none $t ${crasher:-<file>})
  shrink it:   (cd fuzz && cargo +nightly fuzz tmin -s none $t ${crasher:-<file>})
  keep it:     fix the bug, copy the file to fuzz/regressions/$t/ with a name saying what it
               caught, and add a test beside the code that feeds the same input.
EOF
    summary+=("$(printf '%-18s CRASH: %s' "$t" "$ROOT/fuzz/$crasher")")
    failed+=("$t")
  fi
done

say "fuzzing summary ($seconds s each)"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing failed: ${failed[*]}" >&2
  exit 1
fi
