#!/usr/bin/env bats
# mp-report: the text and Markdown reports pinned, the HTML's structure and figures checked against
# mp-stats, --suppress, --with-ids, --kind, --validation, every error message, and the main job.
load helper

R="$FIX/report"
SMALL="$R/small.csv"
NOW=2025-03-01T09:00
SAMPLE="$TOP/share/examples/episodes.csv"

# The figures of an HTML report: "key value" per data-fig cell.
html_figures() {
	grep -o 'data-fig="[^"]*">[^<]*' "$1" | sed 's/^data-fig="//; s/">/ /'
}

# What mp-stats says for the same keys: mp-stats CSV (with a header) on stdin,
# prefix, and the number of group columns; prints "prefix/group/count value".
stats_keys() {
	awk -F, -v pre="$1" -v ng="$2" '
	NR == 1 { for (i = 1; i <= NF; i++) name[i] = $i; next }
	{
		g = ng == 0 ? (pre == "total" ? "all" : $1) : $2
		for (k = 3; k <= ng + 1; k++) g = g "," $k
		for (i = ng + 2; i <= NF; i++) print pre "/" g "/" name[i], $i
	}'
}

# Every data-fig figure of an HTML report equals mp-stats on the same input and dates.
check_figures() {
	local html=$1 input=$2 from=$3 to=$4 tfrom=$5 extra=${6:-}
	local exp="$BATS_TEST_TMPDIR/expected"
	{
		mp-stats $extra --by none --from "$from" --to "$to" "$input" | stats_keys total 0
		mp-stats $extra --by month --from "$tfrom" --to "$to" "$input" | stats_keys month 0
		mp-stats $extra --by month --from "$from" --to "$to" "$input" | stats_keys pmonth 0
		mp-stats $extra --by none --from "$from" --to "$to" --group care_status,placement "$input" | stats_keys care 2
		for g in type age_band sex ethnicity send duration_band; do
			mp-stats $extra --by none --from "$from" --to "$to" --group "$g" "$input" | stats_keys "$g" 1
		done
		mp-stats $extra --by fq --from "$from" --to "$to" "$input" | stats_keys fq 0
		# Episodes needing an interview with none held, by reason: rhi_eligible - rhi_not_recorded - rhi_held.
		mp-stats $extra --by none --from "$from" --to "$to" --group rhi_reason "$input" |
			awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
				{ print "notheld/" $2 "/episodes", $c["rhi_eligible"] - $c["rhi_not_recorded"] - $c["rhi_held"] }'
	} > "$exp"
	local n=0 bad=""
	while read -r key value; do
		want=$(awk -v k="$key" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$exp")
		[ "$want" = "$value" ] || bad="$bad $key=$value(mp-stats:$want)"
		n=$((n + 1))
	done < <(html_figures "$html")
	assert_equal "${bad:-none}" "none"
	echo "$n"
}

@test "report: the text report of a small month, pinned in full" {
	run --separate-stderr mp-report --now "$NOW" --month 2025-02 "$SMALL"
	[ "$status" -eq 0 ]
	assert_equal "$stderr" ""
	assert_output "$(cat "$R/small-feb.txt")"
}

@test "report: text lines fit in 80 columns, with no trailing spaces" {
	for args in "--month 2025-02" "--month 2025-02 --with-ids" "--month 2025-02 --suppress 3" "--kind daily" "--kind weekly"; do
		mp-report --now "$NOW" $args "$SMALL" > "$BATS_TEST_TMPDIR/r.txt"
		run awk 'length > 80 || / $/ { print FILENAME ":" FNR ": " $0 }' "$BATS_TEST_TMPDIR/r.txt"
		assert_equal "$args: $output" "$args: "
	done
	[ ! -r "$SAMPLE" ] || {
		mp-report --now 2025-04-01T09:00 --fy 2024-25 --with-ids "$SAMPLE" > "$BATS_TEST_TMPDIR/r.txt"
		run awk 'length > 80 || / $/' "$BATS_TEST_TMPDIR/r.txt"
		assert_equal "$output" ""
	}
}

@test "report: the Markdown report of a small month, pinned in full" {
	run --separate-stderr mp-report --now "$NOW" --month 2025-02 --format markdown --la "Example Council" "$SMALL"
	[ "$status" -eq 0 ]
	assert_equal "$stderr" ""
	assert_output "$(cat "$R/small-feb.md")"
}

@test "report: the headline's figures, by hand from the fixture" {
	run mp-report --now "$NOW" --month 2025-02 "$SMALL"
	assert_line "10 episodes missing or away for 6 children between 1 February 2025 and 28"
	assert_line "  - Looked after: 3 of the 6 children (1 placed in area, 2 out of area)."
	# Needing one: the 8 returned missing episodes (E03 is away, E09 open); offered 7 (not E07);
	# accepted and held 4 (E01, E02, E04, E06); in time 3: E01 and E04 (26 h), E06 (date only, 2 days),
	# not E02 (99.5 h).  E12 returned 23 hours before --now with none held: not yet due, so the
	# strict measure is 3 of 8 - 1.
	assert_line "  - Interviews within 72 hours of the return: 75.0% of the 4 held (3); strictly,"
	assert_line "    42.9% of the 7 whose 72 hours have run."
	assert_line "  - Interviews offered: 87.5% of the 8 episodes needing one (7)."
	assert_line "  - Offers accepted: 57.1% of the 7 offered (4)."
	assert_line "  - Interviews held: 100.0% of the 4 accepted (4)."
	# Children needing one: C1-C5 (C6 is open); offered: all five; accepted: C1, C2, C4.
	assert_line "  - Children: 5 of the 5 needing an interview were offered one at least once"
	assert_line "    (100.0%); 3 of the 5 offered took one up (60.0%)."
	assert_line "    of the in-time shares: 1 return."
	# C1: three episodes in February, hoth = Y from E02.
	assert_line "  - Repeat missing, 3 or more episodes in a calendar month: 1 child; 1 of them"
	# At --now: E09 open (E11 starts later); E08 overdue, E12 due on 3 March.
	assert_line "  - Missing or away now: 1 child (1 open episode), of them 1 looked after; 1"
	assert_line "    reason recorded): 2; 1 overdue (more than 72 hours after the return), 1 not"
}

@test "report: HTML is one file: no script, no external reference, SVGs with title and desc" {
	run --separate-stderr mp-report --now "$NOW" --month 2025-02 --format html "$SMALL"
	[ "$status" -eq 0 ]
	assert_equal "$stderr" ""
	assert_line --index 0 "<!DOCTYPE html>"
	assert_output --partial '<html lang="en-GB">'
	assert_output --partial '@media print'
	assert_output --partial '@page{size:A4'
	refute_output --partial '<script'
	refute_output --regexp ' (src|href)='
	refute_output --regexp '<link|<img|<iframe|<object|@import|url\('
	# Three charts, each an image with a title and a description, referenced by aria-labelledby.
	assert_equal "$(grep -c '<svg ' <<< "$output")" 3
	assert_equal "$(grep -c 'role="img" aria-labelledby="chart[1-3]-title chart[1-3]-desc"' <<< "$output")" 3
	for i in 1 2 3; do
		assert_output --partial "<title id=\"chart$i-title\">"
		assert_output --partial "<desc id=\"chart$i-desc\">"
	done
	assert_output --partial '<desc id="chart1-desc">Bar chart of episodes and children per month: 2025-01 1 episodes'
	assert_output --partial 'with a line at 72 hours; 3 held in time of 4 held'
	# Each chart sits with its table in one block.
	assert_equal "$(grep -c '<div class="fig">' <<< "$output")" 3
	assert_output --partial '</figure>
<table>'
	# Tags balance (a crude check: every opened section, table, svg and figure is closed).
	for t in section table svg figure ul main header; do
		assert_equal "$t $(grep -o "<$t[ >]" <<< "$output" | wc -l)" "$t $(grep -o "</$t>" <<< "$output" | wc -l)"
	done
}

@test "report: every figure in the HTML equals mp-stats for the same input (small month)" {
	mp-report --now "$NOW" --month 2025-02 --format html "$SMALL" > "$BATS_TEST_TMPDIR/r.html"
	run check_figures "$BATS_TEST_TMPDIR/r.html" "$SMALL" 2025-02-01 2025-02-28 2024-03-01
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" -ge 80 ]
}

@test "report: every figure in the HTML equals mp-stats for the same input (sample year, --within 24)" {
	[ -r "$SAMPLE" ] || skip "no sample"
	mp-report --now 2025-04-01T09:00 --fy 2024-25 --within 24 --repeat-min 2 --format html "$SAMPLE" > "$BATS_TEST_TMPDIR/r.html"
	run check_figures "$BATS_TEST_TMPDIR/r.html" "$SAMPLE" 2024-04-01 2025-03-31 2024-04-01 "--within 24 --repeat-min 2"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" -ge 180 ]
	# The headline in words carries the same totals.
	run --separate-stderr mp-stats --by none --from 2024-04-01 --to 2025-03-31 "$SAMPLE"
	ep=$(sed -n 2p <<< "$output" | cut -d, -f2) ch=$(sed -n 2p <<< "$output" | cut -d, -f3)
	grep -q "<p class=\"headline\">$ep episodes missing or away for $ch children between 1 April 2024 and 31 March 2025.</p>" \
		"$BATS_TEST_TMPDIR/r.html"
}

@test "report: --suppress shows counts from 1 to N-1 and their percentages as [c]" {
	run --separate-stderr mp-report --now "$NOW" --month 2025-02 --suppress 3 "$SMALL"
	[ "$status" -eq 0 ]
	assert_line "Small numbers: counts from 1 to 2, and percentages built on them, are shown as"
	# Secondary suppression: 9 missing would give away (1) from the 10 episodes, so it is hidden too.
	assert_line "  - Episodes: [c] missing, [c] away from placement without authorisation."
	assert_line "  - Looked after: 3 of the 6 children ([c] placed in area, [c] out of area)."
	assert_line "  away episodes                     [c]     [c]  episodes"
	assert_line "  missing episodes                  [c]     [c]  episodes"
	assert_line "  absent episodes (historic)          0    0.0%  episodes"
	assert_line "  RHI held within 72 hours            3   75.0%  held"
	# No count of 1 or 2 is left in any table cell.
	refute_output --regexp '  (1|2)  '
	refute_output --regexp ' (1|2)$'
	# The HTML marks the same cells, and draws no bar for them.
	run mp-report --now "$NOW" --month 2025-02 --suppress 3 --format html "$SMALL"
	assert_output --partial '<td class="n" data-fig="total/all/away">[c]</td>'
	refute_output --regexp 'data-fig="[^"]*">(1|2)<'
}

@test "report: counts only without --with-ids; --with-ids says so at the top and lists children" {
	run mp-report --now "$NOW" --month 2025-02 "$SMALL"
	assert_line "Counts only: no child is identified."
	refute_output --regexp '\bC[0-9]\b|\bE[0-9][0-9]\b'
	run --separate-stderr mp-report --now "$NOW" --month 2025-02 --with-ids "$SMALL"
	[ "$status" -eq 0 ]
	assert_line --index 5 "CONTAINS CHILD-LEVEL IDENTIFIERS (--with-ids): for the missing team's own use;"
	assert_line "  C1        2025-02         3  Y"
	assert_line "  C6        E09         2025-02-26T09:00     72  looked after, out of area"
	assert_line "  C5        E08         2025-02-15T04:00  2025-02-18T04:00  overdue"
	assert_line "  C3        E12         2025-02-28T10:00  2025-03-03T10:00  due"
	run mp-report --now "$NOW" --month 2025-02 --with-ids --format html "$SMALL"
	assert_output --partial '<p class="ids">CONTAINS CHILD-LEVEL IDENTIFIERS'
	run mp-report --now "$NOW" --month 2025-02 --with-ids --format markdown "$SMALL"
	assert_line "**CONTAINS CHILD-LEVEL IDENTIFIERS (--with-ids): for the missing team's own use; do not circulate.**"
}

@test "report: --kind picks the sections and the default period (table)" {
	# kind | period line | section titles
	while IFS='|' read -r kind period sections; do
		run --separate-stderr mp-report --now "$NOW" --kind "$kind" "$SMALL"
		[ "$status" -eq 0 ]
		assert_equal "$kind: $(grep '^Period' <<< "$output")" "$kind: $period"
		assert_equal "$kind: $(grep -E '^[0-9]+\. ' <<< "$output" | sed 's/^[0-9]*\. //' | paste -sd/)" "$kind: $sections"
	done <<'TABLE'
daily|Period: 28 February 2025 (episodes starting that day).|Missing now and interviews outstanding/Data quality
weekly|Period: 17 February 2025 to 23 February 2025 (episodes starting in it).|Headline/Care status/Missing and away/Return home interviews/Missing now and interviews outstanding/Data quality
monthly|Period: 1 February 2025 to 28 February 2025 (episodes starting in it).|Headline/Monthly trend/Care status/Missing and away/Return home interviews/Repeat missing (3 or more episodes in a calendar month)/Durations/Push and pull factors/Who goes missing/Missing now and interviews outstanding/Data quality
quarterly|Period: 2024-25 Q3, 1 October 2024 to 31 December 2024 (episodes starting in|Missing now and interviews outstanding/Data quality
annual|Period: 2023-24, 1 April 2023 to 31 March 2024 (episodes starting in it).|Missing now and interviews outstanding/Data quality
TABLE
	run mp-report --now "$NOW" --kind daily --from 2025-02-01 --to 2025-02-28 "$SMALL"
	assert_line "10 episodes missing or away for 6 children between 1 February 2025 and 28"
	run mp-report --now "$NOW" --fy 2024-25 "$SMALL"
	assert_line --index 0 "Children missing from home or care: annual report"
	# The trend starts where the data start (30 January 2025), not with months of zeros.
	assert_line --partial "From January 2025, where the data start, to March 2025."
	refute_line --regexp '^  2024-[0-9]{2}  '
	assert_line "  2025-01         1         1        1     0            1     100.0%"
	assert_line "  2024-25 Q4        12         7       11     1            4      80.0%"
	run mp-report --now "$NOW" --from 2025-02-20 "$SMALL"
	assert_line "Period: 20 February 2025 to 1 March 2025 (episodes starting in it)."
	run mp-report --now "$NOW" --quarter 2024-25Q4 "$SMALL"
	assert_line --index 0 "Children missing from home or care: quarterly report"
	assert_line --partial "Period: 2024-25 Q4, 1 January 2025 to 31 March 2025"
}

@test "report: a period with no episode says so in its first line and exits 0" {
	while IFS='|' read -r args first; do
		run --separate-stderr mp-report --now "$NOW" $args "$SMALL"
		[ "$status" -eq 0 ]
		assert_equal "$args: $(sed -n 1,2p <<< "$output" | paste -sd' ')" "$args: $first"
		refute_line --partial "1. Headline"
		assert_line --partial "Missing now and interviews outstanding"
	done <<'TABLE'
--month 2026-10|12 episodes read, none starting in October 2026: give --month, --fy or --from/--to.
--quarter 2024-25Q3|12 episodes read, none starting in 2024-25 Q3: give --month, --fy or --from/--to.
--from 2024-06-01 --to 2024-06-07|12 episodes read, none starting between 1 June 2024 and 7 June 2024: give --month, --fy or --from/--to.
TABLE
}

@test "report: --title, --la, --repeat-min and --within" {
	run mp-report --now "$NOW" --month 2025-02 --title "Missing children: February" --la "Example Council" \
		--repeat-min 2 --within 24 "$SMALL"
	assert_line --index 0 "Missing children: February"
	assert_line --index 1 "=========================="
	assert_line --index 2 "Example Council"
	assert_line "  - Repeat missing, 2 or more episodes in a calendar month: 3 children; 1 of"
	# E01 and E04 were held 26 hours after the return; E06 two days after (date only).
	assert_line "  RHI held within 24 hours            0    0.0%  held"
	assert_line "  up to 8 h                        0       0.0%"
}

@test "report: --validation takes the counts from mp-validate's closing line, not from a rejects file" {
	run mp-report --now "$NOW" --month 2025-02 --validation "$R/validate.log" "$SMALL"
	assert_line "Validation (mp-validate): 14 rows read, 2 rejected, 1 warning."
	f=$(printf '{"rows_read":20,"passed":19,"rejected":1,"warnings":0}\n' | mkfile v.json)
	run mp-report --now "$NOW" --month 2025-02 --validation "$f" "$SMALL"
	assert_line "Validation (mp-validate): 20 rows read, 1 rejected, 0 warnings."
	# Records sharing a line (a bare CR splits it): mp-validate counted 7 read and 3 rejected, where
	# the rejects file shows problems on 2 lines only; the report says what mp-validate said.
	f=$(printf 'mp-validate: x.csv:2: type: bad\nmp-validate: x.csv:2: type: bad\nmp-validate: x.csv:3: type: bad\nmp-validate: 7 rows read, 4 passed, 3 rejected\n' | mkfile v.log)
	run mp-report --now "$NOW" --month 2025-02 --validation "$f" "$SMALL"
	assert_line "Validation (mp-validate): 7 rows read, 3 rejected, 0 warnings."
}

@test "report: rows it cannot use are reported, left out and counted; the report is still written" {
	f=$(mkfile bad.csv <<'CSV'
episode_id,child_id,type,start,end,hoth,rhi_reason
e1,c1,missing,2025-02-01T10:00,2025-02-01T09:00,,
e2,c1,lost,2025-02-01T10:00,,,
e3,c1,missing,2025-02-01T10:00,,maybe,
e4,c1,missing,2025-02-01T10:00,,,bored
e5,,missing,2025-02-01T10:00,,,
e6,c1,missing,2025-02-01T10:00
e7,c2,missing,31/02/2025,,,
e8,c3,missing,2025-02-02T10:00,,,
CSV
)
	run --separate-stderr mp-report --now "$NOW" --month 2025-02 "$f"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-report: $f:2: episode e1: end: ends (2025-02-01T09:00) before it starts (2025-02-01T10:00)
mp-report: $f:3: episode e2: type: 'lost' is not one of: missing, away, absent
mp-report: $f:4: episode e3: hoth: 'maybe' is not Y or N
mp-report: $f:5: episode e4: rhi_reason: 'bored' is not one of: declined_child, declined_parent, no_contact, custody, missing_again, other
mp-report: $f:6: episode e5: child_id: required value is empty
mp-report: $f:7: expected 7 fields (as in the header), found 4
mp-report: $f:8: episode e7: start: '31/02/2025': impossible date: no such day in that month
mp-report: warning: rhi_held: not in the input: the figures that need it are not recorded
mp-report: warning: rhi_offered: not in the input: the figures that need it are not recorded
mp-report: warning: rhi_accepted: not in the input: the figures that need it are not recorded
mp-report: warning: care_status: not in the input: the figures that need it are not recorded
mp-report: warning: hoth: empty on every row: the figures that need it are not recorded
mp-report: warning: end: empty on every row: the figures that need it are not recorded
mp-report: warning: push_pull: not in the input: the figures that need it are not recorded
mp-report: warning: dob: not in the input: the figures that need it are not recorded
mp-report: warning: sex: not in the input: the figures that need it are not recorded
mp-report: warning: ethnicity: not in the input: the figures that need it are not recorded
mp-report: warning: send: not in the input: the figures that need it are not recorded
mp-report: 8 rows read, 1 reported on, 7 rejected"
	assert_line "1 episode missing or away for 1 child between 1 February 2025 and 28 February"
	assert_line "7 rows of the input could not be used by this report and are in no figure (see"
	assert_line "By age band: not recorded (dob)."
}

@test "report: header and input errors (table)" {
	while IFS='|' read -r input want; do
		f=$(printf '%b' "$input" | mkfile in.csv)
		run --separate-stderr mp-report --now "$NOW" --month 2025-02 "$f"
		assert_equal "$stderr" "${want//FILE/$f}"
		[ "$status" -eq 1 ]
	done <<'TABLE'
episode_id,type,start\n|mp-report: FILE:1: child_id: required column is missing from the header
episode_id,child_id,start\n|mp-report: FILE:1: type: required column is missing from the header
|mp-report: FILE: empty input: no header line
TABLE
	run --separate-stderr mp-report --now "$NOW" --month 2025-02 "$BATS_TEST_TMPDIR/none.csv"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-report: $BATS_TEST_TMPDIR/none.csv: No such file or directory"
}

@test "report: usage errors, each message pinned (table)" {
	while IFS='|' read -r args want; do
		run --separate-stderr mp-report --now "$NOW" $args "$SMALL"
		assert_equal "$args: $stderr" "$args: mp-report: $want
Try 'mp-report --help' for more information."
		[ "$status" -eq 2 ]
		assert_equal "$output" ""
	done <<'TABLE'
--month 2025-13|--month: '2025-13': expected YYYY-MM, such as 2025-02
--month 2025-2|--month: '2025-2': expected YYYY-MM, such as 2025-02
--fy 2024-26|--fy: '2024-26': the second year must follow the first (2024-25)
--fy 24-25|--fy: '24-25': expected YYYY-YY, such as 2024-25
--from 2025-02-30|--from: '2025-02-30': impossible date: no such day in that month
--to 2025-02-01|--to needs --from
--from 2025-03-01 --to 2025-02-01|--from 2025-03-01 is after --to 2025-02-01
--from 2025-04-01|--from 2025-04-01 is after the day of --now
--month 2025-02 --fy 2024-25|give one period: --month, --quarter, --fy, or --from and --to
--month 2025-02 --from 2025-02-01|give one period: --month, --quarter, --fy, or --from and --to
--quarter 2024-25Q1 --fy 2024-25|give one period: --month, --quarter, --fy, or --from and --to
--quarter 2024-25Q5|--quarter: '2024-25Q5': expected YYYY-YYQN, such as 2024-25Q1
--quarter 2024-26Q1|--quarter: '2024-26Q1': the second year must follow the first (2024-25)
--children mine|--children: 'mine': expected own, placed-here or all
--rhi-types missing,lost|--rhi-types: 'missing,lost': expected types from missing, away, absent, comma-separated
--rhi-types=|--rhi-types: '': expected types from missing, away, absent, comma-separated
--repeat-window 0|--repeat-window: '0' is out of range (1 to 3660)
--repeat-window week|--repeat-window: 'week' is not a whole number
--secondary maybe|--secondary: 'maybe': expected on or off
--recur-days 0|--recur-days: '0' is out of range (1 to 3660)
--format pdf|--format: unknown format 'pdf' (text, markdown, html or xlsx)
--kind hourly|--kind: unknown kind 'hourly' (daily, weekly, monthly, quarterly or annual)
--suppress 1|--suppress: '1' is out of range (2 to 1000000)
--suppress x|--suppress: 'x' is not a whole number
--within 0|--within: '0' is out of range (1 to 8760)
--repeat-min 0|--repeat-min: '0' is out of range (1 to 1000000)
--with-ids --suppress 5|--with-ids lists children, --suppress is for reports that leave the council: choose one
--tsv-out|--tsv-out: mp-report writes a report, not a table (see --format)
--excel|--excel: mp-report writes a report, not CSV for Excel (see --format)
--title=|--title: an empty title
--la=|--la: an empty name
--now tomorrow|--now: 'tomorrow': not a date (expected YYYY-MM-DD or DD/MM/YYYY)
--bogus|unknown option '--bogus'
-x|unknown option '-x'
--tz Mars/Olympus|unknown time zone 'Mars/Olympus'
TABLE
	run --separate-stderr mp-report --month
	assert_equal "$stderr" "mp-report: option '--month' needs a value
Try 'mp-report --help' for more information."
	[ "$status" -eq 2 ]
}

@test "report: --validation errors" {
	run --separate-stderr mp-report --now "$NOW" --month 2025-02 --validation "$BATS_TEST_TMPDIR/none" "$SMALL"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-report: --validation: $BATS_TEST_TMPDIR/none: No such file or directory"
	run --separate-stderr mp-report --now "$NOW" --month 2025-02 --validation "$SMALL" "$SMALL"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-report: --validation: $SMALL: not a log of mp-validate (no \"N rows read, N passed, N rejected\" line)"
	run --separate-stderr mp-report --now "$NOW" --month 2025-02 --validation "$R/rejects.csv" "$SMALL"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-report: --validation: $R/rejects.csv: a --rejects file cannot give the counts; give mp-validate's log (its standard error), which ends with the \"rows read\" line"
	assert_equal "$output" ""
}

@test "report: reads stdin and TSV, writes -o atomically; --help matches the man page" {
	run mp-report --now "$NOW" --month 2025-02 - < "$SMALL"
	assert_output "$(cat "$R/small-feb.txt")"
	tr ',' '\t' < "$SMALL" > "$BATS_TEST_TMPDIR/s.tsv"
	run mp-report --now "$NOW" --month 2025-02 --tsv "$BATS_TEST_TMPDIR/s.tsv"
	assert_output "$(cat "$R/small-feb.txt")"
	echo old > "$BATS_TEST_TMPDIR/out.txt"
	run mp-report --now "$NOW" --month 2025-13 -o "$BATS_TEST_TMPDIR/out.txt" "$SMALL"
	[ "$status" -eq 2 ]
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out.txt")" old
	run mp-report --now "$NOW" --month 2025-02 -o "$BATS_TEST_TMPDIR/out.txt" "$SMALL"
	[ "$status" -eq 0 ]
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out.txt")" "$(cat "$R/small-feb.txt")"
	run mp-report --help
	[ "$status" -eq 0 ]
	for opt in $(grep -o -- '--[a-z][a-z-]*' <<< "$output" | sort -u); do
		grep -q -- "Fl ${opt#--}\b\|Fl -${opt#--}\b" "$TOP/man/mp-report.1" || fail "$opt is not in the man page"
	done
	run mp-report --version
	assert_output --regexp '^mp-report \(mptools\) [0-9.]+$'
}

@test "report: the main job runs the whole pipeline on the sample and prints the text report" {
	for c in mp-import mp-validate mp-rhi-due mp-open mp-repeat mp-stats mp-report; do
		command -v "$c" > /dev/null || skip "$c is not built"
	done
	[ -r "$TOP/share/examples/liquidlogic-export.csv" ] || [ -r "$SAMPLE" ] || skip "no sample"
	bin=$(dirname "$(command -v mp-report)")
	run --separate-stderr env MPTOOLS_BIN="$bin" "$TOP/scripts/main-job" "$BATS_TEST_TMPDIR/out"
	[ "$status" -eq 0 ]
	assert_equal "$stderr" ""
	assert_line --index 0 "Children missing from home or care: annual report"
	assert_line "Period: 2024-25, 1 April 2024 to 31 March 2025 (episodes starting in it)."
	for f in episodes.csv rejects.csv rhi-due.csv open.csv repeat.csv stats-monthly.csv report.html report.md report.txt; do
		[ -s "$BATS_TEST_TMPDIR/out/$f" ] || fail "$f was not written"
	done
	# The printed report is the one written, and a second run writes the same files.
	assert_equal "$(sed -n 1,3p "$BATS_TEST_TMPDIR/out/report.txt")" "$(printf '%s\n' "${lines[@]:0:2}" | sed -n 1,2p; printf '%s' "${lines[2]}")"
	cp -r "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/first"
	env MPTOOLS_BIN="$bin" "$TOP/scripts/main-job" "$BATS_TEST_TMPDIR/out" > /dev/null
	for f in episodes.csv stats-monthly.csv report.html report.md report.txt repeat.csv; do
		cmp "$BATS_TEST_TMPDIR/first/$f" "$BATS_TEST_TMPDIR/out/$f"
	done
	# The annual figures equal mp-stats on the validated episodes.
	run check_figures "$BATS_TEST_TMPDIR/out/report.html" "$BATS_TEST_TMPDIR/out/episodes.csv" 2024-04-01 2025-03-31 2024-04-01
	[ "$status" -eq 0 ]
	# Its repeat table has mp-repeat's children per month.
	want=$(awk -F, 'NR > 1 { n[$2]++ } END { for (m in n) print m, n[m] }' "$BATS_TEST_TMPDIR/out/repeat.csv" | sort)
	got=$(grep -o 'data-fig="pmonth/[0-9-]*/repeat_children">[0-9]*' "$BATS_TEST_TMPDIR/out/report.html" |
		sed 's|data-fig="pmonth/||; s|/repeat_children">| |' | awk '$2 > 0' | sort)
	assert_equal "$got" "$want"
	run "$TOP/scripts/main-job" -x
	[ "$status" -eq 2 ]
	assert_equal "$output" "main-job: unknown option -x (usage: main-job [OUTDIR])"
}

@test "report: the council measures, each a share of its own base, pinned by hand (table)" {
	# council.csv, own children, types missing: K01 (held 14 h), K02 (declined), K04 (held before the
	# return: a data error), K07 (held after 182 h) need one; K05 is from ssda903, which records no
	# interview: not recorded; K03 is away; K06 is a child placed here by council E9.
	run --separate-stderr mp-report --now 2025-04-15T09:00 --month 2025-02 "$R/council.csv"
	[ "$status" -eq 0 ]
	assert_equal "$stderr" "mp-report: warning: push_pull: empty on every row: the figures that need it are not recorded"
	while IFS='|' read -r line; do
		assert_line "$line"
	done <<'TABLE'
  - Interviews within 72 hours of the return: 33.3% of the 3 held (1); strictly,
    25.0% of the 4 whose 72 hours have run.
  - Interviews offered: 100.0% of the 4 episodes needing one (4).
  - Offers accepted: 75.0% of the 4 offered (3).
  - Interviews held: 100.0% of the 3 accepted (3).
    (100.0%); 3 of the 3 offered took one up (100.0%).
  - 1 episode from ssda903 carries no interview data: not recorded, and left out
  - Recurrence: of 3 returns with an interview, 33.3% went missing again within
    30 days (1); of 1 without, 0.0% (0).
  needing one                                       4
  offered                                           4  4 needing one  100.0%
  accepted                                          3  4 offered       75.0%
  held                                              3  3 accepted     100.0%
  held within 72 hours                              1  3 held          33.3%
  held within 72 hours (strict)                     1  4 due           25.0%
  not yet due (left out of the in-time shares)      0
  not recorded (left out of every share)            1
  over 144 h                                 1      33.3%
  before the return (a data error)           1      33.3%
TABLE
	# The headline leads with the board figure.
	assert_equal "$(grep -m1 '^  - ' <<< "$output")" "  - Interviews within 72 hours of the return: 33.3% of the 3 held (1); strictly,"
	# Every type needing an interview: K03 (away, held the next day) joins.
	run mp-report --now 2025-04-15T09:00 --month 2025-02 --rhi-types missing,away "$R/council.csv"
	assert_line "  - Interviews within 72 hours of the return: 50.0% of the 4 held (2); strictly,"
	assert_line "  - Interviews offered: 100.0% of the 5 episodes needing one (5)."
	# K02 returned 21 hours before --now with none held: not yet due, out of the strict base.
	run mp-report --now 2025-02-11T09:00 --month 2025-02 "$R/council.csv"
	assert_line "  needing one                                       4"
	assert_line "  not yet due (left out of the in-time shares)      1"
	assert_line "  held within 72 hours (strict)                     1  3 due           33.3%"
}

@test "report: whose children: own in every figure, placed here apart, --children (table)" {
	while IFS='|' read -r children first placed; do
		run --separate-stderr mp-report --now 2025-04-15T09:00 --month 2025-02 --children "$children" "$R/council.csv"
		[ "$status" -eq 0 ]
		assert_equal "$children: $(sed -n 11p <<< "$output")" "$children: $first"
		assert_equal "$children: $(grep -c '^[0-9]*\. Children placed here by other councils' <<< "$output")" "$children: $placed"
	done <<'TABLE'
own|6 episodes missing or away for 5 children between 1 February 2025 and 28|1
placed-here|1 episode missing or away for 1 child between 1 February 2025 and 28 February|0
all|7 episodes missing or away for 6 children between 1 February 2025 and 28|0
TABLE
	run mp-report --now 2025-04-15T09:00 --month 2025-02 "$R/council.csv"
	assert_line "Children placed in the area by another council (responsible_la set and not E1):"
	assert_line "  - 1 episode missing or away for 1 child: 1 missing, 0 away."
	# --la names the council: with E9 as this council, K06 is its own too (a blank responsible_la is
	# always this council's child).
	run mp-report --now 2025-04-15T09:00 --month 2025-02 --la E9 "$R/council.csv"
	assert_line "7 episodes missing or away for 6 children between 1 February 2025 and 28"
	refute_line --partial "Children placed here by other councils"
	# Several councils in la, children placed here, no --la: the council cannot be told.
	f=$(printf 'episode_id,child_id,type,start,end,la,responsible_la\ne1,c1,missing,2025-02-01T10:00,,E1,E9\ne2,c2,missing,2025-02-01T10:00,,E2,\n' | mkfile two.csv)
	run --separate-stderr mp-report --now 2025-04-15T09:00 --month 2025-02 "$f"
	[ "$status" -eq 1 ]
	assert_equal "${stderr##*$'\n'}" "mp-report: la: the input holds several councils (E1, E2, ...) and some rows have a responsible_la: give --la CODE for this council (or --children all)"
	assert_equal "$output" ""
}

@test "report: every headline figure with the previous period and the change" {
	# March 2025 against February (the data start on 30 January, so February is covered).
	run mp-report --now 2025-04-15T09:00 --month 2025-03 "$SMALL"
	assert_line "1 episode (last month 10, -90%) missing or away for 1 child (last month 6, -83%)"
	assert_line "  - Episodes: 1 missing (last month 9, -89%), 0 away from placement without"
	assert_line "    authorisation (last month 1, -100%)."
	assert_line "  - Interviews offered: - of the 0 episodes needing one (0; last month 87.5%)."
	# February against January: January 2025 began before the data did.
	run mp-report --now 2025-04-15T09:00 --month 2025-02 "$SMALL"
	assert_line "Comparison with last month: not available (the data start on 30 January 2025)."
	refute_output --regexp "last month [0-9-]"
	# The sample year: the interview measures compare in points.
	[ -r "$SAMPLE" ] || skip "no sample"
	run mp-report --now 2025-04-15T09:00 --from 2024-10-01 --to 2025-03-31 --format markdown "$SAMPLE"
	assert_output --regexp '[0-9]+ episodes \(the previous 6 months [0-9]+, [+-][0-9]+%\) missing or away'
	assert_output --regexp 'held \([0-9]+; the previous 6 months [0-9]+\.[0-9]%, [+-]?[0-9]+\.[0-9] points\)'
}

@test "report: the repeat figure follows --repeat-min and --repeat-window, and says its rule" {
	run mp-report --now "$NOW" --month 2025-02 --repeat-min 2 --repeat-window 10 --with-ids "$SMALL"
	assert_line "6. Repeat missing (2 or more episodes within 10 days)"
	assert_line "episodes within 10 days."
	# C1: 1 and 10 February (20 February is 10 days after the 10th, outside a span from the 1st);
	# C5: 12 and 14 February.  C3 (4 and 27 February) is not.
	assert_line "  C1        2025-02-01 to 2025-02-10         2  Y"
	assert_line "  C5        2025-02-12 to 2025-02-21         2  N"
	refute_line --regexp '^  C3 +2025-02-[0-9]+ to '
	assert_line "  - Repeat missing, 2 or more episodes within 10 days: 2 children; 1 of them"
	# One repeat figure: no "children with 3+ episodes in the period" beside it.
	refute_output --partial "episodes in the period"
	run mp-report --now "$NOW" --month 2025-02 --repeat-window month "$SMALL"
	assert_line "6. Repeat missing (3 or more episodes in a calendar month)"
}

@test "report: ethnicity in words, Refused and not yet obtained apart from the ethnic groups" {
	run mp-report --now 2025-04-15T09:00 --month 2025-02 "$R/council.csv"
	assert_line "  White British                      2         1          20.0%"
	assert_line "  Any other mixed background         1         1          20.0%"
	assert_line "  Chinese                            1         1          20.0%"
	assert_line "  Ethnicity not known"
	assert_line "  Information not yet obtained         1         1          20.0%"
	assert_line "  Refused                              1         1          20.0%"
	# Refused is not in the table of ethnic groups.
	run sed -n '/  By ethnicity/,/  Ethnicity not known/p' <<< "$output"
	refute_output --partial "Refused"
}

@test "report: a figure whose column is absent or empty is not recorded, with one warning naming it" {
	f=$(printf 'episode_id,child_id,type,start,end,care_status,rhi_offered,source\ne1,c1,missing,2025-02-01T10:00,2025-02-01T12:00,,Y,liquidlogic\ne2,c2,missing,2025-02-03T10:00,2025-02-03T12:00,,,ssda903\n' | mkfile partial.csv)
	run --separate-stderr mp-report --now "$NOW" --month 2025-02 "$f"
	[ "$status" -eq 0 ]
	assert_line "  - Looked after: not recorded (care_status)."
	assert_line "  - Offers accepted: not recorded (rhi_accepted)."
	assert_line "  - Interviews held: not recorded (rhi_held)."
	assert_line "Care status is not recorded in the input (care_status)."
	assert_line "By sex: not recorded (sex)."
	refute_line --partial "Looked after: 0"
	assert_equal "$(grep -c 'care_status' <<< "$stderr")" 1
	[[ "$stderr" == *"mp-report: warning: care_status: empty on every row: the figures that need it are not recorded"* ]]
	[[ "$stderr" == *"mp-report: warning: rhi_accepted: not in the input: the figures that need it are not recorded"* ]]
	# No interview column at all: the interviews are not recorded, never "0 offered".
	f=$(printf 'episode_id,child_id,type,start,end\ne1,c1,missing,2025-02-01T10:00,2025-02-01T12:00\n' | mkfile none.csv)
	run mp-report --now "$NOW" --month 2025-02 "$f"
	assert_line --partial "  - Return home interviews: not recorded (no row has rhi_offered, rhi_accepted,"
	refute_output --partial "0 offered"
}

@test "report: a newline or a terminal escape in a value cannot break Markdown or reach the terminal" {
	# (push_pull is lower_snake codes in every command, so the escapes come in a free-text column)
	f=$(printf 'episode_id,child_id,type,start,end,ethnicity\ne1,c1,missing,2025-02-01T10:00,2025-02-01T12:00,"WBRI\n# heading"\ne2,c2,missing,2025-02-02T10:00,2025-02-02T12:00,"| x |"\ne3,c3,missing,2025-02-03T10:00,2025-02-03T12:00,a\033[31mred\ne4,c4,missing,2025-02-04T10:00,2025-02-04T12:00,bell\007\n' | mkfile hostile.csv)
	for fmt in markdown text html; do
		mp-report --now "$NOW" --month 2025-02 --format "$fmt" --title $'Title\n# not a heading' "$f" > "$BATS_TEST_TMPDIR/r.$fmt"
		# No control character but the line ends is written.
		run grep -c $'[\001-\010\013-\037\177]' "$BATS_TEST_TMPDIR/r.$fmt"
		assert_equal "$fmt: $output" "$fmt: 0"
	done
	run cat "$BATS_TEST_TMPDIR/r.markdown"
	assert_line --index 0 '# Title\\n# not a heading'
	refute_line '# not a heading'
	refute_line --regexp '^# heading'
	assert_line '| WBRI\\n# heading | 1 | 1 | 25.0% |'
	assert_line '| \| x \| | 1 | 1 | 25.0% |'
	assert_output --partial 'a\\x1B\[31mred'
	# Every table row of the Markdown has as many cells as its head.
	run awk -F'|' '/^\|/ { n = gsub(/[^\\]\|/, "&"); if (prev && n != prev) bad++; prev = n } /^$/ { prev = 0 } END { print bad + 0 }' "$BATS_TEST_TMPDIR/r.markdown"
	assert_output 0
	run cat "$BATS_TEST_TMPDIR/r.text"
	assert_line --index 0 'Title\n# not a heading'
	assert_line --partial 'bell\x07'
}

@test "report: --secondary hides the next smallest count of a group with one hidden count (default on)" {
	# Episodes by type: 9 missing, 1 away; with --suppress 2 only the 1 is small, and 10 - 9 gives it away.
	run mp-report --now "$NOW" --month 2025-02 --suppress 2 "$SMALL"
	assert_line "  missing                                         [c]       [c]            [c]"
	assert_line "  away from placement without authorisation       [c]       [c]            [c]"
	assert_line --partial "and so is the next smallest count of a group with one such count"
	run mp-report --now "$NOW" --month 2025-02 --suppress 2 --secondary off "$SMALL"
	assert_line "  missing                                           9         6         100.0%"
	assert_line "  away from placement without authorisation       [c]       [c]            [c]"
	refute_output --partial "next smallest"
}

@test "report: HTML chart labels are at least 10 px, and charts print at their own size" {
	run mp-report --now "$NOW" --month 2025-02 --format html "$SMALL"
	run grep -o 'font-size="[0-9.]*"' <<< "$output"
	[ "${#lines[@]}" -gt 0 ]
	for l in "${lines[@]}"; do
		n=${l#font-size=\"}
		n=${n%\"}
		[ "${n%.*}" -ge 10 ] || fail "$l"
	done
	run mp-report --now "$NOW" --month 2025-02 --format html "$SMALL"
	assert_output --partial '.fig figure{max-width:127mm}'
}

@test "report: --with-ids sorts 100,000 children in n log n" {
	awk 'BEGIN { print "episode_id,child_id,type,start,end"; srand(7)
		for (i = 0; i < 100000; i++) { c = int(rand() * 1e9); for (k = 0; k < 3; k++)
			printf "e%d-%d,c%09d,missing,2025-02-%02dT10:00,2025-02-%02dT12:00\n", i, k, c, k + 1, k + 1 } }' \
		> "$BATS_TEST_TMPDIR/many.csv"
	SECONDS=0
	mp-report --now "$NOW" --month 2025-02 --with-ids "$BATS_TEST_TMPDIR/many.csv" > "$BATS_TEST_TMPDIR/r.txt"
	[ "$SECONDS" -lt 30 ] || fail "took $SECONDS s"
	# The identifiers are in order.
	run bash -c "sed -n '/Children with repeat episodes/,/^\$/p' '$BATS_TEST_TMPDIR/r.txt' | awk '/^  c[0-9]/ { print \$1 }'"
	assert_equal "${#lines[@]}" "$(cut -d, -f2 "$BATS_TEST_TMPDIR/many.csv" | sed 1d | sort -u | wc -l)"
	assert_equal "$(printf '%s\n' "${lines[@]}" | LC_ALL=C sort -c && echo sorted)" "sorted"
}

@test "report: interviews outstanding leave out missing_again returns, as mp-rhi-due decides them" {
	# C1 went missing again (e2) after the return of e1 and before an interview: the duty moved to e2,
	# which has its interview. C2's next episode starts after --now, and C3's is away (needs no
	# interview): e3 and e5 stay outstanding.
	f=$(mkfile again.csv <<'CSV'
episode_id,child_id,type,start,end,rhi_offered,rhi_held,rhi_reason,source
e1,C1,missing,2025-02-25T10:00,2025-02-25T20:00,,,,lcs
e2,C1,missing,2025-02-27T08:00,2025-02-27T12:00,Y,2025-02-27T15:00,,lcs
e3,C2,missing,2025-02-26T10:00,2025-02-26T20:00,,,,lcs
e4,C2,missing,2025-03-02T10:00,,,,,lcs
e5,C3,missing,2025-02-20T10:00,2025-02-20T20:00,,,,lcs
e6,C3,away,2025-02-22T10:00,2025-02-22T11:00,,,,lcs
CSV
)
	run --separate-stderr mp-report --now "$NOW" --kind daily --with-ids "$f"
	[ "$status" -eq 0 ]
	assert_output --partial "  - Return home interviews outstanding (returned, no interview held and no
    reason recorded): 2; 1 overdue (more than 72 hours after the return), 1 not
    yet due, 1 of them due within the next 24 hours.
  - Not counted as outstanding: 1 return followed by another episode of the
    child before an interview (missing_again, as mp-rhi-due lists them): the
    duty moved to the later return."
	run bash -c "mp-report --now '$NOW' --kind daily --with-ids --format markdown '$f' | grep '^| C[0-9] |' | cut -d'|' -f2,3,6 | tr -d ' '"
	assert_output "C3|e5|overdue
C2|e3|due"
	run mp-rhi-due --now "$NOW" "$f"
	assert_equal "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f1,6 | tr '\n' ' ')" "e5,overdue e3,due "
	run mp-rhi-due --all --now "$NOW" "$f"
	assert_line --partial "e1,C1,2025-02-25T20:00,2025-02-28T20:00,,missing_again,"
}
