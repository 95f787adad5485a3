#!/usr/bin/env bats
# scripts/daily-alerts: the plain-text digest for cron, its exit statuses and the atomic -o FILE.
load helper

DAILY="$FIX/alerts/daily.csv"
NOW=2025-04-01T09:00
DA="$TOP/scripts/daily-alerts"
H='episode_id,child_id,start,end,allocated,rhi_held,rhi_reason'

# Rows of a source that records interviews, of missing episodes: rhi_offered Y, type missing.
offered() { sed '1s/$/,rhi_offered,type/; 1!s/$/,Y,missing/'; }
RULE='3 or more episodes in a calendar month'
REACHED="Reached the repeat threshold in the last 24 hours: 0 ($RULE)"

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
$REACHED

Return home interviews due or overdue, soonest deadline first:
  episode_id  child_id  returned          deadline          hours_left  status   approx  care_status  placement  allocated
  d02         c02       2025-03-28T09:00  2025-03-31T10:00  -23.0       overdue  N       cin                     N
  d01         c01       2025-03-29T10:00  2025-04-01T11:00  2.0         due      N       lac          in_area    Y

Missing now, longest first:
  episode_id  child_id  start             hours_missing  slt_alert  strategy_meeting_by  care_status  placement  allocated  police_risk       approx
  d05         c05       2025-03-28T12:00  92.0           Y          2025-04-02           cp                      Y          high              N
  d06         c06       2025-03-31T20:00  13.0           N          2025-04-03           lac          in_area    Y          no_apparent_risk  N
  d07         c07       2025-04-01T06:30  2.5            N          2025-04-04           none                    N          medium            N

Children who reached the repeat threshold ($RULE) since 2025-03-31T09:00:
  (none)
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
	f=$(printf '%s\na,c1,2025-03-01T10:00,2025-03-01T12:00,N,2025-03-02T10:00,\n' "$H" | offered | mkfile quiet.csv)
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
$REACHED

Return home interviews due or overdue, soonest deadline first:
  (none)

Missing now, longest first:
  (none)

Children who reached the repeat threshold ($RULE) since 2025-03-31T09:00:
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
	f=$(offered <<EOF | mkfile bad.csv
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
$REACHED

Data problems (the lists may be incomplete):
  mp-rhi-due: $f:3: episode b: start: '2025-02-30T10:00': impossible date: no such day in that month
  mp-rhi-due: 2 rows read, 0 listed, 1 not listed, 1 rejected
  mp-open: $f:3: episode b: start: '2025-02-30T10:00': impossible date: no such day in that month
  mp-open: 2 rows read, 1 listed, 0 not listed, 1 rejected
  mp-repeat: $f:3: episode b: start: '2025-02-30T10:00': impossible date: no such day in that month
  mp-repeat: 2 rows read: 0 counted (missing, away, absent), 0 of other types, 1 outside the window, 0 duplicates, 1 rejected

Return home interviews due or overdue, soonest deadline first:
  (none)

Missing now, longest first:
  episode_id  child_id  start             hours_missing  slt_alert  strategy_meeting_by  care_status  placement  allocated  police_risk  approx
  a           c1        2025-03-31T10:00  23.0           N          2025-04-03                                   Y                       N

Children who reached the repeat threshold ($RULE) since 2025-03-31T09:00:
  (none)
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
Repeat missing: not available (see the problems below)

Data problems (the lists may be incomplete):
  mp-rhi-due: $BATS_TEST_TMPDIR/nosuch.csv: No such file or directory
  mp-open: $BATS_TEST_TMPDIR/nosuch.csv: No such file or directory
  mp-repeat: $BATS_TEST_TMPDIR/nosuch.csv: No such file or directory

Return home interviews due or overdue, soonest deadline first:
  (not available)

Missing now, longest first:
  (not available)

Children who reached the repeat threshold ($RULE) since 2025-03-31T09:00:
  (not available)
OUT
	f=$(printf '%s\na,c1,2031-03-31T10:00,,Y,,\n' "$H" | offered | mkfile far.csv)
	run --separate-stderr "$DA" --now 2031-04-01T09:00 "$f"
	[ "$status" -eq 0 ]
	assert_equal "$(printf '%s\n' "$output" | sed -n '10,12p')" "
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
	f=$(printf '%s\n' "$H" | offered | mkfile empty.csv)
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
	run --separate-stderr bash -c "printf '%s\\n' '$H,rhi_offered,type' 'a,c1,2025-02-30,,Y,,,Y,missing' | '$DA' -q --now $NOW -"
	[ "$status" -eq 1 ]
	assert_line --index 9 "  mp-rhi-due: stdin:2: episode a: start: '2025-02-30': impossible date: no such day in that month"
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

# ---- issue 13: --rhi-types, whose children, the repeat section; issue 18: escapes, -o through a link ----

@test "daily-alerts: --rhi-types, --la and --children reach the commands (table: options, count lines)" {
	f=$(mkfile whose.csv <<'EOF'
episode_id,child_id,type,start,end,allocated,rhi_offered,rhi_held,rhi_reason,la,responsible_la
w1,c1,missing,2025-03-30T10:00,2025-03-31T10:00,N,Y,,,E1,
w2,c2,away,2025-03-30T10:00,2025-03-31T11:00,N,Y,,,E1,
w3,c3,missing,2025-03-30T10:00,2025-03-31T12:00,N,Y,,,E1,E2
w4,c4,missing,2025-03-31T20:00,,Y,Y,,,E1,E2
EOF
)
	while IFS='|' read -r opts counts; do
		run --separate-stderr "$DA" --now "$NOW" $opts "$f"
		assert_equal "$opts: $(printf '%s\n' "$output" | sed -n '5,6p' | paste -sd'|')" "$opts: $counts"
	done <<'TABLE'
|Return home interviews due: 1 (deadline 72 hours after the return)|Missing now: 0
--rhi-types missing,away|Return home interviews due: 2 (deadline 72 hours after the return)|Missing now: 0
--children placed-here|Return home interviews due: 1 (deadline 72 hours after the return)|Missing now: 1
--children all --rhi-types missing,away,absent|Return home interviews due: 3 (deadline 72 hours after the return)|Missing now: 1
--la E2|Return home interviews due: 2 (deadline 72 hours after the return)|Missing now: 1
TABLE
}

@test "daily-alerts: children who reached the repeat threshold in the 24 hours before --now (table)" {
	# Child r1 reaches 3 in 30 days with an episode last night; r2 had 3 already yesterday;
	# r3 reaches 3 in April only on 1 April (a calendar month starts again); r4 has 2.
	f=$(mkfile rep.csv <<'EOF'
episode_id,child_id,type,start,end,allocated,rhi_offered,rhi_held,rhi_reason
a1,r1,missing,2025-03-10T10:00,2025-03-10T12:00,N,Y,2025-03-11T10:00,
a2,r1,missing,2025-03-20T10:00,2025-03-20T12:00,N,Y,2025-03-21T10:00,
a3,r1,away,2025-03-31T22:00,2025-03-31T23:00,N,Y,,
b1,r2,missing,2025-03-25T10:00,2025-03-25T12:00,N,Y,2025-03-26T10:00,
b2,r2,missing,2025-03-26T10:00,2025-03-26T12:00,N,Y,2025-03-27T10:00,
b3,r2,missing,2025-03-27T10:00,2025-03-27T12:00,N,Y,2025-03-28T10:00,
b4,r2,missing,2025-03-31T23:00,2025-03-31T23:30,N,Y,,
c1,r3,missing,2025-04-01T01:00,2025-04-01T02:00,N,Y,,
c2,r3,missing,2025-04-01T03:00,2025-04-01T04:00,N,Y,,
c3,r3,missing,2025-04-01T05:00,2025-04-01T06:00,N,Y,,
d1,r4,missing,2025-03-31T10:00,2025-03-31T12:00,N,Y,,
d2,r4,missing,2025-03-31T13:00,2025-03-31T14:00,N,Y,,
EOF
)
	# options | children listed in the repeat section
	while IFS='|' read -r opts want; do
		run --separate-stderr "$DA" --now "$NOW" $opts "$f"
		got=$(printf '%s\n' "$output" | sed -n '/^Children who reached/,$p' | sed '1,2d' | awk '{ print $1 }' | paste -sd' ')
		assert_equal "$opts: $got" "$opts: $want"
		assert_equal "$stderr" ""
	done <<'TABLE'
|r3
--repeat-window month|r3
--repeat-window 30|r1 r3
--repeat-window 30 --repeat-min 2|r3 r4
--repeat-window 2 --repeat-min 2|r3 r4
--now 2025-04-01T04:00 --repeat-window month|
TABLE
	run --separate-stderr "$DA" --now "$NOW" --repeat-window 30 "$f"
	assert_line --index 7 "Reached the repeat threshold in the last 24 hours: 2 (3 or more episodes within 30 days)"
	assert_line "Children who reached the repeat threshold (3 or more episodes within 30 days) since 2025-03-31T09:00:"
	assert_line "  r1        3         2025-03-03    2025-04-01  2025-03-10T10:00  2025-03-31T22:00  a1;a2;a3"
	# Usage errors of the repeat options.
	while IFS='|' read -r args msg; do
		run --separate-stderr "$DA" $args "$f"
		assert_equal "$args: $status: $stderr" "$args: 2: daily-alerts: $msg
Try 'daily-alerts --help' for more information."
	done <<'TABLE'
--repeat-min 0|--repeat-min: '0' is not a whole number from 1 to 1000
--repeat-window week|--repeat-window: 'week' is neither month nor a whole number of days from 1 to 3660
TABLE
}

@test "daily-alerts: control characters in data are shown escaped, never sent to the terminal" {
	f=$(printf 'episode_id,child_id,type,start,end,allocated,rhi_offered,rhi_held,rhi_reason,care_status\ne\0331,c\a1,missing,2025-03-31T10:00,,Y,Y,,,l\033]0;pwned\a\ne2,c2,missing,2025-03-31T10:00,2025-02-30\033[2J,N,Y,,,\n' | mkfile esc.csv)
	run --separate-stderr "$DA" --now "$NOW" "$f"
	[ "$status" -eq 1 ]
	refute_output --partial $'\033'
	refute_output --partial $'\a'
	assert_line --regexp '^  e\\x1B1 +c\\x071 +2025-03-31T10:00 '
	assert_line --index 1 "Episodes: $f"
	assert_output --partial 'l\x1B]0;pwned\x07'
	assert_output --partial "end: '2025-02-30\\x1B[2J'"
}

@test "daily-alerts: -o onto a symbolic link writes the file it points at, as the C commands do" {
	d="$BATS_TEST_TMPDIR/link"
	mkdir "$d"
	echo old > "$d/real.txt"
	ln -s real.txt "$d/digest.txt"
	run --separate-stderr "$DA" --now "$NOW" -o "$d/digest.txt" "$DAILY"
	[ "$status" -eq 0 ]
	[ -L "$d/digest.txt" ]
	assert_equal "$(sed -n 1p "$d/real.txt")" "Missing children: daily alerts as at 2025-04-01T09:00"
	assert_equal "$(ls -A "$d" | paste -sd' ')" "digest.txt real.txt"
	# The same as mp-open does with the same link.
	mp-open --now "$NOW" -o "$d/digest.txt" "$DAILY"
	[ -L "$d/digest.txt" ]
	assert_equal "$(sed -n 1p "$d/real.txt")" "episode_id,child_id,start,hours_missing,slt_alert,strategy_meeting_by,care_status,placement,allocated,police_risk,approx"
	# A device is written in place.
	run --separate-stderr "$DA" --now "$NOW" -o /dev/null "$DAILY"
	[ "$status" -eq 0 ]
	assert_output ""
}
