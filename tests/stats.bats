#!/usr/bin/env bats
# mp-stats: counts by period and group, checked against answers worked out by hand.
load helper

C="$FIX/stats/council.csv"
H='episode_id,child_id,type,start,end,rhi_offered,rhi_accepted,rhi_held'
COLS='episodes,children,missing,away,absent,open,rhi_eligible,rhi_offered,rhi_accepted,rhi_held,rhi_held_in_time,median_hours,over_24h,repeat_children'

# The columns of issue 13 (interview basis, offer dates, per-child, recurrence)
# and the options that give the figures of the columns before them their
# old meaning (every type needs an interview); the older tests check the
# older columns and drop the new ones with old_cols.
NEW='rhi_not_recorded,rhi_pending,rhi_offered_in_time,rhi_offered_dated,children_rhi_eligible,children_offered,children_accepted,recur_returns,recurred_30d,recur_pending,recur_returns_held,recurred_30d_held,recur_returns_not_held,recurred_30d_not_held'
OLD_ARGS='--rhi-types missing,away,absent --now 2026-01-01T00:00'

# Drop the columns named in NEW (and their _pct) from CSV or TSV output; drop
# the warnings about columns absent or empty from messages.
old_cols() {
	awk -v new="$NEW" 'BEGIN { n = split(new, w, ","); for (i = 1; i <= n; i++) { drop[w[i]] = 1; drop[w[i] "_pct"] = 1 }
		drop["rhi_in_time_of_due_pct"] = 1 }
	NR == 1 { FS = index($0, "\t") ? "\t" : ","; OFS = FS; $0 = $0
		for (i = 1; i <= NF; i++) keep[i] = !($i in drop) }
	{ line = ""; sep = ""; for (i = 1; i <= NF; i++) if (keep[i]) { line = line sep $i; sep = OFS }; print line }'
}
old_msgs() { grep -v '^mp-stats: warning: [a-z_, ]*: \(no such column\|empty on every row\)' || true; }

# mp-stats with OLD_ARGS, its output through old_cols and its messages through old_msgs.
old_stats() {
	run --separate-stderr mp-stats $OLD_ARGS "$@"
	output=$(old_cols <<< "$output")
	stderr=$(old_msgs <<< "$stderr")
	mapfile -t lines <<< "$output"
}

# Run mp-stats with args over file through every reading path (stdin; the
# file in one pass; the file cut into 1, 2 and 3 parts read in threads)
# and check they all give the same output, messages and status; leaves
# run's variables from the file run.  Messages name stdin as "stdin".
all_paths() {
	local file=$1
	shift
	run --separate-stderr mp-stats $OLD_ARGS "$@" - < "$file"
	local out0=$output err0=${stderr//stdin/FILE} st0=$status
	for t in 1 2 3; do
		run --separate-stderr mp-stats $OLD_ARGS --threads "$t" "$@" "$file"
		assert_equal "threads $t: $output" "threads $t: $out0"
		assert_equal "threads $t: ${stderr//$file/FILE}" "threads $t: $err0"
		assert_equal "threads $t: $status" "threads $t: $st0"
	done
	old_stats "$@" "$file"
	assert_equal "${stderr//$file/FILE}" "$(old_msgs <<< "$err0")"
	assert_equal "$output" "$(old_cols <<< "$out0")"
}

@test "council example: monthly figures and the total, worked out by hand" {
	# Jan: C1 three times (so one repeat child), E03's RHI 99 h after the return is late;
	# Feb: E06 open, E08 dates only (no hours, not certainly over 24 h), E09 25 h;
	# Mar: E13 starts 00:30 on the clock-change day: 2 real hours; its RHI 71.5 h after;
	# total: 7 distinct children (3 + 5 + 3 by month), median of 12 timed durations.
	all_paths "$C" --total
	[ "$status" -eq 0 ]
	assert_equal "$stderr" ""
	assert_output - <<OUT
period,$COLS
2025-01,5,3,4,1,0,0,5,5,3,3,2,10.0,1,1
2025-02,5,5,4,1,0,1,4,3,3,3,3,4.0,1,0
2025-03,4,3,3,0,1,0,4,4,3,3,2,8.0,0,0
total,14,7,11,2,1,1,13,12,9,9,7,8.5,2,1
OUT
}

@test "council example: --percent: offered of eligible, accepted of offered, held of accepted, in time of held" {
	# Jan: 5/5 offered, 3/5 accepted, 3/3 held, 2/3 in time; 1 of 5 returned over 24 h; 1 of 3 children.
	old_stats --percent "$C"
	[ "$status" -eq 0 ]
	assert_output - <<OUT
period,$COLS,rhi_offered_pct,rhi_accepted_pct,rhi_held_pct,rhi_held_in_time_pct,over_24h_pct,repeat_children_pct
2025-01,5,3,4,1,0,0,5,5,3,3,2,10.0,1,1,100.0,60.0,100.0,66.7,20.0,33.3
2025-02,5,5,4,1,0,1,4,3,3,3,3,4.0,1,0,75.0,100.0,100.0,100.0,25.0,0.0
2025-03,4,3,3,0,1,0,4,4,3,3,2,8.0,0,0,100.0,75.0,100.0,66.7,0.0,0.0
OUT
}

@test "council example: by quarter and care status" {
	all_paths "$C" --by quarter --group care_status
	[ "$status" -eq 0 ]
	assert_output - <<OUT
period,care_status,$COLS
2025-Q1,cin,2,1,2,0,0,0,2,2,2,2,2,4.5,0,0
2025-Q1,cp,2,1,2,0,0,1,1,1,0,0,0,4.0,0,0
2025-Q1,lac,8,3,6,2,0,0,8,8,7,7,5,12.0,1,1
2025-Q1,none,2,2,1,0,1,0,2,1,0,0,0,14.5,1,0
OUT
}

@test "council example: an empty group value is a group of its own, listed first" {
	all_paths "$C" --by none --group ethnicity
	[ "$status" -eq 0 ]
	assert_output - <<OUT
period,ethnicity,$COLS
all,,2,1,2,0,0,0,2,2,2,2,2,7.0,0,0
all,ABAN,1,1,0,1,0,0,1,1,1,1,1,,0,0
all,MWBC,2,1,2,0,0,0,2,2,2,2,2,4.5,0,0
all,WBRI,9,4,7,1,1,1,8,7,4,4,2,11.0,2,1
OUT
}

@test "council example: age bands from dob at the start, in band order" {
	# C2 (born 2008-02-10) is 16 on 2025-01-15; C5 (2015-03-01) is 9 on 2025-02-20.
	all_paths "$C" --by none --group age_band
	[ "$status" -eq 0 ]
	assert_output - <<OUT
period,age_band,$COLS
all,5-9,2,2,1,0,1,0,2,1,0,0,0,14.5,1,0
all,10-15,8,3,6,2,0,1,7,7,5,5,3,11.0,1,1
all,16+,4,2,4,0,0,0,4,4,4,4,4,4.5,0,0
OUT
}

@test "council example: duration bands, open and date-only episodes" {
	all_paths "$C" --by none --group duration_band
	[ "$status" -eq 0 ]
	assert_output - <<OUT
period,duration_band,$COLS
all,under 6h,5,5,4,0,1,0,5,5,3,3,3,4.0,0,0
all,6-24h,5,3,4,1,0,0,5,5,5,5,3,12.0,0,1
all,1-3 days,2,2,2,0,0,0,2,1,0,0,0,36.5,2,0
all,open,1,1,1,0,0,1,0,0,0,0,0,,0,0
all,unknown,1,1,0,1,0,0,1,1,1,1,1,,0,0
OUT
}

@test "council example: two groups, months with no episode in a group show zeros, --total per group" {
	old_stats --group sex,placement --total "$C"
	[ "$status" -eq 0 ]
	assert_output - <<OUT
period,sex,placement,$COLS
2025-01,female,,0,0,0,0,0,0,0,0,0,0,0,,0,0
2025-01,female,in_area,3,1,2,1,0,0,3,3,2,2,1,12.0,1,1
2025-01,female,out_of_area,0,0,0,0,0,0,0,0,0,0,0,,0,0
2025-01,male,,2,2,2,0,0,0,2,2,1,1,1,5.5,0,0
2025-01,male,in_area,0,0,0,0,0,0,0,0,0,0,0,,0,0
2025-02,female,,1,1,1,0,0,0,1,0,0,0,0,25.0,1,0
2025-02,female,in_area,1,1,1,0,0,0,1,1,1,1,1,4.0,0,0
2025-02,female,out_of_area,1,1,0,1,0,0,1,1,1,1,1,,0,0
2025-02,male,,2,2,2,0,0,1,1,1,1,1,1,2.0,0,0
2025-02,male,in_area,0,0,0,0,0,0,0,0,0,0,0,,0,0
2025-03,female,,0,0,0,0,0,0,0,0,0,0,0,,0,0
2025-03,female,in_area,1,1,1,0,0,0,1,1,1,1,0,12.0,0,0
2025-03,female,out_of_area,0,0,0,0,0,0,0,0,0,0,0,,0,0
2025-03,male,,1,1,0,0,1,0,1,1,0,0,0,4.0,0,0
2025-03,male,in_area,2,1,2,0,0,0,2,2,2,2,2,7.0,0,0
total,female,,1,1,1,0,0,0,1,0,0,0,0,25.0,1,0
total,female,in_area,5,1,4,1,0,0,5,5,4,4,2,12.0,1,1
total,female,out_of_area,1,1,0,1,0,0,1,1,1,1,1,,0,0
total,male,,5,3,4,0,1,1,4,4,2,2,2,4.0,0,0
total,male,in_area,2,1,2,0,0,0,2,2,2,2,2,7.0,0,0
OUT
}

@test "periods: labels at month, quarter, year, April-to-March and ISO week boundaries (table)" {
	# start | --by | period
	while IFS='|' read -r start by want; do
		f=$(printf '%s\ne1,c1,missing,%s,,,,\n' "$H" "$start" | mkfile in.csv)
		old_stats --by "$by" "$f"
		assert_equal "$start --by $by: $(printf '%s\n' "$output" | sed -n 2p | cut -d, -f1,2)$stderr" \
			"$start --by $by: $want,1"
	done <<'TABLE'
2025-01-31T23:59|month|2025-01
2025-02-01T00:00|month|2025-02
2024-12-31T23:59|year|2024
2025-01-01T00:00|year|2025
2025-03-31T23:59|quarter|2025-Q1
2025-04-01T00:00|quarter|2025-Q2
2024-12-31|quarter|2024-Q4
2025-03-31T23:59|fy|2024-25
2025-04-01T00:00|fy|2025-26
1999-04-01|fy|1999-00
2025-03-31T23:59|fq|2024-25 Q4
2025-04-01T00:00|fq|2025-26 Q1
2025-06-30T23:59|fq|2025-26 Q1
2025-07-01|fq|2025-26 Q2
2025-12-31|fq|2025-26 Q3
2026-01-01|fq|2025-26 Q4
1999-12-31|fq|1999-00 Q3
2099-04-01|fq|2099-00 Q1
2024-12-29T12:00|week|2024-W52
2024-12-30T00:00|week|2025-W01
2025-01-05T23:59|week|2025-W01
2025-01-06T00:00|week|2025-W02
2020-12-31|week|2020-W53
2021-01-03|week|2020-W53
2025-03-30T00:30|day|2025-03-30
2025-10-26T01:30+00:00|day|2025-10-26
2025-06-30T23:30Z|month|2025-07
2025-06-30T22:30Z|month|2025-06
30/06/2025 23:30|month|2025-06
2025-05-05|none|all
TABLE
}

@test "periods: --from and --to give every period, with zeros where nothing started" {
	f=$(mkfile in.csv <<EOF
$H
e1,c1,missing,2024-12-31T23:59,2025-01-01T00:29,Y,N,
e2,c1,missing,2025-01-01T00:00,2025-01-01T01:00,Y,Y,2025-01-02T00:00
e3,c2,away,2025-03-01T10:00,,,,
e4,c3,missing,2024-10-31T23:00,2024-11-01T01:00,N,N,
e5,c3,missing,2025-04-01T00:00,,,,
EOF
)
	all_paths "$f" --from 2024-11-01 --to 31/03/2025
	[ "$status" -eq 0 ]
	assert_equal "$stderr" ""
	assert_output - <<OUT
period,$COLS
2024-11,0,0,0,0,0,0,0,0,0,0,0,,0,0
2024-12,1,1,1,0,0,0,1,1,0,0,0,0.5,0,0
2025-01,1,1,1,0,0,0,1,1,1,1,1,1.0,0,0
2025-02,0,0,0,0,0,0,0,0,0,0,0,,0,0
2025-03,1,1,0,1,0,1,0,0,0,0,0,,0,0
OUT
	# Without a range: from the first period with an episode to the last, no holes.
	old_stats --by quarter --total "$f"
	assert_output - <<OUT
period,$COLS
2024-Q4,2,2,2,0,0,0,2,1,0,0,0,1.3,0,0
2025-Q1,2,2,1,1,0,1,1,1,1,1,1,1.0,0,0
2025-Q2,1,1,1,0,0,1,0,0,0,0,0,,0,0
total,5,3,4,1,0,2,3,2,1,1,1,1.0,0,0
OUT
	# The range cuts a period short: only days inside it count.
	old_stats --by year --from 2025-01-01 --to 2025-12-31 --total "$f"
	assert_output - <<OUT
period,$COLS
2025,3,3,2,1,0,2,1,1,1,1,1,1.0,0,0
total,3,3,2,1,0,2,1,1,1,1,1,1.0,0,0
OUT
	# Nothing in range at all: zero rows for each period; with a group, only the header.
	old_stats --by quarter --from 2023-01-01 --to 2023-06-30 --total "$f"
	assert_output - <<OUT
period,$COLS
2023-Q1,0,0,0,0,0,0,0,0,0,0,0,,0,0
2023-Q2,0,0,0,0,0,0,0,0,0,0,0,,0,0
total,0,0,0,0,0,0,0,0,0,0,0,,0,0
OUT
	old_stats --by quarter --from 2023-01-01 --to 2023-06-30 --group type "$f"
	assert_output "period,type,$COLS"
}

@test "durations and RHI deadlines in real elapsed hours across the clock changes (table)" {
	# start | end | rhi_held | median_hours | over_24h | rhi_held_in_time (--within 72)
	while IFS='|' read -r start end held med over intime note; do
		f=$(printf '%s\ne1,c1,missing,%s,%s,Y,Y,%s\n' "$H" "$start" "$end" "$held" | mkfile in.csv)
		old_stats --by none "$f"
		assert_equal "$note: $(printf '%s\n' "$output" | sed -n 2p | cut -d, -f12-14)$stderr" \
			"$note: $intime,$med,$over"
	done <<'TABLE'
2025-03-30T00:30|2025-03-30T03:30||2.0|0||spring: 00:30 GMT to 03:30 BST is 2 hours
2025-03-29T12:00|2025-03-30T12:30||23.5|0||spring: 24.5 wall hours are 23.5 real ones
2025-10-25T12:00|2025-10-26T11:30||24.5|1||autumn: 23.5 wall hours are 24.5 real ones
2025-10-26T01:30+01:00|2025-10-26T01:30+00:00||1.0|0||autumn: the repeated hour
2025-10-26T00:30|2025-10-26T01:30||1.0|0||autumn: 01:30 alone is the first one
2025-03-26T10:00|2025-03-29T02:30|2025-04-01T03:00|64.5|1|1|RHI 72.5 wall hours but 71.5 real: in time
2025-10-22T10:00|2025-10-25T03:30|2025-10-28T03:00|65.5|1|0|RHI 71.5 wall hours but 72.5 real: late
2025-01-01T10:00|2025-01-02T10:00|2025-01-05T10:00|24.0|0|1|exactly 24 hours; RHI exactly 72 hours after
2025-01-01T10:00|2025-01-02T10:01|2025-01-05T10:02|24.0|1|0|one minute more of each
2025-01-01T10:00|2025-01-02T10:00|2025-01-02T09:00|24.0|0|0|an RHI before the return is not in time
TABLE
}

@test "date-only episodes: no hours, over 24 h only when certain, RHI by calendar days (table)" {
	# start | end | rhi_held | --within | median_hours | over_24h | rhi_held_in_time
	while IFS='|' read -r start end held within med over intime note; do
		f=$(printf '%s\ne1,c1,missing,%s,%s,Y,Y,%s\n' "$H" "$start" "$end" "$held" | mkfile in.csv)
		old_stats --by none --within "$within" "$f"
		assert_equal "$note: $(printf '%s\n' "$output" | sed -n 2p | cut -d, -f12-14)$stderr" \
			"$note: $intime,$med,$over"
	done <<'TABLE'
2025-02-14|2025-02-16|2025-02-19|72||0|1|two days apart: at least 24 hours, not more; RHI 3 days on
2025-02-14|2025-02-17|2025-02-21|72||1|0|three days apart: over 24 hours; an RHI 4 days on is late
2025-02-14|2025-02-16|2025-02-17|24||0|1|--within 24: the next day is in time
2025-02-14|2025-02-16|2025-02-18|24||0|0|--within 24: two days on is late
2025-02-14|2025-02-16|2025-02-16|12||0|1|--within 12: the same day
2025-02-14T23:00|2025-02-16|2025-02-16T22:00|72||1|1|start with a time, end a date: at least 25 hours
2025-02-14T10:00|2025-02-16|2025-02-16T22:00|72||1|1|start with a time, end a date: at least 38 hours
2025-02-14|2025-02-15T10:00||72||0||end with a time, start a date
02/03/2025|05/03/2025|06/03/2025|72||1|1|UK dates
TABLE
}

@test "medians: even counts take the mean of the middle two, rounded half up to 0.1 h (table)" {
	# durations in minutes (space-separated) | median_hours
	while IFS='|' read -r mins want; do
		rows="$H"
		i=0
		for m in $mins; do
			i=$((i + 1))
			end=$(date -u -d "2025-01-10 10:00 UTC + $m minutes" +%Y-%m-%dT%H:%M)
			rows="$rows"$'\n'"e$i,c$i,missing,2025-01-10T10:00,$end,,,"
		done
		f=$(printf '%s\n' "$rows" | mkfile in.csv)
		old_stats --threads 2 --by none "$f"
		assert_equal "$mins: $(printf '%s\n' "$output" | sed -n 2p | cut -d, -f13)$stderr" "$mins: $want"
	done <<'TABLE'
60|1.0
60 120|1.5
10 20|0.3
20 10 30 40|0.4
3 3|0.1
2 3|0.0
1440 10 20 2880 30|0.5
600 60 120 1|1.5
TABLE
}

@test "children and repeat children: once per row, distinct over the whole range in the total" {
	f=$(mkfile in.csv <<EOF
$H
e1,c1,missing,2025-01-01T10:00,2025-01-01T11:00,,,
e2,c1,missing,2025-01-02T10:00,2025-01-02T11:00,,,
e3,c1,away,2025-01-03T10:00,2025-01-03T11:00,,,
e4,c2,missing,2025-01-04T10:00,2025-01-04T11:00,,,
e5,c2,missing,2025-01-05T10:00,2025-01-05T11:00,,,
e6,c1,missing,2025-02-01T10:00,2025-02-01T11:00,,,
e7,c2,missing,2025-02-02T10:00,2025-02-02T11:00,,,
e8,a-child-id-longer-than-eight-bytes,missing,2025-02-03T10:00,,,,
e9,a-child-id-longer-than-eight-bytes,missing,2025-02-04T10:00,,,,
e10,a-child-id-longer-than-eight-bytes-too,missing,2025-02-05T10:00,,,,
EOF
)
	all_paths "$f" --total --repeat-min 2
	assert_output - <<OUT
period,$COLS
2025-01,5,2,4,1,0,0,5,,,,,1.0,0,2
2025-02,5,4,5,0,0,3,2,,,,,1.0,0,1
total,10,4,9,1,0,3,7,,,,,1.0,0,3
OUT
	old_stats --by none --repeat-min 4 "$f"
	assert_output - <<OUT
period,$COLS
all,10,4,9,1,0,3,7,,,,,1.0,0,1
OUT
}

@test "--pretty: an aligned table, blanks shown" {
	run --separate-stderr mp-stats $OLD_ARGS --pretty --by none --group ethnicity "$C"
	[ "$status" -eq 0 ]
	assert_output - <<'OUT'
period  ethnicity  episodes  children  missing  away  absent  open  rhi_eligible  rhi_offered  rhi_accepted  rhi_held  rhi_held_in_time  median_hours  over_24h  repeat_children  rhi_not_recorded  rhi_pending  rhi_offered_in_time  rhi_offered_dated  children_rhi_eligible  children_offered  children_accepted  recur_returns  recurred_30d  recur_pending  recur_returns_held  recurred_30d_held  recur_returns_not_held  recurred_30d_not_held
all     (blank)           2         1        2     0       0     0             2            2             2         2                 2           7.0         0                0                 0            0                    -                  -                      1                 1                  1              2             1              0                   2                  1                       0                      0
all     ABAN              1         1        0     1       0     0             1            1             1         1                 1             -         0                0                 0            0                    -                  -                      1                 1                  1              1             0              0                   1                  0                       0                      0
all     MWBC              2         1        2     0       0     0             2            2             2         2                 2           4.5         0                0                 0            0                    -                  -                      1                 1                  1              2             1              0                   2                  1                       0                      0
all     WBRI              9         4        7     1       1     1             8            7             4         4                 2          11.0         2                1                 0            0                    -                  -                      4                 3                  1              8             3              0                   4                  1                       4                      2
OUT
}

@test "--pretty: control characters in values are shown escaped, never sent to the terminal" {
	f=$(printf '%s,ethnicity\ne1,c1,missing,2025-01-01T10:00,,,,,W\033[31mBRI\ne2,c2,missing,2025-01-01T10:00,,,,,"A\tB\a"\n' "$H" | mkfile esc.csv)
	run --separate-stderr mp-stats --pretty --by none --group ethnicity "$f"
	[ "$status" -eq 0 ]
	refute_output --partial $'\033'
	refute_output --partial $'\a'
	assert_line --index 1 --regexp '^all     A\\tB\\x07 +1 '
	assert_line --index 2 --regexp '^all     W\\x1B\[31mBRI +1 '
	# CSV keeps the bytes as they are: it is data, not a terminal.
	run --separate-stderr mp-stats --by none --group ethnicity "$f"
	assert_line --index 2 --partial $'W\033[31mBRI,1,'
}

@test "output: TSV, -o FILE, --excel" {
	old_stats --by year --tsv-out "$C"
	assert_output - <<OUT
period	${COLS//,/	}
2025	14	7	11	2	1	1	13	12	9	9	7	8.5	2	1
OUT
	tsv=$(tr , '\t' < "$C" | mkfile in.tsv)
	old_stats --by year -t "$tsv"
	assert_output - <<OUT
period	${COLS//,/	}
2025	14	7	11	2	1	1	13	12	9	9	7	8.5	2	1
OUT
	all_paths "$tsv" --by year --tsv-in
	assert_line -n 1 "2025,14,7,11,2,1,1,13,12,9,9,7,8.5,2,1"
	old_stats --by year -o "$BATS_TEST_TMPDIR/out.csv" "$C"
	[ "$status" -eq 0 ]
	assert_output ""
	assert_equal "$(old_cols < "$BATS_TEST_TMPDIR/out.csv" | sed -n 2p)" "2025,14,7,11,2,1,1,13,12,9,9,7,8.5,2,1"
	old_stats --by year --group la --excel "$C"
	assert_equal "$(printf '%s' "$output" | head -c 3 | od -An -tx1 | tr -d ' ')" "efbbbf"
}

@test "inputs: several files, BOM and CRLF, cp1252" {
	old_stats --by year "$C" "$C"
	assert_line -n 1 "2025,28,7,22,4,2,2,26,24,18,18,14,8.5,4,4"
	crlf=$( (printf '\xef\xbb\xbf'; sed 's/$/\r/' "$C") | mkfile crlf.csv)
	all_paths "$crlf" --by year
	[ "$status" -eq 0 ]
	assert_line -n 1 "2025,14,7,11,2,1,1,13,12,9,9,7,8.5,2,1"
	w=$(printf '%s\ne1,c1,missing,2025-01-01,,,,\ne2,c\xe9,missing,2025-01-02,,,,\n' "$H" | mkfile w.csv)
	old_stats --by year -e cp1252 --group child_id "$w"
	assert_output - <<OUT
period,child_id,$COLS
2025,c1,1,1,1,0,0,1,0,,,,,,0,0
2025,cé,1,1,1,0,0,1,0,,,,,,0,0
OUT
}

@test "quoted fields with line breaks: the same figures and line numbers in every path" {
	# A notes column whose quoted text spans lines, then two bad rows near the end.
	{
		printf '%s,notes\n' "$H"
		for i in $(seq 1 60); do
			printf 'e%d,c%d,missing,2025-01-%02dT10:00,2025-01-%02dT12:00,Y,Y,,"line one\nline, two\n""three"""\n' \
				"$i" $((i % 7)) $((i % 28 + 1)) $((i % 28 + 1))
		done
		printf 'e61,c1,lost,2025-01-01T10:00,,,,,"a\nb"\n'
		printf 'e62,c1,missing,2025-01-01T10:00,,,\n'
	} > "$BATS_TEST_TMPDIR/q.csv"
	all_paths "$BATS_TEST_TMPDIR/q.csv" --by month
	[ "$status" -eq 1 ]
	assert_output - <<OUT
period,$COLS
2025-01,60,7,60,0,0,0,60,60,60,,,2.0,0,7
OUT
	assert_equal "${stderr//$BATS_TEST_TMPDIR\/q.csv/FILE}" "mp-stats: FILE:182: type: 'lost' is not one of: missing, away, absent
mp-stats: FILE:184: expected 9 fields (as in the header), found 7
mp-stats: 62 rows read, 60 counted, 0 outside the range, 2 rejected"
}

@test "bad rows are reported with file, line and column, the rest still counted (table)" {
	# row | message (FILE:3)
	while IFS='|' read -r row msg; do
		f=$(printf '%s\ne0,c0,missing,2025-01-01T10:00,,,,\n%s\n' "$H" "$row" | mkfile bad.csv)
		all_paths "$f" --by year
		assert_equal "$row: ${stderr//$f/FILE}" "$row: mp-stats: FILE:3: $msg
mp-stats: 2 rows read, 1 counted, 0 outside the range, 1 rejected"
		assert_equal "$row: $status" "$row: 1"
		assert_line -n 1 "2025,1,1,1,0,0,1,0,,,,,,0,0"
	done <<'TABLE'
e1,,missing,2025-01-01T10:00,,,,|child_id: required value is empty
e1,c1,,2025-01-01T10:00,,,,|type: required value is empty
e1,c1,lost,2025-01-01T10:00,,,,|type: 'lost' is not one of: missing, away, absent
e1,c1,missing,,,,,|start: required value is empty
e1,c1,missing,2025-02-30,,,,|start: '2025-02-30': impossible date: no such day in that month
e1,c1,missing,01/02/25,,,,|start: '01/02/25': two-digit years are not accepted (write the year in full)
e1,c1,missing,2025-03-30T01:30,,,,|start: '2025-03-30T01:30': this local time does not exist (the clocks went forward)
e1,c1,missing,2025-01-01T24:00,,,,|start: '2025-01-01T24:00': 24:00 is not a time of day (use 00:00 of the next day)
e1,c1,missing,2025-01-01T10:00,yesterday,,,|end: 'yesterday': not a date (expected YYYY-MM-DD or DD/MM/YYYY)
e1,c1,missing,2025-01-01T10:00,2025-01-01T09:59,,,|end: ends (2025-01-01T09:59) before it starts (2025-01-01T10:00)
e1,c1,missing,2025-01-02,2025-01-01,,,|end: ends (2025-01-01) before it starts (2025-01-02)
e1,c1,missing,2025-01-01T10:00,2025-01-01T11:00,yes,,|rhi_offered: 'yes' is not Y or N
e1,c1,missing,2025-01-01T10:00,2025-01-01T11:00,Y,n,|rhi_accepted: 'n' is not Y or N
e1,c1,missing,2025-01-01T10:00,2025-01-01T11:00,Y,Y,soon|rhi_held: 'soon': not a date (expected YYYY-MM-DD or DD/MM/YYYY)
e1,c1,missing,2025-01-01T10:00|expected 8 fields (as in the header), found 4
e1,c1,missing,2025-01-01T10:00,,,,,|expected 8 fields (as in the header), found 9
e1,"c1"x,missing,2025-01-01T10:00,,,,|bad quoting: a quote inside an unquoted field, or text after a closing quote
e1,c"1,missing,2025-01-01T10:00,,,,|bad quoting: a quote inside an unquoted field, or text after a closing quote
TABLE
}

@test "bad bytes and an unterminated quote" {
	f=$(printf '%s\ne1,c\xff,missing,2025-01-01,,,,\ne2,c\x01\x00,missing,2025-01-01,,,,\ne5,"c\n5"x,missing,2025-01-01,,,,\ne3,"c3,missing,2025-01-01,,,,\ne4,c4,missing,2025-01-01,,,,\n' "$H" | mkfile bytes.csv)
	all_paths "$f" --by year
	[ "$status" -eq 1 ]
	assert_equal "${stderr//$f/FILE}" "mp-stats: FILE:2: child_id: invalid UTF-8 in field 2 at byte 2 (if the file came from Excel, try --encoding cp1252)
mp-stats: FILE:3: child_id: NUL byte in field 2 at byte 3
mp-stats: FILE:4: bad quoting on line 5: a quote inside an unquoted field, or text after a closing quote
mp-stats: FILE:6: unterminated quoted field: a quote opened in the record starting here is never closed, so lines 6-7 could not be read
mp-stats: 4 rows read, 0 counted, 0 outside the range, 4 rejected"
	assert_output "period,$COLS"
}

@test "age_band: under 1 and unknown; a dob after the start is rejected" {
	f=$(mkfile in.csv <<'EOF'
episode_id,child_id,type,start,dob
e1,c1,missing,2025-01-10,2024-01-10
e2,c2,missing,2025-01-10,2024-01-11
e3,c3,missing,2025-01-10,
e4,c4,missing,2025-01-10,2025-01-10
e5,c5,missing,2025-01-10,2009-01-10
e6,c6,missing,2025-01-10,2009-01-11
e7,c7,missing,2025-01-10,2025-01-11
e8,c8,missing,2025-01-10,2020-01-10T10:00
EOF
)
	all_paths "$f" --by none --group age_band
	[ "$status" -eq 1 ]
	assert_equal "${stderr//$f/FILE}" "mp-stats: FILE:8: dob: the date of birth is after the start
mp-stats: FILE:9: dob: '2020-01-10T10:00': expected a date without a time
mp-stats: 8 rows read, 6 counted, 0 outside the range, 2 rejected"
	assert_output - <<OUT
period,age_band,$COLS
all,under 1,2,2,2,0,0,,,,,,,,,0
all,1-4,1,1,1,0,0,,,,,,,,,0
all,10-15,1,1,1,0,0,,,,,,,,,0
all,16+,1,1,1,0,0,,,,,,,,,0
all,unknown,1,1,1,0,0,,,,,,,,,0
OUT
}

@test "the header: required columns, --group columns" {
	f=$(printf 'episode_id,child_id,start\ne1,c1,2025-01-01\n' | mkfile in.csv)
	old_stats "$f"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-stats: $f:1: type: required column is missing from the header"
	old_stats --group sex "$C"
	[ "$status" -eq 0 ]
	old_stats --group colour "$C"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-stats: $C:1: colour: no such column in the header (--group)"
	old_stats --group age_band - <<<"$H"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-stats: stdin:1: dob: required column is missing from the header (--group age_band)"
	old_stats - < /dev/null
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-stats: stdin: empty input: no header line"
	old_stats "$BATS_TEST_TMPDIR/none.csv"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-stats: $BATS_TEST_TMPDIR/none.csv: No such file or directory"
	# A header only: no periods, no rows.
	old_stats - <<<"$H"
	[ "$status" -eq 0 ]
	assert_output "period,$COLS"
}

@test "usage errors exit 2 (table)" {
	# arguments | message
	while IFS='|' read -r args msg; do
		old_stats $args "$C"
		assert_equal "$args: $status: $stderr" "$args: 2: mp-stats: $msg
Try 'mp-stats --help' for more information."
	done <<'TABLE'
--by fortnight|--by: unknown period 'fortnight' (day, week, month, quarter, year, fy, fq or none)
--from 2025-13-01|--from: '2025-13-01': impossible date: no such month
--to 2025-01-01T10:00|--to: '2025-01-01T10:00': expected a date without a time
--from 2025-02-01 --to 2025-01-31|--from 2025-02-01 is after --to 2025-01-31
--within 0|--within: '0' is out of range (1 to 8760)
--within 3h|--within: '3h' is not a whole number
--repeat-min 0|--repeat-min: '0' is out of range (1 to 1000000)
--threads 0|--threads: '0' is out of range (1 to 64)
--group sex,,la|--group: an empty column name
--group sex,|--group: an empty column name
--group sex,sex|--group: column 'sex' given twice
--group a,b,c,d,e,f,g,h,i|--group: at most 8 columns
--pretty --excel|--pretty writes a table for a terminal, not CSV for Excel: drop --excel
--excel --tsv-out|--excel applies to CSV output, not TSV
--tz Mars/Base|unknown time zone 'Mars/Base'
TABLE
}

@test "an unknown option or a missing value: one line, then the hint" {
	run --separate-stderr mp-stats --frobnicate "$C"
	[ "$status" -eq 2 ]
	assert_equal "$stderr" "mp-stats: unknown option '--frobnicate'
Try 'mp-stats --help' for more information."
	old_stats "$C" --by
	[ "$status" -eq 2 ]
	assert_equal "$stderr" "mp-stats: option '--by' needs a value
Try 'mp-stats --help' for more information."
}

@test "--help matches the man page synopsis; --version" {
	run mp-stats --help
	[ "$status" -eq 0 ]
	assert_line -n 0 "Usage: mp-stats [OPTION]... [FILE]..."
	for opt in --by --group --from --to --within --repeat-min --percent --total --pretty --threads \
		--rhi-types --now --offer-within --recur-days --la --children \
		--tsv --tsv-in --tsv-out --encoding --output --excel --tz --help --version; do
		assert_output --partial -- "$opt"
		grep -q -- "^\.Fl ${opt#-}" "$TOP/man/mp-stats.1" || grep -q -- "Fl ${opt#-}" "$TOP/man/mp-stats.1"
	done
	run mp-stats --version
	[ "$status" -eq 0 ]
	assert_output --regexp '^mp-stats'
}

@test "a larger generated stream: every path agrees, totals add up" {
	command -v python3 >/dev/null || skip "python3 is needed for scripts/gen-episodes"
	python3 "$TOP/scripts/gen-episodes" --rows 20000 --seed 7 -o "$BATS_TEST_TMPDIR/g.csv"
	all_paths "$BATS_TEST_TMPDIR/g.csv" --by week --group care_status,age_band --total
	[ "$status" -eq 0 ]
	# The episodes of the period rows add up to the rows read; the totals' children are distinct.
	run bash -c "mp-stats --by month --total '$BATS_TEST_TMPDIR/g.csv' 2>/dev/null | awk -F, 'NR>1 && \$1!=\"total\" {e+=\$2; c+=\$3} \$1==\"total\" {te=\$2; tc=\$3} END {print e, te, (tc <= c)}'"
	assert_output "20000 20000 1"
	run bash -c "cut -d, -f2 '$BATS_TEST_TMPDIR/g.csv' | sed 1d | sort -u | wc -l"
	n=$output
	run bash -c "mp-stats --by none '$BATS_TEST_TMPDIR/g.csv' 2>/dev/null | sed -n 2p | cut -d, -f3"
	assert_output "$n"
}

# ---- issue 13: the figures councils report ----
R="$FIX/stats/rhi.csv"
RNOW='--now 2025-03-01T12:00'
ALL='episodes,children,missing,away,absent,open,rhi_eligible,rhi_offered,rhi_accepted,rhi_held,rhi_held_in_time,median_hours,over_24h,repeat_children,rhi_not_recorded,rhi_pending,rhi_offered_in_time,rhi_offered_dated,children_rhi_eligible,children_offered,children_accepted,recur_returns,recurred_30d,recur_pending,recur_returns_held,recurred_30d_held,recur_returns_not_held,recurred_30d_not_held'

# The value of column name in CSV row n (1: the first after the header) of $output.
col() {
	awk -F, -v name="$1" -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i } NR == n + 1 { print $c }' <<< "$output"
}

@test "interviews on the council basis, hand-checked: missing and away, ssda903, pending, missing again, offer dates" {
	# At 2025-03-01 12:00, the council E1's own children (F, placed here by E2, is left out):
	#  eligible (returned, missing): E01 E02 E04 E05 E06 E07 E10 E11 (E03 is away, E08 open);
	#  E05, E06 from ssda903, which records no interview: not recorded;
	#  offered E01 E02 E07 E10; accepted E01 E07; held E01 (14 h, in time) E07 (96 h, late);
	#  E04 returned 15 h before --now, nothing held: pending;
	#  offer dates: E01 2 h after the return (in time), E02 97 h after (late);
	#  recurrence within 30 days: E01 -> E02 (14.5 days), E05 -> E06 (14 days, by dates),
	#  E07 -> E08 (2 days: missing again before its late interview); E02 -> E03 is 35 days;
	#  E04, E10, E11 returned less than 30 days before --now: recur_pending.
	run --separate-stderr mp-stats $RNOW --total "$R"
	[ "$status" -eq 0 ]
	assert_equal "$stderr" ""
	assert_output - <<OUT
period,$ALL
2025-01,6,3,6,0,0,1,5,3,2,2,1,10.0,0,0,2,0,1,2,2,2,2,5,3,0,2,2,1,0
2025-02,4,3,3,1,0,0,3,1,0,0,0,8.5,1,0,0,1,0,0,2,1,0,0,0,3,0,0,0,0
total,10,5,9,1,0,1,8,4,2,2,1,9.0,1,1,2,1,1,2,4,3,2,5,3,3,2,2,1,0
OUT
}

@test "every rate with its numerator and denominator, on the hand-checked example (table)" {
	run --separate-stderr mp-stats $RNOW --by none --percent "$R"
	[ "$status" -eq 0 ]
	# rate | numerator column = value | denominator (columns) = value | rate
	while IFS='|' read -r rate num nv den dv want; do
		assert_equal "$rate: $num=$(col "$num" 1)" "$rate: $num=$nv"
		local d=0 term sign=1
		for term in $den; do
			case $term in
			-) sign=-1 ;;
			*) d=$((d + sign * $(col "$term" 1))); sign=1 ;;
			esac
		done
		assert_equal "$rate: $den=$d" "$rate: $den=$dv"
		assert_equal "$rate=$(col "$rate" 1)" "$rate=$want"
	done <<'TABLE'
rhi_offered_pct|rhi_offered|4|rhi_eligible - rhi_not_recorded|6|66.7
rhi_accepted_pct|rhi_accepted|2|rhi_offered|4|50.0
rhi_held_pct|rhi_held|2|rhi_accepted|2|100.0
rhi_held_in_time_pct|rhi_held_in_time|1|rhi_held|2|50.0
rhi_in_time_of_due_pct|rhi_held_in_time|1|rhi_eligible - rhi_not_recorded - rhi_pending|5|20.0
rhi_offered_in_time_pct|rhi_offered_in_time|1|rhi_offered_dated|2|50.0
children_offered_pct|children_offered|3|children_rhi_eligible|4|75.0
children_accepted_pct|children_accepted|2|children_offered|3|66.7
over_24h_pct|over_24h|1|episodes - open|9|11.1
repeat_children_pct|repeat_children|1|children|5|20.0
recurred_30d_pct|recurred_30d|3|recur_returns|5|60.0
recurred_30d_held_pct|recurred_30d_held|2|recur_returns_held|2|100.0
recurred_30d_not_held_pct|recurred_30d_not_held|0|recur_returns_not_held|1|0.0
TABLE
}

@test "an empty denominator gives an empty rate, never 0 or NaN" {
	# February: nothing accepted, nothing held, no offer date, no return with 30 days behind it.
	run --separate-stderr mp-stats $RNOW --percent "$R"
	for rate in rhi_held_pct rhi_held_in_time_pct rhi_offered_in_time_pct \
		recurred_30d_pct recurred_30d_held_pct recurred_30d_not_held_pct; do
		assert_equal "$rate: '$(col "$rate" 2)'" "$rate: ''"
	done
	# A zero numerator over a denominator is a real 0.0.
	for rate in rhi_accepted_pct rhi_in_time_of_due_pct children_accepted_pct; do
		assert_equal "$rate: '$(col "$rate" 2)'" "$rate: '0.0'"
	done
}

@test "--rhi-types, --within, --offer-within, --recur-days and --now change what is due (table)" {
	# options | columns | values
	while IFS='|' read -r opts cols want; do
		run --separate-stderr mp-stats --by none $opts "$R"
		local got="" c
		for c in ${cols//,/ }; do got="$got,$(col "$c" 1)"; done
		assert_equal "$opts: ${got#,}" "$opts: $want"
	done <<'TABLE'
--now 2025-03-01T12:00|rhi_eligible,rhi_pending,recur_pending|8,1,3
--now 2025-03-01T12:00 --rhi-types missing,away|rhi_eligible,rhi_offered,rhi_pending,recur_returns,recur_pending|9,4,1,5,4
--now 2025-03-01T12:00 --rhi-types away|rhi_eligible,rhi_offered,rhi_not_recorded,children_rhi_eligible|1,0,0,1
--now 2025-03-03T20:59|rhi_pending|1
--now 2025-03-03T21:00|rhi_pending|0
--now 2025-03-01T12:00 --within 12|rhi_held_in_time,rhi_pending|0,0
--now 2025-03-01T12:00 --within 96|rhi_held_in_time,rhi_pending|2,1
--now 2025-03-01T12:00 --offer-within 97|rhi_offered_in_time,rhi_offered_dated|2,2
--now 2025-03-01T12:00 --offer-within 96|rhi_offered_in_time,rhi_offered_dated|1,2
--now 2025-03-01T12:00 --recur-days 35|recur_returns,recurred_30d,recur_pending|3,2,5
--now 2026-01-01 --recur-days 36|recur_returns,recurred_30d,recur_pending|8,5,0
--now 2025-03-01T12:00 --recur-days 1|recur_returns,recurred_30d,recur_pending|7,0,1
--now 2026-01-01|recur_returns,recurred_30d,recur_pending,rhi_pending|8,4,0,0
TABLE
}

@test "recurrence: the window's edges, dates alone, a later episode outside --from/--to (table)" {
	# first episode (start,end) | second start | options | recur_returns,recurred_30d,recur_pending
	while IFS='|' read -r first second opts want note; do
		f=$(printf 'episode_id,child_id,type,start,end,rhi_held\ne1,c1,missing,%s,\ne2,c1,away,%s,,\n' "$first" "$second" | mkfile r.csv)
		run --separate-stderr mp-stats --by none --now 2026-01-01 --from 2025-01-01 --to 2025-01-31 $opts "$f"
		assert_equal "$note: $(col recur_returns 1),$(col recurred_30d 1),$(col recur_pending 1)" "$note: $want"
	done <<'TABLE'
2025-01-01T10:00,2025-01-02T10:00|2025-02-01T10:00||1,1,0|exactly 30 days after the return
2025-01-01T10:00,2025-01-02T10:00|2025-02-01T10:01||1,0,0|a minute more
2025-03-01T10:00,2025-03-02T10:00|2025-04-01T09:00|--from 2025-03-01 --to 2025-03-31|1,1,0|30 days across the spring clock change: 719 real hours
2025-01-01T10:00,2025-01-02T10:00|2025-01-02T09:00||1,0,0|starts before the return: overlapping, not a recurrence
2025-01-01,2025-01-02|2025-02-01||1,1,0|dates alone: 30 calendar days
2025-01-01,2025-01-02|2025-02-02||1,0,0|dates alone: 31 days
2025-01-01,2025-01-02|2025-01-02T23:00||1,1,0|a date and a time: the same day counts
2025-01-01T10:00,2025-01-02T10:00|2025-01-20T10:00|--recur-days 14|1,0,0|--recur-days 14
2025-01-01T10:00,2025-01-02T10:00|2025-01-20T10:00|--now 2025-01-31T10:00|0,0,1|--now: fewer than 30 days behind the return
2025-01-01T10:00,2025-01-02T10:00|2025-01-20T10:00|--now 2025-02-01T10:00|1,1,0|--now: exactly 30 days behind
TABLE
}

@test "whose children: --children own, placed-here and all, --la (table)" {
	# options | episodes,children,rhi_eligible | stderr
	while IFS='|' read -r opts want; do
		run --separate-stderr mp-stats $RNOW --by none $opts "$R"
		assert_equal "$opts: $(col episodes 1),$(col children 1),$(col rhi_eligible 1)" "$opts: $want"
	done <<'TABLE'
|10,5,8
--children own|10,5,8
--children placed-here|1,1,1
--children all|11,6,9
--la E2|11,6,9
--la e2 --children placed-here|0,0,0
--la E1 --children all|11,6,9
TABLE
	# The council cannot be told: several la values, or none, while a row names another council.
	f=$(sed 's/,E1,E2$/,E3,E2/' "$R" | mkfile two.csv)
	run --separate-stderr mp-stats $RNOW --by none "$f"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-stats: la: the input holds several councils (E1, E3, ...) and some rows have a responsible_la: give --la CODE for this council (or --children all)"
	run --separate-stderr mp-stats $RNOW --by none --la E1 "$f"
	[ "$status" -eq 0 ]
	run --separate-stderr mp-stats $RNOW --by none --children all "$f"
	[ "$status" -eq 0 ]
	f=$(cut -d, -f1-11,13 "$R" | mkfile nola.csv)
	run --separate-stderr mp-stats $RNOW --by none "$f"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-stats: la: no council code in the input and some rows have a responsible_la: give --la CODE for this council (--children own needs it; or --children all)"
}

@test "no silent zeros: a column absent or empty on every row leaves its figures empty, with one warning" {
	# No rhi_offered column: every source is not recorded.
	f=$(cut -d, -f1-5,7- "$R" | mkfile nooff.csv)
	run --separate-stderr mp-stats $RNOW --by none --percent "$f"
	[ "$status" -eq 0 ]
	assert_equal "$stderr" "mp-stats: warning: rhi_offered: no such column (every eligible episode is counted in rhi_not_recorded); not recorded, left empty: rhi_offered, rhi_accepted, rhi_held, rhi_held_in_time, rhi_pending, rhi_offered_in_time, rhi_offered_dated, children_rhi_eligible, children_offered, children_accepted, recur_returns_held, recurred_30d_held, recur_returns_not_held, recurred_30d_not_held"
	assert_equal "$(col rhi_eligible 1),$(col rhi_not_recorded 1),$(col rhi_offered 1),$(col rhi_offered_pct 1),$(col recurred_30d 1)" "8,8,,,3"
	# rhi_accepted empty on every row; rhi_offered_at absent.
	f=$(cut -d, -f1-9,11- "$R" | awk -F, -v OFS=, 'NR > 1 { $7 = "" } 1' | mkfile noacc.csv)
	run --separate-stderr mp-stats $RNOW --by none --percent "$f"
	[ "$status" -eq 0 ]
	assert_equal "$stderr" "mp-stats: warning: rhi_offered_at: no such column; not recorded, left empty: rhi_offered_in_time, rhi_offered_dated
mp-stats: warning: rhi_accepted: empty on every row; not recorded, left empty: rhi_accepted, children_accepted"
	assert_equal "$(col rhi_offered 1),$(col rhi_accepted 1),$(col rhi_accepted_pct 1),$(col rhi_held_pct 1),$(col rhi_offered_in_time_pct 1)" "4,,,,"
	# No end column: nothing is known to have returned.
	f=$(cut -d, -f1-4,6- "$R" | mkfile noend.csv)
	run --separate-stderr mp-stats $RNOW --by none "$f"
	[[ $stderr == "mp-stats: warning: end: no such column; not recorded, left empty: open, rhi_eligible, "* ]]
	assert_equal "$(col episodes 1),$(col open 1),$(col rhi_eligible 1),$(col median_hours 1),$(col recur_returns 1)" "10,,,,"
	# A --group column empty on every row.
	run --separate-stderr mp-stats $RNOW --by none --group placement - <<< "$HDR,placement
e1,c1,missing,2025-01-01T10:00,2025-01-01T12:00,"
	assert_equal "${stderr##*$'\n'}" "mp-stats: warning: placement: empty on every row: every episode is in its blank group (--group)"
}

@test "--by fq: the council's quarters, April to June being Q1, with every quarter of a range" {
	run --separate-stderr mp-stats $RNOW --by fq --from 2024-04-01 --to 2025-03-31 --total "$R"
	[ "$status" -eq 0 ]
	assert_equal "$(cut -d, -f1-3 <<< "$output")" "period,episodes,children
2024-25 Q1,0,0
2024-25 Q2,0,0
2024-25 Q3,0,0
2024-25 Q4,10,5
total,10,5"
}

@test "usage errors of the issue-13 options (table)" {
	while IFS='|' read -r args msg; do
		run --separate-stderr mp-stats $args "$R"
		assert_equal "$args: $status: $stderr" "$args: 2: mp-stats: $msg
Try 'mp-stats --help' for more information."
	done <<'TABLE'
--rhi-types lost|--rhi-types: 'lost': expected types from missing, away, absent, comma-separated
--rhi-types missing,,away|--rhi-types: 'missing,,away': expected types from missing, away, absent, comma-separated
--rhi-types=|--rhi-types: '': expected types from missing, away, absent, comma-separated
--children mine|--children: 'mine': expected own, placed-here or all
--la=|--la: an empty council code
--offer-within 0|--offer-within: '0' is out of range (1 to 8760)
--recur-days 0|--recur-days: '0' is out of range (1 to 3660)
--now soon|--now: 'soon': not a date (expected YYYY-MM-DD or DD/MM/YYYY)
TABLE
}
