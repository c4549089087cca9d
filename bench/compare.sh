#!/usr/bin/env bash
# Two bilat binaries side by side on the same corpus: is the output byte for byte the same, and is
# any figure worse? For refactors that must not change what is built (e.g. an old release against
# a new one).
#
#     bench/compare.sh OLD_BIN NEW_BIN [--entries N] [--rounds N] [--languages N]
#
# It writes the synthetic corpus (examples/corpus.rs, built from this tree) to /dev/shm, builds it
# once with each binary and compares the outputs (the page cache aside), then runs paired rounds
# that alternate which binary goes first: a cold build into a fresh folder, then an unchanged
# rebuild into that output. It prints every run and the medians of wall time and peak RSS
# (/usr/bin/time), with the new/old ratio of each median. Exit status 1 when the outputs differ.
set -euo pipefail

old=${1:?usage: bench/compare.sh OLD_BIN NEW_BIN [--entries N] [--rounds N] [--languages N]}
new=${2:?usage: bench/compare.sh OLD_BIN NEW_BIN [--entries N] [--rounds N] [--languages N]}
shift 2
entries=10000 rounds=5 languages=1
while [ $# -gt 0 ]; do
    case $1 in
        --entries) entries=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --languages) languages=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
cd "$(dirname "$0")/.."
work=/dev/shm/bilat-compare
rm -rf "$work" && mkdir -p "$work"
cargo build --release --quiet --example corpus
target=${CARGO_TARGET_DIR:-target}
"$target/release/examples/corpus" --entries "$entries" --languages "$languages" --out "$work/site" >/dev/null

"$old" build --root "$work/site" --output "$work/out-old" >/dev/null
"$new" build --root "$work/site" --output "$work/out-new" >/dev/null
if diff -rq -x .bilat-cache.json -x .bilat-cache -x '.*' "$work/out-old" "$work/out-new" >"$work/diff.txt"; then
    same=yes
    echo "output: identical ($(find "$work/out-new" -type f | wc -l) files)"
else
    same=no
    echo "output: DIFFERS in $(wc -l <"$work/diff.txt") files, e.g.:"
    head -5 "$work/diff.txt"
fi

# One build: prints "wall_seconds peak_kib".
run() {
    /usr/bin/time -f "%e %M" "$1" build --root "$work/site" --output "$2" >/dev/null 2>"$work/time.txt"
    tail -1 "$work/time.txt"
}
printf 'round\tbinary\tcold_s\tcold_kib\tunchanged_s\tunchanged_kib\n' | tee "$work/runs.tsv"
for r in $(seq "$rounds"); do
    order="old new"
    [ $((r % 2)) -eq 0 ] && order="new old"
    for b in $order; do
        bin=$old
        [ "$b" = new ] && bin=$new
        rm -rf "$work/run-$b" "$work"/.run-"$b"*
        read -r cs ck < <(run "$bin" "$work/run-$b")
        read -r us uk < <(run "$bin" "$work/run-$b")
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$b" "$cs" "$ck" "$us" "$uk" | tee -a "$work/runs.tsv"
    done
done
python3 - "$work/runs.tsv" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
def med(b, k):
    return statistics.median(float(r[k]) for r in rows if r["binary"] == b)
print(f"{'median':<22}{'old':>10}{'new':>10}{'new/old':>9}")
for k, label in [("cold_s", "cold build (s)"), ("cold_kib", "cold peak (MiB)"),
                 ("unchanged_s", "unchanged rebuild (s)"), ("unchanged_kib", "unchanged peak (MiB)")]:
    o, n = med("old", k), med("new", k)
    scale = 1024 if k.endswith("kib") else 1
    print(f"{label:<22}{o/scale:>10.2f}{n/scale:>10.2f}{n/o:>8.2f}×")
EOF
[ "$same" = yes ]
