#!/bin/sh
# tests/fuzz/run.sh [SECONDS] — build every tests/fuzz/NAME_fuzz.c as a
# libFuzzer binary with ASan and UBSan and run it for SECONDS seconds each
# (default 30) on a scratch copy of tests/fuzz/corpus/NAME/, so the corpus in
# the repository never grows.  Prints one line per target:
#     fuzz: NAME ok (N runs)
# and exits non-zero if a target fails to build or finds a crash, a leak,
# undefined behaviour or a timeout (the input is kept as build/fuzz/NAME-crash-…).
#
# Adding a target: drop tests/fuzz/NAME_fuzz.c (defining LLVMFuzzerTestOneInput)
# and seed files in tests/fuzz/corpus/NAME/.  Two comment lines at its top say
# what to link:
#     // fuzz-sources: src/a.c src/b.c     project sources the target needs
#     // fuzz-sources: ALL                  every src/**/*.c but src/cli/main.c, and build/gen/embedded.c
#     // fuzz-libs: jansson                  pkg-config packages (optional)
#     // fuzz-libs: ALL                      the Makefile's PKGS
#
# Environment: FUZZ_CC (default clang), FUZZ_CFLAGS (extra compiler flags).
set -u

seconds=${1:-30}
cd "$(dirname "$0")/../.." || exit 2
out=build/fuzz
mkdir -p "$out" || exit 2
cc=${FUZZ_CC:-clang}
status=0

for target in tests/fuzz/*_fuzz.c; do
	[ -e "$target" ] || continue
	name=$(basename "$target" _fuzz.c)
	sources=$(sed -n 's|^// fuzz-sources:||p' "$target")
	if [ "$(echo $sources)" = ALL ]; then
		make -s build/gen/embedded.c >"$out/$name.build.log" 2>&1 || {
			echo "fuzz: $name BUILD FAILED (build/gen/embedded.c)"; status=1; continue; }
		sources="$(find src -name '*.c' ! -path src/cli/main.c | sort) build/gen/embedded.c"
	fi
	pkgs=$(sed -n 's|^// fuzz-libs:||p' "$target")
	if [ "$(echo $pkgs)" = ALL ]; then
		pkgs=$(make -s print-pkgs)
	fi
	pkgflags=
	if [ -n "$pkgs" ]; then
		# shellcheck disable=SC2086 # word splitting of the package list is intended
		pkgflags=$(pkg-config --cflags --libs $pkgs) || { status=1; continue; }
	fi

	# shellcheck disable=SC2086 # sources and flags are lists
	if ! "$cc" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-Isrc -D_GNU_SOURCE ${FUZZ_CFLAGS:-} -o "$out/$name" "$target" $sources $pkgflags -lm \
		>"$out/$name.build.log" 2>&1; then
		echo "fuzz: $name BUILD FAILED"
		cat "$out/$name.build.log"
		status=1
		continue
	fi

	work=$(mktemp -d) || exit 2
	if [ -d "tests/fuzz/corpus/$name" ]; then
		cp -R "tests/fuzz/corpus/$name/." "$work/"
	fi
	"./$out/$name" -max_total_time="$seconds" -timeout=20 -print_final_stats=1 \
		-artifact_prefix="$out/$name-" "$work" >"$out/$name.log" 2>&1
	rc=$?
	rm -rf "$work"
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		echo "fuzz: $name ok (${runs:-?} runs)"
	else
		echo "fuzz: $name FAILED (exit $rc, log $out/$name.log)"
		grep -A 30 -m 1 -E '^==[0-9]+==|runtime error|ERROR: libFuzzer' "$out/$name.log"
		status=1
	fi
done
exit "$status"
