#!/usr/bin/env bats
# mp-validate: the episode-logic rules on the canonical stream (one table row a case).
load helper

EH='episode_id,child_id,type,start,end,dob,care_status,placement,rhi_offered,rhi_accepted,rhi_held,rhi_reason'
NOW=2025-01-01T12:00

# Read a table on stdin: status | extra args | rows (';' between rows) | stderr lines (';' between lines).
# Each case runs on standard input, so messages name "stdin".
table() {
	local n=0 code args rows want f
	while IFS='|' read -r code args rows want; do
		case "$code" in ''|'#'*) continue ;; esac
		n=$((n + 1))
		f=$(printf '%s\n' "$EH" "${rows//;/$'\n'}" | mkfile "case$n.csv")
		# shellcheck disable=SC2086
		run --separate-stderr mp-validate --now "$NOW" $args < "$f"
		assert_equal "case $n [$rows]: $status: $stderr" "case $n [$rows]: $code: ${want//;/$'\n'}"
	done
	[ "$n" -gt 0 ]
}

@test "rules: end_before_start, with the same instant, dates alone and the clock changes (table)" {
	table <<'TABLE'
0||e1,c1,missing,2024-06-01T10:00,2024-06-01T10:00,,,,,,,|mp-validate: 1 row read, 1 passed, 0 rejected
1||e1,c1,missing,2024-06-01T10:00,2024-06-01T09:59,,,,,,,|mp-validate: stdin:2: episode e1: end: ends (2024-06-01T09:59) before it starts (2024-06-01T10:00) [end_before_start];mp-validate: 1 row read, 0 passed, 1 rejected
0||e1,c1,missing,2024-06-01T10:00,2024-06-01,,,,,,,|mp-validate: 1 row read, 1 passed, 0 rejected
1||e1,c1,missing,2024-06-01T10:00,2024-05-31,,,,,,,|mp-validate: stdin:2: episode e1: end: ends (2024-05-31) before it starts (2024-06-01T10:00) [end_before_start];mp-validate: 1 row read, 0 passed, 1 rejected
0||e1,c1,away,2024-06-01,2024-06-01,,,,,,,|mp-validate: 1 row read, 1 passed, 0 rejected
# the repeated October hour: 01:45 (first, summer time) to 01:15 GMT is 30 minutes later
0||e1,c1,missing,2024-10-27T01:45,2024-10-27T01:15+00:00,,,,,,,|mp-validate: 1 row read, 1 passed, 0 rejected
1||e1,c1,missing,2024-10-27T01:15+00:00,2024-10-27T01:45,,,,,,,|mp-validate: stdin:2: episode e1: end: ends (2024-10-27T01:45) before it starts (2024-10-27T01:15+00:00) [end_before_start];mp-validate: 1 row read, 0 passed, 1 rejected
0||e1,c1,missing,2024-10-27T01:15+01:00,2024-10-27T01:05+00:00,,,,,,,|mp-validate: 1 row read, 1 passed, 0 rejected
# the hour skipped in March does not exist
1||e1,c1,missing,2024-03-31T01:30,,,,,,,,|mp-validate: stdin:2: episode e1: start: '2024-03-31T01:30': this local time does not exist (the clocks went forward) [format];mp-validate: 1 row read, 0 passed, 1 rejected
0||e1,c1,missing,2024-03-31T00:59,2024-03-31T02:00,,,,,,,|mp-validate: 1 row read, 1 passed, 0 rejected
1||e1,c1,missing,29/02/2023 10:00,,,,,,,,|mp-validate: stdin:2: episode e1: start: '29/02/2023 10:00': impossible date: no such day in that month [format];mp-validate: 1 row read, 0 passed, 1 rejected
0||e1,c1,missing,29/02/2024 10:00,29/02/2024 11:00,,,,,,,|mp-validate: 1 row read, 1 passed, 0 rejected
1||e1,c1,missing,01/06/24,,,,,,,,|mp-validate: stdin:2: episode e1: start: '01/06/24': two-digit years are not accepted (write the year in full) [format];mp-validate: 1 row read, 0 passed, 1 rejected
TABLE
}

@test "rules: future, against --now (table)" {
	table <<'TABLE'
0||e1,c1,missing,2025-01-01T12:00,,,,,,,,|mp-validate: 1 row read, 1 passed, 0 rejected
1||e1,c1,missing,2025-01-01T12:01,,,,,,,,|mp-validate: stdin:2: episode e1: start: '2025-01-01T12:01' is in the future (now is 2025-01-01T12:00) [future];mp-validate: 1 row read, 0 passed, 1 rejected
0||e1,c1,missing,2025-01-01,,,,,,,,|mp-validate: 1 row read, 1 passed, 0 rejected
1||e1,c1,missing,2025-01-02,,,,,,,,|mp-validate: stdin:2: episode e1: start: '2025-01-02' is in the future (now is 2025-01-01T12:00) [future];mp-validate: 1 row read, 0 passed, 1 rejected
1||e1,c1,missing,2024-12-31T10:00,2025-01-01T13:00,,,,,,,|mp-validate: stdin:2: episode e1: end: '2025-01-01T13:00' is in the future (now is 2025-01-01T12:00) [future];mp-validate: 1 row read, 0 passed, 1 rejected
1||e1,c1,missing,2024-12-31T10:00,2024-12-31T11:00,,,,,,2025-01-02T09:00,|mp-validate: stdin:2: episode e1: rhi_held: '2025-01-02T09:00' is in the future (now is 2025-01-01T12:00) [future];mp-validate: 1 row read, 0 passed, 1 rejected
0|--now 2025-01-01T13:00|e1,c1,missing,2024-12-31T10:00,2025-01-01T13:00,,,,,,,|mp-validate: 1 row read, 1 passed, 0 rejected
TABLE
}

@test "rules: start_before_dob and age_18, with 29 February birthdays (table)" {
	table <<'TABLE'
1||e1,c1,missing,2024-06-01T10:00,2024-06-02,2024-06-01,,,,,,|mp-validate: stdin:2: episode e1: start: starts on or before the date of birth (2024-06-01) [start_before_dob];mp-validate: 1 row read, 0 passed, 1 rejected
1||e1,c1,missing,2024-05-01,2024-06-02,2024-06-01,,,,,,|mp-validate: stdin:2: episode e1: start: starts on or before the date of birth (2024-06-01) [start_before_dob];mp-validate: 1 row read, 0 passed, 1 rejected
0||e1,c1,missing,2024-06-02T00:00,2024-06-02T01:00,2024-06-01,,,,,,|mp-validate: 1 row read, 1 passed, 0 rejected
0||e1,c1,missing,2024-12-31T23:59,2025-01-01T01:00,2007-01-01,,,,,,|mp-validate: 1 row read, 1 passed, 0 rejected
0||e1,c1,missing,2025-01-01T00:00,2025-01-01T01:00,2007-01-01,,,,,,|mp-validate: stdin:2: episode e1: start: warning: the child is 18 or over at the start (born 2007-01-01) [age_18];mp-validate: 1 row read, 1 passed, 0 rejected, 1 warning
# born 29 February 2004: 18 on 1 March 2022
0||e1,c1,missing,2022-02-28T23:00,2022-03-01T01:00,2004-02-29,,,,,,|mp-validate: 1 row read, 1 passed, 0 rejected
0||e1,c1,missing,2022-03-01T00:30,2022-03-01T01:00,2004-02-29,,,,,,|mp-validate: stdin:2: episode e1: start: warning: the child is 18 or over at the start (born 2004-02-29) [age_18];mp-validate: 1 row read, 1 passed, 0 rejected, 1 warning
# born 29 February 2004: 18 on 1 March 2022; 20 on 29 February 2024
0|--warn age_18 --skip start_before_dob|e1,c1,missing,2024-02-29T10:00,2024-02-29T11:00,2004-02-29,,,,,,;e2,c2,missing,2024-02-28T10:00,2024-02-28T11:00,2024-02-29,,,,,,|mp-validate: stdin:2: episode e1: start: warning: the child is 18 or over at the start (born 2004-02-29) [age_18];mp-validate: 2 rows read, 2 passed, 0 rejected, 1 warning
0|--skip age_18|e1,c1,missing,2024-02-29T10:00,2024-02-29T11:00,2004-02-29,,,,,,|mp-validate: 1 row read, 1 passed, 0 rejected
TABLE
}

@test "rules: return interviews and placement (table)" {
	table <<'TABLE'
0||e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,lac,in_area,Y,Y,2024-06-02T10:00,|mp-validate: 1 row read, 1 passed, 0 rejected
1||e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,lac,in_area,Y,Y,2024-06-02T09:59,|mp-validate: stdin:2: episode e1: rhi_held: the return interview (2024-06-02T09:59) is before the return (2024-06-02T10:00) [rhi_before_return];mp-validate: 1 row read, 0 passed, 1 rejected
0||e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,lac,in_area,Y,Y,2024-06-02,|mp-validate: 1 row read, 1 passed, 0 rejected
1||e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,lac,in_area,Y,Y,2024-06-01,|mp-validate: stdin:2: episode e1: rhi_held: the return interview (2024-06-01) is before the return (2024-06-02T10:00) [rhi_before_return];mp-validate: 1 row read, 0 passed, 1 rejected
1||e1,c1,missing,2024-12-30T10:00,,,lac,in_area,Y,Y,2024-12-31T10:00,|mp-validate: stdin:2: episode e1: rhi_held: a return interview is recorded but the episode has not ended [rhi_on_open];mp-validate: 1 row read, 0 passed, 1 rejected
1||e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,,,N,Y,,|mp-validate: stdin:2: episode e1: rhi_accepted: accepted is Y but rhi_offered is 'N' [accepted_not_offered];mp-validate: 1 row read, 0 passed, 1 rejected
1||e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,,,,Y,,|mp-validate: stdin:2: episode e1: rhi_accepted: accepted is Y but rhi_offered is empty [accepted_not_offered];mp-validate: 1 row read, 0 passed, 1 rejected
0||e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,,,Y,N,,declined_child|mp-validate: 1 row read, 1 passed, 0 rejected
0||e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,,,N,N,,other|mp-validate: 1 row read, 1 passed, 0 rejected
1||e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,,,Y,Y,2024-06-03T10:00,no_contact|mp-validate: stdin:2: episode e1: rhi_reason: 'no_contact' says why no interview was held, but rhi_held is set [reason_with_held];mp-validate: 1 row read, 0 passed, 1 rejected
1||e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,cin,out_of_area,,,,|mp-validate: stdin:2: episode e1: placement: 'out_of_area' is set but care_status is 'cin', not lac [placement_not_lac];mp-validate: 1 row read, 0 passed, 1 rejected
0||e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,,out_of_area,,,,|mp-validate: 1 row read, 1 passed, 0 rejected
0||e1,c1,away,2024-06-01T10:00,2024-06-02T10:00,,lac,out_of_area,,,,|mp-validate: 1 row read, 1 passed, 0 rejected
0|--warn placement_not_lac,reason_with_held|e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,none,in_area,N,N,2024-06-03T10:00,other|mp-validate: stdin:2: episode e1: rhi_reason: warning: 'other' says why no interview was held, but rhi_held is set [reason_with_held];mp-validate: stdin:2: episode e1: placement: warning: 'in_area' is set but care_status is 'none', not lac [placement_not_lac];mp-validate: 1 row read, 1 passed, 0 rejected, 2 warnings
TABLE
}

@test "rules: duplicates and overlaps with the national return's ordering (table)" {
	table <<'TABLE'
# adjacent: the second starts when the first ends
0||e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,,,,,,;e2,c1,missing,2024-06-02T10:00,2024-06-03T10:00,,,,,,,|mp-validate: 2 rows read, 2 passed, 0 rejected
1||e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,,,,,,;e2,c1,missing,2024-06-02T09:59,2024-06-03T10:00,,,,,,,|mp-validate: stdin:3: episode e2: start: overlaps the episode on line 2 (2024-06-01T10:00 to 2024-06-02T10:00) [overlap];mp-validate: 2 rows read, 1 passed, 1 rejected
# other children never overlap
0||e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,,,,,,;e2,c2,missing,2024-06-01T11:00,2024-06-03T10:00,,,,,,,|mp-validate: 2 rows read, 2 passed, 0 rejected
# dates alone: starting on the day the previous one ended is not an overlap
0||e1,c1,missing,2024-06-01,2024-06-02,,,,,,,;e2,c1,away,2024-06-02,2024-06-03,,,,,,,|mp-validate: 2 rows read, 2 passed, 0 rejected
0||e1,c1,missing,2024-06-01T10:00,2024-06-02T18:00,,,,,,,;e2,c1,away,2024-06-02,2024-06-03,,,,,,,|mp-validate: 2 rows read, 2 passed, 0 rejected
# a same-day episode inside a longer one
1||e1,c1,missing,2024-06-01,2024-06-05,,,,,,,;e2,c1,missing,2024-06-03,2024-06-03,,,,,,,|mp-validate: stdin:3: episode e2: start: overlaps the episode on line 2 (2024-06-01 to 2024-06-05) [overlap];mp-validate: 2 rows read, 1 passed, 1 rejected
# open, then a later episode: the previous one is still open
1||e1,c1,missing,2024-06-01T10:00,,,,,,,,;e2,c1,missing,2024-06-03T10:00,2024-06-04T10:00,,,,,,,|mp-validate: stdin:2: episode e1: end: warning: still open after 214 days (more than 30) [open_too_long];mp-validate: stdin:3: episode e2: start: overlaps the episode on line 2 (from 2024-06-01T10:00, still open) [overlap];mp-validate: 2 rows read, 1 passed, 1 rejected, 1 warning
# closed, then open from its end
0|--skip open_too_long|e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,,,,,,;e2,c1,missing,2024-06-02T10:00,,,,,,,,|mp-validate: 2 rows read, 2 passed, 0 rejected
# two open episodes
1|--skip open_too_long|e1,c1,missing,2024-06-01T10:00,,,,,,,,;e2,c1,away,2024-06-02T10:00,,,,,,,,|mp-validate: stdin:3: episode e2: start: overlaps the episode on line 2 (from 2024-06-01T10:00, still open) [overlap];mp-validate: 2 rows read, 1 passed, 1 rejected
# out of order: the later row sorts first and overlaps the earlier one; it is reported on the later row
1||e1,c1,missing,2024-06-05T10:00,2024-06-08T10:00,,,,,,,;e2,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,,,,,,;e3,c1,missing,2024-06-04T10:00,2024-06-06T10:00,,,,,,,|mp-validate: stdin:4: episode e3: start: overlaps the episode on line 2 (2024-06-05T10:00 to 2024-06-08T10:00) [overlap];mp-validate: 3 rows read, 2 passed, 1 rejected
# a row that falls between two and overlaps both
1||e1,c1,missing,2024-06-01T10:00,2024-06-03T10:00,,,,,,,;e2,c1,missing,2024-06-05T10:00,2024-06-08T10:00,,,,,,,;e3,c1,missing,2024-06-02T10:00,2024-06-06T10:00,,,,,,,|mp-validate: stdin:4: episode e3: start: overlaps the episode on line 2 (2024-06-01T10:00 to 2024-06-03T10:00) [overlap];mp-validate: stdin:4: episode e3: start: overlaps the episode on line 3 (2024-06-05T10:00 to 2024-06-08T10:00) [overlap];mp-validate: 3 rows read, 2 passed, 1 rejected
# duplicates (same child, type and start) are reported once, naming the first
1||e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,,,,,,;e2,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,,,,,,;e3,c1,missing,2024-06-01T10:00,2024-06-03T10:00,,,,,,,|mp-validate: stdin:3: episode e2: start: same child, type and start as the episode on line 2 [duplicate_episode];mp-validate: stdin:4: episode e3: start: same child, type and start as the episode on line 2 [duplicate_episode];mp-validate: 3 rows read, 1 passed, 2 rejected
# same start, other type: an overlap, not a duplicate
1||e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,,,,,,;e2,c1,away,2024-06-01T10:00,2024-06-02T10:00,,,,,,,|mp-validate: stdin:3: episode e2: start: overlaps the episode on line 2 (2024-06-01T10:00 to 2024-06-02T10:00) [overlap];mp-validate: 2 rows read, 1 passed, 1 rejected
# with the duplicate rule off, the copy is an overlap
1|--skip duplicate_episode|e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,,,,,,;e2,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,,,,,,|mp-validate: stdin:3: episode e2: start: overlaps the episode on line 2 (2024-06-01T10:00 to 2024-06-02T10:00) [overlap];mp-validate: 2 rows read, 1 passed, 1 rejected
0|--skip duplicate_episode,overlap|e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,,,,,,;e2,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,,,,,,|mp-validate: 2 rows read, 2 passed, 0 rejected
# duplicate episode ids
1||e1,c1,missing,2024-06-01T10:00,2024-06-02T10:00,,,,,,,;e1,c2,missing,2024-06-01T10:00,2024-06-02T10:00,,,,,,,|mp-validate: stdin:3: episode e1: episode_id: 'e1' already appears on line 2 [unique];mp-validate: 2 rows read, 1 passed, 1 rejected
TABLE
}

@test "rules: open_too_long and --max-open-days (table)" {
	table <<'TABLE'
0||e1,c1,missing,2024-12-02T12:00,,,,,,,,|mp-validate: 1 row read, 1 passed, 0 rejected
0||e1,c1,missing,2024-12-02T11:59,,,,,,,,|mp-validate: stdin:2: episode e1: end: warning: still open after 30 days (more than 30) [open_too_long];mp-validate: 1 row read, 1 passed, 0 rejected, 1 warning
0|--max-open-days 40|e1,c1,missing,2024-12-02T11:59,,,,,,,,|mp-validate: 1 row read, 1 passed, 0 rejected
0|--max-open-days 0|e1,c1,missing,2025-01-01T11:00,,,,,,,,|mp-validate: stdin:2: episode e1: end: warning: still open after 0 days (more than 0) [open_too_long];mp-validate: 1 row read, 1 passed, 0 rejected, 1 warning
0||e1,c1,missing,2024-10-01T12:00,2024-12-31T12:00,,,,,,,|mp-validate: 1 row read, 1 passed, 0 rejected
TABLE
}

@test "rules: valid rows stream out before a later row shows an overlap with them" {
	f=$(printf '%s\n' "$EH" 'e1,c1,missing,2024-06-05T10:00,2024-06-08T10:00,,,,,,,' 'e2,c1,missing,2024-06-04T10:00,2024-06-06T10:00,,,,,,,' | mkfile in.csv)
	run --separate-stderr mp-validate --now "$NOW" "$f"
	[ "$status" -eq 1 ]
	assert_output - <<OUT
$EH
e1,c1,missing,2024-06-05T10:00,2024-06-08T10:00,,,,,,,
OUT
	assert_equal "$stderr" "mp-validate: $f:3: episode e2: start: overlaps the episode on line 2 (2024-06-05T10:00 to 2024-06-08T10:00) [overlap]
mp-validate: 2 rows read, 1 passed, 1 rejected"
}

@test "rules: an overlap across two input files names the other file" {
	a=$(printf '%s\n' "$EH" 'e1,c1,missing,2024-06-05T10:00,2024-06-08T10:00,,,,,,,' | mkfile a.csv)
	b=$(printf '%s\n' "$EH" 'e2,c1,missing,2024-06-06T10:00,2024-06-09T10:00,,,,,,,' 'e1,c2,missing,2024-06-06T10:00,2024-06-09T10:00,,,,,,,' | mkfile b.csv)
	run --separate-stderr mp-validate --now "$NOW" "$a" "$b"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-validate: $b:2: episode e2: start: overlaps the episode on $a:2 (2024-06-05T10:00 to 2024-06-08T10:00) [overlap]
mp-validate: $b:3: episode e1: episode_id: 'e1' already appears on $a:2 [unique]
mp-validate: 3 rows read, 1 passed, 2 rejected"
}

@test "rules: a child with many episodes out of order (duplicate set and sorted inserts)" {
	# 200 one-hour episodes a day apart, written newest first, then a copy of each tenth.
	{
		echo "$EH"
		for i in $(seq 200 -1 1); do
			d=$(date -u -d "2020-01-01 + $i days" +%Y-%m-%d)
			echo "e$i,c1,missing,${d}T10:00,${d}T11:00,,,,,,,"
		done
		for i in $(seq 10 10 200); do
			d=$(date -u -d "2020-01-01 + $i days" +%Y-%m-%d)
			echo "x$i,c1,missing,${d}T10:00,${d}T10:30,,,,,,,"
		done
	} > "$BATS_TEST_TMPDIR/many.csv"
	run --separate-stderr mp-validate --now "$NOW" --format json "$BATS_TEST_TMPDIR/many.csv"
	[ "$status" -eq 1 ]
	assert_equal "$(printf '%s\n' "$stderr" | grep -c '"rule":"duplicate_episode"')" 20
	assert_equal "$(printf '%s\n' "$stderr" | tail -1)" '{"rows_read":220,"passed":200,"rejected":20,"warnings":0}'
	assert_equal "$(printf '%s\n' "$stderr" | grep -c '"rule":"overlap"')" 0
	assert_equal "$(printf '%s\n' "$stderr" | head -1)" "{\"file\":\"$BATS_TEST_TMPDIR/many.csv\",\"line\":202,\"field\":\"start\",\"rule\":\"duplicate_episode\",\"severity\":\"error\",\"message\":\"same child, type and start as the episode on line 192\"}"
}
