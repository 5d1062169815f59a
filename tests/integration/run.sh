#!/bin/bash
# Runs the scenario tests (every t_*.sh, or those named) each under a timeout, and sums up.
#
# usage: tests/integration/run.sh [t_NAME.sh | t_NAME | path ...]
# A scenario's output goes to tests/tmp/NAME/test.log, next to its work files.

set -u

here=$(cd "$(dirname "$0")" && pwd)
NV_ROOT=$(cd "$here/../.." && pwd)
export NV_ROOT
export NHACVIECD=${NHACVIECD:-$NV_ROOT/build/san/nhacviecd}
export NHACVIEC=${NHACVIEC:-$NV_ROOT/build/san/nhacviec}
export FAKE_WEBHOOK=${FAKE_WEBHOOK:-$NV_ROOT/build/rel/tests/fake_webhook}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:abort_on_error=0}
timeout_s=${NV_TEST_TIMEOUT:-300}

# Finds a scenario from a path, a basename, or a name without .sh.
resolve() {
	local a=$1
	for f in "$a" "$here/$a" "$here/$a.sh"; do
		if [ -f "$f" ]; then
			echo "$f"
			return 0
		fi
	done
	return 1
}

if [ $# -eq 0 ]; then
	set -- "$here"/t_*.sh
	[ -f "$1" ] || { echo "no scenarios in $here"; exit 1; }
fi

pass=0
failed=0
for arg in "$@"; do
	name=$(basename "$arg" .sh)
	if ! t=$(resolve "$arg"); then
		echo "FAIL $name"
		echo "    no such scenario: $arg"
		failed=$((failed + 1))
		continue
	fi
	dir=$NV_ROOT/tests/tmp/$name
	mkdir -p "$dir"
	export NV_TEST_LOG=$dir/test.log
	: >"$NV_TEST_LOG"
	timeout -k 10 "$timeout_s" bash "$t" >"$NV_TEST_LOG" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "PASS $name"
		pass=$((pass + 1))
		continue
	fi
	echo "FAIL $name"
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		echo "    timed out after $timeout_s s"
	else
		echo "    exit status $rc"
	fi
	echo "    last 40 lines of $NV_TEST_LOG:"
	tail -n 40 "$NV_TEST_LOG" | sed 's/^/    | /'
	failed=$((failed + 1))
done
unset NV_TEST_LOG

echo "$pass passed, $failed failed"
[ $failed -eq 0 ]
