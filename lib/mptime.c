/* mptime.c: civil calendar arithmetic and the local zone, with a per-day offset cache. */
#include "mptime.h"
#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static char tzname_buf[128] = "Europe/London";

/* Offset at the start and the end of each local day, filled on demand. */
#define CACHE_FIRST (-25567)	/* 1900-01-01 */
#define CACHE_DAYS (110000)	/* to about 2201 */
#define UNSET 0x7fffffff
static int32_t (*day_cache)[2];

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

int
mp_tz_init(const char *zone)
{
	char path[300];
	struct stat st;

	if (!zone || !*zone)
		zone = getenv("MPTOOLS_TZ");
	if (!zone || !*zone)
		zone = "Europe/London";
	if (strcmp(zone, "UTC") != 0) {
		/* glibc falls back to UTC silently for an unknown name: check first. */
		snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
		if (strstr(zone, "..") || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			return -1;
	}
	snprintf(tzname_buf, sizeof tzname_buf, "%s", zone);
	setenv("TZ", zone, 1);
	tzset();
	free(day_cache);
	day_cache = NULL;
	return 0;
}

const char *
mp_tz_name(void)
{
	return tzname_buf;
}

static void
ensure_tz(void)
{
	static int done;

	if (!done) {
		done = 1;
		if (!getenv("TZ") || strcmp(getenv("TZ"), tzname_buf) != 0)
			if (mp_tz_init(tzname_buf) != 0)
				mp_die(MP_EXIT_DATA, "time zone %s is not installed (install tzdata)", tzname_buf);
	}
}

static int
offset_at(int64_t utc)
{
	time_t t = (time_t)utc;
	struct tm tm;

	ensure_tz();
	if (!localtime_r(&t, &tm))
		return 0;
	return (int)tm.tm_gmtoff;
}

/* Offsets in force just before and just after the local day 'day'. */
static void
day_offsets(int64_t day, int *a, int *b)
{
	int64_t i = day - CACHE_FIRST;

	if (i >= 0 && i < CACHE_DAYS) {
		if (!day_cache) {
			day_cache = malloc(sizeof *day_cache * CACHE_DAYS);
			if (day_cache)
				for (int64_t k = 0; k < CACHE_DAYS; k++)
					day_cache[k][0] = UNSET;
		}
		if (day_cache && day_cache[i][0] != UNSET) {
			*a = day_cache[i][0];
			*b = day_cache[i][1];
			return;
		}
	}
	/* Sample well outside the day so that no zone's transition is missed. */
	*a = offset_at(day * 86400 - 43200);
	*b = offset_at(day * 86400 + 86400 + 43200);
	if (day_cache && i >= 0 && i < CACHE_DAYS) {
		day_cache[i][0] = *a;
		day_cache[i][1] = *b;
	}
}

int
mp_local_to_utc(int y, int mo, int d, int h, int mi, int s, int64_t *utc, int *offset)
{
	int64_t day = mp_days_from_civil(y, mo, d);
	int64_t local = day * 86400 + h * 3600 + mi * 60 + s;
	int a, b;

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

void
mp_utc_to_local(int64_t utc, mp_time *t)
{
	int off = offset_at(utc);
	int64_t local = utc + off;
	int64_t day = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
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

int
mp_time_parse(const char *s, size_t len, mp_time *t, const char **why)
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
mp_date_parse(const char *s, size_t len, mp_time *t, const char **why)
{
	if (mp_time_parse(s, len, t, why))
		return -1;
	if (t->has_time) {
		*why = "expected a date without a time";
		return -1;
	}
	return 0;
}

size_t
mp_date_format(char *buf, int64_t day)
{
	int y, m, d;

	mp_civil_from_days(day, &y, &m, &d);
	return (size_t)sprintf(buf, "%04d-%02d-%02d", y, m, d);
}

size_t
mp_time_format(char *buf, int64_t utc)
{
	mp_time t;
	size_t n;
	int64_t other;
	int off;

	mp_utc_to_local(utc, &t);
	n = (size_t)sprintf(buf, "%04d-%02d-%02dT%02d:%02d", t.y, t.mo, t.d, t.h, t.mi);
	if (t.s)
		n += (size_t)sprintf(buf + n, ":%02d", t.s);
	/* Does this wall time name two instants?  Then say which. */
	if (mp_local_to_utc(t.y, t.mo, t.d, t.h, t.mi, t.s, &other, &off) == 1) {
		int o = t.offset;
		n += (size_t)sprintf(buf + n, "%c%02d:%02d", o < 0 ? '-' : '+', abs(o) / 3600, abs(o) / 60 % 60);
	}
	return n;
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
