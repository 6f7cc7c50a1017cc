#!/usr/bin/env bash
# Listing at scale: generates N synthetic sessions (default 10,000) in a private folder, then
# measures `sessions list` (cold: no index; warm: index current) and the sessions browser's
# first frame and memory in a pseudo-terminal with the shared tuiharness.
#
#   scripts/bench-sessions.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
cargo build --release --quiet
APP=$PWD/target/release/sdcoach
HOME_DIR=$(mktemp -d)
trap 'rm -rf "$HOME_DIR"' EXIT
export SDCOACH_DATA_DIR="$HOME_DIR/data" SDCOACH_CONFIG_DIR="$HOME_DIR/config"
"$APP" sessions generate "$N" >/dev/null
echo "== sessions list, $N sessions (wall seconds, peak KB)"
/usr/bin/time -f "cold (builds the index): %e s, %M KB" "$APP" sessions list >/dev/null
for i in 1 2 3; do
  /usr/bin/time -f "warm: %e s, %M KB" "$APP" sessions list >/dev/null
done
VENV=target/tuiharness-venv
[ -x "$VENV/bin/python" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q pyte; }
H=("$VENV/bin/python" ../shared/tools/tuiharness/tuiharness.py)
ENV=(--env "SDCOACH_DATA_DIR=$SDCOACH_DATA_DIR" --env "SDCOACH_CONFIG_DIR=$SDCOACH_CONFIG_DIR")
echo "== sessions browser (sdcoach review)"
"${H[@]}" startup -q "${ENV[@]}" --size 120x40 --until 'Saved sessions' --runs 10 -- "$APP" review | grep -v '^{'
"${H[@]}" rss -q "${ENV[@]}" --size 120x40 --ready 'Saved sessions' --runs 3 -- "$APP" review | grep -v '^{'
