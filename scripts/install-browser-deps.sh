#!/usr/bin/env bash
# install-browser-deps.sh — what the browser suites (tests/browser) need,
# installed only when missing; safe to run again and again:
#   Debian's chromium (/usr/bin/chromium: never a downloaded browser) and
#   tidy (HTML validity), and the npm packages pinned in package-lock.json
#   (playwright-core, axe-core), with `npm ci` when node_modules is missing
#   or older than package-lock.json.
set -eu
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v tidy >/dev/null 2>&1 || missing+=(tidy)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-browser-deps: apt-get install ${missing[*]}"
  SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm ci when node_modules is missing, or package-lock.json changed since
# the last install (npm writes node_modules/.package-lock.json).
stamp=node_modules/.package-lock.json
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "install-browser-deps: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
