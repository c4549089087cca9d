#!/usr/bin/env bash
# Browser checks: builds the bundled site and the XSS fixture, then opens them in headless Chromium
# (Debian package `chromium`) through playwright-core; runs `bilat serve` for the error overlay.
# Also validates every record and translation, parsed as YAML 1.2, against `bilat schema` (schema.mjs).
# Fails loudly when a tool is missing. Respects CARGO_TARGET_DIR.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

for tool in chromium node npm cargo; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "tests/browser/run.sh: '$tool' is not installed (apt-get install chromium nodejs npm); cannot run the browser checks" >&2
    exit 1
  fi
done

cd "$here"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/ajv ] || [ ! -d node_modules/yaml ] || [ ! -d node_modules/axe-core ]; then
  npm ci --no-audit --no-fund --silent
fi

cd "$repo"
cargo build --release --quiet
target="${CARGO_TARGET_DIR:-$repo/target}"
bilat="$target/release/bilat"
out="$target/browser"
rm -rf "$out"
mkdir -p "$out"
"$bilat" build --root "$repo" --output "$out/site" --base-url http://127.0.0.1:8000
"$bilat" build --root "$repo/tests/fixtures/xss" --output "$out/xss" --base-url http://127.0.0.1:8000

REPO="$repo" BILAT="$bilat" node "$here/schema.mjs"
CHROMIUM="$(command -v chromium)" OUT="$out" REPO="$repo" BILAT="$bilat" node "$here/check.mjs"
CHROMIUM="$(command -v chromium)" OUT="$out" REPO="$repo" node "$here/search.mjs"
CHROMIUM="$(command -v chromium)" OUT="$out" REPO="$repo" node "$here/readers.mjs"
