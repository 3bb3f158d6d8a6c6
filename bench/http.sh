#!/usr/bin/env bash
# bench/http.sh — a benchmark, not a test: how fast does khibra serve its home
# page compared with nginx serving a static file of the same size?
#
#   bench/http.sh            (or: make bench)
#
# Installs wrk and nginx if missing (Debian, as root or through sudo), starts
# `build/khibra serve` on a free loopback port with a throw-away SQLite
# database and data directory (migrated, with the demo data), and an nginx with
# its own temporary prefix and config on another loopback port serving a copy
# of the home page.  Then runs wrk against the home page, /healthz and the
# nginx file and prints requests per second and the ratio home / nginx.
# Touches no system configuration; everything it starts is stopped on exit.
#
# Environment: BENCH_DURATION (default 10s), BENCH_THREADS (2),
# BENCH_CONNECTIONS (64), KHIBRA (the binary, default build/khibra).
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${BENCH_DURATION:-10s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
KHIBRA=${KHIBRA:-build/khibra}
PATH=$PATH:/usr/sbin:/sbin

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"
	elif command -v sudo >/dev/null; then sudo "$@"
	else echo "bench: need root to run: $*" >&2; exit 1; fi
}

# ---- tools ----
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx-light)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
	echo "bench: installing ${missing[*]}"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	# RUNLEVEL=1: the package's scripts must not start the system nginx.
	as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 \
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ ! -x "$KHIBRA" ]; then
	echo "bench: building $KHIBRA"
	make --no-print-directory all >/dev/null
fi

# ---- scratch space, and cleanup of everything started ----
TMP=$(mktemp -d /tmp/khibra-bench.XXXXXX)
chmod 755 "$TMP"   # nginx workers (user nobody when run as root) read www/
KHIBRA_PID=
NGINX_PID=
cleanup() {
	local pid
	for pid in $KHIBRA_PID $NGINX_PID; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in $KHIBRA_PID $NGINX_PID; do
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null || true
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port: a loopback TCP port nobody listens on.
free_port() {
	local port
	for _ in $(seq 100); do
		port=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return 0
		fi
	done
	echo "bench: no free port found" >&2
	return 1
}

# wait_http URL SECONDS: until URL answers 200, or fail.
wait_http() {
	local deadline=$((SECONDS + $2))
	while [ $SECONDS -lt $deadline ]; do
		curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null && return 0
		sleep 0.2
	done
	return 1
}

# ---- khibra ----
APP_PORT=$(free_port)
DB="sqlite:$TMP/khibra.db"
mkdir -p "$TMP/data"
"$KHIBRA" migrate --db "$DB" >"$TMP/migrate.log" 2>&1 || { cat "$TMP/migrate.log" >&2; exit 1; }
"$KHIBRA" demo --db "$DB" --data "$TMP/data" >"$TMP/demo.log" 2>&1 || { cat "$TMP/demo.log" >&2; exit 1; }
"$KHIBRA" serve --listen "127.0.0.1:$APP_PORT" --db "$DB" --data "$TMP/data" \
	>"$TMP/khibra.log" 2>&1 &
KHIBRA_PID=$!
if ! wait_http "http://127.0.0.1:$APP_PORT/healthz" 20; then
	echo "bench: khibra did not answer on 127.0.0.1:$APP_PORT" >&2
	tail -n 20 "$TMP/khibra.log" >&2
	exit 1
fi

# ---- nginx, serving the home page as a static file of the same size ----
mkdir -p "$TMP/www" "$TMP/nginx/logs" "$TMP/nginx/tmp"
curl -fsS --max-time 10 -o "$TMP/www/home.html" "http://127.0.0.1:$APP_PORT/"
chmod 755 "$TMP/www"
chmod 644 "$TMP/www/home.html"
HOME_BYTES=$(wc -c <"$TMP/www/home.html")
NGINX_PORT=$(free_port)
cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $TMP/nginx/tmp/body;
	proxy_temp_path $TMP/nginx/tmp/proxy;
	fastcgi_temp_path $TMP/nginx/tmp/fastcgi;
	uwsgi_temp_path $TMP/nginx/tmp/uwsgi;
	scgi_temp_path $TMP/nginx/tmp/scgi;
	types { text/html html; }
	default_type application/octet-stream;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	server {
		listen 127.0.0.1:$NGINX_PORT;
		root $TMP/www;
	}
}
EOF
nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/logs/error.log" \
	>"$TMP/nginx/logs/stdout.log" 2>&1 &
NGINX_PID=$!
if ! wait_http "http://127.0.0.1:$NGINX_PORT/home.html" 10; then
	echo "bench: nginx did not start" >&2
	cat "$TMP/nginx/logs/error.log" "$TMP/nginx/logs/stdout.log" >&2 || true
	exit 1
fi

# ---- measure ----
# run_wrk NAME URL: prints requests/s (integer) and warns about errors.
run_wrk() {
	local out rps
	out=$(timeout 60 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "$2" 2>&1) || {
		echo "bench: wrk failed on $1:" >&2; echo "$out" >&2; echo 0; return; }
	if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
		echo "bench: $1: $(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ')" >&2
	fi
	rps=$(awk '/^Requests\/sec:/ { printf "%d", $2 }' <<<"$out")
	echo "${rps:-0}"
}

echo "bench: home page is $HOME_BYTES bytes; wrk -t$THREADS -c$CONNECTIONS -d$DURATION on 127.0.0.1" >&2
HOME_RPS=$(run_wrk home "http://127.0.0.1:$APP_PORT/")
HEALTH_RPS=$(run_wrk healthz "http://127.0.0.1:$APP_PORT/healthz")
NGINX_RPS=$(run_wrk nginx "http://127.0.0.1:$NGINX_PORT/home.html")
RATIO=$(awk -v h="$HOME_RPS" -v n="$NGINX_RPS" 'BEGIN { if (n > 0) printf "%.2f", h / n; else print "n/a" }')
echo "home $HOME_RPS req/s, healthz $HEALTH_RPS req/s, nginx $NGINX_RPS req/s, ratio $RATIO"
