#!/usr/bin/env bats
# scripts/gen-episodes: deterministic, valid, non-overlapping synthetic episodes.
load helper

GEN="$TOP/scripts/gen-episodes"
OVERLAPS="$FIX/gen/check-overlaps"
COLS='episode_id,child_id,type,start,end,dob,sex,ethnicity,send,care_status,placement,allocated,police_ref,police_risk,rhi_offered,rhi_accepted,rhi_held,rhi_reason,push_pull,hoth,source,la'

@test "--help names every option and exits 0" {
	run --separate-stderr "$GEN" --help
	assert_success
	for o in --rows --seed --from --to --now --la --tsv --output; do
		assert_output --partial -- "$o"
	done
}

@test "the same seed and options give identical bytes" {
	"$GEN" --seed 7 --rows 3000 >"$BATS_TEST_TMPDIR/a"
	"$GEN" --seed 7 --rows 3000 >"$BATS_TEST_TMPDIR/b"
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
}

@test "-o FILE writes the same bytes as standard output" {
	"$GEN" --seed 7 --rows 500 >"$BATS_TEST_TMPDIR/a"
	"$GEN" --seed 7 --rows 500 -o "$BATS_TEST_TMPDIR/b"
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
}

@test "a different seed gives different rows" {
	"$GEN" --seed 7 --rows 300 >"$BATS_TEST_TMPDIR/a"
	"$GEN" --seed 8 --rows 300 >"$BATS_TEST_TMPDIR/b"
	run cmp -s "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	assert_failure
}

@test "the header is the canonical columns in order" {
	run bash -c '"$0" --rows 1 | head -1' "$GEN"
	assert_output "$COLS"
	run bash -c '"$0" --rows 1 --tsv | head -1' "$GEN"
	assert_output "${COLS//,/$'\t'}"
}

@test "--rows N gives N rows (table)" {
	for n in 0 1 2 17 650 2345; do
		run bash -c '"$0" --rows "$1" --seed 3 | wc -l' "$GEN" "$n"
		assert_output "$((n + 1))"
	done
}

@test "every row has 22 fields, CSV and TSV" {
	run bash -c '"$0" --rows 2000 | awk -F, "NF != 22" | wc -l' "$GEN"
	assert_output 0
	run bash -c '"$0" --rows 2000 --tsv | awk -F"\t" "NF != 22" | wc -l' "$GEN"
	assert_output 0
}

@test "output passes mp-validate, every rule: default year, several councils, TSV" {
	# the generator's --now defaults to 09:00 the day after --to
	"$GEN" --seed 11 --rows 5000 >"$BATS_TEST_TMPDIR/e.csv"
	run --separate-stderr mp-validate --now 2025-04-01T09:00 "$BATS_TEST_TMPDIR/e.csv" -o /dev/null
	assert_success
	assert_equal "$stderr" "mp-validate: 5000 rows read, 5000 passed, 0 rejected"
	"$GEN" --seed 11 --rows 800 --tsv >"$BATS_TEST_TMPDIR/e.tsv"
	run --separate-stderr mp-validate --now 2025-04-01T09:00 --tsv "$BATS_TEST_TMPDIR/e.tsv" -o /dev/null
	assert_success
	assert_equal "$stderr" "mp-validate: 800 rows read, 800 passed, 0 rejected"
}

@test "across the clock changes: no skipped hour, repeated hour carries its offset" {
	"$GEN" --from 2025-03-29 --to 2025-03-31 --rows 3000 >"$BATS_TEST_TMPDIR/m.csv"
	run --separate-stderr mp-validate --now 2025-04-01T09:00 "$BATS_TEST_TMPDIR/m.csv" -o /dev/null
	assert_success
	assert_equal "$stderr" "mp-validate: 3000 rows read, 3000 passed, 0 rejected"
	run grep -c 'T01:[0-5][0-9]' <(grep -o '2025-03-30T01:[0-9:]*' "$BATS_TEST_TMPDIR/m.csv")
	assert_output 0
	"$GEN" --from 2024-10-26 --to 2024-10-27 --rows 3000 >"$BATS_TEST_TMPDIR/o.csv"
	run --separate-stderr mp-validate --now 2024-10-28T09:00 "$BATS_TEST_TMPDIR/o.csv" -o /dev/null
	assert_success
	assert_equal "$stderr" "mp-validate: 3000 rows read, 3000 passed, 0 rejected"
	# every time in the repeated hour has an offset, and no other time has one
	run bash -c 'grep -o "20[0-9-]*T[0-9:]*[+Z]*[0-9:]*" "$0" | grep "+" | grep -vc "^2024-10-27T01:[0-5][0-9]+0[01]:00$"' "$BATS_TEST_TMPDIR/o.csv"
	assert_output 0
	run bash -c 'grep -c "2024-10-27T01:[0-5][0-9][,+]" "$0"; grep -c "2024-10-27T01:[0-5][0-9]," "$0"' "$BATS_TEST_TMPDIR/o.csv"
	refute_output --regexp '^0'
	assert_line --index 1 0
	run "$OVERLAPS" "$BATS_TEST_TMPDIR/o.csv"
	assert_success
}

@test "a decade with the police 'absent' years passes mp-validate" {
	"$GEN" --seed 12 --rows 6000 --from 2015-04-01 --to 2025-03-31 >"$BATS_TEST_TMPDIR/d.csv"
	run --separate-stderr mp-validate --now 2025-04-01T09:00 "$BATS_TEST_TMPDIR/d.csv" -o /dev/null
	assert_success
	assert_equal "$stderr" "mp-validate: 6000 rows read, 6000 passed, 0 rejected"
}

@test "no child's episodes overlap, open ones last (several seeds and ranges)" {
	for args in "--seed 1 --rows 20000" "--seed 2 --rows 3000 --la E06999999" \
		"--seed 3 --rows 3000 --from 2015-04-01 --to 2018-03-31" \
		"--seed 4 --rows 2000 --now 2024-09-15T12:00"; do
		"$GEN" $args >"$BATS_TEST_TMPDIR/e.csv"
		run "$OVERLAPS" "$BATS_TEST_TMPDIR/e.csv"
		assert_success
		assert_output ""
	done
}

@test "the overlap checker itself catches overlaps and episodes after an open one" {
	run "$OVERLAPS" <(printf '%s\n' "$HDR" 1,c1,missing,2024-05-01T10:00,2024-05-01T20:00 \
		2,c1,missing,2024-05-01T19:00,2024-05-01T21:00 3,c2,missing,2024-05-02,2024-05-03 \
		4,c2,missing,2024-05-03T08:00,2024-05-03T09:00 5,c3,missing,2024-05-01T10:00, \
		6,c3,missing,2024-05-04T10:00,2024-05-04T11:00 7,c4,missing,2024-05-04T10:00,2024-05-04T09:00)
	assert_failure
	assert_output "c1: episode 2 starts before 1 ended
c2: episode 4 starts before 3 ended
c3: episode 6 starts while 5 is open
c4: episode 7 ends before it starts"
}

@test "--now: episodes still running are open, nothing ends or is held after it" {
	"$GEN" --seed 5 --rows 4000 --now 2024-12-01T09:00 >"$BATS_TEST_TMPDIR/e.csv"
	run --separate-stderr mp-validate --now 2024-12-01T09:00 "$BATS_TEST_TMPDIR/e.csv" -o /dev/null
	assert_success
	assert_equal "$stderr" "mp-validate: 4000 rows read, 4000 passed, 0 rejected"
	run awk -F, 'NR > 1 && ($4 > "2024-12-01T09:00" || $5 > "2024-12-01T09:00" || $17 > "2024-12-01T09:00")' \
		"$BATS_TEST_TMPDIR/e.csv"
	assert_output ""
	run awk -F, 'NR > 1 && $5 == ""' "$BATS_TEST_TMPDIR/e.csv"
	refute_output ""
}

@test "rows are internally consistent" {
	"$GEN" --seed 9 --rows 20000 >"$BATS_TEST_TMPDIR/e.csv"
	# placement only for lac; accepted Y only when offered Y; no reason when held;
	# held after the end; nothing about an interview while open; absent only before 2017
	run awk -F, 'NR > 1 && (($11 != "") != ($10 == "lac") && $21 != "ssda903" ||
		$16 == "Y" && $15 != "Y" || $17 != "" && $18 != "" || $17 != "" && $17 <= $5 ||
		$5 == "" && ($15 $16 $17 $18) != "" || $3 == "absent" || $14 == "absent")' "$BATS_TEST_TMPDIR/e.csv"
	assert_output ""
	"$GEN" --seed 9 --rows 3000 --from 2015-04-01 --to 2016-03-31 >"$BATS_TEST_TMPDIR/h.csv"
	run bash -c 'cut -d, -f3 "$0" | sort | uniq -c | awk "{print \$2}" | paste -sd" "' "$BATS_TEST_TMPDIR/h.csv"
	assert_output "absent away missing type"
}

@test "realistic shape: episodes per child, looked after, durations, RHI" {
	"$GEN" --seed 1 --rows 20000 >"$BATS_TEST_TMPDIR/e.csv"
	run awk -F, 'NR > 1 {
		n++; kids[$2]++; if ($10 == "lac") lac++
		if ($5 != "") { ret++; if ($15 == "Y") off++; if ($15 == "Y" && $16 == "Y") acc++ }
	} END {
		k = 0; max = 0; for (c in kids) { k++; if (kids[c] > max) max = kids[c] }
		printf "%d %d %d %d %d\n", (n / k >= 1.9 && n / k <= 2.5), (lac / n >= 0.40 && lac / n <= 0.50),
			(off / ret >= 0.90), (acc / off >= 0.68 && acc / off <= 0.78), (max >= 15)
	}' "$BATS_TEST_TMPDIR/e.csv"
	assert_output "1 1 1 1 1"
}

@test "the shipped example is what the documented command makes, and validates" {
	"$GEN" --seed 3 --rows 640 --la E06900001 --now 2025-04-01T09:00 >"$BATS_TEST_TMPDIR/e.csv"
	cmp "$BATS_TEST_TMPDIR/e.csv" "$TOP/share/examples/episodes.csv"
	run --separate-stderr mp-validate --now 2025-04-01T09:00 "$TOP/share/examples/episodes.csv" -o /dev/null
	assert_success
	assert_equal "$stderr" "mp-validate: 640 rows read, 640 passed, 0 rejected"
	run "$OVERLAPS" "$TOP/share/examples/episodes.csv"
	assert_success
}

@test "usage errors exit 2 with a message (table)" {
	while IFS='|' read -r args msg; do
		run --separate-stderr "$GEN" $args
		assert_failure 2
		assert_equal "${stderr##*$'\n'}" "gen-episodes: error: $msg"
	done <<-'EOF'
	--rows x|argument --rows: 'x' is not a whole number
	--rows -3|argument --rows: '-3' is negative
	--seed 1.5|argument --seed: '1.5' is not a whole number
	--from 2024-02-30|--from: '2024-02-30' is not a date YYYY-MM-DD
	--to 31/03/2025|--to: '31/03/2025' is not a date YYYY-MM-DD
	--from 1990-01-01|--from: '1990-01-01' is outside 1996-2099
	--from 2025-01-01 --to 2024-12-31|--to 2024-12-31 is before --from 2025-01-01
	--now 2025-03-30T01:30|--now: '2025-03-30T01:30' does not exist in UK time (clocks go forward)
	--now 2025-13-01|--now: '2025-13-01' is not a date-time YYYY-MM-DDTHH:MM
	--now 2024-03-01T09:00|--now 2024-03-01T09:00 is not after the start of --from 2024-04-01
	--la a,b|--la: 'a,b' is not a usable code (empty, or a comma, tab, quote or newline)
	--bogus|unrecognized arguments: --bogus
	EOF
}

@test "a write error exits 1 with a message; a closed pipe is quiet" {
	run --separate-stderr "$GEN" --rows 10 -o /nonexistent/dir/x.csv
	assert_failure 1
	assert_equal "$stderr" "gen-episodes: /nonexistent/dir/x.csv: No such file or directory"
	run --separate-stderr bash -c '"$0" --rows 200000 | head -1' "$GEN"
	assert_success
	assert_equal "$stderr" ""
}
