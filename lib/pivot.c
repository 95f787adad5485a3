/* pivot.c: group long rows by record id; each question becomes a column. */
#include "pivot.h"
#include "err.h"
#include "intern.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct prec {
	char **v;		/* one value per pivoted column (NULL: none yet) */
	size_t nv, cv;
	long line;
	int bad;		/* answered one question two ways: not to be used */
} prec;

struct mp_pivot {
	int idx[3];
	size_t nfixed;		/* source columns other than question and answer */
	size_t *fixed;		/* their source positions */
	char **names;		/* pivoted header names */
	size_t nnames, cnames;
	mp_record header;
	mp_field *hf;
	size_t chf;
	prec *recs;
	size_t crecs;		/* recs[i] is the record of id i of ids */
	mp_intern *ids;		/* record id -> index into recs */
	mp_record out;		/* the record last returned */
	mp_field *of;
	size_t cof;
};

mp_pivot *
mp_pivot_new(const mp_record *header, const int idx[3])
{
	mp_pivot *p = mp_xcalloc(1, sizeof *p);

	memcpy(p->idx, idx, sizeof p->idx);
	p->fixed = mp_xcalloc(header->n + 1, sizeof *p->fixed);
	for (size_t i = 0; i < header->n; i++)
		if ((int)i != idx[1] && (int)i != idx[2]) {
			p->fixed[p->nfixed++] = i;
			p->names = mp_xgrow(p->names, &p->cnames, p->nnames + 1, sizeof *p->names);
			p->names[p->nnames++] = mp_xstrndup(header->f[i].s, header->f[i].len);
		}
	p->ids = mp_intern_new();
	return p;
}

/* The pivoted column of question q (trimmed), added when new. */
static size_t
question(mp_pivot *p, mp_field q)
{
	while (q.len && (q.s[0] == ' ' || q.s[0] == '\t'))
		q.s++, q.len--;
	while (q.len && (q.s[q.len - 1] == ' ' || q.s[q.len - 1] == '\t'))
		q.len--;
	for (size_t i = p->nfixed; i < p->nnames; i++)
		if (strlen(p->names[i]) == q.len && memcmp(p->names[i], q.s, q.len) == 0)
			return i;
	p->names = mp_xgrow(p->names, &p->cnames, p->nnames + 1, sizeof *p->names);
	p->names[p->nnames] = mp_xstrndup(q.s, q.len);
	return p->nnames++;
}

static prec *
record_for(mp_pivot *p, const mp_record *rec, mp_field id)
{
	int added;
	uint32_t k = mp_intern_add(p->ids, id.s, id.len, &added);

	if (!added)
		return &p->recs[k];
	/* A record's index is its id's (ids are numbered in order of first appearance). */
	p->recs = mp_xgrow(p->recs, &p->crecs, (size_t)k + 1, sizeof *p->recs);
	prec *r = &p->recs[k];
	memset(r, 0, sizeof *r);
	r->nv = r->cv = p->nfixed;
	r->v = mp_xcalloc(r->nv, sizeof *r->v);
	r->line = rec->line;
	for (size_t i = 0; i < p->nfixed; i++)
		r->v[i] = p->fixed[i] < rec->n ? mp_xstrndup(rec->f[p->fixed[i]].s, rec->f[p->fixed[i]].len)
					     : mp_xstrdup("");
	return r;
}

int
mp_pivot_add(mp_pivot *p, const mp_record *rec, char *msg, size_t msgsz)
{
	mp_field none = { "", 0 };
	mp_field id = (size_t)p->idx[0] < rec->n ? rec->f[p->idx[0]] : none;
	mp_field q = (size_t)p->idx[1] < rec->n ? rec->f[p->idx[1]] : none;
	mp_field a = (size_t)p->idx[2] < rec->n ? rec->f[p->idx[2]] : none;

	if (id.len == 0) {
		snprintf(msg, msgsz, "no record id: the answer cannot be given to a record");
		return -1;
	}
	prec *r = record_for(p, rec, id);
	if (q.len == 0)
		return 0;	/* a record's row with no question: its fixed columns only */
	size_t c = question(p, q);
	if (c >= r->nv) {
		r->v = mp_xgrow(r->v, &r->cv, c + 1, sizeof *r->v);
		memset(r->v + r->nv, 0, (c + 1 - r->nv) * sizeof *r->v);
		r->nv = c + 1;
	}
	if (r->v[c] && (strlen(r->v[c]) != a.len || memcmp(r->v[c], a.s, a.len) != 0)) {
		snprintf(msg, msgsz, "record %s answers '%s' twice: '%s', then '%s' (the record is rejected)",
			 mp_show(id.s, id.len), p->names[c], mp_show(r->v[c], strlen(r->v[c])), mp_show(a.s, a.len));
		r->bad = 1;
		return 1;
	}
	if (!r->v[c])
		r->v[c] = mp_xstrndup(a.s, a.len);
	return 0;
}

const mp_record *
mp_pivot_header(const mp_pivot *p)
{
	mp_pivot *w = (mp_pivot *)p;
	w->hf = mp_xgrow(w->hf, &w->chf, p->nnames + 1, sizeof *w->hf);
	for (size_t i = 0; i < p->nnames; i++) {
		w->hf[i].s = p->names[i];
		w->hf[i].len = strlen(p->names[i]);
	}
	w->header.f = w->hf;
	w->header.n = p->nnames;
	w->header.line = 1;
	return &w->header;
}

size_t
mp_pivot_count(const mp_pivot *p)
{
	return mp_intern_count(p->ids);
}

int
mp_pivot_bad(const mp_pivot *p, size_t i)
{
	return p->recs[i].bad;
}

const mp_record *
mp_pivot_record(mp_pivot *p, size_t i)
{
	prec *r = &p->recs[i];
	p->of = mp_xgrow(p->of, &p->cof, p->nnames + 1, sizeof *p->of);
	for (size_t k = 0; k < p->nnames; k++) {
		p->of[k].s = k < r->nv && r->v[k] ? r->v[k] : "";
		p->of[k].len = strlen(p->of[k].s);
	}
	memset(&p->out, 0, sizeof p->out);
	p->out.f = p->of;
	p->out.n = p->nnames;
	p->out.line = r->line;
	return &p->out;
}

void
mp_pivot_free(mp_pivot *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < mp_intern_count(p->ids); i++) {
		for (size_t k = 0; k < p->recs[i].nv; k++)
			free(p->recs[i].v[k]);
		free(p->recs[i].v);
	}
	free(p->recs);
	for (size_t i = 0; i < p->nnames; i++)
		free(p->names[i]);
	free(p->names);
	free(p->fixed);
	mp_intern_free(p->ids);
	free(p->hf);
	free(p->of);
	free(p);
}
