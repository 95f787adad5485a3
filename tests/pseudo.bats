#!/usr/bin/env bats
# mp-pseudo: keyed pseudonyms, degraded fields, key-file checks.
load helper

P="$FIX/pseudo"
NOTE='mp-pseudo: note: 2 columns not in the schema left out: notes, worker (keep with --keep-extra)'

setup() {
	# Git does not keep mode 0600: copy the fixture keys and make them private.
	K="$BATS_TEST_TMPDIR/key"
	K2="$BATS_TEST_TMPDIR/key2"
	cp "$P/key" "$K"
	cp "$P/key2" "$K2"
	chmod 600 "$K" "$K2"
}

# A private key file with the given bytes (printf format), in the test's folder.
keyfile() {
	local f="$BATS_TEST_TMPDIR/$1"
	printf "$2" > "$f"
	chmod 600 "$f"
	printf '%s' "$f"
}

# The pseudonym of value $2 in kind $1 under key file $3, by openssl (independent of libsodium).
openssl_pseudo() {
	local hk
	hk=$(printf '%s' "$(cat "$3")" | xxd -p | tr -d '\n')
	printf '%s\0%s' "$1" "$2" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$hk" -binary |
		base32 | tr 'A-Z' 'a-z' | cut -c1-16
}

@test "default: child_id and police_ref pseudonymised, extra columns left out with a note" {
	run --separate-stderr mp-pseudo --key-file "$K" "$P/episodes.csv"
	assert_success
	assert_output "$(cat "$P/expected-default.csv")"
	assert_equal "$stderr" "$NOTE"
}

@test "degraded output pinned: --dob year --drop --keep-extra --episode-id derive, two files" {
	run --separate-stderr mp-pseudo --key-file "$K" --dob year --drop notes --keep-extra worker \
		--episode-id derive "$P/episodes.csv" "$P/episodes2.csv"
	assert_success
	assert_output "$(cat "$P/expected-degraded.csv")"
	assert_equal "$stderr" ""
}

@test "degraded Excel output pinned byte for byte: --dob month --excel" {
	run mp-pseudo --key-file "$K" --dob month --drop worker --keep-extra notes --excel \
		-o "$BATS_TEST_TMPDIR/out.csv" "$P/episodes.csv"
	assert_success
	cmp "$BATS_TEST_TMPDIR/out.csv" "$P/expected-excel.csv"
}

@test "pseudonyms agree with an independent HMAC-SHA-256 (openssl) and base32 (coreutils)" {
	command -v openssl >/dev/null && command -v base32 >/dev/null && command -v xxd >/dev/null ||
		skip "openssl, base32 or xxd missing"
	run mp-pseudo -q --key-file "$K" --episode-id derive "$P/episodes.csv"
	assert_success
	local n=0 id child ref
	while IFS=, read -r id child _ _ _ _ _ ref _; do
		n=$((n + 1))
		[ "$n" -eq 1 ] && continue
		got=$(sed -n "${n}p" <<< "$output")
		orig=$(sed -n "${n}p" "$P/episodes.csv" | cut -d, -f1,2)
		want_e=$(openssl_pseudo episode_id "${orig%%,*}" "$K")
		want_c=$(openssl_pseudo child_id "${orig#*,}" "$K")
		assert_equal "$(cut -d, -f1,2 <<< "$got")" "$want_e,$want_c"
	done < "$P/expected-default.csv"
	assert_equal "$n" 5
	assert_equal "$(openssl_pseudo police_ref P-2024-0077 "$K")" gzitaucu6snihkmw
}

@test "stable across runs and files with one key" {
	run mp-pseudo -q --key-file "$K" "$P/episodes.csv"
	first=$output
	run mp-pseudo -q --key-file "$K" "$P/episodes.csv"
	assert_equal "$output" "$first"
	# C001 and C003 in the second file, pseudonymised on its own, get the pseudonyms of the first.
	run mp-pseudo -q --key-file "$K" --columns child_id "$P/episodes2.csv"
	assert_success
	assert_equal "$(cut -d, -f2 <<< "$output" | tail -n +2 | tr '\n' ' ')" "zr3hjhuyditdt32d lhql3x37rhulb5ha "
	# C001 is rows 1 and 3 of the first file: one pseudonym.
	assert_equal "$(cut -d, -f2 <<< "$first" | sed -n '2p;4p' | sort -u)" "lhql3x37rhulb5ha"
}

@test "a different key gives different pseudonyms, still consistent within the run" {
	run mp-pseudo -q --key-file "$K2" "$P/episodes.csv"
	assert_success
	ids=$(cut -d, -f2 <<< "$output" | tail -n +2)
	assert_equal "$(sed -n '1p;3p' <<< "$ids" | sort -u | wc -l)" 1
	for p in lhql3x37rhulb5ha k2w6lsja3t6jqa3z zr3hjhuyditdt32d lv54cwedpzxnnzqr; do
		refute_output --partial "$p"
	done
	assert_output --regexp '^episode_id,child_id,type,start,end,dob,sex,police_ref,la
E001,[a-z2-7]{16},missing,'
}

@test "the same text in child_id and police_ref gets different pseudonyms (kinds); COL=KIND links" {
	f=$(printf 'episode_id,child_id,police_ref,CHILD\nE1,X1,X1,X1\nE2,,X1,\n' | mkfile same.csv)
	run mp-pseudo -q --key-file "$K" --columns child_id,police_ref,CHILD=child_id "$f"
	assert_success
	c=$(sed -n 2p <<< "$output" | cut -d, -f2)
	p=$(sed -n 2p <<< "$output" | cut -d, -f3)
	[ "$c" != "$p" ]
	assert_output "episode_id,child_id,police_ref,CHILD
E1,$c,$p,$c
E2,,$p,"
}

@test "values are taken byte for byte: case and spaces change the pseudonym" {
	f=$(printf 'episode_id,child_id\nE1,c001\nE2,C001\nE3, C001\nE4,C001\n' | mkfile bytes.csv)
	run mp-pseudo -q --key-file "$K" "$f"
	assert_success
	assert_equal "$(cut -d, -f2 <<< "$output" | tail -n +2 | sort -u | wc -l)" 3
	assert_equal "$(sed -n 5p <<< "$output")" "E4,lhql3x37rhulb5ha"
}

@test "TSV in and out, stdin as -" {
	run --separate-stderr bash -c "printf 'episode_id\tchild_id\tdob\tnotes\nE1\tC001\t17/05/2010\tfree\ttext\n' |
		mp-pseudo --key-file '$K' -t --dob month --drop notes -"
	assert_failure 1
	assert_output "episode_id	child_id	dob"
	assert_equal "$stderr" "mp-pseudo: stdin:2: expected 4 fields (as in the header), found 5
mp-pseudo: 1 row read, 0 written, 1 rejected"
	run --separate-stderr bash -c "printf 'episode_id\tchild_id\tdob\tnotes\nE1\tC001\t17/05/2010\tfree text\n' |
		mp-pseudo --key-file '$K' -t --dob month --drop notes -"
	assert_success
	assert_output "episode_id	child_id	dob
E1	lhql3x37rhulb5ha	2010-05-01"
}

# dob degrading: input, mode, expected dob.
@test "dob degrading table" {
	while IFS='|' read -r in mode want; do
		f=$(printf 'episode_id,child_id,dob\nE1,C1,%s\n' "$in" | mkfile dob.csv)
		run --separate-stderr mp-pseudo --key-file "$K" --dob "$mode" "$f"
		assert_success
		assert_equal "$(sed -n 2p <<< "$output" | cut -d, -f3)" "$want"
	done <<'EOF'
2010-05-17|month|2010-05-01
2010-05-17|year|2010-01-01
17/05/2010|month|2010-05-01
29/02/2012|year|2012-01-01
2012-12-31|month|2012-12-01
|month|
|year|
EOF
}

@test "bad rows: a dob that cannot be degraded and a ragged row are reported, counted, not written" {
	f=$(printf 'episode_id,child_id,dob\nE1,C001,2010-05-17\nE2,C002,31/02/2010\nE3,C003\nE4,C004,17/05/10\nE5,C003,2011-01-09\n' | mkfile bad.csv)
	run --separate-stderr mp-pseudo --key-file "$K" --dob month "$f"
	assert_failure 1
	assert_output "episode_id,child_id,dob
E1,lhql3x37rhulb5ha,2010-05-01
E5,zr3hjhuyditdt32d,2011-01-01"
	assert_equal "$stderr" "mp-pseudo: $f:3: dob: '31/02/2010': impossible date: no such day in that month
mp-pseudo: $f:4: expected 3 fields (as in the header), found 2
mp-pseudo: $f:5: dob: '17/05/10': two-digit years are not accepted (write the year in full)
mp-pseudo: 5 rows read, 2 written, 3 rejected"
}

@test "without --dob a bad dob passes through untouched" {
	f=$(printf 'episode_id,child_id,dob\nE1,C001,not a date\n' | mkfile nodob.csv)
	run --separate-stderr mp-pseudo --key-file "$K" "$f"
	assert_success
	assert_output "episode_id,child_id,dob
E1,lhql3x37rhulb5ha,not a date"
}

@test "--schema: columns the schema defines are not extra" {
	s=$(printf 'field child_id\n    type string\n\nfield notes\n    type string\n' | mkfile s.schema)
	f=$(printf 'child_id,notes,other\nC001,x,y\n' | mkfile s.csv)
	run --separate-stderr mp-pseudo --key-file "$K" --schema "$s" "$f"
	assert_success
	assert_output "child_id,notes
lhql3x37rhulb5ha,x"
	assert_equal "$stderr" "mp-pseudo: note: 1 column not in the schema left out: other (keep with --keep-extra)"
}

@test "a column named in --columns is kept although the schema lacks it" {
	f=$(printf 'child_id,nhs_number,other\nC001,943 476 5919,y\n' | mkfile nhs.csv)
	run --separate-stderr mp-pseudo -q --key-file "$K" --columns child_id,nhs_number --keep-extra other "$f"
	assert_success
	assert_output --regexp '^child_id,nhs_number,other
lhql3x37rhulb5ha,[a-z2-7]{16},y$'
}

@test "-o FILE: written whole, mode 0600" {
	run mp-pseudo -q --key-file "$K" -o "$BATS_TEST_TMPDIR/o.csv" "$P/episodes.csv"
	assert_success
	assert_output ""
	cmp "$BATS_TEST_TMPDIR/o.csv" "$P/expected-default.csv"
	assert_equal "$(stat -c %a "$BATS_TEST_TMPDIR/o.csv")" 600
}

# Key-file problems: file contents (printf format, or a special case), mode, exit status, message.
@test "key-file errors" {
	local d="$BATS_TEST_TMPDIR"
	run --separate-stderr mp-pseudo "$P/episodes.csv"
	assert_failure 2
	assert_equal "$stderr" "mp-pseudo: --key-file is required (the key is never taken from the command line)
Try 'mp-pseudo --help' for more information."
	run --separate-stderr mp-pseudo --key-file "" "$P/episodes.csv"
	assert_failure 2
	assert_equal "$stderr" "mp-pseudo: --key-file needs a file name
Try 'mp-pseudo --help' for more information."
	run --separate-stderr mp-pseudo --key-file "$d/nosuch" "$P/episodes.csv"
	assert_failure 1
	assert_equal "$stderr" "mp-pseudo: cannot open key file $d/nosuch: No such file or directory"
	assert_output ""
	while IFS='|' read -r name bytes mode want; do
		f=$(keyfile "$name" "$bytes")
		chmod "$mode" "$f"
		run --separate-stderr mp-pseudo --key-file "$f" "$P/episodes.csv"
		assert_failure 1
		assert_output ""
		assert_equal "$stderr" "mp-pseudo: ${want//KEY/$f}"
	done <<'EOF'
empty||600|key file KEY is empty
newline|\n|600|key file KEY is empty
crlf|\r\n|600|key file KEY is empty
short31|0123456789012345678901234567890|600|key file KEY is too short: 31 bytes, at least 32 are needed
short31nl|0123456789012345678901234567890\n|600|key file KEY is too short: 31 bytes, at least 32 are needed
world|01234567890123456789012345678901|644|key file KEY is readable by group or others (mode 0644); run: chmod 600 KEY
group|01234567890123456789012345678901|640|key file KEY is readable by group or others (mode 0640); run: chmod 600 KEY
other|01234567890123456789012345678901|604|key file KEY is readable by group or others (mode 0604); run: chmod 600 KEY
EOF
	head -c 4097 /dev/zero > "$d/long"
	chmod 600 "$d/long"
	run --separate-stderr mp-pseudo --key-file "$d/long" "$P/episodes.csv"
	assert_failure 1
	assert_equal "$stderr" "mp-pseudo: key file $d/long is too long: over 4096 bytes (is it the right file?)"
	mkdir -m 700 "$d/dir"
	run --separate-stderr mp-pseudo --key-file "$d/dir" "$P/episodes.csv"
	assert_failure 1
	assert_equal "$stderr" "mp-pseudo: key file $d/dir is a directory"
	run --separate-stderr mp-pseudo --key-file /dev/null "$P/episodes.csv"
	assert_failure 1
	assert_equal "$stderr" "mp-pseudo: key file /dev/null is not a regular file"
}

@test "key files that are accepted: 32 bytes, final newline or CRLF trimmed, 4096 bytes, a pipe" {
	local a b c
	a=$(keyfile k32 '01234567890123456789012345678901')
	b=$(keyfile k32nl '01234567890123456789012345678901\n')
	c=$(keyfile k32crlf '01234567890123456789012345678901\r\n')
	run mp-pseudo -q --key-file "$a" --columns child_id "$P/episodes2.csv"
	assert_success
	first=$output
	run mp-pseudo -q --key-file "$b" --columns child_id "$P/episodes2.csv"
	assert_equal "$output" "$first"
	run mp-pseudo -q --key-file "$c" --columns child_id "$P/episodes2.csv"
	assert_equal "$output" "$first"
	run bash -c "mp-pseudo -q --key-file <(cat '$a') --columns child_id '$P/episodes2.csv'"
	assert_success
	assert_equal "$output" "$first"
	head -c 4096 /dev/zero | tr '\0' k > "$BATS_TEST_TMPDIR/k4096"
	chmod 400 "$BATS_TEST_TMPDIR/k4096"
	run mp-pseudo -q --key-file "$BATS_TEST_TMPDIR/k4096" "$P/episodes2.csv"
	assert_success
}

# Usage errors: arguments, message (exit 2).
@test "usage errors" {
	while IFS='|' read -r args want; do
		# shellcheck disable=SC2086
		run --separate-stderr mp-pseudo --key-file "$K" $args "$P/episodes.csv"
		assert_failure 2
		assert_output ""
		assert_equal "$stderr" "mp-pseudo: $want
Try 'mp-pseudo --help' for more information."
	done <<'EOF'
--dob day|--dob: 'day' is not month or year
--episode-id new|--episode-id: 'new' is not derive or keep
--columns a,,b|--columns: empty column name in 'a,,b'
--drop ,notes|--drop: empty column name in ',notes'
--keep-extra x,|--keep-extra: empty column name in 'x,'
--columns CHILD=|--columns: 'CHILD=' needs a column name and a kind (COL=KIND)
--columns =child_id|--columns: '=child_id' needs a column name and a kind (COL=KIND)
--columns child_id --drop child_id|child_id is named by both --columns and --drop
--dob year --drop dob|dob is named by --drop; --dob would degrade it
--dob year --columns dob|dob is named by --columns; --dob would degrade it
--keep-extra notes --drop notes|notes is named by both --keep-extra and --drop
--episode-id derive --drop episode_id|episode_id is named by --drop; --episode-id derive would replace it
--episode-id derive --columns episode_id|episode_id is named by --columns; --episode-id derive already replaces it
--excel --tsv|--excel applies to CSV output, not TSV
EOF
	run --separate-stderr mp-pseudo --key-file "$K" --nosuch "$P/episodes.csv"
	assert_failure 2
	assert_equal "$stderr" "mp-pseudo: unknown option '--nosuch'
Try 'mp-pseudo --help' for more information."
}

# Columns named on the command line but missing from the header (exit 1).
@test "header errors name the column and the option" {
	local f="$P/episodes.csv"
	while IFS='|' read -r args want; do
		# shellcheck disable=SC2086
		run --separate-stderr mp-pseudo -q --key-file "$K" $args "$f"
		assert_failure 1
		assert_output ""
		assert_equal "$stderr" "mp-pseudo: $f:1: $want"
	done <<'EOF'
--drop Notes|Notes: not in the header (named by --drop)
--keep-extra team|team: not in the header (named by --keep-extra)
--columns child_id,nhs_number|nhs_number: not in the header (named by --columns)
EOF
	g=$(printf 'episode_id,type\nE1,missing\n' | mkfile noid.csv)
	run --separate-stderr mp-pseudo --key-file "$K" "$g"
	assert_failure 1
	assert_equal "$stderr" "mp-pseudo: $g:1: neither child_id nor police_ref is in the header; name the columns to pseudonymise with --columns"
	run --separate-stderr mp-pseudo --key-file "$K" --dob year --columns episode_id "$g"
	assert_failure 1
	assert_equal "$stderr" "mp-pseudo: $g:1: dob: not in the header (needed by --dob)"
	g=$(printf 'child_id\nC1\n' | mkfile noep.csv)
	run --separate-stderr mp-pseudo --key-file "$K" --episode-id derive "$g"
	assert_failure 1
	assert_equal "$stderr" "mp-pseudo: $g:1: episode_id: not in the header (needed by --episode-id derive)"
}

@test "only police_ref present: the default pseudonymises it alone" {
	f=$(printf 'episode_id,police_ref\nE1,P-2024-0077\n' | mkfile pol.csv)
	run --separate-stderr mp-pseudo --key-file "$K" "$f"
	assert_success
	assert_output "episode_id,police_ref
E1,gzitaucu6snihkmw"
}

@test "--help matches the man page; --version" {
	run mp-pseudo --help
	assert_success
	assert_line --index 0 "Usage: mp-pseudo --key-file FILE [OPTION]... [FILE]..."
	man="$TOP/man/mp-pseudo.1"
	for o in $(grep -oE -- '--[a-z][a-z-]+' <<< "$output" | sort -u); do
		grep -q -- "Fl -${o#--}" "$man" || fail "$o is in --help but not in the man page"
	done
	for o in $(grep -oE '^\.It Fl -[a-z-]+' "$man" | sed 's/.*Fl -/--/' | sort -u); do
		grep -q -- "$o" <<< "$output" || fail "$o is in the man page but not in --help"
	done
	run mp-pseudo --version
	assert_success
	assert_output --regexp '^mp-pseudo \(mptools\) [0-9.]+$'
}

@test "the man page is clean under mandoc -Tlint" {
	command -v mandoc >/dev/null || skip "mandoc missing"
	run mandoc -Tlint -Wwarning "$TOP/man/mp-pseudo.1"
	assert_success
}

@test "shared sample data: every child gets one pseudonym, rows read = written" {
	[ -d "$SHARED_DATA/ssda903" ] || skip "no shared data"
	f="$SHARED_DATA/ssda903/missing.csv"
	run --separate-stderr mp-pseudo --key-file "$K" --columns CHILD=child_id --keep-extra MISSING,MIS_START,MIS_END "$f"
	assert_success
	assert_equal "$(wc -l <<< "$output")" "$(wc -l < "$f")"
	assert_equal "$(tail -n +2 <<< "$output" | cut -d, -f1 | sort -u | wc -l)" \
		"$(tail -n +2 "$f" | cut -d, -f1 | sort -u | wc -l)"
	refute_output --partial DOB
}

@test "an Excel export (BOM, CRLF) and a cp1252 copy give the same pseudonyms as the UTF-8 original" {
	f=$(printf '\xef\xbb\xbf%s' "$(sed 's/$/\r/' "$P/episodes.csv")" | mkfile bom.csv)
	printf '\r\n' >> "$f"
	run --separate-stderr mp-pseudo -q --key-file "$K" "$f"
	assert_success
	assert_output "$(cat "$P/expected-default.csv")"
	u=$(printf 'child_id,police_ref\nZo\xc3\xab,Ren\xc3\xa9e\n' | mkfile utf8.csv)
	c=$(printf 'child_id,police_ref\nZo\xeb,Ren\xe9e\n' | mkfile cp1252.csv)
	run mp-pseudo --key-file "$K" "$u"
	assert_success
	want=$output
	run mp-pseudo --key-file "$K" -e cp1252 "$c"
	assert_success
	assert_equal "$output" "$want"
	run --separate-stderr mp-pseudo --key-file "$K" "$c"
	assert_failure 1
	assert_output "child_id,police_ref"
	assert_equal "$stderr" "mp-pseudo: $c:2: child_id: invalid UTF-8 in field 1 at byte 3 (if the file came from Excel, try --encoding cp1252)
mp-pseudo: 1 row read, 0 written, 1 rejected"
}

@test "episode ids mp-import derived from the child are replaced unless --episode-id keep" {
	local f="$P/episode-ids.csv"
	run --separate-stderr mp-pseudo --key-file "$K" "$f"
	assert_success
	assert_output "episode_id,child_id,start,source
oufzf2h5zfvg7eus,zblr2oqmkauh3nyv,2017-11-13,ssda903
LL-0042,rz3uukkxgmrpwthm,2017-11-21,liquidlogic
vez65vcgnc2n4e6v,v346nnuhmvxjug6h,2017-12-01,
SSDA903-13ba81a897631577,6rejvorc5xyedsgq,2017-11-13,ssda903
x-13ba81a897631577z,2xatav6b3rx7h5ze,2017-11-13,x
x-13BA81A897631577,62nfuk5sww3cihet,2017-11-13,x
,zykhbpt7qcoqm2pd,2017-11-13,x"
	assert_equal "$stderr" "mp-pseudo: note: 2 episode ids made by mp-import from the child id replaced by pseudonyms (--episode-id keep keeps them)"
	auto=$output
	run --separate-stderr mp-pseudo -q --key-file "$K" "$f"
	assert_equal "$output" "$auto"
	assert_equal "$stderr" ""
	run --separate-stderr mp-pseudo --key-file "$K" --episode-id keep "$f"
	assert_success
	assert_equal "$(cut -d, -f1 <<< "$output")" "$(cut -d, -f1 "$f")"
	assert_equal "$stderr" ""
	# derive replaces them all, the same way.
	run --separate-stderr mp-pseudo --key-file "$K" --episode-id derive "$f"
	assert_success
	assert_equal "$(sed -n '2p;4p' <<< "$output" | cut -d, -f1)" "$(sed -n '2p;4p' <<< "$auto" | cut -d, -f1)"
	assert_equal "$(sed -n 3p <<< "$output" | cut -d, -f1 | grep -cE '^[a-z2-7]{16}$')" 1
	assert_equal "$(sed -n 8p <<< "$output")" ",zykhbpt7qcoqm2pd,2017-11-13,x"
}

@test "--drop a default column: it is left out, the other is still pseudonymised" {
	run --separate-stderr mp-pseudo -q --key-file "$K" --drop police_ref,notes --keep-extra worker "$P/episodes2.csv"
	assert_success
	assert_output "episode_id,child_id,type,start,end,dob,sex,worker,la
E101,zr3hjhuyditdt32d,missing,2024-05-01T20:00,2024-05-02T08:00,29/02/2012,female,,E08000025
E102,lhql3x37rhulb5ha,away,2024-05-04T19:30,2024-05-04T23:00,2010-05-17,female,A. Smith,E08000025"
}

@test "a header only: the header out, exit 0; no input at all: an error" {
	f=$(printf 'episode_id,child_id,notes\n' | mkfile hdr.csv)
	run --separate-stderr mp-pseudo -q --key-file "$K" "$f"
	assert_success
	assert_output "episode_id,child_id"
	f=$(printf '' | mkfile none.csv)
	run --separate-stderr mp-pseudo -q --key-file "$K" "$f"
	assert_failure 1
	assert_equal "$stderr" "mp-pseudo: $f: empty input: no header line"
}

# The note lists left-out names escaped (\xHH is four bytes for one): its buffer
# was sized from the raw names and overflowed the heap.
@test "header names of control characters are listed escaped, without overflowing" {
	local names='\001\002\003\004\005\006\007\010\013\014\016\017\020\021\022\023\024\025\026\027\030\031'
	run --separate-stderr bash -c "printf 'episode_id,child_id,type,start,$names,$names$names\n1,C1,missing,2025-01-01T10:00,x,y\n' | mp-pseudo --key-file '$K'"
	assert_success
	assert_equal "$output" "episode_id,child_id,type,start
1,$(openssl_pseudo child_id C1 "$K"),missing,2025-01-01T10:00"
	local one='\x01\x02\x03\x04\x05\x06\x07\x08\x0B\x0C\x0E\x0F\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19'
	assert_equal "$stderr" "mp-pseudo: note: 2 columns not in the schema left out: $one, $one$one (keep with --keep-extra)"
}
