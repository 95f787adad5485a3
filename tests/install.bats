#!/usr/bin/env bats
# make install honours PREFIX and DESTDIR; installed commands find their share folder.

load helper

@test "install: DESTDIR and PREFIX, commands, man pages and share/ in place" {
	command -v make >/dev/null || skip "make not installed"
	local d="$BATS_TEST_TMPDIR/root"
	run make -s -C "$TOP" install DESTDIR="$d" PREFIX=/opt/mp BUILD="${BUILD:-$TOP/build}" BIN="${BIN:-$TOP/bin}"
	assert_success
	[ -x "$d/opt/mp/bin/mp-validate" ]
	[ -x "$d/opt/mp/bin/mp-daily-alerts" ]
	[ -f "$d/opt/mp/share/mptools/schemas/episode.schema" ]
	[ -f "$d/opt/mp/share/mptools/bank-holidays" ]
	[ -f "$d/opt/mp/share/man/man1/mp-validate.1" ]
	# The installed program finds the installed share/, not the source tree's.
	echo "field only_this" > "$d/opt/mp/share/mptools/schemas/episode.schema"
	echo "    type string" >> "$d/opt/mp/share/mptools/schemas/episode.schema"
	run --separate-stderr env -u MPTOOLS_SHARE "$d/opt/mp/bin/mp-validate" <<< $'only_this\nx'
	assert_success
	assert_output $'only_this\nx'
}
