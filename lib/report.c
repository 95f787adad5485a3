/* report.c: the figures of mp-report (through mp_stats engines) and the model of its sections. */
#include "report.h"
#include "hash.h"
#include "episode.h"
#include "alert.h"
#include "err.h"
#include "mptime.h"
#include "period.h"
#include "stats.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const mp_report_kind_names[] = { "daily", "weekly", "monthly", "annual", "custom" };

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
	q->from_rejects = 0;
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
	if (h && h->n >= 4 && strcmp(h->f[0].s, "line") == 0 && strcmp(h->f[1].s, "field") == 0 &&
	    strcmp(h->f[2].s, "rule") == 0 && strcmp(h->f[3].s, "message") == 0) {
		/* A rejects file: one row a problem, rows of one line together. */
		mp_record *rec;
		long last = -1;
		int last_rejected = 0, st;
		q->have = q->from_rejects = 1;
		while ((st = mp_reader_next(r, &rec)) != MP_READ_EOF) {
			if (st == MP_READ_BAD || rec->n < 4) {
				snprintf(err, errsz, "%s:%ld: not a row of mp-validate's --rejects file", path,
					 st == MP_READ_BAD ? mp_reader_bad_line(r) : rec->line);
				mp_reader_close(r);
				return -1;
			}
			long line = strtol(rec->f[0].s, NULL, 10);
			int warning = strncmp(rec->f[3].s, "warning: ", 9) == 0;
			if (warning)
				q->warnings++;
			if (line != last)
				last_rejected = 0;
			if (!warning && !last_rejected) {
				q->rejected++;
				last_rejected = 1;
			}
			last = line;
		}
		mp_reader_close(r);
		return 0;
	}
	mp_reader_close(r);
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
			 "%s: neither mp-validate's --rejects file nor a log with its \"rows read\" line", path);
		return -1;
	}
	return 0;
}

/* ---- the data ---- */

enum {
	E_AGE,		/* first: it checks the most (dob) */
	E_TOTAL, E_MONTH, E_TREND, E_CARE, E_CARE1, E_TYPE, E_REASON, E_DUR, E_SEX, E_ETH, E_SEND,
	NENG
};

#define NHIST 7

typedef struct rchild {
	char *id;
	size_t len;
	int64_t first_hoth;	/* first local day of an episode with hoth = Y */
	int64_t *mkey;		/* months with episodes in the period, and their counts */
	long *mn;
	size_t nm, cm;
} rchild;

typedef struct rfactor {
	char *name;
	long episodes;
} rfactor;

typedef struct rlisted {
	char *child, *episode, *care, *placement;
	int64_t key, a, b;	/* sort key; open: start; due: end, deadline */
	int approx;
} rlisted;

struct mp_report_data {
	mp_report_config cfg;
	mp_stats *e[NENG];
	mp_colmap cm;
	rchild *ch;
	size_t nch, cch;
	uint32_t *slot;
	size_t nslot;
	rfactor *fac;
	size_t nfac;
	long fac_episodes;	/* episodes in the period with a factor recorded */
	long hist[NHIST], date_in, date_late;
	rlisted *open, *due;
	size_t nopen, ndue;
	long open_children_est;
	long bad_rows;
	int no_dob;		/* no dob column: no age bands */
	long rows;		/* rows counted (good) */
	long periods;		/* episodes in the period */
};

mp_report_data *
mp_report_data_new(const mp_report_config *cfg)
{
	mp_report_data *d = mp_xcalloc(1, sizeof *d);
	static const char *const groups[NENG][3] = {
		[E_AGE] = { MP_STATS_AGE_BAND }, [E_CARE] = { "care_status", "placement" },
		[E_CARE1] = { "care_status" }, [E_TYPE] = { "type" }, [E_REASON] = { "rhi_reason" },
		[E_DUR] = { MP_STATS_DURATION_BAND }, [E_SEX] = { "sex" }, [E_ETH] = { "ethnicity" },
		[E_SEND] = { "send" },
	};

	d->cfg = *cfg;
	for (int i = 0; i < NENG; i++) {
		mp_stats_config sc;
		mp_stats_config_init(&sc);
		sc.rhi_types = MP_STATS_ALL_TYPES;	/* until mp-report takes --rhi-types (issue 13) */
		sc.by = (i == E_MONTH || i == E_TREND) ? MP_BY_MONTH : MP_BY_NONE;
		sc.has_from = sc.has_to = 1;
		sc.from_day = i == E_TREND ? cfg->trend_from : cfg->from_day;
		sc.to_day = i == E_TREND ? cfg->trend_to : cfg->to_day;
		sc.within_hours = cfg->within_hours;
		sc.repeat_min = cfg->repeat_min;
		for (int g = 0; g < 3 && groups[i][g]; g++)
			sc.groups[sc.ngroups++] = groups[i][g];
		d->e[i] = mp_stats_new(&sc);
	}
	return d;
}

static void
free_listed(rlisted *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(l[i].child);
		free(l[i].episode);
		free(l[i].care);
		free(l[i].placement);
	}
	free(l);
}

void
mp_report_data_free(mp_report_data *d)
{
	if (!d)
		return;
	for (int i = 0; i < NENG; i++)
		mp_stats_free(d->e[i]);
	for (size_t i = 0; i < d->nch; i++) {
		free(d->ch[i].id);
		free(d->ch[i].mkey);
		free(d->ch[i].mn);
	}
	free(d->ch);
	free(d->slot);
	for (size_t i = 0; i < d->nfac; i++)
		free(d->fac[i].name);
	free(d->fac);
	free_listed(d->open, d->nopen);
	free_listed(d->due, d->ndue);
	free(d);
}

int
mp_report_data_bind(mp_report_data *d, const mp_record *header, char *err, size_t errsz)
{
	for (int i = 0; i < NENG; i++) {
		if (mp_stats_bind(d->e[i], header, err, errsz) == 0)
			continue;
		/* No dob: no age bands (the engine still checks every row first). */
		if (i == E_AGE && strstr(err, "dob:") == err) {
			mp_stats_config sc;
			mp_stats_config_init(&sc);
		sc.rhi_types = MP_STATS_ALL_TYPES;	/* until mp-report takes --rhi-types (issue 13) */
			sc.by = MP_BY_NONE;
			sc.has_from = sc.has_to = 1;
			sc.from_day = d->cfg.from_day;
			sc.to_day = d->cfg.to_day;
			mp_stats_free(d->e[i]);
			d->e[i] = mp_stats_new(&sc);
			d->no_dob = 1;
			if (mp_stats_bind(d->e[i], header, err, errsz))
				return -1;
			continue;
		}
		/* A missing optional group column is counted as "not recorded". */
		if (i == E_AGE || i == E_TOTAL || !strstr(err, "(--group)"))
			return -1;
		mp_stats_config sc;
		mp_stats_config_init(&sc);
		sc.rhi_types = MP_STATS_ALL_TYPES;	/* until mp-report takes --rhi-types (issue 13) */
		sc.by = MP_BY_NONE;
		sc.has_from = sc.has_to = 1;
		sc.from_day = d->cfg.from_day;
		sc.to_day = d->cfg.to_day;
		sc.within_hours = d->cfg.within_hours;
		sc.repeat_min = d->cfg.repeat_min;
		if (i == E_CARE) {
			/* care_status without placement, or neither: keep what there is. */
			int hc = 0;
			for (size_t k = 0; k < header->n; k++)
				hc |= strcmp(header->f[k].s, "care_status") == 0;
			if (hc)
				sc.groups[sc.ngroups++] = "care_status";
		}
		mp_stats_free(d->e[i]);
		d->e[i] = mp_stats_new(&sc);
		if (mp_stats_bind(d->e[i], header, err, errsz))
			return -1;
	}
	mp_colmap_bind(&d->cm, header);
	return 0;
}

void
mp_report_data_bad_row(mp_report_data *d)
{
	d->bad_rows++;
}

/* The child with this id, added when new. */
static rchild *
child_of(mp_report_data *d, const char *s, size_t len, size_t *index)
{
	if (2 * (d->nch + 1) > d->nslot) {
		size_t ns = d->nslot ? 2 * d->nslot : 256;
		free(d->slot);
		d->slot = mp_xcalloc(ns, sizeof *d->slot);
		d->nslot = ns;
		for (size_t i = 0; i < d->nch; i++) {
			size_t h = mp_hash64(d->ch[i].id, d->ch[i].len) & (ns - 1);
			while (d->slot[h])
				h = (h + 1) & (ns - 1);
			d->slot[h] = (uint32_t)i + 1;
		}
	}
	size_t h = mp_hash64(s, len) & (d->nslot - 1);
	for (uint32_t e; (e = d->slot[h]); h = (h + 1) & (d->nslot - 1))
		if (d->ch[e - 1].len == len && memcmp(d->ch[e - 1].id, s, len) == 0) {
			*index = e - 1;
			return &d->ch[e - 1];
		}
	if (d->nch == d->cch) {
		d->cch = d->cch ? 2 * d->cch : 64;
		d->ch = mp_xrealloc(d->ch, d->cch * sizeof *d->ch);
	}
	rchild *c = &d->ch[d->nch];
	memset(c, 0, sizeof *c);
	c->id = mp_xstrndup(s, len);
	c->len = len;
	c->first_hoth = INT64_MAX;
	d->slot[h] = (uint32_t)++d->nch;
	*index = d->nch - 1;
	return c;
}

/* Count an episode of the child in month key. */
static void
child_month(rchild *c, int64_t key)
{
	for (size_t i = 0; i < c->nm; i++)
		if (c->mkey[i] == key) {
			c->mn[i]++;
			return;
		}
	if (c->nm == c->cm) {
		c->cm = c->cm ? 2 * c->cm : 4;
		c->mkey = mp_xrealloc(c->mkey, c->cm * sizeof *c->mkey);
		c->mn = mp_xrealloc(c->mn, c->cm * sizeof *c->mn);
	}
	c->mkey[c->nm] = key;
	c->mn[c->nm++] = 1;
}

/* Count one push/pull factor of an episode. */
static void
factor(mp_report_data *d, const char *s, size_t len)
{
	rfactor *f = NULL;
	for (size_t i = 0; i < d->nfac; i++)
		if (strlen(d->fac[i].name) == len && memcmp(d->fac[i].name, s, len) == 0) {
			f = &d->fac[i];
			break;
		}
	if (!f) {
		d->fac = mp_xrealloc(d->fac, (d->nfac + 1) * sizeof *d->fac);
		f = &d->fac[d->nfac++];
		memset(f, 0, sizeof *f);
		f->name = mp_xstrndup(s, len);
	}
	f->episodes++;
}

/* A listed episode (open now, or an interview outstanding). */
static void
list_add(rlisted **l, size_t *n, const mp_colmap *cm, const mp_record *rec, const mp_episode *ep, int64_t key,
	 int64_t a, int64_t b, int approx)
{
	*l = mp_xrealloc(*l, (*n + 1) * sizeof **l);
	rlisted *x = &(*l)[(*n)++];
	mp_field f;
	x->child = mp_xstrndup(ep->child.s, ep->child.len);
	x->episode = mp_xstrndup(ep->id.s, ep->id.len);
	f = mp_get(cm, rec, MP_COL_CARE_STATUS);
	x->care = mp_xstrndup(f.s, f.len);
	f = mp_get(cm, rec, MP_COL_PLACEMENT);
	x->placement = mp_xstrndup(f.s, f.len);
	x->key = key, x->a = a, x->b = b, x->approx = approx;
}

static int
is_reason(mp_field r)
{
	static const char *const codes[] = { "declined_child", "declined_parent", "no_contact", "custody",
					     "missing_again", "other" };
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
		if (strlen(codes[i]) == r.len && memcmp(codes[i], r.s, r.len) == 0)
			return 1;
	return 0;
}

int
mp_report_data_add(mp_report_data *d, const mp_record *rec, const char **col, char *msg, size_t msgsz)
{
	mp_episode ep;
	mp_stats_ep sep;
	int r;

	/* Decode once (the age engine reads dob too), then every engine counts it. */
	if (mp_stats_decode(d->e[E_AGE], rec, &sep, col, msg, msgsz) != 0)
		return -1;
	if ((r = mp_stats_add(d->e[E_AGE], &sep, col, msg, msgsz)) == MP_STATS_BAD)
		return -1;
	if (mp_episode_decode(&d->cm, rec, &ep, col, msg, msgsz))
		return -1;	/* not reached: the engine checked the same fields */
	mp_field hoth = mp_get(&d->cm, rec, MP_COL_HOTH);
	mp_field reason = mp_get(&d->cm, rec, MP_COL_RHI_REASON);
	if (hoth.len && !(hoth.len == 1 && (hoth.s[0] == 'Y' || hoth.s[0] == 'N'))) {
		*col = "hoth";
		snprintf(msg, msgsz, "'%s': expected Y, N or empty", mp_show(hoth.s, hoth.len));
		return -1;
	}
	if (reason.len && !is_reason(reason)) {
		*col = "rhi_reason";
		snprintf(msg, msgsz,
			 "'%s': not a known reason (declined_child, declined_parent, no_contact, custody, "
			 "missing_again, other)", mp_show(reason.s, reason.len));
		return -1;
	}
	for (int i = E_AGE + 1; i < NENG; i++) {
		mp_stats_groups(d->e[i], rec, &sep);
		if (mp_stats_add(d->e[i], &sep, col, msg, msgsz) == MP_STATS_BAD)
			return -1;	/* not reached: the first engine checked the same */
	}

	d->rows++;
	size_t ci;
	rchild *c = child_of(d, ep.child.s, ep.child.len, &ci);
	if (hoth.len == 1 && hoth.s[0] == 'Y' && ep.start.day < c->first_hoth)
		c->first_hoth = ep.start.day;

	/* The state at --now, whatever the period. */
	if (ep.start.utc <= d->cfg.now && (!ep.has_end || ep.end.utc > d->cfg.now))
		list_add(&d->open, &d->nopen, &d->cm, rec, &ep, ep.start.utc, ep.start.utc, 0, !ep.start.has_time);
	if (ep.has_end && ep.end.utc <= d->cfg.now && !(ep.has_rhi_held && ep.rhi_held.utc <= d->cfg.now) &&
	    !reason.len) {
		int64_t dl = mp_rhi_deadline(&ep.end, d->cfg.within_hours);
		list_add(&d->due, &d->ndue, &d->cm, rec, &ep, dl, ep.end.utc, dl, !ep.end.has_time);
	}

	if (r == MP_STATS_OUTSIDE)
		return 0;
	d->periods++;
	child_month(c, mp_period_key(MP_BY_MONTH, ep.start.day));

	mp_field pp = mp_get(&d->cm, rec, MP_COL_PUSH_PULL);
	if (pp.len) {
		d->fac_episodes++;
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
				factor(d, a, (size_t)(b - a));
			s = q + 1;
		}
	}

	/* Time from return to interview, as mp-stats counts "in time". */
	if (ep.has_end && ep.has_rhi_held) {
		if (ep.end.has_time && ep.rhi_held.has_time) {
			int64_t s = ep.rhi_held.utc - ep.end.utc, W = (int64_t)d->cfg.within_hours * 3600;
			int band;
			if (s < 0)
				band = NHIST - 1;	/* before the return: never in time */
			else if (s == 0)
				band = 0;
			else {
				int64_t k = (3 * s + W - 1) / W - 1;	/* k*W/3 < s <= (k+1)*W/3 */
				band = k > NHIST - 2 ? NHIST - 1 : (int)k;
			}
			d->hist[band]++;
		} else {
			int64_t dd = ep.rhi_held.day - ep.end.day;
			if (dd >= 0 && dd <= d->cfg.within_hours / 24)
				d->date_in++;
			else
				d->date_late++;
		}
	}
	return 0;
}

/* ---- building the model ---- */

static char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = mp_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
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

struct ctx {
	mp_report_data *d;
	mp_report *r;
	rp_section *sec;
	char buf[16][48];
	int nb;
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
	r->s = mp_xrealloc(r->s, (r->ns + 1) * sizeof *r->s);
	rp_section *s = &r->s[r->ns++];
	memset(s, 0, sizeof *s);
	s->id = mp_xstrdup(id);
	s->title = mp_xstrdup(title);
	x->sec = s;
	return s;
}

static rp_block *
block(struct ctx *x, enum rp_block_kind k)
{
	rp_section *s = x->sec;
	if (s->nb == s->cb) {
		s->cb = s->cb ? 2 * s->cb : 8;
		s->b = mp_xrealloc(s->b, s->cb * sizeof *s->b);
	}
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
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = mp_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	block(x, k)->text = s;
}

/* A new table with the column heads (a leading '>' marks a number column). */
static rp_table *
table(struct ctx *x, const char *caption, size_t ncols, const char *const *head)
{
	rp_table *t = mp_xcalloc(1, sizeof *t);
	t->caption = caption ? mp_xstrdup(caption) : NULL;
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
	t->cells = mp_xrealloc(t->cells, (t->nrows + 1) * t->ncols * sizeof *t->cells);
	rp_cell *c = &t->cells[t->nrows * t->ncols];
	memset(c, 0, t->ncols * sizeof *c);
	t->nrows++;
	return c;
}

static void
cell_text(rp_cell *c, const char *s)
{
	c->s = mp_xstrdup(s);
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

/* The rows of an engine. */
static const mp_stats_row *
erow(mp_report_data *d, int e, size_t i)
{
	return mp_stats_row_at(d->e[e], i);
}

static size_t
enrows(mp_report_data *d, int e)
{
	return mp_stats_nrows(d->e[e]);
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

/* A breakdown table of one grouped engine: value, episodes, children, % of children. */
static void
breakdown(struct ctx *x, int e, const char *caption, const char *colname, const char *keyname, int sort,
	  const char *(*label)(const char *))
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
		char k[256];
		rp_cell *c = row(t);
		const char *g = mp_stats_ngroups(d->e[e]) ? rw->group[0] : "";
		cell_text(&c[0], label ? label(g) : *g ? g : "not recorded");
		key_of(k, sizeof k, keyname, g, "episodes");
		cell_count(x, &c[1], rw->n[MP_ST_EPISODES], k);
		key_of(k, sizeof k, keyname, g, "children");
		cell_count(x, &c[2], rw->n[MP_ST_CHILDREN], k);
		cell_pct(x, &c[3], rw->n[MP_ST_CHILDREN], children);
	}
	free(ix);
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

/* Children with --repeat-min or more episodes in a calendar month of the period. */
struct repeat_fig {
	long children, hoth;			/* over the period: in any month */
	long *m_children, *m_hoth;		/* per month of E_MONTH */
	size_t nmonths;
	int64_t first_key;
};

static void
repeat_figures(mp_report_data *d, struct repeat_fig *rf)
{
	memset(rf, 0, sizeof *rf);
	rf->first_key = mp_period_key(MP_BY_MONTH, d->cfg.from_day);
	rf->nmonths = (size_t)(mp_period_key(MP_BY_MONTH, d->cfg.to_day) - rf->first_key + 1);
	rf->m_children = mp_xcalloc(rf->nmonths, sizeof *rf->m_children);
	rf->m_hoth = mp_xcalloc(rf->nmonths, sizeof *rf->m_hoth);
	for (size_t i = 0; i < d->nch; i++) {
		rchild *c = &d->ch[i];
		int any = 0, anyhoth = 0;
		for (size_t k = 0; k < c->nm; k++) {
			if (c->mn[k] < d->cfg.repeat_min)
				continue;
			int64_t first, last;
			mp_period_days(MP_BY_MONTH, c->mkey[k], &first, &last);
			size_t mi = (size_t)(c->mkey[k] - rf->first_key);
			int h = c->first_hoth <= last;
			rf->m_children[mi]++;
			rf->m_hoth[mi] += h;
			any = 1;
			anyhoth |= c->first_hoth <= d->cfg.to_day;
		}
		rf->children += any;
		rf->hoth += any && anyhoth;
	}
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
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static long
count_children(rlisted *l, size_t n)
{
	char **ids = mp_xcalloc(n + 1, sizeof *ids);
	long k = 0;
	for (size_t i = 0; i < n; i++)
		ids[i] = l[i].child;
	if (n)
		qsort(ids, n, sizeof *ids, cmp_str);
	for (size_t i = 0; i < n; i++)
		k += i == 0 || strcmp(ids[i], ids[i - 1]) != 0;
	free(ids);
	return k;
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

static void
build_headline(struct ctx *x, const struct repeat_fig *rf)
{
	mp_report_data *d = x->d;
	const mp_stats_row *t = erow(d, E_TOTAL, 0);
	char a[64], b[64];
	mp_report_long_date(a, sizeof a, d->cfg.from_day);
	mp_report_long_date(b, sizeof b, d->cfg.to_day);

	section(x, "headline", "Headline");
	if (d->cfg.from_day == d->cfg.to_day)
		para(x, RP_PARA, "%s missing or away for %s started on %s.",
		     NP(x, t->n[MP_ST_EPISODES], "episode", "episodes"), NP(x, t->n[MP_ST_CHILDREN], "child", "children"), a);
	else
		para(x, RP_PARA, "%s missing or away for %s between %s and %s.",
		     NP(x, t->n[MP_ST_EPISODES], "episode", "episodes"), NP(x, t->n[MP_ST_CHILDREN], "child", "children"), a, b);
	/* Looked after children. */
	long lac = 0, lin = 0, lout = 0;
	for (size_t i = 0; i < enrows(d, E_CARE1); i++)
		if (mp_stats_ngroups(d->e[E_CARE1]) && strcmp(erow(d, E_CARE1, i)->group[0], "lac") == 0)
			lac = erow(d, E_CARE1, i)->n[MP_ST_CHILDREN];
	if (mp_stats_ngroups(d->e[E_CARE]) == 2)
		for (size_t i = 0; i < enrows(d, E_CARE); i++) {
			const mp_stats_row *rw = erow(d, E_CARE, i);
			if (strcmp(rw->group[0], "lac") != 0)
				continue;
			if (strcmp(rw->group[1], "in_area") == 0)
				lin = rw->n[MP_ST_CHILDREN];
			else if (strcmp(rw->group[1], "out_of_area") == 0)
				lout = rw->n[MP_ST_CHILDREN];
		}
	if (t->n[MP_ST_EPISODES]) {
		para(x, RP_BULLET, "Episodes: %s missing, %s away from placement without authorisation%s%s%s.",
		     C(x, t->n[MP_ST_MISSING]), C(x, t->n[MP_ST_AWAY]), t->n[MP_ST_ABSENT] ? ", " : "",
		     t->n[MP_ST_ABSENT] ? C(x, t->n[MP_ST_ABSENT]) : "",
		     t->n[MP_ST_ABSENT] ? " absent (historic police category)" : "");
		para(x, RP_BULLET, "Looked after: %s of the %s (%s placed in area, %s out of area).",
		     C(x, lac), NP(x, t->n[MP_ST_CHILDREN], "child", "children"), C(x, lin), C(x, lout));
		long el = t->n[MP_ST_RHI_ELIGIBLE];
		para(x, RP_BULLET,
		     "Return home interviews, of the %s: %s offered (%s), %s accepted (%s), "
		     "%s held (%s), %s held within %ld hours (%s).",
		     NP(x, el, "returned episode", "returned episodes"), C(x, t->n[MP_ST_RHI_OFFERED]), P(x, t->n[MP_ST_RHI_OFFERED], el),
		     C(x, t->n[MP_ST_RHI_ACCEPTED]), P(x, t->n[MP_ST_RHI_ACCEPTED], el), C(x, t->n[MP_ST_RHI_HELD]),
		     P(x, t->n[MP_ST_RHI_HELD], el), C(x, t->n[MP_ST_RHI_HELD_IN_TIME]), d->cfg.within_hours,
		     P(x, t->n[MP_ST_RHI_HELD_IN_TIME], el));
		if (rf)
			para(x, RP_BULLET,
			     "Missing or away %ld or more times in a calendar month: %s; %s of them referred to "
			     "Harm Outside the Home.",
			     d->cfg.repeat_min, NP(x, rf->children, "child", "children"), C(x, rf->hoth));
	}
	/* The key figures, as mp-stats --by none counts them (not in the short daily e-mail). */
	if (d->cfg.kind == MP_KIND_DAILY)
		return;
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
		{ MP_ST_RHI_ELIGIBLE, "returned episodes", MP_ST_EPISODES },
		{ MP_ST_RHI_OFFERED, "RHI offered", MP_ST_RHI_ELIGIBLE },
		{ MP_ST_RHI_ACCEPTED, "RHI accepted", MP_ST_RHI_ELIGIBLE },
		{ MP_ST_RHI_HELD, "RHI held", MP_ST_RHI_ELIGIBLE },
		{ MP_ST_RHI_HELD_IN_TIME, "RHI held in time", MP_ST_RHI_ELIGIBLE },
		{ MP_ST_OVER_24H, "missing over 24 hours", MP_ST_RHI_ELIGIBLE },
		{ MP_ST_REPEAT_CHILDREN, "children with repeat episodes in the period", MP_ST_CHILDREN },
	};
	for (size_t i = 0; i < sizeof figs / sizeof *figs; i++) {
		char k[128], lab[96];
		rp_cell *c = row(tb);
		if (figs[i].k == MP_ST_RHI_HELD_IN_TIME)
			snprintf(lab, sizeof lab, "RHI held within %ld hours", d->cfg.within_hours);
		else if (figs[i].k == MP_ST_REPEAT_CHILDREN)
			snprintf(lab, sizeof lab, "children with %ld+ episodes in the period", d->cfg.repeat_min);
		else
			snprintf(lab, sizeof lab, "%s", figs[i].label);
		cell_text(&c[0], lab);
		key_of(k, sizeof k, "total", "all", mp_stats_count_names[figs[i].k]);
		cell_count(x, &c[1], t->n[figs[i].k], k);
		if (figs[i].pct >= 0) {
			cell_pct(x, &c[2], t->n[figs[i].k], t->n[figs[i].pct]);
			cell_text(&c[3], figs[i].pct == MP_ST_EPISODES ? "episodes"
					 : figs[i].pct == MP_ST_CHILDREN ? "children" : "returned episodes");
		} else {
			cell_text(&c[2], "");
			cell_text(&c[3], "");
		}
	}
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
build_trend(struct ctx *x)
{
	mp_report_data *d = x->d;
	char a[64], b[64], title[200];
	section(x, "trend", "Monthly trend");
	month_name(a, sizeof a, mp_period_key(MP_BY_MONTH, d->cfg.trend_from));
	month_name(b, sizeof b, mp_period_key(MP_BY_MONTH, d->cfg.trend_to));
	if (d->cfg.trend_from != d->cfg.from_day || d->cfg.trend_to != d->cfg.to_day)
		para(x, RP_PARA, "The twelve months to the end of the period, %s to %s.", a, b);
	const char *head[] = { "month", ">episodes", ">children", ">looked after", ">RHI in time", ">of returned" };
	(void)head;
	const char *h2[] = { "month", ">episodes", ">children", ">missing", ">away", ">RHI in time", ">% in time" };
	rp_table *t = table(x, "Episodes and children by month", 7, h2);
	for (size_t i = 0; i < enrows(d, E_TREND); i++) {
		const mp_stats_row *rw = erow(d, E_TREND, i);
		char k[128];
		rp_cell *c = row(t);
		cell_text(&c[0], rw->period);
		key_of(k, sizeof k, "month", rw->period, "episodes");
		cell_count(x, &c[1], rw->n[MP_ST_EPISODES], k);
		key_of(k, sizeof k, "month", rw->period, "children");
		cell_count(x, &c[2], rw->n[MP_ST_CHILDREN], k);
		key_of(k, sizeof k, "month", rw->period, "missing");
		cell_count(x, &c[3], rw->n[MP_ST_MISSING], k);
		key_of(k, sizeof k, "month", rw->period, "away");
		cell_count(x, &c[4], rw->n[MP_ST_AWAY], k);
		key_of(k, sizeof k, "month", rw->period, "rhi_held_in_time");
		cell_count(x, &c[5], rw->n[MP_ST_RHI_HELD_IN_TIME], k);
		cell_pct(x, &c[6], rw->n[MP_ST_RHI_HELD_IN_TIME], rw->n[MP_ST_RHI_ELIGIBLE]);
	}
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
	para(x, RP_PARA, "%% in time is the share of the month's returned episodes whose interview was held "
			 "within %ld hours of the return.", d->cfg.within_hours);
}

static void
build_care(struct ctx *x)
{
	mp_report_data *d = x->d;
	const mp_stats_row *tot = erow(d, E_TOTAL, 0);
	int withpl = mp_stats_ngroups(d->e[E_CARE]) == 2;
	section(x, "care", "Care status");
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
		key_of(k, sizeof k, "care", g, "episodes");
		cell_count(x, &c[1], rw->n[MP_ST_EPISODES], k);
		cell_pct(x, &c[2], rw->n[MP_ST_EPISODES], tot->n[MP_ST_EPISODES]);
		key_of(k, sizeof k, "care", g, "children");
		cell_count(x, &c[3], rw->n[MP_ST_CHILDREN], k);
		key_of(k, sizeof k, "care", g, "missing");
		cell_count(x, &c[4], rw->n[MP_ST_MISSING], k);
		key_of(k, sizeof k, "care", g, "away");
		cell_count(x, &c[5], rw->n[MP_ST_AWAY], k);
		nl++;
	}
	free(ix);
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

static void
build_rhi(struct ctx *x)
{
	mp_report_data *d = x->d;
	const mp_stats_row *t = erow(d, E_TOTAL, 0);
	long el = t->n[MP_ST_RHI_ELIGIBLE];
	char title[200];

	section(x, "rhi", "Return home interviews");
	para(x, RP_PARA, "Every percentage here is of the %s of the period (those with an end recorded; %s "
			 "still open). Offered and accepted are recorded facts, not derived from each other.",
	     NP(x, el, "returned episode", "returned episodes"), C(x, t->n[MP_ST_OPEN]));
	const char *head[] = { "interviews", ">count", ">% of returned" };
	rp_table *tb = table(x, "Return home interviews", 3, head);
	static const int ks[] = { MP_ST_RHI_ELIGIBLE, MP_ST_RHI_OFFERED, MP_ST_RHI_ACCEPTED, MP_ST_RHI_HELD,
				  MP_ST_RHI_HELD_IN_TIME };
	for (size_t i = 0; i < 5; i++) {
		char k[128], lab[96];
		rp_cell *c = row(tb);
		static const char *const labs[] = { "returned episodes", "offered", "accepted", "held", NULL };
		if (labs[i])
			snprintf(lab, sizeof lab, "%s", labs[i]);
		else
			snprintf(lab, sizeof lab, "held within %ld hours", d->cfg.within_hours);
		cell_text(&c[0], lab);
		key_of(k, sizeof k, "total", "all", mp_stats_count_names[ks[i]]);
		cell_count(x, &c[1], t->n[ks[i]], k);
		cell_pct(x, &c[2], t->n[ks[i]], el);
	}

	/* Why none was held: returned episodes without an interview, by reason. */
	long notheld = el - t->n[MP_ST_RHI_HELD];
	para(x, RP_PARA, "No interview was held after %s (%s of returned). The reasons recorded, most common "
			 "first (%% of the episodes with no interview):",
	     NP(x, notheld, "returned episode", "returned episodes"), P(x, notheld, el));
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
		long k = rw->n[MP_ST_RHI_ELIGIBLE] - rw->n[MP_ST_RHI_HELD];
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
		char k[128];
		cell_text(&c[0], reason_label(rs[i].reason));
		key_of(k, sizeof k, "notheld", rs[i].reason, "episodes");
		cell_count(x, &c[1], rs[i].n, k);
		cell_pct(x, &c[2], rs[i].n, notheld);
	}
	free(rs);

	/* Time from return to interview, against the --within line. */
	long W = d->cfg.within_hours;
	para(x, RP_PARA, "Time from the return to the interview, for the %s held; the first three bands are "
			 "within %ld hours.", NP(x, t->n[MP_ST_RHI_HELD], "interview", "interviews"), W);
	const char *h3[] = { "hours after the return", ">interviews", ">% of held" };
	rp_table *ht = table(x, "Time from return to interview", 3, h3);
	ht->late = mp_xcalloc(NHIST + 2, sizeof *ht->late);
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
			snprintf(lab, sizeof lab, "over %s h (or before the return)", a);
		rp_cell *c = row(ht);
		cell_text(&c[0], lab);
		cell_count(x, &c[1], d->hist[i], NULL);
		cell_pct(x, &c[2], d->hist[i], t->n[MP_ST_RHI_HELD]);
		ht->late[i] = i >= 3;
		if (i < 3)
			in_time += d->hist[i];
	}
	ht->line_after = 2;
	ht->chart = RP_CHART_HIST;
	if (d->date_in + d->date_late) {
		rp_cell *c = row(ht);
		cell_text(&c[0], "date only, in time");
		cell_count(x, &c[1], d->date_in, NULL);
		cell_pct(x, &c[2], d->date_in, t->n[MP_ST_RHI_HELD]);
		c = row(ht);
		cell_text(&c[0], "date only, late");
		cell_count(x, &c[1], d->date_late, NULL);
		cell_pct(x, &c[2], d->date_late, t->n[MP_ST_RHI_HELD]);
		ht->late[NHIST + 1] = 1;
	}
	if (in_time + d->date_in != t->n[MP_ST_RHI_HELD_IN_TIME])
		mp_warn("internal error: interviews in time %ld, mp-stats says %ld", in_time + d->date_in,
			t->n[MP_ST_RHI_HELD_IN_TIME]);
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
build_repeat(struct ctx *x, const struct repeat_fig *rf)
{
	mp_report_data *d = x->d;
	char title[160];
	snprintf(title, sizeof title, "Repeat missing (%ld or more in a month)", d->cfg.repeat_min);
	section(x, "repeat", title);
	para(x, RP_PARA, "Children with %ld or more episodes starting in one calendar month (counting only the "
			 "days of the period), and of them those referred to Harm Outside the Home (hoth = Y on an "
			 "episode starting by the end of that month). Over the period: %s, %s of them referred "
			 "(%s).",
	     d->cfg.repeat_min, NP(x, rf->children, "child", "children"), C(x, rf->hoth), P(x, rf->hoth, rf->children));
	const char *head[] = { "month", ">children", ">repeat children", ">% of children", ">referred to HOTH" };
	rp_table *t = table(x, "Repeat missing by month", 5, head);
	for (size_t i = 0; i < enrows(d, E_MONTH) && i < rf->nmonths; i++) {
		const mp_stats_row *rw = erow(d, E_MONTH, i);
		char k[128];
		rp_cell *c = row(t);
		cell_text(&c[0], rw->period);
		key_of(k, sizeof k, "pmonth", rw->period, "children");
		cell_count(x, &c[1], rw->n[MP_ST_CHILDREN], k);
		key_of(k, sizeof k, "pmonth", rw->period, "repeat_children");
		cell_count(x, &c[2], rw->n[MP_ST_REPEAT_CHILDREN], k);
		cell_pct(x, &c[3], rw->n[MP_ST_REPEAT_CHILDREN], rw->n[MP_ST_CHILDREN]);
		cell_count(x, &c[4], rf->m_hoth[i], NULL);
		if (rw->n[MP_ST_REPEAT_CHILDREN] != rf->m_children[i])
			mp_warn("internal error: %s repeat children %ld, mp-stats says %ld", rw->period,
				rf->m_children[i], rw->n[MP_ST_REPEAT_CHILDREN]);
	}
	if (x->r->with_ids) {
		const char *h2[] = { "child_id", "month", ">episodes", "HOTH" };
		rp_table *lt = table(x, "Children with repeat episodes (identifiers)", 4, h2);
		size_t *ord = mp_xcalloc(d->nch + 1, sizeof *ord);
		for (size_t i = 0; i < d->nch; i++)
			ord[i] = i;
		for (size_t i = 1; i < d->nch; i++)
			for (size_t j = i; j > 0 && strcmp(d->ch[ord[j]].id, d->ch[ord[j - 1]].id) < 0; j--) {
				size_t s = ord[j];
				ord[j] = ord[j - 1];
				ord[j - 1] = s;
			}
		for (size_t i = 0; i < d->nch; i++) {
			rchild *c = &d->ch[ord[i]];
			for (size_t k = 0; k < c->nm; k++) {
				if (c->mn[k] < d->cfg.repeat_min)
					continue;
				char lab[MP_PERIOD_LABEL_MAX], nb[32];
				int64_t first, last;
				mp_period_label(MP_BY_MONTH, c->mkey[k], lab);
				mp_period_days(MP_BY_MONTH, c->mkey[k], &first, &last);
				rp_cell *cl = row(lt);
				cell_text(&cl[0], c->id);
				cell_text(&cl[1], lab);
				snprintf(nb, sizeof nb, "%ld", c->mn[k]);
				cell_text(&cl[2], nb);
				cell_text(&cl[3], c->first_hoth <= last ? "Y" : "N");
			}
		}
		free(ord);
	}
}

static void
build_durations(struct ctx *x)
{
	mp_report_data *d = x->d;
	const mp_stats_row *t = erow(d, E_TOTAL, 0);
	char med[24];
	section(x, "durations", "Durations");
	mp_stats_hours_format(t->median_tenths, med);
	para(x, RP_PARA, "Median duration of the returned episodes with times of day: %s hours. Missing or away "
			 "over 24 hours: %s of the %s returned episodes (%s).",
	     *med ? med : "-", C(x, t->n[MP_ST_OVER_24H]), C(x, t->n[MP_ST_RHI_ELIGIBLE]),
	     P(x, t->n[MP_ST_OVER_24H], t->n[MP_ST_RHI_ELIGIBLE]));
	const char *head[] = { "duration", ">episodes", ">% of episodes" };
	rp_table *tb = table(x, "Episodes by duration", 3, head);
	for (size_t i = 0; i < enrows(d, E_DUR); i++) {
		const mp_stats_row *rw = erow(d, E_DUR, i);
		if (rw->n[MP_ST_EPISODES] == 0)
			continue;
		char k[128];
		rp_cell *c = row(tb);
		cell_text(&c[0], strcmp(rw->group[0], "unknown") == 0 ? "unknown (dates only)"
				 : strcmp(rw->group[0], "open") == 0 ? "still open" : rw->group[0]);
		key_of(k, sizeof k, "duration_band", rw->group[0], "episodes");
		cell_count(x, &c[1], rw->n[MP_ST_EPISODES], k);
		cell_pct(x, &c[2], rw->n[MP_ST_EPISODES], t->n[MP_ST_EPISODES]);
	}
}

static void
build_factors(struct ctx *x)
{
	mp_report_data *d = x->d;
	const mp_stats_row *t = erow(d, E_TOTAL, 0);
	section(x, "factors", "Push and pull factors");
	para(x, RP_PARA, "Factors recorded on %s of the %s episodes (%s); an episode may have several, so the "
			 "counts add up to more than the episodes. Most common first; %% of the episodes with a "
			 "factor recorded.",
	     C(x, d->fac_episodes), C(x, t->n[MP_ST_EPISODES]), P(x, d->fac_episodes, t->n[MP_ST_EPISODES]));
	if (d->nfac)
		qsort(d->fac, d->nfac, sizeof *d->fac, cmp_factor);
	const char *head[] = { "factor", ">episodes", ">% of those with a factor" };
	rp_table *tb = table(x, "Push and pull factors", 3, head);
	for (size_t i = 0; i < d->nfac; i++) {
		rp_cell *c = row(tb);
		char *l = factor_label(d->fac[i].name);
		cell_text(&c[0], l);
		free(l);
		cell_count(x, &c[1], d->fac[i].episodes, NULL);
		cell_pct(x, &c[2], d->fac[i].episodes, d->fac_episodes);
	}
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
	if (x->d->no_dob)
		para(x, RP_PARA, "The input has no dob column: no age bands.");
	else
		breakdown(x, E_AGE, "By age band", "age band", "age_band", 0, plain_label);
	/* Age bands with no episode add nothing: drop them, but keep their keys consistent. */
	if (!x->d->no_dob) {
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
	breakdown(x, E_SEX, "By sex", "sex", "sex", 1, NULL);
	breakdown(x, E_ETH, "By ethnicity", "ethnicity", "ethnicity", 1, NULL);
	breakdown(x, E_SEND, "By special educational needs or disability", "SEND", "send", 1, send_label);
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
	long over24 = 0, lac = 0, overdue = 0, due24 = 0;
	for (size_t i = 0; i < d->nopen; i++) {
		over24 += d->cfg.now - d->open[i].a > 86400;
		lac += strcmp(d->open[i].care, "lac") == 0;
	}
	for (size_t i = 0; i < d->ndue; i++) {
		overdue += d->cfg.now > d->due[i].b;
		due24 += d->cfg.now <= d->due[i].b && d->due[i].b - d->cfg.now <= 86400;
	}
	long och = count_children(d->open, d->nopen);
	para(x, RP_PARA, "At %s (the state of the records, whatever the period):", when);
	para(x, RP_BULLET, "Missing or away now: %s (%s), of them %s looked after; %s open for more than 24 "
			   "hours.",
	     NP(x, och, "child", "children"), NP(x, (long)d->nopen, "open episode", "open episodes"), C(x, lac),
	     C(x, over24));
	para(x, RP_BULLET, "Return home interviews outstanding (returned, no interview held and no reason "
			   "recorded): %s; %s overdue (more than %ld hours after the return), %s not yet due, %s of "
			   "them due within the next 24 hours.",
	     C(x, (long)d->ndue), C(x, overdue), d->cfg.within_hours, C(x, (long)d->ndue - overdue), C(x, due24));
	if (!x->r->with_ids)
		return;
	if (d->nopen)
		qsort(d->open, d->nopen, sizeof *d->open, cmp_listed);
	if (d->ndue)
		qsort(d->due, d->ndue, sizeof *d->due, cmp_listed);
	const char *h1[] = { "child_id", "episode_id", "missing since", ">hours", "care status" };
	rp_table *t = table(x, "Missing now (identifiers)", 5, h1);
	for (size_t i = 0; i < d->nopen; i++) {
		char b[40], h[40];
		rp_cell *c = row(t);
		cell_text(&c[0], d->open[i].child);
		cell_text(&c[1], d->open[i].episode);
		listed_time(b, d->open[i].a, d->open[i].approx);
		cell_text(&c[2], b);
		snprintf(h, sizeof h, "%ld", (long)((d->cfg.now - d->open[i].a) / 3600));
		cell_text(&c[3], h);
		cell_text(&c[4], care_label(d->open[i].care, d->open[i].placement, 1));
	}
	const char *h2[] = { "child_id", "episode_id", "returned", "deadline", "status" };
	rp_table *u = table(x, "Interviews outstanding (identifiers)", 5, h2);
	for (size_t i = 0; i < d->ndue; i++) {
		char b[40];
		rp_cell *c = row(u);
		cell_text(&c[0], d->due[i].child);
		cell_text(&c[1], d->due[i].episode);
		listed_time(b, d->due[i].a, d->due[i].approx);
		cell_text(&c[2], b);
		mp_time_format(b, d->due[i].b);
		cell_text(&c[3], b);
		cell_text(&c[4], d->cfg.now > d->due[i].b ? "overdue" : "due");
	}
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
		long read = q->from_rejects ? q->rejected + d->rows + d->bad_rows : q->read;
		para(x, RP_PARA, "Validation (mp-validate): %ld %s read, %ld rejected, %ld %s.", read,
		     read == 1 ? "row" : "rows", q->rejected, q->warnings, q->warnings == 1 ? "warning" : "warnings");
	}
	if (d->bad_rows)
		para(x, RP_PARA, "%ld %s of the input could not be used by this report and %s in no figure (see "
				 "the messages of mp-report).", d->bad_rows, d->bad_rows == 1 ? "row" : "rows",
		     d->bad_rows == 1 ? "is" : "are");
	if (!q->have && !d->bad_rows)
		para(x, RP_PARA, "No validation summary was given (--validation); every row of the input was used.");
}

mp_report *
mp_report_build(mp_report_data *d)
{
	mp_report *r = mp_xcalloc(1, sizeof *r);
	struct ctx x = { .d = d, .r = r };
	const mp_report_config *cfg = &d->cfg;
	char a[64], b[64], when[64];
	mp_time lt;

	for (int i = 0; i < NENG; i++)
		mp_stats_finish(d->e[i], 1);
	r->with_ids = cfg->with_ids;
	static const char *const kt[] = { "daily update", "weekly overview", "monthly report", "annual report",
					  "report" };
	r->title = cfg->title ? mp_xstrdup(cfg->title)
			      : xasprintf("Children missing from home or care: %s", kt[cfg->kind]);
	r->subtitle = cfg->la ? mp_xstrdup(cfg->la) : NULL;
	r->front = mp_xcalloc(6, sizeof *r->front);
	mp_report_long_date(a, sizeof a, cfg->from_day);
	mp_report_long_date(b, sizeof b, cfg->to_day);
	mp_utc_to_local(cfg->now, &lt);
	mp_report_long_date(when, sizeof when, lt.day);
	if (cfg->from_day == cfg->to_day)
		r->front[r->nfront++] = xasprintf("Period: %s (episodes starting that day).", a);
	else
		r->front[r->nfront++] = xasprintf("Period: %s to %s (episodes starting in it).", a, b);
	r->front[r->nfront++] = xasprintf("State at %s %02d:%02d; RHI timescale %ld hours; repeat threshold %ld "
					  "episodes in a month.", when, lt.h, lt.mi, cfg->within_hours,
					  cfg->repeat_min);
	if (cfg->with_ids)
		r->front[r->nfront++] = mp_xstrdup("CONTAINS CHILD-LEVEL IDENTIFIERS (--with-ids): for the "
						   "missing team's own use; do not circulate.");
	else
		r->front[r->nfront++] = mp_xstrdup("Counts only: no child is identified.");
	if (cfg->suppress)
		r->front[r->nfront++] = xasprintf("Small numbers: counts from 1 to %ld, and percentages built on "
						  "them, are shown as [c].", cfg->suppress - 1);

	int all = cfg->kind == MP_KIND_MONTHLY || cfg->kind == MP_KIND_ANNUAL || cfg->kind == MP_KIND_CUSTOM;
	struct repeat_fig rf;
	repeat_figures(d, &rf);
	build_headline(&x, all ? &rf : NULL);
	if (all)
		build_trend(&x);
	if (cfg->kind != MP_KIND_DAILY) {
		build_care(&x);
		build_type(&x);
		build_rhi(&x);
	}
	if (all) {
		build_repeat(&x, &rf);
		build_durations(&x);
		build_factors(&x);
		build_groups(&x);
	}
	build_now(&x);
	build_quality(&x);
	free(rf.m_children);
	free(rf.m_hoth);
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
	free(r->title);
	free(r->subtitle);
	free(r);
}
