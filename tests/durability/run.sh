#!/usr/bin/env bash
# durability/run.sh BUILD_DIR DB_URL [ROUNDS] — nothing acknowledged is lost.
#
# Writers register accounts over HTTP as fast as they can while the server is
# killed with SIGKILL at random moments, ROUNDS times, and restarted.  Every
# registration that was answered 201 must be in the database afterwards (it
# can log in), and on SQLite `PRAGMA integrity_check` must say ok.
# Prints "durability: N passed, N failed" (one check per acknowledged write,
# plus the integrity check).
set -u
build=${1:?build dir}
url=${2:?database url}
rounds=${3:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/khibra-durability.XXXXXX)
chmod 755 "$tmp"
port=$((10000 + RANDOM % 22000))
base="http://127.0.0.1:$port"
server=
writers=()

cleanup() {
  [ ${#writers[@]} -gt 0 ] && kill "${writers[@]}" 2>/dev/null
  [ -n "$server" ] && kill -9 "$server" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

start_server() {
  KHIBRA_LOCALEDIR="$root/build/locale" KHIBRA_ACCESS_LOG=0 KHIBRA_TRUST_PROXY=1 \
    "$root/$build/khibra" serve --listen "127.0.0.1:$port" --db "$url" --data "$tmp/data" >>"$tmp/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do
    curl -fs "$base/healthz" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "durability: the server did not come back"; tail -n 5 "$tmp/server.log"
  return 1
}

# writer N: register accounts in a loop; log the e-mails answered 201.
writer() {
  local n=$1 i=0
  while :; do
    i=$((i + 1))
    local email="d-$n-$i-$RANDOM@example.org"
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H 'Content-Type: application/json' \
      -H "X-Forwarded-For: 127.9.$n.$((i % 250 + 1))" \
      -d "{\"email\":\"$email\",\"password\":\"durable-password-1\",\"name\":\"D $n\",\"role\":\"beneficiary\"}" \
      "$base/api/v1/auth/register" 2>/dev/null)
    [ "$code" = 201 ] && echo "$email" >>"$tmp/acked-$n"
  done
}

mkdir -p "$tmp/data"
"$root/$build/khibra" migrate --db "$url" >/dev/null || { echo "durability: 0 passed, 1 failed"; exit 1; }
start_server || { echo "durability: 0 passed, 1 failed"; exit 1; }
for n in 1 2 3 4; do writer "$n" & writers+=($!); done
for _ in $(seq 1 "$rounds"); do
  sleep "0.$((3 + RANDOM % 7))"
  kill -9 "$server" 2>/dev/null
  wait "$server" 2>/dev/null
  start_server || { echo "durability: 0 passed, 1 failed"; exit 1; }
done
sleep 0.5
kill "${writers[@]}" 2>/dev/null
wait "${writers[@]}" 2>/dev/null
writers=()
kill -9 "$server" 2>/dev/null; wait "$server" 2>/dev/null
start_server || { echo "durability: 0 passed, 1 failed"; exit 1; }

passed=0 failed=0
cat "$tmp"/acked-* 2>/dev/null | sort -u >"$tmp/acked"
# Each acknowledged account must be able to log in now.
while read -r email; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -H "X-Forwarded-For: 127.8.$((RANDOM % 250)).$((RANDOM % 250 + 1))" \
    -d "{\"email\":\"$email\",\"password\":\"durable-password-1\"}" "$base/api/v1/auth/login")
  if [ "$code" = 200 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "lost: $email ($code)"; fi
done <"$tmp/acked"
if [ "${url#sqlite:}" != "$url" ]; then
  kill -TERM "$server"; wait "$server" 2>/dev/null; server=
  ok=$(sqlite3 "${url#sqlite:}" 'PRAGMA integrity_check;' 2>&1)
  if [ "$ok" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "integrity_check: $ok"; fi
fi
echo "durability: $rounds kills, $(wc -l <"$tmp/acked") acknowledged registrations checked"
echo "durability: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 1 ]
