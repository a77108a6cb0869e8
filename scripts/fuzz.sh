#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 600) seconds, one after the other, starting
# from the seed corpus in fuzz/seeds/. cargo-fuzz wants nightly flags; RUSTC_BOOTSTRAP lets
# the stable toolchain accept them, and --sanitizer none needs no sanitizer runtime.
#   cargo install cargo-fuzz && scripts/fuzz.sh 600
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
for target in timeline load import terminal git workbook docx; do
  mkdir -p "fuzz/corpus/$target"
  RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none -O "$target" \
    "fuzz/corpus/$target" "fuzz/seeds/$target" -- -max_total_time="$seconds" -rss_limit_mb=4096
done
