#!/usr/bin/env bash
# Times the release binary on the bench corpus, next to a bare syn parse of the same files on
# as many threads, run in a fresh process (the hidden `--compare-parse` flag).
#
#   bench/run.sh                 # the ~724k-line crates corpus and the rust-analyzer workspace
#   RUNS=10 bench/run.sh         # more runs; the fastest is the one to read
#
# The corpus is built by the workspace's shared `bench/corpus.sh` (set CORPUS_SCRIPT if it lives
# elsewhere), which fetches pinned crates through cargo. Nothing here is part of the tests:
# timings are measured, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

CORPUS=${CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/escape-corpus}
CORPUS_SCRIPT=${CORPUS_SCRIPT:-../shared/bench/corpus.sh}
RUNS=${RUNS:-5}

if [[ ! -f "$CORPUS/crates/Cargo.toml" || ! -f "$CORPUS/bigws/Cargo.toml" ]]; then
  CORPUS="$CORPUS" bash "$CORPUS_SCRIPT"
fi
cargo build --release --quiet
bin=target/release/cargo-escape

for ws in crates bigws; do
  echo "== $ws ($CORPUS/$ws), $RUNS runs, $(nproc) threads"
  for _ in $(seq "$RUNS"); do
    # Findings go to stdout (JSON, discarded); the timing report goes to stderr.
    "$bin" escape --manifest-path "$CORPUS/$ws/Cargo.toml" --workspace \
      --message-format json --timings --compare-parse 2>&1 >/dev/null |
      grep -E "total|peak RSS|bare syn parse|/ bare parse" | tr -s ' ' | paste -sd ' ' -
  done
done
