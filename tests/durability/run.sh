#!/usr/bin/env bash
# durability/run.sh BUILD_DIR DB_URL [ROUNDS] — nothing acknowledged is lost.
#
# Before the storm the setup makes, through the API, a verified organisation
# (a moderator made with `khibra admin create` verifies it) with an open
# opportunity whose one shift has room for 10,000, two logged-in specialists
# and two logged-in beneficiaries.  Then six writers work over HTTP as fast as
# they can while the server is killed with SIGKILL at random moments, ROUNDS
# times, and restarted:
#   - writers 1 and 2 register accounts;
#   - writers 3 and 4 apply to the shift as the specialists (apply, withdraw,
#     apply again: one live application per person and shift);
#   - writers 5 and 6 file help requests as the beneficiaries.
# Afterwards every registration answered 201 must be able to log in, every
# application and help request answered 201 must be in the database with its
# owner, and on SQLite `PRAGMA integrity_check` must say ok.
# Prints "durability: N passed, N failed" (one check per acknowledged write,
# plus the integrity check).  BUILD_DIR may be relative to the repository or
# absolute.
set -u
build=${1:?build dir}
url=${2:?database url}
rounds=${3:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) bin="$build/khibra" ;; *) bin="$root/$build/khibra" ;; esac
locale="$root/build/locale"
[ -d "$locale" ] || locale="$(dirname "$bin")/locale"
tmp=$(mktemp -d /tmp/khibra-durability.XXXXXX)
chmod 755 "$tmp"
port=$((10000 + RANDOM % 22000))
base="http://127.0.0.1:$port"
server=
writers=()

cleanup() {
  [ ${#writers[@]} -gt 0 ] && kill "${writers[@]}" 2>/dev/null
  [ -n "$server" ] && { kill -9 "$server"; wait "$server"; } 2>/dev/null
  [ "${DURABILITY_KEEP:-0}" = 1 ] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT

give_up() { echo "durability: $*"; echo "durability: 0 passed, 1 failed"; exit 1; }

start_server() {
  KHIBRA_LOCALEDIR="$locale" KHIBRA_ACCESS_LOG=0 KHIBRA_TRUST_PROXY=1 \
    "$bin" serve --listen "127.0.0.1:$port" --db "$url" --data "$tmp/data" >>"$tmp/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do
    curl -fs "$base/healthz" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "durability: the server did not come back"; tail -n 5 "$tmp/server.log"
  return 1
}

# sql: one query on the database, rows as "a|b" lines.
sql() {
  if [ "${url#sqlite:}" != "$url" ]; then sqlite3 "${url#sqlite:}" "$1"
  else psql -q -A -t "$url" -c "$1"; fi
}

# api: METHOD PATH JAR BODY [CSRF] — a JSON call; prints "CODE BODY".
api() {
  local out
  out=$(curl -s --max-time 5 -w '\n%{http_code}' -X "$1" -b "$3" -c "$3" -H 'Content-Type: application/json' \
    -H "X-Forwarded-For: 127.7.$((RANDOM % 250)).$((RANDOM % 250 + 1))" ${5:+-H "X-CSRF-Token: $5"} \
    ${4:+-d "$4"} "$base$2" 2>/dev/null)
  printf '%s %s\n' "${out##*$'\n'}" "${out%$'\n'*}"
}
# field: the first "NAME": value (a number or a string) in a JSON text.
field() { grep -o "\"$1\": *\"\{0,1\}[^\",}]*" <<<"$2" | head -n 1 | sed 's/^[^:]*: *"\{0,1\}//'; }

# login: EMAIL PASSWORD JAR — logs in, prints the CSRF token.
login() {
  local res
  res=$(api POST /api/v1/auth/login "$3" "{\"email\":\"$1\",\"password\":\"$2\"}")
  [ "${res%% *}" = 200 ] || return 1
  field csrf_token "$res"
}

# register: EMAIL ROLE — 0 when answered 201.
register() {
  local res
  res=$(api POST /api/v1/auth/register "$tmp/none.jar" \
    "{\"email\":\"$1\",\"password\":\"durable-password-1\",\"name\":\"D $2\",\"role\":\"$2\"}")
  [ "${res%% *}" = 201 ]
}

# setup: the verified organisation, its open opportunity and the beneficiaries.
setup() {
  local tag=$RANDOM$RANDOM res csrf mcsrf
  printf 'moderator-password-1\n' | "$bin" admin create --email "mod-$tag@example.org" --name "Mod $tag" \
    --db "$url" >/dev/null 2>&1 || { echo "admin create failed"; return 1; }
  start_server || return 1
  register "owner-$tag@example.org" organisation || { echo "owner not registered"; return 1; }
  csrf=$(login "owner-$tag@example.org" durable-password-1 "$tmp/owner.jar") || { echo "owner login"; return 1; }
  res=$(api POST /api/v1/orgs "$tmp/owner.jar" "{\"name\":\"Durable $tag\",\"kind\":\"charity\",\
\"registration_no\":\"D-$tag\",\"city\":\"riyadh\",\"description\":\"Durability test organisation\"}" "$csrf")
  [ "${res%% *}" = 201 ] || { echo "org: $res"; return 1; }
  org=$(field id "$res")
  mcsrf=$(login "mod-$tag@example.org" moderator-password-1 "$tmp/mod.jar") || { echo "moderator login"; return 1; }
  res=$(api POST "/api/v1/admin/orgs/$org/verify" "$tmp/mod.jar" '{"approved":true,"reason":"ok"}' "$mcsrf")
  [ "${res%% *}" = 200 ] || { echo "verify: $res"; return 1; }
  res=$(api POST "/api/v1/orgs/$org/opportunities" "$tmp/owner.jar" "{\"kind\":\"project\",\"domain\":\"technology\",\
\"title\":\"Durable project\",\"description\":\"Many hands\",\"city\":\"riyadh\",\"remote\":true,\
\"starts_at\":\"2030-01-05T08:00:00+03:00\",\"ends_at\":\"2030-01-05T14:00:00+03:00\",\"skills\":[],\
\"shifts\":[{\"starts_at\":\"2030-01-05T08:00:00+03:00\",\"ends_at\":\"2030-01-05T14:00:00+03:00\",\
\"capacity\":10000,\"role\":\"Helper\"}]}" "$csrf")
  [ "${res%% *}" = 201 ] || { echo "opportunity: $res"; return 1; }
  opp=$(field id "$res")
  res=$(api POST "/api/v1/opportunities/$opp/publish" "$tmp/owner.jar" '{}' "$csrf")
  [ "${res%% *}" = 200 ] || { echo "publish: $res"; return 1; }
  res=$(api GET "/api/v1/opportunities/$opp" "$tmp/owner.jar")
  shift_id=$(sed -n 's/.*"shifts": *\[ *{[^}]*"id": *\([0-9]*\).*/\1/p' <<<"$res")
  [ -n "$shift_id" ] || { echo "no shift: $res"; return 1; }
  for n in 3 4 5 6; do   # 3, 4 apply; 5, 6 ask for help
    local role=specialist email="u-$n-$tag@example.org"
    [ "$n" -ge 5 ] && role=beneficiary
    register "$email" "$role" || { echo "$role not registered"; return 1; }
    echo "$email" >"$tmp/user-$n"
    login "$email" durable-password-1 "$tmp/user-$n.jar" >"$tmp/user-$n.csrf" || { echo "$role login"; return 1; }
  done
}

# writer_register N: register specialists in a loop; log the e-mails acked.
writer_register() {
  local n=$1 i=0
  while :; do
    i=$((i + 1))
    local email="d-$n-$i-$RANDOM@example.org"
    register "$email" specialist && echo "$email" >>"$tmp/acked-reg-$n"
  done
}

# writer_apply N: as specialist N, apply to the big shift, withdraw, apply
# again…; log the applications acked.  (One live application per person and
# shift: an apply answered 409 means an earlier one landed unacknowledged —
# find it in /me/applications and withdraw it.)
writer_apply() {
  local n=$1 i=0 email csrf res live=
  email=$(cat "$tmp/user-$n"); csrf=$(cat "$tmp/user-$n.csrf")
  while :; do
    i=$((i + 1))
    if [ -n "$live" ]; then
      res=$(api POST "/api/v1/applications/$live/withdraw" "$tmp/user-$n.jar" '{}' "$csrf")
      case ${res%% *} in 200 | 409) live= ;; *) continue ;; esac
    fi
    res=$(api POST "/api/v1/opportunities/$opp/applications" "$tmp/user-$n.jar" \
      "{\"shift_id\":$shift_id,\"message\":\"count me in $i\"}" "$csrf")
    case ${res%% *} in
    201) live=$(field id "$res"); echo "$live|$email" >>"$tmp/acked-app-$n" ;;
    409) res=$(api GET /api/v1/me/applications?limit=100 "$tmp/user-$n.jar")
         live=$(grep -o "\"id\":[0-9]*,\"opportunity_id\":$opp,\"shift_id\":$shift_id,\"user_id\":[0-9]*,\"status\":\"applied\"" \
           <<<"$res" | head -n 1 | sed 's/"id":\([0-9]*\).*/\1/') ;;
    esac
  done
}

# writer_help N: file help requests as beneficiary N; log what was acked.
writer_help() {
  local n=$1 i=0 email csrf res
  email=$(cat "$tmp/user-$n"); csrf=$(cat "$tmp/user-$n.csrf")
  while :; do
    i=$((i + 1))
    res=$(api POST /api/v1/requests "$tmp/user-$n.jar" "{\"domain\":\"education\",\"title\":\"Help $i\",\
\"details\":\"Durable details $n-$i\",\"city\":\"hail\",\"urgency\":\"normal\"}" "$csrf")
    [ "${res%% *}" = 201 ] && echo "$(field id "$res")|$email" >>"$tmp/acked-help-$n"
  done
}

mkdir -p "$tmp/data"
"$bin" migrate --db "$url" >/dev/null || give_up "migrate failed"
setup >"$tmp/setup.log" 2>&1 || give_up "setup failed: $(tail -n 3 "$tmp/setup.log")"
for n in 1 2; do writer_register "$n" & writers+=($!); done
for n in 3 4; do writer_apply "$n" & writers+=($!); done
for n in 5 6; do writer_help "$n" & writers+=($!); done
for _ in $(seq 1 "$rounds"); do
  sleep "0.$((3 + RANDOM % 7))"
  kill -9 "$server" 2>/dev/null
  wait "$server" 2>/dev/null
  start_server || give_up "restart failed"
done
sleep 0.5
kill "${writers[@]}" 2>/dev/null
wait "${writers[@]}" 2>/dev/null
writers=()
kill -9 "$server" 2>/dev/null; wait "$server" 2>/dev/null
start_server || give_up "restart failed"

passed=0 failed=0
cat "$tmp"/acked-reg-* 2>/dev/null | sort -u >"$tmp/acked"
# Each acknowledged account must be able to log in now.
while read -r email; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -H "X-Forwarded-For: 127.8.$((RANDOM % 250)).$((RANDOM % 250 + 1))" \
    -d "{\"email\":\"$email\",\"password\":\"durable-password-1\"}" "$base/api/v1/auth/login")
  if [ "$code" = 200 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "lost: $email ($code)"; fi
done <"$tmp/acked"
# Each acknowledged application and help request must be there, with its owner.
check_rows() { # kind query
  local acked="$tmp/acked-$1" n lost
  cat "$tmp"/acked-"$1"-* 2>/dev/null | sort -u >"$acked"
  sql "$2" | sort -u >"$tmp/present-$1" || { failed=$((failed + 1)); echo "cannot read the $1 rows"; return; }
  lost=$(comm -23 "$acked" "$tmp/present-$1")
  n=$(wc -l <"$acked")
  if [ -n "$lost" ]; then
    failed=$((failed + $(wc -l <<<"$lost"))); passed=$((passed + n - $(wc -l <<<"$lost")))
    sed "s/^/lost $1: /" <<<"$lost" | head -n 20
  else
    passed=$((passed + n))
  fi
}
check_rows app "SELECT a.id || '|' || u.email FROM applications a JOIN users u ON u.id = a.user_id \
WHERE a.opportunity_id = $opp AND a.shift_id = $shift_id"
check_rows help "SELECT h.id || '|' || u.email FROM help_requests h JOIN users u ON u.id = h.requester_id"
if [ "${url#sqlite:}" != "$url" ]; then
  kill -TERM "$server"; wait "$server" 2>/dev/null; server=
  ok=$(sqlite3 "${url#sqlite:}" 'PRAGMA integrity_check;' 2>&1)
  if [ "$ok" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "integrity_check: $ok"; fi
fi
echo "durability: $rounds kills; acknowledged: $(wc -l <"$tmp/acked") registrations," \
  "$(wc -l <"$tmp/acked-app") applications, $(wc -l <"$tmp/acked-help") help requests"
echo "durability: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 1 ]
