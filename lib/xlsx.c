/* xlsx.c: typed Excel sheets through libxlsxwriter, put in place atomically. */
#include "xlsx.h"
#include "episode.h"
#include "err.h"
#include "tmpguard.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define XLSX_MAX_STR 32767	/* Excel's limit on the characters of a cell */
#define XLSX_MAX_WIDTH 50	/* fitted columns stop here; longer text wraps in Excel */

enum coltype { CT_AUTO, CT_TEXT, CT_PCT };

struct mp_xlsx_sheet {
	mp_xlsx *x;
	lxw_worksheet *ws;
	unsigned row, col;	/* the next cell */
	unsigned ncols;		/* header width */
	enum coltype *type;
	unsigned char *width;
	size_t ntype;
};

struct mp_xlsx {
	lxw_workbook *wb;
	char *path, *tmp;
	int failed;
	char err[256];
	lxw_format *head, *date, *datetime, *pct, *title, *heading, *bold, *wrap;
	mp_xlsx_sheet **sheets;
	size_t nsheets, csheets;
	char **names;		/* sheet names in use */
	size_t nnames, cnames;
	char *cell;		/* one cell's text, NUL-terminated for libxlsxwriter (reused) */
	size_t cellcap;
};

/* A temporary name beside path, short enough for any folder's name limit. */
static char *
temp_beside(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	char *t = mp_xmalloc(dirlen + 32);

	memcpy(t, path, dirlen);
	strcpy(t + dirlen, ".mp-xlsx.XXXXXX");
	return t;
}

static void
fail(mp_xlsx *x, const char *fmt, ...)
{
	va_list ap;

	if (x->failed++)
		return;
	va_start(ap, fmt);
	vsnprintf(x->err, sizeof x->err, fmt, ap);
	va_end(ap);
}

static lxw_format *
numfmt(lxw_workbook *wb, const char *f)
{
	lxw_format *fm = workbook_add_format(wb);
	format_set_num_format(fm, f);
	return fm;
}

static void
make_formats(mp_xlsx *x)
{
	x->head = workbook_add_format(x->wb);
	format_set_bold(x->head);
	format_set_bottom(x->head, LXW_BORDER_THIN);
	x->date = numfmt(x->wb, "dd/mm/yyyy");
	x->datetime = numfmt(x->wb, "dd/mm/yyyy hh:mm");
	x->pct = numfmt(x->wb, "0.0%");
	x->title = workbook_add_format(x->wb);
	format_set_bold(x->title);
	format_set_font_size(x->title, 16);
	x->heading = workbook_add_format(x->wb);
	format_set_bold(x->heading);
	format_set_font_size(x->heading, 13);
	x->bold = workbook_add_format(x->wb);
	format_set_bold(x->bold);
	x->wrap = workbook_add_format(x->wb);
	format_set_text_wrap(x->wrap);
}

mp_xlsx *
mp_xlsx_open(const char *path, int stream, char *err, size_t errsz)
{
	struct stat st;
	char *real = NULL;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "%s: not a regular file (a workbook is written to a file)", path);
		return NULL;
	}
	/* A symbolic link to a file: replace the file it points at, as -o does. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		real = realpath(path, NULL);
	mp_xlsx *x = mp_xcalloc(1, sizeof *x);
	x->path = real ? real : mp_xstrdup(path);
	x->tmp = temp_beside(x->path);
	int fd = mkstemp(x->tmp);
	if (fd < 0) {
		snprintf(err, errsz, "cannot create %s: %s", x->path, strerror(errno));
		free(x->tmp), free(x->path), free(x);
		return NULL;
	}
	close(fd);
	mp_tmp_track(x->tmp, 1);	/* removed if the program ends before the rename */
	lxw_workbook_options o = { .constant_memory = (uint8_t)(stream != 0), .tmpdir = NULL };
	x->wb = workbook_new_opt(x->tmp, &o);
	if (!x->wb) {
		snprintf(err, errsz, "cannot start a workbook for %s", x->path);
		mp_xlsx_discard(x);
		return NULL;
	}
	make_formats(x);
	return x;
}

const char *
mp_xlsx_path(const mp_xlsx *x)
{
	return x->path;
}

struct lxw_workbook *
mp_xlsx_workbook(mp_xlsx *x)
{
	return x->wb;
}

/* Excel's rules for sheet names: 31 characters, none of []:*?/\, unique. */
static void
sheet_name(mp_xlsx *x, const char *want, char *out, size_t outsz)
{
	char base[32];
	size_t n = 0;

	for (const char *p = want; *p && n < 31; p++)
		base[n++] = strchr("[]:*?/\\", *p) ? '_' : *p;
	base[n] = '\0';
	if (n == 0)
		strcpy(base, "Sheet");
	snprintf(out, outsz, "%s", base);
	for (int k = 2;; k++) {
		int clash = 0;
		for (size_t i = 0; i < x->nnames; i++)
			if (strcasecmp(x->names[i], out) == 0)
				clash = 1;
		if (!clash)
			break;
		snprintf(out, outsz, "%.*s (%d)", 25, base, k);
	}
	x->names = mp_xgrow(x->names, &x->cnames, x->nnames + 1, sizeof *x->names);
	x->names[x->nnames++] = mp_xstrdup(out);
}

struct lxw_worksheet *
mp_xlsx_free_sheet(mp_xlsx *x, const char *name, char *used, size_t usedsz)
{
	char nm[64];

	sheet_name(x, name, nm, sizeof nm);
	if (used)
		snprintf(used, usedsz, "%s", nm);
	return workbook_add_worksheet(x->wb, nm);
}

mp_xlsx_sheet *
mp_xlsx_sheet_add(mp_xlsx *x, const char *name)
{
	mp_xlsx_sheet *s = mp_xcalloc(1, sizeof *s);

	s->x = x;
	s->ws = mp_xlsx_free_sheet(x, name, NULL, 0);
	x->sheets = mp_xgrow(x->sheets, &x->csheets, x->nsheets + 1, sizeof *x->sheets);
	x->sheets[x->nsheets++] = s;
	return s;
}

/* ---- typing cells ---- */

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/*
 * Columns whose values are identifiers or codes: text, whatever they look
 * like.  A canonical column is typed by the episode vocabulary (dates and
 * line numbers by their value, every other kind text); these are the codes
 * of the other tables the commands write.
 */
static enum coltype
column_type(const char *name)
{
	static const char *const codes[] = {
		"child", "gender", "match", "status", "reason", "period", "group", "age_band",
		"duration_band", "rule", "field", "column", "approx", "week", "month",
		"miss_missing_episode_type", "miss_missing_rhi_offered", "miss_missing_rhi_accepted",
		"episode_ids", "message",
	};
	if (!name)
		return CT_AUTO;
	for (int c = 0; c < MP_NCOLS; c++)
		if (strcmp(name, mp_col_names[c]) == 0) {
			enum mp_type t = mp_vocab[c].type;
			return t == MP_T_DATE || t == MP_T_DATETIME || t == MP_T_INT ? CT_AUTO : CT_TEXT;
		}
	if (ends_with(name, "_pct"))
		return CT_PCT;
	if (ends_with(name, "id") || ends_with(name, "ids") || ends_with(name, "ref"))
		return CT_TEXT;
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
		if (strcasecmp(name, codes[i]) == 0)
			return CT_TEXT;
	return CT_AUTO;
}

/* A plain decimal: -?(0|[1-9]d*)(.d+)?, at most 15 significant digits. */
static int
as_number(const char *v, size_t len, double *out)
{
	size_t i = 0, digits = 0;
	char buf[40];

	if (len == 0 || len >= sizeof buf)
		return 0;
	if (v[i] == '-')
		i++;
	if (i == len || v[i] < '0' || v[i] > '9')
		return 0;
	if (v[i] == '0' && i + 1 < len && v[i + 1] != '.')
		return 0;	/* a leading zero: an id or code, keep it text */
	for (; i < len && v[i] >= '0' && v[i] <= '9'; i++)
		digits++;
	if (i < len && v[i] == '.') {
		if (++i == len)
			return 0;
		for (; i < len && v[i] >= '0' && v[i] <= '9'; i++)
			digits++;
	}
	if (i != len || digits > 15)
		return 0;
	memcpy(buf, v, len);
	buf[len] = '\0';
	*out = strtod(buf, NULL);
	return 1;
}

static int
num2(const char *p)
{
	return (p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9') ? (p[0] - '0') * 10 + p[1] - '0' : -1;
}

static int
valid_day(int y, int m, int d)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

/* The time of day after a date: [T ]HH:MM[:SS[.fff]] then an offset or Z (wall time kept). */
static int
time_part(const char *p, size_t len, lxw_datetime *dt)
{
	if (len == 0)
		return 1;
	if ((p[0] != 'T' && p[0] != ' ') || len < 6 || p[3] != ':')
		return 0;
	dt->hour = num2(p + 1), dt->min = num2(p + 4);
	size_t i = 6;
	if (i < len && p[i] == ':') {
		if (i + 3 > len || num2(p + i + 1) < 0 || num2(p + i + 1) > 59)
			return 0;
		dt->sec = num2(p + i + 1);
		i += 3;
		if (i < len && p[i] == '.')
			for (i++; i < len && p[i] >= '0' && p[i] <= '9'; i++)
				;
	}
	if (i < len && p[i] == 'Z')
		i++;
	else if (i + 6 == len && (p[i] == '+' || p[i] == '-') && num2(p + i + 1) >= 0 && p[i + 3] == ':')
		i += 6;
	return i == len && dt->hour >= 0 && dt->hour < 24 && dt->min >= 0 && dt->min < 60;
}

/* ISO YYYY-MM-DD[time] or UK DD/MM/YYYY[time]: 1 date, 2 date-time, 0 neither. */
static int
as_date(const char *v, size_t len, lxw_datetime *dt)
{
	int y, m, d;

	memset(dt, 0, sizeof *dt);
	if (len < 10)
		return 0;
	if (v[4] == '-' && v[7] == '-') {
		int hi = num2(v), lo = num2(v + 2);
		if (hi < 0 || lo < 0)
			return 0;
		y = hi * 100 + lo, m = num2(v + 5), d = num2(v + 8);
	} else if (v[2] == '/' && v[5] == '/') {
		int hi = num2(v + 6), lo = num2(v + 8);
		if (hi < 0 || lo < 0)
			return 0;
		d = num2(v), m = num2(v + 3), y = hi * 100 + lo;
	} else
		return 0;
	if (!valid_day(y, m, d) || !time_part(v + 10, len - 10, dt))
		return 0;
	dt->year = y, dt->month = m, dt->day = d;
	return len == 10 ? 1 : 2;
}

/* Display width in characters (UTF-8 continuation bytes not counted). */
static size_t
chars(const char *v, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)v[i] & 0xC0) != 0x80;
	return n;
}

/* Write one cell typed for its column; returns the width it needs. */
static size_t
write_typed(mp_xlsx *x, lxw_worksheet *ws, unsigned row, unsigned col, enum coltype t,
	    const char *v, size_t len)
{
	lxw_datetime dt;
	double num;
	int kind;

	if (len == 0)
		return 0;
	if (t != CT_TEXT && as_number(v, len, &num)) {
		worksheet_write_number(ws, row, (lxw_col_t)col, t == CT_PCT ? num / 100 : num,
				       t == CT_PCT ? x->pct : NULL);
		return len + 1;
	}
	if (t == CT_AUTO && (kind = as_date(v, len, &dt))) {
		worksheet_write_datetime(ws, row, (lxw_col_t)col, &dt, kind == 1 ? x->date : x->datetime);
		return kind == 1 ? 10 : 16;
	}
	size_t nch = chars(v, len);
	if (nch > XLSX_MAX_STR) {
		fail(x, "row %u, column %u: a value of %zu characters; an Excel cell holds at most %d",
		     row + 1, col + 1, nch, XLSX_MAX_STR);
		return 0;
	}
	x->cell = mp_xgrow(x->cell, &x->cellcap, len + 1, 1);
	memcpy(x->cell, v, len);
	x->cell[len] = '\0';
	lxw_error e = worksheet_write_string(ws, row, (lxw_col_t)col, x->cell, NULL);
	if (e != LXW_NO_ERROR)
		fail(x, "row %u, column %u: %s", row + 1, col + 1, lxw_strerror(e));
	return nch;
}

void
mp_xlsx_write_cell(mp_xlsx *x, struct lxw_worksheet *ws, unsigned row, unsigned col,
		   const char *colname, const char *v, size_t len)
{
	enum coltype t = column_type(colname);
	/* Free-form text such as "77.4%" is a percentage. */
	double num;
	if (len > 1 && v[len - 1] == '%' && as_number(v, len - 1, &num)) {
		worksheet_write_number(ws, row, (lxw_col_t)col, num / 100, x->pct);
		return;
	}
	write_typed(x, ws, row, col, t, v, len);
}

void
mp_xlsx_write_styled(mp_xlsx *x, struct lxw_worksheet *ws, unsigned row, unsigned col,
		     const char *text, enum mp_xlsx_style st)
{
	lxw_format *f = st == MP_XS_TITLE ? x->title : st == MP_XS_HEADING ? x->heading
		      : st == MP_XS_BOLD ? x->bold : x->wrap;
	size_t len = strlen(text);
	if (chars(text, len) > XLSX_MAX_STR) {
		fail(x, "row %u: a text of more than %d characters", row + 1, XLSX_MAX_STR);
		return;
	}
	worksheet_write_string(ws, row, (lxw_col_t)col, text, f);
}

static void
grow(mp_xlsx_sheet *s, unsigned col)
{
	size_t was = s->ntype, wcap = s->ntype;	/* the same growth, so the same room */

	if (col < s->ntype)
		return;
	s->type = mp_xgrow(s->type, &s->ntype, (size_t)col + 1, sizeof *s->type);
	s->width = mp_xgrow(s->width, &wcap, (size_t)col + 1, 1);
	for (size_t i = was; i < s->ntype; i++)
		s->type[i] = CT_AUTO, s->width[i] = 0;
}

void
mp_xlsx_field(mp_xlsx_sheet *s, const char *v, size_t len)
{
	mp_xlsx *x = s->x;
	unsigned col = s->col++;

	if (x->failed)
		return;
	if (col > LXW_COL_MAX - 1) {
		fail(x, "more than %d columns: an Excel sheet holds no more", LXW_COL_MAX);
		return;
	}
	if (s->row > LXW_ROW_MAX - 1) {
		fail(x, "more than %d rows: an Excel sheet holds no more (write CSV instead)",
		     LXW_ROW_MAX - 1);
		return;
	}
	grow(s, col);
	size_t w;
	if (s->row == 0) {
		char *name = mp_xstrndup(v, len);
		s->type[col] = column_type(name);
		if (len && worksheet_write_string(s->ws, 0, (lxw_col_t)col, name, x->head) != LXW_NO_ERROR)
			fail(x, "header column %u cannot be written", col + 1);
		free(name);
		w = chars(v, len) + 3;	/* room for the filter button */
	} else {
		w = write_typed(x, s->ws, s->row, col, s->type[col], v, len);
	}
	if (w > XLSX_MAX_WIDTH)
		w = XLSX_MAX_WIDTH;
	if (w > s->width[col])
		s->width[col] = (unsigned char)w;
}

void
mp_xlsx_end(mp_xlsx_sheet *s)
{
	if (s->row == 0)
		s->ncols = s->col;
	s->row++;
	s->col = 0;
}

/* Header frozen and filtered, widths fitted. */
static void
finish_sheet(mp_xlsx_sheet *s)
{
	worksheet_freeze_panes(s->ws, 1, 0);
	if (s->ncols > 0)
		worksheet_autofilter(s->ws, 0, 0, s->row > 0 ? s->row - 1 : 0, (lxw_col_t)(s->ncols - 1));
	for (size_t c = 0; c < s->ntype; c++)
		if (s->width[c])
			worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c,
					     s->width[c] < 8 ? 8 : s->width[c], NULL);
}

static void
free_all(mp_xlsx *x)
{
	for (size_t i = 0; i < x->nsheets; i++) {
		free(x->sheets[i]->type);
		free(x->sheets[i]->width);
		free(x->sheets[i]);
	}
	for (size_t i = 0; i < x->nnames; i++)
		free(x->names[i]);
	free(x->names);
	free(x->sheets);
	free(x->cell);
	free(x->tmp);
	free(x->path);
	free(x);
}

void
mp_xlsx_discard(mp_xlsx *x)
{
	if (!x)
		return;
	if (x->wb)
		lxw_workbook_free(x->wb);	/* frees without writing */
	unlink(x->tmp);
	mp_tmp_track(x->tmp, 0);
	free_all(x);
}

int
mp_xlsx_close(mp_xlsx *x, char *err, size_t errsz)
{
	struct stat st;
	int rc = -1;

	for (size_t i = 0; i < x->nsheets; i++)
		finish_sheet(x->sheets[i]);
	if (x->failed) {
		snprintf(err, errsz, "%s: %s", x->path, x->err);
		mp_xlsx_discard(x);
		return -1;
	}
	lxw_error e = workbook_close(x->wb);
	x->wb = NULL;
	mode_t um = umask(0);
	umask(um);
	if (e != LXW_NO_ERROR)
		snprintf(err, errsz, "%s: %s%s%s", x->path, lxw_strerror(e),
			 errno ? ": " : "", errno ? strerror(errno) : "");
	else if (chmod(x->tmp, stat(x->path, &st) == 0 ? (st.st_mode & 07777) : (0600 & ~um)) != 0)
		snprintf(err, errsz, "%s: %s", x->path, strerror(errno));
	else if (rename(x->tmp, x->path) != 0)
		snprintf(err, errsz, "cannot write %s: %s", x->path, strerror(errno));
	else
		rc = 0;
	if (rc != 0)
		unlink(x->tmp);
	mp_tmp_track(x->tmp, 0);
	free_all(x);
	return rc;
}
