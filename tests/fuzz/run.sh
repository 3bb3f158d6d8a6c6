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
# A libFuzzer dictionary tests/fuzz/NAME.dict, when there is one, is passed
# with -dict.  Every target is built with -DKHIBRA_FUZZ (cheap password
# hashing, see src/auth/secret.c).
#
# Environment: FUZZ_CC (default clang), FUZZ_CFLAGS (extra compiler flags),
# FUZZ_ONLY (names of the targets to run, space-separated; default all).
set -u

seconds=${1:-30}
cd "$(dirname "$0")/../.." || exit 2
out=build/fuzz
mkdir -p "$out" || exit 2
cc=${FUZZ_CC:-clang}
status=0
flags="-g -O1 -fno-sanitize-recover=undefined -Isrc -D_GNU_SOURCE -DKHIBRA_FUZZ ${FUZZ_CFLAGS:-}"

# all_objects: every src/**/*.c but src/cli/main.c, and build/gen/embedded.c,
# compiled once per run (on every core) into $out/all.a for the targets that
# link ALL — instead of once for each of them.
all_built=
all_objects() {
	[ -n "$all_built" ] && return 0
	make -s build/gen/embedded.c || return 1
	# shellcheck disable=SC2046,SC2086 # lists
	cflags="$flags -fsanitize=fuzzer-no-link,address,undefined $(pkg-config --cflags $(make -s print-pkgs))" || return 1
	rm -rf "$out/obj" "$out/all.a"
	# shellcheck disable=SC2016 # the inner shell expands $OBJ, $CC and $CFLAGS
	{ find src -name '*.c' ! -path src/cli/main.c; echo build/gen/embedded.c; } | sort |
		CC=$cc CFLAGS=$cflags OBJ=$out/obj xargs -P "$(nproc)" -I{} sh -c \
			'o="$OBJ/$(echo "{}" | tr / _).o"; mkdir -p "$OBJ" && $CC $CFLAGS -c -o "$o" "{}"' || return 1
	ar rcs "$out/all.a" "$out"/obj/*.o || return 1
	all_built=1
}

for target in tests/fuzz/*_fuzz.c; do
	[ -e "$target" ] || continue
	name=$(basename "$target" _fuzz.c)
	case " ${FUZZ_ONLY:-$name} " in *" $name "*) ;; *) continue ;; esac
	sources=$(sed -n 's|^// fuzz-sources:||p' "$target")
	if [ "$(echo $sources)" = ALL ]; then
		all_objects >"$out/$name.build.log" 2>&1 || {
			echo "fuzz: $name BUILD FAILED (the project's objects)"; cat "$out/$name.build.log"; status=1; continue; }
		sources=$out/all.a
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
	if ! "$cc" $flags -fsanitize=fuzzer,address,undefined -o "$out/$name" "$target" $sources $pkgflags -lm \
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
	dict=
	if [ -f "tests/fuzz/$name.dict" ]; then
		dict="-dict=tests/fuzz/$name.dict"
	fi
	# shellcheck disable=SC2086 # $dict is empty or one word
	"./$out/$name" -max_total_time="$seconds" -timeout=20 -print_final_stats=1 $dict \
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
