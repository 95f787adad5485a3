/* scan: mp_scan gives the records, lines and messages of mp_input; repeat.h's spans and ISO weeks (TAP). */
#include "err.h"
#include "input.h"
#include "mptime.h"
#include "repeat.h"
#include "scan.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Append one record (or its problem) to a growing text. */
static void
render(char **buf, size_t *len, int st, const mp_record *r, long bl, const char *bf, const char *bm)
{
	char line[512];
	int n;

	if (st == MP_READ_BAD)
		n = snprintf(line, sizeof line, "BAD %ld [%s] %s\n", bl, bf ? bf : "-", bm);
	else {
		n = snprintf(line, sizeof line, "OK %ld:", r->line);
		for (size_t i = 0; i < r->n && n < (int)sizeof line - 80; i++)
			n += snprintf(line + n, sizeof line - (size_t)n, "|%.*s%s", r->f[i].len > 60 ? 60 : (int)r->f[i].len,
				      r->f[i].s, strlen(r->f[i].s) == r->f[i].len ? "" : "<len>");
		n += snprintf(line + n, sizeof line - (size_t)n, "\n");
	}
	*buf = mp_xrealloc(*buf, *len + (size_t)n + 1);
	memcpy(*buf + *len, line, (size_t)n + 1);
	*len += (size_t)n;
}

static char *
write_tmp(const char *data, size_t len)
{
	static char path[64];
	strcpy(path, "/tmp/mp-scan-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		abort();
	close(fd);
	return path;
}

/* Both readers over the same bytes must agree record by record. */
static void
same(const char *name, const char *data, size_t len)
{
	char *path = write_tmp(data, len), *files[] = { path };
	char *a = NULL, *b = NULL;
	size_t al = 0, bl = 0;
	mp_record *r;
	int st;

	mp_input *in = mp_input_open(1, files, MP_CSV, MP_UTF8);
	while ((st = mp_input_next(in, &r)) != MP_READ_EOF) {
		mp_reader *rd = mp_input_reader(in);
		render(&a, &al, st, r, mp_reader_bad_line(rd), mp_reader_bad_field(rd), mp_reader_bad_msg(rd));
	}
	render(&a, &al, MP_READ_BAD, NULL, mp_input_count(in), "count", "");
	mp_input_close(in);
	mp_scan *s = mp_scan_open(1, files, MP_CSV, MP_UTF8);
	while ((st = mp_scan_next(s, &r)) != MP_READ_EOF)
		render(&b, &bl, st, r, mp_scan_bad_line(s), mp_scan_bad_field(s), mp_scan_bad_msg(s));
	render(&b, &bl, MP_READ_BAD, NULL, mp_scan_count(s), "count", "");
	mp_scan_close(s);
	TAP_STREQ(b, a, "%s", name);
	unlink(path);
	free(a);
	free(b);
}

#define SAME(name, lit) same(name, lit, sizeof lit - 1)

/*
 * Records across the scanner's buffer edges: a 3 MB quoted field over
 * 300,000 lines, then 200,000 short rows, every 997th with bad quoting.
 * Checked against what was written (mp_input is too slow for this under
 * the sanitizers).
 */
static void
big_input(void)
{
	size_t cap = 8u << 20, len = 0;
	char *big = mp_xmalloc(cap), *path, *files[1];
	int rows = 0, st, bad = 0, badq = 0;
	mp_record *r;

	len += (size_t)sprintf(big, "a,b,c\n\"");
	for (int i = 0; i < 300000; i++)
		len += (size_t)sprintf(big + len, "line %05d\n", i % 100000);
	len += (size_t)sprintf(big + len, "\",\"q\"\"\",z\n");
	for (rows = 0; rows < 200000 && len + 64 < cap; rows++)
		len += (size_t)sprintf(big + len, rows % 997 ? "%d,\"%d\",c\r\n" : "%d,x\"%d,c\n", rows, rows);
	files[0] = path = write_tmp(big, len);
	mp_scan *s = mp_scan_open(1, files, MP_CSV, MP_UTF8);
	st = mp_scan_next(s, &r);
	TAP_OK(st == MP_READ_OK && r->line == 2 && r->n == 3 && r->f[0].len == 3300000 &&
	       memcmp(r->f[0].s + 3300000 - 11, "line 99999\n", 11) == 0 && strcmp(r->f[1].s, "q\"") == 0,
	       "a 3 MB quoted field over 300,000 lines is one record");
	for (int i = 0; i < rows; i++) {
		char want[32];
		long line = 300003 + i;
		st = mp_scan_next(s, &r);
		if (i % 997 == 0) {
			badq++;
			bad += st != MP_READ_BAD || mp_scan_bad_line(s) != line;
			continue;
		}
		snprintf(want, sizeof want, "%d", i);
		bad += st != MP_READ_OK || r->line != line || r->n != 3 || strcmp(r->f[0].s, want) != 0 ||
		       strcmp(r->f[1].s, want) != 0 || strcmp(r->f[2].s, "c") != 0;
	}
	TAP_OK(bad == 0 && mp_scan_next(s, &r) == MP_READ_EOF && mp_scan_count(s) == rows + 1,
	       "%d rows after it, %d with bad quoting, each on its line (%d wrong)", rows, badq, bad);
	mp_scan_close(s);
	unlink(path);
	free(big);
}

static void
spans(void)
{
	/* Days 0, 29, 30, 89, 90: a 30-day span holds 0 and 29; a 90-day one 0..89 (or 30..90, later). */
	int32_t days[] = { 0, 29, 30, 89, 90 };
	mp_rep_ep e[5];
	size_t first, n;

	memset(e, 0, sizeof e);
	for (int i = 0; i < 5; i++)
		e[i].day = days[i];
	n = mp_repeat_fullest(e, 5, 30, &first);
	TAP_OK(n == 2 && first == 0, "30 days: 2 from day 0 (ties go to the earliest): got %zu from %zu", n, first);
	n = mp_repeat_fullest(e, 5, 90, &first);
	TAP_OK(n == 4 && first == 0, "90 days: 4 from day 0: got %zu from %zu", n, first);
	n = mp_repeat_fullest(e, 5, 1, &first);
	TAP_OK(n == 1 && first == 0, "1 day: 1: got %zu from %zu", n, first);
	n = mp_repeat_fullest(e, 0, 90, &first);
	TAP_OK(n == 0, "no episodes: 0");
}

static void
weeks(void)
{
	static const struct { int y, m, d, wy, w; } t[] = {
		{ 2024, 12, 30, 2025, 1 }, { 2025, 1, 5, 2025, 1 }, { 2025, 1, 6, 2025, 2 },
		{ 2021, 1, 3, 2020, 53 }, { 2020, 12, 31, 2020, 53 }, { 2026, 12, 31, 2026, 53 },
		{ 2027, 1, 3, 2026, 53 }, { 2027, 1, 4, 2027, 1 }, { 2025, 2, 1, 2025, 5 },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		int y, w;
		mp_iso_week(mp_days_from_civil(t[i].y, t[i].m, t[i].d), &y, &w);
		TAP_OK(y == t[i].wy && w == t[i].w, "%04d-%02d-%02d is %04d-W%02d (got %04d-W%02d)", t[i].y, t[i].m,
		       t[i].d, t[i].wy, t[i].w, y, w);
	}
}

int
main(void)
{
	mp_set_progname("scan");
	SAME("plain rows", "a,b,c\n1,2,3\n4,5,6\n");
	SAME("no newline at the end", "a,b,c\n1,2,3");
	SAME("CRLF and blank lines", "a,b,c\r\n\r\n1,2,3\r\n\n\n4,5,6\r\n");
	SAME("byte-order mark", "\xEF\xBB\xBF" "a,b,c\n1,2,3\n");
	SAME("byte-order mark before a quoted name", "\xEF\xBB\xBF\"a\",b,c\n1,2,3\n");
	SAME("quoted fields, escaped quotes, commas, newlines", "a,b,c\n\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\"\n4,\"\",6\n");
	SAME("spaces are kept", "a,b,c\n 1 ,\t2, 3\n");
	SAME("ragged rows", "a,b,c\n1,2\n1,2,3,4\n1,2,3\n");
	SAME("a quote inside an unquoted field", "a,b,c\n1,x\"y,3\n4,5,6\n");
	SAME("text after a closing quote", "a,b,c\n\"1\"x,2,3\n4,5,6\n");
	SAME("bad quoting on a later line of a record", "a,b,c\n\"1\n2\"x,2,3\n4,5,6\n");
	SAME("unterminated quote", "a,b,c\n1,2,3\n\"4,5,6\n7,8,9\n");
	SAME("unterminated quote, no newline at the end", "a,b,c\n\"4,5,6");
	SAME("invalid UTF-8", "a,b,c\n1,\xff,3\n1,2,\xC3\n\xC3\xA9,2,3\n");
	SAME("NUL byte", "a,b,c\n1,2\0x,3\n4,5,6\n");
	SAME("empty fields", "a,b,c\n,,\n\"\",,\"\"\n");
	SAME("header only", "a,b,c\n");

	big_input();
	spans();
	weeks();
	return tap_done();
}
