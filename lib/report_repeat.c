/* report_repeat.c: mp-report's repeat figure: children reaching --repeat-min in a month or a span of days. */
#include "report_int.h"
#include "err.h"
#include "period.h"
#include "repeat.h"

#include <stdlib.h>
#include <string.h>

static int
cmp_pe(const void *a, const void *b)
{
	const rep_ep *x = a, *y = b;
	if (x->child != y->child)
		return x->child < y->child ? -1 : 1;
	return (x->day > y->day) - (x->day < y->day);
}

/* For sorting the listed rows by the child's id (bytewise), then span. */
static const mp_report_data *sort_d;

static int
cmp_row(const void *a, const void *b)
{
	const rrepeat_row *x = a, *y = b;
	const rchild *p = &sort_d->ch[x->child], *q = &sort_d->ch[y->child];
	size_t n = p->len < q->len ? p->len : q->len;
	int c = memcmp(rchild_id(sort_d, p), rchild_id(sort_d, q), n);
	if (c || p->len != q->len)
		return c ? c : p->len < q->len ? -1 : 1;
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
child_months(const mp_report_data *d, report_repeat *rf, const rep_ep *e, size_t n, int list)
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
child_span(const mp_report_data *d, report_repeat *rf, const rep_ep *e, size_t n, mp_rep_ep **buf,
	   size_t *cap, int list)
{
	if ((long)n < d->cfg.repeat_min)
		return 0;
	*buf = mp_xgrow(*buf, cap, n, sizeof **buf);
	for (size_t i = 0; i < n; i++)
		(*buf)[i] = (mp_rep_ep){ .child = e[i].child, .day = e[i].day };
	size_t first;
	size_t k = mp_repeat_fullest(*buf, n, (int)d->cfg.repeat_window, &first);
	if ((long)k < d->cfg.repeat_min)
		return 0;
	int64_t last = (int64_t)e[first].day + d->cfg.repeat_window - 1;
	if (list)
		add_row(rf, e[0].child, e[first].day, last, k, d->ch[e[0].child].first_hoth <= last);
	return 1;
}

void
report_repeat_compute(mp_report_data *d, report_repeat *rf, int64_t from, int64_t to)
{
	memset(rf, 0, sizeof *rf);
	rf->first_key = mp_period_key(MP_BY_MONTH, from);
	rf->nmonths = (size_t)(mp_period_key(MP_BY_MONTH, to) - rf->first_key + 1);
	rf->m_children = mp_xcalloc(rf->nmonths, sizeof *rf->m_children);
	rf->m_hoth = mp_xcalloc(rf->nmonths, sizeof *rf->m_hoth);
	if (d->npe && !d->pe_sorted)
		qsort(d->pe, d->npe, sizeof *d->pe, cmp_pe);
	d->pe_sorted = 1;
	mp_rep_ep *buf = NULL;
	size_t cap = 0;
	int list = d->cfg.with_ids && from == d->cfg.from_day;
	for (size_t i = 0, j; i < d->npe; i = j) {
		/* The child's episodes within from..to (its run is sorted by day). */
		size_t e = i;
		while (i < d->npe && d->pe[i].child == d->pe[e].child && d->pe[i].day < from)
			i++;
		for (j = i; j < d->npe && d->pe[j].child == d->pe[e].child && d->pe[j].day <= to; j++)
			;
		if (j > i) {
			int any = d->cfg.repeat_window ? child_span(d, rf, &d->pe[i], j - i, &buf, &cap, list)
						       : child_months(d, rf, &d->pe[i], j - i, list);
			rf->children += any;
			rf->hoth += any && d->ch[d->pe[i].child].first_hoth <= to;
		}
		while (j < d->npe && d->pe[j].child == d->pe[e].child)
			j++;
	}
	free(buf);
	if (rf->nrows) {
		sort_d = d;
		qsort(rf->rows, rf->nrows, sizeof *rf->rows, cmp_row);
	}
}

void
report_repeat_free(report_repeat *rf)
{
	free(rf->m_children);
	free(rf->m_hoth);
	free(rf->rows);
}
