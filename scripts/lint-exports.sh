#!/usr/bin/env bash
# Exports the fixture sessions with every built-in template and runs markdownlint-cli2 on the
# results. Needs the debug binary (cargo test builds it) and Node.js; installs the pinned
# markdownlint-cli2 from tools/markdownlint/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${SDCOACH_BIN:-${CARGO_TARGET_DIR:-target}/debug/sdcoach}
[ -x "$BIN" ] || cargo build --quiet
if [ ! -x tools/markdownlint/node_modules/.bin/markdownlint-cli2 ]; then
  (cd tools/markdownlint && npm ci --silent --no-audit --no-fund)
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/data/sessions" "$WORK/config" target/lint
cp tests/fixtures/session.toml "$WORK/data/sessions/20261124-093000-url-shortener.toml"
cp tests/fixtures/spec-session.toml "$WORK/data/sessions/20261124-093000-write-through-cache.toml"
export SDCOACH_DATA_DIR="$WORK/data" SDCOACH_CONFIG_DIR="$WORK/config"
rm -f target/lint/*.md
for session in 20261124-093000-url-shortener 20261124-093000-write-through-cache; do
  for template in interview one-pager full-spec; do
    "$BIN" export "$session" --template "$template" -o "target/lint/$session-$template.md" >/dev/null
  done
done
tools/markdownlint/node_modules/.bin/markdownlint-cli2 --config .markdownlint-cli2.jsonc "target/lint/*.md"
