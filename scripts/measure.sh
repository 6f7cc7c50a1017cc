#!/usr/bin/env bash
# Whole-process figures for the release binary, measured in a pseudo-terminal with the shared
# tuiharness (../shared/tools/tuiharness): first frame, keystroke latency, idle CPU with the
# clock running, and memory at Home. Results are written to docs/performance.md by hand.
#
#   scripts/measure.sh            # all five
#   scripts/measure.sh startup    # one of: startup keylat keylat-big idle rss
#
# keylat-big resumes a session whose first field holds 10,000 lines (made from
# tests/fixtures/session.toml), to show that typing cost does not grow with the answer.
set -euo pipefail
cd "$(dirname "$0")/.."
HARNESS=../shared/tools/tuiharness/tuiharness.py
VENV=target/tuiharness-venv
[ -x "$VENV/bin/python" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q pyte; }
cargo build --release --quiet
APP=target/release/sdcoach
HOME_DIR=$(mktemp -d)
trap 'rm -rf "$HOME_DIR"' EXIT
H=("$VENV/bin/python" "$HARNESS")
ENV=(--env "SDCOACH_DATA_DIR=$HOME_DIR/data" --env "SDCOACH_CONFIG_DIR=$HOME_DIR/config")
# Practice screen: the opening pop-up closes with Esc; the footer then shows "next step".
PRACTICE=(--ready 'Esc closes' --pre-keys '{Esc}' --pre-wait 'next step')
what=${1:-all}
if [ "$what" = all ] || [ "$what" = startup ]; then
  "${H[@]}" startup -q "${ENV[@]}" --size 120x40 --until 'Start a practice' -- "$APP" | grep -v '^{'
fi
if [ "$what" = all ] || [ "$what" = keylat ]; then
  "${H[@]}" keylat -q "${ENV[@]}" --size 200x60 "${PRACTICE[@]}" --match typed \
    --mask 'step [+]?\d\d:\d\d' --mask 'total \d\d:\d\d/\d\d:\d\d' --mask 'used \d\d:\d\d' \
    --mask 'saved|editing' -- "$APP" practice url-shortener | grep -v '^{'
fi
if [ "$what" = all ] || [ "$what" = keylat-big ]; then
  BIG=$(mktemp -d)
  mkdir -p "$BIG/data/sessions" "$BIG/config"
  python3 - "$BIG/data/sessions/20261124-093000-url-shortener.toml" <<'PY'
import re, sys
s = open("tests/fixtures/session.toml").read()
s = s.replace('status = "finished"', 'status = "in-progress"').replace("current = 5", "current = 0")
body = "\n".join(f"{i} Users should be able to shorten a long URL and share it; the redirect stays fast."
                 for i in range(10000))
s = re.sub(r'text = """\n.*?"""', lambda _: 'text = """\n' + body + '"""', s, count=1, flags=re.S)
open(sys.argv[1], "w").write(s)
PY
  "${H[@]}" keylat -q --env "SDCOACH_DATA_DIR=$BIG/data" --env "SDCOACH_CONFIG_DIR=$BIG/config" \
    --size 200x60 --ready 'next step' --match typed \
    --mask 'step [+]?\d\d:\d\d' --mask 'total \d\d:\d\d/\d\d:\d\d' --mask 'used \d\d:\d\d' \
    --mask 'saved|editing' -- "$APP" practice --resume | grep -v '^{'
  rm -rf "$BIG"
fi
if [ "$what" = all ] || [ "$what" = idle ]; then
  "${H[@]}" idle -q "${ENV[@]}" --size 120x40 "${PRACTICE[@]}" --seconds 10 \
    -- "$APP" practice url-shortener | grep -v '^{'
fi
if [ "$what" = all ] || [ "$what" = rss ]; then
  "${H[@]}" rss -q "${ENV[@]}" --size 120x40 --ready 'Start a practice' -- "$APP" | grep -v '^{'
fi
