/* mptime.c: civil calendar arithmetic, the local zone (its offsets tabled once by mp_tz_init), parsing and writing times. */
#include "mptime.h"
#include "err.h"
#include "tzfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int64_t
mp_days_from_civil(int y, int m, int d)
{
	/* Howard Hinnant's algorithm. */
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
mp_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
	int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (mm <= 2));
	*m = mm;
	*d = dd;
}

int
mp_days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 ? 28 + leap : dim[m - 1];
}

int
mp_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (4). */
	int64_t w = (days + 3) % 7;
	if (w < 0)
		w += 7;
	return (int)w + 1;
}

/*
 * The zone, tabled once by mp_tz_init: its offset changes (from the zone
 * file and the rule in its footer), and per day from 1900 to 2199 the
 * offset in force, so that a lookup is one load on every day without a
 * clock change.  Nothing is filled later: threads read it without locks.
 */
#define DAY0 (-25567)		/* 1900-01-01 */
#define NDAYS 109573		/* to 2199-12-31 */
#define LAST_YEAR 2300		/* the rule's changes are tabled up to here */
#define MIXED INT32_MIN		/* a day with a clock change (or near one) */

static struct zone {
	char name[128];
	mp_tzdata d;
	int32_t *uday;		/* UTC day - DAY0 -> offset all that day, or MIXED */
	int32_t *lday;		/* local day - DAY0 -> offset 12 h either side of it, or MIXED */
	int libc;		/* the zone file could not be read: ask the C library */
	int ready;
	int midnight_gap;	/* on some day of the table local midnight is skipped */
} zone = { .name = "Europe/London" };

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* The offset at utc, from the list of changes. */
static int32_t
search(const mp_tzdata *d, int64_t utc)
{
	size_t lo = 0, hi = d->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->t[mid].at <= utc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? d->t[lo - 1].off : d->initial;
}

static int32_t
libc_offset(int64_t utc)
{
	time_t t = (time_t)utc;
	struct tm tm;

	return localtime_r(&t, &tm) ? (int32_t)tm.tm_gmtoff : 0;
}

static void ensure_tz(void);

static int32_t
offset_at(int64_t utc)
{
	int64_t i;

	ensure_tz();
	if (zone.libc)
		return libc_offset(utc);
	i = floor_div(utc, 86400) - DAY0;
	if (i >= 0 && i < NDAYS && zone.uday[i] != MIXED)
		return zone.uday[i];
	return search(&zone.d, utc);
}

/* The day a rule's change falls on in year y. */
static int64_t
rule_day(const struct mp_tzwhen *w, int y)
{
	int64_t jan1 = mp_days_from_civil(y, 1, 1), first, day;
	int leap = mp_days_in_month(y, 2) == 29;

	if (w->kind == 'J')
		return jan1 + w->d - 1 + (leap && w->d >= 60);
	if (w->kind == 'N')
		return jan1 + w->d;
	first = mp_days_from_civil(y, w->m, 1);
	day = first + (w->d - mp_weekday(first) % 7 + 7) % 7 + (w->w - 1) * 7;
	while (day >= first + mp_days_in_month(y, w->m))
		day -= 7;
	return day;
}

static void
add_change(mp_tzdata *d, int64_t at, int32_t off)
{
	int32_t prev = d->n ? d->t[d->n - 1].off : d->initial;

	if (off != prev && (d->n == 0 || at > d->t[d->n - 1].at))
		d->t[d->n++] = (mp_tztrans){ at, off };
}

/* Append the changes the footer rule makes after the file's last one. */
static void
extend_by_rule(mp_tzdata *d, const char *text)
{
	mp_tzrule r;
	int y0 = 1900, m, dd;

	if (!text[0] || mp_tzrule_parse(text, &r) != 0 || !r.has_dst)
		return;
	if (d->n)
		mp_civil_from_days(floor_div(d->t[d->n - 1].at, 86400), &y0, &m, &dd);
	d->t = mp_xrealloc(d->t, (d->n + 2 * (size_t)(LAST_YEAR - y0 + 1)) * sizeof *d->t);
	for (int y = y0; y <= LAST_YEAR; y++) {
		int64_t on = rule_day(&r.start, y) * 86400 + r.start.secs - r.std;
		int64_t off = rule_day(&r.end, y) * 86400 + r.end.secs - r.dst;
		if (on < off) {
			add_change(d, on, r.dst);
			add_change(d, off, r.std);
		} else {
			add_change(d, off, r.std);
			add_change(d, on, r.dst);
		}
	}
}

/* The offset at noon UTC of table day i. */
static int32_t
noon_offset(const struct zone *z, int64_t i)
{
	if (i >= 0 && i < NDAYS && z->uday[i] != MIXED)
		return z->uday[i];
	return search(&z->d, (DAY0 + i) * 86400 + 43200);
}

/* The per-day tables, from the list of changes. */
static void
fill_days(struct zone *z)
{
	size_t k = 0;

	z->uday = mp_xrealloc(z->uday, NDAYS * sizeof *z->uday);
	z->lday = mp_xrealloc(z->lday, NDAYS * sizeof *z->lday);
	for (int64_t i = 0; i < NDAYS; i++) {
		int64_t from = (DAY0 + i) * 86400;
		while (k < z->d.n && z->d.t[k].at <= from)
			k++;
		int32_t off = k ? z->d.t[k - 1].off : z->d.initial;
		z->uday[i] = k < z->d.n && z->d.t[k].at < from + 86400 ? MIXED : off;
	}
	/* Sampled well outside the local day (noon UTC before and after), so that no zone's change is missed. */
	for (int64_t i = 0; i < NDAYS; i++) {
		int32_t a = noon_offset(z, i - 1), b = noon_offset(z, i + 1);
		z->lday[i] = a == b ? a : MIXED;
	}
}

/* Whether local midnight is skipped on some day (only a day with a change can skip it). */
static void
find_midnight_gaps(struct zone *z)
{
	for (int64_t i = 0; i < NDAYS && !z->midnight_gap; i++) {
		int y, m, d, off;
		int64_t utc;
		if (z->lday[i] != MIXED)
			continue;
		mp_civil_from_days(DAY0 + i, &y, &m, &d);
		z->midnight_gap = mp_local_to_utc(y, m, d, 0, 0, 0, &utc, &off) < 0;
	}
}

/* Table the zone named name (checked to exist); an unusable file leaves it to the C library. */
static void
load_zone(struct zone *z, const char *name)
{
	char path[300], rule[256];

	free(z->d.t);
	memset(&z->d, 0, sizeof z->d);
	z->libc = 0;
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
	if (mp_tzfile_load(path, &z->d, rule, sizeof rule) == 0)
		extend_by_rule(&z->d, rule);
	else if (strcmp(name, "UTC") != 0)
		z->libc = 1;
	z->ready = 1;
	z->midnight_gap = 0;
	if (!z->libc) {
		fill_days(z);
		find_midnight_gaps(z);
	}
}

int
mp_tz_init(const char *zone_name)
{
	char path[300];
	struct stat st;

	if (!zone_name || !*zone_name)
		zone_name = getenv("MPTOOLS_TZ");
	if (!zone_name || !*zone_name)
		zone_name = "Europe/London";
	if (strcmp(zone_name, "UTC") != 0) {
		/* glibc falls back to UTC silently for an unknown name: check first. */
		snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone_name);
		if (strstr(zone_name, "..") || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			return -1;
	}
	snprintf(zone.name, sizeof zone.name, "%s", zone_name);
	/* For the C library too, should anything ask it (and for the fallback). */
	setenv("TZ", zone_name, 1);
	tzset();
	load_zone(&zone, zone.name);
	return 0;
}

const char *
mp_tz_name(void)
{
	return zone.name;
}

/*
 * A program that never called mp_tz_init gets the default zone on first use
 * (single-threaded); when that is not installed, the C library's idea of
 * local time.  mp_tz_init is where a program learns that a zone is missing.
 */
static void
ensure_tz(void)
{
	if (!zone.ready && mp_tz_init(zone.name) != 0) {
		zone.libc = 1;
		zone.ready = 1;
	}
}

/* Offsets in force just before and just after the local day 'day'. */
static void
day_offsets(int64_t day, int *a, int *b)
{
	*a = offset_at(day * 86400 - 43200);
	*b = offset_at(day * 86400 + 86400 + 43200);
}

int
mp_tz_steady(int64_t day, int *offset)
{
	int64_t i = day - DAY0;

	ensure_tz();
	if (zone.libc || i < 0 || i >= NDAYS || zone.lday[i] == MIXED)
		return 0;
	*offset = zone.lday[i];
	return 1;
}

int
mp_local_to_utc(int y, int mo, int d, int h, int mi, int s, int64_t *utc, int *offset)
{
	int64_t day = mp_days_from_civil(y, mo, d);
	int64_t local = day * 86400 + h * 3600 + mi * 60 + s;
	int a, b;

	if (mp_tz_steady(day, offset)) {
		*utc = local - *offset;
		return 0;
	}
	day_offsets(day, &a, &b);
	if (a == b) {
		*utc = local - a;
		*offset = a;
		return 0;
	}
	/* A clock-change day: try each offset and keep those that round-trip. */
	int ok_a = offset_at(local - a) == a;
	int ok_b = offset_at(local - b) == b;
	if (ok_a && ok_b) {
		/* The repeated hour: take the earlier instant (the larger offset). */
		int first = a > b ? a : b;
		*utc = local - first;
		*offset = first;
		return 1;
	}
	if (ok_a || ok_b) {
		*offset = ok_a ? a : b;
		*utc = local - *offset;
		return 0;
	}
	return -1;
}

int64_t
mp_local_day(const mp_time *t)
{
	if (!t->has_time || !t->has_offset)
		return t->day;
	return mp_utc_local_day(t->utc);
}

int64_t
mp_utc_local_day(int64_t utc)
{
	return floor_div(utc + offset_at(utc), 86400);
}

void
mp_utc_to_local(int64_t utc, mp_time *t)
{
	int off = offset_at(utc);
	int64_t local = utc + off;
	int64_t day = floor_div(local, 86400);
	int64_t sec = local - day * 86400;

	memset(t, 0, sizeof *t);
	t->utc = utc;
	t->day = day;
	t->offset = off;
	mp_civil_from_days(day, &t->y, &t->mo, &t->d);
	t->h = (int)(sec / 3600);
	t->mi = (int)(sec / 60 % 60);
	t->s = (int)(sec % 60);
	t->has_time = 1;
}
/* Read exactly n digits. */
static int
digits(const char *s, size_t n, int *v)
{
	int x = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 0;
}

static int
parse_clock(const char *s, size_t len, mp_time *t, size_t *used, const char **why)
{
	/* HH:MM or HH:MM:SS */
	if (len < 5 || s[2] != ':' || digits(s, 2, &t->h) || digits(s + 3, 2, &t->mi)) {
		*why = "time of day must be HH:MM or HH:MM:SS";
		return -1;
	}
	*used = 5;
	t->s = 0;
	if (len >= 8 && s[5] == ':') {
		if (digits(s + 6, 2, &t->s)) {
			*why = "time of day must be HH:MM or HH:MM:SS";
			return -1;
		}
		*used = 8;
	}
	if (t->h > 23 || t->mi > 59 || t->s > 59) {
		*why = t->h == 24 ? "24:00 is not a time of day (use 00:00 of the next day)"
				  : "impossible time of day";
		return -1;
	}
	t->has_time = 1;
	return 0;
}

static int
check_date(const mp_time *t, const char **why)
{
	if (t->y < 1900 || t->y > 2199) {
		*why = "year out of range (1900-2199)";
		return -1;
	}
	if (t->mo < 1 || t->mo > 12) {
		*why = "impossible date: no such month";
		return -1;
	}
	if (t->d < 1 || t->d > mp_days_in_month(t->y, t->mo)) {
		*why = "impossible date: no such day in that month";
		return -1;
	}
	return 0;
}

static inline uint64_t
load8(const char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* Byte k of a little-endian word (the k-th byte of the text it was loaded from). */
#define BYTE(w, k) ((unsigned)((w) >> (8 * (k))) & 0xffu)
#define ONES 0x0101010101010101ull

/* The text of a constant word: its bytes as they lie in memory. */
#define WORD(a, b, c, d, e, f, g, h)                                                               \
	((uint64_t)(a) | (uint64_t)(b) << 8 | (uint64_t)(c) << 16 | (uint64_t)(d) << 24 |       \
	 (uint64_t)(e) << 32 | (uint64_t)(f) << 40 | (uint64_t)(g) << 48 | (uint64_t)(h) << 56)
#define D 0xff	/* in a digit mask: a digit goes here */

/*
 * Eight bytes of text against a template ('0' where a digit goes, as digit
 * says, else the byte that must stand there): byte k of the result is
 * 10 x digit k + digit k + 1 (a two-digit number at k), or ~0 when a byte
 * does not fit.  One word, no loop: dates and times in the canonical form
 * are read eight bytes at a time.
 */
static inline uint64_t
pairs8(uint64_t w, uint64_t tmpl, uint64_t digit)
{
	uint64_t x = w ^ tmpl;	/* a digit's value; 0 for a byte that stands as it should */

	/* a byte over 9 has its top bit set after adding 0x76 (none carries out unless it is over 0x7f) */
	if ((((x + 0x76 * ONES) | x) & 0x80 * ONES) | (x & ~digit))
		return ~0ull;
	return x * 10 + (x >> 8);
}

/* mp_days_from_civil for years 1900-2199: no negative eras, no 64-bit division. */
static inline int64_t
days_1900(unsigned y, unsigned m, unsigned d)
{
	static const unsigned short before[12] = { 306, 337, 0, 31, 61, 92, 122, 153, 184, 214, 245, 275 };
	unsigned yy = y - (m <= 2);

	return (int64_t)(yy * 365 + yy / 4 - yy / 100 + yy / 400 + before[m - 1] + d - 1) - 719468;
}

/* The offset all through a day of the table (years 1900-2199), or MIXED (or the C library's zone). */
static inline int32_t
steady_offset(int64_t day)
{
	if (!zone.ready)
		ensure_tz();
	return zone.libc ? MIXED : zone.lday[day - DAY0];
}

/* The canonical form's fields (the date's day, the time of day), read by the ISO fast path. */
struct iso {
	unsigned y, mo, d, h, mi, sec;
	int64_t day;
};

/* A month "YYYY-MM-" (its 8 bytes as loaded), read: its year, number, length and first day. */
struct ym {
	uint64_t text;
	unsigned y, mo, mlen;	/* y 0: nothing read yet */
	int64_t day1;
};

/* The month of w into *m (left as it was when w is not one of 1900-2199): 0, or -1. */
static int
ym_read(uint64_t w, struct ym *m)
{
	uint64_t a = pairs8(w, WORD('0', '0', '0', '0', '-', '0', '0', '-'), WORD(D, D, D, D, 0, D, D, 0));
	unsigned y = BYTE(a, 0) * 100 + BYTE(a, 2), mo = BYTE(a, 5);

	if (a == ~0ull || y < 1900 || y > 2199 || mo - 1 > 11)
		return -1;
	m->text = w;
	m->y = y;
	m->mo = mo;
	m->mlen = (unsigned)mp_days_in_month((int)y, (int)mo);
	m->day1 = days_1900(y, mo, 1);
	return 0;
}

/*
 * YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], a real date of 1900-2199 and a time
 * of day in range, into *o: 0, or -1 (not this form, or not a real one).
 * The month is read once while values keep to it (rows come in date order;
 * dates of birth, in no order, have a month of their own).
 */
static inline __attribute__((always_inline)) int
iso_read(const char *s, size_t len, struct iso *o)
{
	static _Thread_local struct ym last[2];
	struct ym *m = &last[len == 10];
	uint64_t w, b;

	if (len != 10 && len != 16 && len != 19)
		return -1;
	w = load8(s);
	if ((w != m->text || !m->y) && ym_read(w, m))
		return -1;
	o->h = o->mi = o->sec = 0;
	if (len == 10) {
		b = pairs8(load8(s + 2), WORD('0', '0', '-', '0', '0', '-', '0', '0'), WORD(D, D, 0, D, D, 0, D, D));
		o->d = BYTE(b, 6);
	} else {
		b = pairs8(load8(s + 8), WORD('0', '0', 'T', '0', '0', ':', '0', '0'), WORD(D, D, 0, D, D, 0, D, D));
		o->d = BYTE(b, 0);
		o->h = BYTE(b, 3);
		o->mi = BYTE(b, 6);
	}
	if (len == 19) {
		unsigned c = (unsigned char)s[17] - '0', e = (unsigned char)s[18] - '0';
		if (s[16] != ':' || c > 9 || e > 9)
			return -1;
		o->sec = c * 10 + e;
	}
	if (b == ~0ull || o->d - 1 >= m->mlen || o->h > 23 || o->mi > 59 || o->sec > 59)
		return -1;
	o->y = m->y;
	o->mo = m->mo;
	o->day = m->day1 + o->d - 1;
	return 0;
}

/*
 * YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] on a day without a clock change, the
 * form of nearly every canonical value: 0 when read, -1 to take the full
 * path (which also gives the reason for a bad value).  Straight-line code:
 * every value of a 2,000,000-row file passes here several times.
 */
static inline __attribute__((always_inline)) int
iso_fast(const char *s, size_t len, mp_time *t)
{
	struct iso o;
	int32_t off;

	if (iso_read(s, len, &o) || (off = steady_offset(o.day)) == MIXED)
		return -1;
	t->utc = o.day * 86400 + o.h * 3600 + o.mi * 60 + o.sec - off;
	t->day = o.day;
	t->y = (int)o.y, t->mo = (int)o.mo, t->d = (int)o.d, t->h = (int)o.h, t->mi = (int)o.mi, t->s = (int)o.sec;
	t->offset = off;
	t->has_time = len > 10;
	t->has_offset = 0;
	t->ambiguous = 0;
	return 0;
}

/* YYYY-MM-DD, a real date of 1900-2199, checked alone (no day number, no month read once: dates of birth come in no order). */
static int
iso_date_valid(const char *s)
{
	uint64_t a = pairs8(load8(s), WORD('0', '0', '0', '0', '-', '0', '0', '-'), WORD(D, D, D, D, 0, D, D, 0));
	uint64_t b = pairs8(load8(s + 2), WORD('0', '0', '-', '0', '0', '-', '0', '0'), WORD(D, D, 0, D, D, 0, D, D));
	unsigned y = BYTE(a, 0) * 100 + BYTE(a, 2), mo = BYTE(a, 5), d = BYTE(b, 6);

	return a != ~0ull && b != ~0ull && y >= 1900 && y <= 2199 && mo - 1 <= 11 &&
	       d - 1 < (unsigned)mp_days_in_month((int)y, (int)mo);
}

int
mp_time_valid_fast(const char *s, size_t len, int date_only)
{
	struct iso o;

	if (date_only && len != 10)
		return 0;
	if (!zone.ready)
		ensure_tz();
	/* A date alone is local midnight: in most zones never skipped by a clock change. */
	if (len == 10 && !zone.libc && !zone.midnight_gap)
		return iso_date_valid(s);
	return iso_read(s, len, &o) == 0 && steady_offset(o.day) != MIXED;
}

/* Every accepted form, and the reason for a refusal: mp_time_parse's path when the fast one is not taken. */
static __attribute__((noinline)) int
parse_full(const char *s, size_t len, mp_time *t, const char **why)
{
	size_t pos, used;

	memset(t, 0, sizeof *t);
	if (len == 0) {
		*why = "empty date";
		return -1;
	}
	if (len >= 10 && s[4] == '-' && s[7] == '-') {
		if (digits(s, 4, &t->y) || digits(s + 5, 2, &t->mo) || digits(s + 8, 2, &t->d)) {
			*why = "not a date (expected YYYY-MM-DD or DD/MM/YYYY)";
			return -1;
		}
		pos = 10;
	} else if (memchr(s, '/', len < 3 ? len : 3)) {
		/* UK order: D/M/YYYY with one or two digits for day and month. */
		size_t n[3] = { 0, 0, 0 };
		int v[3] = { 0, 0, 0 };
		pos = 0;
		for (int k = 0; k < 3; k++) {
			while (pos < len && s[pos] >= '0' && s[pos] <= '9' && n[k] < 5)
				v[k] = v[k] * 10 + (s[pos++] - '0'), n[k]++;
			if (k < 2 && (pos >= len || s[pos++] != '/'))
				n[k] = 0;
		}
		if (n[0] < 1 || n[0] > 2 || n[1] < 1 || n[1] > 2 || (n[2] != 4 && n[2] != 2) ||
		    (pos < len && s[pos] != ' ' && s[pos] != 'T')) {
			*why = "not a date (expected DD/MM/YYYY or YYYY-MM-DD)";
			return -1;
		}
		if (n[2] == 2) {
			*why = "two-digit years are not accepted (write the year in full)";
			return -1;
		}
		t->d = v[0], t->mo = v[1], t->y = v[2];
	} else {
		*why = "not a date (expected YYYY-MM-DD or DD/MM/YYYY)";
		return -1;
	}
	if (check_date(t, why))
		return -1;
	t->day = mp_days_from_civil(t->y, t->mo, t->d);
	if (pos < len) {
		if (s[pos] != 'T' && s[pos] != ' ') {
			*why = "unexpected text after the date";
			return -1;
		}
		pos++;
		if (parse_clock(s + pos, len - pos, t, &used, why))
			return -1;
		pos += used;
		if (pos < len) {
			int oh, om, sign;
			if (s[pos] == 'Z' && pos + 1 == len) {
				t->offset = 0;
			} else if ((s[pos] == '+' || s[pos] == '-') && len - pos == 6 && s[pos + 3] == ':' &&
				   !digits(s + pos + 1, 2, &oh) && !digits(s + pos + 4, 2, &om) && oh <= 14 && om < 60) {
				sign = s[pos] == '-' ? -1 : 1;
				t->offset = sign * (oh * 3600 + om * 60);
			} else {
				*why = "unexpected text after the time (an offset is Z or +hh:mm)";
				return -1;
			}
			t->has_offset = 1;
			t->utc = t->day * 86400 + t->h * 3600 + t->mi * 60 + t->s - t->offset;
			return 0;
		}
	}
	int r = mp_local_to_utc(t->y, t->mo, t->d, t->h, t->mi, t->s, &t->utc, &t->offset);
	if (r < 0) {
		*why = "this local time does not exist (the clocks went forward)";
		return -1;
	}
	t->ambiguous = r == 1 && t->has_time;
	return 0;
}

int
mp_time_parse(const char *s, size_t len, mp_time *t, const char **why)
{
	/* apart, so that the common case saves no registers for the rare one */
	return iso_fast(s, len, t) == 0 ? 0 : parse_full(s, len, t, why);
}

int
mp_date_parse(const char *s, size_t len, mp_time *t, const char **why)
{
	if (len == 10 && iso_fast(s, len, t) == 0)
		return 0;	/* a date alone, read by the fast path */
	if (mp_time_parse(s, len, t, why))
		return -1;
	if (t->has_time) {
		*why = "expected a date without a time";
		return -1;
	}
	return 0;
}

/* Write v as exactly w digits at p (v >= 0). */
static char *
put_digits(char *p, int v, int w)
{
	for (int i = w - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + w;
}

/* YYYY-MM-DD at p; years outside 0-9999 through printf. */
static char *
put_date(char *p, int y, int m, int d)
{
	if (y < 0 || y > 9999)
		return p + sprintf(p, "%04d-%02d-%02d", y, m, d);
	p = put_digits(p, y, 4);
	*p++ = '-';
	p = put_digits(p, m, 2);
	*p++ = '-';
	return put_digits(p, d, 2);
}

size_t
mp_date_format(char *buf, int64_t day)
{
	int y, m, d;
	char *p;

	mp_civil_from_days(day, &y, &m, &d);
	p = put_date(buf, y, m, d);
	*p = '\0';
	return (size_t)(p - buf);
}

size_t
mp_time_format(char *buf, int64_t utc)
{
	mp_time t;
	int64_t other;
	int off;
	char *p;

	mp_utc_to_local(utc, &t);
	p = put_date(buf, t.y, t.mo, t.d);
	*p++ = 'T';
	p = put_digits(p, t.h, 2);
	*p++ = ':';
	p = put_digits(p, t.mi, 2);
	if (t.s) {
		*p++ = ':';
		p = put_digits(p, t.s, 2);
	}
	/* Does this wall time name two instants?  Then say which. */
	if (mp_local_to_utc(t.y, t.mo, t.d, t.h, t.mi, t.s, &other, &off) == 1) {
		int o = abs(t.offset);
		*p++ = t.offset < 0 ? '-' : '+';
		p = put_digits(p, o / 3600, 2);
		*p++ = ':';
		p = put_digits(p, o / 60 % 60, 2);
	}
	*p = '\0';
	return (size_t)(p - buf);
}

size_t
mp_time_format_as_given(char *buf, int64_t utc, int64_t day, int has_time)
{
	return has_time ? mp_time_format(buf, utc) : mp_date_format(buf, day);
}
int
mp_now_parse(const char *arg, int64_t *utc, const char **why)
{
	mp_time t;

	if (!arg || strcmp(arg, "now") == 0) {
		*utc = (int64_t)time(NULL);
		return 0;
	}
	if (mp_time_parse(arg, strlen(arg), &t, why))
		return -1;
	/* A date alone means the start of that day. */
	*utc = t.utc;
	return 0;
}
