/*
 * report_repeat.c: mp-report's repeat figure, children reaching --repeat-min
 * in a month or a span of days, for the period and the previous one.  It is
 * made in the store's walk of every child (mp_stats_store_visit): the
 * episodes it counts are the ones the totals (E_TOTAL, E_PREV) count.
 */
#include "report_int.h"
#include "err.h"
#include "period.h"
#include "repeat.h"

#include <stdlib.h>
#include <string.h>

/* One thread's share of the walk: both periods' figures, and room for a child's episodes. */
struct report_repeat_part {
	report_repeat rf[2];
	mp_rep_ep *buf;
	size_t cap;
};

/* For sorting the listed rows by the child's id (bytewise), then span. */
static const mp_report_data *sort_d;

static int
cmp_row(const void *a, const void *b)
{
	const rrepeat_row *x = a, *y = b;
	int c = x->child == y->child ? 0 : mp_ids_cmp(&sort_d->ids, sort_d->idw[x->child], sort_d->idw[y->child]);
	if (c)
		return c;
	return (x->first > y->first) - (x->first < y->first);
}

static void
add_row(report_repeat *rf, uint32_t child, int64_t first, int64_t last, size_t n, int hoth)
{
	rf->rows = mp_xgrow(rf->rows, &rf->crows, rf->nrows + 1, sizeof *rf->rows);
	rf->rows[rf->nrows++] = (rrepeat_row){ child, (int32_t)first, (int32_t)last, (uint32_t)n, (uint8_t)hoth };
}

/* One child's episodes (sorted by day), the calendar-month rule. */
static int
child_months(const mp_report_data *d, report_repeat *rf, const mp_rep_ep *e, size_t n, int list)
{
	int any = 0;
	for (size_t i = 0, j; i < n; i = j) {
		int64_t key = mp_period_key(MP_BY_MONTH, e[i].day), first, last;
		for (j = i + 1; j < n && mp_period_key(MP_BY_MONTH, e[j].day) == key; j++)
			;
		if ((long)(j - i) < d->cfg.repeat_min)
			continue;
		mp_period_days(MP_BY_MONTH, key, &first, &last);
		int h = d->ch[e[i].child].first_hoth <= last;
		rf->m_children[key - rf->first_key]++;
		rf->m_hoth[key - rf->first_key] += h;
		if (list)
			add_row(rf, e[i].child, first, last, j - i, h);
		any = 1;
	}
	return any;
}

/* One child's episodes, the rule of a span of --repeat-window days (as mp-repeat --window). */
static int
child_span(const mp_report_data *d, report_repeat *rf, const mp_rep_ep *e, size_t n, int list)
{
	if ((long)n < d->cfg.repeat_min)
		return 0;
	size_t first;
	size_t k = mp_repeat_fullest(e, n, (int)d->cfg.repeat_window, &first);
	if ((long)k < d->cfg.repeat_min)
		return 0;
	int64_t last = (int64_t)e[first].day + d->cfg.repeat_window - 1;
	if (list)
		add_row(rf, e[0].child, e[first].day, last, k, d->ch[e[0].child].first_hoth <= last);
	return 1;
}

/* The store's visit: a child's episodes, bit 0 counted in the period, bit 1 in the previous one. */
static void
visit(void *arg, int part, uint32_t child, const mp_stats_seen *s, size_t n)
{
	mp_report_data *d = arg;
	struct report_repeat_part *rp = &d->rparts[part];

	rp->buf = mp_xgrow(rp->buf, &rp->cap, n, sizeof *rp->buf);
	for (int p = 0; p < 2; p++) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (s[i].counted >> p & 1)
				rp->buf[k++] = (mp_rep_ep){ .day = (int32_t)s[i].day, .child = child };
		if (!k)
			continue;
		report_repeat *rf = &rp->rf[p];
		int list = p == 0 && d->cfg.with_ids;
		int any = d->cfg.repeat_window ? child_span(d, rf, rp->buf, k, list) : child_months(d, rf, rp->buf, k, list);
		rf->children += any;
		rf->hoth += any && d->ch[child].first_hoth <= (p ? d->cfg.prev_to : d->cfg.to_day);
	}
}

/* An empty figure for the days from..to. */
static void
repeat_init(report_repeat *rf, int64_t from, int64_t to)
{
	memset(rf, 0, sizeof *rf);
	rf->first_key = mp_period_key(MP_BY_MONTH, from);
	rf->nmonths = (size_t)(mp_period_key(MP_BY_MONTH, to) - rf->first_key + 1);
	rf->m_children = mp_xcalloc(rf->nmonths, sizeof *rf->m_children);
	rf->m_hoth = mp_xcalloc(rf->nmonths, sizeof *rf->m_hoth);
}

void
report_repeat_begin(mp_report_data *d, int nparts)
{
	const mp_report_config *cfg = &d->cfg;

	repeat_init(&d->rep[0], cfg->from_day, cfg->to_day);
	repeat_init(&d->rep[1], cfg->prev_from, cfg->prev_to);
	if (!d->store)
		return;	/* no header was read: no episode */
	d->rparts = mp_xcalloc((size_t)nparts, sizeof *d->rparts);
	d->nrparts = nparts;
	for (int t = 0; t < nparts; t++) {
		repeat_init(&d->rparts[t].rf[0], cfg->from_day, cfg->to_day);
		repeat_init(&d->rparts[t].rf[1], cfg->prev_from, cfg->prev_to);
	}
	mp_stats *eng[2] = { d->e[E_TOTAL], d->e[E_PREV] };
	mp_stats_store_visit(d->store, eng, 2, visit, d);
}

/* Add a thread's figure into the whole. */
static void
repeat_add(report_repeat *to, const report_repeat *rf)
{
	to->children += rf->children;
	to->hoth += rf->hoth;
	for (size_t i = 0; i < to->nmonths; i++) {
		to->m_children[i] += rf->m_children[i];
		to->m_hoth[i] += rf->m_hoth[i];
	}
	for (size_t i = 0; i < rf->nrows; i++)
		add_row(to, rf->rows[i].child, rf->rows[i].first, rf->rows[i].last, rf->rows[i].n, rf->rows[i].hoth);
}

void
report_repeat_end(mp_report_data *d)
{
	for (int t = 0; t < d->nrparts; t++) {
		for (int p = 0; p < 2; p++) {
			repeat_add(&d->rep[p], &d->rparts[t].rf[p]);
			report_repeat_free(&d->rparts[t].rf[p]);
		}
		free(d->rparts[t].buf);
	}
	free(d->rparts);
	d->rparts = NULL;
	d->nrparts = 0;
	if (d->rep[0].nrows) {
		sort_d = d;
		qsort(d->rep[0].rows, d->rep[0].nrows, sizeof *d->rep[0].rows, cmp_row);
	}
}

void
report_repeat_free(report_repeat *rf)
{
	free(rf->m_children);
	free(rf->m_hoth);
	free(rf->rows);
	memset(rf, 0, sizeof *rf);
}
