/* stats.c: binding, decoding, counting and merging of the figures engine (see stats.h). */
#include "stats_int.h"
#include "alert.h"
#include "episode.h"
#include "err.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const age_labels[] = { "under 1", "1-4", "5-9", "10-15", "16+", "unknown" };
static const char *const dur_labels[] = { "under 6h", "6-24h", "1-3 days", "over 3 days", "open", "unknown" };
enum { AGE_UNKNOWN = 5, DUR_OPEN = 4, DUR_UNKNOWN = 5 };


/* ---- interning ---- */

void
mp_strtab_free(strtab *t)
{
	mp_intern_free(t->tab);
	memset(t, 0, sizeof *t);
}

/* The recent[] slot of a value: a few values (sources, groups) recur on every row. */
static size_t
recent_slot(const char *s, size_t len)
{
	return len ? (len * 31 + (unsigned char)s[0] * 7 + (unsigned char)s[len - 1]) & 63 : 0;
}

/* The id of s[0..len), added when new. */
uint32_t
mp_strtab_intern(strtab *t, const char *s, size_t len)
{
	size_t r = recent_slot(s, len);
	int added;

	if (t->recent[r].s && t->recent[r].len == len && memcmp(t->recent[r].s, s, len) == 0)
		return t->recent[r].id;
	if (!t->tab)
		t->tab = mp_intern_new();
	uint32_t id = mp_intern_add(t->tab, s, len, &added);
	if (added) {
		memset(t->recent, 0, sizeof t->recent);
		t->n = mp_intern_count(t->tab);
	}
	t->recent[r].s = mp_intern_key(t->tab, id, NULL);
	t->recent[r].len = (uint32_t)len;
	t->recent[r].id = id;
	return id;
}

/*
 * A child key of 56 bits: ids of up to 7 bytes with no NUL are packed into
 * the key itself (exact, and the low byte is never 0); others are interned
 * and keyed (id + 1) << 8, whose low byte is 0.  No key is 0.
 */
static uint64_t
child_key(strtab *longid, const char *s, size_t len)
{
	if (len <= 7) {
		uint64_t k = 0;
		int nul = 0;
		for (size_t i = 0; i < len; i++) {
			k |= (uint64_t)(unsigned char)s[i] << (8 * i);
			nul |= s[i] == '\0';
		}
		if (!nul)
			return k;
	}
	return ((uint64_t)mp_strtab_intern(longid, s, len) + 1) << 8;
}

/* ---- configuration ---- */

const mp_stats_config mp_stats_defaults = {
	.by = MP_BY_MONTH, .within_hours = 72, .repeat_min = 3, .rhi_types = 1u << MP_EP_MISSING,
	.offer_within_hours = 72, .recur_days = 30, .children = MP_CHILDREN_OWN,
};

void
mp_stats_config_init(mp_stats_config *cfg)
{
	*cfg = mp_stats_defaults;
	cfg->now = (int64_t)time(NULL);
}

mp_stats *
mp_stats_new(const mp_stats_config *cfg)
{
	mp_stats *st = mp_xcalloc(1, sizeof *st);

	st->cfg = *cfg;
	if (cfg->la) {
		st->la_given = mp_xstrdup(cfg->la);
		st->cfg.la = st->la_given;
	}
	for (int g = 0; g < cfg->ngroups; g++) {
		st->gname[g] = mp_xstrdup(cfg->groups[g]);
		st->cfg.groups[g] = st->gname[g];
		st->gidx[g] = -1;
		if (strcmp(cfg->groups[g], MP_STATS_AGE_BAND) == 0) {
			st->gkind[g] = G_AGE;
			st->need_age = 1;
			for (size_t i = 0; i < sizeof age_labels / sizeof *age_labels; i++)
				mp_strtab_intern(&st->gval[g], age_labels[i], strlen(age_labels[i]));
		} else if (strcmp(cfg->groups[g], MP_STATS_DURATION_BAND) == 0) {
			st->gkind[g] = G_DURATION;
			st->need_dur = 1;
			for (size_t i = 0; i < sizeof dur_labels / sizeof *dur_labels; i++)
				mp_strtab_intern(&st->gval[g], dur_labels[i], strlen(dur_labels[i]));
		}
	}
	st->c_off = st->c_acc = -1;
	st->c_reason = st->c_offat = st->c_src = st->c_la = st->c_resp = -1;
	return st;
}

static void
free_runs(run *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(r[i].e);
	free(r);
}

static void
free_cells(mp_stats *st)
{
	for (size_t i = 0; i < st->ncells; i++) {
		free_runs(st->cells[i].runs, st->cells[i].nruns);
		free(st->cells[i].dur);
	}
	free(st->cells);
	mp_intern_free(st->celltab);
	st->cells = NULL;
	st->celltab = NULL;
	st->ncells = st->ccells = 0;
	memset(st->recent, 0, sizeof st->recent);
}

void
mp_stats_free(mp_stats *st)
{
	if (!st)
		return;
	free_cells(st);
	free_runs(st->outside, st->noutside);
	for (int g = 0; g < NKEY; g++)
		mp_strtab_free(&st->gval[g]);
	for (int g = 0; g < st->cfg.ngroups; g++)
		free(st->gname[g]);
	free(st->la_given);
	free(st->src_rec);
	mp_strtab_free(&st->longid);
	mp_la_free(&st->la);
	for (size_t i = 0; i < st->nnotes; i++)
		free(st->notes[i]);
	free(st->notes);
	free(st->cell_inc);
	free(st->rows);
	free(st);
}

static int
find_col(const mp_record *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->f[i].len == strlen(name) && memcmp(h->f[i].s, name, h->f[i].len) == 0)
			return (int)i;
	return -1;
}

int
mp_stats_bind(mp_stats *st, const mp_record *header, char *err, size_t errsz)
{
	static const char *const required[] = { "child_id", "type", "start" };

	for (size_t i = 0; i < 3; i++)
		if (find_col(header, required[i]) < 0) {
			snprintf(err, errsz, "%s: required column is missing from the header", required[i]);
			return -1;
		}
	mp_colmap_bind(&st->cm, header);
	mp_colmap_need(&st->cm, 1u << MP_COL_RHI_HELD | 1u << MP_COL_RHI_OFFERED_AT | (st->need_age ? 1u << MP_COL_DOB : 0));
	st->c_off = find_col(header, "rhi_offered");
	st->c_acc = find_col(header, "rhi_accepted");
	st->c_reason = find_col(header, "rhi_reason");
	st->c_offat = find_col(header, "rhi_offered_at");
	st->c_src = find_col(header, "source");
	st->c_la = find_col(header, "la");
	st->c_resp = find_col(header, "responsible_la");
	if (st->need_age && st->cm.idx[MP_COL_DOB] < 0) {
		snprintf(err, errsz, "dob: required column is missing from the header (--group age_band)");
		return -1;
	}
	for (int g = 0; g < st->cfg.ngroups; g++) {
		if (st->gkind[g] != G_COLUMN)
			continue;
		st->gidx[g] = find_col(header, st->gname[g]);
		if (st->gidx[g] < 0) {
			snprintf(err, errsz, "%s: no such column in the header (--group)", st->gname[g]);
			return -1;
		}
	}
	st->bound = 1;
	return 0;
}

mp_stats *
mp_stats_fork(const mp_stats *st)
{
	mp_stats *f = mp_stats_new(&st->cfg);

	f->bound = st->bound;
	f->cm = st->cm;
	f->c_off = st->c_off, f->c_acc = st->c_acc;
	f->c_reason = st->c_reason, f->c_offat = st->c_offat, f->c_src = st->c_src, f->c_la = st->c_la;
	f->c_resp = st->c_resp;
	memcpy(f->gidx, st->gidx, sizeof f->gidx);
	return f;
}

/* ---- time ---- */

/* UTC of local midnight at the start of day. */
static int64_t
midnight_utc(int64_t day)
{
	int y, m, d, off;
	int64_t utc = day * 86400;

	mp_civil_from_days(day, &y, &m, &d);
	mp_local_to_utc(y, m, d, 0, 0, 0, &utc, &off);
	return utc;
}

/* ---- counting ---- */

/* The key length of a cell: the groups and the two hidden values. */
#define KEYLEN(st) ((st)->cfg.ngroups + 2)

/* Whether cell c has this key (a few ids: compared inline). */
static inline int
cell_is(const cell *c, int64_t period, const uint32_t *gid, int nk)
{
	if (c->period != period)
		return 0;
	for (int g = 0; g < nk; g++)
		if (c->gid[g] != gid[g])
			return 0;
	return 1;
}

/* The cell for (period, gid), made when new. */
static cell *
cell_get(mp_stats *st, int64_t period, const uint32_t *gid)
{
	int nk = KEYLEN(st);
	cell *c;
	/* A few cells take most rows: the one a recent row of these ids used, first. */
	uint64_t rk = (uint64_t)period;
	for (int g = 0; g < nk; g++)
		rk = rk * 31 + gid[g];
	size_t r = (size_t)(rk ^ rk >> 8) & 255;

	if (st->recent[r]) {
		c = &st->cells[st->recent[r] - 1];
		if (cell_is(c, period, gid, nk))
			return c;
	}
	/* The key's bytes: the period, then the ids (cells are numbered as the table numbers keys). */
	unsigned char key[sizeof period + NKEY * sizeof *gid];
	int added;
	memcpy(key, &period, sizeof period);
	memcpy(key + sizeof period, gid, (size_t)nk * sizeof *gid);
	if (!st->celltab)
		st->celltab = mp_intern_new();
	uint32_t id = mp_intern_add(st->celltab, (const char *)key, sizeof period + (size_t)nk * sizeof *gid, &added);
	st->recent[r] = id + 1;
	if (!added)
		return &st->cells[id];
	st->cells = mp_xgrow(st->cells, &st->ccells, st->ncells + 1, sizeof *st->cells);
	c = &st->cells[st->ncells];
	memset(c, 0, sizeof *c);
	c->period = period;
	memcpy(c->gid, gid, nk * sizeof *gid);
	c->runs = mp_xcalloc(1, sizeof *c->runs);
	c->nruns = 1;
	st->ncells++;
	return c;
}

static void
push_ent(run *r, uint64_t w0, uint64_t w1)
{
	r->e = mp_xgrow_half(r->e, &r->cap, r->n + 1, sizeof *r->e);
	r->e[r->n].w0 = w0;
	r->e[r->n++].w1 = w1;
}

static void
push_dur(cell *c, uint32_t d)
{
	c->dur = mp_xgrow_half(c->dur, &c->cdur, c->ndur + 1, sizeof *c->dur);
	c->dur[c->ndur++] = d;
}

/* Full years from the day of birth to day. */
static int
age_years(int64_t dob, int64_t day)
{
	int by, bm, bd, y, m, d;
	mp_civil_from_days(dob, &by, &bm, &bd);
	mp_civil_from_days(day, &y, &m, &d);
	return y - by - (m < bm || (m == bm && d < bd));
}

/* A time written with an offset keeps its written date (mptime.h): use the UK local one. */
static void
local_date(mp_time *t)
{
	mp_time lt;

	mp_utc_to_local(t->utc, &lt);
	t->day = lt.day, t->y = lt.y, t->mo = lt.mo, t->d = lt.d;
	t->has_offset = 0;
}

int64_t
mp_stats_tday(uint64_t t, int date_only)
{
	if (date_only)
		return (int64_t)(t / 86400) - T_BASE / 86400;
	mp_time lt = { 0 };
	lt.utc = (int64_t)t - T_BASE;
	local_date(&lt);
	return lt.day;
}

/* A time on the entry scale (stats_int.h), kept within its bits. */
static uint64_t
tscale(const mp_time *t)
{
	int64_t v = t->has_time ? t->utc + T_BASE : t->day * 86400 + T_BASE;
	if (v < 0)
		v = 0;
	if (v >= (int64_t)1 << T_BITS)
		v = ((int64_t)1 << T_BITS) - 1;
	return (uint64_t)v;
}

/* Whether a time (date alone: calendar days) lies within hours after the return. */
static int
in_time(const mp_time *end, const mp_time *t, long hours)
{
	if (end->has_time && t->has_time) {
		int64_t d = t->utc - end->utc;
		return d >= 0 && d <= (int64_t)hours * 3600;
	}
	int64_t d = t->day - end->day;
	return d >= 0 && d <= hours / 24;
}

/*
 * The id of a source or responsible council the store's first engine gave
 * (engines of a store see the same rows in the same order, so their ids
 * agree): its table copied up to id.
 */
static uint32_t
lead_id(strtab *t, const strtab *lead, uint32_t id)
{
	while (t->n <= id)
		mp_strtab_intern(t, mp_strtab_str(lead, (uint32_t)t->n), mp_strtab_len(lead, (uint32_t)t->n));
	return id;
}

/* Sources, responsible councils, la values and which columns rows set: known for every row read. */
static void
note_row(mp_stats *st, const mp_stats_ep *ep, uint32_t *src, uint32_t *resp)
{
	int ng = st->cfg.ngroups;

	st->rows_seen++;
	st->seen |= ep->present;
	for (int g = 0; g < ng; g++)
		if (ep->group[g].len)
			st->gseen |= 1u << g;
	if (ep->la.len)
		mp_la_see(&st->la, ep->la.s, ep->la.len);
	*src = mp_strtab_intern(&st->gval[ng], ep->source.s, ep->source.len);
	*resp = mp_strtab_intern(&st->gval[ng + 1], ep->responsible_la.s, ep->responsible_la.len);
	st->last_src = *src;	/* for the engines it leads (mp_stats_follow) */
	st->last_resp = *resp;
	if (*src >= st->nsrc_rec) {
		size_t n = st->nsrc_rec;
		st->src_rec = mp_xgrow(st->src_rec, &n, (size_t)*src + 1, 1);
		memset(st->src_rec + st->nsrc_rec, 0, n - st->nsrc_rec);
		st->nsrc_rec = n;
	}
	st->src_rec[*src] |= ep->rhi_facts != 0;
}

/* The entry of an episode (stats_int.h), its times already on UK local dates. */
static void
make_ent(uint64_t key, const mp_stats_ep *ep, int elig, uint64_t *w0, uint64_t *w1)
{
	unsigned f = 0;
	uint64_t s = tscale(&ep->e->start);
	int64_t dur = 0;

	if (elig)
		f |= F_ELIG | (ep->e->offered ? F_OFF : 0) | (ep->e->accepted ? F_ACC : 0) | (ep->e->has_rhi_held ? F_HELD : 0);
	f |= ep->e->start.has_time ? 0 : F_SDATE;
	if (ep->e->has_end) {
		f |= F_RET | (ep->e->end.has_time ? 0 : F_EDATE);
		dur = (int64_t)tscale(&ep->e->end) - (int64_t)s;
		if (dur >= D_HELD || dur < -D_HELD) {
			f |= F_LONG;
			dur = 0;
		}
	}
	*w0 = key << 8 | f;
	*w1 = s << D_BITS | ((uint64_t)dur & (((uint64_t)1 << D_BITS) - 1));
}

/* The interview counts of an eligible episode. */
static void
count_rhi(mp_stats *st, cell *c, const mp_stats_ep *ep)
{
	c->n[MP_ST_RHI_ELIGIBLE]++;
	c->n[MP_ST_RHI_OFFERED] += ep->e->offered != 0;
	c->n[MP_ST_RHI_ACCEPTED] += ep->e->accepted != 0;
	if (ep->e->has_rhi_held) {
		c->n[MP_ST_RHI_HELD]++;
		c->n[MP_ST_RHI_HELD_IN_TIME] += in_time(&ep->e->end, &ep->e->rhi_held, st->cfg.within_hours);
	} else {
		/* Not yet due: the deadline (mp-rhi-due's) is still to come at --now. */
		int64_t dl;
		if (ep->e->end.has_time) {
			dl = ep->e->end.utc + (int64_t)st->cfg.within_hours * 3600;
		} else {
			dl = mp_rhi_deadline(&ep->e->end, st->cfg.within_hours);
		}
		c->n[MP_ST_RHI_PENDING] += st->cfg.now < dl;
	}
	if (ep->e->offered && ep->e->has_offered_at) {
		c->n[MP_ST_RHI_OFFERED_DATED]++;
		c->n[MP_ST_RHI_OFFERED_IN_TIME] += in_time(&ep->e->end, &ep->e->offered_at, st->cfg.offer_within_hours);
	}
}

/* Durations and the over-24-hours count of a returned episode. */
static void
count_duration(mp_stats *st, cell *c, const mp_stats_ep *ep, int64_t day)
{
	if (ep->e->start.has_time && ep->e->end.has_time) {
		int64_t secs = ep->e->end.utc - ep->e->start.utc;
		/* A store's entry holds a duration it can: the store finds those medians (stats_store.c). */
		if (!st->cfg.no_median && !(st->external && secs < D_HELD))
			push_dur(c, secs > UINT32_MAX ? UINT32_MAX : (uint32_t)secs);
		c->n[MP_ST_OVER_24H] += secs > 86400;
	} else {
		/* A date alone: the shortest the episode can have been. */
		int64_t s = ep->e->start.has_time ? ep->e->start.utc : midnight_utc(day + 1);
		int64_t e = ep->e->end.has_time ? ep->e->end.utc : midnight_utc(ep->e->end.day);
		c->n[MP_ST_OVER_24H] += e - s > 86400;
	}
}

/* The derived and hidden parts of a cell key. */
static void
cell_key(mp_stats *st, const mp_stats_ep *ep, int64_t day, uint32_t *gid)
{
	int timed = ep->e->has_end && ep->e->start.has_time && ep->e->end.has_time;
	int64_t secs = timed ? ep->e->end.utc - ep->e->start.utc : 0;

	for (int g = 0; g < st->cfg.ngroups; g++) {
		switch (st->gkind[g]) {
		case G_COLUMN:
			gid[g] = mp_strtab_intern(&st->gval[g], ep->group[g].s, ep->group[g].len);
			break;
		case G_AGE:
			if (!ep->has_dob) {
				gid[g] = AGE_UNKNOWN;
			} else {
				int a = age_years(ep->dob_day, day);
				gid[g] = a < 1 ? 0 : a < 5 ? 1 : a < 10 ? 2 : a < 16 ? 3 : 4;
			}
			break;
		case G_DURATION:
			gid[g] = !ep->e->has_end ? DUR_OPEN : !timed ? DUR_UNKNOWN
				: secs < 6 * 3600 ? 0 : secs <= 24 * 3600 ? 1 : secs <= 72 * 3600 ? 2 : 3;
			break;
		}
	}
}

/* A time written with an offset may name another date than the UK's: every engine counts on the UK's. */
const mp_stats_ep *
mp_stats_localise(const mp_stats_ep *ep, mp_stats_ep *fixed, mp_episode *fe)
{
	const mp_episode *e = ep->e;

	if (!e->start.has_offset && !(e->has_end && e->end.has_offset) &&
	    !(e->has_rhi_held && e->rhi_held.has_offset) && !(e->has_offered_at && e->offered_at.has_offset))
		return ep;
	*fixed = *ep;
	*fe = *e;
	fixed->e = fe;
	if (fe->start.has_offset)
		local_date(&fe->start);
	if (fe->has_end && fe->end.has_offset)
		local_date(&fe->end);
	if (fe->has_rhi_held && fe->rhi_held.has_offset)
		local_date(&fe->rhi_held);
	if (fe->has_offered_at && fe->offered_at.has_offset)
		local_date(&fe->offered_at);
	return fixed;
}

/* Whether the episode is eligible: returned, of a type needing an interview. */
static int
eligible(const mp_stats *st, const mp_stats_ep *ep)
{
	return ep->e->has_end && (st->cfg.rhi_types >> ep->e->type & 1);
}

/* Check an episode (on local dates) against what the engine needs: 0, or MP_STATS_BAD. */
static int
check(const mp_stats *st, const mp_stats_ep *ep, int timed, const char **col, char *msg, size_t msgsz)
{
	const mp_episode *e = ep->e;

	if (e->has_end && (timed ? e->end.utc < e->start.utc : e->end.day < e->start.day)) {
		*col = "end";
		snprintf(msg, msgsz, "the end is before the start");
		return MP_STATS_BAD;
	}
	if (st->need_age && ep->has_dob && ep->dob_day > e->start.day) {
		*col = "dob";
		snprintf(msg, msgsz, "the date of birth is after the start");
		return MP_STATS_BAD;
	}
	return 0;
}

/* Count ep (on local dates) in its cell. */
static cell *
count_in_cell(mp_stats *st, const mp_stats_ep *ep, uint32_t *gid)
{
	int64_t day = ep->e->start.day;

	cell_key(st, ep, day, gid);
	cell *c = cell_get(st, mp_period_key_ymd(st->cfg.by, day, ep->e->start.y, ep->e->start.mo), gid);
	if (c->n[MP_ST_EPISODES]++ == 0 || day < c->minday)
		c->minday = day;
	if (c->n[MP_ST_EPISODES] == 1 || day > c->maxday)
		c->maxday = day;
	if (ep->e->type == MP_EP_MISSING)
		c->n[MP_ST_MISSING]++;
	else if (ep->e->type == MP_EP_AWAY)
		c->n[MP_ST_AWAY]++;
	else if (ep->e->type == MP_EP_ABSENT)
		c->n[MP_ST_ABSENT]++;
	if (!ep->e->has_end) {
		c->n[MP_ST_OPEN]++;
		return c;
	}
	if (eligible(st, ep))
		count_rhi(st, c, ep);
	count_duration(st, c, ep, day);
	return c;
}

/* Where an episode starting on day lies for st: 0 within from/to, else AT_OUTSIDE_KEPT or AT_OUTSIDE. */
static long
outside(const mp_stats *st, int64_t day)
{
	if (!(st->cfg.has_from && day < st->cfg.from_day) && !(st->cfg.has_to && day > st->cfg.to_day))
		return 0;
	/* Kept only as "another episode" after a counted return: one that starts before from_day never is. */
	return !st->cfg.no_recurrence && !(st->cfg.has_from && day < st->cfg.from_day) ? AT_OUTSIDE_KEPT : AT_OUTSIDE;
}

int
mp_stats_count(mp_stats *st, const mp_stats_ep *ep, long *at, const char **col, char *msg, size_t msgsz)
{
	uint32_t gid[NKEY];
	int timed = ep->e->has_end && ep->e->start.has_time && ep->e->end.has_time;
	int ng = st->cfg.ngroups;

	if (check(st, ep, timed, col, msg, msgsz))
		return MP_STATS_BAD;
	note_row(st, ep, &gid[ng], &gid[ng + 1]);
	if ((*at = outside(st, ep->e->start.day)) != 0)
		return MP_STATS_OUTSIDE;
	*at = count_in_cell(st, ep, gid) - st->cells;
	return MP_STATS_COUNTED;
}

int
mp_stats_follow(mp_stats *st, const mp_record *rec, mp_stats_ep *ep, long *at)
{
	const mp_stats *lead = st->lead;
	uint32_t gid[NKEY];
	int ng = st->cfg.ngroups, lg = lead->cfg.ngroups;

	if ((*at = outside(st, ep->e->start.day)) != 0)
		return MP_STATS_OUTSIDE;
	mp_stats_groups(st, rec, ep);
	gid[ng] = lead_id(&st->gval[ng], &lead->gval[lg], lead->last_src);
	gid[ng + 1] = lead_id(&st->gval[ng + 1], &lead->gval[lg + 1], lead->last_resp);
	*at = count_in_cell(st, ep, gid) - st->cells;
	return MP_STATS_COUNTED;
}

void
mp_stats_follow_finish(mp_stats *st, const unsigned char *colseen, size_t ncol)
{
	const mp_stats *lead = st->lead;
	int ng = st->cfg.ngroups, lg = lead->cfg.ngroups;

	/* The lead noted every row: what the whole input says is its. */
	st->rows_seen = lead->rows_seen;
	st->seen = lead->seen;
	if (lead->gval[lg].n)
		lead_id(&st->gval[ng], &lead->gval[lg], (uint32_t)lead->gval[lg].n - 1);
	if (lead->gval[lg + 1].n)
		lead_id(&st->gval[ng + 1], &lead->gval[lg + 1], (uint32_t)lead->gval[lg + 1].n - 1);
	free(st->src_rec);
	st->src_rec = mp_xcalloc(lead->nsrc_rec + 1, 1);
	if (lead->nsrc_rec)	/* none when no row was counted: no memcpy from NULL (UBSan) */
		memcpy(st->src_rec, lead->src_rec, lead->nsrc_rec);
	st->nsrc_rec = lead->nsrc_rec;
	for (int g = 0; g < ng; g++)
		if (st->gkind[g] == G_COLUMN && (size_t)st->gidx[g] < ncol && colseen[st->gidx[g]])
			st->gseen |= 1u << g;
	if (lead->la.first)
		mp_la_see(&st->la, lead->la.first, strlen(lead->la.first));
	if (lead->la.other)
		mp_la_see(&st->la, lead->la.other, strlen(lead->la.other));
}

void
mp_stats_entry(const mp_stats *st, uint32_t child, const mp_stats_ep *ep, ent *out)
{
	/* Numbers from 1: no key is 0 (child_key's). */
	make_ent((uint64_t)child + 1, ep, eligible(st, ep), &out->w0, &out->w1);
}

int
mp_stats_add(mp_stats *st, const mp_stats_ep *epin, const char **col, char *msg, size_t msgsz)
{
	mp_stats_ep fixed;
	mp_episode fe;
	const mp_stats_ep *ep = mp_stats_localise(epin, &fixed, &fe);
	long at;
	uint64_t w0, w1;

	assert(!st->external);	/* a store's engine counts through mp_stats_count */
	int r = mp_stats_count(st, ep, &at, col, msg, msgsz);
	if (r == MP_STATS_BAD || at == AT_OUTSIDE)
		return r;
	make_ent(child_key(&st->longid, ep->e->child.s, ep->e->child.len), ep, eligible(st, ep), &w0, &w1);
	if (at == AT_OUTSIDE_KEPT) {
		if (!st->noutside) {
			st->outside = mp_xcalloc(1, sizeof *st->outside);
			st->noutside = 1;
		}
		push_ent(&st->outside[0], w0, w1);
	} else {
		push_ent(&st->cells[at].runs[0], w0, w1);
	}
	return r;
}

static mp_field
field_at(const mp_record *rec, int idx)
{
	mp_field none = { "", 0 };
	return idx >= 0 && (size_t)idx < rec->n ? rec->f[idx] : none;
}

/* Which optional columns the row sets, whether it records an interview fact, whose child it is. */
static void
decode_facts(const mp_stats *st, const mp_record *rec, mp_stats_ep *ep)
{
	size_t off = field_at(rec, st->c_off).len, acc = field_at(rec, st->c_acc).len;
	size_t reason = field_at(rec, st->c_reason).len;

	ep->present = (ep->e->has_end ? 1u << MP_STATS_COL_END : 0) | (off ? 1u << MP_STATS_COL_OFFERED : 0) |
		      (acc ? 1u << MP_STATS_COL_ACCEPTED : 0) | (ep->e->has_rhi_held ? 1u << MP_STATS_COL_HELD : 0) |
		      (ep->e->has_offered_at ? 1u << MP_STATS_COL_OFFERED_AT : 0);
	ep->rhi_facts = off || acc || reason || ep->e->has_rhi_held;
	ep->source = field_at(rec, st->c_src);
	ep->la = field_at(rec, st->c_la);
	ep->responsible_la = field_at(rec, st->c_resp);
}

int
mp_stats_episode(const mp_stats *st, const mp_episode *e, const mp_record *rec, mp_stats_ep *ep,
		 const char **col, char *msg, size_t msgsz)
{
	ep->e = e;	/* decoded (and checked) by the one decoder: kept, not copied */
	ep->has_dob = st->need_age && e->has_dob;
	ep->dob_day = ep->has_dob ? e->dob.day : 0;
	decode_facts(st, rec, ep);
	mp_stats_groups(st, rec, ep);
	return 0;
}

void
mp_stats_groups(const mp_stats *st, const mp_record *rec, mp_stats_ep *ep)
{
	for (int g = 0; g < st->cfg.ngroups; g++) {
		int i = st->gidx[g];
		if (i >= 0 && (size_t)i < rec->n)
			ep->group[g] = rec->f[i];
		else
			ep->group[g].s = "", ep->group[g].len = 0;
	}
}

int
mp_stats_add_record(mp_stats *st, const mp_record *rec, const char **col, char *msg, size_t msgsz)
{
	mp_episode e;
	mp_stats_ep ep;

	assert(st->bound);	/* a caller's bug: mp_stats_bind comes first */
	if (mp_episode_decode(&st->cm, rec, &e, col, msg, msgsz) != 0 ||
	    mp_stats_episode(st, &e, rec, &ep, col, msg, msgsz) != 0)
		return MP_STATS_BAD;
	return mp_stats_add(st, &ep, col, msg, msgsz);
}

/* ---- merging ---- */

/* Move src's runs into dst's, rewriting the interned child keys through lremap. */
static void
take_runs(run **dst, size_t *ndst, run *src, size_t nsrc, const uint64_t *lremap)
{
	*dst = mp_xrealloc(*dst, (*ndst + nsrc) * sizeof **dst);
	for (size_t r = 0; r < nsrc; r++) {
		run *s = &src[r];
		if (lremap)
			for (size_t k = 0; k < s->n; k++) {
				uint64_t key = s->e[k].w0 >> 8;
				if ((key & 0xff) == 0)
					s->e[k].w0 = lremap[(key >> 8) - 1] << 8 | (s->e[k].w0 & 0xff);
			}
		(*dst)[(*ndst)++] = *s;
		s->e = NULL;
		s->n = s->cap = 0;
	}
}

/* Add one of src's cells (keys already in dst's ids) into dst. */
static void
merge_cell(mp_stats *dst, cell *s, const uint32_t *gid, const uint64_t *lremap)
{
	cell *d = cell_get(dst, s->period, gid);

	if (d->n[MP_ST_EPISODES] == 0 || (s->n[MP_ST_EPISODES] && s->minday < d->minday))
		d->minday = s->minday;
	if (d->n[MP_ST_EPISODES] == 0 || (s->n[MP_ST_EPISODES] && s->maxday > d->maxday))
		d->maxday = s->maxday;
	for (int k = 0; k < MP_ST_NCOUNTS; k++)
		d->n[k] += s->n[k];
	take_runs(&d->runs, &d->nruns, s->runs, s->nruns, lremap);
	if (s->ndur) {
		d->dur = mp_xrealloc(d->dur, (d->ndur + s->ndur) * sizeof *d->dur);
		memcpy(d->dur + d->ndur, s->dur, s->ndur * sizeof *s->dur);
		d->ndur += s->ndur;
		d->cdur = d->ndur;
	}
	free(s->dur);
	s->dur = NULL;
}

void
mp_stats_merge(mp_stats *dst, mp_stats *src)
{
	int nk = KEYLEN(dst), ng = dst->cfg.ngroups;
	uint32_t *remap[NKEY];
	uint64_t *lremap = NULL;

	for (int g = 0; g < nk; g++) {
		remap[g] = mp_xmalloc((src->gval[g].n + 1) * sizeof **remap);
		for (size_t i = 0; i < src->gval[g].n; i++)
			remap[g][i] = mp_strtab_intern(&dst->gval[g], mp_strtab_str(&src->gval[g], (uint32_t)i),
						       mp_strtab_len(&src->gval[g], (uint32_t)i));
	}
	for (size_t i = 0; i < src->gval[ng].n; i++) {
		if (remap[ng][i] >= dst->nsrc_rec) {
			size_t n = dst->nsrc_rec;
			dst->src_rec = mp_xgrow(dst->src_rec, &n, (size_t)remap[ng][i] + 1, 1);
			memset(dst->src_rec + dst->nsrc_rec, 0, n - dst->nsrc_rec);
			dst->nsrc_rec = n;
		}
		dst->src_rec[remap[ng][i]] |= src->src_rec[i];
	}
	if (src->longid.n) {
		lremap = mp_xmalloc(src->longid.n * sizeof *lremap);
		for (size_t i = 0; i < src->longid.n; i++)
			lremap[i] = child_key(&dst->longid, mp_strtab_str(&src->longid, (uint32_t)i),
					      mp_strtab_len(&src->longid, (uint32_t)i));
	}
	for (size_t i = 0; i < src->ncells; i++) {
		uint32_t gid[NKEY];
		for (int g = 0; g < nk; g++)
			gid[g] = remap[g][src->cells[i].gid[g]];
		merge_cell(dst, &src->cells[i], gid, lremap);
	}
	take_runs(&dst->outside, &dst->noutside, src->outside, src->noutside, lremap);
	dst->seen |= src->seen;
	dst->gseen |= src->gseen;
	dst->rows_seen += src->rows_seen;
	mp_la_merge(&dst->la, &src->la);
	for (int g = 0; g < nk; g++)
		free(remap[g]);
	free(lremap);
	mp_stats_free(src);
}
