#!/usr/bin/env bash
# install-deps.sh — install the Debian packages Khibra builds, runs and tests
# with, and generate the locales gettext needs.  Idempotent and quick when all
# is present (one dpkg query).  Needs root (or sudo) only when something is
# missing.
set -euo pipefail

PACKAGES=(
  gcc make pkg-config gettext locales gzip
  libmicrohttpd-dev libsqlite3-dev sqlite3 libpq-dev postgresql-15
  libjansson-dev libsodium-dev libcurl4-openssl-dev zlib1g-dev
  libcriterion-dev libicu-dev libvips-dev libical-dev valgrind
  curl                       # the test scripts wait for servers with it
  clang libclang-rt-14-dev   # the fuzz targets (libFuzzer is in libclang-rt)
)

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "install-deps: need root to run: $*" >&2; exit 1; fi
}

missing=()
while read -r name status; do
  [ "$status" = "installed" ] || missing+=("$name")
done < <(for p in "${PACKAGES[@]}"; do
  s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  echo "$p ${s:-absent}"
done)

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# gettext switches language per request with uselocale(): the locales must exist.
need_locales=()
for loc in ar_SA.UTF-8 en_US.UTF-8; do
  norm=$(echo "$loc" | sed 's/UTF-8/utf8/')
  locale -a 2>/dev/null | grep -qx "$norm" || need_locales+=("$loc")
done
if [ ${#need_locales[@]} -gt 0 ]; then
  echo "install-deps: generating locales ${need_locales[*]}"
  for loc in "${need_locales[@]}"; do
    as_root sed -i "s/^# *\\(${loc} UTF-8\\)/\\1/" /etc/locale.gen
    grep -q "^${loc} UTF-8" /etc/locale.gen || echo "${loc} UTF-8" | as_root tee -a /etc/locale.gen >/dev/null
  done
  as_root locale-gen >/dev/null
fi
