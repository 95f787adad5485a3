# Shared set-up for the Bats files: the programs under test come first on PATH.
bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

TESTS_DIR=$(cd "$(dirname "${BATS_TEST_FILENAME}")" && pwd)
TOP=$(dirname "$TESTS_DIR")
FIX="$TESTS_DIR/fixtures"
export PATH="${BIN:-$TOP/bin}:$PATH"
export MPTOOLS_SHARE="$TOP/share"
unset MPTOOLS_TZ
SHARED_DATA="${SHARED_DATA:-$TOP/../shared/data}"

# A fixed, minimal canonical header for table-driven tests.
HDR='episode_id,child_id,type,start,end'

# Write stdin to a file in the test's temporary folder and print its path.
mkfile() {
	local f="$BATS_TEST_TMPDIR/$1"
	cat > "$f"
	printf '%s' "$f"
}
