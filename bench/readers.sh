#!/usr/bin/env bash
# What readers load at scale (issue 13), at 10k and 100k records by default:
#
#     bench/readers.sh                  # sizes "10000 100000"
#     bench/readers.sh --sizes "10000"
#     bench/run.sh --readers ...        # the same, from the build benchmark's entry point
#
# Per size: writes the synthetic corpus (examples/corpus.rs) to a tmpfs, builds it with the release
# bilat, and reports the largest HTML page, the largest file outside /data/, the sitemap's files,
# the search index's files and total size, the build time, and (with chromium and node) the bytes a
# search query transfers and its time from the last key to the first result, measured in the
# browser by bench/readers.mjs, each against its target from issue 13 with a verdict: every HTML
# page under 500 KB, no file but /data/ over 1 MiB, a query at most 300 KB and answered within
# 100 ms. Exit status 0 when every build succeeded; 1 otherwise.
set -euo pipefail
SIZES="10000 100000"
WORK=/dev/shm/bilat-readers
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    *) echo "usage: bench/readers.sh [--sizes \"N ...\"] [--work DIR]" >&2; exit 2 ;;
  esac
done
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
(cd "$ROOT" && cargo build --release --quiet --bin bilat --example corpus)
BILAT=$TARGET/release/bilat
mkdir -p "$WORK"
for n in $SIZES; do
  site=$WORK/c$n
  rm -rf "$site"
  "$TARGET/release/examples/corpus" --entries "$n" --out "$site" >/dev/null
  start=$(date +%s.%N)
  "$BILAT" build --root "$site" --output "$site/public" >/dev/null 2>"$WORK/build-$n.log" || { tail -5 "$WORK/build-$n.log"; exit 1; }
  end=$(date +%s.%N)
  cd "$site/public"
  largest_html=$(find . -name '*.html' -printf '%s %p\n' | sort -n | tail -1)
  # The page cache (.public.bilat-cache beside the output, inside it in older builds) is
  # bilat's own, not the site's: reported apart.
  largest_other=$(find . -type f -not -path './data/*' -not -name .bilat-cache.json -printf '%s %p\n' | sort -n | tail -1)
  cache=$({ stat -c %s ../.public.bilat-cache ../.public.bilat-cache.json .bilat-cache.json 2>/dev/null || true; } | head -1)
  cache=${cache:-0}
  search_files=$(find search -type f | wc -l)
  search_bytes=$(du -sb search | cut -f1)
  shard_max=$(find search/i -type f -printf '%s\n' | sort -n | tail -1)
  meta=$(stat -c %s search/index.json)
  cd - >/dev/null
  html_bytes=${largest_html%% *}
  other_bytes=${largest_other%% *}
  verdict() { if [ "$1" -le "$2" ]; then echo "met"; else echo "NOT MET"; fi; }
  echo "== $n records: built in $(echo "$end - $start" | bc) s"
  echo "largest HTML page:        $largest_html (target < 500 KB: $(verdict "$html_bytes" 512000))"
  echo "largest file but /data/:  $largest_other (target < 1 MiB: $(verdict "$other_bytes" 1048576))"
  echo "  HTML page but /timeline/: $(cd "$site/public" && find . -name '*.html' -not -path './timeline/*' -not -path './*/timeline/*' -printf '%s %p\n' | sort -n | tail -1) (the largest beside the timeline)"
  echo "sitemap:                  $(ls "$site/public"/sitemap*.xml | wc -l) file(s), the largest $(ls -S "$site/public"/sitemap*.xml | head -1 | xargs stat -c '%s bytes'); $(cat "$site/public"/sitemap*.xml | grep -o '<url>' | wc -l) URLs"
  echo "page cache:               $cache bytes (.public.bilat-cache beside the output, bilat's own file)"
  echo "search index:             $search_files files, $search_bytes bytes; index.json $meta bytes, largest shard $shard_max bytes"
  if command -v chromium >/dev/null && command -v node >/dev/null && [ -d "$ROOT/tests/browser/node_modules/playwright-core" ]; then
    # Queries: a whole name, a name prefix being typed, a typo, a year, two body words.
    name=$(sed -n 's/^name: *//p' "$(find "$site/content/officials" -name '*.md' | sort | head -1)" | tr -d '"')
    last=${name##* }
    typo=${last:0:2}${last:3}
    QUERIES="$name|${last:0:4}|$typo|2019|the corridor|$last" \
      SITE="$site/public" BROWSER_DIR="$ROOT/tests/browser" CHROMIUM="$(command -v chromium)" \
      node "$ROOT/bench/readers.mjs" > "$WORK/queries-$n.log"
    grep -v '^{' "$WORK/queries-$n.log" | sed 's/^/  /'
    summary=$(grep '^{' "$WORK/queries-$n.log")
    max_bytes=$(echo "$summary" | sed 's/.*"max_bytes":\([0-9]*\).*/\1/')
    max_ms=$(echo "$summary" | sed 's/.*"max_ms":\([0-9null]*\).*/\1/')
    median_ms=$(echo "$summary" | sed 's/.*"median_ms":\([0-9null]*\).*/\1/')
    unanswered=$(echo "$summary" | sed 's/.*"unanswered":\([0-9]*\).*/\1/')
    echo "bytes a query transfers:  $max_bytes at most (target <= 300 KB: $(verdict "$max_bytes" 307200))"
    if [ "$max_ms" = null ] || [ "$unanswered" != 0 ]; then
      echo "query latency:            $unanswered queries unanswered (target <= 100 ms: NOT MET)"
    else
      echo "query latency:            median $median_ms ms, at most $max_ms ms from the last key to the first result (target <= 100 ms: $(verdict "$max_ms" 100)); load $(cut -d' ' -f1 /proc/loadavg)"
    fi
  else
    echo "  (no chromium, node or tests/browser/node_modules: search transfer and latency not measured)"
  fi
done
