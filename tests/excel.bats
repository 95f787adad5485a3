#!/usr/bin/env bats
# --excel on every command that writes CSV: BOM, CRLF, formula-looking fields defused with '.
# Nothing is opened in Excel: the bytes are checked.
load helper

P="$FIX/pseudo"

setup() {
	K="$BATS_TEST_TMPDIR/key"
	cp "$P/key" "$K"
	chmod 600 "$K"
}

# Every command is built by make: a missing one fails, it does not pass by skipping.
need() {
	command -v "$1" >/dev/null || { echo "$1 is not built" >&2; return 1; }
}

#
# Run "$@" without and with --excel (both with stderr discarded) and check the
# Excel bytes: a BOM first, every line ending in CRLF, no field beginning with
# = + - @ or a tab unless after the defusing quote, and that taking the BOM,
# the CRs and the defusing quotes away gives the plain output back.  The
# plain output must have had formula-looking fields, or the test proves nothing.
# (The input must not already have a field like '=1: taking quotes away could
# not tell it from a defused one.)
#
excel_check() {
	local plain="$BATS_TEST_TMPDIR/plain.csv" xl="$BATS_TEST_TMPDIR/excel.csv" s1 s2
	"$@" > "$plain" 2>/dev/null && s1=0 || s1=$?
	"$@" --excel > "$xl" 2>/dev/null && s2=0 || s2=$?
	assert_equal "excel exit $s2" "excel exit $s1"
	[ "$s1" -ne 2 ] || fail "usage error: $*"
	[ -s "$plain" ] || fail "no output from: $*"
	grep -qE $'(^|,)"?[-=+@\t]' "$plain" || fail "no formula-looking field in the plain output of: $*"
	assert_equal "$(head -c 3 "$xl" | od -An -tx1 | tr -d ' ')" efbbbf
	[ "$(head -c 3 "$plain" | od -An -tx1 | tr -d ' ')" != efbbbf ] || fail "BOM without --excel"
	assert_equal "plain lines with CRLF: $(grep -c $'\r$' "$plain")" "plain lines with CRLF: 0"
	assert_equal "lines without CR: $(grep -vc $'\r$' "$xl")" "lines without CR: 0"
	[ "$(tail -c 2 "$xl" | od -An -tx1 | tr -d ' ')" = 0d0a ] || fail "no CRLF at the end"
	run grep -nE $'(^|,)"?[-=+@\t]' <(tail -c +4 "$xl")
	assert_failure
	tail -c +4 "$xl" | perl -pe 's/\r$//; s/(^|,)("?)\x27(?=[-=+\@\t\r])/$1$2/g' > "$BATS_TEST_TMPDIR/back.csv"
	cmp "$BATS_TEST_TMPDIR/back.csv" "$plain"
}

@test "mp-validate --excel: the bytes, pinned" {
	need mp-validate
	run --separate-stderr mp-validate --now 2024-01-02T00:00 --excel -o "$BATS_TEST_TMPDIR/v.csv" "$P/formula.csv"
	assert_success
	{
		printf '\xef\xbb\xbf'
		printf '%s\r\n' \
			'episode_id,child_id,type,start,end,police_ref' \
			"E1,'=1+2,missing,2024-01-01T10:00,,\"'=SUM(1,2)\"" \
			"E2,'+44 7700,missing,2024-01-01T10:00,,'-3.5" \
			"E3,'@SUM(A1),missing,2024-01-01T10:00,,'	x" \
			"E4,\"'"$'\r'"x\",missing,2024-01-01T10:00,,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" \
			'E5,a=b,missing,2024-01-01T10:00,, =1' \
			"E6,'=1,missing,2024-01-01T10:00,,'-" \
			'E7,C7,missing,2024-01-01T10:00,,'
	} > "$BATS_TEST_TMPDIR/want.csv"
	cmp "$BATS_TEST_TMPDIR/v.csv" "$BATS_TEST_TMPDIR/want.csv"
}

@test "formula cases, one field at a time (mp-validate --excel)" {
	need mp-validate
	# police_ref as written in the input | as written with --excel
	while IFS='|' read -r in want; do
		f=$(printf '%s\nE1,C1,missing,2024-01-01T10:00,,%s\n' "$HDR,police_ref" "$in" | mkfile one.csv)
		run mp-validate --now 2024-01-02T00:00 --excel "$f"
		assert_success
		got=$(mp-validate --now 2024-01-02T00:00 --excel "$f" 2>/dev/null | tail -n 1 | od -An -c | tr -s ' \n' ' ')
		want_bytes=$(printf 'E1,C1,missing,2024-01-01T10:00,,%s\r\n' "$want" | od -An -c | tr -s ' \n' ' ')
		assert_equal "$in => $got" "$in => $want_bytes"
	done <<'EOF'
=1+2|'=1+2
+1|'+1
-1|'-1
-3.5|'-3.5
@A1|'@A1
-|'-
=|'=
"=a,b"|"'=a,b"
"=say ""hi"""|"'=say ""hi"""
"	tab"|'	tab
"x=1"|x=1
a-b|a-b
'=1|'=1
 =1| =1
2024-01-01|2024-01-01
plain|plain
EOF
}

@test "without --excel: no BOM, LF only, nothing prefixed" {
	need mp-validate
	mp-validate --now 2024-01-02T00:00 -o "$BATS_TEST_TMPDIR/plain.csv" "$P/formula.csv"
	f="$BATS_TEST_TMPDIR/plain.csv"
	[ "$(head -c 3 "$f" | od -An -tx1 | tr -d ' ')" != efbbbf ] || fail "BOM without --excel"
	assert_equal "lines with CRLF: $(grep -c $'\r$' "$f")" "lines with CRLF: 0"
	assert_equal "lines: $(wc -l < "$f")" "lines: 8"
	# Only the quote that was in the input (E6), and the formulas as they were.
	assert_equal "quotes: $(tr -cd "'" < "$f" | wc -c)" "quotes: 1"
	grep -q '^E1,=1+2,' "$f"
	grep -q ',-3.5$' "$f"
}

@test "mp-validate --rejects FILE with --excel is Excel-safe too" {
	need mp-validate
	f=$(printf '%s\n=E1,C1,missing,2024-01-01T10:00,-bad\n' "$HDR" | mkfile rej.csv)
	run mp-validate --now 2024-01-02T00:00 --excel --rejects "$BATS_TEST_TMPDIR/r.csv" "$f"
	assert_failure 1
	assert_equal "$(head -c 3 "$BATS_TEST_TMPDIR/r.csv" | od -An -tx1 | tr -d ' ')" efbbbf
	run grep -c $'\r$' "$BATS_TEST_TMPDIR/r.csv"
	assert_output 2
	run grep -F ",'=E1,C1,missing,2024-01-01T10:00,'-bad"$'\r' "$BATS_TEST_TMPDIR/r.csv"
	assert_success
}

@test "mp-validate --excel: bytes round-trip" {
	need mp-validate
	excel_check mp-validate --now 2024-03-06T12:00 "$P/alerts.csv"
}

@test "mp-pseudo --excel: the bytes, pinned" {
	need mp-pseudo
	run mp-pseudo -q --key-file "$K" --columns child_id --excel -o "$BATS_TEST_TMPDIR/p.csv" "$P/formula.csv"
	assert_success
	{
		printf '\xef\xbb\xbf'
		printf '%s\r\n' \
			'episode_id,child_id,type,start,end,police_ref' \
			"E1,qqw6nmdpxahkaw4u,missing,2024-01-01T10:00,,\"'=SUM(1,2)\"" \
			"E2,ymgljewe34lmq2h4,missing,2024-01-01T10:00,,'-3.5" \
			"E3,t7vq4bfdjqdlclgl,missing,2024-01-01T10:00,,'	x" \
			"E4,ihfo62d352xzql4x,missing,2024-01-01T10:00,,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" \
			'E5,7xz6wxawfp2r57bd,missing,2024-01-01T10:00,, =1' \
			"E6,2dv4e7ygm4z66txt,missing,2024-01-01T10:00,,'-" \
			'E7,w7pz54l5xzfn2ig4,missing,2024-01-01T10:00,,'
	} > "$BATS_TEST_TMPDIR/want.csv"
	cmp "$BATS_TEST_TMPDIR/p.csv" "$BATS_TEST_TMPDIR/want.csv"
}

@test "mp-pseudo --excel: bytes round-trip" {
	need mp-pseudo
	excel_check mp-pseudo -q --key-file "$K" --columns child_id "$P/formula.csv"
}

@test "mp-rhi-due --excel: negative hours_left gets the quote" {
	need mp-rhi-due
	excel_check mp-rhi-due --now 2024-03-06T12:00 "$P/alerts.csv"
	grep -qF ",'-48.0,overdue," "$BATS_TEST_TMPDIR/excel.csv"
}

@test "mp-open --excel" {
	need mp-open
	excel_check mp-open --now 2024-03-06T12:00 "$P/alerts.csv"
}

@test "mp-repeat --excel" {
	need mp-repeat
	excel_check mp-repeat --min 3 --window 30 "$P/alerts.csv"
}

@test "mp-stats --excel" {
	need mp-stats
	excel_check mp-stats --group child_id "$P/alerts.csv"
	grep -qF $'2024-03,\x27=C2,1,' "$BATS_TEST_TMPDIR/excel.csv"
}

@test "mp-import --excel" {
	need mp-import
	excel_check mp-import --map ssda903 "$P/formula-903.csv"
	grep -qF ",'=C1,missing,2017-11-13,2017-11-25," "$BATS_TEST_TMPDIR/excel.csv"
}

@test "--excel with TSV output is a usage error" {
	need mp-validate
	run --separate-stderr mp-validate --now 2024-01-02T00:00 --excel -t "$P/formula.csv"
	assert_failure 2
	assert_equal "$stderr" "mp-validate: --excel applies to CSV output, not TSV
Try 'mp-validate --help' for more information."
}
