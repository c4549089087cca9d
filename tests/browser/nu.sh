#!/usr/bin/env bash
# The Nu HTML Checker (vnu.jar from the npm package vnu-jar, pinned in package.json) over every
# HTML page of the built bundled site, in every language (en, ur, zh): any error fails.
# Usage: tests/browser/nu.sh [SITE_DIR]   (without SITE_DIR, builds the bundled site first).
# Fails loudly when java (Debian: default-jre-headless), node/npm or vnu.jar is missing.
# Respects CARGO_TARGET_DIR.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

for tool in java node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "tests/browser/nu.sh: '$tool' is not installed (apt-get install default-jre-headless nodejs npm); cannot run the Nu HTML Checker" >&2
    exit 1
  fi
done

jar="$here/node_modules/vnu-jar/build/dist/vnu.jar"
if [ ! -f "$jar" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --silent)
fi
if [ ! -f "$jar" ]; then
  echo "tests/browser/nu.sh: $jar is missing after npm ci (the vnu-jar package); cannot run the Nu HTML Checker" >&2
  exit 1
fi

site="${1:-}"
if [ -z "$site" ]; then
  target="${CARGO_TARGET_DIR:-$repo/target}"
  (cd "$repo" && cargo build --release --quiet)
  site="$target/nu/site"
  rm -rf "$site"
  "$target/release/bilat" build --root "$repo" --output "$site"
fi

pages="$(find "$site" -name '*.html' | wc -l)"
languages="$(find "$site" -maxdepth 1 -type d \( -name ur -o -name zh \) | wc -l)"
if [ "$pages" -eq 0 ] || [ "$languages" -ne 2 ]; then
  echo "tests/browser/nu.sh: $site has $pages HTML pages and $languages of the ur/zh folders; nothing to check" >&2
  exit 1
fi

report="$(mktemp)"
trap 'rm -f "$report"' EXIT
status=0
# --format gnu: one line per message, on stderr. Warnings are printed but do not fail.
java -Xss8m -jar "$jar" --skip-non-html --format gnu "$site" 2>"$report" || status=$?
errors="$(grep -c ': error: \|: fatal: ' "$report" || true)"
warnings="$(grep -c ': warning: \|: info warning: ' "$report" || true)"
cat "$report" >&2
echo "Nu HTML Checker: $pages pages, $errors errors, $warnings warnings"
if [ "$errors" -ne 0 ] || [ "$status" -ne 0 ]; then
  echo "tests/browser/nu.sh: the Nu HTML Checker found errors (exit status $status)" >&2
  exit 1
fi
