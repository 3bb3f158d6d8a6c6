#!/usr/bin/env bash
# run-all.sh — everything `make check` runs, in order, ending with one line:
#     check: N passed, N failed
#
#  1. unit tests (Criterion) — pure logic;
#  2. a throwaway PostgreSQL 15 (scripts/pg-test.sh), then for SQLite and for
#     PostgreSQL: the store tests, and the HTTP integration tests against a
#     real `khibra serve` on a free loopback port;
#  3. the same again with the ASan/UBSan build (LeakSanitizer on: a leak at
#     the server's clean SIGTERM exit fails the run);
#  4. a short run of every fuzz target (tests/fuzz/run.sh);
#  5. a subset of the HTTP tests against a server under valgrind's memcheck
#     (no invalid access, no definite or indirect leak; tests/valgrind.supp
#     holds third-party noise only; bench/valgrind runs them all);
#  and, with the normal build: the browser suites (tests/browser) and the
#  durability suite (tests/durability).
#
# KHIBRA_CHECK_QUICK=1 skips the sanitizer pass and the fuzzing.
set -u
cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
TMP=$(mktemp -d /tmp/khibra-check.XXXXXX)
chmod 755 "$TMP"
PASSED=0
FAILED=0
FAILURES=()
SERVER_PID=

cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
  scripts/pg-test.sh stop "$TMP/pg" >/dev/null 2>&1
  rm -rf "$TMP"
}
trap cleanup EXIT

say() { printf '%s\n' "$*"; }

# count: add a suite's figures to the totals.
count() { # name passed failed
  PASSED=$((PASSED + $2))
  FAILED=$((FAILED + $3))
  if [ "$3" -gt 0 ]; then FAILURES+=("$1"); fi
  say "== $1: $2 passed, $3 failed"
}

# criterion: run a Criterion binary and count its synthesis line.
criterion() { # name binary [env…]
  local name=$1 bin=$2; shift 2
  local log="$TMP/$(echo "$name" | tr ' /' '__').log"
  env LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0" "$@" "$bin" --jobs=2 >"$log" 2>&1
  local rc=$?
  local line
  line=$(grep -a 'Synthesis:' "$log" | tail -n 1)
  local tested passing
  tested=$(sed -n 's/.*Tested: \([0-9]*\).*/\1/p' <<<"$line")
  passing=$(sed -n 's/.*Passing: \([0-9]*\).*/\1/p' <<<"$line")
  tested=${tested:-0}; passing=${passing:-0}
  local failed=$((tested - passing))
  if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  # Criterion runs each test in a child process: a leak or undefined
  # behaviour found there is printed but does not fail the test.  It fails
  # the suite here.
  if grep -a -q -E 'ERROR: LeakSanitizer|runtime error:|ERROR: AddressSanitizer' "$log"; then
    grep -a -A 12 -E 'ERROR: LeakSanitizer|runtime error:|ERROR: AddressSanitizer' "$log" | head -n 40
    failed=$((failed + 1))
  fi
  if [ "$failed" -gt 0 ] || [ "$tested" -eq 0 ]; then
    grep -a -E '\[(FAIL|----)\]|ERROR|LeakSanitizer|runtime error|Crash' "$log" | head -n 40
    [ "$tested" -eq 0 ] && failed=$((failed > 0 ? failed : 1))
  fi
  count "$name" "$passing" "$failed"
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((10000 + RANDOM % 22000))  # below the ephemeral range
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo 0
}

# with_server: start khibra serve on a database, run the HTTP tests, stop it
# with SIGTERM and check that it exited cleanly (and, under ASan, leak-free).
with_server() { # label build_dir db_url
  local label=$1 build=$2 url=$3
  local port data log
  port=$(free_port)
  data="$TMP/data-$(echo "$label" | tr ' /' '__')"
  log="$data.server.log"
  mkdir -p "$data"
  KHIBRA_TRUST_PROXY=1 KHIBRA_LOCALEDIR="$ROOT/build/locale" KHIBRA_ACCESS_LOG=0 \
    ASAN_OPTIONS=detect_leaks=1 \
    "$build/khibra" serve --listen "127.0.0.1:$port" --db "$url" --data "$data" >"$log" 2>&1 &
  SERVER_PID=$!
  local up=0
  for _ in $(seq 1 100); do
    if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then up=1; break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [ "$up" -ne 1 ]; then
    say "server for $label did not start:"; tail -n 20 "$log"
    count "http $label" 0 1
    kill "$SERVER_PID" 2>/dev/null; SERVER_PID=
    return
  fi
  # Full unwinding for the HTTP tests' allocations: libcriterion has no frame
  # pointers, so the fast unwinder stops in it and the runner's own leak
  # would not show the frame tests/lsan.supp names.
  criterion "http $label" "$build/http-tests" ASAN_OPTIONS=fast_unwind_on_malloc=0 \
    KHIBRA_TEST_URL="http://127.0.0.1:$port" KHIBRA_TEST_DATA="$data" KHIBRA_TEST_BACKEND="$label" KHIBRA_TEST_BIN="$ROOT/$build/khibra" \
    KHIBRA_TEST_DB_URL="$url"
  kill -TERM "$SERVER_PID"
  local rc=0
  wait "$SERVER_PID" || rc=$?
  SERVER_PID=
  if [ "$rc" -ne 0 ] || grep -q -E 'LeakSanitizer|runtime error|AddressSanitizer' "$log"; then
    say "server for $label exited with $rc:"; grep -a -A 30 -E 'LeakSanitizer|runtime error|AddressSanitizer' "$log" | head -n 60
    count "server exit $label" 0 1
  else
    count "server exit $label" 1 0
  fi
}

# suite: the unit, store and HTTP tests of one build on both backends.
suite() { # build_dir tag
  local build=$1 tag=$2
  criterion "unit$tag" "$build/unit-tests" KHIBRA_LOCALEDIR="$ROOT/build/locale"
  criterion "store sqlite$tag" "$build/store-tests" KHIBRA_TEST_DB="sqlite:$TMP/store$tag.db"
  with_server "sqlite$tag" "$build" "sqlite:$TMP/http$tag.db"
  if [ -n "$PG_URL" ]; then
    local db="khibra${tag//[^a-z]/}_$RANDOM"
    psql -q "$PG_URL" -c "CREATE DATABASE $db" >/dev/null 2>&1
    local url="${PG_URL%/*}/$db"
    criterion "store postgres$tag" "$build/store-tests" KHIBRA_TEST_DB="$url"
    with_server "postgres$tag" "$build" "$url"
  fi
}

START=$(date +%s)
say "== starting PostgreSQL 15 for the tests"
PG_URL=$(scripts/pg-test.sh start "$TMP/pg") || { PG_URL=; count "postgres start" 0 1; }

suite build ""

# durability: SIGKILL while clients write; every acknowledged write survives.
durability() { # label url
  local out
  out=$(tests/durability/run.sh build "$2" 5 2>&1)
  local line
  line=$(grep -E '^durability: [0-9]+ passed' <<<"$out" | tail -n 1)
  local p f
  p=$(sed -n 's/durability: \([0-9]*\) passed.*/\1/p' <<<"$line"); f=$(sed -n 's/.*passed, \([0-9]*\) failed/\1/p' <<<"$line")
  [ -z "$line" ] && { p=0; f=1; }
  [ "$f" -gt 0 ] && grep -v '^durability: [0-9]* passed' <<<"$out" | tail -n 10
  count "durability $1" "${p:-0}" "${f:-1}"
}
# browser: playwright-core driving Debian's chromium against a server with
# the demo data — journeys, accessibility (axe-core), weight, HTML validity.
browser() {
  local port data log
  port=$(free_port)
  data="$TMP/data-browser"
  log="$data.server.log"
  mkdir -p "$data"
  build/khibra demo --db "sqlite:$TMP/browser.db" --data "$data" >"$TMP/browser-demo.log" 2>&1 ||
    { tail -n 5 "$TMP/browser-demo.log"; count "browser" 0 1; return; }
  KHIBRA_TRUST_PROXY=1 KHIBRA_LOCALEDIR="$ROOT/build/locale" KHIBRA_ACCESS_LOG=0 \
    build/khibra serve --listen "127.0.0.1:$port" --db "sqlite:$TMP/browser.db" --data "$data" >"$log" 2>&1 &
  SERVER_PID=$!
  local out line p f
  out=$(KHIBRA_TEST_URL="http://127.0.0.1:$port" KHIBRA_TEST_DATA="$data" tests/browser/run.sh 2>&1)
  kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
  line=$(grep -E '^browser: [0-9]+ passed' <<<"$out" | tail -n 1)
  p=$(sed -n 's/browser: \([0-9]*\) passed.*/\1/p' <<<"$line"); f=$(sed -n 's/.*passed, \([0-9]*\) failed/\1/p' <<<"$line")
  if [ -z "$line" ]; then p=0; f=1; fi
  [ "$f" -gt 0 ] && grep -v '^browser: ' <<<"$out" | tail -n 40
  count "browser" "${p:-0}" "${f:-1}"
}
if command -v node >/dev/null && [ -d node_modules/playwright-core ] && [ -x /usr/bin/chromium ]; then
  browser
else
  say "browser suites need node, node_modules (scripts/install-browser-deps.sh) and /usr/bin/chromium"
  count "browser" 0 1
fi

durability sqlite "sqlite:$TMP/durability.db"
# backup: `khibra backup` makes a copy that opens and holds the same people.
backup_check() {
  local src="$TMP/durability.db" copy="$TMP/backup-copy.db" want got
  want=$(sqlite3 "$src" 'SELECT count(*) FROM users' 2>/dev/null)
  if build/khibra backup --db "sqlite:$src" --to "$copy" >"$TMP/backup.log" 2>&1 &&
     [ "$(sqlite3 "$copy" 'PRAGMA integrity_check' 2>&1)" = ok ] &&
     got=$(sqlite3 "$copy" 'SELECT count(*) FROM users') && [ -n "$want" ] && [ "$got" = "$want" ]; then
    count "backup sqlite" 1 0
  else
    cat "$TMP/backup.log"; say "backup: users $want in the database, ${got:-none} in the copy"
    count "backup sqlite" 0 1
  fi
}
backup_check
if [ -n "$PG_URL" ]; then
  psql -q "$PG_URL" -c "CREATE DATABASE khibra_durability" >/dev/null 2>&1
  durability postgres "${PG_URL%/*}/khibra_durability"
fi
# valgrind: a representative subset of the HTTP tests against the normal
# build under memcheck; any error or definite/indirect leak fails the step.
VALGRIND_SUITES='@(login|me|taxonomy|applications|help)/*'
valgrind_subset() {
  local port data log vlog
  port=$(free_port)
  data="$TMP/data-valgrind"; log="$data.server.log"; vlog="$data.valgrind.log"
  mkdir -p "$data"
  KHIBRA_TRUST_PROXY=1 KHIBRA_LOCALEDIR="$ROOT/build/locale" KHIBRA_ACCESS_LOG=0 \
    valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
    --track-fds=no --suppressions="$ROOT/tests/valgrind.supp" --log-file="$vlog" \
    build/khibra serve --listen "127.0.0.1:$port" --db "sqlite:$TMP/valgrind.db" --data "$data" >"$log" 2>&1 &
  SERVER_PID=$!
  local up=0
  for _ in $(seq 1 120); do   # valgrind needs 10-30 s to start
    if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then up=1; break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.5
  done
  if [ "$up" -ne 1 ]; then
    say "server under valgrind did not start:"; tail -n 20 "$log" "$vlog"
    count "valgrind" 0 1; kill "$SERVER_PID" 2>/dev/null; SERVER_PID=; return
  fi
  criterion "http valgrind" build/http-tests KHIBRA_TEST_URL="http://127.0.0.1:$port" KHIBRA_TEST_DATA="$data" \
    KHIBRA_TEST_BACKEND=sqlite KHIBRA_TEST_BIN="$ROOT/build/khibra" KHIBRA_TEST_DB_URL="sqlite:$TMP/valgrind.db" \
    CRITERION_TEST_PATTERN="$VALGRIND_SUITES"
  kill -TERM "$SERVER_PID"
  local rc=0
  wait "$SERVER_PID" || rc=$?
  SERVER_PID=
  local errors definite
  errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$vlog" | tail -n 1)
  definite=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$vlog" | tail -n 1)
  if [ "$rc" -ne 0 ] || [ "${errors:-1}" != 0 ] || [ "${definite:-0}" != 0 ]; then
    say "server under valgrind exited with $rc, ${errors:-?} errors, ${definite:-?} bytes definitely lost:"
    grep -E '^==[0-9]+== (Invalid|Conditional|Use of|Syscall|Mismatched|[0-9,]+ .*bytes in .* (definitely|indirectly) lost|   (at|by) )' \
      "$vlog" | head -n 60
    count "valgrind" 0 1
  else
    count "valgrind" 1 0
  fi
}
if [ "${KHIBRA_CHECK_QUICK:-0}" != 1 ]; then
  suite build/asan " asan"
  if command -v clang >/dev/null; then
    if tests/fuzz/run.sh 10 >"$TMP/fuzz.log" 2>&1; then
      n=$(grep -c '^fuzz: .* ok' "$TMP/fuzz.log"); count "fuzz smoke" "$n" 0
    else
      cat "$TMP/fuzz.log" | tail -n 30; count "fuzz smoke" "$(grep -c '^fuzz: .* ok' "$TMP/fuzz.log")" 1
    fi
  else
    say "clang is not installed (scripts/install-deps.sh installs it): no fuzzing"; count "fuzz smoke" 0 1
  fi
  if command -v valgrind >/dev/null; then valgrind_subset; else say "valgrind is not installed"; count "valgrind" 0 1; fi
fi

say "== took $(( $(date +%s) - START )) s"
[ ${#FAILURES[@]} -gt 0 ] && say "failed suites: ${FAILURES[*]}"
say "check: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
