#!/usr/bin/env bats
# The one record reader, seen through the commands: every record boundary
# gets every check, every reading path (a stream, a file read in parallel
# parts, read-ahead) gives the same verdicts, a byte-order mark arriving
# in pieces is still stripped.

load helper

H='episode_id,child_id,type,start,end'
NUL_MSG='stdin:2: child_id: NUL byte in field 2 at byte 2'

# Three episodes; a bare CR ends the first inside line 2, and the second holds a NUL and a bad byte.
cr_file() {
	printf '%s\n1,C1,missing,2025-01-01T10:00,2025-01-01T12:00\r2,C\0\3772,missing,2025-01-02T10:00,2025-01-02T12:00\n3,C3,away,2025-01-03T10:00,2025-01-03T12:00\n' "$H"
}

@test "bare CR: the record after it is checked for NUL and UTF-8 by every command" {
	local key="$BATS_TEST_TMPDIR/key"
	cp "$FIX/pseudo/key" "$key"
	chmod 600 "$key"
	local cases=(
		"mp-validate --now 2025-04-01T09:00|mp-validate: $NUL_MSG [csv]|mp-validate: 3 rows read, 2 passed, 1 rejected"
		"mp-pseudo --key-file $key|mp-pseudo: $NUL_MSG|mp-pseudo: 3 rows read, 2 written, 1 rejected"
		"mp-stats --by none|mp-stats: $NUL_MSG|mp-stats: 3 rows read, 2 counted, 0 outside the range, 1 rejected"
		"mp-report --now 2025-04-01T09:00|mp-report: $NUL_MSG|mp-report: 3 rows read, 2 reported on, 1 rejected"
		"mp-repeat|mp-repeat: $NUL_MSG|mp-repeat: 3 rows read: 2 counted (missing, away, absent), 0 of other types, 0 duplicates, 1 rejected"
	)
	local c cmd m1 m2
	for c in "${cases[@]}"; do
		IFS='|' read -r cmd m1 m2 <<< "$c"
		run --separate-stderr bash -c "$(declare -f cr_file); H='$H'; cr_file | $cmd"
		stderr=$(grep -v '^mp-stats: warning: ' <<< "$stderr")	# columns this input lacks (issue 13)
		[ "$status" -eq 1 ] || { echo "$cmd: status $status"; return 1; }
		[ "$stderr" = "$m1"$'\n'"$m2" ] || { echo "$cmd: $stderr"; return 1; }
		[[ "$output" != *$'\n'2,* ]] || { echo "$cmd: the bad record reached the output"; return 1; }
	done
}

@test "bare CR: mp-stats counts the same in one stream and in 1, 2 and 3 parallel parts" {
	local f="$BATS_TEST_TMPDIR/cr.csv"
	cr_file > "$f"
	run --separate-stderr bash -c "mp-stats --by none < '$f'"
	local want_out="$output" want_err="${stderr//stdin/$f}"
	[ "$status" -eq 1 ]
	for n in 1 2 3; do
		run --separate-stderr mp-stats --by none --threads $n "$f"
		[ "$status" -eq 1 ]
		[ "$output" = "$want_out" ]
		[ "$stderr" = "$want_err" ]
	done
}

# A file of 4 MB or more is read in parallel parts by default: the same figures and messages as one stream.
@test "a messy 5 MB file: mp-stats gives the same output and messages in parallel as in one stream" {
	local f="$BATS_TEST_TMPDIR/messy.csv"
	"$TOP/scripts/gen-episodes" --rows 30000 --seed 3 | python3 -c '
import sys
lines = sys.stdin.buffer.read().split(b"\n")
out = [lines[0]]
for i, l in enumerate(lines[1:]):
    if not l:
        continue
    k = i % 97
    if k == 5: l = l.replace(b",", b"\r", 1)               # a bare CR splits the record
    elif k == 11: l = l + b"\r" + b"C\0\xff" + l             # a bare CR, then a record with bad bytes
    elif k == 17: l = l + b",extra"                         # ragged
    elif k == 23: l = l[:-1] + b"\"a\nb\""                   # a quoted newline in the last field
    elif k == 29: l = l[:-1] + b"\"a\"b"                     # bad quoting
    elif k == 31: l = l + b"\r"                             # CRLF
    out.append(l)
sys.stdout.buffer.write(b"\n".join(out) + b"\n")' > "$f"
	[ "$(stat -c %s "$f")" -ge $((4 << 20)) ]
	run --separate-stderr bash -c "mp-stats --group type < '$f'"
	local want_out="$output" want_err="${stderr//stdin/$f}"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"NUL byte"* && "$stderr" == *"bad quoting"* && "$stderr" == *"expected 22 fields"* ]]
	for t in "" "--threads 2" "--threads 5"; do
		run --separate-stderr mp-stats --group type $t "$f"
		[ "$status" -eq 1 ]
		[ "$output" = "$want_out" ]
		[ "$stderr" = "$want_err" ]
	done
}

@test "BOM: a byte-order mark split across two reads of a pipe is stripped" {
	local rows='1,C1,missing,2025-01-01T10:00,2025-01-01T12:00'
	run --separate-stderr bash -c "(printf '\357'; sleep 0.2; printf '\273\277$H\n$rows\n') | mp-validate --now 2025-04-01T09:00"
	[ "$status" -eq 0 ]
	[ "$output" = "$H"$'\n'"$rows" ]
	[ "$stderr" = "mp-validate: 1 row read, 1 passed, 0 rejected" ]
	run --separate-stderr bash -c "(printf '\357\273'; sleep 0.2; printf '\277$H\n$rows\n') | mp-stats --by none"
	[ "$status" -eq 0 ]
	[ "$(cut -d, -f1-15 <<< "${lines[1]}")" = "all,1,1,1,0,0,0,1,,,,,2.0,0,0" ]
}

@test "BOM: the start of a mark that is not one stays data (and is reported)" {
	run --separate-stderr bash -c "(printf '\357\273'; sleep 0.2; printf 'x,y\n1,2\n') | mp-stats --by none"
	[ "$status" -eq 1 ]
	[ "$stderr" = "mp-stats: stdin:1: header: invalid UTF-8 in field 1 at byte 1 (if the file came from Excel, try --encoding cp1252)" ]
}

@test "a later file that cannot be read ends every command with one message and status 1, read ahead or not" {
	local a="$BATS_TEST_TMPDIR/a.csv" other="$BATS_TEST_TMPDIR/other.csv" empty="$BATS_TEST_TMPDIR/empty.csv"
	printf '%s\n1,C1,missing,2025-01-01T10:00,2025-01-01T12:00\n' "$H" > "$a"
	printf 'episode_id,child_id,type,start\n2,C2,missing,2025-01-02T10:00\n' > "$other"
	: > "$empty"
	local differs="header differs from the first file's ($a); inputs must have the same columns"
	local files=(
		"$other|$other:1: $differs"
		"$empty|$empty: empty input: no header line"
		"$BATS_TEST_TMPDIR/none.csv|$BATS_TEST_TMPDIR/none.csv: No such file or directory"
	)
	local cmds=("mp-validate --now 2025-04-01T09:00" "mp-repeat" "mp-stats --by none"
		"mp-report --now 2025-04-01T09:00" "mp-export --format ssd")
	local f cmd second msg thread
	for f in "${files[@]}"; do
		IFS='|' read -r second msg <<< "$f"
		for cmd in "${cmds[@]}"; do
			for thread in 0 1; do
				MPTOOLS_READ_THREAD=$thread run --separate-stderr $cmd "$a" "$second"
				assert_equal "$status|$stderr" "1|${cmd%% *}: $msg"
			done
		done
	done
}
