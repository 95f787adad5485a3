#!/usr/bin/env bats
# scripts/daily-alerts: the plain-text digest for cron, its exit statuses and the atomic -o FILE.
load helper

DAILY="$FIX/alerts/daily.csv"
NOW=2025-04-01T09:00
DA="$TOP/scripts/daily-alerts"
H='episode_id,child_id,start,end,allocated,rhi_held,rhi_reason'

@test "daily-alerts: counts first, then the rows" {
	run --separate-stderr "$DA" --now "$NOW" "$DAILY"
	[ "$status" -eq 0 ]
	assert_equal "$stderr" ""
	assert_output - <<OUT
Missing children: daily alerts as at 2025-04-01T09:00
Episodes: $DAILY

Return home interviews overdue: 1
Return home interviews due: 1 (deadline 72 hours after the return)
Missing now: 3
Senior-leadership alerts: 1 (allocated, missing 24 hours or more)
Strategy meetings due by 2025-04-01 or earlier: 0

Return home interviews due or overdue, soonest deadline first:
  episode_id  child_id  returned          deadline          hours_left  status   approx  care_status  placement  allocated
  d02         c02       2025-03-28T09:00  2025-03-31T10:00  -23.0       overdue  N       cin                     N
  d01         c01       2025-03-29T10:00  2025-04-01T11:00  2.0         due      N       lac          in_area    Y

Missing now, longest first:
  episode_id  child_id  start             hours_missing  slt_alert  strategy_meeting_by  care_status  placement  allocated  police_risk       approx
  d05         c05       2025-03-28T12:00  92.0           Y          2025-04-02           cp                      Y          high              N
  d06         c06       2025-03-31T20:00  13.0           N          2025-04-03           lac          in_area    Y          no_apparent_risk  N
  d07         c07       2025-04-01T06:30  2.5            N          2025-04-04           none                    N          medium            N
OUT
}

@test "daily-alerts: options reach the commands (table: options, count lines)" {
	while IFS='|' read -r opts counts; do
		eval "set -- $opts"
		run --separate-stderr "$DA" "$@" "$DAILY"
		assert_equal "$opts: $(printf '%s\n' "$output" | sed -n '4,8p' | paste -sd'|')" "$opts: $counts"
		[ "$status" -eq 0 ]
	done <<'TABLE'
--now 2025-04-01T09:00 --within 24|Return home interviews overdue: 2|Return home interviews due: 0 (deadline 24 hours after the return)|Missing now: 3|Senior-leadership alerts: 1 (allocated, missing 24 hours or more)|Strategy meetings due by 2025-04-01 or earlier: 0
--now 2025-04-01T09:00 --slt-hours 12|Return home interviews overdue: 1|Return home interviews due: 1 (deadline 72 hours after the return)|Missing now: 3|Senior-leadership alerts: 2 (allocated, missing 12 hours or more)|Strategy meetings due by 2025-04-01 or earlier: 0
--now=2025-04-03T09:00|Return home interviews overdue: 2|Return home interviews due: 0 (deadline 72 hours after the return)|Missing now: 3|Senior-leadership alerts: 2 (allocated, missing 24 hours or more)|Strategy meetings due by 2025-04-03 or earlier: 2
--now '03/04/2025 09:00' --strategy-days 1|Return home interviews overdue: 2|Return home interviews due: 0 (deadline 72 hours after the return)|Missing now: 3|Senior-leadership alerts: 2 (allocated, missing 24 hours or more)|Strategy meetings due by 2025-04-03 or earlier: 3
TABLE
}

@test "daily-alerts: nothing to report: exit 3; --quiet-if-none prints nothing" {
	f=$(printf '%s\na,c1,2025-03-01T10:00,2025-03-01T12:00,N,2025-03-02T10:00,\n' "$H" | mkfile quiet.csv)
	run --separate-stderr "$DA" --now "$NOW" "$f"
	[ "$status" -eq 3 ]
	assert_output - <<OUT
Missing children: daily alerts as at 2025-04-01T09:00
Episodes: $f

Return home interviews overdue: 0
Return home interviews due: 0 (deadline 72 hours after the return)
Missing now: 0
Senior-leadership alerts: 0 (allocated, missing 24 hours or more)
Strategy meetings due by 2025-04-01 or earlier: 0

Return home interviews due or overdue, soonest deadline first:
  (none)

Missing now, longest first:
  (none)
OUT
	run --separate-stderr "$DA" -q --now "$NOW" "$f"
	[ "$status" -eq 3 ]
	assert_output ""
	assert_equal "$stderr" ""
	run --separate-stderr "$DA" --quiet-if-none --now "$NOW" "$DAILY"
	[ "$status" -eq 0 ]
	assert_line --index 0 "Missing children: daily alerts as at 2025-04-01T09:00"
}

@test "daily-alerts: data problems are in the digest, exit 1 (even with -q)" {
	f=$(mkfile bad.csv <<EOF
$H
a,c1,2025-03-31T10:00,,Y,,
b,c2,2025-02-30T10:00,,Y,,
EOF
)
	run --separate-stderr "$DA" -q --now "$NOW" "$f"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" ""
	assert_output - <<OUT
Missing children: daily alerts as at 2025-04-01T09:00
Episodes: $f

Return home interviews overdue: 0
Return home interviews due: 0 (deadline 72 hours after the return)
Missing now: 1
Senior-leadership alerts: 0 (allocated, missing 24 hours or more)
Strategy meetings due by 2025-04-01 or earlier: 0

Data problems (the lists may be incomplete):
  mp-rhi-due: $f:3: start: '2025-02-30T10:00': impossible date: no such day in that month
  mp-rhi-due: 2 rows read, 0 listed, 1 not listed, 1 rejected
  mp-open: $f:3: start: '2025-02-30T10:00': impossible date: no such day in that month
  mp-open: 2 rows read, 1 listed, 0 not listed, 1 rejected

Return home interviews due or overdue, soonest deadline first:
  (none)

Missing now, longest first:
  episode_id  child_id  start             hours_missing  slt_alert  strategy_meeting_by  care_status  placement  allocated  police_risk  approx
  a           c1        2025-03-31T10:00  23.0           N          2025-04-03                                   Y                       N
OUT
}

@test "daily-alerts: an unreadable file: lists not available, exit 1; warnings shown, exit 0" {
	run --separate-stderr "$DA" --now "$NOW" "$BATS_TEST_TMPDIR/nosuch.csv"
	[ "$status" -eq 1 ]
	assert_output - <<OUT
Missing children: daily alerts as at 2025-04-01T09:00
Episodes: $BATS_TEST_TMPDIR/nosuch.csv

Return home interviews: not available (see the problems below)
Missing now: not available (see the problems below)

Data problems (the lists may be incomplete):
  mp-rhi-due: $BATS_TEST_TMPDIR/nosuch.csv: No such file or directory
  mp-open: $BATS_TEST_TMPDIR/nosuch.csv: No such file or directory

Return home interviews due or overdue, soonest deadline first:
  (not available)

Missing now, longest first:
  (not available)
OUT
	f=$(printf '%s\na,c1,2031-03-31T10:00,,Y,,\n' "$H" | mkfile far.csv)
	run --separate-stderr "$DA" --now 2031-04-01T09:00 "$f"
	[ "$status" -eq 0 ]
	assert_equal "$(printf '%s\n' "$output" | sed -n '9,11p')" "
Warnings:
  mp-open: warning: bank holidays are known for 2015 to 2030 only; strategy_meeting_by in 2031 skips weekends only"
}

@test "daily-alerts: -o FILE is replaced atomically, keeps its mode, leaves no temporary file" {
	d="$BATS_TEST_TMPDIR/out"
	mkdir "$d"
	echo old > "$d/digest.txt"
	chmod 640 "$d/digest.txt"
	run --separate-stderr "$DA" --now "$NOW" -o "$d/digest.txt" "$DAILY"
	[ "$status" -eq 0 ]
	assert_output ""
	assert_equal "$(cat "$d/digest.txt")" "$("$DA" --now "$NOW" "$DAILY")"
	assert_equal "$(stat -c %a "$d/digest.txt")" 640
	assert_equal "$(ls -A "$d")" digest.txt
	# With nothing to report and -q, the file is still written.
	f=$(printf '%s\n' "$H" | mkfile empty.csv)
	run --separate-stderr "$DA" -q --now "$NOW" --output "$d/digest.txt" "$f"
	[ "$status" -eq 3 ]
	assert_equal "$(sed -n 6p "$d/digest.txt")" "Missing now: 0"
	# A usage error leaves the old file alone.
	run --separate-stderr "$DA" --within 0 --now "$NOW" -o "$d/digest.txt" "$DAILY"
	[ "$status" -eq 2 ]
	assert_equal "$(sed -n 6p "$d/digest.txt")" "Missing now: 0"
	run --separate-stderr "$DA" --now "$NOW" -o "$BATS_TEST_TMPDIR/no/such/dir/d.txt" "$DAILY"
	[ "$status" -eq 1 ]
	assert_equal "$(printf '%s\n' "$stderr" | tail -1)" "daily-alerts: cannot write in $BATS_TEST_TMPDIR/no/such/dir"
}

@test "daily-alerts: standard input and TSV input" {
	run --separate-stderr bash -c "'$DA' --now $NOW - < '$DAILY'"
	[ "$status" -eq 0 ]
	assert_line --index 1 "Episodes: -"
	assert_line --index 4 "Missing now: 3"
	run --separate-stderr bash -c "printf '%s\\n' '$H' 'a,c1,2025-02-30,,Y,,' | '$DA' -q --now $NOW -"
	[ "$status" -eq 1 ]
	assert_line --index 8 "  mp-rhi-due: stdin:2: start: '2025-02-30': impossible date: no such day in that month"
	tr ',' '\t' < "$DAILY" > "$BATS_TEST_TMPDIR/d.tsv"
	run --separate-stderr "$DA" --tsv-in --now "$NOW" "$BATS_TEST_TMPDIR/d.tsv"
	[ "$status" -eq 0 ]
	assert_equal "$(printf '%s\n' "$output" | sed 2d)" "$("$DA" --now "$NOW" "$DAILY" | sed 2d)"
}

@test "daily-alerts: usage errors exit 2 (table)" {
	while IFS='|' read -r args msg; do
		run --separate-stderr "$DA" $args
		assert_equal "$args: $status: $stderr" "$args: 2: $(printf '%b' "$msg")"
	done <<TABLE
--now $NOW|daily-alerts: no episode file given (use - for standard input)\nTry 'daily-alerts --help' for more information.
--bogus $DAILY|daily-alerts: unknown option '--bogus'\nTry 'daily-alerts --help' for more information.
$DAILY --now|daily-alerts: option '--now' needs a value\nTry 'daily-alerts --help' for more information.
--within 0 $DAILY|mp-rhi-due: --within: '0' is out of range (1 to 8760)\nTry 'mp-rhi-due --help' for more information.
--slt-hours x $DAILY|mp-open: --slt-hours: 'x' is not a whole number\nTry 'mp-open --help' for more information.
--now 2025-02-30 $DAILY|mp-rhi-due: --now: '2025-02-30': impossible date: no such day in that month\nTry 'mp-rhi-due --help' for more information.\nmp-open: --now: '2025-02-30': impossible date: no such day in that month\nTry 'mp-open --help' for more information.
TABLE
}

@test "daily-alerts: --help and --version" {
	run "$DA" --help
	[ "$status" -eq 0 ]
	assert_line --index 0 "Usage: daily-alerts [OPTION]... FILE..."
	assert_output --partial "30 6 * * * daily-alerts /data/missing/episodes.csv"
	run "$DA" --version
	[ "$status" -eq 0 ]
	assert_output --regexp '^daily-alerts \(mptools\) [0-9.]+$'
}
