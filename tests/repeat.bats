#!/usr/bin/env bats
# mp-repeat: repeat-missing thresholds; tables of input, arguments, expected output and status.
load helper

R="$FIX/repeat"
W='child_id,episodes,window_start,window_end,first_start,last_start,episode_ids,care_status,placement,hoth'
counted() {	# the closing line: read, counted (types), other, duplicates, rejected
	local rows=rows dups=duplicates
	[ "$1" = 1 ] && rows=row
	[ "$5" = 1 ] && dups=duplicate
	printf "mp-repeat: %s $rows read: %s counted (%s), %s of other types, %s $dups, %s rejected" "$@"
}

# Run mp-repeat over file through both readers: the in-place CSV scanner
# and the general reader (-e cp1252 reads ASCII bytes alike) must give the
# same output, messages and status.  Leaves run's variables set.
rep() {
	local file=$1
	shift
	run --separate-stderr mp-repeat -e cp1252 "$@" "$file"
	local out0=$output err0=$stderr st0=$status
	run --separate-stderr mp-repeat "$@" "$file"
	assert_equal "reader: $output" "reader: $out0"
	assert_equal "reader: $stderr" "reader: $err0"
	assert_equal "reader: $status" "reader: $st0"
}

# One table row: rep over input (stdin of the case) with args; expected
# status, stdout (\n-separated, after the header) and stderr.
# Usage: check 'ARGS' STATUS 'OUTPUT ROWS' 'STDERR' < input
check() {
	local args=$1 want_st=$2 want_out=$3 want_err=$4 f
	f=$(mkfile in.csv)
	# shellcheck disable=SC2086
	rep "$f" $args
	assert_equal "$args: status $status" "$args: status $want_st"
	assert_equal "$args: ${output}" "$args: ${want_out}"
	assert_equal "$args: ${stderr//$f/IN}" "$args: ${want_err}"
}

T1='episode_id,child_id,type,start,end
e1,A,missing,2025-01-01T10:00,
e2,A,missing,2025-02-10T10:00,
e3,A,away,2025-03-31T23:59,
e4,B,missing,2025-01-01T10:00,
e5,B,missing,2025-03-31T10:00,'

@test "exactly N in the window is listed, N-1 is not; 1 January and 31 March are one 90-day span" {
	check '' 0 "$W
A,3,2025-01-01,2025-03-31,2025-01-01T10:00,2025-03-31T23:59,e1;e2;e3,,," \
		"$(counted 5 5 'missing, away, absent' 0 0 0)" <<< "$T1"
	check '--min 2' 0 "$W
A,3,2025-01-01,2025-03-31,2025-01-01T10:00,2025-03-31T23:59,e1;e2;e3,,,
B,2,2025-01-01,2025-03-31,2025-01-01T10:00,2025-03-31T10:00,e4;e5,,," \
		"$(counted 5 5 'missing, away, absent' 0 0 0)" <<< "$T1"
	check '--min 4' 0 "$W" "$(counted 5 5 'missing, away, absent' 0 0 0)" <<< "$T1"
}

T2='episode_id,child_id,type,start,end
c1,C,missing,2025-01-01,
c2,C,missing,2025-02-15,
c3,C,missing,2025-04-01,
y1,Y,missing,2024-01-01T09:00,
y2,Y,missing,2024-02-01T09:00,
y3,Y,missing,2024-03-30T09:00,
z1,Z,missing,2024-01-01T09:00,
z2,Z,missing,2024-02-01T09:00,
z3,Z,missing,2024-03-31T09:00,'

@test "span boundaries: 1 January and 1 April are not one span; leap years; ties go to the earliest span" {
	# 2024 is a leap year: 1 January + 89 days is 30 March.
	check '' 0 "$W
Y,3,2024-01-01,2024-03-30,2024-01-01T09:00,2024-03-30T09:00,y1;y2;y3,,," \
		"$(counted 9 9 'missing, away, absent' 0 0 0)" <<< "$T2"
	# C: 1 Jan-31 Mar holds c1 c2, 15 Feb-15 May holds c2 c3: the earliest wins.
	check '--min 2' 0 "$W
C,2,2025-01-01,2025-03-31,2025-01-01,2025-02-15,c1;c2,,,
Y,3,2024-01-01,2024-03-30,2024-01-01T09:00,2024-03-30T09:00,y1;y2;y3,,,
Z,2,2024-01-01,2024-03-30,2024-01-01T09:00,2024-02-01T09:00,z1;z2,,," \
		"$(counted 9 9 'missing, away, absent' 0 0 0)" <<< "$T2"
	check '--window 91' 0 "$W
C,3,2025-01-01,2025-04-01,2025-01-01,2025-04-01,c1;c2;c3,,,
Y,3,2024-01-01,2024-03-31,2024-01-01T09:00,2024-03-30T09:00,y1;y2;y3,,,
Z,3,2024-01-01,2024-03-31,2024-01-01T09:00,2024-03-31T09:00,z1;z2;z3,,," \
		"$(counted 9 9 'missing, away, absent' 0 0 0)" <<< "$T2"
}

T3='episode_id,child_id,type,start,end
t1,T,missing,2025-01-01T08:00,
t2,T,missing,2025-01-30T23:00,
t3,T,missing,2025-01-31T01:00,
t4,T,missing,2025-03-01T12:00,'

@test "windows that touch at the boundary day: the day belongs to both" {
	# 30 days from 1 Jan end on 30 Jan (t1 t2); from 30 Jan they end on 28 Feb (t2 t3).
	check '--window 30 --min 3' 0 "$W" "$(counted 4 4 'missing, away, absent' 0 0 0)" <<< "$T3"
	check '--window 30 --min 2' 0 "$W
T,2,2025-01-01,2025-01-30,2025-01-01T08:00,2025-01-30T23:00,t1;t2,,," \
		"$(counted 4 4 'missing, away, absent' 0 0 0)" <<< "$T3"
	check '--window 31 --min 2' 0 "$W
T,3,2025-01-01,2025-01-31,2025-01-01T08:00,2025-01-31T01:00,t1;t2;t3,,," \
		"$(counted 4 4 'missing, away, absent' 0 0 0)" <<< "$T3"
	check '--window 1 --min 2' 0 "$W" "$(counted 4 4 'missing, away, absent' 0 0 0)" <<< "$T3"
}

@test "two windows qualify: the fullest is listed, the earliest on a tie; the latest row's values" {
	# D: 3 in January, 4 in July -> July.  E: 3 and 3 -> January.  Values from the latest start.
	rep "$R/spread.csv"
	[ "$status" -eq 0 ]
	assert_output - <<OUT
$W
D,4,2025-07-01,2025-09-28,2025-07-01T10:00,2025-07-04T23:59,D4;D5;D6;D7,lac,out_of_area,Y
E,3,2025-01-05,2025-04-04,2025-01-05T10:00,2025-01-07T10:00,E1;E2;E3,cp,,Y
OUT
	assert_equal "$stderr" "$(counted 13 13 'missing, away, absent' 0 0 0)"
	# Three 2-day spans of D hold 2: the earliest is given.
	rep "$R/spread.csv" --min 2 --window 2
	assert_output - <<OUT
$W
D,2,2025-07-01,2025-07-02,2025-07-01T10:00,2025-07-02T22:15:30,D4;D5,lac,out_of_area,Y
E,2,2025-01-05,2025-01-06,2025-01-05T10:00,2025-01-06T10:00,E1;E2,cp,,Y
OUT
	# A start with seconds keeps them; a date alone stays a date.
	rep "$R/spread.csv" --min 2 --window 2 --as-of 2025-07-03
	assert_output - <<OUT
$W
D,2,2025-07-02,2025-07-03,2025-07-02T22:15:30,2025-07-03,D5;D6,lac,out_of_area,Y
OUT
}

@test "unsorted input gives the same answer as sorted" {
	run --separate-stderr mp-repeat "$R/spread.csv"
	local sorted=$output
	for args in "" "--min 2 --window 2" "--per month --min 1" "--per week --min 2" "--as-of 2025-07-06 --min 2"; do
		# shellcheck disable=SC2086
		run --separate-stderr mp-repeat $args "$R/spread.csv"
		sorted=$output
		# shellcheck disable=SC2086
		rep "$R/spread-unsorted.csv" $args
		assert_equal "$args: $output" "$args: $sorted"
	done
}

T6='episode_id,child_id,type,start,end
m1,K1,missing,2025-03-30T00:30,
m2,K1,missing,2025-03-30T03:00,
m3,K2,missing,2025-03-29T23:30Z,
m4,K2,missing,2025-03-30T00:30Z,
o1,K3,missing,2025-10-25T23:30Z,
o2,K3,missing,2025-10-26T12:00,
o3,K4,missing,2025-10-26T01:30,
o4,K4,missing,2025-10-26T01:30+00:00,
o5,K5,missing,2025-10-25T23:30,
o6,K5,missing,2025-10-26T00:30,'

@test "the clock changes: episodes are counted on their UK local date" {
	# K1: 00:30 on the spring-forward Sunday and 03:00 (summer time) are one day.
	# K2: 23:30Z on the 29th (GMT) is the 29th; 00:30Z on the 30th is the 30th.
	# K3: 23:30Z on 25 October is 00:30 summer time on the 26th.
	# K4: the repeated autumn hour: both 01:30s, told apart by their offsets.
	check '--window 1 --min 2' 0 "$W
K1,2,2025-03-30,2025-03-30,2025-03-30T00:30,2025-03-30T03:00,m1;m2,,,
K3,2,2025-10-26,2025-10-26,2025-10-26T00:30,2025-10-26T12:00,o1;o2,,,
K4,2,2025-10-26,2025-10-26,2025-10-26T01:30+01:00,2025-10-26T01:30+00:00,o3;o4,,," \
		"$(counted 10 10 'missing, away, absent' 0 0 0)" <<< "$T6"
	check '--per week --min 2' 0 "child_id,week,episodes,episode_ids
K1,2025-W13,2,m1;m2
K2,2025-W13,2,m3;m4
K3,2025-W43,2,o1;o2
K4,2025-W43,2,o3;o4
K5,2025-W43,2,o5;o6" \
		"$(counted 10 10 'missing, away, absent' 0 0 0)" <<< "$T6"
}

T7='episode_id,child_id,type,start,end
d1,F,missing,2025-01-01T10:00,
d2,F,missing,2025-01-02T10:00,
d3,F,away,2025-01-01T10:00,
d4,F,missing,01/01/2025 10:00,
d5,G,missing,2025-01-01T10:00,'

@test "duplicate rows (same child, type and start) are counted once, with a warning naming both lines" {
	# d4 is d1 written the UK way; d3 has another type and d5 another child: not duplicates.
	check '' 0 "$W
F,3,2025-01-01,2025-03-31,2025-01-01T10:00,2025-01-02T10:00,d1;d3;d2,,," \
		"mp-repeat: IN:5: start: warning: duplicate of line 2 (same child_id, type and start): counted once
$(counted 5 4 'missing, away, absent' 0 1 0)" <<< "$T7"
	check '--type missing' 0 "$W" \
		"mp-repeat: IN:5: start: warning: duplicate of line 2 (same child_id, type and start): counted once
$(counted 5 3 missing 1 1 0)" <<< "$T7"
}

@test "a duplicate in another file names that file" {
	printf 'episode_id,child_id,type,start,end\nd1,F,missing,2025-01-01T10:00,\nd2,F,missing,2025-01-02T10:00,\n' > "$BATS_TEST_TMPDIR/a.csv"
	printf 'episode_id,child_id,type,start,end\nd3,F,missing,2025-01-03T10:00,\nd1,F,missing,2025-01-01T10:00,\n' > "$BATS_TEST_TMPDIR/b.csv"
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr mp-repeat a.csv - < b.csv
	[ "$status" -eq 0 ]
	assert_output - <<OUT
$W
F,3,2025-01-01,2025-03-31,2025-01-01T10:00,2025-01-03T10:00,d1;d2;d3,,,
OUT
	assert_equal "$stderr" "mp-repeat: stdin:3: start: warning: duplicate of a.csv:2 (same child_id, type and start): counted once
$(counted 4 3 'missing, away, absent' 0 1 0)"
	run --separate-stderr mp-repeat -e cp1252 a.csv - < b.csv
	assert_equal "$stderr" "mp-repeat: stdin:3: start: warning: duplicate of a.csv:2 (same child_id, type and start): counted once
$(counted 4 3 'missing, away, absent' 0 1 0)"
}

T8='episode_id,child_id,type,start,end,care_status,placement,hoth
a1,G,missing,2024-12-31T12:00,,lac,in_area,N
a2,G,missing,2025-01-01T00:00,,lac,in_area,N
a3,G,away,2025-02-01T10:00,,lac,in_area,N
a4,G,missing,2025-03-31T08:00,,lac,out_of_area,N
a5,G,missing,2025-03-31T13:00,,lac,out_of_area,Y
a6,H,missing,2025-03-01T10:00,,cin,,N
a7,H,missing,2025-03-02T10:00,,cin,,N'

@test "--as-of: only the span of DAYS days ending at that moment" {
	local out='mp-repeat: %s rows read: %s counted (%s), %s of other types, %s outside the window, %s duplicates, %s rejected'
	# 90 days up to 31 March 12:00: from 1 January; a1 is before, a5 after.
	check '--as-of 2025-03-31T12:00' 0 "$W
G,3,2025-01-01,2025-03-31,2025-01-01T00:00,2025-03-31T08:00,a2;a3;a4,lac,out_of_area,N" \
		"$(printf "$out" 7 5 'missing, away, absent' 0 2 0 0)" <<< "$T8"
	# A date alone is the whole day.
	check '--as-of 2025-03-31 --min 2' 0 "$W
G,4,2025-01-01,2025-03-31,2025-01-01T00:00,2025-03-31T13:00,a2;a3;a4;a5,lac,out_of_area,Y
H,2,2025-01-01,2025-03-31,2025-03-01T10:00,2025-03-02T10:00,a6;a7,cin,,N" \
		"$(printf "$out" 7 6 'missing, away, absent' 0 1 0 0)" <<< "$T8"
	# 30 days up to the end of 31 March: from 2 March (a6 is on 1 March).
	check '--as-of 31/03/2025 --window 30 --type missing --min 2' 0 "$W
G,2,2025-03-02,2025-03-31,2025-03-31T08:00,2025-03-31T13:00,a4;a5,lac,out_of_area,Y" \
		"$(printf "$out" 7 3 missing 0 4 0 0)" <<< "$T8"
}

T9='episode_id,child_id,type,start,end
p1,J,missing,2025-01-31T23:30,
p2,J,missing,2025-02-01T00:10,
p3,J,missing,2025-01-15T10:00,
p4,J,missing,2025-02-20T10:00,
p5,J,away,2025-01-02T10:00,
q1,Q,missing,2024-12-30T10:00,
q2,Q,missing,2025-01-05T10:00,
q3,Q,missing,2021-01-01T10:00,
q4,Q,missing,2021-01-03T10:00,'

@test "--per month and --per week: calendar months across a month end; ISO weeks across a year end" {
	check '--per month --min 2' 0 "child_id,month,episodes,episode_ids
J,2025-01,3,p5;p3;p1
J,2025-02,2,p2;p4
Q,2021-01,2,q3;q4" \
		"$(counted 9 9 'missing, away, absent' 0 0 0)" <<< "$T9"
	check '--per month --min 3 --type away,missing' 0 "child_id,month,episodes,episode_ids
J,2025-01,3,p5;p3;p1" \
		"$(counted 9 9 'missing, away' 0 0 0)" <<< "$T9"
	# 30 Dec 2024 is in 2025-W01; 1 and 3 Jan 2021 are in 2020-W53.
	check '--per week --min 2' 0 "child_id,week,episodes,episode_ids
J,2025-W05,2,p1;p2
Q,2020-W53,2,q3;q4
Q,2025-W01,2,q1;q2" \
		"$(counted 9 9 'missing, away, absent' 0 0 0)" <<< "$T9"
}

@test "--type restricts what counts and the closing line says which types were counted" {
	check '--type missing' 0 "$W" "$(counted 5 4 missing 1 0 0)" <<< "$T1"
	check '--type missing,away' 0 "$W
A,3,2025-01-01,2025-03-31,2025-01-01T10:00,2025-03-31T23:59,e1;e2;e3,,," \
		"$(counted 5 5 'missing, away' 0 0 0)" <<< "$T1"
	check '--type away --type missing' 0 "$W
A,3,2025-01-01,2025-03-31,2025-01-01T10:00,2025-03-31T23:59,e1;e2;e3,,," \
		"$(counted 5 5 'missing, away' 0 0 0)" <<< "$T1"
	check '--type absent --min 1' 0 "$W" "$(counted 5 0 absent 5 0 0)" <<< "$T1"
}

T12='episode_id,child_id,type,start,end
,A,missing,2025-01-01,
x2,,missing,2025-01-01,
x3,A,,2025-01-01,
x4,A,lost,2025-01-01,
x5,A,missing,,
x6,A,missing,2025-02-30,
x7,A,missing,2025-03-30T01:30,
x8,A,missing,25/12/24,
x9,A,missing
x10,A,"mis"sing,2025-01-01,
x11,A,missing,2025-01-01T10:00,
x12,A,missing,2025-01-01T24:00,
"x13
continued",A,missing,2025-01-02T10:00,
x14,A,missing,2025-01-03T10:00,,extra'

@test "rows that cannot be used: every message, then the count; exit 1" {
	# A quoted id across two lines is one record (and is quoted again on output).
	check '--min 2' 1 "$W
A,2,2025-01-01,2025-03-31,2025-01-01T10:00,2025-01-02T10:00,\"x11;x13
continued\",,," \
		"mp-repeat: IN:2: episode_id: required value is empty
mp-repeat: IN:3: episode x2: child_id: required value is empty
mp-repeat: IN:4: episode x3: type: required value is empty
mp-repeat: IN:5: episode x4: type: 'lost' is not one of: missing, away, absent
mp-repeat: IN:6: episode x5: start: required value is empty
mp-repeat: IN:7: episode x6: start: '2025-02-30': impossible date: no such day in that month
mp-repeat: IN:8: episode x7: start: '2025-03-30T01:30': this local time does not exist (the clocks went forward)
mp-repeat: IN:9: episode x8: start: '25/12/24': two-digit years are not accepted (write the year in full)
mp-repeat: IN:10: expected 5 fields (as in the header), found 3
mp-repeat: IN:11: bad quoting: a quote inside an unquoted field, or text after a closing quote
mp-repeat: IN:13: episode x12: start: '2025-01-01T24:00': 24:00 is not a time of day (use 00:00 of the next day)
mp-repeat: IN:16: expected 5 fields (as in the header), found 6
$(counted 14 2 'missing, away, absent' 0 0 12)" <<< "$T12"
}

@test "invalid UTF-8 and NUL bytes are reported with their field" {
	printf 'episode_id,child_id,type,start,end\ne1,A\xff,missing,2025-01-01,\ne2,A,missing,2025-01-01,\xc3\n"e3\x00",A,missing,2025-01-01,\n' > "$BATS_TEST_TMPDIR/u.csv"
	run --separate-stderr mp-repeat "$BATS_TEST_TMPDIR/u.csv"
	[ "$status" -eq 1 ]
	assert_output "$W"
	assert_equal "${stderr//$BATS_TEST_TMPDIR\//}" "mp-repeat: u.csv:2: child_id: invalid UTF-8 in field 2 at byte 2 (if the file came from Excel, try --encoding cp1252)
mp-repeat: u.csv:3: end: invalid UTF-8 in field 5 at byte 1 (if the file came from Excel, try --encoding cp1252)
mp-repeat: u.csv:4: episode_id: NUL byte in field 1 at byte 3
$(counted 3 0 'missing, away, absent' 0 0 3)"
	# The same bytes read as cp1252 are characters.
	run --separate-stderr mp-repeat -e cp1252 --min 1 "$BATS_TEST_TMPDIR/u.csv"
	assert_equal "${stderr//$BATS_TEST_TMPDIR\//}" "mp-repeat: u.csv:3: episode e2: end: 'Ã': not a date (expected YYYY-MM-DD or DD/MM/YYYY)
mp-repeat: u.csv:4: episode_id: NUL byte in field 1 at byte 3
$(counted 3 1 'missing, away, absent' 0 0 2)"
}

@test "input that cannot be read at all: exit 1" {
	while IFS='|' read -r input msg; do
		run --separate-stderr mp-repeat - < <(printf "$input")
		assert_equal "$input: $status" "$input: 1"
		assert_equal "$input: $stderr" "$input: $msg"
		assert_equal "$input: $output" "$input: "
	done <<'TABLE'
|mp-repeat: stdin: empty input: no header line
\n\n|mp-repeat: stdin: empty input: no header line
episode_id,child_id,type\n|mp-repeat: stdin:1: start: required column is missing from the header
child_id,type,start\n|mp-repeat: stdin:1: episode_id: required column is missing from the header
"episode_id,child_id\n|mp-repeat: stdin:1: header: unterminated quoted field: a quote opened in the record starting here is never closed, so lines 1-1 could not be read
TABLE
	run --separate-stderr mp-repeat "$BATS_TEST_TMPDIR/none.csv"
	[ "$status" -eq 1 ]
	assert_equal "${stderr//$BATS_TEST_TMPDIR\//}" "mp-repeat: none.csv: No such file or directory"
	# An unterminated quote in the data: the rest of the file is one rejected record.
	run --separate-stderr mp-repeat - < <(printf 'episode_id,child_id,type,start,end\n"e1,A,missing,2025-01-01,\ne2,A,missing,2025-01-02,\n')
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-repeat: stdin:2: unterminated quoted field: a quote opened in the record starting here is never closed, so lines 2-3 could not be read
$(counted 1 0 'missing, away, absent' 0 0 1)"
}

@test "usage errors: every message; exit 2" {
	while IFS='|' read -r args msg; do
		# shellcheck disable=SC2086
		run --separate-stderr mp-repeat $args /dev/null
		assert_equal "$args: $status" "$args: 2"
		assert_equal "$args: $stderr" "$args: mp-repeat: $msg
Try 'mp-repeat --help' for more information."
	done <<'TABLE'
--min 0|--min: '0' is out of range (1 to 1000000)
--min three|--min: 'three' is not a whole number
--window 0|--window: '0' is out of range (1 to 36525)
--window 9x|--window: '9x' is not a whole number
--per day|--per: 'day' is not month or week
--type lost|--type: unknown type 'lost' (missing, away or absent)
--type ,|--type: no type given (missing, away or absent)
--per month --window 30|--per and --window cannot be combined (a month or week is the span)
--per week --as-of 2025-01-01|--per and --as-of cannot be combined
--as-of 2025-02-30|--as-of: '2025-02-30': impossible date: no such day in that month
--as-of yesterday|--as-of: 'yesterday': not a date (expected YYYY-MM-DD or DD/MM/YYYY)
--tz Mars/Base|unknown time zone 'Mars/Base'
--excel --tsv-out|--excel applies to CSV output, not TSV
TABLE
	run --separate-stderr mp-repeat --bogus
	[ "$status" -eq 2 ]
	assert_equal "$stderr" "mp-repeat: unknown option '--bogus'
Try 'mp-repeat --help' for more information."
}

@test "TSV in and out, -o FILE, --excel" {
	printf 'episode_id\tchild_id\ttype\tstart\tend\ne1\tA\tmissing\t2025-01-01T10:00\t\ne2\tA\tmissing\t2025-01-02T10:00\t\ne3\t=A\tmissing\t2025-01-03T10:00\t\n' > "$BATS_TEST_TMPDIR/t.tsv"
	run --separate-stderr mp-repeat -t --min 2 "$BATS_TEST_TMPDIR/t.tsv"
	[ "$status" -eq 0 ]
	assert_output "$(printf 'child_id\tepisodes\twindow_start\twindow_end\tfirst_start\tlast_start\tepisode_ids\tcare_status\tplacement\thoth\nA\t2\t2025-01-01\t2025-03-31\t2025-01-01T10:00\t2025-01-02T10:00\te1;e2\t\t\t')"
	run --separate-stderr mp-repeat --tsv-in --min 1 --per month -o "$BATS_TEST_TMPDIR/out.csv" "$BATS_TEST_TMPDIR/t.tsv"
	[ "$status" -eq 0 ]
	assert_output ""
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out.csv")" "child_id,month,episodes,episode_ids
=A,2025-01,1,e3
A,2025-01,2,e1;e2"
	run --separate-stderr mp-repeat --tsv-in --min 1 --per month --excel "$BATS_TEST_TMPDIR/t.tsv"
	assert_equal "$output" "$(printf '\xef\xbb\xbfchild_id,month,episodes,episode_ids\r\n'"'"'=A,2025-01,1,e3\r\nA,2025-01,2,e1;e2\r')"
}

@test "CRLF line ends, a byte-order mark and quoted fields read as in mp-validate" {
	printf '\xef\xbb\xbfepisode_id,child_id,type,start,end\r\n"e,1",A,missing,2025-01-01T10:00,\r\n"e""2",A,missing,"2025-01-02T10:00",\r\n\r\ne3,A,missing,2025-01-03T10:00,\r\n' > "$BATS_TEST_TMPDIR/w.csv"
	rep "$BATS_TEST_TMPDIR/w.csv"
	[ "$status" -eq 0 ]
	assert_output - <<OUT
$W
A,3,2025-01-01,2025-03-31,2025-01-01T10:00,2025-01-03T10:00,"e,1;e""2;e3",,,
OUT
}

@test "--help lists every option of the man page; --version" {
	run mp-repeat --help
	[ "$status" -eq 0 ]
	assert_line --index 0 "Usage: mp-repeat [OPTION]... [FILE]..."
	for o in --min --window --as-of --per --type --tsv --tsv-in --tsv-out --encoding --output --excel --tz --help --version; do
		assert_output --partial "$o"
		grep -q -- "^\.It .*Fl ${o#-}" "$TOP/man/mp-repeat.1" || grep -q -- "Fl ${o#-}" "$TOP/man/mp-repeat.1"
	done
	run mp-repeat --version
	[ "$status" -eq 0 ]
	assert_output --regexp '^mp-repeat \(mptools\) [0-9.]+$'
}

@test "the sample national-return data, when present, reads without crashing" {
	[ -d "$SHARED_DATA/ssda903" ] || skip "no shared data"
	run --separate-stderr mp-repeat "$SHARED_DATA/ssda903/missing.csv"
	# The 903 columns are not canonical: the header check names the first missing one.
	[ "$status" -eq 1 ]
	assert_equal "${stderr##*: }" "required column is missing from the header"
}
