/* report.c: the figures of mp-report (through mp_stats engines) and the model of its sections. */
#include "report_int.h"
#include "alert.h"
#include "episode.h"
#include "err.h"
#include "intern.h"
#include "mptime.h"
#include "period.h"
#include "rhidue.h"
#include "stats.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const mp_report_kind_names[] = { "daily", "weekly", "monthly", "quarterly", "annual", "custom" };

int
mp_report_kind_parse(const char *s)
{
	for (int i = 0; i < MP_KIND_CUSTOM; i++)
		if (strcmp(s, mp_report_kind_names[i]) == 0)
			return i;
	return -1;
}

void
mp_report_config_init(mp_report_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->kind = MP_KIND_MONTHLY;
	cfg->within_hours = 72;
	cfg->repeat_min = 3;
	cfg->rhi_types = 1u << MP_EP_MISSING;
	cfg->secondary = 1;
	cfg->recur_days = 30;
}

void
mp_report_config_periods(mp_report_config *cfg)
{
	int64_t f = cfg->from_day, t = cfg->to_day, first, last;
	int y, m, dd, y2, m2, d2;
	mp_civil_from_days(f, &y, &m, &dd);
	mp_civil_from_days(t + 1, &y2, &m2, &d2);
	/* A run of whole months (a month, a financial quarter, a year): the months just before. */
	if (dd == 1 && d2 == 1) {
		int months = (y2 - y) * 12 + (m2 - m);
		int64_t k = mp_period_key(MP_BY_MONTH, f);
		mp_period_days(MP_BY_MONTH, k - months, &cfg->prev_from, &last);
		cfg->prev_to = f - 1;
	} else {
		cfg->prev_from = f - (t - f + 1);
		cfg->prev_to = f - 1;
	}
	cfg->trend_from = f;
	cfg->trend_to = t;
	if (cfg->kind == MP_KIND_MONTHLY && mp_period_key(MP_BY_MONTH, f) == mp_period_key(MP_BY_MONTH, t)) {
		mp_period_days(MP_BY_MONTH, mp_period_key(MP_BY_MONTH, f) - 11, &first, &last);
		cfg->trend_from = first;
	}
}

void
report_stats_config(const mp_report_config *cfg, int e, mp_stats_config *sc)
{
	mp_stats_config_init(sc);
	sc->by = (e == E_MONTH || e == E_TREND) ? MP_BY_MONTH : MP_BY_NONE;
	sc->has_from = sc->has_to = 1;
	sc->from_day = e == E_TREND ? cfg->trend_from : e == E_PREV ? cfg->prev_from : cfg->from_day;
	sc->to_day = e == E_TREND ? cfg->trend_to : e == E_PREV ? cfg->prev_to : cfg->to_day;
	sc->within_hours = cfg->within_hours;
	sc->repeat_min = cfg->repeat_min;
	sc->rhi_types = cfg->rhi_types;
	sc->now = cfg->now;
	sc->recur_days = cfg->recur_days;
	sc->no_recurrence = e != E_TOTAL;	/* the report shows the totals' recurrence only */
	sc->no_median = e != E_TOTAL;		/* ... and their median duration only */
	sc->la = cfg->la;
	sc->children = e == E_PLACED ? MP_CHILDREN_PLACED_HERE : cfg->children;
	if (e == E_FQ)
		sc->by = MP_BY_FQ;
}

/* The position of the header's column of that name, or -1. */
static int
column_at(const mp_record *header, const char *name)
{
	for (size_t k = 0; k < header->n; k++)
		if (strcmp(header->f[k].s, name) == 0)
			return (int)k;
	return -1;
}

/* Whether the header has a column of that name. */
static int
has_column(const mp_record *header, const char *name)
{
	return column_at(header, name) >= 0;
}

/* ---- the --validation file ---- */

/* Find "N rows read, N passed, N rejected[, N warnings]" or the JSON closing object in line. */
static int
quality_line(const char *line, mp_report_quality *q)
{
	const char *p;
	long r, pa, rj, w = 0;

	if ((p = strstr(line, "\"rows_read\":")) &&
	    sscanf(p, "\"rows_read\":%ld,\"passed\":%ld,\"rejected\":%ld,\"warnings\":%ld", &r, &pa, &rj, &w) >= 3)
		goto found;
	for (p = line; (p = strstr(p, " read, ")); p++) {
		/* "1 row read" or "N rows read" (mp_closing's grammar) */
		const char *s = p;
		if (s - line >= 5 && strncmp(s - 5, " rows", 5) == 0)
			s -= 5;
		else if (s - line >= 4 && strncmp(s - 4, " row", 4) == 0)
			s -= 4;
		else
			continue;
		const char *num = s;
		while (num > line && num[-1] >= '0' && num[-1] <= '9')
			num--;
		if (num == s)
			continue;
		w = 0;
		r = strtol(num, NULL, 10);
		if (sscanf(p, " read, %ld passed, %ld rejected, %ld warning", &pa, &rj, &w) >= 2)
			goto found;
	}
	return 0;
found:
	q->have = 1;
	q->read = r;
	q->rejected = rj;
	q->warnings = w;
	return 1;
}

int
mp_report_quality_read(const char *path, mp_report_quality *q, char *err, size_t errsz)
{
	memset(q, 0, sizeof *q);
	mp_reader *r = mp_reader_open(path, MP_CSV, MP_UTF8);
	if (!r) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	const mp_record *h = mp_reader_header(r);
	/*
	 * A rejects file lists problems by line, and one line can hold several
	 * records (a bare CR splits it): the counts can only come from
	 * mp-validate's own closing line.
	 */
	int rejects = h && h->n >= 4 && strcmp(h->f[0].s, "line") == 0 && strcmp(h->f[1].s, "field") == 0 &&
		      strcmp(h->f[2].s, "rule") == 0 && strcmp(h->f[3].s, "message") == 0;
	mp_reader_close(r);
	if (rejects) {
		snprintf(err, errsz, "%s: a --rejects file cannot give the counts; give mp-validate's log "
				     "(its standard error), which ends with the \"rows read\" line", path);
		return -1;
	}
	/* Otherwise a log: mp-validate's closing count line (text or JSON). */
	FILE *fp = fopen(path, "r");
	if (!fp) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	int found = 0;
	while (getline(&line, &cap, fp) > 0)
		found |= quality_line(line, q);
	free(line);
	fclose(fp);
	if (!found) {
		snprintf(err, errsz,
			 "%s: not a log of mp-validate (no \"N rows read, N passed, N rejected\" line)", path);
		return -1;
	}
	return 0;
}

/* ---- the data ---- */

/*
 * Engines cost memory per episode: one is made only when its figures differ
 * from another's and the report shows them (the trend of an annual report
 * is its months; quarters only for a period spanning several; children
 * placed here only beside the council's own).
 */
static int
engine_needed(const mp_report_config *cfg, int e)
{
	switch (e) {
	case E_TREND: return cfg->trend_from != cfg->from_day || cfg->trend_to != cfg->to_day;
	case E_FQ: return mp_period_key(MP_BY_FQ, cfg->from_day) != mp_period_key(MP_BY_FQ, cfg->to_day);
	case E_PLACED: return cfg->children == MP_CHILDREN_OWN;
	default: return 1;
	}
}

mp_report_data *
mp_report_data_new(const mp_report_config *cfg)
{
	mp_report_data *d = mp_xcalloc(1, sizeof *d);
	d->match_col = -1;
	static const char *const groups[NENG][3] = {
		[E_AGE] = { MP_STATS_AGE_BAND }, [E_CARE] = { "care_status", "placement" },
		[E_CARE1] = { "care_status" }, [E_TYPE] = { "type" }, [E_REASON] = { "rhi_reason" },
		[E_DUR] = { MP_STATS_DURATION_BAND }, [E_SEX] = { "sex" }, [E_ETH] = { "ethnicity" },
		[E_SEND] = { "send" },
	};

	d->cfg = *cfg;
	d->kidtab = mp_idmap_new(sizeof(uint32_t));
	d->first_day = INT64_MAX;
	d->last_day = INT64_MIN;
	for (int i = 0; i < NENG; i++) {
		if (!engine_needed(&d->cfg, i))
			continue;	/* d->e[i] stays NULL: report_engine gives its stand-in */
		mp_stats_config sc;
		report_stats_config(&d->cfg, i, &sc);
		for (int g = 0; g < 3 && groups[i][g]; g++)
			sc.groups[sc.ngroups++] = groups[i][g];
		d->e[i] = mp_stats_new(&sc);
	}
	return d;
}

mp_stats *
report_engine(const mp_report_data *d, int e)
{
	return d->e[e] ? d->e[e] : e == E_TREND ? d->e[E_MONTH] : NULL;
}

static void
free_listed(rlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].episode);
		free(l->v[i].care);
		free(l->v[i].placement);
	}
	free(l->v);
}

void
mp_report_data_free(mp_report_data *d)
{
	if (!d)
		return;
	mp_stats_store_free(d->store);
	for (int i = 0; i < NENG; i++)
		mp_stats_free(d->e[i]);
	mp_idmap_free(d->kidtab);
	mp_array_free(d->ch, d->cch * sizeof *d->ch);
	free(d->idw);
	mp_ids_free(&d->ids);
	free(d->due);
	report_repeat_free(&d->rep[0]);
	report_repeat_free(&d->rep[1]);
	for (size_t i = 0; i < d->nfac; i++)
		free(d->fac[i].name);
	free(d->fac);
	for (size_t i = 0; i < d->ngrp; i++) {
		free(d->grp[i].source);
		free(d->grp[i].resp);
	}
	free(d->grp);
	free(d->open);
	free_listed(&d->lopen);
	free_listed(&d->ldue);
	free(d);
}

size_t
mp_report_data_store_memory(const mp_report_data *d)
{
	return d->store ? mp_stats_store_memory(d->store) : 0;
}

int
mp_report_data_bind(mp_report_data *d, const mp_record *header, char *err, size_t errsz)
{
	for (int i = 0; i < NENG; i++) {
		if (!d->e[i] || mp_stats_bind(d->e[i], header, err, errsz) == 0)
			continue;
		mp_stats_config sc;
		report_stats_config(&d->cfg, i, &sc);
		if (i == E_AGE && strstr(err, "dob:") == err) {
			/* No dob: no age bands (the engine still checks every row first). */
			d->no_dob = 1;
		} else if (i == E_AGE || i == E_TOTAL || !strstr(err, "(--group)")) {
			return -1;
		} else if (i == E_CARE && has_column(header, "care_status")) {
			/* A missing optional group column is "not recorded"; care_status without placement: keep it. */
			sc.groups[sc.ngroups++] = "care_status";
		}
		mp_stats_free(d->e[i]);
		d->e[i] = mp_stats_new(&sc);
		if (mp_stats_bind(d->e[i], header, err, errsz))
			return -1;
	}
	/* One store for the engines: each episode kept once, not once an engine. */
	d->store = mp_stats_store_new();
	for (int i = 0; i < NENG; i++)
		if (d->e[i])
			mp_stats_store_attach(d->store, d->e[i]);
	mp_colmap_bind(&d->cm, header);
	d->match_col = column_at(header, "match");
	return 0;
}

size_t
mp_report_data_memory(const mp_report_data *d)
{
	size_t n = sizeof *d + mp_idmap_bytes(d->kidtab) + d->cch * sizeof *d->ch + d->cidw * sizeof *d->idw +
		   mp_ids_bytes(&d->ids) + d->cdue * sizeof *d->due + d->cfac * sizeof *d->fac + d->cgrp * sizeof *d->grp +
		   d->copen * sizeof *d->open + (d->lopen.cap + d->ldue.cap) * sizeof(rlisted);
	for (size_t i = 0; i < d->nfac; i++)
		n += d->fac[i].len + 1;
	return n;
}

/* mp-match's column: both, case_only, police_only (the data-quality section's reconciliation). */
static void
count_match(mp_report_data *d, const mp_record *rec)
{
	static const char *const names[] = { "both", "case_only", "police_only" };
	mp_field f = d->match_col >= 0 && (size_t)d->match_col < rec->n ? rec->f[d->match_col] : (mp_field){ "", 0 };

	for (int k = 0; k < 3; k++)
		if (f.len == strlen(names[k]) && memcmp(f.s, names[k], f.len) == 0) {
			d->matched[k]++;
			return;
		}
	d->matched[3]++;
}

void
mp_report_data_bad_row(mp_report_data *d)
{
	d->bad_rows++;
}

/* The number of the child with this id, given in order of first appearance. */
static uint32_t
child_of(mp_report_data *d, const char *s, size_t len)
{
	int added;
	uint32_t *no = mp_idmap_add(d->kidtab, s, len, &added);

	if (!added)
		return *no;
	if (d->nch == d->cch) {
		size_t c = d->cch ? 2 * d->cch : 4096;
		d->ch = mp_array_grow(d->ch, d->cch * sizeof *d->ch, c * sizeof *d->ch);
		d->cch = c;
	}
	d->ch[d->nch] = (rchild){ MP_RHI_NO_START, INT32_MAX, 0 };
	if (d->cfg.with_ids) {	/* the ids are listed: keep them by number */
		d->idw = mp_xgrow(d->idw, &d->cidw, d->nch + 1, sizeof *d->idw);
		d->idw[d->nch] = mp_ids_put(&d->ids, s, len);
	}
	*no = (uint32_t)d->nch;
	return (uint32_t)d->nch++;
}

/* Count one push/pull factor of an episode. */
static void
factor(mp_report_data *d, const char *s, size_t len, size_t g)
{
	rfactor *f = NULL;
	for (size_t i = 0; i < d->nfac; i++)
		if (d->fac[i].g == g && d->fac[i].len == len && memcmp(d->fac[i].name, s, len) == 0) {
			f = &d->fac[i];
			break;
		}
	if (!f) {
		d->fac = mp_xgrow(d->fac, &d->cfac, d->nfac + 1, sizeof *d->fac);
		f = &d->fac[d->nfac++];
		memset(f, 0, sizeof *f);
		f->name = mp_xstrndup(s, len);
		f->len = len;
		f->g = (uint16_t)g;
	}
	f->episodes++;
}

/* Every factor of a push_pull value ("a; b"). */
static void
factors(mp_report_data *d, mp_field pp, size_t g)
{
	if (!pp.len)
		return;
	d->grp[g].fac_episodes++;
	const char *s = pp.s, *e = pp.s + pp.len;
	while (s < e) {
		const char *q = memchr(s, ';', (size_t)(e - s));
		if (!q)
			q = e;
		const char *a = s, *b = q;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (b > a)
			factor(d, a, (size_t)(b - a), g);
		s = q + 1;
	}
}

/* Whether group g is (src, resp). */
static int
group_is(const rgroup *g, mp_field src, mp_field resp)
{
	return g->source_len == src.len && g->resp_len == resp.len && memcmp(g->source, src.s, src.len) == 0 &&
	       memcmp(g->resp, resp.s, resp.len) == 0;
}

/*
 * The group of a row: its source and responsible council ("" when the
 * column is absent).  Few in real data; past 65535 the last one is shared
 * (only the split by source and council of the report's own tallies would
 * blur, never a count).
 */
static size_t
group_of(mp_report_data *d, mp_field src, mp_field resp)
{
	if (d->last_grp < d->ngrp && group_is(&d->grp[d->last_grp], src, resp))
		return d->last_grp;
	for (size_t i = d->ngrp; i-- > 0;)
		if (group_is(&d->grp[i], src, resp))
			return d->last_grp = i;
	if (d->ngrp == UINT16_MAX)
		return d->ngrp - 1;
	d->grp = mp_xgrow(d->grp, &d->cgrp, d->ngrp + 1, sizeof *d->grp);
	memset(&d->grp[d->ngrp], 0, sizeof *d->grp);
	d->grp[d->ngrp].source = mp_xstrndup(src.s, src.len);
	d->grp[d->ngrp].resp = mp_xstrndup(resp.s, resp.len);
	d->grp[d->ngrp].source_len = src.len;
	d->grp[d->ngrp].resp_len = resp.len;
	return d->last_grp = d->ngrp++;
}

/* A listed episode (open now, or an interview outstanding), with --with-ids. */
static void
list_add(rlist *l, const mp_colmap *cm, const mp_record *rec, const mp_episode *ep, uint32_t child,
	 size_t source, int64_t key, int64_t a, int64_t b, int approx)
{
	l->v = mp_xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	rlisted *x = &l->v[l->n++];
	mp_field f;
	x->episode = mp_xstrndup(ep->id.s, ep->id.len);
	f = mp_get(cm, rec, MP_COL_CARE_STATUS);
	x->care = mp_xstrndup(f.s, f.len);
	f = mp_get(cm, rec, MP_COL_PLACEMENT);
	x->placement = mp_xstrndup(f.s, f.len);
	x->child = child;
	x->g = (uint16_t)source;
	x->key = key, x->a = a, x->b = b, x->approx = (uint8_t)approx;
}

/* Count a return outstanding in its class, or missing_again. */
static void
count_due(rgroup *g, int cls, int again)
{
	if (again) {
		g->again++;
		return;
	}
	g->due++;
	g->overdue += cls == DUE_OVER;
	g->due24 += cls == DUE_24;
}

/*
 * A return with no interview and no reason: missing_again at once when the
 * child's latest start so far is after it (that only grows), else waiting
 * for the child's latest start (report_int.h).
 */
static void
due_return(mp_report_data *d, uint32_t c, size_t g, int64_t end, int cls)
{
	rchild *ch = &d->ch[c];
	rdue u = { end, c, (uint16_t)g, (uint8_t)cls };

	if (mp_rhi_missing_again(end, ch->latest)) {
		d->grp[g].again++;
	} else if (ch->pend && mp_rhi_missing_again(d->due[ch->pend - 1].end, ch->latest)) {
		d->grp[d->due[ch->pend - 1].g].again++;	/* the one it waits on is missing_again: this one takes its place */
		d->due[ch->pend - 1] = u;
	} else {
		d->due = mp_xgrow(d->due, &d->cdue, d->ndue + 1, sizeof *d->due);
		d->due[d->ndue++] = u;
		if (!ch->pend)
			ch->pend = (uint32_t)d->ndue;
	}
}

/* The state at --now, whatever the period: open, and interviews outstanding. */
static void
state_now(mp_report_data *d, const mp_record *rec, const mp_episode *ep, uint32_t child, size_t si,
	  int eligible, mp_field reason)
{
	const mp_report_config *cfg = &d->cfg;
	if (ep->start.utc <= cfg->now && (!ep->has_end || ep->end.utc > cfg->now)) {
		mp_field cs = mp_get(&d->cm, rec, MP_COL_CARE_STATUS);
		d->open = mp_xgrow(d->open, &d->copen, d->nopen + 1, sizeof *d->open);
		d->open[d->nopen++] = (ropen){ child, (uint16_t)si, cs.len == 3 && memcmp(cs.s, "lac", 3) == 0,
					       cfg->now - ep->start.utc > 86400 };
		if (cfg->with_ids)
			list_add(&d->lopen, &d->cm, rec, ep, child, si, ep->start.utc, ep->start.utc, 0,
				 !ep->start.has_time);
	}
	if (!eligible)
		return;
	mp_rhi_note_start(&d->ch[child].latest, ep->start.utc, cfg->now);
	if (!ep->has_end || ep->end.utc > cfg->now)
		return;
	int64_t dl = mp_rhi_deadline(&ep->end, cfg->within_hours);
	enum mp_rhi_status st = mp_rhi_row_status(ep, reason, cfg->now, dl);
	if (st == MP_RHI_DUE || st == MP_RHI_OVERDUE) {
		due_return(d, child, si, ep->end.utc,
			   cfg->now > dl ? DUE_OVER : dl - cfg->now <= 86400 ? DUE_24 : DUE_LATER);
		if (cfg->with_ids)
			list_add(&d->ldue, &d->cm, rec, ep, child, si, dl, ep->end.utc, dl, !ep->end.has_time);
	}
}

/* Time from return to interview, as mp-stats counts "in time". */
static void
interview_time(mp_report_data *d, const mp_episode *ep, rgroup *g)
{
	if (ep->end.has_time && ep->rhi_held.has_time) {
		int64_t s = ep->rhi_held.utc - ep->end.utc, W = (int64_t)d->cfg.within_hours * 3600;
		if (s < 0) {
			g->held_before++;	/* a data error: never in time */
		} else if (s == 0) {
			g->hist[0]++;
		} else {
			int64_t k = (3 * s + W - 1) / W - 1;	/* k*W/3 < s <= (k+1)*W/3 */
			g->hist[k > NHIST - 1 ? NHIST - 1 : k]++;
		}
	} else {
		int64_t dd = ep->rhi_held.day - ep->end.day;
		if (dd < 0)
			g->held_before++;
		else if (dd <= d->cfg.within_hours / 24)
			g->date_in++;
		else
			g->date_late++;
	}
}

int
mp_report_data_add(mp_report_data *d, const mp_record *rec, const char **col, char *msg, size_t msgsz)
{
	mp_episode ep;
	mp_stats_ep sep;

	/* Decode once (mp_episode_decode: the verdict every command gives), then every engine counts it. */
	if (mp_episode_decode(&d->cm, rec, &ep, col, msg, msgsz))
		return -1;
	mp_field hoth = mp_get(&d->cm, rec, MP_COL_HOTH);
	mp_field reason = mp_get(&d->cm, rec, MP_COL_RHI_REASON);
	/* The engines share a header: one view of the episode, each engine's groups filled in. */
	if (mp_stats_episode(d->e[E_AGE], &ep, rec, &sep, col, msg, msgsz) != 0)
		return -1;
	uint32_t ci = child_of(d, ep.child.s, ep.child.len);
	int r = mp_stats_store_add(d->store, rec, &sep, ci, col, msg, msgsz);
	if (r == MP_STATS_BAD)
		return -1;

	d->rows++;
	if (d->match_col >= 0)
		count_match(d, rec);
	for (int k = MP_COL_END; k < MP_NCOLS; k++)
		if (!(d->seen >> k & 1) && mp_get(&d->cm, rec, (enum mp_col)k).len)
			d->seen |= UINT64_C(1) << k;
	if (ep.start.day < d->first_day)
		d->first_day = ep.start.day;
	if (ep.start.day > d->last_day)
		d->last_day = ep.start.day;
	rchild *c = &d->ch[ci];
	if (hoth.len == 1 && hoth.s[0] == 'Y' && ep.start.day < c->first_hoth)
		c->first_hoth = (int32_t)ep.start.day;
	size_t si = group_of(d, mp_get(&d->cm, rec, MP_COL_SOURCE), mp_get(&d->cm, rec, MP_COL_RESPONSIBLE_LA));
	int eligible = (d->cfg.rhi_types >> ep.type & 1) != 0;
	state_now(d, rec, &ep, ci, si, eligible, reason);

	if (r == MP_STATS_OUTSIDE)
		return 0;
	d->periods++;
	factors(d, mp_get(&d->cm, rec, MP_COL_PUSH_PULL), si);
	if (eligible && ep.has_end) {
		d->grp[si].eligible++;
		if (ep.has_rhi_held)
			interview_time(d, &ep, &d->grp[si]);
	}
	return 0;
}

int
mp_report_data_finish(mp_report_data *d, char *err, size_t errsz)
{
	/* Two threads walk the children (the report reads on one: the walk is most of its finish). */
	report_repeat_begin(d, 2);
	int failed = d->store && mp_stats_store_finish(d->store, 2, err, errsz);
	report_repeat_end(d);
	if (failed)
		return -1;
	for (int i = 0; !d->store && i < NENG; i++)
		if (d->e[i] && mp_stats_finish(d->e[i], 1)) {	/* no header was read: nothing was counted */
			snprintf(err, errsz, "%s", mp_stats_error(d->e[i]));
			return -1;
		}
	d->council = mp_stats_la(d->e[E_TOTAL]);
	/* mp-rhi-due's decision: a later episode moves the duty to the later return. */
	for (size_t i = 0; i < d->ndue; i++) {
		const rdue *u = &d->due[i];
		count_due(&d->grp[u->g], u->cls, mp_rhi_missing_again(u->end, d->ch[u->child].latest));
	}
	return 0;
}

int
report_group_kept(const mp_report_data *d, size_t g, enum mp_children mode)
{
	const char *r = d->grp[g].resp;
	return mp_children_keep(mode, *d->council ? d->council : NULL, r, strlen(r)) == 1;
}

int
report_group_recorded(const mp_report_data *d, size_t g)
{
	long n;
	const char *s;
	for (size_t i = 0; (s = mp_stats_unrecorded_source(d->e[E_TOTAL], i, &n)); i++)
		if (strcmp(s, d->grp[g].source) == 0)
			return 0;
	return 1;
}
