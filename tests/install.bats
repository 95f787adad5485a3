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

# Complete the last word of a command line with an installed completion file; prints the candidates.
complete_words() {	# file, words...
	bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); cmd=${1//-/_}; "_$cmd"; printf "%s\n" "${COMPREPLY[@]}"' _ "$@"
}

# The long options in a command's source table, the shared macros (lib/cli.h) expanded.
table_names() {
	local src=$1 macro
	grep -o '{ "[a-z0-9-]*", [a-z_]*_argument' "$src" | sed 's/.*{ "\([^"]*\)".*/\1/'
	for macro in $(grep -o 'MP_[A-Z_]*LONGOPTS\?\b' "$src" | sort -u); do
		awk -v m="#define $macro" 'index($0, m) == 1 { on = 1 } on { print } on && !/\\$/ { on = 0 }' "$TOP/lib/cli.h" |
			grep -o '{ "[a-z0-9-]*"' | sed 's/{ "//; s/"//'
	done
}

@test "install: bash completion for every command, generated from its options" {
	local d="$BATS_TEST_TMPDIR/root" comp c src opt
	run make -s -C "$TOP" install DESTDIR="$d" PREFIX=/opt/mp BUILD="${BUILD:-$TOP/build}" BIN="${BIN:-$TOP/bin}"
	assert_success
	comp="$d/opt/mp/share/bash-completion/completions"
	for src in "$TOP"/cmd/mp-*.c; do
		c=$(basename "$src" .c)
		[ -f "$comp/$c" ]
		# Every long option in the command's table (and the shared ones) is offered...
		for opt in $(table_names "$src"); do
			run complete_words "$comp/$c" "$c" "--$opt"
			assert_line "--$opt"
		done
		# ...and every option offered is one the command knows.
		for opt in $(complete_words "$comp/$c" "$c" --); do
			run --separate-stderr "$TOP/bin/$c" "$opt" --help
			[[ "$stderr" != *"unknown option"* ]] || { echo "$c: $opt: $stderr" >&2; return 1; }
		done
	done
	[ -f "$comp/mp-daily-alerts" ]
	# A value: file names after --rejects, words after --encoding, nothing after --now.
	touch "$BATS_TEST_TMPDIR/rejects-here.csv"
	run complete_words "$comp/mp-validate" mp-validate --rejects "$BATS_TEST_TMPDIR/rejects-h"
	assert_output "$BATS_TEST_TMPDIR/rejects-here.csv"
	run complete_words "$comp/mp-validate" mp-validate -e c
	assert_output cp1252
	run complete_words "$comp/mp-stats" mp-stats --now 2
	assert_output ""
	run complete_words "$comp/mp-daily-alerts" mp-daily-alerts --quiet
	assert_output --quiet-if-none
}

@test "install: make stops with one line naming scripts/install-deps when a header is missing; it installs nothing" {
	local t="$BATS_TEST_TMPDIR"
	mkdir "$t/fakebin"
	for p in apt-get apt sudo dpkg-query; do
		printf '#!/bin/sh\necho "%s $*" >> "%s/called"\n' "$p" "$t" > "$t/fakebin/$p"
		chmod +x "$t/fakebin/$p"
	done
	run --separate-stderr env PATH="$t/fakebin:$PATH" make -s -C "$TOP" BUILD="$t/build" BIN="$t/bin" DEPHDRS="csv.h no-such-header-mp.h"
	assert_failure
	assert_equal "$(printf '%s\n' "$stderr" | head -1)" "mptools: missing headers: no-such-header-mp.h; install the build dependencies with scripts/install-deps"
	[ ! -e "$t/called" ]
	[ ! -e "$t/bin" ]
}

# Every page lints clean and renders without prose turned into flags
# ("(--min, -default -3)" from ".Pq Fl -min , default 3").
@test "man pages: mandoc -Tlint is clean and -Tutf8 shows no words as flags" {
	local m bad
	command -v mandoc >/dev/null || { echo "mandoc is needed (scripts/install-deps)" >&2; return 1; }
	for m in "$TOP"/man/*.[1-8]; do
		run mandoc -Tlint -Wwarning "$m"
		assert_equal "$(basename "$m"): $output" "$(basename "$m"): "
		# A single dash before a word of 2+ letters is prose rendered by a Fl that ran on.
		bad=$(mandoc -Tutf8 "$m" | col -b | grep -oE '(^|[ (])-[a-z]{2,}' |
			grep -vE -- '-(eq|sha|mac|macopt|binary)$' || true)
		assert_equal "$(basename "$m"): $bad" "$(basename "$m"): "
	done
	[ -f "$TOP/man/mp-daily-alerts.1" ]
	# Every option in mp-daily-alerts --help is in its page.
	for o in $("$TOP/scripts/daily-alerts" --help | grep -oE '^ {1,8}(-[a-zA-Z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+'); do
		grep -q -- "^\.It .*Fl ${o#-}" "$TOP/man/mp-daily-alerts.1" || { echo "mp-daily-alerts.1 lacks $o" >&2; return 1; }
	done
}

# install-deps --bench where node and npm came from elsewhere (NodeSource, nvm): apt's
# npm would conflict with them, so a working npm is enough.
@test "install-deps --bench asks apt for npm only when npm does not work" {
	local t="$BATS_TEST_TMPDIR" p
	mkdir "$t/fake"
	# dpkg knows every package but nodejs and npm; apt-get and sudo only log.
	printf '#!/bin/sh\ncase "$3" in nodejs|npm) exit 1 ;; esac\nprintf "install ok installed"\n' > "$t/fake/dpkg-query"
	printf '#!/bin/sh\necho "apt-get $*" >> "%s/called"\n' "$t" > "$t/fake/apt-get"
	printf '#!/bin/sh\nexec "$@"\n' > "$t/fake/sudo"
	printf '#!/bin/sh\necho v22.0.0\n' > "$t/fake/node"
	printf '#!/bin/sh\necho 11.0.0\n' > "$t/fake/npm"
	chmod +x "$t"/fake/*
	run env PATH="$t/fake:$PATH" "$TOP/scripts/install-deps" --bench
	assert_success
	[ ! -e "$t/called" ]
	# An npm that does not run is installed from apt, node (working) is not.
	printf '#!/bin/sh\nexit 127\n' > "$t/fake/npm"
	run env PATH="$t/fake:$PATH" "$TOP/scripts/install-deps" --bench
	assert_success
	assert_equal "$(grep install "$t/called")" "apt-get install -y -qq --no-install-recommends npm"
}

@test "install: a program with no share folder says so once and exits 1" {
	local d="$BATS_TEST_TMPDIR/lone/bin" msg="cannot find the share folder (set MPTOOLS_SHARE)"
	mkdir -p "$d"
	cp "$BIN/mp-validate" "$BIN/mp-import" "$BIN/mp-open" "$d/"
	local ep="$TOP/share/examples/episodes.csv"
	local cases=(
		"mp-validate $ep"
		"mp-import --list-maps"
		"mp-import $ep"
		"mp-import --map liquidlogic $ep"
		"mp-open --now 2025-04-01T09:00 $ep"
	)
	local c
	for c in "${cases[@]}"; do
		run --separate-stderr env -u MPTOOLS_SHARE "$d/"$c
		assert_equal "$status|$output|$stderr" "1||${c%% *}: $msg"
	done
}
