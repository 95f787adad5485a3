#!/usr/bin/env bats
# mp-annex-a: Annex A List 8 from the episodes: the 12-month window, the last missing episode, the list kept as it came.
load helper

EH='episode_id,child_id,type,start,end,care_status,rhi_offered,rhi_accepted'
C4="Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months,Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months,Was the child offered a Return Interview after their last missing episode (Y/N)?,Did the child accept a Return Interview after their last missing episode (Y/N)?"

# A table on stdin: --as-of | episode rows (';' between) | the List 8 row written for child C1 (after "C1,x,").
table() {
	local n=0 asof rows want e l
	l=$(printf '%s\n' 'Child Unique ID,Gender' 'C1,x' | mkfile list.csv)
	while IFS='|' read -r asof rows want; do
		case "$asof" in ''|'#'*) continue ;; esac
		n=$((n + 1))
		e=$(printf '%s\n' "$EH" "${rows//;/$'\n'}" | mkfile "ep$n.csv")
		run --separate-stderr mp-annex-a --episodes "$e" --as-of "$asof" "$l"
		assert_equal "case $n [$asof: $rows]: $status: $stderr: ${lines[1]}" "case $n [$asof: $rows]: 0: : C1,x,$want"
	done
	[ "$n" -gt 0 ]
}

@test "annex-a: the 12-month window: UK local days, 1 April 2024 00:00 to 31 March 2025 23:59:59 for --as-of 2025-03-31 (table)" {
	table <<'TABLE'
# on the --as-of day, to its last minute: counted; a day outside either end: not
2025-03-31|e1,C1,missing,2025-03-31T23:59:59,,lac,,|1,0,,
2025-03-31|e1,C1,missing,2025-04-01T00:00,,lac,Y,Y|0,0,,
2025-03-31|e1,C1,away,2024-04-01T00:00,2024-04-01T01:00,lac,,|0,1,,
2025-03-31|e1,C1,away,2024-03-31T23:59,2024-04-01T01:00,lac,,|0,0,,
# the start decides, not the end: an episode from before the window ending in it is not counted
2025-03-31|e1,C1,missing,2024-03-30T10:00,2024-04-02T01:00,lac,Y,N|0,0,,
# a date alone is its local day; 00:30 BST on 1 April 2024 is in the window, 23:30 UTC the evening before is the same instant
2025-03-31|e1,C1,missing,2024-04-01,2024-04-01,lac,,|1,0,,
2025-03-31|e1,C1,missing,2024-03-31T23:30:00Z,,lac,N,|1,0,N,
2025-03-31|e1,C1,missing,2024-03-31T22:30:00Z,,lac,N,|0,0,,
# DD/MM/YYYY works for --as-of; other ends of the year: 12 calendar months
15/07/2024|e1,C1,missing,2023-07-16T00:00,,lac,,;e2,C1,missing,2023-07-15T23:59,,lac,,|1,0,,
2024-02-29|e1,C1,absent,2023-03-01T00:00,,lac,,;e2,C1,absent,2023-02-28T23:59,,lac,,|0,1,,
2025-02-28|e1,C1,absent,2024-02-29T00:00,,lac,,;e2,C1,absent,2024-02-28T23:59,,lac,,|0,1,,
TABLE
}

@test "annex-a: counts and the interview after the last missing episode, also when the latest episode is an away one (table)" {
	table <<'TABLE'
# missing counts missing; absent counts away and absent
2025-03-31|e1,C1,missing,2024-05-01T10:00,,lac,,;e2,C1,away,2024-06-01T10:00,,lac,,;e3,C1,absent,2024-07-01T10:00,,cin,,;e4,C1,missing,2024-08-01T10:00,,lac,,|2,2,,
# the latest episode is away: the interview is the last missing one's
2025-03-31|e1,C1,missing,2024-06-01T10:00,2024-06-01T12:00,lac,Y,N;e2,C1,away,2024-07-01T10:00,2024-07-01T11:00,lac,N,N|1,1,Y,N
# the last missing one by start, whatever the row order
2025-03-31|e2,C1,missing,2024-09-01T10:00,,lac,Y,Y;e1,C1,missing,2024-06-01T10:00,,lac,N,|2,0,Y,Y
# the last missing one records no interview: blank, even where an earlier one did
2025-03-31|e1,C1,missing,2024-06-01T10:00,,lac,Y,Y;e2,C1,missing,2024-09-01T10:00,,lac,,|2,0,,
2025-03-31|e1,C1,missing,2024-06-01T10:00,,lac,N,;e2,C1,away,2025-03-01T10:00,,lac,Y,Y|1,1,N,
# only away episodes: no missing episode, so no interview
2025-03-31|e1,C1,away,2024-06-01T10:00,,lac,Y,Y|0,1,,
# outside the window, the last missing one does not count
2025-03-31|e1,C1,missing,2024-06-01T10:00,,lac,N,N;e2,C1,missing,2025-04-02T10:00,,lac,Y,Y|1,0,N,N
TABLE
}

@test "annex-a: children without episodes get 0, 0 and blanks; other columns, row order and encoding are kept" {
	e=$(printf '%s\n' "$EH" 'e1,C2,missing,2024-06-01T10:00,,lac,Y,N' | mkfile ep.csv)
	l=$(printf '%s\r\n' 'Child Unique ID,Name,Notes' 'C9,"Zoë, A",' 'C2,Bo,"two' 'lines"' ' C3 ,Cy,' | mkfile list.csv)
	run --separate-stderr mp-annex-a --episodes "$e" --as-of 2025-03-31 "$l"
	[ "$status" -eq 0 ]
	assert_equal "$stderr" ""
	assert_equal "$output" "$(printf '%s\r\n' "Child Unique ID,Name,Notes,$C4" 'C9,"Zoë, A",,0,0,,' 'C2,Bo,"two' 'lines",1,0,Y,N' ' C3 ,Cy,,0,0,,')"
	# A byte-order mark stays; LF stays LF; CP1252 stays CP1252.
	printf '\xef\xbb\xbfChild ID\nC2\n' > "$BATS_TEST_TMPDIR/bom.csv"
	mp-annex-a --episodes "$e" --as-of 2025-03-31 -o "$BATS_TEST_TMPDIR/bom-out.csv" "$BATS_TEST_TMPDIR/bom.csv"
	assert_equal "$(od -An -c -N 12 "$BATS_TEST_TMPDIR/bom-out.csv" | tr -s ' ')" " 357 273 277 C h i l d I D ,"
	assert_equal "$(tail -n 1 "$BATS_TEST_TMPDIR/bom-out.csv")" "C2,1,0,Y,N"
	printf 'ChildId,Name\nC2,Zo\xeb\n' > "$BATS_TEST_TMPDIR/cp.csv"
	mp-annex-a -e cp1252 --episodes "$e" --as-of 2025-03-31 -o "$BATS_TEST_TMPDIR/cp-out.csv" "$BATS_TEST_TMPDIR/cp.csv"
	assert_equal "$(tail -n 1 "$BATS_TEST_TMPDIR/cp-out.csv" | od -An -c | tr -s ' ')" " C 2 , Z o 353 , 1 , 0 , Y , N \n"
	# Through a pipe too.
	cat "$l" | mp-annex-a --episodes "$e" --as-of 2025-03-31 > "$BATS_TEST_TMPDIR/piped.csv"
	assert_equal "$(grep -c $'\r$' "$BATS_TEST_TMPDIR/piped.csv")" 5
	# --excel: a byte-order mark, CRLF and formulas defused.
	f=$(printf '%s\n' 'child_id,Note' 'C2,=1+1' | mkfile eq.csv)
	run mp-annex-a --excel --episodes "$e" --as-of 2025-03-31 "$f"
	assert_equal "$output" "$(printf '\xef\xbb\xbf'; printf '%s\r\n' "child_id,Note,$C4" "C2,'=1+1,1,0,Y,N")"
}

@test "annex-a: the four columns already in the list are filled in place (names compared loosely), the rest untouched" {
	e=$(printf '%s\n' "$EH" 'e1,C2,away,2024-06-01T10:00,,lac,,' 'e2,C2,missing,2024-06-02T10:00,,lac,N,' | mkfile ep.csv)
	h="Child Unique ID,Number of Episodes the Child has been ‘Missing’ from their Placement in the last 12 months,Team,number of episodes the child has been 'absent' from their placement in the last 12 months,Was the child offered a Return Interview after their last missing episode (Y/N)?,Did the child accept a Return Interview after their last missing episode (Y/N)?,Worker"
	l=$(printf '%s\n' "$h" 'C2,9,T1,9,Y,Y,W1' 'C5,,T2,,,,W2' | mkfile list.csv)
	run --separate-stderr mp-annex-a --episodes "$e" --as-of 2025-03-31 "$l"
	[ "$status" -eq 0 ]
	assert_equal "$output" "$h
C2,1,T1,1,N,,W1
C5,0,T2,0,,,W2"
}

@test "annex-a: a looked-after child with episodes in the window who is not on the list is named (table of care status)" {
	l=$(printf '%s\n' 'Child Unique ID' 'C1' | mkfile list.csv)
	e=$(printf '%s\n' "$EH" 'e1,C1,missing,2024-06-01T10:00,,lac,,' 'e2,C7,missing,2024-06-01T10:00,,cin,,' \
		'e3,C8,away,2024-07-01T10:00,,cin,,' 'e4,C8,missing,2024-08-01T10:00,,lac,,' 'e5,C9,missing,2024-01-01T10:00,,lac,,' | mkfile ep.csv)
	run --separate-stderr mp-annex-a --episodes "$e" --as-of 2025-03-31 "$l"
	[ "$status" -eq 0 ]
	assert_equal "$stderr" "mp-annex-a: $e:4: child_id: 'C8' is looked after and has episodes in the 12 months (1 missing, 1 absent) but is not on the list ($l)"
	assert_equal "$output" "Child Unique ID,$C4
C1,1,0,,"
	# Without care_status every child with episodes in the window is named.
	e=$(printf '%s\n' 'episode_id,child_id,type,start,end' 'e2,C7,missing,2024-06-01T10:00,' | mkfile ep2.csv)
	run --separate-stderr mp-annex-a --episodes "$e" --as-of 2025-03-31 < "$l"
	[ "$status" -eq 0 ]
	assert_equal "$stderr" "mp-annex-a: $e:2: child_id: 'C7' is looked after and has episodes in the 12 months (1 missing, 0 absent) but is not on the list (stdin)"
}

@test "annex-a: the child column: /child.*id/i, --id-column, and rows and episodes that cannot be used (table)" {
	e=$(printf '%s\n' "$EH" 'e1,C2,missing,2024-06-01T10:00,,lac,Y,N' 'e2,C3,wandered,2024-06-01T10:00,,lac,,' \
		'e3,C3,missing,2024-06-01T10:00,,lac,Yes,' | mkfile ep.csv)
	while IFS='|' read -r code args header row want err; do
		l=$(printf '%s\n' "$header" "${row//;/$'\n'}" | mkfile list.csv)
		# shellcheck disable=SC2086
		run --separate-stderr mp-annex-a --episodes "$e" --as-of 2025-03-31 $args "$l"
		err=${err//LIST/$l}
		err=${err//EPS/$e}
		err=${err//;/$'\n'}
		assert_equal "$args $header: $status: ${lines[1]}: $stderr" "$args $header: $code: $want: ${err//:SEMI/;}"
	done <<'TABLE'
1|--id-column Ref|Child ID,Ref|X,C2|X,C2,1,0,Y,N|mp-annex-a: EPS:3: type: 'wandered' is not one of: missing, away, absent;mp-annex-a: EPS:4: rhi_offered: 'Yes' is not Y or N;mp-annex-a: 1 list row read, 1 written, 0 rejected, 0 without a child id:SEMI 2 episode rows rejected:SEMI looked after and not on the list: 0
1||LAC Ref,CHILDREF_ID|x,C2|x,C2,1,0,Y,N|mp-annex-a: EPS:3: type: 'wandered' is not one of: missing, away, absent;mp-annex-a: EPS:4: rhi_offered: 'Yes' is not Y or N;mp-annex-a: 1 list row read, 1 written, 0 rejected, 0 without a child id:SEMI 2 episode rows rejected:SEMI looked after and not on the list: 0
1||Ref,Name|C2,x||mp-annex-a: EPS:3: type: 'wandered' is not one of: missing, away, absent;mp-annex-a: EPS:4: rhi_offered: 'Yes' is not Y or N;mp-annex-a: LIST:1: no column of the header matches /child.*id/i: name it with --id-column
1|--id-column Nope|Child ID|C2||mp-annex-a: EPS:3: type: 'wandered' is not one of: missing, away, absent;mp-annex-a: EPS:4: rhi_offered: 'Yes' is not Y or N;mp-annex-a: LIST:1: Nope: no such column in the list's header
TABLE
}

@test "annex-a: list rows that cannot be used are named and counted; usage errors" {
	e=$(printf '%s\n' "$EH" 'e1,C2,missing,2024-06-01T10:00,,lac,Y,N' | mkfile ep.csv)
	l=$(printf '%s\n' 'Child ID,Team' 'C2,T1' ',T2' 'C3,T3,extra' | mkfile list.csv)
	run --separate-stderr mp-annex-a --episodes "$e" --as-of 2025-03-31 "$l"
	[ "$status" -eq 1 ]
	assert_equal "$output" "Child ID,Team,$C4
C2,T1,1,0,Y,N
,T2,,,,"
	assert_equal "$stderr" "mp-annex-a: $l:3: Child ID: no child id: the four columns are left blank
mp-annex-a: $l:4: expected 2 fields (as in the header), found 3
mp-annex-a: 3 list rows read, 2 written, 1 rejected, 1 without a child id; 0 episode rows rejected; looked after and not on the list: 0"
	while IFS='|' read -r args err; do
		# shellcheck disable=SC2086
		run --separate-stderr mp-annex-a $args
		assert_equal "$args: $status: ${stderr%%$'\n'*}" "$args: 2: $err"
	done <<TABLE
--as-of 2025-03-31 $l|mp-annex-a: --episodes FILE is required
--episodes $e $l|mp-annex-a: --as-of DATE is required
--episodes $e --as-of 2025-02-30 $l|mp-annex-a: --as-of: '2025-02-30': impossible date: no such day in that month
--episodes $e --as-of 2025-03-31 $l $l|mp-annex-a: one list at most (got 2)
TABLE
}

@test "annex-a: the main job writes the List 8 (a child missing and not on it named in its log), the 903 and SSD tables" {
	for c in mp-import mp-validate mp-rhi-due mp-open mp-repeat mp-stats mp-report mp-annex-a mp-export; do
		command -v "$c" > /dev/null || skip "$c is not built"
	done
	bin=$(dirname "$(command -v mp-annex-a)")
	out="$BATS_TEST_TMPDIR/out"
	run --separate-stderr env MPTOOLS_BIN="$bin" "$TOP/scripts/main-job" "$out"
	[ "$status" -eq 0 ]
	assert_line "  annex A: 1 looked-after children with episodes are not on the list (annex-a.log)"
	grep -q "is looked after and has episodes in the 12 months" "$out/annex-a.log"
	# Every child of the sample list is there, in its order, with its columns; some never went missing.
	assert_equal "$(cut -d, -f1 "$out/annex-a-list8.csv")" "$(cut -d, -f1 "$TOP/share/examples/list8.csv")"
	[ "$(grep -c ',0,0,,' "$out/annex-a-list8.csv")" -ge 3 ]
	head -n 1 "$out/ssda903-missing.csv" | grep -qx 'CHILD,DOB,MISSING,MIS_START,MIS_END'
	run mp-validate --ssda903 --year 2025 -o /dev/null "$out/ssda903-missing.csv"
	[ "$status" -eq 0 ]
	head -n 1 "$out/ssd_missing.csv" | grep -q '^miss_table_id,miss_person_id,'
	# One row per validated episode (mp-validate's count: some notes span lines).
	n=$(sed -n 's/^mp-validate: [0-9]* rows read, \([0-9]*\) passed.*/\1/p' "$out/validate.log")
	assert_equal "$(($(wc -l < "$out/ssd_missing.csv") - 1))" "$n"
}

@test "annex-a: --help matches the man page; --version; mandoc -Tlint is clean" {
	run mp-annex-a --help
	[ "$status" -eq 0 ]
	man="$TOP/man/mp-annex-a.1"
	for o in $(grep -oE -- '--[a-z][a-z-]+' <<< "$output" | sort -u); do
		grep -q -- "Fl -${o#--}" "$man" || fail "$o is in --help but not in the man page"
	done
	for o in $(grep -oE '^\.It Fl -[a-z-]+' "$man" | sed 's/.*Fl -/--/' | sort -u); do
		grep -q -- "$o" <<< "$output" || fail "$o is in the man page but not in --help"
	done
	run mp-annex-a --version
	assert_output --regexp '^mp-annex-a \(mptools\) [0-9.]+$'
	command -v mandoc > /dev/null || skip "mandoc is not installed"
	run mandoc -Tlint -Wwarning "$man"
	assert_success
	assert_output ""
}
