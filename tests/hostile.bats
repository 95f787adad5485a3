#!/usr/bin/env bats
# Hostile input for every command: no crash, no hang, nothing lost silently,
# and the exact messages mp-validate gives.  Fixtures: tests/fixtures/hostile/
# (5 canonical columns); setup_file makes full-width, SSDA903 and huge variants.

load helper

FULL='episode_id,child_id,type,start,end,dob,sex,ethnicity,send,care_status,placement,allocated,police_ref,police_risk,rhi_offered,rhi_accepted,rhi_held,rhi_reason,push_pull,hoth,source,la'

setup_file() {
	local d="$BATS_FILE_TMPDIR"
	python3 - "$TESTS_DIR/fixtures/hostile" "$d" <<'PY'
import os, sys
src, dst = sys.argv[1], sys.argv[2]
full = b"episode_id,child_id,type,start,end,dob,sex,ethnicity,send,care_status,placement,allocated,police_ref,police_risk,rhi_offered,rhi_accepted,rhi_held,rhi_reason,push_pull,hoth,source,la"
for name in sorted(os.listdir(src)):
    data = open(os.path.join(src, name), "rb").read()
    base = name[:-4]
    open(os.path.join(dst, base + ".csv"), "wb").write(data)
    # Full width: the canonical header, 17 empty fields after every row.
    lines = data.split(b"\n")
    if lines and lines[0].lstrip(b"\xef\xbb\xbf").startswith(b"episode_id"):
        out = [lines[0].replace(b"episode_id,child_id,type,start,end", full, 1)]
        out += [l + b"," * 17 if l else l for l in lines[1:]]
    else:
        out = lines
    open(os.path.join(dst, base + ".full.csv"), "wb").write(b"\n".join(out))
    # The SSDA903 Missing table's header over the same rows.
    out = [lines[0].replace(b"episode_id,child_id,type,start,end", b"CHILD,DOB,MISSING,MIS_START,MIS_END", 1)] + lines[1:]
    open(os.path.join(dst, base + ".903.csv"), "wb").write(b"\n".join(out))
# A 50 MB field, and 10,000 columns.
with open(os.path.join(dst, "huge-field.full.csv"), "wb") as f:
    row = [b"E1", b"C1", b"missing", b"2025-01-01T10:00"] + [b""] * 18
    row[12] = b"x" * 50_000_000    # police_ref: a free string
    f.write(full + b"\n" + b",".join(row) + b"\n")
with open(os.path.join(dst, "huge-quoted.full.csv"), "wb") as f:
    row = [b"E1", b"C1", b"missing", b"2025-01-01T10:00"] + [b""] * 18
    row[12] = b'"' + b"y,\n" * 7_000_000 + b'"'    # 21 MB quoted, with commas and newlines
    f.write(full + b"\n" + b",".join(row) + b"\n")
with open(os.path.join(dst, "wide.full.csv"), "wb") as f:
    f.write(full + b"".join(b",extra%d" % i for i in range(10000)) + b"\n")
    f.write(b"E1,C1,missing,2025-01-01T10:00" + b"," * 18 + b"," * 10000 + b"\n")
# A messy file: the bad rows of several fixtures and some good ones, full width and 903.
body = b"".join(open(os.path.join(src, n), "rb").read().split(b"\n", 1)[1] for n in
                ("ragged.csv", "stray-quote.csv", "bad-dates.csv", "nul.csv")).split(b"\n")
good = [b"G%d,K%d,missing,2025-01-%02dT10:00,2025-01-%02dT12:00" % (i, i % 3, i + 1, i + 1) for i in range(1, 9)]
rows = [l for l in body + good if l]
open(os.path.join(dst, "messy.mixed"), "wb").write(full + b"\n" + b"\n".join(l + b"," * 17 for l in rows) + b"\n")
open(os.path.join(dst, "messy.903"), "wb").write(b"CHILD,DOB,MISSING,MIS_START,MIS_END\n" + b"\n".join(rows) + b"\n")
PY
	head -c 48 /dev/urandom > "$d/key"
	chmod 600 "$d/key"
}

# Run CMD on every hostile file; a crash, a hang, a usage error or a sanitizer report fails.
survive() {
	local f st
	for f in "$BATS_FILE_TMPDIR"/*"$1"; do
		run --separate-stderr timeout 60 "${@:2}" "$f"
		st=$status
		if [ "$st" -ne 0 ] && [ "$st" -ne 1 ] && [ "$st" -ne 3 ]; then
			echo "$(basename "$f"): exit $st: $stderr" >&2
			return 1
		fi
		if [[ "$stderr" == *Sanitizer* || "$stderr" == *"runtime error"* ]]; then
			echo "$(basename "$f"): $stderr" >&2
			return 1
		fi
	done
}

@test "hostile: mp-validate survives every file" { survive .csv mp-validate --now 2025-02-01T00:00; }
@test "hostile: mp-import survives every file" { survive .903.csv mp-import --map ssda903; }
@test "hostile: mp-export survives every file" { survive .full.csv mp-export --format ssda903 --year 2025; survive .full.csv mp-export --format ssd; }
@test "hostile: mp-annex-a survives every file as the list" { survive .csv mp-annex-a --episodes "$TOP/share/examples/episodes.csv" --as-of 2025-03-31; }
@test "hostile: mp-rhi-due survives every file" { survive .full.csv mp-rhi-due --now 2025-02-01T00:00; }
@test "hostile: mp-open survives every file" { survive .full.csv mp-open --now 2025-02-01T00:00; }
@test "hostile: mp-repeat survives every file" { survive .full.csv mp-repeat; }
@test "hostile: mp-stats survives every file" { survive .full.csv mp-stats --by month; }
@test "hostile: mp-pseudo survives every file" { survive .full.csv mp-pseudo --key-file "$BATS_FILE_TMPDIR/key"; }
@test "hostile: mp-report survives every file" { survive .full.csv mp-report --month 2025-01 --now 2025-02-01T00:00; }

# The exact messages and exit status for each hostile file (mp-validate, 5 columns).
@test "hostile: mp-validate messages, one file at a time" {
	local P="mp-validate: $BATS_FILE_TMPDIR"
	check() {	# file, exit status, stderr lines...
		local file=$1 st=$2
		shift 2
		run --separate-stderr mp-validate --now 2025-01-05T00:00 "$BATS_FILE_TMPDIR/$file"
		assert_equal "$file: exit $status" "$file: exit $st"
		assert_equal "$stderr" "$(printf '%s\n' "$@" | sed "s|^@|$P/|")"
	}
	check empty.csv 1 "@empty.csv: empty input: no header line"
	check bom-only.csv 1 "@bom-only.csv: empty input: no header line"
	check header-only.csv 0 "mp-validate: 0 rows read, 0 passed, 0 rejected"
	check cr-only.csv 0 "mp-validate: 0 rows read, 0 passed, 0 rejected"
	check no-final-newline.csv 0 "mp-validate: 1 row read, 1 passed, 0 rejected"
	check stray-quote.csv 1 \
		"@stray-quote.csv:3: bad quoting: a quote inside an unquoted field, or text after a closing quote [csv]" \
		"mp-validate: 3 rows read, 2 passed, 1 rejected"
	check unterminated.csv 1 \
		"@unterminated.csv:2: unterminated quoted field: a quote opened in the record starting here is never closed, so lines 2-3 could not be read [csv]" \
		"mp-validate: 1 row read, 0 passed, 1 rejected"
	check ragged.csv 1 \
		"@ragged.csv:2: expected 5 fields (as in the header), found 3 [csv]" \
		"@ragged.csv:3: expected 5 fields (as in the header), found 6 [csv]" \
		"mp-validate: 3 rows read, 1 passed, 2 rejected"
	check nul.csv 1 \
		"@nul.csv:2: child_id: NUL byte in field 2 at byte 2 [csv]" \
		"mp-validate: 2 rows read, 1 passed, 1 rejected"
	check bad-utf8.csv 1 \
		"@bad-utf8.csv:2: child_id: invalid UTF-8 in field 2 at byte 3 (if the file came from Excel, try --encoding cp1252) [csv]" \
		"mp-validate: 2 rows read, 1 passed, 1 rejected"
	check bad-dates.csv 1 \
		"@bad-dates.csv:2: episode E1: start: '00/00/0000': year out of range (1900-2199) [format]" \
		"@bad-dates.csv:3: episode E2: start: '29/02/2023': impossible date: no such day in that month [format]" \
		"@bad-dates.csv:4: episode E3: start: '2025-13-01': impossible date: no such month [format]" \
		"@bad-dates.csv:5: episode E4: start: '2025-01-01T24:00': 24:00 is not a time of day (use 00:00 of the next day) [format]" \
		"@bad-dates.csv:6: episode E5: start: '25/12/24': two-digit years are not accepted (write the year in full) [format]" \
		"@bad-dates.csv:7: episode E6: start: '2025-03-30T01:30': this local time does not exist (the clocks went forward) [format]" \
		"mp-validate: 7 rows read, 1 passed, 6 rejected"
}

@test "hostile: a 50 MB field, a 21 MB quoted field and 10,000 columns pass through mp-validate intact" {
	run --separate-stderr mp-validate --now 2025-01-02T00:00 -o "$BATS_TEST_TMPDIR/out.csv" "$BATS_FILE_TMPDIR/huge-field.full.csv"
	assert_equal "$status" 0
	cmp "$BATS_TEST_TMPDIR/out.csv" "$BATS_FILE_TMPDIR/huge-field.full.csv"
	run --separate-stderr mp-validate --now 2025-01-02T00:00 -o "$BATS_TEST_TMPDIR/q.csv" "$BATS_FILE_TMPDIR/huge-quoted.full.csv"
	assert_equal "$status" 0
	cmp "$BATS_TEST_TMPDIR/q.csv" "$BATS_FILE_TMPDIR/huge-quoted.full.csv"
	run --separate-stderr mp-validate --now 2025-01-02T00:00 -o "$BATS_TEST_TMPDIR/wide.csv" "$BATS_FILE_TMPDIR/wide.full.csv"
	assert_equal "$status" 0
	cmp "$BATS_TEST_TMPDIR/wide.csv" "$BATS_FILE_TMPDIR/wide.full.csv"
}

# Nothing lost: rows read = rows written + rows rejected, on a messy file.
@test "hostile: mp-validate's counts balance on a messy file" {
	cat "$BATS_FILE_TMPDIR"/{ragged,stray-quote,bad-dates,nul}.csv | grep -av '^episode_id' > "$BATS_TEST_TMPDIR/body"
	{ echo "$HDR"; cat "$BATS_TEST_TMPDIR/body"; } > "$BATS_TEST_TMPDIR/messy.csv"
	run --separate-stderr mp-validate --now 2025-02-01T00:00 --rejects "$BATS_TEST_TMPDIR/rej.csv" "$BATS_TEST_TMPDIR/messy.csv"
	assert_equal "$status" 1
	local last=${stderr##*$'\n'} read passed rejected
	[[ "$last" =~ ([0-9]+)\ rows\ read,\ ([0-9]+)\ passed,\ ([0-9]+)\ rejected ]]
	read=${BASH_REMATCH[1]} passed=${BASH_REMATCH[2]} rejected=${BASH_REMATCH[3]}
	assert_equal "$((passed + rejected))" "$read"
	assert_equal "$(($(printf '%s\n' "$output" | wc -l) - 1))" "$passed"
	# Every rejected line appears in the rejects file.
	assert_equal "$(python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", errors="replace")))[1:]
print(len({r[0] for r in rows if not r[3].startswith("warning:")}))' "$BATS_TEST_TMPDIR/rej.csv")" "$rejected"
}

@test "output: a write error (/dev/full) exits 1 with a message" {
	run --separate-stderr bash -c "mp-validate --now 2025-02-01T00:00 '$TOP/share/examples/episodes.csv' > /dev/full"
	assert_equal "$status" 1
	[[ "$stderr" == *"write error on standard output: No space left on device"* ]]
}

@test "output: a full disk ends every command with one line naming the output, exit 1" {
	local ex="$TOP/share/examples" n=2025-03-01T09:00 imp="$BATS_TEST_TMPDIR/imp.csv" pol="$BATS_TEST_TMPDIR/pol.csv"
	mp-import -q -o "$imp" "$ex/liquidlogic-export.csv" 2>/dev/null
	mp-import -q -o "$pol" "$ex/police-notifications.csv" 2>/dev/null
	local key="$BATS_TEST_TMPDIR/key"
	cp "$FIX/pseudo/key" "$key" && chmod 600 "$key"
	# the output named | the command, writing to /dev/full (-o, > or an extra output)
	while IFS='|' read -r out cmd; do
		run --separate-stderr bash -c "$cmd"
		assert_equal "$status" 1
		assert_equal "$(printf '%s\n' "$stderr" | grep -c 'write error')" 1
		[[ "$stderr" == *"${cmd%% *}: write error on $out: No space left on device"* ]] || { echo "$cmd: $stderr"; false; }
	done <<-EOF
	/dev/full|mp-stats -o /dev/full $ex/episodes.csv
	standard output|mp-stats --pretty $ex/episodes.csv > /dev/full
	/dev/full|mp-report -o /dev/full --now $n --month 2024-10 $ex/episodes.csv
	standard output|mp-report --now $n --month 2024-10 --format html $ex/episodes.csv > /dev/full
	/dev/full|mp-open -o /dev/full --now $n $ex/episodes.csv
	/dev/full|mp-rhi-due -o /dev/full --now $n --all $ex/episodes.csv
	/dev/full|mp-repeat -o /dev/full $ex/episodes.csv
	/dev/full|mp-validate -q -o /dev/full --now $n $ex/episodes.csv
	/dev/full|mp-validate -q --now $n --rejects /dev/full $FIX/hostile/ragged.csv
	/dev/full|mp-export -o /dev/full --format ssd $ex/episodes.csv
	standard output|mp-export --format ssda903 --year 2025 $ex/episodes.csv > /dev/full
	/dev/full|mp-export -q --format ssd --rejects /dev/full $FIX/hostile/ragged.csv
	/dev/full|mp-annex-a -o /dev/full --episodes $ex/episodes.csv --as-of 2025-03-31 $ex/list8.csv
	/dev/full|mp-annex-a -o /dev/full -e cp1252 --episodes $ex/episodes.csv --as-of 2025-03-31 $ex/list8.csv
	/dev/full|mp-pseudo -o /dev/full -q --key-file $key $ex/episodes.csv
	/dev/full|mp-import -o /dev/full -q $ex/liquidlogic-export.csv
	/dev/full|mp-import -q --map liquidlogic --rejects /dev/full $FIX/import/liquidlogic-bad.csv
	/dev/full|mp-match -o /dev/full $imp $pol
	/dev/full|mp-match --conflicts /dev/full --roster $ex/roster.csv $imp $pol
	EOF
}

@test "output: a closed pipe ends quietly" {
	run --separate-stderr bash -c "mp-validate --now 2025-02-01T00:00 '$TOP/share/examples/episodes.csv' | head -1"
	assert_equal "$status" 0
	assert_equal "$output" "$(head -1 "$TOP/share/examples/episodes.csv")"
	[[ "$stderr" != *"write error"* ]]
}

@test "output: -o FILE is replaced only on success, created owner-only" {
	local out="$BATS_TEST_TMPDIR/o.csv"
	echo old > "$out"
	run --separate-stderr mp-validate --schema /nonexistent -o "$out" "$TOP/share/examples/episodes.csv"
	assert_equal "$status" 1
	assert_equal "$(cat "$out")" old
	rm "$out"
	run --separate-stderr bash -c "umask 022; mp-validate --now 2025-02-01T00:00 -o '$out' '$TOP/share/examples/episodes.csv'"
	assert_equal "$(stat -c %a "$out")" 600
	assert_equal "$(ls "$BATS_TEST_TMPDIR" | grep -c tmp)" 0
}

@test "output: the same input and options give byte-identical output" {
	local c st
	while IFS='|' read -r c st; do
		run --separate-stderr $c "$TOP/share/examples/episodes.csv"
		assert_equal "$c: $status" "$c: $st"
		[ "$(printf '%s\n' "$output" | wc -l)" -gt 1 ]	# a header and rows, not nothing twice
		printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/a"
		run --separate-stderr $c "$TOP/share/examples/episodes.csv"
		assert_equal "$c: $status" "$c: $st"
		printf '%s\n' "$output" | cmp "$BATS_TEST_TMPDIR/a" -
	done <<'TABLE'
mp-validate --now 2025-04-01T09:00|0
mp-rhi-due --all --now 2025-04-01T09:00|0
mp-open --now 2025-04-01T09:00|0
mp-repeat|0
mp-stats --by month --total|0
TABLE
}

@test "options: negative or enormous numbers are usage errors" {
	while IFS='|' read -r cmd; do
		run --separate-stderr $cmd "$TOP/share/examples/episodes.csv"
		assert_equal "$cmd: $status" "$cmd: 2"
		assert_equal "$cmd: $(printf '%s\n' "$stderr" | grep -c "is out of range\|is not a whole number")" "$cmd: 1"
	done <<'TABLE'
mp-rhi-due --within -5
mp-rhi-due --within 99999999999999999999999
mp-open --slt-hours -1
mp-open --strategy-days 1e9
mp-repeat --min -3
mp-repeat --window 0
mp-repeat --window 99999999999999999999
mp-stats --within -1
mp-stats --repeat-min 0
mp-validate --max-open-days -7
TABLE
}

# Nothing lost, for every command: in its closing count line, rows read equals
# the sum of the other counts (warnings and parenthesised notes aside).
@test "hostile: every command's closing count balances on a messy file" {
	local d="$BATS_FILE_TMPDIR" cmd line nums
	while IFS='|' read -r cmd file; do
		run --separate-stderr $cmd "$d/$file"
		line=$(printf '%s\n' "$stderr" | grep 'rows read' | tail -1)
		[ -n "$line" ] || { echo "$cmd: no count line in: $stderr" >&2; return 1; }
		nums=$(printf '%s\n' "$line" | sed -e 's/([^)]*)//g' -e 's/, [0-9]* warnings\{0,1\}$//' | grep -o '[0-9][0-9]*')
		run python3 -c 'import sys; n=[int(x) for x in sys.argv[1:]]; print("ok" if n[0] == sum(n[1:]) and n[0] > 0 else "unbalanced")' $nums
		assert_equal "$cmd: $output" "$cmd: ok"
	done <<'TABLE'
mp-validate --now 2025-02-01T00:00|messy.mixed
mp-rhi-due --now 2025-02-01T00:00|messy.mixed
mp-open --now 2025-02-01T00:00|messy.mixed
mp-repeat|messy.mixed
mp-stats --by month|messy.mixed
mp-report --month 2025-01 --now 2025-02-01T00:00|messy.mixed
mp-import --map ssda903|messy.903
TABLE
	run --separate-stderr mp-pseudo --key-file "$d/key" "$d/messy.mixed"
	[[ "$stderr" == *"23 rows read, 19 written, 4 rejected"* ]]
}

# One option-error policy: every command says the same one line, then the hint, exit 2.
@test "options: every command reports a bad option with the same one line" {
	local c src
	for src in "$TOP"/cmd/mp-*.c; do
		c=$(basename "$src" .c)
		while IFS='|' read -r args msg; do
			run --separate-stderr $c $args
			assert_equal "$c $args: $status" "$c $args: 2"
			assert_equal "$stderr" "$c: $msg
Try '$c --help' for more information."
		done <<'TABLE'
--bogus|unknown option '--bogus'
--bogus=1|unknown option '--bogus'
-Z|unknown option '-Z'
-tZ|unknown option '-Z'
--output|option '--output' needs a value
-o|option '-o' needs a value
--tsv=yes|option '--tsv' takes no value
--tsv-|option '--tsv-' is ambiguous
TABLE
	done
}

# A closed stderr or stdout must not become the -o or --rejects file (descriptor reuse).
@test "descriptors: a closed stderr or stdout never receives another file's data" {
	local d="$BATS_FILE_TMPDIR" t="$BATS_TEST_TMPDIR" cmd file
	while IFS='|' read -r cmd file; do
		$cmd -o "$t/want" < "$d/$file" 2>/dev/null && true
		run bash -c '"$@" 2>&-' _ $cmd -o "$t/got" < "$d/$file"
		assert_equal "$cmd: $status" "$cmd: 1"
		cmp "$t/want" "$t/got"
		[ -s "$t/got" ]
	done <<TABLE
mp-validate --now 2025-02-01T00:00|messy.mixed
mp-rhi-due --now 2025-02-01T00:00|messy.mixed
mp-open --now 2025-02-01T00:00|messy.mixed
mp-repeat|messy.mixed
mp-stats --by month|messy.mixed
mp-report --month 2025-01 --now 2025-02-01T00:00|messy.mixed
mp-import --map ssda903|messy.903
mp-pseudo --key-file $d/key|messy.mixed
TABLE
	# stdout closed: the passed rows cannot be written (an error), and never reach --rejects.
	run --separate-stderr bash -c 'mp-validate --now 2025-02-01T00:00 --rejects "$1" < "$2" >&-' _ "$t/rej.csv" "$d/messy.mixed"
	assert_equal "$status" 1
	[[ "$stderr" == *"write error on standard output: Bad file descriptor"* ]]
	[ ! -e "$t/rej.csv" ] || ! grep -q '^G[0-9]' "$t/rej.csv"
	# stdin closed: read as an error, not as a file another open put there.
	run --separate-stderr bash -c 'mp-validate --now 2025-02-01T00:00 <&-'
	assert_equal "$status" 1
	[[ "$stderr" == *"Bad file descriptor"* ]]
}

# Two outputs naming one file, or an output naming an input, would lose rows without a word.
@test "output: two outputs naming one file, or an output naming an input, are usage errors" {
	local t="$BATS_TEST_TMPDIR" d="$BATS_FILE_TMPDIR" cmd args msg
	printf '%s\n' "$HDR" E1,C1,missing,2025-01-01T10:00,2025-01-01T12:00 > "$t/in.csv"
	ln -s in.csv "$t/link.csv"
	mkdir "$t/sub"
	cd "$t"
	while IFS='|' read -r cmd args msg; do
		run --separate-stderr $cmd $args
		assert_equal "$cmd $args: $status" "$cmd $args: 2"
		assert_equal "$stderr" "${cmd%% *}: $msg
Try '${cmd%% *} --help' for more information."
	done <<TABLE
mp-validate|-o x.csv --rejects x.csv in.csv|'x.csv' is named as two outputs: each needs a file of its own
mp-validate|-o x.csv --rejects ./sub/../x.csv in.csv|'./sub/../x.csv' is named as two outputs: each needs a file of its own
mp-validate|-o in.csv in.csv|'in.csv' is both an input and an output: write to another file
mp-validate|--rejects $t/in.csv in.csv|'$t/in.csv' is both an input and an output: write to another file
mp-import --map ssda903|-o x.csv --rejects x.csv in.csv|'x.csv' is named as two outputs: each needs a file of its own
mp-stats|-o link.csv in.csv|'link.csv' is both an input and an output: write to another file
mp-repeat|-o in.csv in.csv|'in.csv' is both an input and an output: write to another file
mp-open|-o in.csv - in.csv|'in.csv' is both an input and an output: write to another file
mp-rhi-due|-o in.csv in.csv|'in.csv' is both an input and an output: write to another file
mp-report --month 2025-01|-o in.csv in.csv|'in.csv' is both an input and an output: write to another file
mp-pseudo --key-file $d/key|-o $d/key in.csv|'$d/key' is both an input and an output: write to another file
TABLE
	# Not the same file: devices, and stdout.
	run --separate-stderr mp-validate --now 2025-02-01T00:00 -o /dev/null --rejects /dev/null in.csv
	assert_equal "$status" 0
	assert_equal "$(cat in.csv)" "$HDR
E1,C1,missing,2025-01-01T10:00,2025-01-01T12:00"
}

# The -o temp file holds child data: no signal that ends the program may leave it behind.
@test "output: the -o temp file is removed on every signal that ends the program" {
	local t="$BATS_TEST_TMPDIR" sig pid
	mkfifo "$t/fifo"
	for sig in HUP INT QUIT PIPE TERM USR1 USR2 ALRM; do
		mkdir "$t/$sig"
		env --default-signal=INT,QUIT mp-validate --now 2025-02-01T00:00 -o "$t/$sig/out.csv" "$t/fifo" 2>/dev/null &
		pid=$!
		exec 5> "$t/fifo"
		printf '%s\n' "$HDR" E1,C1,missing,2025-01-01T10:00,2025-01-01T12:00 >&5
		for _ in $(seq 100); do [ -n "$(ls -A "$t/$sig")" ] && break; sleep 0.05; done
		assert_equal "$sig: $(ls -A "$t/$sig" | sed 's/X*$//' | cut -c1-3)" "$sig: .mp"
		kill -s "$sig" "$pid"
		wait "$pid" && true
		exec 5>&-
		assert_equal "$sig: $(ls -A "$t/$sig")" "$sig: "
	done
}

@test "output: a file-size limit is a write error, and leaves nothing behind" {
	local t="$BATS_TEST_TMPDIR"
	head -c 3000000 /dev/zero | tr '\0' x > "$t/big"
	{ echo "$HDR,police_ref"; for i in 1 2 3; do printf 'E%d,C1,missing,2025-01-0%dT10:00,2025-01-0%dT11:00,' $i $i $i; cat "$t/big"; echo; done; } > "$t/in.csv"
	mkdir "$t/o"
	run --separate-stderr bash -c 'ulimit -f 2048; mp-validate --now 2025-02-01T00:00 -o "$1/o/out.csv" "$1/in.csv"' _ "$t"
	assert_equal "$status" 1
	assert_equal "$stderr" "mp-validate: write error on $t/o/out.csv: File too large"
	assert_equal "$(ls -A "$t/o")" ""
	run --separate-stderr bash -c 'ulimit -f 2048; mp-validate --now 2025-02-01T00:00 "$1/in.csv" > "$1/o/stdout.csv"' _ "$t"
	assert_equal "$status" 1
	assert_equal "$stderr" "mp-validate: write error on standard output: File too large"
}

@test "output: -o with a name at the file-name limit; an unwritable folder is named by the -o name" {
	local t="$BATS_TEST_TMPDIR" long in
	in=$(printf '%s\n' "$HDR" E1,C1,missing,2025-01-01T10:00,2025-01-01T12:00 | mkfile in.csv)
	long=$(printf 'n%.0s' $(seq 251)).csv
	run --separate-stderr mp-validate --now 2025-02-01T00:00 -o "$t/$long" "$in"
	assert_equal "$status" 0
	cmp "$t/$long" "$in"
	assert_equal "$(ls -A "$t" | grep -c "^\.mp")" 0
	if [ "$(id -u)" -ne 0 ]; then	# root writes anywhere
		mkdir "$t/ro"
		chmod 555 "$t/ro"
		run --separate-stderr mp-validate --now 2025-02-01T00:00 -o "$t/ro/out.csv" "$in"
		chmod 755 "$t/ro"
		assert_equal "$status" 1
		assert_equal "$stderr" "mp-validate: cannot create $t/ro/out.csv: Permission denied"
	fi
	run --separate-stderr mp-validate --now 2025-02-01T00:00 -o "$t/nowhere/out.csv" "$in"
	assert_equal "$status" 1
	assert_equal "$stderr" "mp-validate: cannot create $t/nowhere/out.csv: No such file or directory"
}

# SSDA903 XML whose structure mp-import does not know is an error at its line, never a silent zero.
@test "xml: unknown SSDA903 structure is an error naming the line" {
	local t="$BATS_TEST_TMPDIR" name xml msg
	local ok='<HEADER><CHILDID>1</CHILDID><DOB>01/01/2010</DOB><AMISSING><MISSING>M</MISSING><MIS_START>01/01/2025</MIS_START></AMISSING></HEADER>'
	while IFS='|' read -r name xml msg; do
		printf '%b\n' "$xml" > "$t/$name.xml"
		run --separate-stderr mp-import "$t/$name.xml"
		assert_equal "$name: $status" "$name: 1"
		assert_equal "$stderr" "mp-import: $t/$name.xml: using map ssda903 (recognised by its header)
mp-import: $t/$name.xml:$msg
mp-import: 1 row read, 0 imported, 0 paired, 1 rejected"
	done <<TABLE
nested|<EXPSSDA903>\n<CHILD>$ok\n<CHILD>$ok</CHILD>\n</CHILD></EXPSSDA903>|3: <CHILD> inside the <CHILD> of line 2
namespaced|<x:EXPSSDA903 xmlns:x="urn:x">\n<x:CHILD>$ok</x:CHILD></x:EXPSSDA903>|1: <x:EXPSSDA903>: a namespaced element; the SSDA903 XML uses none
namespaced-child|<EXPSSDA903 xmlns:x="urn:x">\n<x:CHILD>$ok</x:CHILD></EXPSSDA903>|2: <x:CHILD>: a namespaced element; the SSDA903 XML uses none
lower|<EXPSSDA903>\n<child>$ok</child></EXPSSDA903>|2: <child>: element names are upper case in the SSDA903 XML (<CHILD>)
lower-field|<EXPSSDA903><CHILD><HEADER><CHILDID>1</CHILDID>\n<AMISSING><missing>M</missing></AMISSING></HEADER></CHILD></EXPSSDA903>|2: <missing>: element names are upper case in the SSDA903 XML (<MISSING>)
outside|<EXPSSDA903>\n<AMISSING><MISSING>M</MISSING><MIS_START>01/01/2025</MIS_START></AMISSING>\n</EXPSSDA903>|2: <AMISSING> outside a <CHILD>: whose episode it is cannot be known
field-outside|<EXPSSDA903><CHILD><HEADER>\n<MIS_START>01/01/2025</MIS_START></HEADER></CHILD></EXPSSDA903>|2: <MIS_START> outside an <AMISSING>
root|<MISSINGRETURN>\n<CHILD>$ok</CHILD></MISSINGRETURN>|1: the root element is <MISSINGRETURN>, not <EXPSSDA903>
twice|<EXPSSDA903><CHILD><HEADER><CHILDID>1</CHILDID>\n<AMISSING><MIS_START>01/01/2025</MIS_START><MIS_START>02/01/2025</MIS_START></AMISSING></HEADER></CHILD></EXPSSDA903>|2: <MIS_START> given twice
in-value|<EXPSSDA903><CHILD><HEADER><CHILDID>1</CHILDID>\n<AMISSING><MIS_START><B>01/01/2025</B></MIS_START></AMISSING></HEADER></CHILD></EXPSSDA903>|2: <B> inside <MIS_START>, which holds a value
nested-amissing|<EXPSSDA903><CHILD><HEADER><CHILDID>1</CHILDID>\n<AMISSING><AMISSING></AMISSING></AMISSING></HEADER></CHILD></EXPSSDA903>|2: <AMISSING> inside another <AMISSING>
TABLE
}

# A pattern that backtracks without end reaches PCRE2's limits: the value could not
# be checked, which is its own error, never "does not match".
@test "patterns: a match or depth limit is 'could not be checked', not 'does not match'" {
	local t="$BATS_TEST_TMPDIR" a60
	a60=$(printf 'a%.0s' $(seq 60))
	{ cat "$TOP/share/schemas/episode.schema"
	  printf 'field notes\n    type string\n    pattern (a|aa)+\n\nfield tags\n    type list\n    codes x y\n    pattern (a|aa)+\n'
	} > "$t/evil.schema"
	printf '%s\n' "$HDR,notes,tags" "E1,C1,missing,2025-01-01T10:00,2025-01-01T11:00,$a60!,x;$a60!" \
		"E2,C1,missing,2025-01-02T10:00,2025-01-02T11:00,aaa!,aaab" \
		"E3,C1,missing,2025-01-03T10:00,2025-01-03T11:00,aaaa,y;aa" > "$t/in.csv"
	run --separate-stderr timeout 20 mp-validate --now 2025-02-01T00:00 --schema "$t/evil.schema" "$t/in.csv"
	assert_equal "$status" 1
	assert_equal "$output" "$HDR,notes,tags
E3,C1,missing,2025-01-03T10:00,2025-01-03T11:00,aaaa,y;aa"
	local shown="'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'"
	local limit="could not be checked against the pattern (a|aa)+: it needs more backtracking than the limit allows (simplify the pattern)"
	assert_equal "$stderr" "mp-validate: $t/in.csv:2: episode E1: notes: $shown $limit [format]
mp-validate: $t/in.csv:2: episode E1: tags: $shown $limit [code]
mp-validate: $t/in.csv:3: episode E2: notes: 'aaa!' does not match the pattern (a|aa)+ [format]
mp-validate: $t/in.csv:3: episode E2: tags: 'aaab' is not one of: x, y [code]
mp-validate: 3 rows read, 1 passed, 2 rejected"
}

# The main job's files hold child data, its logs too (they quote rows): owner only,
# whatever the umask, and a log left 0644 by an older run is not kept so.
@test "output: every file the main job writes is 0600" {
	local o="$BATS_TEST_TMPDIR/out"
	mkdir "$o"
	: > "$o/validate.log"
	chmod 644 "$o/validate.log"
	run bash -c 'umask 022; BIN="$1" "$2/scripts/main-job" "$3"' _ "${BIN:-$TOP/bin}" "$TOP" "$o"
	assert_success
	[ "$(ls "$o" | wc -l)" -gt 20 ]
	assert_equal "$(find "$o" -type f ! -perm 600 | sort)" ""
}
