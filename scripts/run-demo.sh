#!/usr/bin/env bash
# run-demo.sh — what `make run` does after building: migrate, load the demo
# data, print the logins, and serve on http://127.0.0.1:8080 (SQLite).
set -euo pipefail
bin=${1:-build/khibra}
db=${KHIBRA_DB:-sqlite:data/khibra.db}
"$bin" migrate --db "$db"
"$bin" demo --db "$db"
echo
echo "Khibra is starting at http://${KHIBRA_LISTEN:-127.0.0.1:8080}  (Ctrl-C stops it)"
exec "$bin" serve --db "$db"
