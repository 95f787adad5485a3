#!/usr/bin/env bats
# One verdict per row: every command decodes episodes through the one vocabulary (lib/episode.c),
# so the same messy file gets the same rejections, with the same messages, from each of them.
load helper

MESSY="$FIX/verdicts/messy.csv"
NOW=2025-06-01T09:00

# The verdict of each faulty row: line: column: message (mp-validate adds its rule id).
WANT="3: type: 'wandered' is not one of: missing, away, absent
4: type: required value is empty
5: start: '2025-02-30T10:00': impossible date: no such day in that month
6: start: required value is empty
7: end: ends (2025-01-10T09:00) before it starts (2025-01-10T10:00)
8: end: '11/01/25': two-digit years are not accepted (write the year in full)
9: dob: '2012-05-01T08:00': expected a date without a time
10: sex: 'Male' is not one of: male, female, other, unknown
11: care_status: 'LAC' is not one of: lac, cp, cin, eh, referral, none
12: placement: 'elsewhere' is not one of: in_area, out_of_area
13: allocated: 'yes' is not Y or N
14: police_risk: 'extreme' is not one of: no_apparent_risk, low, medium, high, absent
15: rhi_offered: 'x' is not Y or N
16: rhi_accepted: 'n' is not Y or N
17: rhi_held: 'soon': not a date (expected YYYY-MM-DD or DD/MM/YYYY)
18: rhi_reason: 'bored' is not one of: declined_child, declined_parent, no_contact, custody, missing_again, other
19: push_pull: 'Bad Thing' does not match the pattern [a-z0-9]+(?:_[a-z0-9]+)*
20: hoth: 'maybe' is not Y or N
21: source: 'Police!' does not match the pattern [a-z0-9_]+
22: episode_id: required value is empty
23: child_id: required value is empty
24: sex: 'unknown!' is not one of: male, female, other, unknown
26: push_pull: empty item in a ';'-separated list"

# The per-row messages of one run, without the program, the file and mp-validate's rule id.
verdicts() {
	# (the row's name, "episode ID (source line N): ", is left out: mp-stats does not give it yet)
	printf '%s\n' "$1" | sed -n -e "s|^mp-[a-z-]*: $MESSY:\([0-9]\)|\1|p" | sed -e 's/ \[[a-z0-9_]*\]$//' \
		-e 's/^\([0-9]*: \)episode [^:]*: /\1/'
}

@test "verdicts: every command rejects the same rows with the same messages (table: command)" {
	while read -r cmd; do
		run --separate-stderr $cmd "$MESSY"
		assert_equal "$cmd: status $status
$(verdicts "$stderr")" "$cmd: status 1
$WANT"
	done <<TABLE
mp-stats
mp-stats --threads 2
mp-stats --tsv-out --group sex
mp-report --now $NOW
mp-repeat --min 1
mp-open --now $NOW
mp-rhi-due --now $NOW
mp-rhi-due --now $NOW --all
mp-validate --now $NOW
TABLE
}

@test "verdicts: the rows every command rejects are the ones mp-validate does not pass" {
	run --separate-stderr mp-validate --now "$NOW" "$MESSY"
	[ "$status" -eq 1 ]
	assert_equal "$(printf '%s\n' "$output" | cut -d, -f1 | tr '\n' ' ')" "episode_id e01 e24 "
	assert_equal "${stderr##*$'\n'}" "mp-validate: 25 rows read, 2 passed, 23 rejected"
	run --separate-stderr mp-stats --by year "$MESSY"
	assert_equal "${stderr##*$'\n'}" "mp-stats: 25 rows read, 2 counted, 0 outside the range, 23 rejected"
}

@test "verdicts: mp-open still lists an open child whose row has a fault elsewhere, and says so" {
	run --separate-stderr mp-open --now "$NOW" "$MESSY"
	[ "$status" -eq 1 ]
	assert_equal "$(printf '%s\n' "$output" | cut -d, -f1 | tr '\n' ' ')" "episode_id e23 e24 "
	assert_equal "${stderr##*$'\n'}" "mp-open: 25 rows read, 2 listed (1 with a problem), 1 not listed, 22 rejected"
}
