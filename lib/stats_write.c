/* stats_write.c: the figures engine's rows as CSV/TSV or an aligned table (see stats.h). */
#include "stats_int.h"
#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO -1
const mp_stats_pct mp_stats_pcts[] = {
	{ "rhi_offered_pct", MP_ST_RHI_OFFERED, MP_ST_RHI_ELIGIBLE, { MP_ST_RHI_NOT_RECORDED, NO } },
	{ "rhi_accepted_pct", MP_ST_RHI_ACCEPTED, MP_ST_RHI_OFFERED, { NO, NO } },
	{ "rhi_held_pct", MP_ST_RHI_HELD, MP_ST_RHI_ACCEPTED, { NO, NO } },
	{ "rhi_held_in_time_pct", MP_ST_RHI_HELD_IN_TIME, MP_ST_RHI_HELD, { NO, NO } },
	{ "over_24h_pct", MP_ST_OVER_24H, MP_ST_EPISODES, { MP_ST_OPEN, NO } },
	{ "repeat_children_pct", MP_ST_REPEAT_CHILDREN, MP_ST_CHILDREN, { NO, NO } },
	{ "rhi_in_time_of_due_pct", MP_ST_RHI_HELD_IN_TIME, MP_ST_RHI_ELIGIBLE,
	  { MP_ST_RHI_NOT_RECORDED, MP_ST_RHI_PENDING } },
	{ "rhi_offered_in_time_pct", MP_ST_RHI_OFFERED_IN_TIME, MP_ST_RHI_OFFERED_DATED, { NO, NO } },
	{ "children_offered_pct", MP_ST_CHILDREN_OFFERED, MP_ST_CHILDREN_RHI_ELIGIBLE, { NO, NO } },
	{ "children_accepted_pct", MP_ST_CHILDREN_ACCEPTED, MP_ST_CHILDREN_OFFERED, { NO, NO } },
	{ "recurred_30d_pct", MP_ST_RECURRED, MP_ST_RECUR_RETURNS, { NO, NO } },
	{ "recurred_30d_held_pct", MP_ST_RECURRED_HELD, MP_ST_RECUR_RETURNS_HELD, { NO, NO } },
	{ "recurred_30d_not_held_pct", MP_ST_RECURRED_NOT_HELD, MP_ST_RECUR_RETURNS_NOT_HELD, { NO, NO } },
};
const size_t mp_stats_npcts = sizeof mp_stats_pcts / sizeof mp_stats_pcts[0];

int
mp_stats_pct_of(const mp_stats *st, const mp_stats_row *row, size_t p, long *num, long *den)
{
	const mp_stats_pct *x = &mp_stats_pcts[p];

	if (!mp_stats_recorded(st, x->num) || !mp_stats_recorded(st, x->den))
		return 0;
	*num = row->n[x->num];
	*den = row->n[x->den];
	for (int i = 0; i < 2; i++)
		if (x->less[i] != NO) {
			if (!mp_stats_recorded(st, (enum mp_stats_count)x->less[i]))
				return 0;
			*den -= row->n[x->less[i]];
		}
	return 1;
}

const char *
mp_stats_pct_format(long num, long den, char *buf)
{
	if (den <= 0) {
		buf[0] = '\0';
		return buf;
	}
	long t = (long)(((long long)num * 2000 / den + 1) / 2);
	snprintf(buf, 24, "%ld.%ld", t / 10, t % 10);
	return buf;
}

const char *
mp_stats_hours_format(long tenths, char *buf)
{
	if (tenths < 0)
		buf[0] = '\0';
	else
		snprintf(buf, 24, "%ld.%ld", tenths / 10, tenths % 10);
	return buf;
}

/* The cells of one output row as strings (period, groups, counts, median, percentages). */
static size_t
row_cells(const mp_stats *st, const mp_stats_row *row, int percent, const char **out, char (*buf)[24])
{
	size_t n = 0, b = 0;

	out[n++] = row->period;
	for (int g = 0; g < st->cfg.ngroups; g++)
		out[n++] = row->group[g];
	for (int k = 0; k < MP_ST_NCOUNTS; k++) {
		if (k == MP_ST_OVER_24H)
			out[n++] = mp_stats_hours_format(row->median_tenths, buf[b++]);
		if (mp_stats_recorded(st, (enum mp_stats_count)k))
			snprintf(buf[b], 24, "%ld", row->n[k]);
		else
			buf[b][0] = '\0';
		out[n++] = buf[b++];
	}
	for (size_t p = 0; percent && p < mp_stats_npcts; p++) {
		long num, den;
		if (mp_stats_pct_of(st, row, p, &num, &den))
			out[n++] = mp_stats_pct_format(num, den, buf[b++]);
		else
			out[n++] = "";
	}
	return n;
}

static size_t
header_cells(const mp_stats *st, int percent, const char **out)
{
	size_t n = 0;

	out[n++] = "period";
	for (int g = 0; g < st->cfg.ngroups; g++)
		out[n++] = st->gname[g];
	for (int k = 0; k < MP_ST_NCOUNTS; k++) {
		if (k == MP_ST_OVER_24H)
			out[n++] = "median_hours";
		out[n++] = mp_stats_count_names[k];
	}
	for (size_t p = 0; percent && p < mp_stats_npcts; p++)
		out[n++] = mp_stats_pcts[p].name;
	return n;
}

#define MAXCELLS (1 + MP_STATS_MAX_GROUPS + MP_ST_NCOUNTS + 1 + 16)

void
mp_stats_write(const mp_stats *st, mp_writer *w, int percent)
{
	const char *cells[MAXCELLS];
	char buf[MAXCELLS][24];
	size_t n = header_cells(st, percent, cells);

	for (size_t i = 0; i < n; i++)
		mp_writer_str(w, cells[i]);
	mp_writer_end(w);
	for (size_t r = 0; r < st->nrows; r++) {
		n = row_cells(st, &st->rows[r], percent, cells, buf);
		for (size_t i = 0; i < n; i++)
			mp_writer_str(w, cells[i]);
		mp_writer_end(w);
	}
}

/*
 * A value for a terminal: control characters (ESC, BEL, ...) escaped as in
 * messages (\n, \t, \r, \xHH), so data cannot drive the terminal.  Returns
 * s itself when nothing needs escaping, else a new string (*own set).
 */
static const char *
terminal_safe(const char *s, char **own)
{
	size_t n = 0, extra = 0;

	for (; s[n]; n++)
		if ((unsigned char)s[n] < 0x20 || s[n] == 0x7f)
			extra += 3;
	*own = NULL;
	if (!extra)
		return s;
	char *b = mp_xmalloc(n + extra + 1), *o = b;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n' || c == '\t' || c == '\r')
			o += sprintf(o, "\\%c", c == '\n' ? 'n' : c == '\t' ? 't' : 'r');
		else if (c < 0x20 || c == 0x7f)
			o += sprintf(o, "\\x%02X", c);
		else
			*o++ = (char)c;
	}
	*o = '\0';
	*own = b;
	return b;
}

/* Display width of a UTF-8 string (code points). */
static size_t
width(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The cells of row r (-1: the header), as they show on a terminal; own: what to free. */
static size_t
pretty_cells(const mp_stats *st, long r, int percent, const char **cells, char (*buf)[24], char **own)
{
	size_t n = r < 0 ? header_cells(st, percent, cells) : row_cells(st, &st->rows[r], percent, cells, buf);
	size_t ntext = 1 + (size_t)st->cfg.ngroups;

	for (size_t i = 0; i < n; i++) {
		own[i] = NULL;
		if (r >= 0 && !*cells[i])
			cells[i] = i < ntext ? "(blank)" : "-";
		else
			cells[i] = terminal_safe(cells[i], &own[i]);
	}
	return n;
}

void
mp_stats_write_pretty(const mp_stats *st, mp_writer *w, int percent)
{
	const char *cells[MAXCELLS];
	char buf[MAXCELLS][24], *own[MAXCELLS];
	size_t wd[MAXCELLS] = { 0 }, n = 0, ntext = 1 + (size_t)st->cfg.ngroups;

	for (long r = -1; r < (long)st->nrows; r++) {
		n = pretty_cells(st, r, percent, cells, buf, own);
		for (size_t i = 0; i < n; i++) {
			if (width(cells[i]) > wd[i])
				wd[i] = width(cells[i]);
			free(own[i]);
		}
	}
	for (long r = -1; r < (long)st->nrows; r++) {
		n = pretty_cells(st, r, percent, cells, buf, own);
		for (size_t i = 0; i < n; i++) {
			size_t pad = wd[i] - width(cells[i]);
			int left = i < ntext;
			if (i)
				mp_writer_raw(w, "  ", 2);
			for (size_t k = 0; !left && k < pad; k++)
				mp_writer_raw(w, " ", 1);
			mp_writer_raw(w, cells[i], strlen(cells[i]));
			for (size_t k = 0; left && i + 1 < n && k < pad; k++)
				mp_writer_raw(w, " ", 1);
			free(own[i]);
		}
		mp_writer_raw(w, "\n", 1);
	}
}
