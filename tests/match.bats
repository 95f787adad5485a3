#!/usr/bin/env bats
# mp-match: pairing tables (reference, child and time, tolerance, nearest first), conflicts,
# --only, the roster (by date, mapped, not on it), - for either input, and every error.
load helper

F="$FIX/match"
M='episode_id,child_id,type,start,end,police_ref'
closing() {	# read case, police; both, case_only, police_only
	printf 'mp-match: read case %s, police %s; written both %s, case_only %s, police_only %s' "$@"
}

# Pair the case rows $1 with the police rows $2 (each ' ; '-separated, under
# the header $M) with the arguments that follow; output: "id:match:police_id" per row.
pairs() {
	local c p
	c=$(printf '%s\n' "$M" "${1// ; /$'\n'}" | sed '/^$/d' | mkfile case.csv)
	p=$(printf '%s\n' "$M" "${2// ; /$'\n'}" | sed '/^$/d' | mkfile police.csv)
	shift 2
	run --separate-stderr mp-match "$@" "$c" "$p"
	[ "$status" -le 3 ] || return 1
	output=$(printf '%s\n' "$output" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ printf "%s%s:%s:%s", (NR > 2 ? " " : ""), $c["episode_id"], $c["match"], $c["police_episode_id"] }')
}

@test "match: pairing rules, one table (case rows | police rows | arguments | pairs | status)" {
	while IFS='|' read -r what case police args want st; do
		# shellcheck disable=SC2086
		pairs "$case" "$police" $args
		assert_equal "$what: $output" "$what: $want"
		assert_equal "$what: status $status" "$what: status $st"
	done <<'TABLE'
reference match, whatever the child and the time|c1,A,missing,2025-03-01T10:00,,NP-1|p1,Z,missing,2025-03-03T10:00,,NP-1||c1:both:p1|0
child and time within the tolerance|c1,A,missing,2025-03-01T10:00,,|p1,A,missing,2025-03-01T21:59,,NP-9||c1:both:p1|0
exactly the tolerance apart still pairs|c1,A,missing,2025-03-01T10:00,,|p1,A,missing,2025-03-01T22:00,,NP-9||c1:both:p1|0
near miss: a minute outside the tolerance|c1,A,missing,2025-03-01T10:00,,|p1,A,missing,2025-03-01T22:01,,NP-9||c1:case_only: p1:police_only:p1|3
--tolerance 1: two hours apart is a miss|c1,A,missing,2025-03-01T10:00,,|p1,A,missing,2025-03-01T12:00,,NP-9|--tolerance 1|c1:case_only: p1:police_only:p1|3
--tolerance 0: only the same minute|c1,A,missing,2025-03-01T10:00,, ; c2,A,missing,2025-03-02T10:00,,|p1,A,missing,2025-03-01T10:00,, ; p2,A,missing,2025-03-02T10:01,,|--tolerance 0|c1:both:p1 c2:case_only: p2:police_only:p2|3
another child at the same time is no pair|c1,A,missing,2025-03-01T10:00,,|p1,B,missing,2025-03-01T10:00,,||c1:case_only: p1:police_only:p1|3
two police candidates: the nearest wins|c1,A,missing,2025-03-01T10:00,,|p1,A,missing,2025-03-01T04:00,, ; p2,A,missing,2025-03-01T12:00,,||c1:both:p2 p1:police_only:p1|3
two case candidates: the nearest wins|c1,A,missing,2025-03-01T08:00,, ; c2,A,missing,2025-03-01T11:00,,|p1,A,missing,2025-03-01T10:00,,||c1:case_only: c2:both:p1|0
equally near: the case record earlier in its file|c1,A,missing,2025-03-01T10:00,, ; c2,A,missing,2025-03-01T14:00,,|p1,A,missing,2025-03-01T12:00,,||c1:both:p1 c2:case_only:|0
nearest pair first over the whole child, not file order|c1,A,missing,2025-03-01T10:00,, ; c2,A,missing,2025-03-01T11:30,,|p1,A,missing,2025-03-01T11:00,,||c1:case_only: c2:both:p1|0
each record used once: a chain pairs off|c1,A,missing,2025-03-01T10:00,, ; c2,A,missing,2025-03-01T16:00,,|p1,A,missing,2025-03-01T13:00,, ; p2,A,missing,2025-03-01T19:00,,||c1:both:p1 c2:both:p2|0
the same instant twice: paired in file order|c1,A,missing,2025-03-01T10:00,, ; c2,A,missing,2025-03-01T10:00,,|p1,A,missing,2025-03-01T10:00,, ; p2,A,missing,2025-03-01T10:00,,||c1:both:p1 c2:both:p2|0
the reference pass comes before child and time|c1,A,missing,2025-03-01T10:00,, ; c2,A,missing,2025-03-01T20:00,,NP-2|p1,A,missing,2025-03-01T10:30,,NP-2||c1:case_only: c2:both:p1|0
one reference, two episodes: nearest starts pair|c1,A,missing,2025-03-05T09:00,,NP-1|p1,A,missing,2025-03-01T09:00,,NP-1 ; p2,A,missing,2025-03-05T09:00,,NP-1||c1:both:p2 p1:police_only:p1|3
a different reference does not stop a child-and-time pair|c1,A,missing,2025-03-01T10:00,,NP-8|p1,A,missing,2025-03-01T11:00,,NP-9||c1:both:p1|0
a date alone counts as noon of that day|c1,A,missing,2025-03-01,, ; c2,A,missing,2025-03-05,,|p1,A,missing,2025-03-01T23:30,, ; p2,A,missing,2025-03-06T00:30,,||c1:both:p1 c2:case_only: p2:police_only:p2|3
a case record with no start pairs by reference only|c1,A,missing,,,NP-1 ; c2,B,missing,,,|p1,A,missing,2025-03-01T10:00,,NP-1 ; p2,B,missing,2025-03-01T10:00,,||c1:both:p1 c2:case_only: p2:police_only:p2|3
across the autumn clock change: 11h15 on the clock is 12h15 elapsed, a miss|c1,A,missing,2024-10-27T00:30,,|p1,A,missing,2024-10-27T11:45,,||c1:case_only: p1:police_only:p1|3
nothing on one side|c1,A,missing,2025-03-01T10:00,,|||c1:case_only:|0
TABLE
}

@test "match: a both row is the case record with police_ref, police_risk, start and end filled; --conflicts lists differences" {
	conf="$BATS_TEST_TMPDIR/conflicts.csv"
	run --separate-stderr mp-match --conflicts "$conf" "$F/case.csv" "$F/police.csv"
	[ "$status" -eq 3 ]
	assert_output - < "$F/expected.csv"
	assert_equal "$stderr" "$(closing 6 7 4 2 3)"
	assert_equal "$(cat "$conf")" "case_episode_id,police_episode_id,child_id,column,case_value,police_value
c1,p1,A,start,2025-03-01T10:00,2025-03-01T09:30
c2,p2,B,start,2025-03-02T08:00,2025-03-02T14:00
c4,p4b,D,start,2025-03-05T10:00,2025-03-05T12:00
c5,p5,E,type,away,missing
c5,p5,E,police_risk,low,medium"
}

@test "match: a line with quotes or CRLF gives the same row as a plain one (lines kept as read, fields kept one by one)" {
	cq=$(sed 's/[^,]*/"&"/g' "$F/case.csv" | mkfile case-quoted.csv)
	pc=$(sed 's/$/\r/' "$F/police.csv" | mkfile police-crlf.csv)
	run --separate-stderr mp-match "$cq" "$pc"
	[ "$status" -eq 3 ]
	assert_output - < "$F/expected.csv"
	assert_equal "$stderr" "$(closing 6 7 4 2 3)"
}

@test "match: conflicts: times compare as instants and days; a police end before the case start is not taken" {
	conf="$BATS_TEST_TMPDIR/conflicts.csv"
	c=$(printf '%s\n' "$M,police_risk" 'c1,A,missing,2025-03-01T10:00,2025-03-01T12:00,NP-1,low' \
		'c2,B,missing,2025-03-01,,NP-2,' 'c3,C,missing,2025-03-01T10:00,,NP-3,' | mkfile c.csv)
	p=$(printf '%s\n' "$M,police_risk" 'p1,A,missing,2025-03-01T10:00:00,2025-03-01T12:00Z,NP-1,low' \
		'p2,B,missing,2025-03-01T09:00,2025-03-02T10:00,NP-2,high' 'p3,C,missing,2025-03-01T04:00,2025-03-01T08:00,NP-3,' | mkfile p.csv)
	run --separate-stderr mp-match --conflicts "$conf" "$c" "$p"
	[ "$status" -eq 0 ]
	assert_equal "$(printf '%s\n' "$output" | cut -d, -f1,4,5,6,7,8)" "episode_id,start,end,police_ref,police_risk,match
c1,2025-03-01T10:00,2025-03-01T12:00,NP-1,low,both
c2,2025-03-01,2025-03-02T10:00,NP-2,high,both
c3,2025-03-01T10:00,,NP-3,,both"
	assert_equal "$(cat "$conf")" "case_episode_id,police_episode_id,child_id,column,case_value,police_value
c3,p3,C,start,2025-03-01T10:00,2025-03-01T04:00
c3,p3,C,end,,2025-03-01T08:00"
}

@test "match: --only writes one class (or a list); the closing line says what it left out" {
	while IFS='|' read -r only ids line; do
		run --separate-stderr mp-match --only "$only" "$F/case.csv" "$F/police.csv"
		[ "$status" -eq 3 ]
		assert_equal "$only: $(printf '%s\n' "$output" | tail -n +2 | cut -d, -f1 | tr '\n' ' ')" "$only: $ids"
		assert_equal "$only: $stderr" "$only: mp-match: read case 6, police 7; written $line"
	done <<'TABLE'
both|c1 c2 c4 c5 |both 4; left out by --only: case_only 2, police_only 3
case_only|c3 c6 |case_only 2; left out by --only: both 4, police_only 3
police_only|p3 p4a p7 |police_only 3; left out by --only: both 4, case_only 2
police_only,case_only|c3 c6 p3 p4a p7 |case_only 2, police_only 3; left out by --only: both 4
TABLE
}

@test "match: --roster fills blanks from the row in force at the start, never overwrites, names children not on it" {
	run --separate-stderr mp-match --roster "$F/roster.csv" "$F/case.csv" "$F/police.csv"
	[ "$status" -eq 3 ]
	assert_output - < "$F/expected-roster.csv"
	assert_equal "$stderr" "mp-match: note: police_only episode p7 (child_id G, police_ref NP-7): the child is not on the roster; its fields stay blank
mp-match: note: 1 episode of children on the roster started outside every period of their rows: not filled
$(closing 6 7 4 2 3)"
	# B was cin until 1 March and lac from 2 March: c2 (2 March) is lac, out of area.
	assert_equal "$(grep '^c2,' <<< "$output" | cut -d, -f8,9)" "lac,out_of_area"
	# c4's recorded cin stays; D's responsible_la comes from the roster.
	assert_equal "$(grep '^c4,' <<< "$output" | cut -d, -f8,14)" "cin,E08000028"
}

@test "match: a roster in the case system's own columns, read through a roster map, fills the same" {
	run --separate-stderr mp-match --roster "$F/roster-ll.csv" --roster-map "$F/roster-ll.map" "$F/case.csv" "$F/police.csv"
	[ "$status" -eq 3 ]
	assert_output - < "$F/expected-roster.csv"
}

@test "match: roster errors: bad rows are named and rejected (exit 1); an unknown map or missing key column stops" {
	r=$(printf '%s\n' 'child_id,care_status,from,to' 'A,lac,2025-01-01,2024-12-31' 'B,looked after,,' \
		'C,cin,31/02/2025,' ',cin,,' 'D,cp,,' | mkfile roster.csv)
	run --separate-stderr mp-match --roster "$r" "$F/case.csv" "$F/police.csv"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-match: $r:2: to: '2024-12-31' is before the row's first day '2025-01-01'
mp-match: $r:3: care_status: unknown value 'looked after' (this map knows: lac, cp, cin, eh, referral, none)
mp-match: $r:4: from: unreadable date '31/02/2025': impossible date: no such day in that month
mp-match: $r:5: child_id: required value is empty
mp-match: note: police_only episode p3 (child_id C, police_ref NP-3): the child is not on the roster; its fields stay blank
mp-match: note: police_only episode p7 (child_id G, police_ref NP-7): the child is not on the roster; its fields stay blank
mp-match: roster: 5 rows read, 4 rejected
$(closing 6 7 4 2 3)"
	r=$(printf '%s\n' 'id,care_status' 'A,lac' | mkfile nokey.csv)
	run --separate-stderr mp-match --roster "$r" "$F/case.csv" "$F/police.csv"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-match: $r:1: child_id: no column of the header matches (map canonical looks for: child_id)"
	assert_output ""
}

@test "match: either input may be - (standard input); POLICE defaults to it" {
	want=$(cat "$F/expected.csv")
	for form in "- $F/police.csv < $F/case.csv" "$F/case.csv - < $F/police.csv" "$F/case.csv < $F/police.csv"; do
		run --separate-stderr bash -c "mp-match $form"
		assert_equal "$form: $status" "$form: 3"
		assert_equal "$form: $output" "$form: $want"
	done
	run --separate-stderr bash -c "mp-match - $F/police.csv < $F/bad.csv"
	[ "$status" -eq 1 ]
	assert_equal "$(head -1 <<< "$stderr")" "mp-match: stdin:3: start: '2025-02-30T10:00': impossible date: no such day in that month"
}

@test "match: bad input is named by file:line: field, rejected and counted (exit 1)" {
	run --separate-stderr mp-match "$F/bad.csv" "$F/police.csv"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-match: $F/bad.csv:3: start: '2025-02-30T10:00': impossible date: no such day in that month
mp-match: $F/bad.csv:4: end: '2025-03-01Tx': time of day must be HH:MM or HH:MM:SS
mp-match: $F/bad.csv:5: expected 6 fields (as in the header), found 7
mp-match: read case 4, police 7; written both 1, case_only 0, police_only 6; rejected case 3, police 0"
	# Rows in = rows out + rows rejected.
	assert_equal "$(printf '%s\n' "$output" | tail -n +2 | wc -l)" "7"
	while IFS='|' read -r content msg; do
		f=$(printf '%b' "$content" | mkfile in.csv)
		run --separate-stderr mp-match "$f" "$F/police.csv"
		assert_equal "$content: $status" "$content: 1"
		assert_equal "$content: $stderr" "$content: mp-match: $f:$msg"
		assert_output ""
	done <<'TABLE'
|1: no header: the input is empty
episode_id,start\n|1: child_id: required column is missing from the header
episode_id,child_id\n|1: start: required column is missing from the header
child_id,start\n|1: episode_id: required column is missing from the header
TABLE
	run --separate-stderr mp-match "$F/case.csv" /nonexistent/police.csv
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-match: /nonexistent/police.csv: No such file or directory"
}

@test "match: usage errors exit 2 with a message" {
	while IFS='|' read -r args msg; do
		# shellcheck disable=SC2086
		run --separate-stderr mp-match $args
		assert_equal "$args: $status" "$args: 2"
		assert_equal "$args: $stderr" "$args: mp-match: $msg
Try 'mp-match --help' for more information."
	done <<TABLE
|no CASE file given
a b c|too many files (CASE and POLICE at most)
- -|CASE and POLICE cannot both be standard input
-|CASE and POLICE cannot both be standard input
--only x a|--only: unknown class 'x' (both, case_only or police_only)
--only , a|--only: no class given (both, case_only or police_only)
--tolerance -1 a|--tolerance: '-1' is out of range (0 to 8784)
--tolerance 1.5 a|--tolerance: '1.5' is not a whole number
--roster-map x a|--roster-map needs --roster
--roster $F/roster.csv --roster-map nosuch a|--roster-map: unknown roster map 'nosuch'
--bogus a|unknown option '--bogus'
-o $F/case.csv $F/case.csv $F/police.csv|'$F/case.csv' is both an input and an output: write to another file
--conflicts $F/police.csv $F/case.csv $F/police.csv|'$F/police.csv' is both an input and an output: write to another file
TABLE
}

@test "match: TSV in and out; --help and --version" {
	c=$(tr ',' '\t' < "$F/case.csv" | mkfile case.tsv)
	p=$(grep -v '"' "$F/police.csv" | tr ',' '\t' | mkfile police.tsv)
	run --separate-stderr mp-match -t "$c" "$p"
	[ "$status" -eq 3 ]
	assert_equal "$(head -2 <<< "$output")" "$(printf '%s\n' 'episode_id,child_id,type,start,end,sex,care_status,police_ref,police_risk,source,match,police_episode_id,Notes,Location' \
		'c1,A,missing,2025-03-01T10:00,2025-03-01T18:00,female,lac,NP-1,high,liquidlogic,both,p1,ref match,Home address' | tr ',' '\t')"
	run mp-match --help
	[ "$status" -eq 0 ]
	assert_line --index 0 "Usage: mp-match [OPTION]... CASE [POLICE]"
	run mp-match --version
	assert_output --regexp '^mp-match \(mptools\) [0-9.]+$'
}

@test "match: sample data: every class appears, placed-here children are filled from the roster" {
	ex="$TOP/share/examples"
	[ -r "$ex/roster.csv" ] || skip "no sample roster"
	mp-import "$ex/liquidlogic-export.csv" > "$BATS_TEST_TMPDIR/case.csv" 2>/dev/null
	mp-import "$ex/police-notifications.csv" "$ex/police-notifications-extra.csv" > "$BATS_TEST_TMPDIR/police.csv" 2>/dev/null
	run --separate-stderr mp-match --roster "$ex/roster.csv" "$BATS_TEST_TMPDIR/case.csv" "$BATS_TEST_TMPDIR/police.csv"
	[ "$status" -eq 3 ]
	for m in both case_only police_only; do
		grep -q ",$m," <<< "$output" || fail "no $m episode in the sample"
	done
	assert_equal "$(tail -1 <<< "$stderr")" "$(closing 640 571 567 73 4)"
}

@test "match: whose children: the roster's responsible_la splits the reconciled episodes (mp-stats --children)" {
	mp-match --roster "$F/roster.csv" "$F/case.csv" "$F/police.csv" > "$BATS_TEST_TMPDIR/m.csv" 2>/dev/null || true
	# D (c4 and p4a) is placed here by E08000028; G (p7) is on no roster: blank, so counted as own.
	while IFS='|' read -r whose want; do
		run --separate-stderr mp-stats --by none --la E06000001 --children "$whose" "$BATS_TEST_TMPDIR/m.csv"
		[ "$status" -eq 0 ]
		assert_equal "$whose: $(printf '%s\n' "$output" | cut -d, -f1-5)" "$whose: period,episodes,children,missing,away
$want"
	done <<'TABLE'
own|all,7,6,5,2
placed-here|all,2,1,2,0
all|all,9,7,7,2
TABLE
}

@test "match: mp-report's data-quality section gives the reconciliation from the match column" {
	mp-match --roster "$F/roster.csv" "$F/case.csv" "$F/police.csv" > "$BATS_TEST_TMPDIR/m.csv" 2>/dev/null || true
	run --separate-stderr mp-report --now 2025-04-01T09:00 --month 2025-03 --la E06000001 --format markdown "$BATS_TEST_TMPDIR/m.csv"
	[ "$status" -eq 0 ]
	assert_line "Reconciliation with the police notifications (mp-match), of the 9 episodes of the input: 4 in both the case system and the police notifications, 2 in the case system only, 3 notified by the police only (no case record); 0 not reconciled."
	# Without the column, nothing is said about it.
	run --separate-stderr mp-report --now 2025-04-01T09:00 --month 2025-03 --la E06000001 --format markdown "$F/case.csv"
	refute_line --partial "Reconciliation"
}
