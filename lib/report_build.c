/* report_build.c: the model of mp-report: sections, paragraphs and tables from the figures gathered. */
#include "report_int.h"
#include "rhidue.h"
#include "alert.h"
#include "err.h"
#include "mptime.h"
#include "period.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building the model ---- */

/*
 * A copy of s safe to show in every format: line breaks, tabs and other
 * control characters (C0, DEL, and the C1 range U+0080-U+009F, which
 * terminals read as escapes) are written escaped as mp_show writes them,
 * so a value can neither break a table nor reach a terminal as a command.
 */
char *
mp_report_clean(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += *p < 0x20 || *p == 0x7f ? 4 : *p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f ? 6 : 1;
	char *t = mp_xmalloc(n + 1), *o = t;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t')
			o += sprintf(o, "\\%c", *p == '\n' ? 'n' : *p == '\r' ? 'r' : 't');
		else if (*p < 0x20 || *p == 0x7f)
			o += sprintf(o, "\\x%02X", *p);
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			o += sprintf(o, "\\u%04X", p[1]), p++;
		else
			*o++ = (char)*p;
	}
	*o = '\0';
	return t;
}

size_t
mp_report_long_date(char *buf, size_t sz, int64_t day)
{
	static const char *const months[] = { "January", "February", "March", "April", "May", "June", "July",
					       "August", "September", "October", "November", "December" };
	int y, m, dd;
	mp_civil_from_days(day, &y, &m, &dd);
	return (size_t)snprintf(buf, sz, "%d %s %d", dd, months[m - 1], y);
}

/* "February 2025" for a month key. */
static void
month_name(char *buf, size_t sz, int64_t key)
{
	static const char *const months[] = { "January", "February", "March", "April", "May", "June", "July",
					       "August", "September", "October", "November", "December" };
	int64_t first, last;
	int y, m, dd;
	mp_period_days(MP_BY_MONTH, key, &first, &last);
	mp_civil_from_days(first, &y, &m, &dd);
	snprintf(buf, sz, "%s %d", months[m - 1], y);
}

/* The report's own tallies (rgroup) summed over the groups whose children are counted. */
typedef struct rtally {
	long hist[NHIST], date_in, date_late, held_before, fac_episodes;
	long due, overdue, due24;	/* from sources that record interviews */
	long again;			/* missing_again, from those sources */
} rtally;

static void
tally(const mp_report_data *d, enum mp_children mode, rtally *t)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < d->ngrp; i++) {
		const rgroup *g = &d->grp[i];
		if (!report_group_kept(d, i, mode))
			continue;
		for (int k = 0; k < NHIST; k++)
			t->hist[k] += g->hist[k];
		t->date_in += g->date_in;
		t->date_late += g->date_late;
		t->held_before += g->held_before;
		t->fac_episodes += g->fac_episodes;
		if (report_group_recorded(d, i)) {
			t->due += g->due;
			t->overdue += g->overdue;
			t->due24 += g->due24;
			t->again += g->again;
		}
	}
}

struct ctx {
	mp_report_data *d;
	mp_report *r;
	rp_section *sec;
	char buf[16][128];
	int nb;
	rtally t;		/* the report's own tallies over the groups counted */
};

/* A count as shown: "[c]" when suppressed. */
static const char *
C(struct ctx *x, long n)
{
	char *b = x->buf[x->nb++ & 15];
	if (x->d->cfg.suppress && n > 0 && n < x->d->cfg.suppress)
		return "[c]";
	snprintf(b, 48, "%ld", n);
	return b;
}

static int
suppressed(const struct ctx *x, long n)
{
	return x->d->cfg.suppress && n > 0 && n < x->d->cfg.suppress;
}

/* A percentage as shown: "73.3%", "[c]" when built on a suppressed count, "-" of nothing. */
static const char *
P(struct ctx *x, long num, long den)
{
	char *b = x->buf[x->nb++ & 15];
	if (den <= 0)
		return "-";
	if (suppressed(x, num) || suppressed(x, den))
		return "[c]";
	mp_stats_pct_format(num, den, b);
	strcat(b, "%");
	return b;
}


/* A count and its noun: "1 child", "2 children", "[c] children". */
static const char *
NP(struct ctx *x, long n, const char *one, const char *many)
{
	char *b = x->buf[x->nb++ & 15];
	snprintf(b, 48, "%s %s", C(x, n), n == 1 && !suppressed(x, n) ? one : many);
	return b;
}

static rp_section *
section(struct ctx *x, const char *id, const char *title)
{
	mp_report *r = x->r;
	r->s = mp_xgrow(r->s, &r->cs, r->ns + 1, sizeof *r->s);
	rp_section *s = &r->s[r->ns++];
	memset(s, 0, sizeof *s);
	s->id = mp_xstrdup(id);
	s->title = mp_report_clean(title);
	x->sec = s;
	return s;
}

static rp_block *
block(struct ctx *x, enum rp_block_kind k)
{
	rp_section *s = x->sec;
	s->b = mp_xgrow(s->b, &s->cb, s->nb + 1, sizeof *s->b);
	rp_block *b = &s->b[s->nb++];
	memset(b, 0, sizeof *b);
	b->kind = k;
	return b;
}

__attribute__((format(printf, 3, 4))) static void
para(struct ctx *x, enum rp_block_kind k, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = mp_xvasprintf(fmt, ap);
	va_end(ap);
	block(x, k)->text = mp_report_clean(s);
	free(s);
}

static void free_table(rp_table *t);

/* Drop the section's last block when it is a table with no rows. */
static void
drop_if_empty(struct ctx *x)
{
	rp_block *b = &x->sec->b[x->sec->nb - 1];
	if (b->kind == RP_TABLE && b->t->nrows == 0) {
		free_table(b->t);
		free(b->text);
		x->sec->nb--;
	}
}

/* A new table with the column heads (a leading '>' marks a number column). */
static rp_table *
table(struct ctx *x, const char *caption, size_t ncols, const char *const *head)
{
	rp_table *t = mp_xcalloc(1, sizeof *t);
	t->caption = caption ? mp_report_clean(caption) : NULL;
	t->ncols = ncols;
	t->head = mp_xcalloc(ncols, sizeof *t->head);
	t->right = mp_xcalloc(ncols, sizeof *t->right);
	for (size_t i = 0; i < ncols; i++) {
		t->right[i] = head[i][0] == '>';
		t->head[i] = mp_xstrdup(head[i] + t->right[i]);
	}
	block(x, RP_TABLE)->t = t;
	return t;
}

/* Start a row; returns its first cell. */
static rp_cell *
row(rp_table *t)
{
	t->cells = mp_xgrow(t->cells, &t->crows, t->nrows + 1, t->ncols * sizeof *t->cells);
	rp_cell *c = &t->cells[t->nrows * t->ncols];
	memset(c, 0, t->ncols * sizeof *c);
	t->nrows++;
	return c;
}

static void
cell_text(rp_cell *c, const char *s)
{
	c->s = mp_report_clean(s);
	c->v = -1;
}

/* A count cell: shown (perhaps suppressed), charted, keyed. */
static void
cell_count(struct ctx *x, rp_cell *c, long n, const char *key)
{
	c->s = mp_xstrdup(C(x, n));
	c->v = suppressed(x, n) ? -1 : n;
	c->key = key ? mp_xstrdup(key) : NULL;
}

static void
cell_pct(struct ctx *x, rp_cell *c, long num, long den)
{
	c->s = mp_xstrdup(P(x, num, den));
	c->v = -1;
}

/*
 * Secondary suppression (--secondary, on by default with --suppress): in a
 * group of counts that add up to a total shown elsewhere, one hidden count
 * could be worked out from the total and the others (SEND 40 - 37), so
 * when exactly one is hidden the next smallest non-zero one is hidden too.
 * hide[i] is set for every count of v[0..n) to show as [c].
 */
static void
hide_group(const struct ctx *x, const long *v, size_t n, int *hide)
{
	size_t k = 0, best = n;
	for (size_t i = 0; i < n; i++)
		k += hide[i] = hide[i] || suppressed(x, v[i]);
	if (k != 1 || !x->d->cfg.suppress || !x->d->cfg.secondary)
		return;
	for (size_t i = 0; i < n; i++)
		if (!hide[i] && v[i] > 0 && (best == n || v[i] < v[best]))
			best = i;
	if (best < n)
		hide[best] = 1;
}

static int
cell_hidden(const rp_cell *c)
{
	return c->s && strcmp(c->s, "[c]") == 0;
}

static void
cell_hide(rp_cell *c)
{
	free(c->s);
	c->s = mp_xstrdup("[c]");
	c->v = -1;
}

/* Hide, in one row, every percentage built on a hidden count (pct_of). */
static void
hide_row_pcts(rp_table *t, size_t r)
{
	rp_cell *c = &t->cells[r * t->ncols];
	for (size_t j = 0; j < t->ncols; j++)
		if (t->pct_of && t->pct_of[j] >= 0 && cell_hidden(&c[t->pct_of[j]]) && !cell_hidden(&c[j]))
			cell_hide(&c[j]);
}

/* One column (or one row's parts) of a table as a group: hide what hide_group says. */
static int
secondary_cells(struct ctx *x, rp_cell **cells, size_t n)
{
	long *v = mp_xcalloc(n + 1, sizeof *v);
	int *hide = mp_xcalloc(n + 1, sizeof *hide), changed = 0;
	for (size_t i = 0; i < n; i++) {
		v[i] = cells[i]->v;
		hide[i] = cell_hidden(cells[i]);
	}
	hide_group(x, v, n, hide);
	for (size_t i = 0; i < n; i++)
		if (hide[i] && !cell_hidden(cells[i])) {
			cell_hide(cells[i]);
			changed = 1;
		}
	free(v);
	free(hide);
	return changed;
}

/*
 * The secondary suppression of a table: its columns marked part[] (counts
 * adding up to a total), and the row parts marked rowpart[]; repeated
 * until nothing changes, then the percentages built on hidden counts.
 */
static void
secondary_table(struct ctx *x, rp_table *t)
{
	if (!x->d->cfg.suppress || !t->part)
		return;
	rp_cell **g = mp_xcalloc(t->nrows + t->ncols + 1, sizeof *g);
	for (int changed = 1, pass = 0; changed && pass < 8; pass++) {
		changed = 0;
		for (size_t j = 0; j < t->ncols; j++) {
			if (!t->part[j])
				continue;
			for (size_t i = 0; i < t->nrows; i++)
				g[i] = &t->cells[i * t->ncols + j];
			changed |= secondary_cells(x, g, t->nrows);
		}
		for (size_t i = 0; t->rowpart && i < t->nrows; i++) {
			size_t n = 0;
			for (size_t j = 0; j < t->ncols; j++)
				if (t->rowpart[j])
					g[n++] = &t->cells[i * t->ncols + j];
			changed |= secondary_cells(x, g, n);
		}
	}
	for (size_t i = 0; i < t->nrows; i++)
		hide_row_pcts(t, i);
	free(g);
}

/* Mark a table's additive columns ("12"), row parts ("45" or NULL) and percentage bases ("3:2,6:5"). */
static void
additive(rp_table *t, const char *parts, const char *rowparts, const char *pcts)
{
	t->part = mp_xcalloc(t->ncols, sizeof *t->part);
	t->pct_of = mp_xcalloc(t->ncols, sizeof *t->pct_of);
	for (size_t j = 0; j < t->ncols; j++)
		t->pct_of[j] = -1;
	for (const char *p = parts; *p; p++)
		if (*p >= '0' && *p <= '9' && (size_t)(*p - '0') < t->ncols)
			t->part[*p - '0'] = 1;
	if (rowparts) {
		t->rowpart = mp_xcalloc(t->ncols, sizeof *t->rowpart);
		for (const char *p = rowparts; *p; p++)
			if (*p >= '0' && *p <= '9' && (size_t)(*p - '0') < t->ncols)
				t->rowpart[*p - '0'] = 1;
	}
	for (const char *p = pcts; p[0] && p[1] && p[2]; p += p[3] ? 4 : 3)
		if ((size_t)(p[0] - '0') < t->ncols && (size_t)(p[2] - '0') < t->ncols)
			t->pct_of[p[0] - '0'] = p[2] - '0';
}

/* Mark a finished table as additive() and apply the secondary suppression. */
static void
protect(struct ctx *x, rp_table *t, const char *parts, const char *rowparts, const char *pcts)
{
	additive(t, parts, rowparts, pcts);
	secondary_table(x, t);
}

/*
 * Whether the input records column c (present and set on some row); when
 * not, the figures that need it are "not recorded", and a note naming the
 * column is added once.
 */
static int
recorded(struct ctx *x, enum mp_col c)
{
	mp_report_data *d = x->d;
	if (d->seen >> c & 1)
		return 1;
	if (!(d->noted >> c & 1) && d->rows) {
		d->noted |= UINT64_C(1) << c;
		x->r->notes = mp_xgrow(x->r->notes, &x->r->cnotes, x->r->nnotes + 1, sizeof *x->r->notes);
		x->r->notes[x->r->nnotes++] =
			mp_xasprintf("warning: %s: %s: the figures that need it are not recorded", mp_col_names[c],
				  d->cm.idx[c] < 0 ? "not in the input" : "empty on every row");
	}
	return 0;
}

/* The rows of an engine. */
static const mp_stats_row *
erow(mp_report_data *d, int e, size_t i)
{
	return mp_stats_row_at(report_engine(d, e), i);
}

static size_t
enrows(mp_report_data *d, int e)
{
	return report_engine(d, e) ? mp_stats_nrows(report_engine(d, e)) : 0;
}

/* Labels for the care-status codes. */
static const char *
care_label(const char *cs, const char *pl, int with_placement)
{
	if (strcmp(cs, "lac") == 0) {
		if (!with_placement)
			return "looked after";
		if (strcmp(pl, "in_area") == 0)
			return "looked after, in area";
		if (strcmp(pl, "out_of_area") == 0)
			return "looked after, out of area";
		return "looked after, placement unknown";
	}
	if (strcmp(cs, "cp") == 0)
		return "child protection plan";
	if (strcmp(cs, "cin") == 0)
		return "child in need";
	if (strcmp(cs, "eh") == 0)
		return "early help";
	if (strcmp(cs, "referral") == 0)
		return "open referral";
	if (strcmp(cs, "none") == 0)
		return "not open to social care";
	if (!*cs)
		return "not recorded";
	return cs;
}

static int
care_rank(const char *cs, const char *pl)
{
	static const char *const order[] = { "lac", "cp", "cin", "eh", "referral", "none" };
	for (int i = 0; i < 6; i++)
		if (strcmp(cs, order[i]) == 0)
			return i * 4 + (i == 0 ? (strcmp(pl, "in_area") == 0 ? 0 : strcmp(pl, "out_of_area") == 0 ? 1 : 2) : 0);
	return *cs ? 30 : 40;
}

static const char *
reason_label(const char *r)
{
	static const char *const map[][2] = {
		{ "declined_child", "declined by the child" }, { "declined_parent", "declined by the parent or carer" },
		{ "no_contact", "no contact despite attempts" }, { "custody", "child in custody" },
		{ "missing_again", "not offered: missing again" }, { "other", "other reason" },
		{ "", "no reason recorded" },
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (strcmp(r, map[i][0]) == 0)
			return map[i][1];
	return r;
}

/* Sort indexes of group rows by episodes, most first, then label. */
static const mp_stats_row *sort_rows;
static int sort_ng;
static int
cmp_rows(const void *a, const void *b)
{
	const mp_stats_row *x = &sort_rows[*(const size_t *)a], *y = &sort_rows[*(const size_t *)b];
	if (x->n[MP_ST_EPISODES] != y->n[MP_ST_EPISODES])
		return x->n[MP_ST_EPISODES] > y->n[MP_ST_EPISODES] ? -1 : 1;
	return sort_ng ? strcmp(x->group[0], y->group[0]) : 0;
}

static void
key_of(char *buf, size_t sz, const char *what, const char *group, const char *count)
{
	snprintf(buf, sz, "%s/%s/%s", what, group, count);
}

/* A count cell keyed what/group/count (the HTML data-fig of an mp-stats figure). */
static void
cell_fig(struct ctx *x, rp_cell *c, const char *what, const char *group, const char *count, long n)
{
	char k[256];
	key_of(k, sizeof k, what, group, count);
	cell_count(x, c, n, k);
}

/*
 * A breakdown table of one grouped engine: value, episodes, children, % of
 * children; keep (when not NULL) says which values have a row.
 */
static void
breakdown_if(struct ctx *x, int e, const char *caption, const char *colname, const char *keyname, int sort,
	     const char *(*label)(const char *), int (*keep)(const char *))
{
	mp_report_data *d = x->d;
	long children = erow(d, E_TOTAL, 0)->n[MP_ST_CHILDREN];
	const char *head[] = { colname, ">episodes", ">children", ">% of children" };
	rp_table *t = table(x, caption, 4, head);
	size_t n = enrows(d, e);
	size_t *ix = mp_xcalloc(n + 1, sizeof *ix);
	for (size_t i = 0; i < n; i++)
		ix[i] = i;
	if (sort && n) {
		sort_rows = erow(d, e, 0);
		sort_ng = mp_stats_ngroups(d->e[e]);
		qsort(ix, n, sizeof *ix, cmp_rows);
	}
	for (size_t i = 0; i < n; i++) {
		const mp_stats_row *rw = erow(d, e, ix[i]);
		const char *g = mp_stats_ngroups(d->e[e]) ? rw->group[0] : "";
		if (keep && !keep(g))
			continue;
		rp_cell *c = row(t);
		cell_text(&c[0], label ? label(g) : *g ? g : "not recorded");
		cell_fig(x, &c[1], keyname, g, "episodes", rw->n[MP_ST_EPISODES]);
		cell_fig(x, &c[2], keyname, g, "children", rw->n[MP_ST_CHILDREN]);
		cell_pct(x, &c[3], rw->n[MP_ST_CHILDREN], children);
	}
	free(ix);
	protect(x, t, "12", NULL, "3:2");
}

static void
breakdown(struct ctx *x, int e, const char *caption, const char *colname, const char *keyname, int sort,
	  const char *(*label)(const char *))
{
	breakdown_if(x, e, caption, colname, keyname, sort, label, NULL);
}

/* The national ethnicity codes (as the DfE returns use them) in words. */
static const char *const ethnicity_words[][2] = {
	{ "WBRI", "White British" }, { "WIRI", "White Irish" }, { "WIRT", "Traveller of Irish heritage" },
	{ "WROM", "Gypsy/Roma" }, { "WOTH", "Any other White background" },
	{ "MWBC", "White and Black Caribbean" }, { "MWBA", "White and Black African" },
	{ "MWAS", "White and Asian" }, { "MOTH", "Any other mixed background" }, { "AIND", "Indian" },
	{ "APKN", "Pakistani" }, { "ABAN", "Bangladeshi" }, { "AOTH", "Any other Asian background" },
	{ "BCRB", "Black Caribbean" }, { "BAFR", "Black African" }, { "BOTH", "Any other Black background" },
	{ "CHNE", "Chinese" }, { "OOTH", "Any other ethnic group" },
	{ "REFU", "Refused" }, { "NOBT", "Information not yet obtained" },
};

static const char *
ethnicity_label(const char *v)
{
	for (size_t i = 0; i < sizeof ethnicity_words / sizeof *ethnicity_words; i++)
		if (strcmp(v, ethnicity_words[i][0]) == 0)
			return ethnicity_words[i][1];
	return *v ? v : "not recorded";
}

/* An ethnic group (not refused, not yet obtained, not blank). */
static int
ethnic_group(const char *v)
{
	return *v && strcmp(v, "REFU") != 0 && strcmp(v, "NOBT") != 0;
}

static int
not_ethnic_group(const char *v)
{
	return !ethnic_group(v);
}

static const char *
send_label(const char *v)
{
	return strcmp(v, "Y") == 0 ? "SEND" : strcmp(v, "N") == 0 ? "no SEND" : *v ? v : "not recorded";
}

static const char *
type_label(const char *v)
{
	return strcmp(v, "missing") == 0 ? "missing"
		: strcmp(v, "away") == 0 ? "away from placement without authorisation"
		: strcmp(v, "absent") == 0 ? "absent (historic police category)" : v;
}

static int
cmp_listed(const void *a, const void *b)
{
	const rlisted *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return strcmp(x->episode, y->episode);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* Distinct children among the open episodes. */
static long
open_children(const mp_report_data *d)
{
	uint32_t *ids = mp_xcalloc(d->nopen + 1, sizeof *ids);
	long k = 0;
	size_t n = 0;
	for (size_t i = 0; i < d->nopen; i++)
		if (report_group_kept(d, d->open[i].g, d->cfg.children))
			ids[n++] = d->open[i].child;
	if (n)
		qsort(ids, n, sizeof *ids, cmp_u32);
	for (size_t i = 0; i < n; i++)
		k += i == 0 || ids[i] != ids[i - 1];
	free(ids);
	return k;
}

static int
cmp_factor_name(const void *a, const void *b)
{
	const rfactor *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->g > y->g) - (x->g < y->g);
}

static int
cmp_factor(const void *a, const void *b)
{
	const rfactor *x = a, *y = b;
	if (x->episodes != y->episodes)
		return x->episodes > y->episodes ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* "conflict_in_placement" as "conflict in placement". */
static char *
factor_label(const char *s)
{
	char *t = mp_xstrdup(s);
	for (char *p = t; *p; p++)
		if (*p == '_')
			*p = ' ';
	return t;
}

/* A band's edge in hours: within * k / 3, as "24" or "8.3". */
static void
edge(char *buf, size_t sz, long within, int k)
{
	long t = within * k * 10 / 3;
	if (t % 10 == 0)
		snprintf(buf, sz, "%ld", t / 10);
	else
		snprintf(buf, sz, "%ld.%ld", t / 10, t % 10);
}

/* The rule of the repeat figure, in words: "3 or more episodes in a calendar month". */
static void
repeat_rule(char *buf, size_t sz, const mp_report_config *cfg)
{
	if (cfg->repeat_window)
		snprintf(buf, sz, "%ld or more episodes within %ld days", cfg->repeat_min, cfg->repeat_window);
	else
		snprintf(buf, sz, "%ld or more episodes in a calendar month", cfg->repeat_min);
}

/* The previous period in words: "last year", "last month", "the previous 7 days". */
static void
prev_name(char *buf, size_t sz, const mp_report_config *cfg)
{
	int y, m, dd, y2, m2, d2;
	mp_civil_from_days(cfg->from_day, &y, &m, &dd);
	mp_civil_from_days(cfg->to_day + 1, &y2, &m2, &d2);
	int months = dd == 1 && d2 == 1 ? (y2 - y) * 12 + (m2 - m) : 0;
	if (months == 12)
		snprintf(buf, sz, "last year");
	else if (months == 3)
		snprintf(buf, sz, "last quarter");
	else if (months == 1)
		snprintf(buf, sz, "last month");
	else if (months)
		snprintf(buf, sz, "the previous %d months", months);
	else
		snprintf(buf, sz, "the previous %ld %s", (long)(cfg->to_day - cfg->from_day + 1),
			 cfg->to_day == cfg->from_day ? "day" : "days");
}

/* Whether the data reach back to the start of the previous period. */
static int
prev_covered(const mp_report_data *d)
{
	return d->rows && d->first_day <= d->cfg.prev_from;
}

/*
 * A count's comparison after pre: "<pre>last year 598, +7%"; "" when the
 * data do not reach back to the previous period (the headline says so once).
 */
static const char *
vs_count(struct ctx *x, const char *pre, long cur, long prev)
{
	char *b = x->buf[x->nb++ & 15], name[48];
	prev_name(name, sizeof name, &x->d->cfg);
	if (!prev_covered(x->d))
		b[0] = '\0';
	else if (suppressed(x, cur) || suppressed(x, prev) || prev == 0)
		snprintf(b, 128, "%s%s %s", pre, name, C(x, prev));
	else {
		long ch = cur >= prev ? ((cur - prev) * 200 / prev + 1) / 2 : -(((prev - cur) * 200 / prev + 1) / 2);
		snprintf(b, 128, "%s%s %ld, %s%ld%%", pre, name, prev, ch > 0 ? "+" : "", ch);
	}
	return b;
}

/* A percentage's comparison after pre: "<pre>last year 80.1%, +5.9 points"; "" as vs_count. */
static const char *
vs_pct(struct ctx *x, const char *pre, long num, long den, long pnum, long pden)
{
	char *b = x->buf[x->nb++ & 15], name[48];
	prev_name(name, sizeof name, &x->d->cfg);
	if (!prev_covered(x->d)) {
		b[0] = '\0';
		return b;
	}
	const char *p = pden > 0 ? P(x, pnum, pden) : "-";
	if (den <= 0 || pden <= 0 || strcmp(p, "[c]") == 0 || suppressed(x, num) || suppressed(x, den)) {
		snprintf(b, 128, "%s%s %s", pre, name, p);
		return b;
	}
	/* The change in tenths of a point, from the two rounded figures as shown. */
	long a = (num * 2000 / den + 1) / 2, c = (pnum * 2000 / pden + 1) / 2, t = a - c;
	snprintf(b, 128, "%s%s %s, %s%ld.%ld points", pre, name, p, t > 0 ? "+" : t < 0 ? "-" : "",
		 (t < 0 ? -t : t) / 10, (t < 0 ? -t : t) % 10);
	return b;
}

/*
 * The interview measures on the council basis, from a totals row: each a
 * numerator and what it is a share of.
 */
enum { M_OFFERED, M_ACCEPTED, M_HELD, M_IN_TIME, M_STRICT, M_CH_OFFERED, M_CH_ACCEPTED, NMEASURES };

typedef struct rhi_measures {
	long num[NMEASURES], den[NMEASURES];
	long need;		/* eligible and recorded */
	long not_recorded, pending;
} rhi_measures;

static const struct {
	const char *label;	/* %ld: --within */
	const char *of;
	const char *key;	/* the mp-stats count of the numerator */
} measure_words[NMEASURES] = {
	[M_OFFERED] = { "offered", "needing one", "rhi_offered" },
	[M_ACCEPTED] = { "accepted", "offered", "rhi_accepted" },
	[M_HELD] = { "held", "accepted", "rhi_held" },
	[M_IN_TIME] = { "held within %ld hours", "held", "rhi_held_in_time" },
	[M_STRICT] = { "held within %ld hours (strict)", "due", NULL },
	[M_CH_OFFERED] = { "children offered at least once", "children needing one", "children_offered" },
	[M_CH_ACCEPTED] = { "children who took one up", "children offered", "children_accepted" },
};


static void
rhi_measures_of(const mp_stats_row *t, rhi_measures *m)
{
	memset(m, 0, sizeof *m);
	m->not_recorded = t->n[MP_ST_RHI_NOT_RECORDED];
	m->pending = t->n[MP_ST_RHI_PENDING];
	m->need = t->n[MP_ST_RHI_ELIGIBLE] - m->not_recorded;
	m->num[M_OFFERED] = t->n[MP_ST_RHI_OFFERED], m->den[M_OFFERED] = m->need;
	m->num[M_ACCEPTED] = t->n[MP_ST_RHI_ACCEPTED], m->den[M_ACCEPTED] = t->n[MP_ST_RHI_OFFERED];
	m->num[M_HELD] = t->n[MP_ST_RHI_HELD], m->den[M_HELD] = t->n[MP_ST_RHI_ACCEPTED];
	m->num[M_IN_TIME] = t->n[MP_ST_RHI_HELD_IN_TIME], m->den[M_IN_TIME] = t->n[MP_ST_RHI_HELD];
	m->num[M_STRICT] = t->n[MP_ST_RHI_HELD_IN_TIME], m->den[M_STRICT] = m->need - m->pending;
	m->num[M_CH_OFFERED] = t->n[MP_ST_CHILDREN_OFFERED];
	m->den[M_CH_OFFERED] = t->n[MP_ST_CHILDREN_RHI_ELIGIBLE];
	m->num[M_CH_ACCEPTED] = t->n[MP_ST_CHILDREN_ACCEPTED];
	m->den[M_CH_ACCEPTED] = t->n[MP_ST_CHILDREN_OFFERED];
}

/*
 * Whether measure k can be computed: its counts are recorded (a column it
 * needs is present and set somewhere); when not, the column is noted.
 */
static int
measure_recorded(struct ctx *x, int k)
{
	static const struct {
		enum mp_stats_count a, b;
		enum mp_col col;
	} need[NMEASURES] = {
		[M_OFFERED] = { MP_ST_RHI_OFFERED, MP_ST_RHI_OFFERED, MP_COL_RHI_OFFERED },
		[M_ACCEPTED] = { MP_ST_RHI_ACCEPTED, MP_ST_RHI_OFFERED, MP_COL_RHI_ACCEPTED },
		[M_HELD] = { MP_ST_RHI_HELD, MP_ST_RHI_ACCEPTED, MP_COL_RHI_HELD },
		[M_IN_TIME] = { MP_ST_RHI_HELD_IN_TIME, MP_ST_RHI_HELD, MP_COL_RHI_HELD },
		[M_STRICT] = { MP_ST_RHI_HELD_IN_TIME, MP_ST_RHI_PENDING, MP_COL_RHI_HELD },
		[M_CH_OFFERED] = { MP_ST_CHILDREN_OFFERED, MP_ST_CHILDREN_RHI_ELIGIBLE, MP_COL_RHI_OFFERED },
		[M_CH_ACCEPTED] = { MP_ST_CHILDREN_ACCEPTED, MP_ST_CHILDREN_OFFERED, MP_COL_RHI_ACCEPTED },
	};
	const mp_stats *st = x->d->e[E_TOTAL];
	if (mp_stats_recorded(st, need[k].a) && mp_stats_recorded(st, need[k].b))
		return 1;
	recorded(x, need[k].col);
	return 0;
}

/* "missing" or "missing, away": the types needing an interview. */
static void
types_words(char *buf, size_t sz, unsigned types)
{
	static const char *const names[] = { "missing", "away", "absent" };
	size_t o = 0;
	buf[0] = '\0';
	for (int i = 0; i < 3; i++)
		if (types >> i & 1)
			o += (size_t)snprintf(buf + o, sz - o, "%s%s", o ? ", " : "", names[i]);
}

/* Looked-after children of the period: all, placed in area, out of area. */
static void
looked_after(mp_report_data *d, long *lac, long *lin, long *lout)
{
	*lac = *lin = *lout = 0;
	for (size_t i = 0; i < enrows(d, E_CARE1); i++)
		if (mp_stats_ngroups(d->e[E_CARE1]) && strcmp(erow(d, E_CARE1, i)->group[0], "lac") == 0)
			*lac = erow(d, E_CARE1, i)->n[MP_ST_CHILDREN];
	if (mp_stats_ngroups(d->e[E_CARE]) == 2)
		for (size_t i = 0; i < enrows(d, E_CARE); i++) {
			const mp_stats_row *rw = erow(d, E_CARE, i);
			if (strcmp(rw->group[0], "lac") != 0)
				continue;
			if (strcmp(rw->group[1], "in_area") == 0)
				*lin = rw->n[MP_ST_CHILDREN];
			else if (strcmp(rw->group[1], "out_of_area") == 0)
				*lout = rw->n[MP_ST_CHILDREN];
		}
}

/* The interview measures as bullets, the board figure first, each with what it is a share of. */
static void
headline_rhi(struct ctx *x)
{
	mp_report_data *d = x->d;
	rhi_measures m, pm;
	char types[40];
	long W = d->cfg.within_hours;
	rhi_measures_of(erow(d, E_TOTAL, 0), &m);
	rhi_measures_of(erow(d, E_PREV, 0), &pm);
	types_words(types, sizeof types, d->cfg.rhi_types);
	if (m.not_recorded && m.need == 0) {
		recorded(x, MP_COL_RHI_OFFERED);
		recorded(x, MP_COL_RHI_HELD);
		para(x, RP_BULLET, "Return home interviews: not recorded (no row has rhi_offered, rhi_accepted, "
				   "rhi_held or rhi_reason).");
		return;
	}
	if (!measure_recorded(x, M_IN_TIME))
		para(x, RP_BULLET, "Interviews within %ld hours of the return: not recorded (rhi_held).", W);
	else
		para(x, RP_BULLET, "Interviews within %ld hours of the return: %s of the %s held (%s%s); strictly, %s of "
				   "the %s whose %ld hours have run.", W, P(x, m.num[M_IN_TIME], m.den[M_IN_TIME]),
		     C(x, m.den[M_IN_TIME]), C(x, m.num[M_IN_TIME]),
		     vs_pct(x, "; ", m.num[M_IN_TIME], m.den[M_IN_TIME], pm.num[M_IN_TIME], pm.den[M_IN_TIME]),
		     P(x, m.num[M_STRICT], m.den[M_STRICT]), C(x, m.den[M_STRICT]), W);
	static const char *const words[] = { [M_OFFERED] = "Interviews offered: %s of the %s episodes needing one",
					     [M_ACCEPTED] = "Offers accepted: %s of the %s offered",
					     [M_HELD] = "Interviews held: %s of the %s accepted" };
	for (int k = M_OFFERED; k <= M_HELD; k++) {
		char f[128];
		if (!measure_recorded(x, k)) {
			snprintf(f, sizeof f, words[k], "", "");
			para(x, RP_BULLET, "%.*s: not recorded (%s).", (int)strcspn(f, ":"), f, measure_words[k].key);
			continue;
		}
		snprintf(f, sizeof f, words[k], P(x, m.num[k], m.den[k]), C(x, m.den[k]));
		para(x, RP_BULLET, "%s (%s%s).", f, C(x, m.num[k]), vs_pct(x, "; ", m.num[k], m.den[k], pm.num[k], pm.den[k]));
	}
	if (m.den[M_CH_OFFERED] && measure_recorded(x, M_CH_OFFERED) && measure_recorded(x, M_CH_ACCEPTED))
		para(x, RP_BULLET, "Children: %s of the %s needing an interview were offered one at least once "
				   "(%s); %s of the %s offered took one up (%s).",
		     C(x, m.num[M_CH_OFFERED]), C(x, m.den[M_CH_OFFERED]),
		     P(x, m.num[M_CH_OFFERED], m.den[M_CH_OFFERED]), C(x, m.num[M_CH_ACCEPTED]),
		     C(x, m.den[M_CH_ACCEPTED]), P(x, m.num[M_CH_ACCEPTED], m.den[M_CH_ACCEPTED]));
	para(x, RP_BULLET, "Needing an interview: the returned episodes of type %s (--rhi-types).%s%s%s", types,
	     m.pending ? " Not yet due (returned less than the timescale ago, none held yet), left out of the "
			 "in-time shares: " : "", m.pending ? NP(x, m.pending, "return", "returns") : "",
	     m.pending ? "." : "");
	long n;
	const char *src;
	for (size_t i = 0; (src = mp_stats_unrecorded_source(d->e[E_TOTAL], i, &n)); i++)
		if (n)
			para(x, RP_BULLET, "%s from %s %s no interview data: not recorded, and left out of "
					   "every interview share.", NP(x, n, "episode", "episodes"),
			     *src ? src : "the input", n == 1 ? "carries" : "carry");
}

/* Going missing again after a return, with and without an interview held. */
static void
headline_recurrence(struct ctx *x)
{
	const mp_stats_row *t = erow(x->d, E_TOTAL, 0);
	long rh = t->n[MP_ST_RECUR_RETURNS_HELD], kh = t->n[MP_ST_RECURRED_HELD];
	long rn = t->n[MP_ST_RECUR_RETURNS_NOT_HELD], kn = t->n[MP_ST_RECURRED_NOT_HELD];
	long pend = t->n[MP_ST_RECUR_PENDING], days = x->d->cfg.recur_days;
	if (!rh && !rn && !pend)
		return;
	if (!rh && !rn) {
		para(x, RP_BULLET, "Recurrence: no return has %ld days behind it yet (%s too recent to tell).", days,
		     NP(x, pend, "return", "returns"));
		return;
	}
	char apart[96] = "";
	if (pend)
		snprintf(apart, sizeof apart, " %s too recent to tell %s counted apart.",
			 NP(x, pend, "return", "returns"), pend == 1 ? "is" : "are");
	para(x, RP_BULLET, "Recurrence: of %s with an interview, %s went missing again within %ld days (%s); "
			   "of %s without, %s (%s).%s",
	     NP(x, rh, "return", "returns"), P(x, kh, rh), days, C(x, kh), C(x, rn), P(x, kn, rn), C(x, kn), apart);
}

/* The key figures, each percentage with what it is a share of. */
static void
key_figures(struct ctx *x)
{
	mp_report_data *d = x->d;
	const mp_stats_row *t = erow(d, E_TOTAL, 0);
	/* The key figures, as mp-stats --by none counts them (not in the short daily e-mail). */
	const char *head[] = { "figure", ">count", ">%", "share of" };
	rp_table *tb = table(x, "Key figures", 4, head);
	static const struct {
		int k;
		const char *label;
		int pct;
	} figs[] = {
		{ MP_ST_EPISODES, "episodes", -1 }, { MP_ST_CHILDREN, "children", -1 },
		{ MP_ST_MISSING, "missing episodes", MP_ST_EPISODES }, { MP_ST_AWAY, "away episodes", MP_ST_EPISODES },
		{ MP_ST_ABSENT, "absent episodes (historic)", MP_ST_EPISODES },
		{ MP_ST_OPEN, "episodes still open", MP_ST_EPISODES },
		{ MP_ST_RHI_ELIGIBLE, "returned, needing an interview", MP_ST_EPISODES },
		/* pct: a count, -1 none, -2 - M_* a council measure, -100 of the returned episodes. */
		{ MP_ST_RHI_OFFERED, "RHI offered", -2 - M_OFFERED },
		{ MP_ST_RHI_ACCEPTED, "RHI accepted", -2 - M_ACCEPTED },
		{ MP_ST_RHI_HELD, "RHI held", -2 - M_HELD },
		{ MP_ST_RHI_HELD_IN_TIME, "RHI held in time", -2 - M_IN_TIME },
		{ MP_ST_OVER_24H, "missing over 24 hours", -100 },
	};
	rhi_measures m;
	rhi_measures_of(t, &m);
	for (size_t i = 0; i < sizeof figs / sizeof *figs; i++) {
		char k[128], lab[96];
		rp_cell *c = row(tb);
		int mk = -2 - figs[i].pct;
		if (figs[i].k == MP_ST_RHI_HELD_IN_TIME)
			snprintf(lab, sizeof lab, "RHI held within %ld hours", d->cfg.within_hours);
		else if (figs[i].k == MP_ST_REPEAT_CHILDREN)
			snprintf(lab, sizeof lab, "children with %ld+ episodes in the period", d->cfg.repeat_min);
		else
			snprintf(lab, sizeof lab, "%s", figs[i].label);
		cell_text(&c[0], lab);
		key_of(k, sizeof k, "total", "all", mp_stats_count_names[figs[i].k]);
		if (!mp_stats_recorded(d->e[E_TOTAL], figs[i].k) ||
		    (figs[i].pct <= -2 && mk < NMEASURES && !measure_recorded(x, mk))) {
			cell_text(&c[1], "not recorded");
			cell_text(&c[2], "");
			cell_text(&c[3], "");
			continue;
		}
		cell_count(x, &c[1], t->n[figs[i].k], k);
		if (figs[i].pct <= -2 && figs[i].pct > -2 - NMEASURES) {
			static const char *const of[] = { [M_OFFERED] = "needing one", [M_ACCEPTED] = "offered",
							  [M_HELD] = "accepted", [M_IN_TIME] = "held" };
			cell_pct(x, &c[2], m.num[mk], m.den[mk]);
			cell_text(&c[3], of[mk]);
		} else if (figs[i].pct == -100) {
			/* Of the returned episodes of every type: episodes less those still open. */
			cell_pct(x, &c[2], t->n[figs[i].k], t->n[MP_ST_EPISODES] - t->n[MP_ST_OPEN]);
			cell_text(&c[3], "returned episodes");
		} else if (figs[i].pct >= 0) {
			cell_pct(x, &c[2], t->n[figs[i].k], t->n[figs[i].pct]);
			cell_text(&c[3], figs[i].pct == MP_ST_EPISODES ? "episodes"
					 : figs[i].pct == MP_ST_CHILDREN ? "children" : "returned episodes");
		} else {
			cell_text(&c[2], "");
			cell_text(&c[3], "");
		}
	}
	/* Missing, away and absent add up to the episodes. */
	rp_cell *g[3] = { &tb->cells[2 * 4 + 1], &tb->cells[3 * 4 + 1], &tb->cells[4 * 4 + 1] };
	secondary_cells(x, g, 3);
	for (int i = 2; i <= 4; i++)
		if (cell_hidden(&tb->cells[i * 4 + 1]) && !cell_hidden(&tb->cells[i * 4 + 2]))
			cell_hide(&tb->cells[i * 4 + 2]);
	char med[24];
	rp_cell *c = row(tb);
	cell_text(&c[0], "median duration (hours)");
	mp_stats_hours_format(t->median_tenths, med);
	c[1].s = mp_xstrdup(*med ? med : "-");
	c[1].v = -1;
	c[1].key = mp_xstrdup("total/all/median_hours");
	cell_text(&c[2], "");
	cell_text(&c[3], "");
}

static void
build_headline(struct ctx *x, const report_repeat *rf, const report_repeat *prf)
{
	mp_report_data *d = x->d;
	const mp_stats_row *t = erow(d, E_TOTAL, 0), *pt = erow(d, E_PREV, 0);
	char a[64], b[64], rule[96];
	mp_report_long_date(a, sizeof a, d->cfg.from_day);
	mp_report_long_date(b, sizeof b, d->cfg.to_day);

	section(x, "headline", "Headline");
	const char *ve = vs_count(x, " (", t->n[MP_ST_EPISODES], pt->n[MP_ST_EPISODES]);
	const char *vc = vs_count(x, " (", t->n[MP_ST_CHILDREN], pt->n[MP_ST_CHILDREN]);
	if (d->cfg.from_day == d->cfg.to_day)
		para(x, RP_PARA, "%s%s%s missing or away for %s%s%s started on %s.",
		     NP(x, t->n[MP_ST_EPISODES], "episode", "episodes"), ve, *ve ? ")" : "",
		     NP(x, t->n[MP_ST_CHILDREN], "child", "children"), vc, *vc ? ")" : "", a);
	else
		para(x, RP_PARA, "%s%s%s missing or away for %s%s%s between %s and %s.",
		     NP(x, t->n[MP_ST_EPISODES], "episode", "episodes"), ve, *ve ? ")" : "",
		     NP(x, t->n[MP_ST_CHILDREN], "child", "children"), vc, *vc ? ")" : "", a, b);
	if (!prev_covered(d) && d->rows) {
		char name[48], first[64];
		prev_name(name, sizeof name, &d->cfg);
		mp_report_long_date(first, sizeof first, d->first_day);
		para(x, RP_PARA, "Comparison with %s: not available (the data start on %s).", name, first);
	}
	long lac, lin, lout;
	looked_after(d, &lac, &lin, &lout);
	if (t->n[MP_ST_EPISODES]) {
		headline_rhi(x);
		long ty[3] = { t->n[MP_ST_MISSING], t->n[MP_ST_AWAY], t->n[MP_ST_ABSENT] };
		int hide[3] = { 0, 0, 0 };
		hide_group(x, ty, 3, hide);
		const char *vm = hide[0] ? "" : vs_count(x, " (", t->n[MP_ST_MISSING], pt->n[MP_ST_MISSING]);
		const char *va = hide[1] ? "" : vs_count(x, " (", t->n[MP_ST_AWAY], pt->n[MP_ST_AWAY]);
		para(x, RP_BULLET, "Episodes: %s missing%s%s, %s away from placement without authorisation%s%s%s%s%s.",
		     hide[0] ? "[c]" : C(x, ty[0]), vm, *vm ? ")" : "", hide[1] ? "[c]" : C(x, ty[1]), va,
		     *va ? ")" : "", ty[2] ? ", " : "", ty[2] ? (hide[2] ? "[c]" : C(x, ty[2])) : "",
		     t->n[MP_ST_ABSENT] ? " absent (historic police category)" : "");
		long pl[3] = { lin, lout, lac - lin - lout };	/* the third: placement not recorded */
		int hp[3] = { 0, 0, 0 };
		hide_group(x, pl, 3, hp);
		if (!recorded(x, MP_COL_CARE_STATUS))
			para(x, RP_BULLET, "Looked after: not recorded (care_status).");
		else if (!recorded(x, MP_COL_PLACEMENT))
			para(x, RP_BULLET, "Looked after: %s of the %s (placement not recorded).", C(x, lac),
			     NP(x, t->n[MP_ST_CHILDREN], "child", "children"));
		else
			para(x, RP_BULLET, "Looked after: %s of the %s (%s placed in area, %s out of area).", C(x, lac),
			     NP(x, t->n[MP_ST_CHILDREN], "child", "children"), hp[0] ? "[c]" : C(x, lin),
			     hp[1] ? "[c]" : C(x, lout));
		if (rf) {
			repeat_rule(rule, sizeof rule, &d->cfg);
			const char *vr = vs_count(x, " (", rf->children, prf->children);
			if (recorded(x, MP_COL_HOTH))
				para(x, RP_BULLET, "Repeat missing, %s: %s%s%s; %s of them referred to Harm Outside "
						   "the Home.", rule, NP(x, rf->children, "child", "children"), vr,
				     *vr ? ")" : "", C(x, rf->hoth));
			else
				para(x, RP_BULLET, "Repeat missing, %s: %s%s%s; referrals to Harm Outside the Home "
						   "not recorded (hoth).", rule, NP(x, rf->children, "child", "children"),
				     vr, *vr ? ")" : "");
		}
		headline_recurrence(x);
	}
	if (d->cfg.kind != MP_KIND_DAILY)
		key_figures(x);
}

/* The financial quarters of a longer period (April-June is Q1). */
static void
trend_quarters(struct ctx *x)
{
	mp_report_data *d = x->d;
	const char *h[] = { "quarter", ">episodes", ">children", ">missing", ">away", ">RHI in time", ">% of held" };
	rp_table *t = table(x, "Episodes and children by financial quarter", 7, h);
	static const int ks[] = { MP_ST_EPISODES, MP_ST_CHILDREN, MP_ST_MISSING, MP_ST_AWAY, MP_ST_RHI_HELD_IN_TIME };
	for (size_t i = 0; i < enrows(d, E_FQ); i++) {
		const mp_stats_row *rw = erow(d, E_FQ, i);
		if (rw->last_day < d->first_day)
			continue;
		char k[128];
		rp_cell *c = row(t);
		cell_text(&c[0], rw->period);
		for (int j = 0; j < 5; j++) {
			key_of(k, sizeof k, "fq", rw->period, mp_stats_count_names[ks[j]]);
			cell_count(x, &c[j + 1], rw->n[ks[j]], k);
		}
		cell_pct(x, &c[6], rw->n[MP_ST_RHI_HELD_IN_TIME], rw->n[MP_ST_RHI_HELD]);
	}
	protect(x, t, "1345", "34", "6:5");
}

/* Children placed in the area by other councils: apart from every other figure. */
static void
build_placed(struct ctx *x)
{
	mp_report_data *d = x->d;
	if (!enrows(d, E_PLACED))
		return;
	const mp_stats_row *t = erow(d, E_PLACED, 0);
	if (!t->n[MP_ST_EPISODES])
		return;
	rhi_measures m;
	rhi_measures_of(t, &m);
	section(x, "placed", "Children placed here by other councils");
	para(x, RP_PARA, "Children placed in the area by another council (responsible_la set and not %s): that "
			 "council is responsible for them and counts them, so they are in no other figure of this "
			 "report.", *d->council ? d->council : "this council");
	para(x, RP_BULLET, "%s missing or away for %s: %s missing, %s away.",
	     NP(x, t->n[MP_ST_EPISODES], "episode", "episodes"), NP(x, t->n[MP_ST_CHILDREN], "child", "children"),
	     C(x, t->n[MP_ST_MISSING]), C(x, t->n[MP_ST_AWAY]));
	para(x, RP_BULLET, "Interviews: %s of the %s needing one offered (%s); %s of the %s held within %ld "
			   "hours (%s).", C(x, m.num[M_OFFERED]), C(x, m.den[M_OFFERED]),
	     P(x, m.num[M_OFFERED], m.den[M_OFFERED]), C(x, m.num[M_IN_TIME]), C(x, m.den[M_IN_TIME]),
	     d->cfg.within_hours, P(x, m.num[M_IN_TIME], m.den[M_IN_TIME]));
}

static void
build_trend(struct ctx *x)
{
	mp_report_data *d = x->d;
	char a[64], b[64], title[200];
	section(x, "trend", "Monthly trend");
	int64_t tfrom = d->cfg.trend_from;
	if (d->rows && d->first_day > tfrom && d->first_day <= d->cfg.trend_to)
		tfrom = d->first_day;
	month_name(a, sizeof a, mp_period_key(MP_BY_MONTH, tfrom));
	month_name(b, sizeof b, mp_period_key(MP_BY_MONTH, d->cfg.trend_to));
	if (tfrom != d->cfg.trend_from)
		para(x, RP_PARA, "From %s, where the data start, to %s.", a, b);
	else if (d->cfg.trend_from != d->cfg.from_day || d->cfg.trend_to != d->cfg.to_day)
		para(x, RP_PARA, "The twelve months to the end of the period, %s to %s.", a, b);
	const char *h2[] = { "month", ">episodes", ">children", ">missing", ">away", ">RHI in time", ">% of held" };
	rp_table *t = table(x, "Episodes and children by month", 7, h2);
	for (size_t i = 0; i < enrows(d, E_TREND); i++) {
		const mp_stats_row *rw = erow(d, E_TREND, i);
		char k[128];
		if (rw->last_day < d->first_day)
			continue;	/* before the data begin: not a zero */
		rp_cell *c = row(t);
		cell_text(&c[0], rw->period);
		cell_fig(x, &c[1], "month", rw->period, "episodes", rw->n[MP_ST_EPISODES]);
		cell_fig(x, &c[2], "month", rw->period, "children", rw->n[MP_ST_CHILDREN]);
		cell_fig(x, &c[3], "month", rw->period, "missing", rw->n[MP_ST_MISSING]);
		cell_fig(x, &c[4], "month", rw->period, "away", rw->n[MP_ST_AWAY]);
		key_of(k, sizeof k, "month", rw->period, "rhi_held_in_time");
		if (mp_stats_recorded(report_engine(d, E_TREND), MP_ST_RHI_HELD_IN_TIME)) {
			cell_count(x, &c[5], rw->n[MP_ST_RHI_HELD_IN_TIME], k);
			cell_pct(x, &c[6], rw->n[MP_ST_RHI_HELD_IN_TIME], rw->n[MP_ST_RHI_HELD]);
		} else {
			cell_text(&c[5], "not recorded");
			cell_text(&c[6], "");
		}
	}
	protect(x, t, "1345", "34", "6:5");
	t->chart = RP_CHART_BARS2;
	snprintf(title, sizeof title, "Episodes and children by month, %s to %s", a, b);
	t->chart_title = mp_xstrdup(title);
	/* The text alternative: the figures in words. */
	size_t cap = 64 + 48 * t->nrows, len = 0;
	char *desc = mp_xmalloc(cap);
	len += (size_t)snprintf(desc, cap, "Bar chart of episodes and children per month:");
	for (size_t i = 0; i < t->nrows; i++)
		len += (size_t)snprintf(desc + len, cap - len, " %s %s episodes, %s children%s",
					t->cells[i * 7].s, t->cells[i * 7 + 1].s, t->cells[i * 7 + 2].s,
					i + 1 < t->nrows ? ";" : ".");
	t->chart_desc = desc;
	if (enrows(d, E_FQ) > 1)
		trend_quarters(x);
	para(x, RP_PARA, "RHI in time: interviews held within %ld hours of the return; %% of held: their "
			 "share of the month's interviews held.", d->cfg.within_hours);
}

static void
build_care(struct ctx *x)
{
	mp_report_data *d = x->d;
	const mp_stats_row *tot = erow(d, E_TOTAL, 0);
	int withpl = mp_stats_ngroups(d->e[E_CARE]) == 2;
	section(x, "care", "Care status");
	if (!recorded(x, MP_COL_CARE_STATUS)) {
		para(x, RP_PARA, "Care status is not recorded in the input (care_status).");
		return;
	}
	para(x, RP_PARA, "Care status at the start of each episode. A child whose status changed during the "
			 "period is counted under each status, so the children do not add up to %s.",
	     C(x, tot->n[MP_ST_CHILDREN]));
	const char *head[] = { "care status", ">episodes", ">%", ">children", ">missing", ">away" };
	rp_table *t = table(x, "Episodes and children by care status", 6, head);
	size_t n = enrows(d, E_CARE);
	size_t *ix = mp_xcalloc(n + 1, sizeof *ix);
	for (size_t i = 0; i < n; i++)
		ix[i] = i;
	/* In the order of the care statuses (a stable insertion sort: few rows). */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0; j--) {
			const mp_stats_row *p = erow(d, E_CARE, ix[j - 1]), *q = erow(d, E_CARE, ix[j]);
			int rp = care_rank(mp_stats_ngroups(d->e[E_CARE]) ? p->group[0] : "", withpl ? p->group[1] : "");
			int rq = care_rank(mp_stats_ngroups(d->e[E_CARE]) ? q->group[0] : "", withpl ? q->group[1] : "");
			if (rp <= rq)
				break;
			size_t s = ix[j];
			ix[j] = ix[j - 1];
			ix[j - 1] = s;
		}
	size_t nl = 0;
	for (size_t i = 0; i < n; i++) {
		const mp_stats_row *rw = erow(d, E_CARE, ix[i]);
		const char *cs = mp_stats_ngroups(d->e[E_CARE]) ? rw->group[0] : "";
		const char *pl = withpl ? rw->group[1] : "";
		/* Placement given for a child not looked after: shown with the status alone. */
		char g[160], k[256];
		snprintf(g, sizeof g, "%s,%s", cs, pl);
		rp_cell *c = row(t);
		if (strcmp(cs, "lac") != 0 && *pl)
			snprintf(k, sizeof k, "%s (placement %s)", care_label(cs, pl, withpl), pl);
		else
			snprintf(k, sizeof k, "%s", care_label(cs, pl, withpl));
		cell_text(&c[0], k);
		cell_fig(x, &c[1], "care", g, "episodes", rw->n[MP_ST_EPISODES]);
		cell_pct(x, &c[2], rw->n[MP_ST_EPISODES], tot->n[MP_ST_EPISODES]);
		cell_fig(x, &c[3], "care", g, "children", rw->n[MP_ST_CHILDREN]);
		cell_fig(x, &c[4], "care", g, "missing", rw->n[MP_ST_MISSING]);
		cell_fig(x, &c[5], "care", g, "away", rw->n[MP_ST_AWAY]);
		nl++;
	}
	free(ix);
	protect(x, t, "1345", "45", "2:1");
	t->chart = RP_CHART_HBAR;
	t->chart_title = mp_xstrdup("Episodes by care status");
	size_t cap = 64 + 96 * t->nrows, len = 0;
	char *desc = mp_xmalloc(cap);
	len += (size_t)snprintf(desc, cap, "Horizontal bar chart of episodes by care status:");
	for (size_t i = 0; i < t->nrows; i++)
		len += (size_t)snprintf(desc + len, cap - len, " %s %s%s", t->cells[i * 6].s, t->cells[i * 6 + 1].s,
					i + 1 < t->nrows ? ";" : ".");
	t->chart_desc = desc;
	(void)nl;
}

static void
build_type(struct ctx *x)
{
	section(x, "type", "Missing and away");
	para(x, RP_PARA, "Missing: whereabouts unknown. Away: a looked-after child whose whereabouts are known "
			 "but who is not where they are required to be.");
	breakdown(x, E_TYPE, "Episodes and children by type", "type", "type", 1, type_label);
}

/* Why none was held: interviews needed but not held, by the reason recorded. */
static void
rhi_reasons(struct ctx *x)
{
	mp_report_data *d = x->d;
	const mp_stats_row *t = erow(d, E_TOTAL, 0);
	/* Why none was held: episodes needing one (and recorded) without an interview, by reason. */
	long el = t->n[MP_ST_RHI_ELIGIBLE] - t->n[MP_ST_RHI_NOT_RECORDED];
	long notheld = el - t->n[MP_ST_RHI_HELD];
	if (!measure_recorded(x, M_HELD)) {
		para(x, RP_PARA, "Interviews held are not recorded (rhi_held).");
		return;
	}
	if (!recorded(x, MP_COL_RHI_REASON)) {
		para(x, RP_PARA, "No interview was held after %s; the reasons are not recorded (rhi_reason).",
		     NP(x, notheld, "episode needing one", "episodes needing one"));
		return;
	}
	para(x, RP_PARA, "No interview was held after %s (%s of them). The reasons recorded, most common "
			 "first (%% of the episodes with no interview):",
	     NP(x, notheld, "episode needing one", "episodes needing one"), P(x, notheld, el));
	const char *h2[] = { "reason", ">episodes", ">% of not held" };
	rp_table *rt = table(x, "Reasons no interview was held", 3, h2);
	size_t n = enrows(d, E_REASON);
	struct rr {
		const char *reason;
		long n;
	} *rs = mp_xcalloc(n + 1, sizeof *rs);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		const mp_stats_row *rw = erow(d, E_REASON, i);
		long k = rw->n[MP_ST_RHI_ELIGIBLE] - rw->n[MP_ST_RHI_NOT_RECORDED] - rw->n[MP_ST_RHI_HELD];
		if (k > 0)
			rs[m++] = (struct rr){ mp_stats_ngroups(d->e[E_REASON]) ? rw->group[0] : "", k };
	}
	for (size_t i = 1; i < m; i++)
		for (size_t j = i; j > 0 && (rs[j].n > rs[j - 1].n ||
					     (rs[j].n == rs[j - 1].n && strcmp(rs[j].reason, rs[j - 1].reason) < 0));
		     j--) {
			struct rr s = rs[j];
			rs[j] = rs[j - 1];
			rs[j - 1] = s;
		}
	for (size_t i = 0; i < m; i++) {
		rp_cell *c = row(rt);
		cell_text(&c[0], reason_label(rs[i].reason));
		cell_fig(x, &c[1], "notheld", rs[i].reason, "episodes", rs[i].n);
		cell_pct(x, &c[2], rs[i].n, notheld);
	}
	free(rs);
	protect(x, rt, "1", NULL, "2:1");
}

/* Time from return to interview, against the --within line. */
static void
rhi_timing(struct ctx *x)
{
	mp_report_data *d = x->d;
	const mp_stats_row *t = erow(d, E_TOTAL, 0);
	char title[200];
	long W = d->cfg.within_hours;
	para(x, RP_PARA, "Time from the return to the interview, for the %s held; the first three bands are "
			 "within %ld hours.", NP(x, t->n[MP_ST_RHI_HELD], "interview", "interviews"), W);
	const char *h3[] = { "hours after the return", ">interviews", ">% of held" };
	rp_table *ht = table(x, "Time from return to interview", 3, h3);
	ht->late = mp_xcalloc(NHIST + 3, sizeof *ht->late);
	long in_time = 0;
	for (int i = 0; i < NHIST; i++) {
		char a[32], b[32], lab[96];
		edge(a, sizeof a, W, i);
		edge(b, sizeof b, W, i + 1);
		if (i == 0)
			snprintf(lab, sizeof lab, "up to %s h", b);
		else if (i < NHIST - 1)
			snprintf(lab, sizeof lab, "%s-%s h", a, b);
		else
			snprintf(lab, sizeof lab, "over %s h", a);
		rp_cell *c = row(ht);
		cell_text(&c[0], lab);
		cell_count(x, &c[1], x->t.hist[i], NULL);
		cell_pct(x, &c[2], x->t.hist[i], t->n[MP_ST_RHI_HELD]);
		ht->late[i] = i >= 3;
		if (i < 3)
			in_time += x->t.hist[i];
	}
	ht->line_after = 2;
	ht->nbars = NHIST;
	ht->chart = RP_CHART_HIST;
	static const char *const extra[] = { "date only, in time", "date only, late",
					     "before the return (a data error)" };
	long en[] = { x->t.date_in, x->t.date_late, x->t.held_before };
	for (int i = 0; i < 3; i++) {
		if (i < 2 ? !(x->t.date_in + x->t.date_late) : !x->t.held_before)
			continue;
		rp_cell *c = row(ht);
		cell_text(&c[0], extra[i]);
		cell_count(x, &c[1], en[i], NULL);
		cell_pct(x, &c[2], en[i], t->n[MP_ST_RHI_HELD]);
		ht->late[ht->nrows - 1] = i > 0;
	}
	if (in_time + x->t.date_in != t->n[MP_ST_RHI_HELD_IN_TIME])
		mp_warn("internal error: interviews in time %ld, mp-stats says %ld", in_time + x->t.date_in,
			t->n[MP_ST_RHI_HELD_IN_TIME]);
	protect(x, ht, "1", NULL, "2:1");
	snprintf(title, sizeof title, "Return home interviews by hours after the return, against the %ld-hour line",
		 W);
	ht->chart_title = mp_xstrdup(title);
	size_t cap = 200 + 64 * ht->nrows, len = 0;
	char *desc = mp_xmalloc(cap);
	len += (size_t)snprintf(desc, cap, "Bar chart of interviews held by time after the return, with a line at %ld "
					   "hours; %s held in time of %s held:", W,
				C(x, t->n[MP_ST_RHI_HELD_IN_TIME]), C(x, t->n[MP_ST_RHI_HELD]));
	for (size_t i = 0; i < ht->nrows; i++)
		len += (size_t)snprintf(desc + len, cap - len, " %s %s%s", ht->cells[i * 3].s, ht->cells[i * 3 + 1].s,
					i + 1 < ht->nrows ? ";" : ".");
	ht->chart_desc = desc;
}

static void
build_rhi(struct ctx *x)
{
	mp_report_data *d = x->d;
	const mp_stats_row *t = erow(d, E_TOTAL, 0);

	section(x, "rhi", "Return home interviews");
	rhi_measures m;
	rhi_measures_of(t, &m);
	char types[40];
	types_words(types, sizeof types, d->cfg.rhi_types);
	para(x, RP_PARA, "Each measure is a share of its own base, as councils quote them: offered of the "
			 "episodes needing an interview (returned episodes of type %s, from sources that record "
			 "interviews), accepted of offered, held of accepted, in time of held; strictly, in time of "
			 "those whose %ld hours have run. Offered and accepted are recorded facts, not derived from "
			 "each other.", types, d->cfg.within_hours);
	if (m.not_recorded && m.need == 0) {
		para(x, RP_PARA, "Return home interviews are not recorded: no row has rhi_offered, rhi_accepted, "
				 "rhi_held or rhi_reason.");
		return;
	}
	const char *head[] = { "measure", ">count", "share of", ">%" };
	rp_table *tb = table(x, "Return home interviews: the council measures", 4, head);
	rp_cell *c = row(tb);
	char k[128], lab[96], of[96];
	cell_text(&c[0], "needing one");
	key_of(k, sizeof k, "total", "all", "rhi_eligible");
	cell_count(x, &c[1], t->n[MP_ST_RHI_ELIGIBLE] - m.not_recorded, m.not_recorded ? NULL : k);
	cell_text(&c[2], "");
	cell_text(&c[3], "");
	for (int i = M_OFFERED; i <= M_STRICT; i++) {
		c = row(tb);
		snprintf(lab, sizeof lab, measure_words[i].label, d->cfg.within_hours);
		cell_text(&c[0], lab);
		if (!measure_recorded(x, i)) {
			cell_text(&c[1], "not recorded");
			cell_text(&c[2], "");
			cell_text(&c[3], "");
			continue;
		}
		if (measure_words[i].key)
			key_of(k, sizeof k, "total", "all", measure_words[i].key);
		cell_count(x, &c[1], m.num[i], measure_words[i].key ? k : NULL);
		snprintf(of, sizeof of, "%s %s", C(x, m.den[i]), measure_words[i].of);
		cell_text(&c[2], of);
		cell_pct(x, &c[3], m.num[i], m.den[i]);
	}
	static const char *const apart[] = { "not yet due (left out of the in-time shares)",
					     "not recorded (left out of every share)" };
	long na[] = { m.pending, m.not_recorded };
	for (int i = 0; i < 2; i++) {
		c = row(tb);
		cell_text(&c[0], apart[i]);
		cell_count(x, &c[1], na[i], NULL);
		cell_text(&c[2], "");
		cell_text(&c[3], "");
	}
	rhi_reasons(x);
	rhi_timing(x);
}

/* With --with-ids: the children and the month or span in which they reached the threshold. */
static void
repeat_ids(struct ctx *x, const report_repeat *rf)
{
	mp_report_data *d = x->d;
	const char *h2[] = { "child_id", d->cfg.repeat_window ? "span" : "month", ">episodes", "HOTH" };
	rp_table *lt = table(x, "Children with repeat episodes (identifiers)", 4, h2);
	for (size_t i = 0; i < rf->nrows; i++) {
		const rrepeat_row *w = &rf->rows[i];
		char lab[64], a[16], b[16], nb[32];
		if (d->cfg.repeat_window) {
			mp_date_format(a, w->first);
			mp_date_format(b, w->last);
			snprintf(lab, sizeof lab, "%s to %s", a, b);
		} else {
			mp_period_label(MP_BY_MONTH, mp_period_key(MP_BY_MONTH, w->first), lab);
		}
		rp_cell *cl = row(lt);
		char ib[MP_IDS_BUF];
		size_t il;
		const char *is = rchild_id(d, w->child, ib, &il);
		char *id = mp_xstrndup(is, il);
		cell_text(&cl[0], id);
		free(id);
		cell_text(&cl[1], lab);
		snprintf(nb, sizeof nb, "%u", w->n);
		cell_text(&cl[2], nb);
		cell_text(&cl[3], w->hoth ? "Y" : "N");
	}
}

static void
build_repeat(struct ctx *x, const report_repeat *rf)
{
	mp_report_data *d = x->d;
	char title[160], rule[96];
	repeat_rule(rule, sizeof rule, &d->cfg);
	snprintf(title, sizeof title, "Repeat missing (%s)", rule);
	section(x, "repeat", title);
	para(x, RP_PARA, "Children with %s starting in the period%s, and of them those referred to Harm Outside "
			 "the Home (hoth = Y on an episode starting by the end of %s). Over the period: %s, %s of "
			 "them referred (%s of the repeat children).",
	     rule, d->cfg.repeat_window ? "" : " (counting only the days of the period)",
	     d->cfg.repeat_window ? "the span" : "that month", NP(x, rf->children, "child", "children"),
	     C(x, rf->hoth), P(x, rf->hoth, rf->children));
	if (!d->cfg.repeat_window) {
		const char *head[] = { "month", ">children", ">repeat children", ">% of children",
				       ">referred to HOTH" };
		rp_table *t = table(x, "Repeat missing by month", 5, head);
		for (size_t i = 0; i < enrows(d, E_MONTH) && i < rf->nmonths; i++) {
			const mp_stats_row *rw = erow(d, E_MONTH, i);
			if (rw->last_day < d->first_day)
				continue;	/* before the data begin */
			rp_cell *c = row(t);
			cell_text(&c[0], rw->period);
			cell_fig(x, &c[1], "pmonth", rw->period, "children", rw->n[MP_ST_CHILDREN]);
			cell_fig(x, &c[2], "pmonth", rw->period, "repeat_children", rw->n[MP_ST_REPEAT_CHILDREN]);
			cell_pct(x, &c[3], rw->n[MP_ST_REPEAT_CHILDREN], rw->n[MP_ST_CHILDREN]);
			cell_count(x, &c[4], rf->m_hoth[i], NULL);
			if (rw->n[MP_ST_REPEAT_CHILDREN] != rf->m_children[i])
				mp_warn("internal error: %s repeat children %ld, mp-stats says %ld", rw->period,
					rf->m_children[i], rw->n[MP_ST_REPEAT_CHILDREN]);
		}
	}
	if (x->r->with_ids)
		repeat_ids(x, rf);
}

static void
build_durations(struct ctx *x)
{
	mp_report_data *d = x->d;
	const mp_stats_row *t = erow(d, E_TOTAL, 0);
	char med[24];
	section(x, "durations", "Durations");
	if (!recorded(x, MP_COL_END)) {
		para(x, RP_PARA, "Durations are not recorded: no episode has an end (end).");
		return;
	}
	mp_stats_hours_format(t->median_tenths, med);
	para(x, RP_PARA, "Median duration of the returned episodes with times of day: %s hours. Missing or away "
			 "over 24 hours: %s of the %s returned episodes (%s).",
	     *med ? med : "-", C(x, t->n[MP_ST_OVER_24H]), C(x, t->n[MP_ST_EPISODES] - t->n[MP_ST_OPEN]),
	     P(x, t->n[MP_ST_OVER_24H], t->n[MP_ST_EPISODES] - t->n[MP_ST_OPEN]));
	const char *head[] = { "duration", ">episodes", ">% of episodes" };
	rp_table *tb = table(x, "Episodes by duration", 3, head);
	for (size_t i = 0; i < enrows(d, E_DUR); i++) {
		const mp_stats_row *rw = erow(d, E_DUR, i);
		if (rw->n[MP_ST_EPISODES] == 0)
			continue;
		rp_cell *c = row(tb);
		cell_text(&c[0], strcmp(rw->group[0], "unknown") == 0 ? "unknown (dates only)"
				 : strcmp(rw->group[0], "open") == 0 ? "still open" : rw->group[0]);
		cell_fig(x, &c[1], "duration_band", rw->group[0], "episodes", rw->n[MP_ST_EPISODES]);
		cell_pct(x, &c[2], rw->n[MP_ST_EPISODES], t->n[MP_ST_EPISODES]);
	}
	protect(x, tb, "1", NULL, "2:1");
}

static void
build_factors(struct ctx *x)
{
	mp_report_data *d = x->d;
	const mp_stats_row *t = erow(d, E_TOTAL, 0);
	section(x, "factors", "Push and pull factors");
	if (!recorded(x, MP_COL_PUSH_PULL)) {
		para(x, RP_PARA, "Push and pull factors are not recorded in the input (push_pull).");
		return;
	}
	para(x, RP_PARA, "Factors recorded on %s of the %s episodes (%s); an episode may have several, so the "
			 "counts add up to more than the episodes. Most common first; %% of the episodes with a "
			 "factor recorded.",
	     C(x, x->t.fac_episodes), C(x, t->n[MP_ST_EPISODES]), P(x, x->t.fac_episodes, t->n[MP_ST_EPISODES]));
	/* One row per factor, over the groups counted. */
	rfactor *f = mp_xcalloc(d->nfac + 1, sizeof *f);
	size_t n = 0;
	if (d->nfac)
		qsort(d->fac, d->nfac, sizeof *d->fac, cmp_factor_name);
	for (size_t i = 0; i < d->nfac; i++) {
		if (!report_group_kept(d, d->fac[i].g, d->cfg.children))
			continue;
		if (n && strcmp(f[n - 1].name, d->fac[i].name) == 0)
			f[n - 1].episodes += d->fac[i].episodes;
		else
			f[n++] = d->fac[i];
	}
	if (n)
		qsort(f, n, sizeof *f, cmp_factor);
	const char *head[] = { "factor", ">episodes", ">% of those with a factor" };
	rp_table *tb = table(x, "Push and pull factors", 3, head);
	for (size_t i = 0; i < n; i++) {
		rp_cell *c = row(tb);
		char *l = factor_label(f[i].name);
		cell_text(&c[0], l);
		free(l);
		cell_count(x, &c[1], f[i].episodes, NULL);
		cell_pct(x, &c[2], f[i].episodes, x->t.fac_episodes);
	}
	free(f);
}

static const char *
plain_label(const char *v)
{
	return *v ? v : "not recorded";
}

static void
build_groups(struct ctx *x)
{
	section(x, "groups", "Who goes missing");
	para(x, RP_PARA, "Children counted in each group they were in at the start of an episode; %% of all "
			 "the children of the period. Age in whole years at the start.");
	if (!recorded(x, MP_COL_DOB) || x->d->no_dob)
		para(x, RP_PARA, "By age band: not recorded (dob).");
	else
		breakdown(x, E_AGE, "By age band", "age band", "age_band", 0, plain_label);
	/* Age bands with no episode add nothing: drop them, but keep their keys consistent. */
	if (!x->d->no_dob && x->sec->b[x->sec->nb - 1].kind == RP_TABLE) {
		rp_table *t = x->sec->b[x->sec->nb - 1].t;
		size_t w = 0;
		for (size_t i = 0; i < t->nrows; i++) {
			rp_cell *c = &t->cells[i * t->ncols];
			if (strcmp(c[1].s, "0") == 0) {
				for (size_t j = 0; j < t->ncols; j++) {
					free(c[j].s);
					free(c[j].key);
				}
				continue;
			}
			memmove(&t->cells[w * t->ncols], c, t->ncols * sizeof *c);
			w++;
		}
		t->nrows = w;
	}
	if (recorded(x, MP_COL_SEX))
		breakdown(x, E_SEX, "By sex", "sex", "sex", 1, NULL);
	else
		para(x, RP_PARA, "By sex: not recorded (sex).");
	if (recorded(x, MP_COL_ETHNICITY)) {
		breakdown_if(x, E_ETH, "By ethnicity", "ethnicity", "ethnicity", 1, ethnicity_label, ethnic_group);
		breakdown_if(x, E_ETH, "Ethnicity not known", "ethnicity", "ethnicity", 1, ethnicity_label,
			     not_ethnic_group);
		drop_if_empty(x);
	} else {
		para(x, RP_PARA, "By ethnicity: not recorded (ethnicity).");
	}
	if (recorded(x, MP_COL_SEND))
		breakdown(x, E_SEND, "By special educational needs or disability", "SEND", "send", 1, send_label);
	else
		para(x, RP_PARA, "By special educational needs or disability: not recorded (send).");
}

/* A listed start or return: its local date when only a date was recorded, else the date-time. */
static void
listed_time(char *buf, int64_t utc, int approx)
{
	if (approx) {
		mp_time e;
		mp_utc_to_local(utc, &e);
		mp_date_format(buf, e.day);
	} else {
		mp_time_format(buf, utc);
	}
}

/* A listed episode's first cells: the child, the episode, when it started or ended. */
static void
listed_cells(struct ctx *x, rp_cell *c, const rlisted *l)
{
	char ib[MP_IDS_BUF], b[40];
	size_t il;
	const char *is = rchild_id(x->d, l->child, ib, &il);
	char *id = mp_xstrndup(is, il);
	cell_text(&c[0], id);
	free(id);
	cell_text(&c[1], l->episode);
	listed_time(b, l->a, l->approx);
	cell_text(&c[2], b);
}

static void
now_ids(struct ctx *x)
{
	mp_report_data *d = x->d;
	if (d->lopen.n)
		qsort(d->lopen.v, d->lopen.n, sizeof *d->lopen.v, cmp_listed);
	if (d->ldue.n)
		qsort(d->ldue.v, d->ldue.n, sizeof *d->ldue.v, cmp_listed);
	const char *h1[] = { "child_id", "episode_id", "missing since", ">hours", "care status" };
	rp_table *t = table(x, "Missing now (identifiers)", 5, h1);
	for (size_t i = 0; i < d->lopen.n; i++) {
		const rlisted *l = &d->lopen.v[i];
		if (!report_group_kept(d, l->g, d->cfg.children))
			continue;
		char h[40];
		rp_cell *c = row(t);
		listed_cells(x, c, l);
		snprintf(h, sizeof h, "%ld", (long)((d->cfg.now - l->a) / 3600));
		cell_text(&c[3], h);
		cell_text(&c[4], care_label(l->care, l->placement, 1));
	}
	const char *h2[] = { "child_id", "episode_id", "returned", "deadline", "status" };
	rp_table *u = table(x, "Interviews outstanding (identifiers)", 5, h2);
	for (size_t i = 0; i < d->ldue.n; i++) {
		const rlisted *l = &d->ldue.v[i];
		if (!report_group_recorded(d, l->g) || !report_group_kept(d, l->g, d->cfg.children) ||
		    mp_rhi_missing_again(l->a, d->ch[l->child].latest))
			continue;
		char b[40];
		rp_cell *c = row(u);
		listed_cells(x, c, l);
		mp_time_format(b, l->b);
		cell_text(&c[3], b);
		cell_text(&c[4], d->cfg.now > l->b ? "overdue" : "due");
	}
}

static void
build_now(struct ctx *x)
{
	mp_report_data *d = x->d;
	char when[64], day[48];
	mp_time lt;
	mp_utc_to_local(d->cfg.now, &lt);
	mp_report_long_date(day, sizeof day, lt.day);
	snprintf(when, sizeof when, "%s %02d:%02d", day, lt.h, lt.mi);

	section(x, "now", "Missing now and interviews outstanding");
	long over24 = 0, lac = 0, nopen = 0, due = x->t.due, overdue = x->t.overdue, due24 = x->t.due24;
	for (size_t i = 0; i < d->nopen; i++)
		if (report_group_kept(d, d->open[i].g, d->cfg.children)) {
			over24 += d->open[i].over24;
			lac += d->open[i].lac;
			nopen++;
		}
	para(x, RP_PARA, "At %s (the state of the records, whatever the period):", when);
	para(x, RP_BULLET, "Missing or away now: %s (%s), of them %s looked after; %s open for more than 24 "
			   "hours.",
	     NP(x, open_children(d), "child", "children"), NP(x, nopen, "open episode", "open episodes"),
	     C(x, lac), C(x, over24));
	para(x, RP_BULLET, "Return home interviews outstanding (returned, no interview held and no reason "
			   "recorded): %s; %s overdue (more than %ld hours after the return), %s not yet due, %s of "
			   "them due within the next 24 hours.",
	     C(x, due), C(x, overdue), d->cfg.within_hours, C(x, due - overdue), C(x, due24));
	if (x->t.again)
		para(x, RP_BULLET, "Not counted as outstanding: %s followed by another episode of the child "
				   "before an interview (missing_again, as mp-rhi-due lists them): the duty moved to "
				   "the later return.",
		     NP(x, x->t.again, "return", "returns"));
	if (x->r->with_ids)
		now_ids(x);
}

static void
build_quality(struct ctx *x)
{
	mp_report_data *d = x->d;
	const mp_report_quality *q = &d->cfg.quality;
	section(x, "quality", "Data quality");
	long reported = mp_stats_row_at(d->e[E_TOTAL], 0)->n[MP_ST_EPISODES];
	(void)reported;
	if (q->have) {
		para(x, RP_PARA, "Validation (mp-validate): %ld %s read, %ld rejected, %ld %s.", q->read,
		     q->read == 1 ? "row" : "rows", q->rejected, q->warnings, q->warnings == 1 ? "warning" : "warnings");
	}
	if (d->bad_rows)
		para(x, RP_PARA, "%ld %s of the input could not be used by this report and %s in no figure (see "
				 "the messages of mp-report).", d->bad_rows, d->bad_rows == 1 ? "row" : "rows",
		     d->bad_rows == 1 ? "is" : "are");
	if (!q->have && !d->bad_rows)
		para(x, RP_PARA, "No validation summary was given (--validation); every row of the input was used.");
	if (d->match_col >= 0) {
		const long *m = d->matched;
		para(x, RP_PARA, "Reconciliation with the police notifications (mp-match), of the %ld %s of the input: "
				 "%ld in both the case system and the police notifications, %ld in the case system only, "
				 "%ld notified by the police only (no case record); %ld not reconciled.", d->rows,
		     d->rows == 1 ? "episode" : "episodes", m[0], m[1], m[2], m[3]);
	}
}

/* The period in words for the empty-period line: "in October 2026", "between 1 and 7 May 2026". */
static void
period_words(char *buf, size_t sz, const mp_report_config *cfg)
{
	char a[64], b[64];
	int y, m, dd, y2, m2, d2;
	mp_civil_from_days(cfg->from_day, &y, &m, &dd);
	mp_civil_from_days(cfg->to_day + 1, &y2, &m2, &d2);
	mp_report_long_date(a, sizeof a, cfg->from_day);
	mp_report_long_date(b, sizeof b, cfg->to_day);
	static const enum mp_period named[] = { MP_BY_FQ, MP_BY_FY };
	for (int i = 0; i < 2; i++) {
		int64_t k = mp_period_key(named[i], cfg->from_day), f, l;
		char lab[MP_PERIOD_LABEL_MAX];
		mp_period_days(named[i], k, &f, &l);
		if (f == cfg->from_day && l == cfg->to_day) {
			mp_period_label(named[i], k, lab);
			snprintf(buf, sz, "in %s", lab);
			return;
		}
	}
	if (dd == 1 && d2 == 1 && (y2 - y) * 12 + m2 - m == 1) {
		month_name(a, sizeof a, mp_period_key(MP_BY_MONTH, cfg->from_day));
		snprintf(buf, sz, "in %s", a);
	} else if (cfg->from_day == cfg->to_day) {
		snprintf(buf, sz, "on %s", a);
	} else {
		snprintf(buf, sz, "between %s and %s", a, b);
	}
}

/* The title and the lines under it. */
static void
build_front(struct ctx *x)
{
	mp_report *r = x->r;
	const mp_report_config *cfg = &x->d->cfg;
	char a[64], b[64], when[64], rule[96];
	mp_time lt;
	static const char *const kt[] = { "daily update", "weekly overview", "monthly report", "quarterly report",
					  "annual report", "report" };
	r->title = cfg->title ? mp_report_clean(cfg->title)
			      : mp_xasprintf("Children missing from home or care: %s", kt[cfg->kind]);
	r->subtitle = cfg->la ? mp_report_clean(cfg->la) : NULL;
	r->front = mp_xcalloc(6, sizeof *r->front);
	if (x->d->rows && !x->d->periods) {
		/* Rows, but none in the period: say so first, not a page of zeros. */
		char pw[200];
		period_words(pw, sizeof pw, cfg);
		char *t = mp_xasprintf("%ld %s read, none starting %s: give --month, --fy or --from/--to.", x->d->rows,
				    x->d->rows == 1 ? "episode" : "episodes", pw);
		r->front[r->nfront++] = r->title;
		r->title = t;
	}
	mp_report_long_date(a, sizeof a, cfg->from_day);
	mp_report_long_date(b, sizeof b, cfg->to_day);
	mp_utc_to_local(cfg->now, &lt);
	mp_report_long_date(when, sizeof when, lt.day);
	char lab[MP_PERIOD_LABEL_MAX + 2] = "";
	static const enum mp_period named[] = { MP_BY_FQ, MP_BY_FY };
	for (int i = 0; i < 2; i++) {
		int64_t k = mp_period_key(named[i], cfg->from_day), f, l;
		mp_period_days(named[i], k, &f, &l);
		if (f == cfg->from_day && l == cfg->to_day) {
			size_t n = mp_period_label(named[i], k, lab);
			memcpy(lab + n, ", ", 3);
		}
	}
	if (cfg->from_day == cfg->to_day)
		r->front[r->nfront++] = mp_xasprintf("Period: %s (episodes starting that day).", a);
	else
		r->front[r->nfront++] = mp_xasprintf("Period: %s%s to %s (episodes starting in it).", lab, a, b);
	repeat_rule(rule, sizeof rule, cfg);
	r->front[r->nfront++] = mp_xasprintf("State at %s %02d:%02d; RHI timescale %ld hours; repeat missing: %s.",
					  when, lt.h, lt.mi, cfg->within_hours, rule);
	if (cfg->with_ids)
		r->front[r->nfront++] = mp_xstrdup("CONTAINS CHILD-LEVEL IDENTIFIERS (--with-ids): for the "
						   "missing team's own use; do not circulate.");
	else
		r->front[r->nfront++] = mp_xstrdup("Counts only: no child is identified.");
	if (cfg->suppress)
		r->front[r->nfront++] = mp_xasprintf("Small numbers: counts from 1 to %ld, and percentages built on "
						  "them, are shown as [c]%s.", cfg->suppress - 1,
						  cfg->secondary ? ", and so is the next smallest count of a group "
								   "with one such count (--secondary)" : "");
}

mp_report *
mp_report_build(mp_report_data *d)
{
	mp_report *r = mp_xcalloc(1, sizeof *r);
	struct ctx x = { .d = d, .r = r };
	const mp_report_config *cfg = &d->cfg;

	r->with_ids = cfg->with_ids;
	tally(d, cfg->children, &x.t);
	build_front(&x);
	int all = cfg->kind == MP_KIND_MONTHLY || cfg->kind == MP_KIND_QUARTERLY || cfg->kind == MP_KIND_ANNUAL ||
		  cfg->kind == MP_KIND_CUSTOM;
	int empty = d->rows && !d->periods;
	const report_repeat *rf = &d->rep[0], *prf = &d->rep[1];	/* the repeat rule counts only the children of the figures */
	if (!empty)
		build_headline(&x, all ? rf : NULL, prf);
	if (all && !empty)
		build_trend(&x);
	if (cfg->kind != MP_KIND_DAILY && !empty) {
		build_care(&x);
		build_type(&x);
		build_rhi(&x);
	}
	if (all && !empty) {
		build_repeat(&x, rf);
		build_durations(&x);
		build_factors(&x);
		build_groups(&x);
	}
	if (!empty)
		build_placed(&x);
	build_now(&x);
	build_quality(&x);
	return r;
}

static void
free_table(rp_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++) {
		free(t->cells[i].s);
		free(t->cells[i].key);
	}
	for (size_t i = 0; i < t->ncols; i++)
		free(t->head[i]);
	free(t->cells);
	free(t->head);
	free(t->right);
	free(t->caption);
	free(t->chart_title);
	free(t->chart_desc);
	free(t->late);
	free(t->part);
	free(t->rowpart);
	free(t->pct_of);
	free(t);
}

void
mp_report_free(mp_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ns; i++) {
		rp_section *s = &r->s[i];
		for (size_t j = 0; j < s->nb; j++) {
			free(s->b[j].text);
			if (s->b[j].t)
				free_table(s->b[j].t);
		}
		free(s->b);
		free(s->id);
		free(s->title);
	}
	free(r->s);
	for (size_t i = 0; i < r->nfront; i++)
		free(r->front[i]);
	free(r->front);
	for (size_t i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	free(r->title);
	free(r->subtitle);
	free(r);
}
