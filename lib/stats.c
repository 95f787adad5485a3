/* stats.c: per-period, per-group counts with exact distinct children and medians (see stats.h). */
#include "stats.h"
#include "episode.h"
#include "err.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const mp_stats_count_names[MP_ST_NCOUNTS] = {
	"episodes", "children", "missing", "away", "absent", "open", "rhi_eligible", "rhi_offered",
	"rhi_accepted", "rhi_held", "rhi_held_in_time", "over_24h", "repeat_children",
};

const mp_stats_pct mp_stats_pcts[] = {
	{ "rhi_offered_pct", MP_ST_RHI_OFFERED, MP_ST_RHI_ELIGIBLE },
	{ "rhi_accepted_pct", MP_ST_RHI_ACCEPTED, MP_ST_RHI_ELIGIBLE },
	{ "rhi_held_pct", MP_ST_RHI_HELD, MP_ST_RHI_ELIGIBLE },
	{ "rhi_held_in_time_pct", MP_ST_RHI_HELD_IN_TIME, MP_ST_RHI_ELIGIBLE },
	{ "over_24h_pct", MP_ST_OVER_24H, MP_ST_RHI_ELIGIBLE },
	{ "repeat_children_pct", MP_ST_REPEAT_CHILDREN, MP_ST_CHILDREN },
};
const size_t mp_stats_npcts = sizeof mp_stats_pcts / sizeof mp_stats_pcts[0];

enum { G_COLUMN, G_AGE, G_DURATION };

static const char *const age_labels[] = { "under 1", "1-4", "5-9", "10-15", "16+", "unknown" };
static const char *const dur_labels[] = { "under 6h", "6-24h", "1-3 days", "over 3 days", "open", "unknown" };
enum { AGE_UNKNOWN = 5, DUR_OPEN = 4, DUR_UNKNOWN = 5 };

/* Interned strings: value -> small id, in first-seen order. */
typedef struct strtab {
	char **s;
	size_t *len;
	size_t n, cap;
	uint32_t *slot;		/* id + 1, 0 empty */
	size_t nslot;
} strtab;

/* One (period, group values) combination and what it counted. */
typedef struct cell {
	int64_t period;
	uint32_t gid[MP_STATS_MAX_GROUPS];
	long n[MP_ST_NCOUNTS];
	uint64_t *kid;		/* a child key per episode (sorted by finish) */
	size_t nkid, ckid;
	uint32_t *dur;		/* seconds, per returned episode with times */
	size_t ndur, cdur;
} cell;

/* Local midnight offsets of one day: a == b when no clock change that day. */
typedef struct dayoff {
	int64_t day;
	int32_t a, b;
	int valid;
} dayoff;
#define DCACHE 2048

struct mp_stats {
	mp_stats_config cfg;
	char *gname[MP_STATS_MAX_GROUPS];
	int gkind[MP_STATS_MAX_GROUPS];
	int gidx[MP_STATS_MAX_GROUPS];
	int need_age, need_dur;
	int bound;
	int c_child, c_type, c_start, c_end, c_off, c_acc, c_held, c_dob;

	strtab gval[MP_STATS_MAX_GROUPS];
	strtab longid;

	cell *cells;
	size_t ncells, ccells;
	uint32_t *cslot;	/* cell index + 1 */
	size_t ncslot;
	size_t last;		/* index + 1 of the last cell used */
	int64_t minp, maxp;
	int64_t minday, maxday;	/* first and last start day counted */
	long counted;

	dayoff *dcache;
	struct datecache {
		char text[10];
		int y, mo, d;
		int64_t day;
		int32_t offset;
		int uniform;
	} dc;

	mp_stats_row *rows;
	size_t nrows;
	int finished;
};

static pthread_mutex_t time_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- hashing and interning ---- */

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;

	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = mix64(h ^ w);
		s += 8;
		n -= 8;
	}
	uint64_t w = 0;
	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)(unsigned char)s[i] << (8 * i);
	return mix64(h ^ w);
}

static void
strtab_free(strtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	free(t->len);
	free(t->slot);
	memset(t, 0, sizeof *t);
}

static void
strtab_rehash(strtab *t)
{
	size_t ns = t->nslot ? t->nslot * 2 : 64;

	free(t->slot);
	t->slot = mp_xcalloc(ns, sizeof *t->slot);
	t->nslot = ns;
	for (size_t i = 0; i < t->n; i++) {
		size_t h = hash_bytes(t->s[i], t->len[i]) & (ns - 1);
		while (t->slot[h])
			h = (h + 1) & (ns - 1);
		t->slot[h] = (uint32_t)i + 1;
	}
}

/* The id of s[0..len), added when new. */
static uint32_t
strtab_intern(strtab *t, const char *s, size_t len)
{
	if (2 * (t->n + 1) > t->nslot)
		strtab_rehash(t);
	size_t h = hash_bytes(s, len) & (t->nslot - 1);
	for (uint32_t e; (e = t->slot[h]); h = (h + 1) & (t->nslot - 1))
		if (t->len[e - 1] == len && memcmp(t->s[e - 1], s, len) == 0)
			return e - 1;
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->s = mp_xrealloc(t->s, t->cap * sizeof *t->s);
		t->len = mp_xrealloc(t->len, t->cap * sizeof *t->len);
	}
	t->s[t->n] = mp_xstrndup(s, len);
	t->len[t->n] = len;
	t->slot[h] = (uint32_t)++t->n;
	return (uint32_t)(t->n - 1);
}

/*
 * A child key: ids of up to 8 bytes with no NUL are packed into the key
 * itself (exact, and the low byte is never 0); others are interned and
 * keyed (id + 1) << 8, whose low byte is 0.  No key is 0.
 */
static uint64_t
child_key(mp_stats *st, const char *s, size_t len)
{
	if (len <= 8 && !memchr(s, '\0', len)) {
		uint64_t k = 0;
		for (size_t i = 0; i < len; i++)
			k |= (uint64_t)(unsigned char)s[i] << (8 * i);
		return k;
	}
	return ((uint64_t)strtab_intern(&st->longid, s, len) + 1) << 8;
}

/* ---- configuration ---- */

void
mp_stats_config_init(mp_stats_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->by = MP_BY_MONTH;
	cfg->within_hours = 72;
	cfg->repeat_min = 3;
}

mp_stats *
mp_stats_new(const mp_stats_config *cfg)
{
	mp_stats *st = mp_xcalloc(1, sizeof *st);

	st->cfg = *cfg;
	for (int g = 0; g < cfg->ngroups; g++) {
		st->gname[g] = mp_xstrdup(cfg->groups[g]);
		st->cfg.groups[g] = st->gname[g];
		st->gidx[g] = -1;
		if (strcmp(cfg->groups[g], MP_STATS_AGE_BAND) == 0) {
			st->gkind[g] = G_AGE;
			st->need_age = 1;
			for (size_t i = 0; i < sizeof age_labels / sizeof *age_labels; i++)
				strtab_intern(&st->gval[g], age_labels[i], strlen(age_labels[i]));
		} else if (strcmp(cfg->groups[g], MP_STATS_DURATION_BAND) == 0) {
			st->gkind[g] = G_DURATION;
			st->need_dur = 1;
			for (size_t i = 0; i < sizeof dur_labels / sizeof *dur_labels; i++)
				strtab_intern(&st->gval[g], dur_labels[i], strlen(dur_labels[i]));
		}
	}
	st->c_child = st->c_type = st->c_start = st->c_end = -1;
	st->c_off = st->c_acc = st->c_held = st->c_dob = -1;
	st->dcache = mp_xcalloc(DCACHE, sizeof *st->dcache);
	return st;
}

static void
free_cells(mp_stats *st)
{
	for (size_t i = 0; i < st->ncells; i++) {
		free(st->cells[i].kid);
		free(st->cells[i].dur);
	}
	free(st->cells);
	free(st->cslot);
	st->cells = NULL;
	st->cslot = NULL;
	st->ncells = st->ccells = st->ncslot = 0;
	st->last = 0;
}

void
mp_stats_free(mp_stats *st)
{
	if (!st)
		return;
	free_cells(st);
	for (int g = 0; g < st->cfg.ngroups; g++) {
		strtab_free(&st->gval[g]);
		free(st->gname[g]);
	}
	strtab_free(&st->longid);
	free(st->dcache);
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
	st->c_child = find_col(header, "child_id");
	st->c_type = find_col(header, "type");
	st->c_start = find_col(header, "start");
	st->c_end = find_col(header, "end");
	st->c_off = find_col(header, "rhi_offered");
	st->c_acc = find_col(header, "rhi_accepted");
	st->c_held = find_col(header, "rhi_held");
	st->c_dob = find_col(header, "dob");
	if (st->need_age && st->c_dob < 0) {
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
	f->c_child = st->c_child, f->c_type = st->c_type, f->c_start = st->c_start, f->c_end = st->c_end;
	f->c_off = st->c_off, f->c_acc = st->c_acc, f->c_held = st->c_held, f->c_dob = st->c_dob;
	memcpy(f->gidx, st->gidx, sizeof f->gidx);
	return f;
}

/* ---- time decoding, thread-safe: a per-engine day cache, the shared code under a lock ---- */

static int
digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The offsets at local midnight of day and of the next day (cached). */
static const dayoff *
day_offsets(mp_stats *st, int64_t day)
{
	dayoff *c = &st->dcache[(uint64_t)day & (DCACHE - 1)];
	if (c->valid && c->day == day)
		return c;
	int y, m, d, y2, m2, d2, oa = 0, ob = 0, ra, rb;
	int64_t u;
	mp_civil_from_days(day, &y, &m, &d);
	mp_civil_from_days(day + 1, &y2, &m2, &d2);
	pthread_mutex_lock(&time_lock);
	ra = mp_local_to_utc(y, m, d, 0, 0, 0, &u, &oa);
	rb = mp_local_to_utc(y2, m2, d2, 0, 0, 0, &u, &ob);
	pthread_mutex_unlock(&time_lock);
	c->day = day;
	c->a = oa;
	c->b = (ra == 0 && rb == 0) ? ob : oa + 1;	/* unequal: take the slow path */
	c->valid = 1;
	return c;
}

typedef struct datecache datecache;

/* mp_time_parse, with a fast path for ISO local times on days without a clock change. */
static int
parse_time(mp_stats *st, const char *s, size_t len, mp_time *t, int date_only, const char **why)
{
	if ((len == 10 || ((len == 16 || len == 19) && (s[10] == 'T' || s[10] == ' ') && s[13] == ':' &&
			   (len == 16 || s[16] == ':'))) &&
	    s[4] == '-' && s[7] == '-' && !(date_only && len != 10)) {
		datecache *c = &st->dc;
		if (memcmp(c->text, s, 10) != 0) {
			int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
			c->text[0] = 0;
			if (y >= 1900 && y <= 2199 && mo >= 1 && mo <= 12 && d >= 1 && d <= mp_days_in_month(y, mo)) {
				const dayoff *o;
				c->y = y, c->mo = mo, c->d = d;
				c->day = mp_days_from_civil(y, mo, d);
				o = day_offsets(st, c->day);
				c->offset = o->a;
				c->uniform = o->a == o->b;
				memcpy(c->text, s, 10);
			}
		}
		int h = 0, mi = 0, sec = 0;
		if (len > 10) {
			h = digits(s + 11, 2);
			mi = digits(s + 14, 2);
			sec = len == 19 ? digits(s + 17, 2) : 0;
		}
		if (c->text[0] && c->uniform && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && sec >= 0 && sec <= 59) {
			t->y = c->y, t->mo = c->mo, t->d = c->d, t->h = h, t->mi = mi, t->s = sec;
			t->day = c->day;
			t->offset = c->offset;
			t->utc = c->day * 86400 + h * 3600 + mi * 60 + sec - c->offset;
			t->has_time = len > 10;
			t->has_offset = t->ambiguous = 0;
			return 0;
		}
	}
	pthread_mutex_lock(&time_lock);
	int r = date_only ? mp_date_parse(s, len, t, why) : mp_time_parse(s, len, t, why);
	pthread_mutex_unlock(&time_lock);
	return r;
}

/* UTC of local midnight at the start of day. */
static int64_t
midnight_utc(mp_stats *st, int64_t day)
{
	const dayoff *o = day_offsets(st, day);
	return day * 86400 - o->a;
}

/* ---- counting ---- */

static size_t
cell_hash(int64_t period, const uint32_t *gid, int ng)
{
	uint64_t h = mix64((uint64_t)period + 0x9e3779b97f4a7c15ULL);
	for (int g = 0; g < ng; g++)
		h = mix64(h ^ (gid[g] + 0x632be59bd9b4e019ULL * (uint64_t)(g + 1)));
	return (size_t)h;
}

static void
cells_rehash(mp_stats *st)
{
	size_t ns = st->ncslot ? st->ncslot * 2 : 256;
	free(st->cslot);
	st->cslot = mp_xcalloc(ns, sizeof *st->cslot);
	st->ncslot = ns;
	for (size_t i = 0; i < st->ncells; i++) {
		size_t h = cell_hash(st->cells[i].period, st->cells[i].gid, st->cfg.ngroups) & (ns - 1);
		while (st->cslot[h])
			h = (h + 1) & (ns - 1);
		st->cslot[h] = (uint32_t)i + 1;
	}
}

/* The cell for (period, gid), or NULL when absent and !create. */
static cell *
cell_get(mp_stats *st, int64_t period, const uint32_t *gid, int create)
{
	int ng = st->cfg.ngroups;
	cell *c;

	if (st->last) {
		c = &st->cells[st->last - 1];
		if (c->period == period && memcmp(c->gid, gid, ng * sizeof *gid) == 0)
			return c;
	}
	if (st->ncslot == 0 && !create)
		return NULL;
	if (create && 2 * (st->ncells + 1) > st->ncslot)
		cells_rehash(st);
	size_t h = cell_hash(period, gid, ng) & (st->ncslot - 1);
	for (uint32_t e; (e = st->cslot[h]); h = (h + 1) & (st->ncslot - 1)) {
		c = &st->cells[e - 1];
		if (c->period == period && memcmp(c->gid, gid, ng * sizeof *gid) == 0) {
			st->last = e;
			return c;
		}
	}
	if (!create)
		return NULL;
	if (st->ncells == st->ccells) {
		st->ccells = st->ccells ? 2 * st->ccells : 64;
		st->cells = mp_xrealloc(st->cells, st->ccells * sizeof *st->cells);
	}
	c = &st->cells[st->ncells];
	memset(c, 0, sizeof *c);
	c->period = period;
	memcpy(c->gid, gid, ng * sizeof *gid);
	st->cslot[h] = (uint32_t)++st->ncells;
	st->last = st->ncells;
	if (st->ncells == 1 || period < st->minp)
		st->minp = period;
	if (st->ncells == 1 || period > st->maxp)
		st->maxp = period;
	return c;
}

static void
push_kid(cell *c, uint64_t k)
{
	if (c->nkid == c->ckid) {
		c->ckid = c->ckid ? c->ckid + c->ckid / 2 : 64;
		c->kid = mp_xrealloc(c->kid, c->ckid * sizeof *c->kid);
	}
	c->kid[c->nkid++] = k;
}

static void
push_dur(cell *c, uint32_t d)
{
	if (c->ndur == c->cdur) {
		c->cdur = c->cdur ? c->cdur + c->cdur / 2 : 64;
		c->dur = mp_xrealloc(c->dur, c->cdur * sizeof *c->dur);
	}
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

	pthread_mutex_lock(&time_lock);
	mp_utc_to_local(t->utc, &lt);
	pthread_mutex_unlock(&time_lock);
	t->day = lt.day, t->y = lt.y, t->mo = lt.mo, t->d = lt.d;
	t->has_offset = 0;
}

int
mp_stats_add(mp_stats *st, const mp_stats_ep *epin, const char **col, char *msg, size_t msgsz)
{
	uint32_t gid[MP_STATS_MAX_GROUPS];
	mp_stats_ep fixed;
	const mp_stats_ep *ep = epin;

	if (epin->start.has_offset || (epin->has_end && epin->end.has_offset) ||
	    (epin->has_rhi_held && epin->rhi_held.has_offset)) {
		fixed = *epin;
		if (fixed.start.has_offset)
			local_date(&fixed.start);
		if (fixed.has_end && fixed.end.has_offset)
			local_date(&fixed.end);
		if (fixed.has_rhi_held && fixed.rhi_held.has_offset)
			local_date(&fixed.rhi_held);
		ep = &fixed;
	}
	int64_t day = ep->start.day;
	int timed = ep->has_end && ep->start.has_time && ep->end.has_time;

	if (ep->has_end && (timed ? ep->end.utc < ep->start.utc : ep->end.day < ep->start.day)) {
		*col = "end";
		snprintf(msg, msgsz, "the end is before the start");
		return MP_STATS_BAD;
	}
	if (st->need_age && ep->has_dob && ep->dob_day > day) {
		*col = "dob";
		snprintf(msg, msgsz, "the date of birth is after the start");
		return MP_STATS_BAD;
	}
	if ((st->cfg.has_from && day < st->cfg.from_day) || (st->cfg.has_to && day > st->cfg.to_day))
		return MP_STATS_OUTSIDE;
	int64_t secs = timed ? ep->end.utc - ep->start.utc : 0;
	for (int g = 0; g < st->cfg.ngroups; g++) {
		switch (st->gkind[g]) {
		case G_COLUMN:
			gid[g] = strtab_intern(&st->gval[g], ep->group[g].s, ep->group[g].len);
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
			gid[g] = !ep->has_end ? DUR_OPEN : !timed ? DUR_UNKNOWN
				: secs < 6 * 3600 ? 0 : secs <= 24 * 3600 ? 1 : secs <= 72 * 3600 ? 2 : 3;
			break;
		}
	}
	cell *c = cell_get(st, mp_period_key_ymd(st->cfg.by, day, ep->start.y, ep->start.mo), gid, 1);
	if (st->counted++ == 0 || day < st->minday)
		st->minday = day;
	if (st->counted == 1 || day > st->maxday)
		st->maxday = day;
	c->n[MP_ST_EPISODES]++;
	push_kid(c, child_key(st, ep->child, ep->child_len));
	if (ep->type == MP_EP_MISSING)
		c->n[MP_ST_MISSING]++;
	else if (ep->type == MP_EP_AWAY)
		c->n[MP_ST_AWAY]++;
	else if (ep->type == MP_EP_ABSENT)
		c->n[MP_ST_ABSENT]++;
	if (!ep->has_end) {
		c->n[MP_ST_OPEN]++;
		return MP_STATS_COUNTED;
	}
	c->n[MP_ST_RHI_ELIGIBLE]++;
	c->n[MP_ST_RHI_OFFERED] += ep->offered != 0;
	c->n[MP_ST_RHI_ACCEPTED] += ep->accepted != 0;
	if (ep->has_rhi_held) {
		c->n[MP_ST_RHI_HELD]++;
		if (ep->end.has_time && ep->rhi_held.has_time) {
			int64_t d = ep->rhi_held.utc - ep->end.utc;
			c->n[MP_ST_RHI_HELD_IN_TIME] += d >= 0 && d <= (int64_t)st->cfg.within_hours * 3600;
		} else {
			int64_t d = ep->rhi_held.day - ep->end.day;
			c->n[MP_ST_RHI_HELD_IN_TIME] += d >= 0 && d <= st->cfg.within_hours / 24;
		}
	}
	if (timed) {
		push_dur(c, secs > UINT32_MAX ? UINT32_MAX : (uint32_t)secs);
		c->n[MP_ST_OVER_24H] += secs > 86400;
	} else {
		/* A date alone: the shortest the episode can have been. */
		int64_t s = ep->start.has_time ? ep->start.utc : midnight_utc(st, day + 1);
		int64_t e = ep->end.has_time ? ep->end.utc : midnight_utc(st, ep->end.day);
		c->n[MP_ST_OVER_24H] += e - s > 86400;
	}
	return MP_STATS_COUNTED;
}

/* "'value': why" into msg; mp_show's buffers are shared, so under the lock. */
static void
show_msg(char *msg, size_t msgsz, const mp_field *f, const char *why)
{
	pthread_mutex_lock(&time_lock);
	snprintf(msg, msgsz, "'%s': %s", mp_show(f->s, f->len), why);
	pthread_mutex_unlock(&time_lock);
}

/* Decode a time field; 0 absent, 1 present, -1 bad (msg set). */
static int
field_time(mp_stats *st, const mp_record *rec, int idx, const char *name, mp_time *t, int date_only,
	   const char **col, char *msg, size_t msgsz)
{
	const char *why;

	if (idx < 0 || (size_t)idx >= rec->n || rec->f[idx].len == 0)
		return 0;
	if (parse_time(st, rec->f[idx].s, rec->f[idx].len, t, date_only, &why)) {
		*col = name;
		show_msg(msg, msgsz, &rec->f[idx], why);
		return -1;
	}
	return 1;
}

/* A Y/N flag: 1, 0 (N or empty), -1 bad. */
static int
field_flag(const mp_record *rec, int idx, const char *name, const char **col, char *msg, size_t msgsz)
{
	if (idx < 0 || (size_t)idx >= rec->n || rec->f[idx].len == 0)
		return 0;
	const mp_field *f = &rec->f[idx];
	if (f->len == 1 && (f->s[0] == 'Y' || f->s[0] == 'N'))
		return f->s[0] == 'Y';
	*col = name;
	show_msg(msg, msgsz, f, "expected Y, N or empty");
	return -1;
}

int
mp_stats_decode(mp_stats *st, const mp_record *rec, mp_stats_ep *ep, const char **col, char *msg,
		size_t msgsz)
{
	int r;

	if (!st->bound)
		mp_die(MP_EXIT_DATA, "internal error: mp_stats_add_record before mp_stats_bind");
	ep->child = (size_t)st->c_child < rec->n ? rec->f[st->c_child].s : "";
	ep->child_len = (size_t)st->c_child < rec->n ? rec->f[st->c_child].len : 0;
	if (ep->child_len == 0) {
		*col = "child_id";
		snprintf(msg, msgsz, "required value is empty");
		return MP_STATS_BAD;
	}
	const mp_field *ty = (size_t)st->c_type < rec->n ? &rec->f[st->c_type] : NULL;
	if (!ty || ty->len == 0) {
		*col = "type";
		snprintf(msg, msgsz, "required value is empty");
		return MP_STATS_BAD;
	}
	if (ty->len == 7 && memcmp(ty->s, "missing", 7) == 0)
		ep->type = MP_EP_MISSING;
	else if (ty->len == 4 && memcmp(ty->s, "away", 4) == 0)
		ep->type = MP_EP_AWAY;
	else if (ty->len == 6 && memcmp(ty->s, "absent", 6) == 0)
		ep->type = MP_EP_ABSENT;
	else {
		*col = "type";
		show_msg(msg, msgsz, ty, "expected missing, away or absent");
		return MP_STATS_BAD;
	}
	if ((r = field_time(st, rec, st->c_start, "start", &ep->start, 0, col, msg, msgsz)) <= 0) {
		if (r == 0) {
			*col = "start";
			snprintf(msg, msgsz, "required value is empty");
		}
		return MP_STATS_BAD;
	}
	if ((ep->has_end = field_time(st, rec, st->c_end, "end", &ep->end, 0, col, msg, msgsz)) < 0)
		return MP_STATS_BAD;
	if ((ep->offered = field_flag(rec, st->c_off, "rhi_offered", col, msg, msgsz)) < 0)
		return MP_STATS_BAD;
	if ((ep->accepted = field_flag(rec, st->c_acc, "rhi_accepted", col, msg, msgsz)) < 0)
		return MP_STATS_BAD;
	if ((ep->has_rhi_held = field_time(st, rec, st->c_held, "rhi_held", &ep->rhi_held, 0, col, msg, msgsz)) < 0)
		return MP_STATS_BAD;
	ep->has_dob = 0;
	ep->dob_day = 0;
	if (st->need_age) {
		mp_time dob;
		if ((ep->has_dob = field_time(st, rec, st->c_dob, "dob", &dob, 1, col, msg, msgsz)) < 0)
			return MP_STATS_BAD;
		ep->dob_day = dob.day;
	}
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
	mp_stats_ep ep;

	if (mp_stats_decode(st, rec, &ep, col, msg, msgsz) != 0)
		return MP_STATS_BAD;
	return mp_stats_add(st, &ep, col, msg, msgsz);
}

/* ---- merging ---- */

void
mp_stats_merge(mp_stats *dst, mp_stats *src)
{
	int ng = dst->cfg.ngroups;
	uint32_t *remap[MP_STATS_MAX_GROUPS];
	uint64_t *lremap = NULL;

	for (int g = 0; g < ng; g++) {
		remap[g] = mp_xmalloc((src->gval[g].n + 1) * sizeof **remap);
		for (size_t i = 0; i < src->gval[g].n; i++)
			remap[g][i] = strtab_intern(&dst->gval[g], src->gval[g].s[i], src->gval[g].len[i]);
	}
	if (src->longid.n) {
		lremap = mp_xmalloc(src->longid.n * sizeof *lremap);
		for (size_t i = 0; i < src->longid.n; i++)
			lremap[i] = child_key(dst, src->longid.s[i], src->longid.len[i]);
	}
	for (size_t i = 0; i < src->ncells; i++) {
		cell *s = &src->cells[i];
		uint32_t gid[MP_STATS_MAX_GROUPS];
		for (int g = 0; g < ng; g++)
			gid[g] = remap[g][s->gid[g]];
		cell *d = cell_get(dst, s->period, gid, 1);
		for (int k = 0; k < MP_ST_NCOUNTS; k++)
			d->n[k] += s->n[k];
		if (lremap)
			for (size_t k = 0; k < s->nkid; k++)
				if ((s->kid[k] & 0xff) == 0)
					s->kid[k] = lremap[(s->kid[k] >> 8) - 1];
		if (d->nkid == 0) {
			/* Take the arrays over instead of copying. */
			free(d->kid);
			free(d->dur);
			d->kid = s->kid, d->nkid = s->nkid, d->ckid = s->ckid;
			d->dur = s->dur, d->ndur = s->ndur, d->cdur = s->cdur;
			s->kid = NULL, s->dur = NULL;
			continue;
		}
		if (s->nkid) {
			d->kid = mp_xrealloc(d->kid, (d->nkid + s->nkid) * sizeof *d->kid);
			memcpy(d->kid + d->nkid, s->kid, s->nkid * sizeof *s->kid);
			d->nkid += s->nkid;
			d->ckid = d->nkid;
		}
		if (s->ndur) {
			d->dur = mp_xrealloc(d->dur, (d->ndur + s->ndur) * sizeof *d->dur);
			memcpy(d->dur + d->ndur, s->dur, s->ndur * sizeof *s->dur);
			d->ndur += s->ndur;
			d->cdur = d->ndur;
		}
		free(s->kid);
		free(s->dur);
		s->kid = NULL, s->dur = NULL;
	}
	if (src->counted) {
		if (!dst->counted || src->minday < dst->minday)
			dst->minday = src->minday;
		if (!dst->counted || src->maxday > dst->maxday)
			dst->maxday = src->maxday;
		dst->counted += src->counted;
	}
	for (int g = 0; g < ng; g++)
		free(remap[g]);
	free(lremap);
	mp_stats_free(src);
}

/* ---- finishing: sort, then count runs ---- */

/*
 * LSD radix sort of unsigned keys, one byte a pass (bytes where all keys
 * agree are skipped); insertion sort for short arrays.  One body serves
 * the 64-bit child keys and the 32-bit durations.
 */
#define DEFINE_RADIX_SORT(name, T)							\
static void										\
name(T *a, size_t n, T *tmp)								\
{											\
	enum { NB = sizeof(T) };							\
	if (n < 48) {									\
		for (size_t i = 1; i < n; i++) {					\
			T v = a[i];							\
			size_t j = i;							\
			for (; j > 0 && a[j - 1] > v; j--)				\
				a[j] = a[j - 1];					\
			a[j] = v;							\
		}									\
		return;									\
	}										\
	size_t cnt[NB][256];								\
	memset(cnt, 0, sizeof cnt);							\
	for (size_t i = 0; i < n; i++) {						\
		T v = a[i];								\
		for (int b = 0; b < NB; b++)						\
			cnt[b][(v >> (8 * b)) & 0xff]++;				\
	}										\
	T *src = a, *dst = tmp;								\
	for (int b = 0; b < NB; b++) {							\
		if (cnt[b][(src[0] >> (8 * b)) & 0xff] == n)				\
			continue;							\
		size_t sum = 0;								\
		for (int k = 0; k < 256; k++) {						\
			size_t c = cnt[b][k];						\
			cnt[b][k] = sum;						\
			sum += c;							\
		}									\
		for (size_t i = 0; i < n; i++)						\
			dst[cnt[b][(src[i] >> (8 * b)) & 0xff]++] = src[i];		\
		T *t = src;								\
		src = dst;								\
		dst = t;								\
	}										\
	if (src != a)									\
		memcpy(a, src, n * sizeof *a);						\
}

DEFINE_RADIX_SORT(sort_u64, uint64_t)
DEFINE_RADIX_SORT(sort_u32, uint32_t)

struct sort_job {
	mp_stats *st;
	size_t from, step;
};

static void *
sort_cells(void *arg)
{
	struct sort_job *j = arg;
	size_t max = 0;

	for (size_t i = j->from; i < j->st->ncells; i += j->step)
		if (j->st->cells[i].nkid > max)
			max = j->st->cells[i].nkid;
	uint64_t *tmp = mp_xmalloc((max + 1) * sizeof *tmp);
	for (size_t i = j->from; i < j->st->ncells; i += j->step) {
		cell *c = &j->st->cells[i];
		sort_u64(c->kid, c->nkid, tmp);
		sort_u32(c->dur, c->ndur, (uint32_t *)tmp);
	}
	free(tmp);
	return NULL;
}

/* Median of the sorted durations in tenths of hours, rounded half up. */
static long
median_tenths(uint64_t twice_median_secs)
{
	/* hours x 10 = m2 / (2 * 3600) x 10 = m2 / 720 */
	return (long)((twice_median_secs + 360) / 720);
}

/* A k-way merge of the sorted key arrays of some cells: a binary heap of cursors. */
typedef struct kway {
	const uint64_t **p, **end;
	size_t n;
} kway;

static void
kway_down(kway *w, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < w->n && *w->p[l] < *w->p[m])
			m = l;
		if (r < w->n && *w->p[r] < *w->p[m])
			m = r;
		if (m == i)
			return;
		const uint64_t *tp = w->p[i], *te = w->end[i];
		w->p[i] = w->p[m], w->end[i] = w->end[m];
		w->p[m] = tp, w->end[m] = te;
		i = m;
	}
}

/* Take the smallest key; 0 when every array is done (keys are never 0). */
static uint64_t
kway_pop(kway *w)
{
	if (w->n == 0)
		return 0;
	uint64_t k = *w->p[0]++;
	if (w->p[0] == w->end[0]) {
		w->n--;
		w->p[0] = w->p[w->n], w->end[0] = w->end[w->n];
	}
	kway_down(w, 0);
	return k;
}

/* The k-th smallest (from 0) of the union of sorted duration arrays: a search on the value. */
static uint32_t
kth_duration(cell **cs, size_t ncs, size_t k)
{
	uint64_t lo = 0, hi = UINT32_MAX;

	while (lo < hi) {
		uint64_t mid = (lo + hi) / 2;
		size_t count = 0;
		for (size_t i = 0; i < ncs; i++) {
			size_t a = 0, b = cs[i]->ndur;
			while (a < b) {		/* values <= mid in this array */
				size_t m = (a + b) / 2;
				if (cs[i]->dur[m] <= mid)
					a = m + 1;
				else
					b = m;
			}
			count += a;
		}
		if (count > k)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (uint32_t)lo;
}

/* Comparison of two group-id tuples for the row order (the engine: per thread). */
static _Thread_local const mp_stats *sort_st;
static int
cmp_combo(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b;
	for (int g = 0; g < sort_st->cfg.ngroups; g++) {
		if (x[g] == y[g])
			continue;
		if (sort_st->gkind[g] != G_COLUMN)
			return x[g] < y[g] ? -1 : 1;
		const strtab *t = &sort_st->gval[g];
		size_t la = t->len[x[g]], lb = t->len[y[g]];
		int c = memcmp(t->s[x[g]], t->s[y[g]], la < lb ? la : lb);
		if (c)
			return c;
		return la < lb ? -1 : 1;
	}
	return 0;
}

/* Children and repeat children of one sorted key array. */
static void
count_runs(const uint64_t *k, size_t n, long repeat_min, long *children, long *repeat)
{
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && k[j] == k[i])
			j++;
		++*children;
		*repeat += (long)(j - i) >= repeat_min;
		i = j;
	}
}

static void
total_row(mp_stats *st, mp_stats_row *row, cell **cs, size_t ncs)
{
	kway w = { mp_xcalloc(ncs + 1, sizeof *w.p), mp_xcalloc(ncs + 1, sizeof *w.end), 0 };
	size_t ndur = 0;

	for (size_t i = 0; i < ncs; i++) {
		for (int k = 0; k < MP_ST_NCOUNTS; k++)
			row->n[k] += cs[i]->n[k];
		if (cs[i]->nkid) {
			w.p[w.n] = cs[i]->kid;
			w.end[w.n++] = cs[i]->kid + cs[i]->nkid;
		}
		ndur += cs[i]->ndur;
	}
	for (size_t i = w.n / 2; i-- > 0;)
		kway_down(&w, i);
	row->n[MP_ST_CHILDREN] = row->n[MP_ST_REPEAT_CHILDREN] = 0;
	uint64_t m = kway_pop(&w);
	while (m) {
		long run = 1;
		uint64_t k;
		while ((k = kway_pop(&w)) == m)
			run++;
		row->n[MP_ST_CHILDREN]++;
		row->n[MP_ST_REPEAT_CHILDREN] += run >= st->cfg.repeat_min;
		m = k;
	}
	row->median_tenths = -1;
	if (ndur) {
		uint64_t hi = kth_duration(cs, ncs, ndur / 2);
		uint64_t lo = ndur % 2 ? hi : kth_duration(cs, ncs, ndur / 2 - 1);
		row->median_tenths = median_tenths(lo + hi);
	}
	free(w.p);
	free(w.end);
}

#define MAX_ROWS 20000000	/* about 4.6 GB of rows: a mistake rather than a report */

void
mp_stats_finish(mp_stats *st, int nthreads)
{
	int ng = st->cfg.ngroups;
	enum mp_period by = st->cfg.by;

	if (st->finished)
		return;
	st->finished = 1;
	/* Sort every cell's keys and durations, shared among threads. */
	if (nthreads < 1)
		nthreads = 1;
	if ((size_t)nthreads > st->ncells)
		nthreads = st->ncells ? (int)st->ncells : 1;
	{
		pthread_t tid[64];
		struct sort_job job[64];
		int started[64] = { 0 };
		if (nthreads > 64)
			nthreads = 64;
		for (int t = 0; t < nthreads; t++)
			job[t] = (struct sort_job){ st, (size_t)t, (size_t)nthreads };
		for (int t = 1; t < nthreads; t++)
			started[t] = pthread_create(&tid[t], NULL, sort_cells, &job[t]) == 0;
		sort_cells(&job[0]);
		for (int t = 1; t < nthreads; t++)
			if (started[t])
				pthread_join(tid[t], NULL);
			else
				sort_cells(&job[t]);
	}

	/* The periods: from --from (or the first seen) to --to (or the last seen). */
	int64_t p0, p1;
	int have = st->ncells > 0;
	if (by == MP_BY_NONE) {
		p0 = p1 = 0;
		have = 1;
	} else {
		p0 = st->cfg.has_from ? mp_period_key(by, st->cfg.from_day) : st->minp;
		p1 = st->cfg.has_to ? mp_period_key(by, st->cfg.to_day) : st->maxp;
		if (!st->ncells && st->cfg.has_from != st->cfg.has_to) {
			if (st->cfg.has_from)
				p1 = p0;
			else
				p0 = p1;
		}
		have = st->ncells > 0 || st->cfg.has_from || st->cfg.has_to;
	}
	size_t nper = have && p1 >= p0 ? (size_t)(p1 - p0 + 1) : 0;

	/* The group combinations seen, in order. */
	size_t ncombo = 0;
	uint32_t *combo = mp_xmalloc((st->ncells + 1) * (ng + 1) * sizeof *combo);
	if (ng == 0) {
		ncombo = 1;
	} else {
		for (size_t i = 0; i < st->ncells; i++)
			memcpy(combo + i * ng, st->cells[i].gid, ng * sizeof *combo);
		sort_st = st;
		qsort(combo, st->ncells, ng * sizeof *combo, cmp_combo);
		for (size_t i = 0; i < st->ncells; i++)
			if (ncombo == 0 || memcmp(combo + (ncombo - 1) * ng, combo + i * ng, ng * sizeof *combo) != 0)
				memmove(combo + ncombo++ * ng, combo + i * ng, ng * sizeof *combo);
	}

	if (ncombo && nper > MAX_ROWS / ncombo)
		mp_die(MP_EXIT_DATA, "%zu periods x %zu group combinations would be more than %d rows: "
		       "use fewer or coarser periods or groups", nper, ncombo, MAX_ROWS);
	st->nrows = nper * ncombo + (st->cfg.total ? ncombo : 0);
	st->rows = mp_xcalloc(st->nrows + 1, sizeof *st->rows);
	cell **cs = mp_xcalloc(nper + 1, sizeof *cs);
	for (size_t ci = 0; ci < ncombo; ci++) {
		const uint32_t *gid = combo + ci * ng;
		size_t ncs = 0;
		for (size_t pi = 0; pi < nper; pi++) {
			mp_stats_row *row = &st->rows[pi * ncombo + ci];
			int64_t key = p0 + (int64_t)pi;
			cell *c = st->ncells ? cell_get(st, key, gid, 0) : NULL;
			mp_period_label(by, key, row->period);
			mp_period_days(by, key, &row->first_day, &row->last_day);
			if (st->cfg.has_from && row->first_day < st->cfg.from_day)
				row->first_day = st->cfg.from_day;
			if (st->cfg.has_to && row->last_day > st->cfg.to_day)
				row->last_day = st->cfg.to_day;
			if (by == MP_BY_NONE) {
				/* One period: from --from (or the first start) to --to (or the last). */
				row->first_day = st->cfg.has_from ? st->cfg.from_day : st->minday;
				row->last_day = st->cfg.has_to ? st->cfg.to_day : st->maxday;
			}
			for (int g = 0; g < ng; g++)
				row->group[g] = st->gval[g].s[gid[g]];
			row->median_tenths = -1;
			if (!c)
				continue;
			cs[ncs++] = c;
			memcpy(row->n, c->n, sizeof row->n);
			row->n[MP_ST_CHILDREN] = row->n[MP_ST_REPEAT_CHILDREN] = 0;
			count_runs(c->kid, c->nkid, st->cfg.repeat_min, &row->n[MP_ST_CHILDREN],
				   &row->n[MP_ST_REPEAT_CHILDREN]);
			if (c->ndur) {
				size_t m = c->ndur / 2;
				row->median_tenths = median_tenths(c->ndur % 2 ? 2 * (uint64_t)c->dur[m]
								   : (uint64_t)c->dur[m - 1] + c->dur[m]);
			}
		}
		if (st->cfg.total) {
			mp_stats_row *row = &st->rows[nper * ncombo + ci];
			snprintf(row->period, sizeof row->period, "total");
			row->is_total = 1;
			if (nper) {
				row->first_day = st->rows[ci].first_day;
				row->last_day = st->rows[(nper - 1) * ncombo + ci].last_day;
			}
			for (int g = 0; g < ng; g++)
				row->group[g] = st->gval[g].s[gid[g]];
			total_row(st, row, cs, ncs);
		}
	}
	free(cs);
	free(combo);
}

size_t mp_stats_nrows(const mp_stats *st) { return st->nrows; }
const mp_stats_row *mp_stats_row_at(const mp_stats *st, size_t i) { return &st->rows[i]; }
int mp_stats_ngroups(const mp_stats *st) { return st->cfg.ngroups; }
const char *mp_stats_group_name(const mp_stats *st, int i) { return st->gname[i]; }

/* ---- output ---- */

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
		snprintf(buf[b], 24, "%ld", row->n[k]);
		out[n++] = buf[b++];
	}
	for (size_t p = 0; percent && p < mp_stats_npcts; p++)
		out[n++] = mp_stats_pct_format(row->n[mp_stats_pcts[p].num], row->n[mp_stats_pcts[p].den], buf[b++]);
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

#define MAXCELLS (1 + MP_STATS_MAX_GROUPS + MP_ST_NCOUNTS + 1 + 8)

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

/* Display width of a UTF-8 string (code points). */
static size_t
width(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

void
mp_stats_write_pretty(const mp_stats *st, mp_writer *w, int percent)
{
	const char *cells[MAXCELLS];
	char buf[MAXCELLS][24];
	size_t wd[MAXCELLS] = { 0 };
	size_t n = header_cells(st, percent, cells), ntext = 1 + (size_t)st->cfg.ngroups;

	for (size_t i = 0; i < n; i++)
		wd[i] = width(cells[i]);
	for (size_t r = 0; r < st->nrows; r++) {
		row_cells(st, &st->rows[r], percent, cells, buf);
		for (size_t i = 0; i < n; i++) {
			const char *s = *cells[i] ? cells[i] : i < ntext ? "(blank)" : "-";
			if (width(s) > wd[i])
				wd[i] = width(s);
		}
	}
	for (long r = -1; r < (long)st->nrows; r++) {
		if (r < 0)
			header_cells(st, percent, cells);
		else
			row_cells(st, &st->rows[r], percent, cells, buf);
		for (size_t i = 0; i < n; i++) {
			const char *s = *cells[i] ? cells[i] : r < 0 ? "" : i < ntext ? "(blank)" : "-";
			size_t pad = wd[i] - width(s);
			int left = i < ntext;
			if (i)
				mp_writer_raw(w, "  ", 2);
			if (!left)
				for (size_t k = 0; k < pad; k++)
					mp_writer_raw(w, " ", 1);
			mp_writer_raw(w, s, strlen(s));
			if (left && i + 1 < n)
				for (size_t k = 0; k < pad; k++)
					mp_writer_raw(w, " ", 1);
		}
		mp_writer_raw(w, "\n", 1);
	}
}
