#!/usr/bin/env bats
# mp-export: the SSDA903 Missing table (year overlap, open episodes, national rules) and SSD's ssd_missing.
load helper

EH='episode_id,child_id,type,start,end,dob,care_status,rhi_offered,rhi_accepted'
SH='CHILD,DOB,MISSING,MIS_START,MIS_END'
DH='miss_table_id,miss_person_id,miss_missing_episode_start_date,miss_missing_episode_type,miss_missing_episode_end_date,miss_missing_rhi_offered,miss_missing_rhi_accepted'

# A table on stdin: status | args | episode rows (';' between) | output rows after the header | stderr lines.
table() {
	local n=0 code args rows want err f hdr
	while IFS='|' read -r code args rows want err; do
		case "$code" in ''|'#'*) continue ;; esac
		n=$((n + 1))
		f=$(printf '%s\n' "$EH" "${rows//;/$'\n'}" | mkfile "case$n.csv")
		# shellcheck disable=SC2086
		run --separate-stderr mp-export $args "$f"
		case "$args" in *ssd\ *|*ssd) hdr=$DH ;; *) hdr=$SH ;; esac
		want=$(printf '%s\n' "$hdr" "${want//;/$'\n'}" | sed '/^$/d')
		err=${err//FILE/$f}
		assert_equal "case $n [$rows]: $status: $output: $stderr" "case $n [$rows]: $code: $want: ${err//;/$'\n'}"
	done
	[ "$n" -gt 0 ]
}

@test "export 903: the year overlap rule: episodes with a day in 1 April 2024 to 31 March 2025 (table)" {
	table <<'TABLE'
# ends the day before the year: left out; ends on its first day: in
0|--format ssda903 --year 2025|e1,C1,missing,2024-03-30T10:00,2024-03-31T23:59,,lac,,||
0|--format ssda903 --year 2025|e1,C1,missing,2024-03-31T22:00,2024-04-01T00:10,,lac,,|C1,,M,31/03/2024,01/04/2024|
# starts on the year's last day: in; the day after: left out
0|--format ssda903 --year 2025|e1,C1,away,2025-03-31T23:59,2025-03-31T23:59,,lac,,|C1,,A,31/03/2025,31/03/2025|
0|--format ssda903 --year 2025|e1,C1,away,2025-04-01T00:00,2025-04-01T03:00,,lac,,||
# open, started before the year: in, still open
0|--format ssda903 --year 2025|e1,C1,missing,2023-12-01T10:00,,,lac,,|C1,,M,01/12/2023,|
# spanning the whole year: in, MIS_END blank (it ends after the year)
0|--format ssda903 --year 2025|e1,C1,missing,2024-03-01T10:00,2025-05-01T10:00,,lac,,|C1,,M,01/03/2024,|
# open at the year's end: ends on 31 March: kept; on 1 April: blank
0|--format ssda903 --year 2025|e1,C1,missing,2025-03-30T10:00,2025-03-31T23:59,,lac,,|C1,,M,30/03/2025,31/03/2025|
0|--format ssda903 --year 2025|e1,C1,missing,2025-03-30T10:00,2025-04-01T00:01,,lac,,|C1,,M,30/03/2025,|
0|--format ssda903 --year 2025|e1,C1,missing,2025-03-30T10:00,,,lac,,|C1,,M,30/03/2025,|
# UK local days: 00:30 on 1 April 2024 is BST, still 1 April
0|--format ssda903 --year 2025|e1,C1,missing,2024-03-30T10:00,2024-04-01T00:30+01:00,,lac,,|C1,,M,30/03/2024,01/04/2024|
# a date-only episode (from the return itself)
0|--format ssda903 --year 2025|e1,C1,missing,2024-06-01,2024-06-02,2010-02-03,lac,,|C1,03/02/2010,M,01/06/2024,02/06/2024|
TABLE
}

@test "export 903: looked-after children only; M for missing, A for away and absent; by child then start (table)" {
	table <<'TABLE'
0|--format ssda903 --year 2025|e1,C1,missing,2024-06-01T10:00,2024-06-01T12:00,,cin,,;e2,C1,missing,2024-07-01T10:00,2024-07-01T12:00,,,,||
0|--format ssda903 --year 2025|e1,C2,missing,2024-06-01T10:00,2024-06-01T12:00,2009-01-01,lac,Y,Y;e2,C1,absent,2024-07-01T10:00,2024-07-02T12:00,,lac,,;e3,C1,away,2024-05-01T10:00,2024-05-01T12:00,,lac,,;e4,C1,missing,2024-05-01T13:00,2024-05-01T15:00,,lac,,|C1,,A,01/05/2024,01/05/2024;C1,,M,01/05/2024,01/05/2024;C1,,A,01/07/2024,02/07/2024;C2,01/01/2009,M,01/06/2024,01/06/2024|
# two episodes on one day: one ends, the other starts later that day: no overlap in the return
0|--format ssda903 --year 2025|e2,C1,missing,2025-03-31T20:00,2025-04-02T10:00,,lac,,;e1,C1,missing,2025-03-31T08:00,2025-03-31T09:00,,lac,,|C1,,M,31/03/2025,31/03/2025;C1,,M,31/03/2025,|
TABLE
}

@test "export 903: an episode breaking a national rule is rejected, named and counted (table)" {
	table <<'TABLE'
# 574: the later one in the child's national order (by end, or start where open; then start)
1|--format ssda903 --year 2025|e1,C1,missing,2024-06-01T10:00,2024-06-10T10:00,,lac,,;e2,C1,missing,2024-06-05T10:00,2024-06-06T10:00,,lac,,|C1,,M,05/06/2024,06/06/2024|mp-export: FILE:2: start: overlaps the episode on line 3 (05/06/2024 to 06/06/2024) [574];mp-export: 2 rows read, 1 written, 0 not looked after, 0 outside the year, 1 rejected
1|--format ssda903 --year 2025|e1,C1,missing,2024-06-01T10:00,,,lac,,;e2,C1,away,2024-07-01T10:00,2024-07-02T10:00,,lac,,|C1,,M,01/06/2024,|mp-export: FILE:3: start: overlaps the episode on line 2 (from 01/06/2024, open in the return) [574];mp-export: 2 rows read, 1 written, 0 not looked after, 0 outside the year, 1 rejected
# 586: starts on or before the date of birth
1|--format ssda903 --year 2025|e1,C1,missing,2024-06-01T10:00,2024-06-01T11:00,2024-06-01,lac,,||mp-export: FILE:2: start: starts (01/06/2024) on or before the date of birth (01/06/2024) [586];mp-export: 1 row read, 0 written, 0 not looked after, 0 outside the year, 1 rejected
0|--format ssda903 --year 2025|e1,C1,missing,2024-06-02T00:00,2024-06-02T11:00,2024-06-01,lac,,|C1,01/06/2024,M,02/06/2024,02/06/2024|
# 567 and data errors
1|--format ssda903 --year 2025|e1,C1,missing,2024-06-02T10:00,2024-06-01T11:00,,lac,,||mp-export: FILE:2: end: ends (2024-06-01T11:00) before it starts (2024-06-02T10:00);mp-export: 1 row read, 0 written, 0 not looked after, 0 outside the year, 1 rejected
1|--format ssda903 --year 2025|e1,C1,wandered,2024-06-02T10:00,,,lac,,||mp-export: FILE:2: type: 'wandered' is not one of: missing, away, absent;mp-export: 1 row read, 0 written, 0 not looked after, 0 outside the year, 1 rejected
1|--format ssda903 --year 2025|e1,C1,missing,02/06/24,,,lac,,||mp-export: FILE:2: start: '02/06/24': two-digit years are not accepted (write the year in full);mp-export: 1 row read, 0 written, 0 not looked after, 0 outside the year, 1 rejected
1|--format ssda903 --year 2025|e1,C1,missing,2024-06-02T10:00,,2010-13-01,lac,,||mp-export: FILE:2: dob: '2010-13-01': impossible date: no such month;mp-export: 1 row read, 0 written, 0 not looked after, 0 outside the year, 1 rejected
TABLE
}

@test "export 903: --rejects keeps each rejected row with its reason; -q keeps only the count" {
	f=$(printf '%s\n' "$EH" 'e1,C1,missing,2024-06-01T10:00,2024-06-10T10:00,,lac,,' \
		'e2,"C1",missing,2024-06-05T10:00,2024-06-06T10:00,,lac,Y,' 'e3,C2,missing,2024-06-05T10:00,,2024-06-05,lac,,' | mkfile ep.csv)
	run --separate-stderr mp-export --format ssda903 --year 2025 -q --rejects "$BATS_TEST_TMPDIR/rej.csv" "$f"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-export: 3 rows read, 1 written, 0 not looked after, 0 outside the year, 2 rejected"
	assert_output "$(printf '%s\n' "$SH" 'C1,,M,05/06/2024,06/06/2024')"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/rej.csv")" "file,line,field,message,$EH
$f,4,start,starts (05/06/2024) on or before the date of birth (05/06/2024) [586],e3,C2,missing,2024-06-05T10:00,,2024-06-05,lac,,
$f,2,start,overlaps the episode on line 3 (05/06/2024 to 06/06/2024) [574],e1,C1,missing,2024-06-01T10:00,2024-06-10T10:00,,lac,,"
}

@test "export 903: a generated stream's return passes every Missing-table rule of mp-validate, each year" {
	command -v python3 > /dev/null || skip "python3 is needed for gen-episodes"
	"$TOP/scripts/gen-episodes" --rows 6000 --seed 11 --from 2022-04-01 --to 2025-12-31 -o "$BATS_TEST_TMPDIR/gen.csv"
	mp-validate --now 2026-01-02 -q -o "$BATS_TEST_TMPDIR/ok.csv" "$BATS_TEST_TMPDIR/gen.csv"
	for y in 2023 2024 2025 2026; do
		run --separate-stderr mp-export --format ssda903 --year "$y" -o "$BATS_TEST_TMPDIR/903-$y.csv" "$BATS_TEST_TMPDIR/ok.csv"
		assert_equal "$y: $status: $stderr" "$y: 0: "
		n=$(($(wc -l < "$BATS_TEST_TMPDIR/903-$y.csv") - 1))
		[ "$n" -gt 100 ]
		run --separate-stderr mp-validate --ssda903 --year "$y" -o /dev/null "$BATS_TEST_TMPDIR/903-$y.csv"
		assert_equal "$y: $status: $stderr" "$y: 0: mp-validate: $n rows read, $n passed, 0 rejected"
	done
	# Every looked-after episode overlapping 2024-25 is there, and no other.
	want=$(awk -F, 'NR > 1 && $10 == "lac" && substr($4, 1, 10) <= "2025-03-31" && ($5 == "" || substr($5, 1, 10) >= "2024-04-01")' \
		"$BATS_TEST_TMPDIR/ok.csv" | wc -l)
	assert_equal "$(($(wc -l < "$BATS_TEST_TMPDIR/903-2025.csv") - 1))" "$want"
}

@test "export 903: round trip: mp-import --map ssda903 gives back the same episodes (dates only)" {
	f=$(printf '%s\n' "$EH" 'e1,C2,missing,2024-06-01T10:00,2024-06-02T12:00,2009-01-01,lac,Y,Y' \
		'e2,C1,away,2024-05-01T23:30,2024-05-02T01:00,2010-02-03,lac,,' 'e3,C1,absent,2024-09-01,,2010-02-03,lac,,' \
		'e4,C3,missing,2025-03-31T22:00,2025-04-01T01:00,,lac,,' | mkfile ep.csv)
	mp-export --format ssda903 --year 2025 -o "$BATS_TEST_TMPDIR/903.csv" "$f"
	run --separate-stderr mp-import --map ssda903 "$BATS_TEST_TMPDIR/903.csv"
	[ "$status" -eq 0 ]
	got=$(printf '%s\n' "$output" | cut -d, -f2-6)
	assert_equal "$got" "child_id,type,start,end,dob
C1,away,2024-05-01,2024-05-02,2010-02-03
C1,away,2024-09-01,,2010-02-03
C2,missing,2024-06-01,2024-06-02,2009-01-01
C3,missing,2025-03-31,,"
}

@test "export ssd: ssd_missing with SQL date-times, words for the type, Y/N/blank flags, in input order (table)" {
	table <<'TABLE'
0|--format ssd|e9,C1,missing,2024-06-01T10:05,2024-06-02T12:00:30,,cin,Y,N;e2,C2,away,2024-10-27T01:30+00:00,,,,,;e3,C1,absent,2019-01-01,2019-01-02,,,N,|e9,C1,2024-06-01 10:05:00,Missing,2024-06-02 12:00:30,Y,N;e2,C2,2024-10-27 01:30:00,Away,,,;e3,C1,2019-01-01 00:00:00,Absent,2019-01-02 00:00:00,N,|
1|--format ssd|e1,C1,missing,2024-06-01T10:05,,,,Yes,;e2,C1,missing,2024-07-01T10:05,,,,,x||mp-export: FILE:2: rhi_offered: 'Yes' is not Y or N;mp-export: FILE:3: rhi_accepted: 'x' is not Y or N;mp-export: 2 rows read, 0 written, 2 rejected
1|--format ssd|,C1,missing,2024-06-01T10:05,,,,,||mp-export: FILE:2: episode_id: required value is empty;mp-export: 1 row read, 0 written, 1 rejected
TABLE
}

@test "export ssd: round trip: the shipped ssd map reads ssd_missing back (recognised by its header)" {
	f=$(printf '%s\n' "$EH" 'e1,C2,missing,2024-06-01T10:00,2024-06-02T12:00,2009-01-01,lac,Y,Y' \
		'e2,C1,away,2024-03-31T03:30,2024-05-02T01:00:15,,cin,N,' 'e3,C1,absent,2024-09-01T08:00,,,,,' \
		'e4,C3,missing,2025-03-31T22:00,2025-04-01T01:00,,lac,Y,N' | mkfile ep.csv)
	mp-export --format ssd -o "$BATS_TEST_TMPDIR/ssd.csv" "$f"
	run --separate-stderr mp-import "$BATS_TEST_TMPDIR/ssd.csv"
	[ "$status" -eq 0 ]
	assert_equal "$stderr" "mp-import: $BATS_TEST_TMPDIR/ssd.csv: using map ssd (recognised by its header)
mp-import: 4 rows read, 4 imported, 0 paired, 0 rejected"
	got=$(printf '%s\n' "$output" | awk -F, -v OFS=, '{ print $1, $2, $3, $4, $5, $15, $16, $21 }')
	assert_equal "$got" "episode_id,child_id,type,start,end,rhi_offered,rhi_accepted,source
e1,C2,missing,2024-06-01T10:00,2024-06-02T12:00,Y,Y,ssd
e2,C1,away,2024-03-31T03:30,2024-05-02T01:00:15,N,,ssd
e3,C1,absent,2024-09-01T08:00,,,,ssd
e4,C3,missing,2025-03-31T22:00,2025-04-01T01:00,Y,N,ssd"
	# Letters and NA from other councils' extracts.
	g=$(printf '%s\n' "$DH" 'x1,P1,2024-06-01 10:00:00,M,,NA,NA' 'x2,P1,2024-07-01 10:00:00,A,2024-07-01 11:00:00,No,' | mkfile ssd2.csv)
	run --separate-stderr mp-import --map ssd "$g"
	[ "$status" -eq 0 ]
	assert_equal "$(printf '%s\n' "$output" | sed 1d | cut -d, -f1-5,15,16)" "x1,P1,missing,2024-06-01T10:00,,,
x2,P1,away,2024-07-01T10:00,2024-07-01T11:00,N,"
}

@test "export: usage and header errors (table)" {
	f=$(printf '%s\n' "$EH" | mkfile ep.csv)
	g=$(printf '%s\n' 'episode_id,child_id,type,start,end' | mkfile nocare.csv)
	while IFS='|' read -r code args err; do
		# shellcheck disable=SC2086
		run --separate-stderr mp-export $args
		assert_equal "$args: $status: ${stderr%%$'\n'*}" "$args: $code: ${err//FILE/$g}"
	done <<TABLE
2|$f|mp-export: --format is required (ssda903 or ssd)
2|--format xml $f|mp-export: --format: 'xml' is not ssda903 or ssd
2|--format ssda903 $f|mp-export: --format ssda903 needs --year YYYY (the collection year ending 31 March YYYY)
2|--format ssd --year 2025 $f|mp-export: --year applies to --format ssda903 only
2|--format ssda903 --year 25 $f|mp-export: --year: '25' is out of range (1901 to 2299)
1|--format ssda903 --year 2025 $g|mp-export: FILE:1: care_status: required column is missing from the header
0|--format ssd $g|
TABLE
}

@test "export: --help matches the man page; --version; mandoc -Tlint is clean" {
	run mp-export --help
	[ "$status" -eq 0 ]
	man="$TOP/man/mp-export.1"
	for o in $(grep -oE -- '--[a-z][a-z-]+' <<< "$output" | sort -u); do
		grep -q -- "Fl -${o#--}" "$man" || fail "$o is in --help but not in the man page"
	done
	for o in $(grep -oE '^\.It Fl -[a-z-]+' "$man" | sed 's/.*Fl -/--/' | sort -u); do
		grep -q -- "$o" <<< "$output" || fail "$o is in the man page but not in --help"
	done
	run mp-export --version
	assert_output --regexp '^mp-export \(mptools\) [0-9.]+$'
	command -v mandoc > /dev/null || skip "mandoc is not installed"
	run mandoc -Tlint -Wwarning "$man"
	assert_success
	assert_output ""
}
