#!/usr/bin/env bash
# Build-speed benchmark of bilat against Hugo (issue 4). One command:
#
#     bench/run.sh                      # 50 / 1,000 / 10,000 entries, 5 paired rounds (3 for 10k)
#     bench/run.sh --sizes "50 1000" --rounds 3
#     bench/run.sh --large              # adds 100,000 entries (one paired round; ~15 min with Hugo)
#
# What it does:
#   1. installs what is missing (GNU time, python3, hugo) with apt-get when run as root or with
#      passwordless sudo; builds bilat and the corpus generator (examples/corpus.rs) in release;
#   2. writes each corpus to a tmpfs (/dev/shm): the bilat site with `--example corpus`, the
#      equivalent Hugo site with ../shared/bench/gen_corpus.py (same shape: ~510 words, 3-5 links,
#      a YAML block on every tenth page, 50 tags/topics); the corpus turns bilat's social card
#      images off (`[cards] enabled = false`), since Hugo makes none: like is compared with like;
#   3. per size: one untimed warm-up of each engine, then paired rounds alternating which engine
#      goes first (ABBA), each build into a fresh output folder under /usr/bin/time -v;
#   4. on the largest size, after each timed bilat build, an unchanged rebuild into the existing
#      output (and counts how many output files it rewrote), then a rebuild after one entry was
#      edited; and `bilat serve` on the largest corpus up to 10,000 entries (where its target is)
#      with examples/serve_latency.rs (time from saving an entry to its open page showing the
#      edit, woken by live reload);
#   5. prints versions, a table of medians (wall, CPU, peak RSS, bilat/Hugo ratios), the
#      `bilat build --timings` phase medians and the issue's targets, and saves them under
#      target/bench-results/<date>/ (summary.md, runs.tsv, stages.tsv).
#
# Exit status: 0 when every build succeeded; 1 when a build, the corpus generator or a required
# tool failed; 2 bad usage; 3 with --strict when a target of issue 4 is missed.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/run.sh [options]
  --sizes "N ..."     corpus sizes in entries (default "50 1000 10000")
  --rounds N          paired rounds per size (default 5)
  --rounds-large N    paired rounds for sizes >= 5000 (default 3)
  --large             also 100,000 entries (issue 14), --rounds-huge paired rounds (default 1)
  --rounds-huge N     paired rounds for sizes >= 50000
  --work DIR          scratch folder, should be on tmpfs (default /dev/shm/bilat-bench)
  --no-hugo           do not install or run Hugo
  --no-install        never call apt-get
  --keep              keep corpora and outputs in the scratch folder
  --strict            exit 3 when a target of issue 4 is missed
  --readers [--sizes "N ..."]
                      instead: the largest page and file and the bytes a search query
                      transfers at 10k and 100k records (bench/readers.sh, issue 13)
environment: GEN_CORPUS=path/to/gen_corpus.py (default ../shared/bench/gen_corpus.py)
EOF
}

ARGS="$*"
# `--readers [--sizes "N ..."]`: what readers load at scale instead (bench/readers.sh, issue 13).
if [ "${1:-}" = "--readers" ]; then
    shift
    exec "$(dirname "${BASH_SOURCE[0]}")/readers.sh" "$@"
fi
SIZES="50 1000 10000"
ROUNDS=5
ROUNDS_LARGE=3
ROUNDS_HUGE=1
WORK=/dev/shm/bilat-bench
USE_HUGO=1
INSTALL=1
KEEP=0
STRICT=0
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) SIZES=${2:?}; shift 2 ;;
        --rounds) ROUNDS=${2:?}; shift 2 ;;
        --rounds-large) ROUNDS_LARGE=${2:?}; shift 2 ;;
        --rounds-huge) ROUNDS_HUGE=${2:?}; shift 2 ;;
        --large) LARGE=1; shift ;;
        --work) WORK=${2:?}; shift 2 ;;
        --no-hugo) USE_HUGO=0; shift ;;
        --no-install) INSTALL=0; shift ;;
        --keep) KEEP=1; shift ;;
        --strict) STRICT=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
done
if [ "${LARGE:-0}" = 1 ]; then SIZES="$SIZES 100000"; fi
for n in $SIZES $ROUNDS $ROUNDS_LARGE $ROUNDS_HUGE; do
    case "$n" in ''|*[!0-9]*) echo "bench: not a number: $n" >&2; exit 2 ;; esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GEN_CORPUS=${GEN_CORPUS:-$ROOT/../shared/bench/gen_corpus.py}
STAMP=$(date -u +%Y%m%d-%H%M%S)
RESULTS=$ROOT/target/bench-results/$STAMP

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# ---------------------------------------------------------------- tools

APT_UPDATED=0
apt_install() {
    [ "$INSTALL" = 1 ] && command -v apt-get >/dev/null || return 1
    local sudo=()
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null && sudo -n true 2>/dev/null || return 1
        sudo=(sudo -n)
    fi
    export DEBIAN_FRONTEND=noninteractive
    # Another process may hold the apt/dpkg locks: wait for them, and retry.
    local i
    if [ "$APT_UPDATED" = 0 ]; then
        for i in $(seq 1 30); do
            "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 -qq update >&2 && { APT_UPDATED=1; break; }
            log "apt-get update failed (lock held?), retry $i/30 in 10 s"; sleep 10
        done
    fi
    for i in $(seq 1 30); do
        "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 -qq install -y --no-install-recommends "$@" >&2 && return 0
        log "apt-get install $* failed (lock held?), retry $i/30 in 10 s"; sleep 10
    done
    return 1
}

command -v cargo >/dev/null || die "cargo not found: install Rust (https://rustup.rs) first"
if ! [ -x /usr/bin/time ] || ! /usr/bin/time -v true >/dev/null 2>&1; then
    log "installing GNU time (Debian package time)"
    apt_install time || die "/usr/bin/time -v is needed: install the Debian package time"
fi
if ! command -v python3 >/dev/null; then
    log "installing python3"
    apt_install python3 || die "python3 is needed (summary, Hugo corpus)"
fi
if [ "$USE_HUGO" = 1 ] && ! command -v hugo >/dev/null; then
    log "installing hugo (Debian package hugo)"
    apt_install hugo || log "hugo could not be installed: running without the Hugo comparison"
fi
if [ "$USE_HUGO" = 1 ] && ! command -v hugo >/dev/null; then USE_HUGO=0; fi
if [ "$USE_HUGO" = 1 ] && ! [ -f "$GEN_CORPUS" ]; then
    log "no gen_corpus.py at $GEN_CORPUS (set GEN_CORPUS): running without the Hugo comparison"
    USE_HUGO=0
fi

# ---------------------------------------------------------------- scratch space and binaries

if ! [ -d "$(dirname "$WORK")" ]; then
    WORK=$(mktemp -d)/bilat-bench
    log "no /dev/shm: using $WORK (not tmpfs, disk speed will show in the numbers)"
fi
case "$WORK" in /|"$HOME"|"$ROOT") die "refusing to use $WORK as scratch space" ;; esac
if [ -e "$WORK" ] && ! [ -f "$WORK/.bilat-bench" ]; then
    die "$WORK exists and was not made by bench/run.sh: remove it or pass --work"
fi
rm -rf "$WORK"
mkdir -p "$WORK/bin" "$WORK/logs" "$RESULTS"
touch "$WORK/.bilat-bench"
cleanup() { if [ "$KEEP" = 0 ]; then rm -rf "$WORK"; fi; }
trap cleanup EXIT

log "building bilat and examples/corpus in release"
(cd "$ROOT" && cargo build --release --quiet --bin bilat --example corpus --example serve_latency) || die "cargo build failed"
# Private copies: a concurrent `cargo build` must not swap the binary in the middle of the run.
cp "$ROOT/target/release/bilat" "$ROOT/target/release/examples/corpus" "$ROOT/target/release/examples/serve_latency" "$WORK/bin/"
BILAT=$WORK/bin/bilat
CORPUS=$WORK/bin/corpus
SERVE_LATENCY=$WORK/bin/serve_latency

# ---------------------------------------------------------------- versions

fs_type=$(stat -f -c %T "$WORK" 2>/dev/null || echo unknown)
{
    echo "date:      $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "command:   bench/run.sh $ARGS (sizes: $SIZES; rounds: $ROUNDS, $ROUNDS_LARGE for >= 5000; Hugo: $([ "$USE_HUGO" = 1 ] && echo yes || echo no))"
    echo "machine:   $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), Linux $(uname -r)"
    echo "load:      $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at start)"
    busy=$(ps -eo pcpu=,comm= --sort=-pcpu | awk '$1 >= 30 { printf "%s%s (%s%% CPU)", sep, $2, $1; sep = ", " }')
    echo "busy:      ${busy:-no other process above 30% CPU} (at start)"
    echo "scratch:   $WORK ($fs_type)"
    echo "bilat:     $("$BILAT" --version) @ $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo 'no git')"
    echo "rustc:     $(rustc --version)"
    if [ "$USE_HUGO" = 1 ]; then echo "hugo:      $(hugo version)"; fi
    echo "python3:   $(python3 --version 2>&1)"
    echo "time:      $(/usr/bin/time --version 2>&1 | head -1)"
} > "$RESULTS/versions.txt"
cat "$RESULTS/versions.txt" >&2

# ---------------------------------------------------------------- running

RUNS=$RESULTS/runs.tsv
STAGES=$RESULTS/stages.tsv
printf 'tool\tentries\tkind\tround\twall_s\tuser_s\tsys_s\tmax_rss_kb\trewritten\tfiles\n' > "$RUNS"
printf 'entries\tround\tstage\tms\n' > "$STAGES"

# timed TOOL SIZE KIND ROUND -- command...: run under /usr/bin/time -v, append a row to runs.tsv.
timed() {
    local tool=$1 size=$2 kind=$3 round=$4
    shift 5
    local base=$WORK/logs/$tool-$size-$kind-$round t0 t1
    # Wall time from bash's microsecond clock (GNU time prints only hundredths of a second);
    # CPU time and peak RSS from /usr/bin/time -v.
    t0=$EPOCHREALTIME
    if ! /usr/bin/time -v -o "$base.time" "$@" >"$base.log" 2>&1; then
        tail -n 30 "$base.log" >&2
        die "$tool failed on $size entries ($kind, round $round): $*"
    fi
    t1=$EPOCHREALTIME
    awk -F': ' -v tool="$tool" -v size="$size" -v kind="$kind" -v round="$round" -v t0="${t0/,/.}" -v t1="${t1/,/.}" '
        BEGIN { wall = t1 - t0 }
        /User time/ { user = $2 }
        /System time/ { sys = $2 }
        /Maximum resident set size/ { rss = $2 }
        END { printf "%s\t%s\t%s\t%s\t%.3f\t%s\t%s\t%s", tool, size, kind, round, wall, user, sys, rss }
    ' "$base.time" >> "$RUNS"
    if [ "$tool" = bilat ]; then
        awk -v size="$size" -v round="$round-$kind" '
            /^  [a-z]+ +[0-9.]+ ms$/ { printf "%s\t%s\t%s\t%s\n", size, round, $1, $2 }
        ' "$base.log" >> "$STAGES"
    fi
}
row_end() { printf '\t%s\t%s\n' "${1:-}" "${2:-}" >> "$RUNS"; }

bilat_build() { # SIZE KIND ROUND
    rm -rf "$WORK/out-bilat-$1"
    timed bilat "$1" "$2" "$3" -- "$BILAT" build --timings --root "$WORK/bilat-$1" --output "$WORK/out-bilat-$1"
    row_end
}
hugo_build() { # SIZE KIND ROUND
    rm -rf "$WORK/out-hugo-$1"
    timed hugo "$1" "$2" "$3" -- hugo --quiet --noBuildLock -s "$WORK/hugo-$1" -d "$WORK/out-hugo-$1"
    row_end
}
bilat_rebuild() { # SIZE KIND ROUND: rebuild into the output of the build just before
    touch "$WORK/rebuild-stamp"
    sleep 0.01
    timed bilat "$1" "$2" "$3" -- "$BILAT" build --timings --root "$WORK/bilat-$1" --output "$WORK/out-bilat-$1"
    local total rewritten
    total=$(find "$WORK/out-bilat-$1" -type f | wc -l)
    rewritten=$(find "$WORK/out-bilat-$1" -type f -newer "$WORK/rebuild-stamp" | wc -l)
    row_end "$rewritten" "$total"
}
bilat_edit_rebuild() { # SIZE ROUND: rebuild after one entry's text changed, then restore it
    local file="$WORK/bilat-$1/content/visits/visit-00001.md"
    cp "$file" "$WORK/edit-backup.md"
    printf '\nA sentence added for the benchmark, round %s.\n' "$2" >> "$file"
    bilat_rebuild "$1" edit1 "$2"
    cp "$WORK/edit-backup.md" "$file"
}

largest=0
for n in $SIZES; do
    if [ "$n" -gt "$largest" ]; then largest=$n; fi
done
# serve's edit-to-page latency is measured at the largest size up to 10,000 entries, where its
# target is set (at 100,000 entries each round would wait minutes for serve's full rebuild).
serve_n=0
for n in $SIZES; do
    if [ "$n" -le 10000 ] && [ "$n" -gt "$serve_n" ]; then serve_n=$n; fi
done

for n in $SIZES; do
    log "corpus of $n entries"
    "$CORPUS" --entries "$n" --out "$WORK/bilat-$n" 2>>"$RESULTS/corpus.log" || die "examples/corpus failed for $n entries"
    "$BILAT" check --root "$WORK/bilat-$n" >/dev/null 2>"$WORK/logs/check-$n.log" || {
        tail -n 30 "$WORK/logs/check-$n.log" >&2; die "bilat check fails on the generated $n-entry corpus"; }
    if [ "$USE_HUGO" = 1 ]; then
        python3 "$GEN_CORPUS" --pages "$n" --format hugo --out "$WORK/hugo-$n" 2>>"$RESULTS/corpus.log" \
            || die "gen_corpus.py failed for $n pages"
    fi
    rounds=$ROUNDS
    if [ "$n" -ge 5000 ]; then rounds=$ROUNDS_LARGE; fi
    if [ "$n" -ge 50000 ]; then rounds=$ROUNDS_HUGE; fi
    # Warm-up (page cache, lazy kernel work), untimed.
    rm -rf "$WORK/out-bilat-$n"
    "$BILAT" build --root "$WORK/bilat-$n" --output "$WORK/out-bilat-$n" >/dev/null 2>&1 || die "bilat build failed on $n entries"
    if [ "$USE_HUGO" = 1 ]; then
        hugo --quiet --noBuildLock -s "$WORK/hugo-$n" -d "$WORK/out-hugo-$n" >/dev/null 2>&1 || die "hugo failed on $n pages"
    fi
    for r in $(seq 1 "$rounds"); do
        log "  $n entries, round $r/$rounds"
        if [ "$USE_HUGO" = 1 ] && [ $((r % 2)) = 0 ]; then hugo_build "$n" build "$r"; fi
        bilat_build "$n" build "$r"
        if [ "$n" = "$largest" ]; then bilat_rebuild "$n" rebuild "$r"; bilat_edit_rebuild "$n" "$r"; fi
        if [ "$USE_HUGO" = 1 ] && [ $((r % 2)) = 1 ]; then hugo_build "$n" build "$r"; fi
    done
    # Shape of inputs and outputs, for the record: the largest file, the largest outside the data
    # exports (/data/), and bilat's page cache beside its output.
    largest_file() { find "$1" -type f -printf '%s\t%P\n' | grep -v "${2:-^$}" | sort -n | tail -1; }
    {
        printf 'bilat\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$(find "$WORK/bilat-$n/content" -type f | wc -l)" "$(du -sb "$WORK/bilat-$n/content" | cut -f1)" \
            "$(find "$WORK/out-bilat-$n" -type f | wc -l)" "$(du -sb "$WORK/out-bilat-$n" | cut -f1)" \
            "$(largest_file "$WORK/out-bilat-$n" | tr '\t' ' ')" "$(largest_file "$WORK/out-bilat-$n" $'\tdata/' | tr '\t' ' ')" \
            "$(stat -c %s "$WORK/.out-bilat-$n.bilat-cache" 2>/dev/null || echo 0)"
        if [ "$USE_HUGO" = 1 ]; then
            printf 'hugo\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t0\n' "$n" "$(find "$WORK/hugo-$n/content" -type f | wc -l)" "$(du -sb "$WORK/hugo-$n/content" | cut -f1)" \
                "$(find "$WORK/out-hugo-$n" -type f | wc -l)" "$(du -sb "$WORK/out-hugo-$n" | cut -f1)" \
                "$(largest_file "$WORK/out-hugo-$n" | tr '\t' ' ')" "$(largest_file "$WORK/out-hugo-$n" $'\tdata/' | tr '\t' ' ')"
        fi
    } >> "$RESULTS/shape.tsv"
    rm -rf "$WORK/out-bilat-$n" "$WORK/.out-bilat-$n".bilat-* "$WORK/out-hugo-$n"
    if [ "$n" = "$serve_n" ]; then
        log "  serve: edit-to-page latency on $n entries"
        "$SERVE_LATENCY" --bilat "$BILAT" --site "$WORK/bilat-$n" --entry content/visits/visit-00001.md \
            --rounds 15 --port $((20000 + RANDOM % 20000)) > "$RESULTS/serve.txt" 2>&1 \
            || { cat "$RESULTS/serve.txt" >&2; die "serve latency measurement failed"; }
    fi
done

# ---------------------------------------------------------------- summary

echo "load:      $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at end)" >> "$RESULTS/versions.txt"
status=0
python3 - "$RESULTS" "$largest" "$STRICT" "$serve_n" <<'PY' || status=$?
import csv, statistics, sys
from pathlib import Path

res, largest, strict = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
serve_n = int(sys.argv[4])
runs = list(csv.DictReader(open(res / "runs.tsv"), delimiter="\t"))
stages = list(csv.DictReader(open(res / "stages.tsv"), delimiter="\t"))
shape = [l.split("\t") for l in open(res / "shape.tsv").read().splitlines()] if (res / "shape.tsv").exists() else []

def med(tool, n, kind, key):
    xs = [float(r[key]) for r in runs if r["tool"] == tool and int(r["entries"]) == n and r["kind"] == kind]
    return statistics.median(xs) if xs else None

def cpu(tool, n, kind):
    xs = [float(r["user_s"]) + float(r["sys_s"]) for r in runs if r["tool"] == tool and int(r["entries"]) == n and r["kind"] == kind]
    return statistics.median(xs) if xs else None

def secs(x):
    return "–" if x is None else (f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s")

def mib(kb):
    return "–" if kb is None else f"{kb / 1024:.0f} MiB"

def ratio(a, b):
    return "–" if a is None or b is None or b == 0 else f"{a / b:.2f}×"

sizes = sorted({int(r["entries"]) for r in runs})
out = []
p = out.append
p((res / "versions.txt").read_text().rstrip())
p("")
rounds = {n: len({r["round"] for r in runs if int(r["entries"]) == n and r["kind"] == "build"}) for n in sizes}
p("Medians of paired runs (" + ", ".join(f"{n:,}: {rounds[n]}" for n in sizes) + " rounds); fresh output folder per build.")
p("")
p("| entries | bilat wall | bilat CPU | bilat peak RSS | Hugo wall | Hugo CPU | Hugo peak RSS | wall bilat/Hugo | RSS bilat/Hugo |")
p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for n in sizes:
    bw, bc, br = med("bilat", n, "build", "wall_s"), cpu("bilat", n, "build"), med("bilat", n, "build", "max_rss_kb")
    hw, hc, hr = med("hugo", n, "build", "wall_s"), cpu("hugo", n, "build"), med("hugo", n, "build", "max_rss_kb")
    p(f"| {n:,} | {secs(bw)} | {secs(bc)} | {mib(br)} | {secs(hw)} | {secs(hc)} | {mib(hr)} | {ratio(bw, hw)} | {ratio(br, hr)} |")

first, rebuild = med("bilat", largest, "build", "wall_s"), med("bilat", largest, "rebuild", "wall_s")
rw = [r for r in runs if r["kind"] == "rebuild"]
if rw:
    p("")
    p(f"Unchanged rebuild of {largest:,} entries into the existing output: {secs(rebuild)} "
      f"(CPU {secs(cpu('bilat', largest, 'rebuild'))}, peak {mib(med('bilat', largest, 'rebuild', 'max_rss_kb'))}) "
      f"vs first build {secs(first)}: {ratio(rebuild, first)}; "
      f"output files rewritten: {rw[-1]['rewritten']} of {rw[-1]['files']}.")

ew = [r for r in runs if r["kind"] == "edit1"]
if ew:
    edit = med("bilat", largest, "edit1", "wall_s")
    p("")
    p(f"Rebuild of {largest:,} entries after one entry's text changed: {secs(edit)} "
      f"(CPU {secs(cpu('bilat', largest, 'edit1'))}) vs first build {secs(first)}: {ratio(edit, first)}; "
      f"output files rewritten: {ew[-1]['rewritten']} of {ew[-1]['files']}.")

serve_file = res / "serve.txt"
serve_median = None
if serve_file.exists():
    lines = serve_file.read_text().splitlines()
    summary_line = next((l for l in lines if l.startswith("edit to page:")), None)
    if summary_line:
        import re
        m = re.search(r"median ([0-9.]+) ms", summary_line)
        serve_median = float(m.group(1)) if m else None
        p("")
        p(f"`bilat serve` on {serve_n:,} entries, an entry edited and its open page woken by live reload "
          f"(examples/serve_latency.rs): {summary_line[len('edit to page: '):]}.")

if stages:
    names = []
    for s in stages:
        if s["stage"] not in names:
            names.append(s["stage"])
    p("")
    p("`bilat build --timings` phase medians (ms), first builds:")
    p("")
    p("| entries | " + " | ".join(names) + " |")
    p("|---:|" + "---:|" * len(names))
    for n in sizes:
        row = []
        for st in names:
            xs = [float(s["ms"]) for s in stages if int(s["entries"]) == n and s["stage"] == st and s["round"].endswith("-build")]
            row.append(f"{statistics.median(xs):.1f}" if xs else "–")
        p(f"| {n:,} | " + " | ".join(row) + " |")
    row = []
    for st in names:
        xs = [float(s["ms"]) for s in stages if int(s["entries"]) == largest and s["stage"] == st and s["round"].endswith("-rebuild")]
        row.append(f"{statistics.median(xs):.1f}" if xs else "–")
    if any(x != "–" for x in row):
        p(f"| {largest:,} unchanged rebuild | " + " | ".join(row) + " |")

if shape:
    p("")
    p("| corpus | entries | source files | source bytes | output files | output bytes | largest file | largest outside /data/ | page cache |")
    p("|---|---:|---:|---:|---:|---:|---|---|---:|")
    def file_cell(cell):
        size, _, path = cell.partition(" ")
        return f"{int(size):,} B `{path}`" if size.isdigit() else "–"
    for tool, n, sf, sb, of, ob, big, big_page, cache in shape:
        share = f"{int(cache):,} B ({int(cache) / int(ob):.1%})" if int(cache) else "–"
        p(f"| {tool} | {int(n):,} | {int(sf):,} | {int(sb):,} | {int(of):,} | {int(ob):,} | {file_cell(big)} | {file_cell(big_page)} | {share} |")

checks = []
def check(name, value, limit, shown):
    if value is not None:
        checks.append((name, shown, value <= limit))
bw10, hw10 = med("bilat", 10000, "build", "wall_s"), med("hugo", 10000, "build", "wall_s")
if bw10 is not None and hw10:
    check("10,000 entries: wall ≤ 0.15× Hugo", bw10 / hw10, 0.15, f"{bw10 / hw10:.2f}× ({secs(bw10)} vs {secs(hw10)})")
rss10 = med("bilat", 10000, "build", "max_rss_kb")
if rss10 is not None:
    check("10,000 entries: peak memory ≤ 250 MiB", rss10 / 1024, 250, mib(rss10))
w50 = med("bilat", 50, "build", "wall_s")
if w50 is not None:
    check("50 entries: ≤ 50 ms wall", w50 * 1000, 50, secs(w50))
w1k = med("bilat", 1000, "build", "wall_s")
if w1k and bw10 is not None:
    check("growth 1,000 → 10,000 entries ≤ 10×", bw10 / w1k, 10, f"{bw10 / w1k:.1f}× ({secs(w1k)} → {secs(bw10)})")
if first and rebuild is not None and largest == 10000:
    check("unchanged 10,000-entry rebuild ≤ 0.5× first build", rebuild / first, 0.5, f"{rebuild / first:.2f}×")
if serve_median is not None and serve_n == 10000:
    check("serve: one-entry edit on 10,000 entries reaches the open page ≤ 50 ms", serve_median, 50, f"{serve_median:.0f} ms (median)")
# Issue 14: 100,000 entries linear in time, under 1 GiB, no file growing with the site.
bw100, rss100 = med("bilat", 100000, "build", "wall_s"), med("bilat", 100000, "build", "max_rss_kb")
if bw100 is not None and bw10:
    check("100,000 entries: wall ≤ 11× the 10,000-entry build", bw100 / bw10, 11, f"{bw100 / bw10:.1f}× ({secs(bw10)} → {secs(bw100)})")
if rss100 is not None:
    check("100,000 entries: peak memory ≤ 1 GiB", rss100 / 1024, 1024, mib(rss100))
if first and rebuild is not None and largest == 100000:
    check("unchanged 100,000-entry rebuild ≤ 0.3× its cold build", rebuild / first, 0.3, f"{rebuild / first:.2f}×")
for tool, n, sf, sb, of, ob, big, big_page, cache in shape:
    if tool != "bilat":
        continue
    size = big_page.partition(" ")[0]
    if size.isdigit():
        check(f"{int(n):,} entries: no file outside /data/ over 1 MiB", int(size) / 1048576, 1, f"{int(size) / 1048576:.2f} MiB `{big_page.partition(' ')[2]}`")
    if int(cache):
        check(f"{int(n):,} entries: page cache ≤ 5% of the output", int(cache) / int(ob), 0.05, f"{int(cache) / int(ob):.1%}")
if checks:
    p("")
    p("| target (issues 4, 14) | measured | |")
    p("|---|---:|---|")
    for name, shown, ok in checks:
        p(f"| {name} | {shown} | {'met' if ok else 'MISSED'} |")

text = "\n".join(out) + "\n"
(res / "summary.md").write_text(text)
print(text)
sys.exit(3 if strict and not all(ok for _, _, ok in checks) else 0)
PY
log "results saved in $RESULTS"
exit "$status"
