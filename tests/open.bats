#!/usr/bin/env bats
# mp-open: open episodes at --now, hours missing across clock changes, SLT alerts, strategy meeting dates.
load helper

OPEN="$FIX/alerts/open.csv"
NOW=2025-04-01T09:00
H='episode_id,child_id,start,end,allocated'
COLS='episode_id,child_id,start,hours_missing,slt_alert,strategy_meeting_by,care_status,placement,allocated,police_risk,approx'

@test "open: episodes open at --now, longest first, ties in input order" {
	# o05 ended before --now; o06 ends after it (still open then); o07 starts after it;
	# o10's bad rhi_held is reported as by every command, and o10 (open) is still listed: exit 1.
	run --separate-stderr mp-open --now "$NOW" "$OPEN"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-open: $OPEN:11: episode o10: rhi_held: 'not-a-date': not a date (expected YYYY-MM-DD or DD/MM/YYYY)
mp-open: 10 rows read, 8 listed (1 with a problem), 2 not listed, 0 rejected"
	assert_output - <<'OUT'
episode_id,child_id,start,hours_missing,slt_alert,strategy_meeting_by,care_status,placement,allocated,police_risk,approx
o06,c06,2025-03-28T12:00,92.0,Y,2025-04-02,cp,,Y,high,N
o03,c03,2025-03-29T09:00,71.0,N,2025-04-02,cin,,N,low,N
o09,c09,2025-03-29T09:00,71.0,N,2025-04-02,cp,,,medium,N
o04,c04,2025-03-30,56.0,Y,2025-04-02,lac,in_area,Y,no_apparent_risk,Y
o01,c01,2025-03-31T09:00,24.0,Y,2025-04-03,lac,in_area,Y,high,N
o10,c10,2025-03-31T09:00,24.0,Y,2025-04-03,lac,,Y,high,N
o02,c02,2025-03-31T09:01,23.9,N,2025-04-03,lac,out_of_area,Y,medium,N
o08,c08,2025-04-01T09:00,0.0,N,2025-04-04,lac,in_area,Y,,N
OUT
}

@test "open: strategy meeting dates across Easter, Christmas and the one-off bank holidays (table)" {
	# start | --strategy-days | strategy_meeting_by
	while IFS='|' read -r start days want note; do
		f=$(printf '%s\ne1,c1,%s,,N\n' "$H" "$start" | mkfile in.csv)
		run --separate-stderr mp-open --strategy-days "$days" --now 2030-12-31T23:00 "$f"
		assert_equal "$start +$days ($note): $(printf '%s\n' "$output" | sed -n 2p | cut -d, -f6): $stderr" \
			"$start +$days ($note): $want: "
		[ "$status" -eq 0 ]
	done <<'TABLE'
2025-03-27T10:00|3|2025-04-01|Thursday: Friday, Monday, Tuesday
2025-03-29T10:00|3|2025-04-02|Saturday
2025-03-30|3|2025-04-02|Sunday, date only
2025-04-16T10:00|3|2025-04-23|Easter 2025: Good Friday 18, Easter Monday 21
2025-04-17T23:30|3|2025-04-24|Easter 2025, late evening
2025-04-16T22:30Z|3|2025-04-23|written in UTC: 23:30 local on the 16th
2025-04-16T23:30Z|3|2025-04-24|written in UTC: 00:30 local on the 17th
2025-04-18T10:00|3|2025-04-24|Good Friday itself
2025-04-18T10:00|1|2025-04-22|Good Friday itself, one day
2024-03-28T10:00|3|2024-04-04|Easter 2024: 29 March, 1 April
2016-03-24T10:00|3|2016-03-31|Easter 2016
2025-12-24T18:00|3|2025-12-31|Christmas 2025: Thursday and Friday
2020-12-24T18:00|3|2020-12-31|Christmas 2020: Boxing Day substitute on Monday 28
2022-12-23T18:00|3|2022-12-30|Christmas 2022: Monday 26 and Tuesday 27
2022-12-29T18:00|3|2023-01-04|New Year 2023 substitute: Monday 2 January
2026-12-24T18:00|3|2026-12-31|Christmas 2026: Friday and substitute Monday 28
2022-05-31T10:00|3|2022-06-07|Platinum Jubilee: 2 and 3 June 2022
2022-06-01T10:00|3|2022-06-08|Platinum Jubilee: 2 and 3 June 2022
2022-06-01T10:00|1|2022-06-06|Platinum Jubilee, one day
2022-09-16T10:00|3|2022-09-22|State funeral: Monday 19 September 2022
2022-09-16T10:00|1|2022-09-20|State funeral, one day
2023-05-04T10:00|3|2023-05-10|Coronation: Monday 8 May 2023
2023-05-05T10:00|3|2023-05-11|Coronation: Monday 8 May 2023
2023-04-28T10:00|3|2023-05-04|early May 2023: Monday 1 May
2023-04-28T10:00|10|2023-05-16|both May Mondays of 2023
2025-03-29T10:00|0|2025-03-29|0 days: the start's date
2025-04-01T10:00|5|2025-04-08|five days
TABLE
}

@test "open: hours missing and the SLT alert across the clock changes (table)" {
	# start | allocated | --now | --slt-hours | hours_missing | slt_alert | approx
	while IFS='|' read -r start alloc now slt hours want approx; do
		f=$(printf '%s\ne1,c1,%s,,%s\n' "$H" "$start" "$alloc" | mkfile in.csv)
		run --separate-stderr mp-open --slt-hours "$slt" --now "$now" "$f"
		assert_equal "$start $alloc $now $slt: $(printf '%s\n' "$output" | sed -n 2p | cut -d, -f4,5,11)" \
			"$start $alloc $now $slt: $hours,$want,$approx"
		[ "$status" -eq 0 ]
	done <<'TABLE'
2025-03-29T09:00|Y|2025-03-30T09:00|24|23.0|N|N
2025-03-29T09:00|Y|2025-03-30T10:00|24|24.0|Y|N
2025-03-30T00:30|Y|2025-03-31T00:30|24|23.0|N|N
2025-10-25T10:00|Y|2025-10-26T09:00|24|24.0|Y|N
2025-10-25T10:00|Y|2025-10-26T08:59|24|23.9|N|N
2025-10-26T01:30+01:00|Y|2025-10-26T01:30+00:00|1|1.0|Y|N
2025-10-26T01:30|Y|2025-10-26T01:59|1|0.4|N|N
2025-01-01T09:00:01|Y|2025-01-02T09:00|24|23.9|N|N
2025-01-01T09:00|Y|2025-01-02T09:00|24|24.0|Y|N
2025-01-01T09:00|N|2025-01-10T09:00|24|216.0|N|N
2025-01-01T09:00||2025-01-10T09:00|24|216.0|N|N
2025-01-01T09:00|Y|2025-01-01T09:00|0|0.0|Y|N
2025-01-01T09:00|Y|2025-01-01T21:00|12|12.0|Y|N
2025-01-01T09:00|Y|2025-01-01T20:59|12|11.9|N|N
2025-01-01|Y|2025-01-02T00:00|24|24.0|Y|Y
2025-01-01|Y|2025-01-01T23:59|24|23.9|N|Y
01/01/2025|Y|2025-01-02|24|24.0|Y|Y
2025-03-30|Y|2025-03-31|24|23.0|N|Y
TABLE
}

@test "open: not open at --now: starts later, ended by then (table: start, end, listed)" {
	while IFS='|' read -r start end listed; do
		f=$(printf '%s\ne1,c1,%s,%s,N\n' "$H" "$start" "$end" | mkfile in.csv)
		run --separate-stderr mp-open --now "$NOW" "$f"
		assert_equal "$start..$end: $(( $(printf '%s\n' "$output" | wc -l) - 1 )) $status" "$start..$end: $listed"
	done <<'TABLE'
2025-04-01T09:00||1 0
2025-04-01T09:01||0 3
2025-04-02||0 3
2025-04-01||1 0
2025-03-01T09:00|2025-04-01T09:00|0 3
2025-03-01T09:00|2025-04-01T09:01|1 0
2025-03-01T09:00|2025-04-01|0 3
2025-03-01T09:00|2025-04-02|1 0
TABLE
}

@test "open: header only, nothing open: the header, exit 3" {
	f=$(printf '%s\n' "$H" | mkfile empty.csv)
	run --separate-stderr mp-open --now "$NOW" "$f"
	[ "$status" -eq 3 ]
	assert_output "$COLS"
	assert_equal "$stderr" ""
	f=$(printf '%s\na,c1,2025-03-01,2025-03-02,Y\n' "$H" | mkfile closed.csv)
	run --separate-stderr mp-open --now "$NOW" "$f"
	[ "$status" -eq 3 ]
	assert_output "$COLS"
}

@test "open: only open episodes; stdin; TSV; -o FILE" {
	f=$(printf '%s\na,c1,2025-03-31T10:00,,Y\nb,c2,2025-03-30T10:00,,N\n' "$H" | mkfile open.csv)
	run --separate-stderr bash -c "mp-open --tsv-out --now $NOW < '$f'"
	[ "$status" -eq 0 ]
	assert_output - <<'OUT'
episode_id	child_id	start	hours_missing	slt_alert	strategy_meeting_by	care_status	placement	allocated	police_risk	approx
b	c2	2025-03-30T10:00	47.0	N	2025-04-02			N		N
a	c1	2025-03-31T10:00	23.0	N	2025-04-03			Y		N
OUT
	tr ',' '\t' < "$f" > "$BATS_TEST_TMPDIR/open.tsv"
	run --separate-stderr mp-open -t --now "$NOW" -o "$BATS_TEST_TMPDIR/out.tsv" "$BATS_TEST_TMPDIR/open.tsv"
	[ "$status" -eq 0 ]
	assert_output ""
	run cat "$BATS_TEST_TMPDIR/out.tsv"
	assert_line --index 1 $'b\tc2\t2025-03-30T10:00\t47.0\tN\t2025-04-02\t\t\tN\t\tN'
}

@test "open: a bad allocated is reported but the child is still listed, exit 1" {
	f=$(printf '%s\na,c1,2025-03-29T10:00,,yes\nb,c2,2025-03-30T10:00,,Y\n' "$H" | mkfile alloc.csv)
	run --separate-stderr mp-open --now "$NOW" "$f"
	[ "$status" -eq 1 ]
	assert_output - <<'OUT'
episode_id,child_id,start,hours_missing,slt_alert,strategy_meeting_by,care_status,placement,allocated,police_risk,approx
a,c1,2025-03-29T10:00,70.0,,2025-04-02,,,yes,,N
b,c2,2025-03-30T10:00,47.0,Y,2025-04-02,,,Y,,N
OUT
	assert_equal "$stderr" "mp-open: $f:2: episode a: allocated: 'yes' is not Y or N
mp-open: 2 rows read, 2 listed (1 with a problem), 0 not listed, 0 rejected"
}

@test "open: rows that cannot be used are reported, counted, and exit 1" {
	f=$(mkfile bad.csv <<EOF
$H
ok,c1,2025-03-31T10:00,,Y
b1,c1,2025-03-32T10:00,,Y
b2,c2,,,Y
b3,c3,2025-03-31T10:00,31/03/25,Y
,c4,2025-03-31T10:00,,Y
b5,,2025-03-31T10:00,,Y
b6,c6,2025-03-31T10:00
b7,c7,2025-03-30T01:15,,Y
"b8,c8,2025-03-31T10:00,,Y
EOF
)
	run --separate-stderr mp-open --now "$NOW" "$f"
	[ "$status" -eq 1 ]
	assert_output - <<'OUT'
episode_id,child_id,start,hours_missing,slt_alert,strategy_meeting_by,care_status,placement,allocated,police_risk,approx
ok,c1,2025-03-31T10:00,23.0,N,2025-04-03,,,Y,,N
OUT
	assert_equal "$stderr" "mp-open: $f:3: episode b1: start: '2025-03-32T10:00': impossible date: no such day in that month
mp-open: $f:4: episode b2: start: required value is empty
mp-open: $f:5: episode b3: end: '31/03/25': two-digit years are not accepted (write the year in full)
mp-open: $f:6: episode_id: required value is empty
mp-open: $f:7: episode b5: child_id: required value is empty
mp-open: $f:8: expected 5 fields (as in the header), found 3
mp-open: $f:9: episode b7: start: '2025-03-30T01:15': this local time does not exist (the clocks went forward)
mp-open: $f:10: unterminated quoted field: a quote opened in the record starting here is never closed, so lines 10-10 could not be read
mp-open: 9 rows read, 1 listed, 0 not listed, 8 rejected"
}

@test "open: input or holidays that cannot be read (table of errors, exit 1)" {
	printf 'episode_id,child_id,start,end\n' > "$BATS_TEST_TMPDIR/noalloc.csv"
	: > "$BATS_TEST_TMPDIR/empty.csv"
	printf '2025-12-25\n2025-13-01\n' > "$BATS_TEST_TMPDIR/badhol"
	while IFS='|' read -r args msg; do
		run --separate-stderr mp-open --now "$NOW" $args
		assert_equal "$args: $status: $stderr" "$args: 1: mp-open: $msg"
	done <<TABLE
$BATS_TEST_TMPDIR/noalloc.csv|$BATS_TEST_TMPDIR/noalloc.csv:1: allocated: required column is missing from the header
$BATS_TEST_TMPDIR/empty.csv|$BATS_TEST_TMPDIR/empty.csv: empty input: no header line
$BATS_TEST_TMPDIR/nosuch.csv|$BATS_TEST_TMPDIR/nosuch.csv: No such file or directory
--holidays $BATS_TEST_TMPDIR/nosuch $OPEN|$BATS_TEST_TMPDIR/nosuch: No such file or directory
--holidays $BATS_TEST_TMPDIR/badhol $OPEN|$BATS_TEST_TMPDIR/badhol:2: impossible date: no such month
TABLE
}

@test "open: --holidays FILE replaces the shipped list; years it does not cover are warned about once" {
	printf '# one proclaimed day\n2025-04-02\n' > "$BATS_TEST_TMPDIR/hol"
	f=$(printf '%s\na,c1,2025-03-31T10:00,,N\nb,c2,2025-04-18T10:00,,N\n' "$H" | mkfile in.csv)
	run --separate-stderr mp-open --holidays "$BATS_TEST_TMPDIR/hol" --now 2025-04-30 "$f"
	[ "$status" -eq 0 ]
	assert_equal "$(printf '%s\n' "$output" | cut -d, -f1,6 | paste -sd' ')" \
		"episode_id,strategy_meeting_by a,2025-04-04 b,2025-04-23"
	assert_equal "$stderr" ""
	f=$(printf '%s\na,c1,2031-04-17T10:00,,N\nb,c2,2014-12-24T10:00,,N\n' "$H" | mkfile far.csv)
	run --separate-stderr mp-open --now 2031-05-01 "$f"
	[ "$status" -eq 0 ]
	assert_equal "$(printf '%s\n' "$output" | cut -d, -f1,6 | paste -sd' ')" \
		"episode_id,strategy_meeting_by b,2014-12-29 a,2031-04-22"
	assert_equal "$stderr" "mp-open: warning: bank holidays are known for 2015 to 2030 only; strategy_meeting_by in 2031 skips weekends only"
}

@test "open: usage errors exit 2 (table)" {
	while IFS='|' read -r args msg; do
		run --separate-stderr mp-open $args "$OPEN"
		assert_equal "$args: $status: $stderr" "$args: 2: mp-open: $msg
Try 'mp-open --help' for more information."
	done <<'TABLE'
--slt-hours -1|--slt-hours: '-1' is out of range (0 to 8760)
--slt-hours 24h|--slt-hours: '24h' is not a whole number
--strategy-days 366|--strategy-days: '366' is out of range (0 to 365)
--strategy-days x|--strategy-days: 'x' is not a whole number
--now 31/02/2025|--now: '31/02/2025': impossible date: no such day in that month
--now 2025-04-01T24:00|--now: '2025-04-01T24:00': 24:00 is not a time of day (use 00:00 of the next day)
-e latin9|unknown encoding 'latin9' (utf-8 or cp1252)
--tz Nowhere|unknown time zone 'Nowhere'
TABLE
	run --separate-stderr mp-open --holidays "" "$OPEN"
	[ "$status" -eq 2 ]
	assert_equal "$stderr" "mp-open: --holidays needs a file name
Try 'mp-open --help' for more information."
}

@test "open: --help names every option of the man page; --version" {
	run mp-open --help
	[ "$status" -eq 0 ]
	assert_line --index 0 "Usage: mp-open [OPTION]... [FILE]..."
	for o in --now --slt-hours --strategy-days --holidays --la --children --tsv --tsv-in --tsv-out --encoding --output --excel --tz --help --version; do
		assert_output --partial "$o"
		grep -qE -- "^\.It .*Fl ${o#-}( |$)" "$TOP/man/mp-open.1"
	done
	run mp-open --version
	[ "$status" -eq 0 ]
	assert_output --regexp '^mp-open \(mptools\) [0-9.]+$'
}

@test "open: without --now the clock is used" {
	f=$(printf '%s\na,c1,2000-01-03T10:00,,Y\nb,c2,2099-01-01T10:00,,Y\n' "$H" | mkfile clock.csv)
	run --separate-stderr mp-open "$f"
	[ "$status" -eq 0 ]
	assert_equal "$(printf '%s\n' "$output" | sed 1d | cut -d, -f1,5,6)" "a,Y,2000-01-06"
}

@test "open: whose children: --children own, placed-here and all, --la (table)" {
	f=$(mkfile whose.csv <<'EOF'
episode_id,child_id,start,end,allocated,la,responsible_la
o1,c1,2025-03-31T10:00,,Y,E1,
o2,c2,2025-03-31T11:00,,N,E1,e1
o3,c3,2025-03-31T12:00,,N,E1,E2
o4,c4,2025-03-30T12:00,2025-03-30T13:00,N,E1,E2
EOF
)
	# options | episodes listed | status
	while IFS='|' read -r opts want st; do
		run --separate-stderr mp-open --now "$NOW" $opts "$f"
		assert_equal "$opts: $(sed 1d <<< "$output" | cut -d, -f1 | paste -sd' '): $status" "$opts: $want: $st"
	done <<'TABLE'
|o1 o2|0
--children own|o1 o2|0
--children placed-here|o3|0
--children all|o1 o2 o3|0
--la E2|o1 o3|0
--la E3 --children placed-here|o2 o3|0
--la E2 --children placed-here|o2|0
--la E1 --children placed-here --now 2025-03-31T11:30||3
TABLE
	# The closing line counts the children left out as not listed.
	g=$(printf 'o5,c5,2025-03-31T10:00,2025-02-30,N,E1,\n' | cat "$f" - | mkfile bad.csv)
	run --separate-stderr mp-open --now "$NOW" "$g"
	[ "$status" -eq 1 ]
	assert_equal "${stderr##*$'\n'}" "mp-open: 5 rows read, 2 listed, 2 not listed, 1 rejected"
	# The council cannot be told.
	g=$(sed 's/^o1,c1,\(.*\),E1,$/o1,c1,\1,E9,/' "$f" | mkfile two.csv)
	run --separate-stderr mp-open --now "$NOW" "$g"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-open: la: the input holds several councils (E9, E1, ...) and some rows have a responsible_la: give --la CODE for this council (or --children all)"
	run --separate-stderr mp-open --now "$NOW" --children nobody "$f"
	[ "$status" -eq 2 ]
	assert_equal "$stderr" "mp-open: --children: 'nobody': expected own, placed-here or all
Try 'mp-open --help' for more information."
}
