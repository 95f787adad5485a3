#!/usr/bin/env bats
# mp-validate: options, output formats (text, json, summary, rejects), header problems, CSV edge cases.
load helper

NOW=2025-01-01T12:00

@test "validate: --help, --version and usage errors" {
	run --separate-stderr mp-validate --help
	[ "$status" -eq 0 ]
	assert_line --index 0 'Usage: mp-validate [OPTION]... [FILE]...'
	assert_line --partial '      --max-open-days N open_too_long: warn when open more than N days (default 30)'
	run --separate-stderr mp-validate --version
	[ "$status" -eq 0 ]
	assert_output --regexp '^mp-validate \(mptools\) [0-9]+\.[0-9]+\.[0-9]+$'
	# option | message
	while IFS='|' read -r args msg; do
		# shellcheck disable=SC2086
		run --separate-stderr mp-validate $args < /dev/null
		assert_equal "$args: $status: $stderr" "$args: 2: mp-validate: $msg
Try 'mp-validate --help' for more information."
	done <<'TABLE'
--skip nosuch|--skip: unknown rule 'nosuch' (see --list-rules)
--warn csv,overlaps|--warn: unknown rule 'overlaps' (see --list-rules)
--now yesterday|--now: 'yesterday': not a date (expected YYYY-MM-DD or DD/MM/YYYY)
--now 2025-03-30T01:30|--now: '2025-03-30T01:30': this local time does not exist (the clocks went forward)
--year 99|--year: '99' is out of range (1901 to 2299)
--year 2018x|--year: '2018x' is not a whole number
--max-open-days -1|--max-open-days: '-1' is out of range (0 to 36500)
--format xml|--format: 'xml' is not text or json
--nosuch|unknown option '--nosuch'
-x|unknown option '-x'
--now|option '--now' needs a value
TABLE
}

@test "validate: --list-rules: id, level, set and description, one a line" {
	run --separate-stderr mp-validate --list-rules
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 32 ]
	assert_line --index 0 "$(printf 'csv\terror\tany\tthe row cannot be read: bad quoting, wrong number of fields, bad encoding')"
	assert_line "$(printf 'age_18\twarning\tepisode\tthe child is 18 or over at the start')"
	assert_line "$(printf 'overlap\terror\tepisode\tthe child'"'"'s episodes overlap (the national return'"'"'s ordering)')"
	assert_line "$(printf 'open_too_long\twarning\tepisode\tthe episode has been open longer than --max-open-days')"
	assert_line "$(printf '574\terror\tssda903\tan episode starts while the child'"'"'s previous one is open, or before it ends')"
	assert_line "$(printf 'INT13\terror\tssda903+header\tDOB differs from the child'"'"'s DOB in the Header table (--header)')"
	# every id once
	[ "$(printf '%s\n' "$output" | cut -f1 | sort | uniq -d)" = "" ]
}

@test "validate: schema checks: required, code, format, unique (table)" {
	# row | stderr ('^' between lines)
	while IFS='|' read -r row want; do
		f=$(printf 'episode_id,child_id,type,start,end,sex,send,push_pull\n%s\n' "$row" | mkfile in.csv)
		run --separate-stderr mp-validate --now "$NOW" --skip open_too_long < "$f"
		assert_equal "[$row] $stderr" "[$row] ${want//^/$'\n'}"
	done <<'TABLE'
e1,c1,missing,2024-06-01T10:00,2024-06-01T11:00,female,Y,peer_pressure;exploitation|mp-validate: 1 row read, 1 passed, 0 rejected
,c1,missing,2024-06-01T10:00,,,,|mp-validate: stdin:2: episode_id: required value is empty [required]^mp-validate: 1 row read, 0 passed, 1 rejected
e1,,missing,2024-06-01T10:00,,,,|mp-validate: stdin:2: episode e1: child_id: required value is empty [required]^mp-validate: 1 row read, 0 passed, 1 rejected
e1,c1,Missing,2024-06-01T10:00,,,,|mp-validate: stdin:2: episode e1: type: 'Missing' is not one of: missing, away, absent [code]^mp-validate: 1 row read, 0 passed, 1 rejected
e1,c1,missing,2024-06-01T10:00,,F,y,|mp-validate: stdin:2: episode e1: sex: 'F' is not one of: male, female, other, unknown [code]^mp-validate: stdin:2: episode e1: send: 'y' is not Y or N [format]^mp-validate: 1 row read, 0 passed, 1 rejected
e1,c1,missing,2024-06-01T25:00,,,,|mp-validate: stdin:2: episode e1: start: '2024-06-01T25:00': impossible time of day [format]^mp-validate: 1 row read, 0 passed, 1 rejected
e1,c1,missing,2024-06-01T10:00,,,,Peer Pressure|mp-validate: stdin:2: episode e1: push_pull: 'Peer Pressure' does not match the pattern [a-z0-9]+(?:_[a-z0-9]+)* [format]^mp-validate: 1 row read, 0 passed, 1 rejected
e1,c1,missing,2024-06-01T10:00,,,,a;;b|mp-validate: stdin:2: episode e1: push_pull: empty item in a ';'-separated list [format]^mp-validate: 1 row read, 0 passed, 1 rejected
TABLE
}

@test "validate: header problems: missing required columns, duplicate names, misspelt columns" {
	f=$(printf 'episode_id,child_id,child_id,typ,start,end\ne1,c1,c1,missing,2024-01-01,\n' | mkfile h.csv)
	run --separate-stderr mp-validate --now "$NOW" --rejects "$BATS_TEST_TMPDIR/r.csv" "$f"
	[ "$status" -eq 1 ]
	assert_output ''
	assert_equal "$stderr" "mp-validate: $f:1: child_id: column name appears twice in the header (columns 2 and 3) [header]
mp-validate: $f:1: type: required column is missing from the header [header]
mp-validate: $f:1: typ: warning: unknown column; did you mean 'type'? (it passes through unchecked) [column]
mp-validate: the header is not usable; no rows were checked"
	run cat "$BATS_TEST_TMPDIR/r.csv"
	assert_output "line,field,rule,message,episode_id,child_id,child_id,typ,start,end
1,child_id,header,column name appears twice in the header (columns 2 and 3),,,,,,
1,type,header,required column is missing from the header,,,,,,
1,typ,column,warning: unknown column; did you mean 'type'? (it passes through unchecked),,,,,,"
	# a misspelt optional column alone is a warning; the rows are still checked
	f=$(printf 'episode_id,child_id,type,start,end,police_reff,Note\ne1,c1,missing,2024-01-01T10:00,2024-01-01T11:00,x,y\n' | mkfile w.csv)
	run --separate-stderr mp-validate --now "$NOW" "$f"
	[ "$status" -eq 0 ]
	assert_equal "$stderr" "mp-validate: $f:1: police_reff: warning: unknown column; did you mean 'police_ref'? (it passes through unchecked) [column]
mp-validate: 1 row read, 1 passed, 0 rejected, 1 warning"
	run --separate-stderr mp-validate --now "$NOW" --skip column "$f"
	assert_equal "$stderr" "mp-validate: 1 row read, 1 passed, 0 rejected"
	# an empty input has no header at all
	run --separate-stderr mp-validate < /dev/null
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-validate: stdin: empty input: no header line"
}

@test "validate: a header of 100,000 columns is checked in linear time (was 27 s)" {
	f="$BATS_TEST_TMPDIR/wide.csv"
	awk 'BEGIN { h = "episode_id,child_id,type,start"; r = "e1,c1,missing,2024-01-01"
		for (i = 1; i <= 100000; i++) { h = h ",x" i; r = r ",v" }
		print h ",startt,x7"; print r ",,"; }' > "$f"
	run --separate-stderr timeout 20 mp-validate --now "$NOW" "$f"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-validate: $f:1: x7: column name appears twice in the header (columns 11 and 100006) [header]
mp-validate: $f:1: startt: warning: unknown column; did you mean 'start'? (it passes through unchecked) [column]
mp-validate: the header is not usable; no rows were checked"
	# the time itself: well under a second here, where the quadratic check took 27 s
	s=$(date +%s%N)
	timeout 20 mp-validate --now "$NOW" --skip header "$f" > /dev/null 2>&1 || true
	[ $(( ($(date +%s%N) - s) / 1000000000 )) -lt 10 ]
}

@test "validate: --skip, --warn, --quiet and --summary" {
	f=$(printf '%s\n' 'episode_id,child_id,type,start,end' 'e1,c1,missing,2024-06-01T10:00,2024-06-01T09:00' 'e2,c1,missing,2024-06-01T12:00,2024-06-01T13:00' 'e2,c2,away,2024-06-01T12:00,2024-06-01T11:00' 'e4,c3,missing,2024-06-01T12:00,' | mkfile s.csv)
	run --separate-stderr mp-validate --now "$NOW" --summary "$f"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "rule                   level        rows  description
unique                 error           1  a value that must be unique in the stream (episode_id) appears again
end_before_start       error           2  the episode ends before it starts
open_too_long          warning         1  the episode has been open longer than --max-open-days
mp-validate: 4 rows read, 2 passed, 2 rejected, 1 warning"
	run --separate-stderr mp-validate --now "$NOW" --summary --warn end_before_start "$f"
	[ "$status" -eq 1 ]
	assert_equal "$(printf '%s\n' "$stderr" | sed -n 3p)" "end_before_start       warning         2  the episode ends before it starts"
	run --separate-stderr mp-validate --now "$NOW" --warn end_before_start --skip unique,open_too_long "$f"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
	assert_equal "$stderr" "mp-validate: $f:2: episode e1: end: warning: ends (2024-06-01T09:00) before it starts (2024-06-01T10:00) [end_before_start]
mp-validate: $f:4: episode e2: end: warning: ends (2024-06-01T11:00) before it starts (2024-06-01T12:00) [end_before_start]
mp-validate: 4 rows read, 4 passed, 0 rejected, 2 warnings"
	run --separate-stderr mp-validate --now "$NOW" -q "$f"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-validate: 4 rows read, 2 passed, 2 rejected, 1 warning"
}

@test "validate: --format json escapes quotes, backslashes and newlines; --rejects keeps the rows" {
	f=$(printf '%s\n' 'episode_id,child_id,type,start,end' 'e1,c1,"mi""ss\ing",2024-01-01T10:00,2024-01-01T11:00' 'e2,c2,"line' 'two",2024-01-01T10:00,2024-01-01T09:00' | mkfile j.csv)
	run --separate-stderr mp-validate --now "$NOW" --format json --rejects "$BATS_TEST_TMPDIR/r.csv" < "$f"
	[ "$status" -eq 1 ]
	assert_output 'episode_id,child_id,type,start,end'
	assert_equal "$stderr" '{"file":"stdin","line":2,"field":"type","rule":"code","severity":"error","message":"'"'"'mi\"ss\\ing'"'"' is not one of: missing, away, absent"}
{"file":"stdin","line":3,"field":"type","rule":"code","severity":"error","message":"'"'"'line\\ntwo'"'"' is not one of: missing, away, absent"}
{"file":"stdin","line":3,"field":"end","rule":"end_before_start","severity":"error","message":"ends (2024-01-01T09:00) before it starts (2024-01-01T10:00)"}
{"rows_read":2,"passed":0,"rejected":2,"warnings":0}'
	run cat "$BATS_TEST_TMPDIR/r.csv"
	assert_output 'line,field,rule,message,episode_id,child_id,type,start,end
2,type,code,"'"'"'mi""ss\ing'"'"' is not one of: missing, away, absent",e1,c1,"mi""ss\ing",2024-01-01T10:00,2024-01-01T11:00
3,type,code,"'"'"'line\ntwo'"'"' is not one of: missing, away, absent",e2,c2,"line
two",2024-01-01T10:00,2024-01-01T09:00
3,end,end_before_start,ends (2024-01-01T09:00) before it starts (2024-01-01T10:00),e2,c2,"line
two",2024-01-01T10:00,2024-01-01T09:00'
	# json with --summary, and a warning
	run --separate-stderr mp-validate --now "$NOW" --format json --summary < "$f"
	assert_equal "$stderr" '{"rule":"code","severity":"error","rows":2,"description":"a value is not one of the column'"'"'s codes"}
{"rule":"end_before_start","severity":"error","rows":1,"description":"the episode ends before it starts"}
{"rows_read":2,"passed":0,"rejected":2,"warnings":0}'
	# a field name that is not UTF-8-clean JSON: a control character in the header
	f=$(printf 'episode_id,child_id,type,start,end,"a\tb"\ne1,c1,missing,2024-06-01T10:00,2024-06-01T09:00,x\n' | mkfile t.csv)
	run --separate-stderr mp-validate --now "$NOW" --format json < "$f"
	assert_equal "$(printf '%s\n' "$stderr" | head -1)" '{"file":"stdin","line":2,"field":"end","rule":"end_before_start","severity":"error","message":"ends (2024-06-01T09:00) before it starts (2024-06-01T10:00)"}'
}

@test "validate: CSV edge cases through mp-validate (table)" {
	# printf input | args | status | stdout (\n escapes) | stderr (';' between lines)
	while IFS='|' read -r input args code out want; do
		f=$(printf "$input" | mkfile e.csv)
		# shellcheck disable=SC2086
		run --separate-stderr mp-validate --now "$NOW" --skip open_too_long $args < "$f"
		assert_equal "[$input] $status|$output|$stderr" "[$input] $code|$(printf "$out")|${want//;/$'\n'}"
	done <<'TABLE'
episode_id,child_id,type,start,end\r\ne1,c1,missing,2024-01-01,\r\n||0|episode_id,child_id,type,start,end\ne1,c1,missing,2024-01-01,|mp-validate: 1 row read, 1 passed, 0 rejected
\357\273\277episode_id,child_id,type,start,end\ne1,c1,missing,2024-01-01,\n||0|episode_id,child_id,type,start,end\ne1,c1,missing,2024-01-01,|mp-validate: 1 row read, 1 passed, 0 rejected
\357\273\277"episode_id",child_id,type,start,end\n"e1","c1, jr","missing",2024-01-01,\n||0|episode_id,child_id,type,start,end\n"e1","c1, jr","missing",2024-01-01,|mp-validate: 1 row read, 1 passed, 0 rejected
episode_id,child_id,type,start,end\ne1,"c\n1",missing,2024-01-01,\ne2,c2,missing,2024-01-02,\n||0|episode_id,child_id,type,start,end\ne1,"c\n1",missing,2024-01-01,\ne2,c2,missing,2024-01-02,|mp-validate: 2 rows read, 2 passed, 0 rejected
episode_id,child_id,type,start,end\ne1,c1,missing,2024-01-01,||0|episode_id,child_id,type,start,end\ne1,c1,missing,2024-01-01,|mp-validate: 1 row read, 1 passed, 0 rejected
episode_id,child_id,type,start,end\n\ne1,c1,missing,2024-01-01,\n\n||0|episode_id,child_id,type,start,end\ne1,c1,missing,2024-01-01,|mp-validate: 1 row read, 1 passed, 0 rejected
episode_id,child_id,type,start,end\ne1, c1 ,missing,2024-01-01,\n||0|episode_id,child_id,type,start,end\ne1, c1 ,missing,2024-01-01,|mp-validate: 1 row read, 1 passed, 0 rejected
episode_id,child_id,type,start,end\ne1,c1,missing,2024-01-01\ne2,c2,missing,2024-01-01,,x\n||1|episode_id,child_id,type,start,end|mp-validate: stdin:2: expected 5 fields (as in the header), found 4 [csv];mp-validate: stdin:3: expected 5 fields (as in the header), found 6 [csv];mp-validate: 2 rows read, 0 passed, 2 rejected
episode_id,child_id,type,start,end\ne1,c"1,missing,2024-01-01,\ne2,c2,missing,2024-01-01,\n||1|episode_id,child_id,type,start,end\ne2,c2,missing,2024-01-01,|mp-validate: stdin:2: bad quoting: a quote inside an unquoted field, or text after a closing quote [csv];mp-validate: 2 rows read, 1 passed, 1 rejected
episode_id,child_id,type,start,end\ne1,c1,missing,2024-01-01,\ne2,"c2,missing,2024-01-01,\ne3,c3,missing,2024-01-01,\n||1|episode_id,child_id,type,start,end\ne1,c1,missing,2024-01-01,|mp-validate: stdin:3: unterminated quoted field: a quote opened in the record starting here is never closed, so lines 3-4 could not be read [csv];mp-validate: 2 rows read, 1 passed, 1 rejected
episode_id,child_id,type,start,end\ne1,Zo\353,missing,2024-01-01,\n||1|episode_id,child_id,type,start,end|mp-validate: stdin:2: child_id: invalid UTF-8 in field 2 at byte 3 (if the file came from Excel, try --encoding cp1252) [csv];mp-validate: 1 row read, 0 passed, 1 rejected
episode_id,child_id,type,start,end\ne1,Zo\353,missing,2024-01-01,\n|-e cp1252|0|episode_id,child_id,type,start,end\ne1,Zoë,missing,2024-01-01,|mp-validate: 1 row read, 1 passed, 0 rejected
episode_id\tchild_id\ttype\tstart\tend\ne1\tc\\\\t1\tmissing\t2024-01-01\t\n|-t|0|episode_id\tchild_id\ttype\tstart\tend\ne1\tc\\\\t1\tmissing\t2024-01-01\t|mp-validate: 1 row read, 1 passed, 0 rejected
episode_id\tchild_id\ttype\tstart\tend\ne1\tc1\tmissing\t2024-01-01\t\n|--tsv-in|0|episode_id,child_id,type,start,end\ne1,c1,missing,2024-01-01,|mp-validate: 1 row read, 1 passed, 0 rejected
episode_id\tchild_id\ttype\tstart\tend\ne1\tc1\tmissing\n|-t|1|episode_id\tchild_id\ttype\tstart\tend|mp-validate: stdin:2: expected 5 fields (as in the header), found 3 [csv];mp-validate: 1 row read, 0 passed, 1 rejected
TABLE
}

@test "validate: a Windows-1252 export is read with -e cp1252" {
	run --separate-stderr mp-validate --now "$NOW" "$FIX/validate/cp1252.csv"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-validate: $FIX/validate/cp1252.csv:2: child_id: invalid UTF-8 in field 2 at byte 3 (if the file came from Excel, try --encoding cp1252) [csv]
mp-validate: 1 row read, 0 passed, 1 rejected"
	run --separate-stderr mp-validate --now "$NOW" -e cp1252 "$FIX/validate/cp1252.csv"
	[ "$status" -eq 0 ]
	assert_output 'episode_id,child_id,type,start,end,note
e1,Zoë,missing,2024-01-01T10:00,2024-01-01T11:00,café “quoted”'
}

@test "validate: -o FILE is written only when the run finishes; stdin as -" {
	f=$(printf 'episode_id,child_id,type,start,end\ne1,c1,missing,2024-01-01T10:00,2024-01-01T11:00\n' | mkfile o.csv)
	run --separate-stderr mp-validate --now "$NOW" -o "$BATS_TEST_TMPDIR/out.csv" - < "$f"
	[ "$status" -eq 0 ]
	assert_output ''
	run cat "$BATS_TEST_TMPDIR/out.csv"
	assert_output 'episode_id,child_id,type,start,end
e1,c1,missing,2024-01-01T10:00,2024-01-01T11:00'
}

@test "validate: the reader thread and the single-threaded reading give the same output" {
	{
		echo 'episode_id,child_id,type,start,end'
		for i in $(seq 1 3000); do
			echo "e$i,c$((i % 97)),missing,2020-01-01T00:00,2020-01-01T01:00"
		done
		echo 'bad,"row'
	} > "$BATS_TEST_TMPDIR/a.csv"
	printf 'episode_id,child_id,type,start,end\ne1,"c\n1",away,2021-01-01,\n' > "$BATS_TEST_TMPDIR/b.csv"
	MPTOOLS_READ_THREAD=1 run --separate-stderr mp-validate --now "$NOW" --summary "$BATS_TEST_TMPDIR/a.csv" "$BATS_TEST_TMPDIR/b.csv"
	[ "$status" -eq 1 ]
	threaded="$output|$stderr"
	MPTOOLS_READ_THREAD=0 run --separate-stderr mp-validate --now "$NOW" --summary "$BATS_TEST_TMPDIR/a.csv" "$BATS_TEST_TMPDIR/b.csv"
	[ "$status" -eq 1 ]
	assert_equal "$output|$stderr" "$threaded"
	assert_equal "$stderr" "rule                   level        rows  description
csv                    error           1  the row cannot be read: bad quoting, wrong number of fields, bad encoding
unique                 error           1  a value that must be unique in the stream (episode_id) appears again
duplicate_episode      error        2903  an earlier row has the same child, type and start
open_too_long          warning         1  the episode has been open longer than --max-open-days
mp-validate: 3002 rows read, 97 passed, 2905 rejected, 1 warning"
	[ "${#lines[@]}" -eq 98 ]
}
