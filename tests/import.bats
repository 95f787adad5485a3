#!/usr/bin/env bats
# mp-import: source maps (liquidlogic, police, mosaic, ssda903, a council's own), pairing, 903 XML, rejects.
load helper

F="$FIX/import"
CMP="$F/compare.py"
HEAD='episode_id,child_id,type,start,end,dob,sex,ethnicity,send,care_status,placement,allocated,police_ref,police_risk,rhi_offered,rhi_accepted,rhi_held,rhi_reason,push_pull,hoth,source,la,responsible_la,rhi_offered_at,location,found_location,source_line'

# A CSV stream without its source_line column (which differs between a file and its reordering or XML form).
nosl() { python3 -c '
import csv, sys
r = list(csv.reader(sys.stdin)); w = csv.writer(sys.stdout, lineterminator="\n")
i = r[0].index("source_line") if r else -1
for row in r: w.writerow(row[:i] + row[i + 1:])'; }
# stderr without the lines naming map columns the file lacks
nonote() { grep -v ': no column for '; }

@test "import: each shipped map's messy sample gives exactly the expected episodes (table)" {
	# arguments | expected output | exit status | closing count line
	while IFS='|' read -r args want st count; do
		run --separate-stderr mp-import $args
		assert_equal "$args: $status" "$args: $st"
		assert_equal "$args: $output" "$args: $(cat "$F/$want")"
		assert_equal "$args: $(printf '%s\n' "$stderr" | tail -1)" "$args: mp-import: $count"
	done <<TABLE
$F/liquidlogic.csv|liquidlogic.expected.csv|0|5 rows read, 5 imported, 0 paired, 0 rejected; 2 blank rows skipped
-e cp1252 $F/liquidlogic-cp1252.csv|liquidlogic.expected.csv|0|5 rows read, 5 imported, 0 paired, 0 rejected; 2 blank rows skipped
--map liquidlogic $F/liquidlogic.csv|liquidlogic.expected.csv|0|5 rows read, 5 imported, 0 paired, 0 rejected; 2 blank rows skipped
$F/police.csv|police.expected.csv|1|9 rows read, 4 imported, 4 paired, 1 rejected; 1 blank row skipped
-e cp1252 $F/police-cp1252.csv|police.expected.csv|1|9 rows read, 4 imported, 4 paired, 1 rejected; 1 blank row skipped
--map police $F/police-missing.csv $F/police-found.csv|police-files.expected.csv|1|5 rows read, 2 imported, 2 paired, 1 rejected
$F/mosaic.csv|mosaic.expected.csv|1|5 rows read, 4 imported, 0 paired, 1 rejected, 1 warning; 1 blank row skipped
-e cp1252 $F/mosaic-cp1252.csv|mosaic.expected.csv|1|5 rows read, 4 imported, 0 paired, 1 rejected, 1 warning; 1 blank row skipped
$F/ssda903.csv|ssda903.expected.csv|1|4 rows read, 3 imported, 0 paired, 1 rejected
$F/ssda903.xml|ssda903-xml.expected.csv|1|4 rows read, 3 imported, 0 paired, 1 rejected
TABLE
}

@test "import: auto-detection names the map it chose on stderr" {
	run --separate-stderr mp-import "$F/liquidlogic.csv"
	assert_equal "$(printf '%s\n' "$stderr" | head -1)" "mp-import: $F/liquidlogic.csv: using map liquidlogic (recognised by its header)"
	run --separate-stderr mp-import --map liquidlogic "$F/liquidlogic.csv"
	assert_equal "$(printf '%s\n' "$stderr" | nonote)" "mp-import: 5 rows read, 5 imported, 0 paired, 0 rejected; 2 blank rows skipped"
	run --separate-stderr mp-import < "$F/ssda903.csv"
	assert_equal "$(printf '%s\n' "$stderr" | head -1)" "mp-import: stdin: using map ssda903 (recognised by its header)"
}

@test "import: every error message pinned (table)" {
	# file | arguments before it | message (the first line of stderr that is not the map choice)
	while IFS='|' read -r file args msg; do
		run --separate-stderr mp-import $args "$F/$file"
		got=$(printf '%s\n' "$stderr" | grep -v 'using map' | nonote | head -1)
		assert_equal "$file $args: $got" "$file $args: $msg"
	done <<TABLE
liquidlogic-bad.csv|--map liquidlogic|mp-import: $F/liquidlogic-bad.csv:3: MISSING_STATUS: unknown value 'Runaway' (this map knows: Missing, Away, Away from placement, Away from placement without authorisation, Absent)
mosaic.csv||mp-import: $F/mosaic.csv:2: COMPLETED_ON: warning: this time carries seconds: it looks like a system time stamp (such as the form's completion), not the time of the event
ssda903.csv||mp-import: $F/ssda903.csv:5: MISSING: unknown value 'X' (this map knows: M, A)
police.csv||mp-import: $F/police.csv:8: found notification without a missing one
liquidlogic-cp1252.csv||mp-import: $F/liquidlogic-cp1252.csv:2: not UTF-8 (byte 0xEB): this looks like Windows-1252, as Excel saves CSV: use --encoding cp1252 (or --detect)
broken.xml||mp-import: $F/broken.xml:4: not well-formed XML at line 4, column 28: mismatched tag
council.csv||mp-import: $F/council.csv:1: no shipped map recognises this header; name one with --map (see --list-maps)
council.csv|--map $F/bad-syntax.map|mp-import: $F/bad-syntax.map:6: 'frm' is not a column keyword (from, from-exact, read, sep, value, default, required, stamped, desc)
council.csv|--map $F/bad-column.map|mp-import: $F/bad-column.map:2: 'kid_id' is not a canonical column a map can fill (see share/schemas/episode.schema)
council.csv|--map $F/bad-pattern.map|mp-import: $F/bad-pattern.map:3: bad pattern /^(CHILD$/: missing closing parenthesis at offset 8
council.csv|--map $F/bad-assign.map|mp-import: $F/bad-assign.map:4: 'rhi_acepted' is not a canonical column
council.csv|--map $F/no-from.map|mp-import: $F/no-from.map:2: child_id: column has no 'from' line
council.csv|--map $F/nosuch.map|mp-import: $F/nosuch.map: No such file or directory
council.csv|--map liquidlogic|mp-import: $F/council.csv:1: child_id: no column of the header matches (map liquidlogic looks for: DIM_PERSON_ID, /^(Person ?ID|LCS ?ID|Child ?ID)$/i)
TABLE
}

@test "import: unreadable values are rejects with file:line: column: reason, and go to --rejects" {
	rej="$BATS_TEST_TMPDIR/rejects.csv"
	run --separate-stderr mp-import --map liquidlogic --rejects "$rej" "$F/liquidlogic-bad.csv"
	[ "$status" -eq 1 ]
	assert_output - <<OUT
$HEAD
6001,P1,missing,2025-02-01T10:00,2025-02-01T12:00,,,,,,,,,,Y,,,,,,liquidlogic,,,,,,2
6005,P5,missing,2025-02-01T10:00,,,,,,,,,,,,,,,,,liquidlogic,,,,,,6
OUT
	assert_equal "$(printf '%s\n' "$stderr" | nonote)" "mp-import: $F/liquidlogic-bad.csv:3: MISSING_STATUS: unknown value 'Runaway' (this map knows: Missing, Away, Away from placement, Away from placement without authorisation, Absent)
mp-import: $F/liquidlogic-bad.csv:4: START_DTTM: unreadable date '31/02/2025 10:00': impossible date: no such day in that month
mp-import: $F/liquidlogic-bad.csv:5: START_DTTM: unreadable date '01/02/25 10:00': two-digit years are not accepted (write the year in full)
mp-import: $F/liquidlogic-bad.csv:5: RETURN_INTERVIEW_OFFERED: unknown value 'Maybe' (this map knows: Yes, Y, 1, True, No, N, 0, False, NA or blank)
mp-import: $F/liquidlogic-bad.csv:7: bad quoting: a quote inside an unquoted field, or text after a closing quote
mp-import: $F/liquidlogic-bad.csv:8: START_DTTM: unreadable date '30/03/2025 01:30': this local time does not exist (the clocks went forward)
mp-import: 7 rows read, 2 imported, 0 paired, 5 rejected"
	assert_equal "$(head -1 "$rej")" "file,line,field,message,FACT_MISSING_PERSON_ID,DIM_PERSON_ID,MISSING_STATUS,START_DTTM,END_DTTM,RETURN_INTERVIEW_OFFERED"
	assert_equal "$(sed -n 3p "$rej")" "$F/liquidlogic-bad.csv,4,START_DTTM,unreadable date '31/02/2025 10:00': impossible date: no such day in that month,6003,P3,Missing,31/02/2025 10:00,,"
	# one line per problem: row 5 has two
	assert_equal "$(cut -d, -f2 "$rej" | tr '\n' ' ')" "line 3 4 5 5 7 8 "
}

@test "import: --lenient leaves empty only what does not change the episode; every blanked value goes to --rejects" {
	rej="$BATS_TEST_TMPDIR/rejects.csv"
	run --separate-stderr mp-import --map liquidlogic --lenient --rejects "$rej" "$F/lenient.csv"
	[ "$status" -eq 1 ]
	# dob, sex, send (flag), care_status, police_risk, rhi_offered, push_pull (list): row kept, value empty
	assert_equal "$(printf '%s\n' "$output" | cut -d, -f1,6,7,9,10,14,15,19)" "episode_id,dob,sex,send,care_status,police_risk,rhi_offered,push_pull
7001,,female,Y,lac,low,Y,bullying
7002,2010-04-03,,Y,lac,low,Y,bullying
7003,2010-04-03,female,,lac,low,Y,bullying
7004,2010-04-03,female,Y,,low,Y,bullying
7005,2010-04-03,female,Y,lac,,Y,bullying
7006,2010-04-03,female,Y,lac,low,,bullying
7007,2010-04-03,female,Y,lac,low,Y,"
	# end, start, rhi_held and type are never blanked: those rows are rejected
	assert_equal "$(printf '%s\n' "$stderr" | grep -v 'left empty (--lenient): ' | nonote)" "mp-import: $F/lenient.csv:9: END_DTTM: unreadable date 'soon': not a date (expected DD/MM/YYYY, YYYY-MM-DD or 1 May 2025, each with an optional time)
mp-import: $F/lenient.csv:10: START_DTTM: unreadable date 'yesterday': not a date (expected DD/MM/YYYY, YYYY-MM-DD or 1 May 2025, each with an optional time)
mp-import: $F/lenient.csv:11: RETURN_INTERVIEW_DTTM: unreadable date 'next week': not a date (expected DD/MM/YYYY, YYYY-MM-DD or 1 May 2025, each with an optional time)
mp-import: $F/lenient.csv:12: MISSING_STATUS: unknown value 'Runaway' (this map knows: Missing, Away, Away from placement, Away from placement without authorisation, Absent)
mp-import: 11 rows read, 7 imported, 0 paired, 4 rejected, 7 values left empty (--lenient)"
	assert_equal "$(printf '%s\n' "$stderr" | grep -c 'left empty (--lenient): ')" "7"
	# the rejects file: every blanked value with its line and the row as it was, then the rejected rows
	assert_equal "$(cut -d, -f2,3 "$rej" | tr '\n' ' ')" "line,field 2,BIRTH_DTTM 3,GENDER 4,SEN_FLAG 5,CARE_STATUS 6,POLICE_RISK_LEVEL 7,RETURN_INTERVIEW_OFFERED 8,PUSH_PULL_FACTORS 9,END_DTTM 10,START_DTTM 11,RETURN_INTERVIEW_DTTM 12,MISSING_STATUS "
	assert_equal "$(sed -n 2p "$rej")" "$F/lenient.csv,2,BIRTH_DTTM,left empty (--lenient): unreadable date '31/02/2010': impossible date: no such day in that month,7001,P1,Missing,01/02/2025 10:00,01/02/2025 12:00,31/02/2010,Female,Y,Looked After,Low,Yes,,Bullying"
}

# One row through the liquidlogic map with a header cell and a value changed.
one() { printf 'FACT_MISSING_PERSON_ID,DIM_PERSON_ID,MISSING_STATUS,START_DTTM,%s\n1,P1,Missing,%s,%s\n' "$1" "$2" "$3"; }

@test "import: header names match whatever their case, surrounding spaces or a trailing colon or question mark (table)" {
	# header of the 5th column | its value | the output columns cut | expected
	while IFS='|' read -r h v cols want; do
		run --separate-stderr mp-import --map liquidlogic < <(one "$h" "01/05/2025 09:05" "$v")
		assert_equal "$h: $status" "$h: 0"
		assert_equal "$h: $(printf '%s\n' "$output" | sed -n 2p | cut -d, -f"$cols")" "$h: $want"
	done <<'TABLE'
GENDER|Female|7|female
gender|Female|7|female
 Gender |F|7|female
Gender:|M|7|male
Gender ?|M|7|male
 Police Reference: |NP-1|13|NP-1
RETURN_INTERVIEW_OFFERED?|Yes|15|Y
Return Interview Offered Date|02/05/2025 10:00|24|2025-05-02T10:00
TABLE
	# a map asks for an exact match with from-exact
	map=$(printf 'map exact\ncolumn child_id\n    from-exact Child ID\ncolumn type\n    from Type\ncolumn start\n    from Start\n' | mkfile exact.map)
	run --separate-stderr mp-import --map "$map" < <(printf 'child id,Type,Start\nC1,missing,01/05/2025\n')
	[ "$status" -eq 0 ]
	assert_equal "$(printf '%s\n' "$output" | sed -n 2p | cut -d, -f2,28)" ",C1"
	assert_equal "$(printf '%s\n' "$stderr" | head -1)" "mp-import: map exact: no column for child_id (looked for: Child ID)"
}

@test "import: one warning line per map column the header lacks; --check lists the binding and the extras" {
	run --separate-stderr mp-import --map liquidlogic < <(printf 'FACT_MISSING_PERSON_ID,DIM_PERSON_ID,MISSING_STATUS,START_DTTM,END_DTTM,BIRTH_DTTM,GENDER,ETHNICITY_CODE,SEN_FLAG,CARE_STATUS,PLACEMENT_AREA,ALLOCATED_WORKER_FLAG,POLICE_REFERENCE,POLICE_RISK_LEVEL,RETURN_INTERVIEW_ACCEPTED,RETURN_INTERVIEW_DTTM,RI_NOT_HELD_REASON,PUSH_PULL_FACTORS,HOTH_REFERRAL,LA_CODE,Notes\n')
	[ "$status" -eq 0 ]
	assert_equal "$stderr" "mp-import: map liquidlogic: no column for rhi_offered (looked for: RETURN_INTERVIEW_OFFERED)
mp-import: map liquidlogic: no column for rhi_offered_at (looked for: RETURN_INTERVIEW_OFFERED_DTTM, /^(RHI|Return Interview) Offered (Date|On|At)( ?\/ ?Time)?$/)
mp-import: 0 rows read, 0 imported, 0 paired, 0 rejected"
	run --separate-stderr mp-import --map liquidlogic --check < <(one ' gender:' x y)
	assert_equal "$(printf '%s\n' "$output" | grep -E $'^(sex|rhi_offered|extra)\t' | sed 's/\t/|/g')" "sex|<-  gender:|(text, value map)
rhi_offered|-|(no column matched: RETURN_INTERVIEW_OFFERED)"
	run --separate-stderr mp-import --map liquidlogic --check < <(one 'Notes' x y)
	assert_equal "$(printf '%s\n' "$output" | tail -1 | sed 's/\t/|/g')" "extra|Notes|(passed through after the canonical columns)"
}

@test "import: the date-time forms exports use (table)" {
	# arguments | start as written | start as imported
	while IFS='|' read -r args v want; do
		run --separate-stderr mp-import --map liquidlogic $args < <(one END_DTTM "$v" "")
		assert_equal "$args $v: $status" "$args $v: 0"
		assert_equal "$args $v: $(printf '%s\n' "$output" | sed -n 2p | cut -d, -f4)" "$args $v: $want"
	done <<'TABLE'
|2025-05-01 09:05:00.000|2025-05-01T09:05
|2025-05-01 09:05:30|2025-05-01T09:05:30
|2025-05-01T09:05:30.250|2025-05-01T09:05:30
|01/05/2025 9:05|2025-05-01T09:05
|1/5/2025 09:05|2025-05-01T09:05
|01/05/2025 09:05:30|2025-05-01T09:05:30
|01-May-2025|2025-05-01
|1 May 2025 09:05|2025-05-01T09:05
|1 may 2025 9:05 pm|2025-05-01T21:05
|01-Sept-2025 00:00|2025-09-01T00:00
|1st September 2025|2025-09-01
|"May 1, 2025 09:05"|2025-05-01T09:05
|2025/05/01 09:05|2025-05-01T09:05
|01.05.2025 09:05|2025-05-01T09:05
|27/10/2024 01:30|2024-10-27T01:30+01:00
|01/01/2025 09:05|2025-01-01T09:05
--dates mdy|05/01/2025 9:05|2025-05-01T09:05
--dates mdy|12/25/2024|2024-12-25
--dates mdy|2025-05-01 09:05|2025-05-01T09:05
--dates ymd|2025-05-01|2025-05-01
TABLE
	# a dates line in a map fixes the order too
	map=$(sed 's/^null     NULL$/null NULL\ndates mdy/' "$TOP/share/schemas/liquidlogic.map" | mkfile us.map)
	run --separate-stderr mp-import --map "$map" < <(one END_DTTM "05/01/2025 09:05" "")
	assert_equal "$(printf '%s\n' "$output" | sed -n 2p | cut -d, -f4)" "2025-05-01T09:05"
	# NULL is an empty value
	run --separate-stderr mp-import --map liquidlogic < <(one END_DTTM "01/05/2025 09:05" NULL)
	[ "$status" -eq 0 ]
	assert_equal "$(printf '%s\n' "$output" | sed -n 2p | cut -d, -f4,5)" "2025-05-01T09:05,"
	# Excel serial numbers where the map says read excel-serial
	map=$(printf 'map xl\ncolumn child_id\n    from ID\ncolumn type\n    from Type\ncolumn start\n    from Start\n    read excel-serial\n' | mkfile xl.map)
	run --separate-stderr mp-import --map "$map" < <(printf 'ID,Type,Start\nC1,missing,45778.378472222\nC2,missing,45778\nC3,missing,45778.x\n')
	[ "$status" -eq 1 ]
	assert_equal "$(printf '%s\n' "$output" | sed 1d | cut -d, -f2,4)" "C1,2025-05-01T09:05
C2,2025-05-01"
	assert_equal "$(printf '%s\n' "$stderr" | grep ':4:')" "mp-import: stdin:4: Start: unreadable date '45778.x': not an Excel date number (days since 30/12/1899, such as 45778.375)"
}

@test "import: dates that are refused, each with its reason (table)" {
	while IFS='|' read -r args v msg; do
		run --separate-stderr mp-import --map liquidlogic $args < <(one END_DTTM "$v" "")
		assert_equal "$v: $status" "$v: 1"
		assert_equal "$v: $(printf '%s\n' "$stderr" | grep stdin:2)" "$v: mp-import: stdin:2: START_DTTM: unreadable date '$v': $msg"
	done <<'TABLE'
|01/05/25 09:05|two-digit years are not accepted (write the year in full)
|30/03/2025 01:30|this local time does not exist (the clocks went forward)
|31-Apr-2025|impossible date: no such day in that month
|01/05/2025 13:05 PM|a time with AM or PM has an hour from 1 to 12
|01/05/2025 09:05 tomorrow|unexpected text after the time
--dates dmy|12/25/2024|no month above 12: this date only makes sense month-first (see --dates mdy)
--dates mdy|25/12/2024|no month above 12: this date only makes sense day-first (see --dates dmy)
--dates ymd|01/05/2025|a numeric date with the year last, but the order is year-first (--dates ymd)
TABLE
	run --separate-stderr mp-import --dates dym
	[ "$status" -eq 2 ]
	assert_equal "$(printf '%s\n' "$stderr" | head -1)" "mp-import: --dates: 'dym': expected dmy, mdy or ymd"
}

@test "import: a file whose dates only make sense month-first is refused with one message naming --dates mdy" {
	us=$(printf 'FACT_MISSING_PERSON_ID,DIM_PERSON_ID,MISSING_STATUS,START_DTTM\n1,P1,Missing,03/04/2025 10:00\n2,P2,Missing,12/25/2024 10:00\n3,P3,Missing,12/26/2024 10:00\n' | mkfile us.csv)
	run --separate-stderr mp-import --map liquidlogic -o "$BATS_TEST_TMPDIR/out.csv" "$us"
	[ "$status" -eq 1 ]
	assert_equal "$(printf '%s\n' "$stderr" | nonote)" "mp-import: $us:3: START_DTTM: unreadable date '12/25/2024 10:00': no month above 12: this date only makes sense month-first (see --dates mdy); the file is refused: its dates look month-first (US order), so none is read day-first: if they are month-first, import it with --dates mdy"
	[ ! -e "$BATS_TEST_TMPDIR/out.csv" ]
	run --separate-stderr mp-import --map liquidlogic --dates mdy "$us"
	[ "$status" -eq 0 ]
	assert_equal "$(printf '%s\n' "$output" | sed 1d | cut -d, -f4 | tr '\n' ' ')" "2025-03-04T10:00 2024-12-25T10:00 2024-12-26T10:00 "
}

@test "import: a tab-separated or Windows-1252 file gets one message naming the option, or is read as such with --detect" {
	tsv=$(tr ',' '\t' < "$F/ssda903.csv" | mkfile in.tsv)
	# file | arguments | stdin? | message
	while IFS='|' read -r file args msg; do
		run --separate-stderr mp-import $args "$file"
		assert_equal "$file $args: $status" "$file $args: 1"
		assert_equal "$file $args: $stderr" "$file $args: $msg"
		assert_equal "$output" ""
	done <<TABLE
$tsv||mp-import: $tsv:1: this looks tab-separated (the header line has tabs, not commas): use --tsv-in (or --detect)
$F/police-cp1252.csv||mp-import: $F/police-cp1252.csv:3: not UTF-8 (byte 0xEB): this looks like Windows-1252, as Excel saves CSV: use --encoding cp1252 (or --detect)
TABLE
	run --separate-stderr mp-import < "$tsv"
	assert_equal "$stderr" "mp-import: stdin:1: this looks tab-separated (the header line has tabs, not commas): use --tsv-in (or --detect)"
	run --separate-stderr mp-import < "$F/police-cp1252.csv"
	[ "$status" -eq 1 ]
	assert_equal "$(printf '%s\n' "$stderr" | grep -v 'using map' | nonote)" "mp-import: stdin:3: not UTF-8: this looks like Windows-1252, as Excel saves CSV: use --encoding cp1252 (or --detect)"
	run --separate-stderr mp-import --detect "$tsv"
	assert_equal "$output" "$(cat "$F/ssda903.expected.csv")"
	assert_equal "$(printf '%s\n' "$stderr" | head -1)" "mp-import: $tsv: read as tab-separated (--detect)"
	# a file that is UTF-8 in one place and not in another is read neither way
	mixed=$(printf 'CHILD,DOB,MISSING,MIS_START,MIS_END,N\n1,01/01/2010,M,01/01/2025,,Zo\xc3\xab\n2,01/01/2010,M,01/01/2025,,Zo\xeb\n' | mkfile mixed.csv)
	run --separate-stderr mp-import --detect "$mixed"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-import: $mixed:3: not UTF-8 (byte 0xEB), though earlier lines are: the file mixes encodings, so neither reads it whole; correct it at the source"
	run --separate-stderr mp-import --detect < "$F/police-cp1252.csv"
	assert_equal "$output" "$(cat "$F/police.expected.csv")"
	assert_equal "$(printf '%s\n' "$stderr" | head -1)" "mp-import: stdin: read as Windows-1252 (--detect)"
}

@test "import: source_line names each row's line in the file, through a pipeline" {
	run --separate-stderr mp-import "$F/liquidlogic.csv"
	assert_equal "$(printf '%s\n' "$output" | head -1)" "$HEAD,WORKER_NOTES"
	assert_equal "$(printf '%s\n' "$output" | python3 -c 'import csv,sys; print(" ".join(r["episode_id"]+":"+r["source_line"] for r in csv.DictReader(sys.stdin)))')" "5001:2 5002:3 5003:5 5004:6 5005:7"
	# mp-validate names a row of the stream by its episode and the line of the source file
	f=$(printf 'FACT_MISSING_PERSON_ID,DIM_PERSON_ID,MISSING_STATUS,START_DTTM,END_DTTM\n\nE10,P1,Missing,01/05/2025 09:05,01/05/2025 10:00\n\nE12,P2,Missing,01/05/2025 09:05,01/05/2025 08:00\n' | mkfile pipe.csv)
	run bash -c "mp-import --map liquidlogic < '$f' 2>/dev/null | mp-validate --now 2025-06-01T00:00 2>&1 >/dev/null"
	[ "$status" -eq 1 ]
	assert_output "mp-validate: stdin:3: episode E12 (source line 5): end: ends (2025-05-01T08:00) before it starts (2025-05-01T09:05) [end_before_start]
mp-validate: 2 rows read, 1 passed, 1 rejected"
}

@test "import: the police map keeps the found location beside the last-seen one" {
	run --separate-stderr mp-import "$F/police.csv"
	assert_equal "$(printf '%s\n' "$output" | grep NP-25-0002 | cut -d, -f25-)" 'Home address,"Park, Leeds Road",5,Amy'
	run --separate-stderr mp-import --map police "$F/police-missing.csv" "$F/police-found.csv"
	assert_equal "$(printf '%s\n' "$output" | grep NP-8 | cut -d, -f25-)" ',"Bus station, Leeds",3,Kai'
}

@test "import: a long Mosaic export is pivoted to one row per work step" {
	rej="$BATS_TEST_TMPDIR/rejects.csv"
	run --separate-stderr mp-import --rejects "$rej" "$F/mosaic-steps.csv"
	[ "$status" -eq 1 ]
	assert_output - <<OUT
$HEAD
9001,M100,missing,2025-04-02T18:30,2025-04-03T07:15,,,,,,,,NP-25-0300,,Y,N,,declined_child,peer_pressure;to_be_with_friends,,mosaic,,,2025-04-03T10:00,,,2
9002,M200,away,2025-04-05T22:00,,,,,,,,,,,,,,,,,mosaic,,,,,,6
9004,M400,,2025-04-07T10:00,,,,,,,,,NP-25-0400,,,,,,,,mosaic,,,,,,11
OUT
	assert_equal "$(printf '%s\n' "$stderr" | nonote)" "mp-import: $F/mosaic-steps.csv: using map mosaic-steps (recognised by its header)
mp-import: $F/mosaic-steps.csv:10: record 9003 answers 'Child Absent or Missing' twice: 'Missing', then 'Absent' (the record is rejected)
mp-import: $F/mosaic-steps.csv: 10 rows of a long export pivoted into 4 records
mp-import: 4 rows read, 3 imported, 0 paired, 1 rejected"
	assert_equal "$(tail -1 "$rej")" "$F/mosaic-steps.csv,10,,\"record 9003 answers 'Child Absent or Missing' twice: 'Missing', then 'Absent' (the record is rejected)\",9003,M300,06/04/2025 09:00,06/04/2025 11:00,Child Absent or Missing,Absent"
}

@test "import: police pairing: updates re-grade the risk, a missing after a found opens a new episode" {
	run --separate-stderr mp-import "$F/police.csv"
	# NP-25-0001: Low, then an update to High before the found one: High; then a new open episode (Medium).
	assert_equal "$(printf '%s\n' "$output" | grep NP-25-0001 | cut -d, -f2,4,5,13,14)" "C1,2025-03-01T09:00,2025-03-02T08:30,NP-25-0001,high
C1,2025-03-05T09:00,,NP-25-0001,medium"
	# NP-25-0002: the found notification came first in the file; paired all the same.
	assert_equal "$(printf '%s\n' "$output" | grep NP-25-0002 | cut -d, -f4,5,14)" "2025-03-01T23:00,2025-03-02T11:30,medium"
	# The historic police category "absent" is kept as it is.
	assert_equal "$(printf '%s\n' "$output" | grep NP-14-0099 | cut -d, -f3,14)" "absent,absent"
}

@test "import: police ids are stable across runs and the order of references, derived from source, reference and start" {
	run --separate-stderr mp-import "$F/police.csv"
	first=$(printf '%s\n' "$output" | sort)
	# References regrouped (descending), each reference's notifications kept in their order.
	shuffled=$( { head -1 "$F/police.csv"; tail -n +2 "$F/police.csv" | sort -s -r -t, -k1,1; } | mkfile shuffled.csv)
	run --separate-stderr mp-import "$shuffled"
	assert_equal "$(printf '%s\n' "$output" | nosl | sort)" "$(printf '%s\n' "$first" | nosl | sort)"
	assert_equal "$(printf '%s\n' "$first" | grep -c '^police-[0-9a-f]\{16\},')" "4"
}

@test "import: a council's own map: patterns over header names, multi-column values, list separator, constants" {
	run --separate-stderr mp-import --map "$F/council.map" "$F/council.csv"
	[ "$status" -eq 0 ]
	assert_output - <<OUT
$HEAD,Comments
council_sheet-6133f4aea45edb05,42,missing,2025-02-01T10:00,2025-02-01T12:00,,,,,,,,,,Y,N,,declined_child,bullying;peer_pressure,,council_sheet,E06900999,,,,,2,none
council_sheet-1e05afeddaee64d2,43,away,2025-02-02,,,,,,,,,,,,,,,,,council_sheet,E06900999,,,,,3,
council_sheet-41a50093ea9e21b8,44,missing,2025-02-03T09:00,2025-02-03T10:00,,,,,,,,,,Y,Y,,,,,council_sheet,E06900999,,,,,4,
OUT
	run --separate-stderr mp-import --map "$F/council.map" --drop-extra "$F/council.csv"
	assert_equal "$(printf '%s\n' "$output" | head -1)" "$HEAD"
}

@test "import: --check reports matched, unmatched and left-over columns without importing" {
	run --separate-stderr mp-import --map "$F/council.map" --check "$F/council.csv"
	[ "$status" -eq 0 ]
	assert_equal "$stderr" ""
	assert_equal "$(printf '%s\n' "$output" | sed 's/\t/|/g' | grep -v 'not in this source' | sed 1d)" "episode_id|= derived|(hash of source, child_id, start)
child_id|<- Child No|(text)
type|<- Category|(text, value map, default)
start|<- Date Missing|(datetime)
end|<- Date Returned|(datetime)
rhi_offered|<- RHI Outcome|(flag, value map)
push_pull|<- Factors|(list)
source|= council_sheet|(constant)
la|= E06900999|(constant)
source_line|= the row's line in the file|(written by mp-import)
extra|Comments|(passed through after the canonical columns)"
}

@test "import: --list-maps lists the shipped maps" {
	run --separate-stderr mp-import --list-maps
	[ "$status" -eq 0 ]
	assert_output - <<'OUT'
liquidlogic	LiquidLogic LCS/EHM missing-person export (FACT_MISSING_PERSON)
mosaic	Mosaic missing/absent episode work steps with their form answers
mosaic-steps	Mosaic form answers extracted one row per question (long format), pivoted per work step
police	Police missing and found notifications, paired by police reference
ssd	Standard safeguarding dataset (Data to Insight), table ssd_missing
ssda903	SSDA903 return, Missing table (CSV or XML)
OUT
}

@test "import: usage errors exit 2" {
	run --separate-stderr mp-import --map nosuch "$F/council.csv"
	[ "$status" -eq 2 ]
	assert_equal "$stderr" "mp-import: --map: unknown map 'nosuch' (see --list-maps)
Try 'mp-import --help' for more information."
	run --separate-stderr mp-import --bogus
	[ "$status" -eq 2 ]
	run mp-import --help
	[ "$status" -eq 0 ]
	assert_line --index 0 "Usage: mp-import [OPTION]... [FILE]..."
	run mp-import --version
	[ "$status" -eq 0 ]
}

@test "import: an empty input is an error; a header alone imports nothing" {
	empty=$(: | mkfile empty.csv)
	run --separate-stderr mp-import --map ssda903 "$empty"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-import: $empty: no header: the input is empty"
	run --separate-stderr mp-import --map ssda903 < <(echo "CHILD,DOB,MISSING,MIS_START,MIS_END")
	[ "$status" -eq 0 ]
	assert_output "$HEAD"
	assert_equal "$stderr" "mp-import: 0 rows read, 0 imported, 0 paired, 0 rejected"
}

@test "import: TSV in and out, -o FILE" {
	tsv=$(tr ',' '\t' < "$F/ssda903.csv" | mkfile in.tsv)
	run --separate-stderr mp-import -t --map ssda903 "$tsv"
	assert_equal "$output" "$(tr ',' '\t' < "$F/ssda903.expected.csv")"
	out="$BATS_TEST_TMPDIR/out.csv"
	run --separate-stderr mp-import -o "$out" "$F/liquidlogic.csv"
	[ "$status" -eq 0 ]
	assert_equal "$output" ""
	assert_equal "$(cat "$out")" "$(cat "$F/liquidlogic.expected.csv")"
}

@test "import: the shipped example exports give back the canonical episodes in the columns they carry" {
	ex="$TOP/share/examples"
	[ -e "$ex/episodes.csv" ] || skip "share/examples/episodes.csv is absent"
	run --separate-stderr mp-import -o "$BATS_TEST_TMPDIR/ll.csv" "$ex/liquidlogic-export.csv"
	[ "$status" -eq 0 ]
	run python3 "$CMP" "$ex/episodes.csv" "$BATS_TEST_TMPDIR/ll.csv" \
		episode_id,child_id,type,start,end,dob,sex,ethnicity,send,care_status,placement,allocated,police_ref,police_risk,rhi_offered,rhi_accepted,rhi_held,rhi_reason,push_pull,hoth,la
	[ "$status" -eq 0 ]
	run --separate-stderr mp-import -o "$BATS_TEST_TMPDIR/pol.csv" "$ex/police-notifications.csv"
	[ "$status" -eq 0 ]
	run python3 "$CMP" "$ex/episodes.csv" "$BATS_TEST_TMPDIR/pol.csv" \
		police_ref,child_id,type,start,end,dob,sex,police_risk 'type=missing|absent' 'police_ref!='
	[ "$status" -eq 0 ]
}

@test "import: gen-exports regenerates the shipped example exports byte for byte" {
	ex="$TOP/share/examples"
	[ -e "$ex/episodes.csv" ] || skip "share/examples/episodes.csv is absent"
	"$TOP/scripts/gen-exports" --police "$BATS_TEST_TMPDIR/p.csv" --liquidlogic "$BATS_TEST_TMPDIR/l.csv" "$ex/episodes.csv"
	cmp "$BATS_TEST_TMPDIR/p.csv" "$ex/police-notifications.csv"
	cmp "$BATS_TEST_TMPDIR/l.csv" "$ex/liquidlogic-export.csv"
	# The Windows-1252 variant imports (with -e cp1252) to the same episodes.
	"$TOP/scripts/gen-exports" --cp1252 --liquidlogic "$BATS_TEST_TMPDIR/w.csv" "$ex/episodes.csv"
	run --separate-stderr mp-import -e cp1252 "$BATS_TEST_TMPDIR/w.csv"
	[ "$status" -eq 0 ]
	assert_equal "$output" "$(mp-import "$ex/liquidlogic-export.csv" 2>/dev/null)"
	grep -q "$(printf 'Zo\xeb')" "$BATS_TEST_TMPDIR/w.csv"
}

@test "import: the public 903 sample: CSV and XML give the same episodes for the same children" {
	d="$SHARED_DATA/ssda903"
	[ -e "$d/missing.csv" ] && [ -e "$d/fake_903.xml" ] || skip "no shared 903 sample"
	# missing.csv written as the XML return, then both imported.
	xml=$(python3 - "$d/missing.csv" <<'PY' | mkfile missing.xml
import csv, sys
kids = {}
for r in csv.DictReader(open(sys.argv[1], newline="")):
    kids.setdefault((r["CHILD"], r["DOB"]), []).append(r)
print('<?xml version="1.0" encoding="UTF-8"?>\n<EXPSSDA903>')
for (c, dob), rows in kids.items():
    print("<CHILD><HEADER><CHILDID>%s</CHILDID><DOB>%s</DOB>" % (c, dob))
    for r in rows:
        end = "<MIS_END>%s</MIS_END>" % r["MIS_END"] if r["MIS_END"] else "<MIS_END />"
        print("<AMISSING><MISSING>%s</MISSING><MIS_START>%s</MIS_START>%s</AMISSING>" % (r["MISSING"], r["MIS_START"], end))
    print("</HEADER></CHILD>")
print("</EXPSSDA903>")
PY
)
	run --separate-stderr mp-import "$d/missing.csv"
	[ "$status" -eq 0 ]
	from_csv=$(printf '%s\n' "$output" | sort)
	assert_equal "$(printf '%s\n' "$from_csv" | wc -l)" "44"
	run --separate-stderr mp-import "$xml"
	[ "$status" -eq 0 ]
	assert_equal "$(printf '%s\n' "$output" | nosl | sort)" "$(printf '%s\n' "$from_csv" | nosl | sort)"
	# fake_903.xml's AMISSING blocks, written as the CSV table, then both imported.
	csvf=$(python3 - "$d/fake_903.xml" <<'PY' | mkfile fake.csv
import re, sys
x = open(sys.argv[1]).read()
print("CHILD,DOB,MISSING,MIS_START,MIS_END")
for c in re.findall(r"<CHILD>(.*?)</CHILD>", x, re.S):
    cid = re.search(r"<CHILDID>(.*?)</CHILDID>", c).group(1)
    dob = re.search(r"<DOB>(.*?)</DOB>", c).group(1)
    for m in re.findall(r"<AMISSING>(.*?)</AMISSING>", c, re.S):
        g = lambda t: (re.search(r"<%s>(.*?)</%s>" % (t, t), m) or [None, ""])[1]
        print(",".join([cid, dob, g("MISSING"), g("MIS_START"), g("MIS_END")]))
PY
)
	run --separate-stderr mp-import "$d/fake_903.xml"
	[ "$status" -eq 0 ]
	from_xml=$(printf '%s\n' "$output" | sort)
	run --separate-stderr mp-import "$csvf"
	assert_equal "$(printf '%s\n' "$output" | nosl | sort)" "$(printf '%s\n' "$from_xml" | nosl | sort)"
	assert_equal "$stderr" "mp-import: $csvf: using map ssda903 (recognised by its header)
mp-import: 6 rows read, 6 imported, 0 paired, 0 rejected"
}

@test "import: ids from the source where it has one, derived otherwise; the same on every run" {
	run --separate-stderr mp-import "$F/ssda903.csv"
	a=$output
	run --separate-stderr mp-import "$F/ssda903.xml"
	assert_equal "$(printf '%s\n' "$output" | nosl)" "$(printf '%s\n' "$a" | nosl)"
	assert_equal "$(printf '%s\n' "$a" | sed -n 2p | cut -d, -f1)" "ssda903-de9a81cb02168cb9"
	run --separate-stderr mp-import "$F/liquidlogic.csv"
	assert_equal "$(printf '%s\n' "$output" | grep -o "^50[0-9][0-9]," | tr -d "\n")" "5001,5002,5003,5004,5005,"
}

@test "import: police notifications that cannot be paired are rejected, each with its reason" {
	run --separate-stderr mp-import --map police "$F/police-bad.csv"
	[ "$status" -eq 1 ]
	assert_equal "$(printf '%s\n' "$output" | sed 1d | cut -d, -f2,4,5,13)" "C1,2025-03-02T10:00,2025-03-02T12:00,NP-1"
	assert_equal "$(printf '%s\n' "$stderr" | nonote)" "mp-import: $F/police-bad.csv:3: found at 2025-03-01T09:00, before the child was last seen (2025-03-02T10:00, line 2)
mp-import: $F/police-bad.csv:4: no police reference: a notification cannot be paired without one
mp-import: $F/police-bad.csv:5: missing notification without a time last seen
mp-import: $F/police-bad.csv:6: found notification without a time found
mp-import: $F/police-bad.csv:7: Notification: unknown value 'Returned home' (this map knows: Missing, Missing Person, Reported Missing, Update, Found, Returned, Located, Traced)
mp-import: $F/police-bad.csv:9: found notification without a missing one (another found one is already waiting)
mp-import: $F/police-bad.csv:8: found notification without a missing one
mp-import: 9 rows read, 1 imported, 1 paired, 7 rejected"
}

@test "import: a left-over column named like a canonical one is written as orig_NAME" {
	run --separate-stderr mp-import < <(printf 'CHILD,DOB,MISSING,MIS_START,MIS_END,source,la\n1,01/01/2010,M,01/01/2025,,x,y\n')
	[ "$status" -eq 0 ]
	assert_output "$HEAD,orig_source,orig_la
ssda903-aa4bbd7e2ec4fc54,1,missing,2025-01-01,,2010-01-01,,,,,,,,,,,,,,,ssda903,,,,,,2,x,y"
}

@test "import: police pairing past 4,096 references (the closed ones forgotten): a reference open across it, reopened after it, or waiting" {
	awk -v n=5000 -f "$F/police-many.awk" > "$BATS_TEST_TMPDIR/many.csv"
	run --separate-stderr mp-import --map police "$BATS_TEST_TMPDIR/many.csv"
	assert_equal "$status" 1
	assert_equal "$(printf '%s\n' "$stderr" | tail -2)" "mp-import: $BATS_TEST_TMPDIR/many.csv:3: found notification without a missing one
mp-import: 10007 rows read, 5003 imported, 5003 paired, 1 rejected"
	assert_equal "$(printf '%s\n' "$output" | grep -E ',(KEEP-OPEN|EARLY),' | cut -d, -f2,4,5,13)" "2000002,2024-01-01T00:01,2024-01-01T00:03,EARLY
2000002,2024-01-14T21:34,2024-01-14T21:36,EARLY
2000001,2024-01-01T00:00,2024-01-14T21:38,KEEP-OPEN"
	assert_equal "$(printf '%s\n' "$output" | grep -c ',R[0-9]*,')" 5000
}
