#!/usr/bin/env bats
# mp-validate: the national return's (SSDA903) Missing-table rules, with the Department's numbers.
load helper

SH='CHILD,DOB,MISSING,MIS_START,MIS_END'

# Read a table on stdin: status | extra args | rows (';' between rows) | stderr lines (';' between lines).
table() {
	local n=0 code args rows want f
	while IFS='|' read -r code args rows want; do
		case "$code" in ''|'#'*) continue ;; esac
		n=$((n + 1))
		f=$(printf '%s\n' "$SH" "${rows//;/$'\n'}" | mkfile "case$n.csv")
		# shellcheck disable=SC2086
		run --separate-stderr mp-validate $args < "$f"
		assert_equal "case $n [$rows]: $status: $stderr" "case $n [$rows]: $code: ${want//;/$'\n'}"
	done
	[ "$n" -gt 0 ]
}

@test "903: dates, types and blanks: 1004 1005 1006 564 565 566 567 586 (table)" {
	table <<'TABLE'
0|--year 2018|101,01/01/2005,M,01/06/2017,05/06/2017|mp-validate: 1 row read, 1 passed, 0 rejected
0|--year 2018|101,01/01/2005,A,1/6/2017,|mp-validate: 1 row read, 1 passed, 0 rejected
1|--year 2018|101,01/01/2005,M,,|mp-validate: stdin:2: MIS_START: the start date is blank [1004];mp-validate: stdin:2: MIS_START: MISSING is 'M' but the start date is blank [564];mp-validate: 1 row read, 0 passed, 1 rejected
1|--year 2018|101,01/01/2005,,,|mp-validate: stdin:2: MIS_START: the start date is blank [1004];mp-validate: 1 row read, 0 passed, 1 rejected
1|--year 2018|101,01/01/2005,M,01/06/17,|mp-validate: stdin:2: MIS_START: '01/06/17' is not a valid dd/mm/yyyy date [1004];mp-validate: 1 row read, 0 passed, 1 rejected
1|--year 2018|101,01/01/2005,M,2017-06-01,|mp-validate: stdin:2: MIS_START: '2017-06-01' is not a valid dd/mm/yyyy date [1004];mp-validate: 1 row read, 0 passed, 1 rejected
1|--year 2018|101,01/01/2005,M,29/02/2017,|mp-validate: stdin:2: MIS_START: '29/02/2017' is not a valid dd/mm/yyyy date [1004];mp-validate: 1 row read, 0 passed, 1 rejected
0|--year 2016|101,01/01/2005,M,29/02/2016,29/02/2016|mp-validate: 1 row read, 1 passed, 0 rejected
1|--year 2018|101,01/01/2005,M,01/06/2017,31/06/2017|mp-validate: stdin:2: MIS_END: '31/06/2017' is not a valid dd/mm/yyyy date [1005];mp-validate: 1 row read, 0 passed, 1 rejected
1|--year 2018|101,01/01/2005,M,01/06/2017,01/06/17|mp-validate: stdin:2: MIS_END: '01/06/17' is not a valid dd/mm/yyyy date [1005];mp-validate: 1 row read, 0 passed, 1 rejected
1|--year 2018|101,01/01/2005,X,01/06/2017,|mp-validate: stdin:2: MISSING: 'X' is not M or A [1006];mp-validate: 1 row read, 0 passed, 1 rejected
1|--year 2018|101,01/01/2005,m,01/06/2017,|mp-validate: stdin:2: MISSING: 'm' is not M or A [1006];mp-validate: 1 row read, 0 passed, 1 rejected
1|--year 2018|101,01/01/2005,a,,|mp-validate: stdin:2: MISSING: 'a' is not M or A [1006];mp-validate: stdin:2: MIS_START: the start date is blank [1004];mp-validate: stdin:2: MIS_START: MISSING is 'a' but the start date is blank [564];mp-validate: 1 row read, 0 passed, 1 rejected
1|--year 2018|101,01/01/2005,,01/06/2017,|mp-validate: stdin:2: MISSING: the start date is given but MISSING is blank [565];mp-validate: 1 row read, 0 passed, 1 rejected
1|--year 2018|101,01/01/2005,,01/06/2017,02/06/2017|mp-validate: stdin:2: MISSING: the start date is given but MISSING is blank [565];mp-validate: stdin:2: MISSING: the end date is given but MISSING is blank [566];mp-validate: 1 row read, 0 passed, 1 rejected
1|--year 2018|101,01/01/2005,,,02/06/2017|mp-validate: stdin:2: MISSING: the end date is given but MISSING is blank [566];mp-validate: stdin:2: MIS_START: the start date is blank [1004];mp-validate: 1 row read, 0 passed, 1 rejected
0|--year 2018|101,01/01/2005,M,01/06/2017,01/06/2017|mp-validate: 1 row read, 1 passed, 0 rejected
1|--year 2018|101,01/01/2005,M,02/06/2017,01/06/2017|mp-validate: stdin:2: MIS_END: ends (01/06/2017) before it starts (02/06/2017) [567];mp-validate: 1 row read, 0 passed, 1 rejected
1|--year 2018|101,01/06/2017,M,01/06/2017,02/06/2017|mp-validate: stdin:2: MIS_START: starts (01/06/2017) on or before the date of birth (01/06/2017) [586];mp-validate: 1 row read, 0 passed, 1 rejected
0|--year 2018|101,01/06/2017,M,02/06/2017,02/06/2017|mp-validate: 1 row read, 1 passed, 0 rejected
0|--year 2018|101,not a date,M,02/06/2017,02/06/2017|mp-validate: 1 row read, 1 passed, 0 rejected
0|--year 2018 --skip 1004,564|101,01/01/2005,M,,|mp-validate: 1 row read, 1 passed, 0 rejected
TABLE
}

@test "903: the collection year's edges: 570 and 571 with --year (table)" {
	table <<'TABLE'
0|--year 2018|101,01/01/2005,M,31/03/2018,31/03/2018|mp-validate: 1 row read, 1 passed, 0 rejected
1|--year 2018|101,01/01/2005,M,01/04/2018,|mp-validate: stdin:2: MIS_START: starts (01/04/2018) after the collection year ends (31/03/2018) [570];mp-validate: 1 row read, 0 passed, 1 rejected
0|--year 2018|101,01/01/2005,M,01/03/2017,01/04/2017|mp-validate: 1 row read, 1 passed, 0 rejected
1|--year 2018|101,01/01/2005,M,01/03/2017,31/03/2017|mp-validate: stdin:2: MIS_END: ends (31/03/2017) outside the collection year (01/04/2017 to 31/03/2018) [571];mp-validate: 1 row read, 0 passed, 1 rejected
1|--year 2018|101,01/01/2005,M,31/03/2018,01/04/2018|mp-validate: stdin:2: MIS_END: ends (01/04/2018) outside the collection year (01/04/2017 to 31/03/2018) [571];mp-validate: 1 row read, 0 passed, 1 rejected
0|--year 2018|101,01/01/2005,M,01/01/2010,|mp-validate: 1 row read, 1 passed, 0 rejected
1|--year 2024|101,01/01/2005,M,29/02/2024,01/04/2024|mp-validate: stdin:2: MIS_END: ends (01/04/2024) outside the collection year (01/04/2023 to 31/03/2024) [571];mp-validate: 1 row read, 0 passed, 1 rejected
TABLE
}

@test "903: the collection year from the data: where most end dates fall (table)" {
	table <<'TABLE'
# ends in 2017-18 twice, 2018-19 once: 2017-18 is taken, and the note says so
1||101,01/01/2005,M,01/06/2017,02/06/2017;102,01/01/2005,M,01/07/2017,02/07/2017;103,01/01/2005,M,01/05/2018,02/05/2018|mp-validate: stdin:4: MIS_START: starts (01/05/2018) after the collection year ends (31/03/2018) [570];mp-validate: stdin:4: MIS_END: ends (02/05/2018) outside the collection year (01/04/2017 to 31/03/2018) [571];mp-validate: note: the collection year 1 April 2017 to 31 March 2018 was taken from the data (--year to choose);mp-validate: 3 rows read, 2 passed, 1 rejected
# a tie goes to the later year
1||101,01/01/2005,M,01/06/2017,02/06/2017;103,01/01/2005,M,01/05/2018,02/05/2018|mp-validate: stdin:2: MIS_END: ends (02/06/2017) outside the collection year (01/04/2018 to 31/03/2019) [571];mp-validate: note: the collection year 1 April 2018 to 31 March 2019 was taken from the data (--year to choose);mp-validate: 2 rows read, 1 passed, 1 rejected
# no end dates: the start dates decide; no note when nothing depended on it
0||101,01/01/2005,M,01/06/2017,;102,01/01/2005,A,01/03/2017,|mp-validate: 2 rows read, 2 passed, 0 rejected
1||101,01/01/2005,M,01/06/2017,;102,01/01/2005,A,01/06/2017,;103,01/01/2005,A,01/06/2018,|mp-validate: stdin:4: MIS_START: starts (01/06/2018) after the collection year ends (31/03/2018) [570];mp-validate: note: the collection year 1 April 2017 to 31 March 2018 was taken from the data (--year to choose);mp-validate: 3 rows read, 2 passed, 1 rejected
TABLE
}

@test "903: overlaps (574) with the national ordering (table)" {
	table <<'TABLE'
# the previous episode ends on the day the next starts: not an overlap
0|--year 2018|101,01/01/2005,M,01/06/2017,05/06/2017;101,01/01/2005,A,05/06/2017,07/06/2017|mp-validate: 2 rows read, 2 passed, 0 rejected
1|--year 2018|101,01/01/2005,M,01/06/2017,05/06/2017;101,01/01/2005,A,04/06/2017,07/06/2017|mp-validate: stdin:3: MIS_START: overlaps the episode on line 2 (01/06/2017 to 05/06/2017) [574];mp-validate: 2 rows read, 1 passed, 1 rejected
# the previous episode (in end order) is open
1|--year 2018|101,01/01/2005,M,01/06/2017,;101,01/01/2005,A,07/06/2017,09/06/2017|mp-validate: stdin:3: MIS_START: overlaps the episode on line 2 (from 01/06/2017, still open) [574];mp-validate: 2 rows read, 1 passed, 1 rejected
# the national validator's own example, child 111: the open one sorts first by its start, so the
# closed one is the later in the child's order and is reported (the previous one is still open)
1|--year 2021|111,01/01/2005,M,01/06/2020,05/06/2020;111,01/01/2005,M,04/06/2020,|mp-validate: stdin:2: MIS_START: overlaps the episode on line 3 (from 04/06/2020, still open) [574];mp-validate: 2 rows read, 1 passed, 1 rejected
1|--year 2021|111,01/01/2005,M,04/06/2020,;111,01/01/2005,M,01/06/2020,05/06/2020|mp-validate: stdin:3: MIS_START: overlaps the episode on line 2 (from 04/06/2020, still open) [574];mp-validate: 2 rows read, 1 passed, 1 rejected
# child 222: closed, then open from its end day, then another: the open one is still open
1|--year 2021|222,01/01/2005,M,03/06/2020,04/06/2020;222,01/01/2005,M,04/06/2020,;222,01/01/2005,M,07/06/2020,09/06/2020|mp-validate: stdin:4: MIS_START: overlaps the episode on line 3 (from 04/06/2020, still open) [574];mp-validate: 3 rows read, 2 passed, 1 rejected
# child 444: out of order
1|--year 2021|444,01/01/2005,M,06/06/2020,08/06/2020;444,01/01/2005,M,10/06/2020,10/06/2020;444,01/01/2005,M,08/06/2020,10/08/2020|mp-validate: stdin:4: MIS_START: overlaps the episode on line 3 (10/06/2020 to 10/06/2020) [574];mp-validate: 3 rows read, 2 passed, 1 rejected
# the same three in the reverse file order: the same episode (08/06 to 10/08) is reported
1|--year 2021|444,01/01/2005,M,08/06/2020,10/08/2020;444,01/01/2005,M,10/06/2020,10/06/2020;444,01/01/2005,M,06/06/2020,08/06/2020|mp-validate: stdin:2: MIS_START: overlaps the episode on line 3 (10/06/2020 to 10/06/2020) [574];mp-validate: 3 rows read, 2 passed, 1 rejected
# without --year (the year is worked out from the same rows read ahead)
1||444,01/01/2005,M,08/06/2020,10/08/2020;444,01/01/2005,M,10/06/2020,10/06/2020;444,01/01/2005,M,06/06/2020,08/06/2020|mp-validate: stdin:2: MIS_START: overlaps the episode on line 3 (10/06/2020 to 10/06/2020) [574];mp-validate: 3 rows read, 2 passed, 1 rejected
# rows with no readable start take no part
1|--year 2021|555,01/01/2005,M,,05/06/2020;555,01/01/2005,M,,05/06/2020|mp-validate: stdin:2: MIS_START: the start date is blank [1004];mp-validate: stdin:2: MIS_START: MISSING is 'M' but the start date is blank [564];mp-validate: stdin:3: MIS_START: the start date is blank [1004];mp-validate: stdin:3: MIS_START: MISSING is 'M' but the start date is blank [564];mp-validate: 2 rows read, 0 passed, 2 rejected
0|--year 2021 --skip 574|101,01/01/2005,M,01/06/2020,;101,01/01/2005,A,07/06/2020,09/06/2020|mp-validate: 2 rows read, 2 passed, 0 rejected
TABLE
}

@test "903: INT04 and INT13 against the Header table (--header)" {
	f=$(printf '%s\n' "$SH" '101,01/01/2005,M,01/06/2017,02/06/2017' '102,16/06/2006,M,01/06/2017,02/06/2017' '103,29/02/2008,A,01/06/2017,' '104,01/01/2007,A,01/07/2017,' '105,01/01/2007,A,01/07/2017,' | mkfile m.csv)
	run --separate-stderr mp-validate --year 2018 --header "$FIX/validate/header903.csv" < "$f"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-validate: stdin:3: DOB: 16/06/2006 differs from the Header table's date of birth (15/06/2006) [INT13]
mp-validate: stdin:6: CHILD: child '105' is not in the Header table ($FIX/validate/header903.csv) [INT04]
mp-validate: 5 rows read, 3 passed, 2 rejected"
	run --separate-stderr mp-validate --year 2018 --header "$FIX/validate/header903.csv" --skip INT04,INT13 < "$f"
	[ "$status" -eq 0 ]
	run --separate-stderr mp-validate --year 2018 --header "$FIX/validate/nosuch.csv" < "$f"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-validate: $FIX/validate/nosuch.csv: No such file or directory"
	h=$(printf 'CHILD,SEX\n101,1\n' | mkfile h.csv)
	run --separate-stderr mp-validate --year 2018 --header "$h" < "$f"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-validate: $h:1: DOB: required column is missing from the Header table"
}

@test "903: --header needs the Missing table; --ssda903 forces the rules on other headers" {
	f=$(printf 'episode_id,child_id,type,start\ne1,c1,missing,2024-01-01\n' | mkfile c.csv)
	run --separate-stderr mp-validate --header "$FIX/validate/header903.csv" "$f"
	[ "$status" -eq 2 ]
	assert_equal "$stderr" "mp-validate: --header applies to the SSDA903 Missing table (see --ssda903)
Try 'mp-validate --help' for more information."
	# an extra column: not the 903 table unless forced; then it passes through
	f=$(printf 'CHILD,DOB,MISSING,MIS_START,MIS_END,NOTE\n101,01/01/2005,M,01/06/2017,02/06/2017,x\n' | mkfile x.csv)
	run --separate-stderr mp-validate --ssda903 --year 2018 "$f"
	[ "$status" -eq 0 ]
	assert_output 'CHILD,DOB,MISSING,MIS_START,MIS_END,NOTE
101,01/01/2005,M,01/06/2017,02/06/2017,x'
	run --separate-stderr mp-validate --year 2018 "$f"
	[ "$status" -eq 1 ]
	assert_equal "$(printf '%s\n' "$stderr" | head -2)" "mp-validate: $f:1: episode_id: required column is missing from the header [header]
mp-validate: $f:1: child_id: required column is missing from the header [header]"
	f=$(printf 'CHILD,DOB,MISSING,MIS_START\n101,01/01/2005,M,01/06/2017\n' | mkfile y.csv)
	run --separate-stderr mp-validate --ssda903 --year 2018 "$f"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-validate: $f:1: MIS_END: required column is missing from the header [header]
mp-validate: the header is not usable; no rows were checked"
	# a misspelt 903 column is a warning
	f=$(printf 'CHILD,DOB,MISSING,MIS_START,MIS_END,MIS_STRT\n101,01/01/2005,M,01/06/2017,,\n' | mkfile z.csv)
	run --separate-stderr mp-validate --ssda903 --year 2018 "$f"
	[ "$status" -eq 0 ]
	assert_equal "$stderr" "mp-validate: $f:1: MIS_STRT: warning: unknown column; did you mean 'MIS_START'? (it passes through unchecked) [column]
mp-validate: 1 row read, 1 passed, 0 rejected, 1 warning"
}

@test "903: the public fake data: its one overlapping pair is found" {
	d="$SHARED_DATA/ssda903"
	[ -r "$d/missing.csv" ] || skip "no shared SSDA903 sample data"
	run --separate-stderr mp-validate --year 2018 --header "$d/header.csv" "$d/missing.csv"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "mp-validate: $d/missing.csv:37: MIS_START: overlaps the episode on line 36 (20/11/2017 to 04/12/2017) [574]
mp-validate: 43 rows read, 42 passed, 1 rejected"
	[ "${#lines[@]}" -eq 43 ]
	# the same year is found from the data
	run --separate-stderr mp-validate --summary "$d/missing.csv"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "rule                   level        rows  description
574                    error           1  an episode starts while the child's previous one is open, or before it ends
mp-validate: 43 rows read, 42 passed, 1 rejected"
}

@test "903: the collection-year note and the count line in JSON; --rejects with the 903 columns" {
	f=$(printf '%s\n' "$SH" '101,01/01/2005,M,01/06/2017,02/06/2017' '102,01/01/2005,M,01/07/2017,02/07/2017' '103,01/01/2005,M,01/05/2018,' | mkfile j.csv)
	run --separate-stderr mp-validate --format json --rejects "$BATS_TEST_TMPDIR/r.csv" < "$f"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" '{"file":"stdin","line":4,"field":"MIS_START","rule":"570","severity":"error","message":"starts (01/05/2018) after the collection year ends (31/03/2018)"}
{"note":"the collection year 1 April 2017 to 31 March 2018 was taken from the data (--year to choose)"}
{"rows_read":3,"passed":2,"rejected":1,"warnings":0}'
	run cat "$BATS_TEST_TMPDIR/r.csv"
	assert_output 'line,field,rule,message,CHILD,DOB,MISSING,MIS_START,MIS_END
4,MIS_START,570,starts (01/05/2018) after the collection year ends (31/03/2018),103,01/01/2005,M,01/05/2018,'
}
