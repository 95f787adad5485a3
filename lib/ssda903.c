/* ssda903.c: the SSDA903 Missing table's dates, collection year, Header table and rule 574's order. */
#include "ssda903.h"
#include "err.h"
#include "intern.h"
#include "mptime.h"

#include <stdlib.h>
#include <string.h>

const char *const mp_ssda903_cols[S_COUNT] = { "CHILD", "DOB", "MISSING", "MIS_START", "MIS_END" };

struct mp_903 {
	/* the Header table: children by the index of their id in htids */
	struct mp_intern *htids;
	mp_903_child *ht;
	size_t htcap;
	char *header_name;
	/* votes for the collection year: [0] ends, [1] starts; index year - 1900 */
	long year_votes[2][400];
	/* 574: every row of the table, observed before any is checked */
	mp_903_ep *e574;
	size_t n574, c574, next574;
	struct mp_intern *ids574;
};

int
mp_ssda903_date(const char *s, size_t len, int64_t *day)
{
	int v[3] = { 0, 0, 0 };
	size_t n[3] = { 0, 0, 0 }, pos = 0;

	for (int k = 0; k < 3; k++) {
		while (pos < len && s[pos] >= '0' && s[pos] <= '9' && n[k] < 5)
			v[k] = v[k] * 10 + (s[pos++] - '0'), n[k]++;
		if (k < 2 && (pos >= len || s[pos++] != '/'))
			return -1;
	}
	if (pos != len || n[0] < 1 || n[0] > 2 || n[1] < 1 || n[1] > 2 || n[2] != 4)
		return -1;
	if (v[1] < 1 || v[1] > 12 || v[0] < 1 || v[0] > mp_days_in_month(v[2], v[1]) || v[2] < 1)
		return -1;
	*day = mp_days_from_civil(v[2], v[1], v[0]);
	return 0;
}

int
mp_collection_year(int64_t day)
{
	int y, m, d;

	mp_civil_from_days(day, &y, &m, &d);
	return m >= 4 ? y + 1 : y;
}

mp_903 *
mp_903_new(void)
{
	return mp_xcalloc(1, sizeof(mp_903));
}

void
mp_903_free(mp_903 *m)
{
	if (!m)
		return;
	free(m->ht);
	mp_intern_free(m->htids);
	free(m->header_name);
	free(m->e574);
	mp_intern_free(m->ids574);
	free(m);
}

/* The Header table's entry for a child (by its id itself), made when new. */
static mp_903_child *
child_add(mp_903 *m, const char *id, size_t len)
{
	int added = 0;
	uint32_t k;

	if (!m->htids)
		m->htids = mp_intern_new();
	k = mp_intern_add(m->htids, id, len, &added);
	if (added) {
		m->ht = mp_xgrow(m->ht, &m->htcap, (size_t)k + 1, sizeof *m->ht);
		m->ht[k].dob = m->ht[k].dob2 = INT32_MIN;
	}
	return &m->ht[k];
}

const mp_903_child *
mp_903_child_find(const mp_903 *m, const char *id, size_t len)
{
	uint32_t k;

	if (!m->htids || (k = mp_intern_find(m->htids, id, len)) == MP_INTERN_NONE)
		return NULL;
	return &m->ht[k];
}

const char *
mp_903_header_name(const mp_903 *m)
{
	return m->header_name;
}

int
mp_903_load_header(mp_903 *m, const char *path, enum mp_format fmt, enum mp_encoding enc)
{
	mp_reader *r = mp_reader_open(path, fmt, enc);
	const mp_record *h;
	mp_record *rec;
	int ci, di, st;

	if (!r) {
		mp_warn("%s:", path);
		return -1;
	}
	if (!(h = mp_reader_header(r))) {
		mp_data_msg(mp_reader_name(r), 0, NULL, "the Header table has no header line");
		mp_reader_close(r);
		return -1;
	}
	ci = mp_reader_column(r, "CHILD");
	di = mp_reader_column(r, "DOB");
	if (ci < 0 || di < 0) {
		mp_data_msg(mp_reader_name(r), h->line, ci < 0 ? "CHILD" : "DOB",
			    "required column is missing from the Header table");
		mp_reader_close(r);
		return -1;
	}
	while ((st = mp_reader_next(r, &rec)) != MP_READ_EOF) {
		if (st == MP_READ_BAD) {
			mp_data_msg(mp_reader_name(r), mp_reader_bad_line(r), mp_reader_bad_field(r),
				    "%s (Header table row not used)", mp_reader_bad_msg(r));
			continue;
		}
		const mp_field *c = &rec->f[ci], *d = &rec->f[di];
		int64_t day;
		int32_t dob = mp_ssda903_date(d->s, d->len, &day) == 0 ? (int32_t)day : INT32_MIN;
		mp_903_child *e = child_add(m, c->s, c->len);
		if (e->dob == INT32_MIN)
			e->dob = dob;
		else if (dob != INT32_MIN && dob != e->dob)
			e->dob2 = dob;
	}
	free(m->header_name);
	m->header_name = mp_xstrdup(mp_reader_name(r));
	mp_reader_close(r);
	return 0;
}

void
mp_903_vote(mp_903 *m, mp_field start, mp_field end)
{
	int64_t day;
	int y;

	if (end.len && mp_ssda903_date(end.s, end.len, &day) == 0 && (y = mp_collection_year(day)) >= 1900 && y < 2300)
		m->year_votes[0][y - 1900]++;
	if (start.len && mp_ssda903_date(start.s, start.len, &day) == 0 && (y = mp_collection_year(day)) >= 1900 &&
	    y < 2300)
		m->year_votes[1][y - 1900]++;
}

int
mp_903_voted_year(const mp_903 *m)
{
	int year = 0;

	/* ties go to the later year */
	for (int k = 0; k < 2 && !year; k++) {
		long best = 0;
		for (int i = 0; i < 400; i++)
			if (m->year_votes[k][i] > 0 && m->year_votes[k][i] >= best) {
				best = m->year_votes[k][i];
				year = 1900 + i;
			}
	}
	return year;
}

void
mp_903_observe(mp_903 *m, mp_field child, mp_field start, mp_field end, long line, int file)
{
	int64_t sd, ed = 0;
	mp_903_ep e = { 0 };

	m->e574 = mp_xgrow(m->e574, &m->c574, m->n574 + 1, sizeof *m->e574);
	e.other = -1;
	e.line = line > 0 && line < (long)UINT32_MAX ? (uint32_t)line : UINT32_MAX;
	e.file = (uint16_t)file;
	if (child.len && start.len && mp_ssda903_date(start.s, start.len, &sd) == 0 &&
	    (!end.len || mp_ssda903_date(end.s, end.len, &ed) == 0)) {
		if (!m->ids574)
			m->ids574 = mp_intern_new();
		e.child = mp_intern_add(m->ids574, child.s, child.len, NULL);
		e.s = (int32_t)sd;
		e.e = (int32_t)(end.len ? ed : sd);
		e.open = !end.len;
		e.used = 1;
	}
	m->e574[m->n574++] = e;
}

static const mp_903_ep *order_base;

static int
order_cmp(const void *pa, const void *pb)
{
	const mp_903_ep *a = &order_base[*(const uint32_t *)pa], *b = &order_base[*(const uint32_t *)pb];

	if (a->child != b->child)
		return a->child < b->child ? -1 : 1;
	if (a->e != b->e)
		return a->e < b->e ? -1 : 1;
	if (a->s != b->s)
		return a->s < b->s ? -1 : 1;
	return *(const uint32_t *)pa < *(const uint32_t *)pb ? -1 : 1;
}

void
mp_903_settle(mp_903 *m)
{
	uint32_t *ord = mp_xmalloc((m->n574 ? m->n574 : 1) * sizeof *ord), n = 0;

	for (uint32_t i = 0; i < m->n574; i++)
		if (m->e574[i].used)
			ord[n++] = i;
	order_base = m->e574;
	qsort(ord, n, sizeof *ord, order_cmp);
	for (uint32_t k = 1; k < n; k++) {
		mp_903_ep *prev = &m->e574[ord[k - 1]], *cur = &m->e574[ord[k]];
		if (prev->child == cur->child && (prev->open || cur->s < prev->e))
			cur->other = (int32_t)ord[k - 1];
	}
	free(ord);
}

const mp_903_ep *
mp_903_next(mp_903 *m)
{
	if (m->next574 >= m->n574)
		return NULL;
	const mp_903_ep *e = &m->e574[m->next574++];
	return e->other < 0 ? NULL : &m->e574[e->other];
}

size_t
mp_903_bytes(const mp_903 *m)
{
	return m->htcap * sizeof *m->ht;
}
