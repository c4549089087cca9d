#!/usr/bin/env bash
# Where a bilat build spends its instructions (issue 4): callgrind on a synthetic corpus.
#
#     bench/profile.sh            # 1,000 entries
#     bench/profile.sh 10000      # ~3 min under valgrind on one core
#
# Callgrind counts instructions, so the numbers are stable on a busy machine (unlike wall time).
# Prints the stage functions and the heaviest functions, inclusive and self, and leaves the
# profile in target/bench-results/callgrind.<N>.out for `callgrind_annotate` or kcachegrind.
set -euo pipefail

N=${1:-1000}
case "$N" in ''|*[!0-9]*) echo "usage: bench/profile.sh [ENTRIES]" >&2; exit 2 ;; esac
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR_BENCH:-/dev/shm}/bilat-profile.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
OUT=$ROOT/target/bench-results/callgrind.$N.out
mkdir -p "$(dirname "$OUT")"

if ! command -v valgrind >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq install -y valgrind >&2
    else
        echo "profile: valgrind is needed (Debian package valgrind)" >&2
        exit 1
    fi
fi

(cd "$ROOT" && cargo build --release --quiet --bin bilat --example corpus)
cp "$ROOT/target/release/bilat" "$WORK/bilat"
"$ROOT/target/release/examples/corpus" --entries "$N" --out "$WORK/site"
valgrind --tool=callgrind --callgrind-out-file="$OUT" \
    "$WORK/bilat" build --timings --root "$WORK/site" --output "$WORK/out" > "$WORK/build.log" 2>&1
grep -E '^  [a-z]+ +[0-9.]+ ms$|^built|I +refs' "$WORK/build.log" >&2 || true

callgrind_annotate --inclusive=yes --threshold=100 "$OUT" > "$WORK/inclusive.txt" 2>/dev/null
callgrind_annotate "$OUT" > "$WORK/self.txt" 2>/dev/null
strip() { sed -E 's/ \[[^]]*\]$//; s#[^ ]*/(src|library|malloc|string|multiarch)/[^:]*:##'; }
total=$(awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }' "$WORK/self.txt")
echo "callgrind, $N entries: $total instructions (profile: $OUT)"
echo
echo "## Stages and bilat functions (inclusive)"
grep -E '^ *[0-9,]+ \(' "$WORK/inclusive.txt" | grep -E ':bilat::[A-Za-z_:]+ \[' | sed -n 1,30p | strip
echo
echo "## Libraries (inclusive)"
grep -E '^ *[0-9,]+ \(' "$WORK/inclusive.txt" \
    | grep -E ':(syntect::html::ClassedHTMLGenerator::parse_html[a-z_]*|syntect::parsing::regex::regex_impl::Regex::(new|search)|fancy_regex::Regex::captures_from_pos|syntect::dumps::[^ ]*load_defaults_newlines|tera::tera::Tera::render|tera::utils::escape_html|tera::value::Value::try_from_serializable|pulldown_cmark::firstpass::run_first_pass|saphyr_parser::parser::Parser<T>::next_event|serde_json::ser::format_escaped_str|core::fmt::float::float_to_decimal_common_exact::<f64>|malloc|free) \[' \
    | strip | awk '!seen[$NF]++' | sed -n 1,20p
echo
echo "## Self cost"
grep -E '^ *[0-9,]+ \(' "$WORK/self.txt" | sed -n 2,26p | strip
