/* rules_ssda903.c: the national return's (SSDA903) Missing-table rules, with the Department's numbers. */
#include "err.h"
#include "intern.h"
#include "rules.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* dd/mm/yyyy for a day number; a static buffer (four rotate). */
static const char *
day_show(int64_t day)
{
	static char buf[4][32];
	static int next;
	char *b = buf[next++ & 3];
	int y, m, d;

	mp_civil_from_days(day, &y, &m, &d);
	snprintf(b, sizeof buf[0], "%02d/%02d/%04d", d, m, y);
	return b;
}

static mp_field
col(const mp_validator *v, const mp_record *rec, int c)
{
	mp_field none = { "", 0 };
	int i = v->sc[c];
	return (i >= 0 && (size_t)i < rec->n) ? rec->f[i] : none;
}

/* The Header table's entry for a child (by its id itself), or NULL. */
static struct hdr_child *
hdr_find(mp_validator *v, const char *id, size_t len, int create)
{
	uint32_t k;
	int added = 0;

	if (!v->htids) {
		if (!create)
			return NULL;
		v->htids = mp_intern_new();
	}
	k = create ? mp_intern_add(v->htids, id, len, &added) : mp_intern_find(v->htids, id, len);
	if (k == MP_INTERN_NONE)
		return NULL;
	if (added) {
		if (k >= v->htcap) {
			v->htcap = v->htcap ? v->htcap * 2 : 1024;
			v->ht = mp_xrealloc(v->ht, v->htcap * sizeof *v->ht);
		}
		v->ht[k].dob = v->ht[k].dob2 = INT32_MIN;
		v->htcount++;
	}
	return &v->ht[k];
}

int
mp_validator_load_header_table(mp_validator *v, const char *path, enum mp_format fmt, enum mp_encoding enc)
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
		struct hdr_child *e = hdr_find(v, c->s, c->len, 1);
		if (e->dob == INT32_MIN)
			e->dob = dob;
		else if (dob != INT32_MIN && dob != e->dob)
			e->dob2 = dob;
	}
	free(v->header_table_name);
	v->header_table_name = mp_xstrdup(mp_reader_name(r));
	v->have_header_table = 1;
	mp_reader_close(r);
	return 0;
}

/*
 * 574, as the national validator applies it: each child's episodes sorted
 * by end (start where open), then start, then file order; where the
 * previous one is still open or ends after this one starts, this one (the
 * later in that order) is reported, naming the other.  The whole table is
 * observed first (mp_validator_observe), so the file's order does not
 * matter; mp_ssda903_row then reports the rows flagged here.
 */
static void
observe_574(mp_validator *v, const mp_record *rec)
{
	mp_field child = col(v, rec, S_CHILD), start = col(v, rec, S_MIS_START), end = col(v, rec, S_MIS_END);
	int64_t sd, ed = 0;
	struct ep574 e = { 0 };

	if (v->n574 == v->c574) {
		v->c574 = v->c574 ? 2 * v->c574 : 1024;
		v->e574 = mp_xrealloc(v->e574, v->c574 * sizeof *v->e574);
	}
	e.other = -1;
	e.line = rec->line > 0 && rec->line < (long)UINT32_MAX ? (uint32_t)rec->line : UINT32_MAX;
	e.file = (uint16_t)v->cur;
	if (child.len && start.len && mp_ssda903_date(start.s, start.len, &sd) == 0 &&
	    (!end.len || mp_ssda903_date(end.s, end.len, &ed) == 0)) {
		if (!v->ids574)
			v->ids574 = mp_intern_new();
		e.child = mp_intern_add(v->ids574, child.s, child.len, NULL);
		e.s = (int32_t)sd;
		e.e = (int32_t)(end.len ? ed : sd);
		e.open = !end.len;
		e.used = 1;
	}
	v->e574[v->n574++] = e;
}

static const struct ep574 *order_base;

static int
order_cmp(const void *pa, const void *pb)
{
	const struct ep574 *a = &order_base[*(const uint32_t *)pa], *b = &order_base[*(const uint32_t *)pb];

	if (a->child != b->child)
		return a->child < b->child ? -1 : 1;
	if (a->e != b->e)
		return a->e < b->e ? -1 : 1;
	if (a->s != b->s)
		return a->s < b->s ? -1 : 1;
	return *(const uint32_t *)pa < *(const uint32_t *)pb ? -1 : 1;
}

static void
settle_574(mp_validator *v)
{
	uint32_t *ord = mp_xmalloc((v->n574 ? v->n574 : 1) * sizeof *ord), n = 0;

	for (uint32_t i = 0; i < v->n574; i++)
		if (v->e574[i].used)
			ord[n++] = i;
	order_base = v->e574;
	qsort(ord, n, sizeof *ord, order_cmp);
	for (uint32_t k = 1; k < n; k++) {
		struct ep574 *prev = &v->e574[ord[k - 1]], *cur = &v->e574[ord[k]];
		if (prev->child == cur->child && (prev->open || cur->s < prev->e))
			cur->other = (int32_t)ord[k - 1];
	}
	free(ord);
}

/* The row's 574 verdict, from the order worked out before the rows were checked. */
static int
overlap(mp_validator *v, const mp_record *rec)
{
	if (v->next574 >= v->n574)
		return 0;
	const struct ep574 *e = &v->e574[v->next574++];
	if (e->other < 0)
		return 0;
	const struct ep574 *w = &v->e574[e->other];
	if (w->open)
		return mp_rule_report(v, R_574, rec->line, "MIS_START", rec,
				      "overlaps the episode on %s (from %s, still open)",
				      mp_rule_where(v, w->line, w->file), day_show(w->s));
	return mp_rule_report(v, R_574, rec->line, "MIS_START", rec, "overlaps the episode on %s (%s to %s)",
			      mp_rule_where(v, w->line, w->file), day_show(w->s), day_show(w->e));
}

int
mp_validator_needs_year(const mp_validator *v)
{
	return v->ssda903 && v->year == 0 && (!v->skip[R_570] || !v->skip[R_571]);
}

size_t
mp_validator_lookahead(const mp_validator *v)
{
	if (v->ssda903 && !v->skip[R_574])
		return SIZE_MAX;
	return mp_validator_needs_year(v) ? MP_YEAR_LOOKAHEAD : 0;
}

void
mp_validator_observe(mp_validator *v, const mp_record *rec)
{
	mp_field s = col(v, rec, S_MIS_START), e = col(v, rec, S_MIS_END);
	int64_t day;
	int y;

	if (e.len && mp_ssda903_date(e.s, e.len, &day) == 0 && (y = mp_collection_year(day)) >= 1900 && y < 2300)
		v->year_votes[0][y - 1900]++;
	if (s.len && mp_ssda903_date(s.s, s.len, &day) == 0 && (y = mp_collection_year(day)) >= 1900 && y < 2300)
		v->year_votes[1][y - 1900]++;
	if (v->ssda903 && !v->skip[R_574])
		observe_574(v, rec);
}

int
mp_validator_settle(mp_validator *v)
{
	int want_year = mp_validator_needs_year(v);

	if (v->ssda903 && !v->skip[R_574])
		settle_574(v);
	for (int k = 0; k < 2 && want_year && !v->year; k++) {
		long best = 0;
		for (int i = 0; i < 400; i++)
			if (v->year_votes[k][i] > 0 && v->year_votes[k][i] >= best) {
				best = v->year_votes[k][i];
				v->year = 1900 + i;
			}
	}
	if (want_year)
		v->year_inferred = v->year != 0;
	return v->year;
}

int
mp_validator_year(const mp_validator *v, int *inferred)
{
	if (inferred)
		*inferred = v->year_inferred;
	return v->year;
}

int
mp_ssda903_row(mp_validator *v, const mp_record *rec)
{
	mp_field child = col(v, rec, S_CHILD), dob = col(v, rec, S_DOB), type = col(v, rec, S_MISSING);
	mp_field start = col(v, rec, S_MIS_START), end = col(v, rec, S_MIS_END);
	int64_t sd = 0, ed = 0, bd = 0;
	int s_ok = start.len && mp_ssda903_date(start.s, start.len, &sd) == 0;
	int e_ok = end.len && mp_ssda903_date(end.s, end.len, &ed) == 0;
	int b_ok = dob.len && mp_ssda903_date(dob.s, dob.len, &bd) == 0;
	int errors = 0;

	if (v->have_header_table && child.len) {
		struct hdr_child *h = hdr_find(v, child.s, child.len, 0);
		if (!h)
			errors += mp_rule_report(v, R_INT04, rec->line, "CHILD", rec,
						 "child '%s' is not in the Header table (%s)", mp_show(child.s, child.len),
						 v->header_table_name);
		else if (b_ok && h->dob != INT32_MIN && (h->dob != bd || (h->dob2 != INT32_MIN && h->dob2 != bd)))
			errors += mp_rule_report(v, R_INT13, rec->line, "DOB", rec,
						 "%s differs from the Header table's date of birth (%s)",
						 day_show(bd), day_show(h->dob != bd ? h->dob : h->dob2));
	}
	if (type.len && !((type.len == 1 && (type.s[0] == 'M' || type.s[0] == 'A'))))
		errors += mp_rule_report(v, R_1006, rec->line, "MISSING", rec, "'%s' is not M or A",
					 mp_show(type.s, type.len));
	if (!type.len && start.len)
		errors += mp_rule_report(v, R_565, rec->line, "MISSING", rec,
					 "the start date is given but MISSING is blank");
	if (!type.len && end.len)
		errors += mp_rule_report(v, R_566, rec->line, "MISSING", rec,
					 "the end date is given but MISSING is blank");
	if (!start.len) {
		errors += mp_rule_report(v, R_1004, rec->line, "MIS_START", rec, "the start date is blank");
		if (type.len == 1 && strchr("MAma", type.s[0]))
			errors += mp_rule_report(v, R_564, rec->line, "MIS_START", rec,
						 "MISSING is '%s' but the start date is blank", mp_show(type.s, type.len));
	} else if (!s_ok) {
		errors += mp_rule_report(v, R_1004, rec->line, "MIS_START", rec,
					 "'%s' is not a valid dd/mm/yyyy date", mp_show(start.s, start.len));
	}
	if (s_ok && b_ok && sd <= bd)
		errors += mp_rule_report(v, R_586, rec->line, "MIS_START", rec,
					 "starts (%s) on or before the date of birth (%s)", mp_show(start.s, start.len),
					 mp_show(dob.s, dob.len));
	if (s_ok && v->year && sd > mp_days_from_civil(v->year, 3, 31))
		errors += mp_rule_report(v, R_570, rec->line, "MIS_START", rec,
					 "starts (%s) after the collection year ends (31/03/%04d)",
					 mp_show(start.s, start.len), v->year);
	if (end.len && !e_ok)
		errors += mp_rule_report(v, R_1005, rec->line, "MIS_END", rec,
					 "'%s' is not a valid dd/mm/yyyy date", mp_show(end.s, end.len));
	if (s_ok && e_ok && ed < sd)
		errors += mp_rule_report(v, R_567, rec->line, "MIS_END", rec, "ends (%s) before it starts (%s)",
					 mp_show(end.s, end.len), mp_show(start.s, start.len));
	if (e_ok && v->year &&
	    (ed < mp_days_from_civil(v->year - 1, 4, 1) || ed > mp_days_from_civil(v->year, 3, 31)))
		errors += mp_rule_report(v, R_571, rec->line, "MIS_END", rec,
					 "ends (%s) outside the collection year (01/04/%04d to 31/03/%04d)",
					 mp_show(end.s, end.len), v->year - 1, v->year);
	if (!v->skip[R_574])
		errors += overlap(v, rec);
	return errors;
}
