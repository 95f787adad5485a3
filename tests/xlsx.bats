#!/usr/bin/env bats
# --xlsx FILE and mp-report --format xlsx: workbooks read back with an
# independent reader (openpyxl) and compared cell for cell with the CSV of
# the same run (tests/xlsx-check).

load helper

setup() {
	/usr/bin/python3 -c 'import openpyxl' 2>/dev/null || skip "python3-openpyxl is not installed"
	CHECK="$TESTS_DIR/xlsx-check"
	EX="$TOP/share/examples/episodes.csv"
	cd "$BATS_TEST_TMPDIR"
}

# command | sheet | arguments (the CSV goes to out.csv, the workbook to out.xlsx)
@test "every command's workbook holds its CSV, typed (table)" {
	while IFS='|' read -r cmd sheet args; do
		[ -n "$cmd" ] || continue
		rm -f out.csv out.xlsx
		run -0 $cmd $args --xlsx out.xlsx -o out.csv "$EX"
		run -0 "$CHECK" table out.xlsx "$sheet=out.csv"
	done <<-'TABLE'
	mp-stats|stats|--by month --percent
	mp-stats|stats|--by quarter --group care_status,placement --percent
	mp-stats|stats|--by fq --percent --now 2025-06-01T09:00
	mp-stats|stats|--group age_band,sex
	mp-rhi-due|rhi-due|--now 2025-04-10T09:00 --all
	mp-rhi-due|rhi-due|--now 2025-03-20T09:00
	mp-open|open|--now 2025-03-30T09:00
	mp-repeat|repeat|--min 3 --window 90
	mp-repeat|repeat|--min 3 --per month
	mp-validate|episodes|--skip open_too_long
	mp-export|ssda903|--format ssda903 --year 2025
	mp-export|ssd_missing|--format ssd
	TABLE
}

@test "mp-validate: the passed rows, then the rejects on a second sheet" {
	printf '%s\n' "$HDR" 'E1,C1,missing,2025-01-01T10:00,2025-01-02T10:00' \
		'E2,C2,missing,2025-01-05T10:00,2025-01-04T10:00' 'E3,C3,lost,2025-01-06T10:00,' > in.csv
	run -1 mp-validate --now 2025-02-01T00:00 --rejects rej.csv --xlsx out.xlsx -o out.csv in.csv
	run -0 "$CHECK" table out.xlsx episodes=out.csv rejects=rej.csv
	run -0 /usr/bin/python3 -c 'import openpyxl; wb = openpyxl.load_workbook("out.xlsx"); print(wb["episodes"].max_row, wb["rejects"].max_row)'
	assert_output "2 3"
}

@test "mp-export: the return, then its rejects on a second sheet" {
	printf '%s\n' "$HDR,dob,care_status" 'E1,C1,missing,2024-05-01T10:00,2024-05-02T10:00,2010-01-01,lac' \
		'E2,C2,missing,2024-06-01T10:00,,2024-07-01,lac' > in.csv
	run -1 mp-export --format ssda903 --year 2025 --rejects rej.csv --xlsx out.xlsx -o out.csv in.csv
	run -0 "$CHECK" table out.xlsx ssda903=out.csv rejects=rej.csv
	run -0 /usr/bin/python3 -c 'import openpyxl; wb = openpyxl.load_workbook("out.xlsx"); print(wb["ssda903"].max_row, wb["rejects"].max_row)'
	assert_output "2 2"
}

@test "ids and codes stay text, dates become UK dates, formulas stay text" {
	run -0 mp-validate --now 2026-01-01T00:00 --xlsx out.xlsx -o out.csv "$FIX/xlsx/typed.csv"
	run -0 "$CHECK" table out.xlsx episodes=out.csv
	run -0 /usr/bin/python3 - <<-'PY'
	import openpyxl
	ws = openpyxl.load_workbook("out.xlsx")["episodes"]
	for ref in ("A2", "B2", "B3", "L2", "L3", "L4", "D3", "E3", "D2", "F2", "O2"):
	    c = ws[ref]
	    print(ref, c.data_type, repr(c.value), c.number_format)
	PY
	assert_output - <<-'OUT'
	A2 s '007' General
	B2 s '0042' General
	B3 s '12345' General
	L2 s '=HYPERLINK("x")' General
	L3 s '-17' General
	L4 s '+44' General
	D3 d datetime.datetime(2025, 10, 26, 1, 30) dd/mm/yyyy hh:mm
	E3 d datetime.datetime(2025, 10, 26, 1, 45) dd/mm/yyyy hh:mm
	D2 d datetime.datetime(2025, 3, 30, 0, 30) dd/mm/yyyy hh:mm
	F2 d datetime.datetime(2010, 2, 28, 0, 0) dd/mm/yyyy
	O2 d datetime.datetime(2025, 3, 31, 10, 0) dd/mm/yyyy hh:mm
	OUT
}

@test "percentages are percentages, negative hours are numbers" {
	run -0 mp-stats --by month --percent --xlsx s.xlsx -o s.csv "$EX"
	run -0 mp-rhi-due --now 2025-03-20T09:00 --xlsx r.xlsx -o r.csv "$EX"
	run -0 /usr/bin/python3 - <<-'PY'
	import openpyxl
	ws = openpyxl.load_workbook("s.xlsx")["stats"]
	head = [c.value for c in ws[1]]
	pct = [h for h in head if h.endswith("_pct")]
	c = ws.cell(row=2, column=head.index(pct[0]) + 1)
	print(pct[0], c.data_type, c.number_format)
	ws = openpyxl.load_workbook("r.xlsx")["rhi-due"]
	head = [c.value for c in ws[1]]
	hours = [r[head.index("hours_left")].value for r in ws.iter_rows(min_row=2)]
	print(all(isinstance(h, (int, float)) for h in hours if h is not None), min(hours) < 0)
	PY
	assert_line --index 0 --regexp '^[a-z0-9_]+_pct n 0\.0%$'
	assert_line --index 1 "True True"
}

@test "the workbook is 0600 when new, keeps an existing file's mode, and is replaced only on success" {
	run -0 mp-stats --xlsx new.xlsx -o /dev/null "$EX"
	run -0 stat -c %a new.xlsx
	assert_output 600
	printf 'old' > kept.xlsx
	chmod 640 kept.xlsx
	run -0 mp-stats --xlsx kept.xlsx -o /dev/null "$EX"
	run -0 stat -c %a kept.xlsx
	assert_output 640
	printf 'old' > old.xlsx
	run -1 mp-rhi-due --now 2025-04-10T09:00 --xlsx old.xlsx no-such-file.csv
	run -0 cat old.xlsx
	assert_output old
	run -0 sh -c 'ls -A | grep -c mp-xlsx || true'
	assert_output 0
}

# arguments | status | message
@test "--xlsx errors (table)" {
	while IFS='|' read -r args status msg; do
		[ -n "$args" ] || continue
		run -"$status" --separate-stderr $args
		assert_equal "${stderr%%$'\n'*}" "$msg"
		[ ! -e same.xlsx ]
	done <<-TABLE
	mp-stats --xlsx same.xlsx -o same.xlsx $EX|2|mp-stats: 'same.xlsx' is named as two outputs: each needs a file of its own
	mp-stats --xlsx /nonexistent/dir/x.xlsx $EX|1|mp-stats: cannot create /nonexistent/dir/x.xlsx: No such file or directory
	mp-report --format xlsx $EX|2|mp-report: --format xlsx writes a workbook: give -o FILE
	mp-stats --xlsx /dev/null $EX|1|mp-stats: /dev/null: not a regular file (a workbook is written to a file)
	mp-export --format ssd --rejects same.xlsx --xlsx same.xlsx $EX|2|mp-export: 'same.xlsx' is named as two outputs: each needs a file of its own
	mp-stats --xlsx $EX $EX|2|mp-stats: '$EX' is both an input and an output: write to another file
	mp-stats --pretty --xlsx same.xlsx $EX|2|mp-stats: --pretty writes a table for a terminal; --xlsx needs the rows: give one of them
	TABLE
}

@test "mp-report --format xlsx: contents, a sheet per section, the text report's figures, native charts" {
	for kind in annual monthly; do
		case $kind in annual) period='--fy 2024-25' ;; monthly) period='--month 2024-09' ;; esac
		run -0 mp-report --kind $kind $period --now 2025-06-01T09:00 --format xlsx -o rep.xlsx "$EX"
		run -0 mp-report --kind $kind $period --now 2025-06-01T09:00 --format markdown -o rep.md "$EX"
		run -0 "$CHECK" report rep.xlsx rep.md
	done
	run -0 /usr/bin/python3 -c 'import openpyxl; ws = openpyxl.load_workbook("rep.xlsx")["Contents"]; print(ws["A1"].value)'
	assert_output "Children missing from home or care: monthly report"
}

@test "mp-report --format xlsx --suppress hides the same cells as the text report" {
	run -0 mp-report --fy 2024-25 --now 2025-06-01T09:00 --suppress 10 --format xlsx -o rep.xlsx "$EX"
	run -0 mp-report --fy 2024-25 --now 2025-06-01T09:00 --suppress 10 --format markdown -o rep.md "$EX"
	run -0 "$CHECK" report rep.xlsx rep.md
	run -0 grep -cF '[c' rep.md
	[ "$output" -gt 0 ]
}

@test "xlsx-check itself fails on a wrong workbook" {
	run -0 mp-stats --by month --xlsx s.xlsx -o s.csv "$EX"
	sed '2s/^2024-04,58,/2024-04,59,/' s.csv > wrong.csv
	run -1 "$CHECK" table s.xlsx stats=wrong.csv
	assert_output --partial "stats!B2: episodes should be the number 59, found 58"
	run -1 "$CHECK" table s.xlsx other=s.csv
}

@test "LibreOffice renders the report workbook with its charts (skips without LibreOffice)" {
	command -v soffice >/dev/null && command -v pdftotext >/dev/null || skip "libreoffice-calc or poppler-utils not installed"
	run -0 mp-report --fy 2024-25 --now 2025-06-01T09:00 --format xlsx -o rep.xlsx "$EX"
	run -0 "$TOP/scripts/screenshot-workbook" rep.xlsx shots
	[ -s shots/rep-01.png ]
	run -0 pdftotext shots/rep.pdf -
	# The chart titles are drawn only by the charts (the tables have their own captions).
	assert_output --partial "Episodes and children by month, April 2024 to"
	assert_output --partial "Return home interviews by hours after the return"
}

@test "a signal mid-run leaves no workbook temp file behind" {
	# (INT and QUIT stay ignored in a background job of a script, as POSIX says.)
	for sig in TERM HUP USR1 PIPE; do
		rm -f fifo
		mkfifo fifo
		mp-stats --xlsx out.xlsx -o out.csv fifo 2>/dev/null 3>&- &
		pid=$!
		exec 5>fifo	# the command now waits for rows
		for _ in $(seq 50); do ls -A | grep -q '^\.mp-xlsx' && break; sleep 0.1; done
		run -0 sh -c 'ls -A | grep -c "^\.mp-xlsx"'
		assert_output 1
		kill -"$sig" "$pid"
		wait "$pid" || true
		exec 5>&-
		run -0 sh -c 'ls -A | grep -c "^\.mp-xlsx" || true'
		assert_output 0
		[ ! -e out.xlsx ]
	done
}
