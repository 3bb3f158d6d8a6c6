#!/usr/bin/env bash
# run.sh — the browser suites (journeys, accessibility, weight, HTML
# validity) with node's test runner, ending with one line:
#     browser: N passed, N failed
#
# Against KHIBRA_TEST_URL (and KHIBRA_TEST_DATA, the server's --data, for
# the mail outbox) when set; the server needs `khibra demo` data.  When
# KHIBRA_TEST_URL is not set, starts its own server on a free loopback port
# with a fresh SQLite database and demo data, from KHIBRA_BIN (default
# build/khibra), and stops it at the end.
#
# Needs node 20, npm packages (npm ci), /usr/bin/chromium and tidy:
# scripts/install-browser-deps.sh installs what is missing.
# Arguments, if any: the test files to run (default: all of tests/browser/).
# Screenshots: tests/artifacts/screenshots/.  Full TAP output:
# tests/artifacts/browser.tap.
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
mkdir -p tests/artifacts
TAP=tests/artifacts/browser.tap
SERVER_PID=
TMP=

cleanup() {
  if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; fi
  [ -n "$TMP" ] && rm -rf "$TMP"
}
trap cleanup EXIT

if [ -z "${KHIBRA_TEST_URL:-}" ]; then
  BIN=${KHIBRA_BIN:-build/khibra}
  [ -x "$BIN" ] || { echo "run.sh: $BIN not built (make), or set KHIBRA_TEST_URL"; echo "browser: 0 passed, 1 failed"; exit 1; }
  TMP=$(mktemp -d /tmp/khibra-browser.XXXXXX)
  port=0
  for _ in $(seq 1 50); do
    p=$((12000 + RANDOM % 8000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
  done
  "$BIN" demo --db "sqlite:$TMP/k.db" --data "$TMP" >"$TMP/demo.log" 2>&1 || { cat "$TMP/demo.log"; echo "browser: 0 passed, 1 failed"; exit 1; }
  KHIBRA_TRUST_PROXY=1 KHIBRA_LOCALEDIR="${KHIBRA_LOCALEDIR:-$(dirname "$BIN")/locale}" KHIBRA_ACCESS_LOG=0 \
    "$BIN" serve --listen "127.0.0.1:$port" --db "sqlite:$TMP/k.db" --data "$TMP" >"$TMP/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  export KHIBRA_TEST_URL="http://127.0.0.1:$port" KHIBRA_TEST_DATA="$TMP"
fi

rm -rf tests/artifacts/screenshots
START=$(date +%s)
# Each file runs in its own process with its own Chromium; three at a time
# (KHIBRA_BROWSER_FILES): the journeys mostly wait on pages and screenshots.
# Arguments: only these test files (e.g. tests/browser/journeys/help.test.js); default all.
if [ "$#" -gt 0 ]; then set -- "$@"; else set -- tests/browser/; fi
node --test --test-reporter=tap --test-concurrency="${KHIBRA_BROWSER_FILES:-3}" "$@" >"$TAP" 2>&1
rc=$?
# Failures in full, then the totals (leaf tests and subtests alike).
grep -E '^\s*not ok' -A 24 "$TAP" | grep -vE '^\s+(at |stack:|location:|code:|duration_ms:|failureType:)' | head -n 200
passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$TAP" | tail -n 1)
failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$TAP" | tail -n 1)
cancelled=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$TAP" | tail -n 1)
passed=${passed:-0}; failed=$(( ${failed:-0} + ${cancelled:-0} ))
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then tail -n 30 "$TAP"; failed=1; fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then tail -n 30 "$TAP"; failed=1; fi
echo "== browser suites took $(( $(date +%s) - START )) s; screenshots in tests/artifacts/screenshots/"
echo "browser: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
