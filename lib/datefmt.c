/* datefmt.c: read the date-time forms of real exports into the ISO form mp_time_parse checks. */
#include "datefmt.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const order_names[] = { "dmy", "mdy", "ymd" };

int
mp_date_order_parse(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, order_names[i]) == 0)
			return i;
	return -1;
}

const char *
mp_date_order_name(enum mp_date_order o)
{
	return order_names[o];
}

#define NOT_A_DATE "not a date (expected DD/MM/YYYY, YYYY-MM-DD or 1 May 2025, each with an optional time)"

/* A cursor over the text being read. */
typedef struct cur {
	const char *s;
	size_t i, n;
} cur;

static int
at(const cur *c)
{
	return c->i < c->n ? (unsigned char)c->s[c->i] : 0;
}

static int
isdig(int ch)
{
	return ch >= '0' && ch <= '9';
}

static int
isalpha_ascii(int ch)
{
	return (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z';
}

/* Up to max digits as a number; returns how many were read. */
static int
number(cur *c, int max, int *v)
{
	int nd = 0;

	*v = 0;
	while (nd < max && isdig(at(c))) {
		*v = *v * 10 + (at(c) - '0');
		c->i++, nd++;
	}
	return isdig(at(c)) ? max + 1 : nd;	/* too many digits */
}

static void
spaces(cur *c)
{
	while (at(c) == ' ')
		c->i++;
}

/* An English month name or abbreviation (Jan, Sept, September): 1-12, or 0. */
static int
month_name(cur *c)
{
	static const char *const names[] = { "january", "february", "march", "april", "may", "june", "july",
					     "august", "september", "october", "november", "december" };
	size_t b = c->i;

	while (isalpha_ascii(at(c)))
		c->i++;
	size_t len = c->i - b;
	for (int m = 0; m < 12; m++)
		if ((len == 3 || len == strlen(names[m]) || (m == 8 && len == 4)) &&
		    strncasecmp(c->s + b, names[m], len) == 0)
			return m + 1;
	return 0;
}

/* An ordinal suffix after a day (1st, 2nd, 23rd, 4th). */
static void
ordinal(cur *c)
{
	static const char *const sfx[] = { "st", "nd", "rd", "th" };
	for (int k = 0; k < 4; k++)
		if (c->i + 2 <= c->n && strncasecmp(c->s + c->i, sfx[k], 2) == 0 &&
		    !isalpha_ascii(c->i + 2 < c->n ? (unsigned char)c->s[c->i + 2] : 0)) {
			c->i += 2;
			return;
		}
}

static int
year4(cur *c, int *y, const char **why)
{
	int nd = number(c, 4, y);
	if (nd == 2)
		*why = "two-digit years are not accepted (write the year in full)";
	else if (nd != 4)
		*why = NOT_A_DATE;
	return nd == 4 ? 0 : -1;
}

static int
valid_ymd(int y, int m, int d)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] && y >= 0;
}

/* D?M?YYYY with the first two numbers a and b already read: place them by order. */
static int
place_numeric(int a, int b, int y, enum mp_date_order order, int *mo, int *d, const char **why, int *swapped)
{
	if (order == MP_YMD) {
		*why = "a numeric date with the year last, but the order is year-first (--dates ymd)";
		*swapped = 0;
		return -1;
	}
	*d = order == MP_DMY ? a : b;
	*mo = order == MP_DMY ? b : a;
	if (*mo > 12 && valid_ymd(y, *d, *mo)) {
		*swapped = 1;
		*why = order == MP_DMY ? "no month above 12: this date only makes sense month-first"
				       : "no month above 12: this date only makes sense day-first";
		return -1;
	}
	return 0;
}

/* The date part: sets y, mo, d or fails with *why. */
static int
date_part(cur *c, enum mp_date_order order, int *y, int *mo, int *d, const char **why, int *swapped)
{
	int a, b, nd;

	*why = NOT_A_DATE;
	if (isalpha_ascii(at(c))) {	/* Mon DD, YYYY */
		if (!(*mo = month_name(c)))
			return -1;
		spaces(c);
		if ((nd = number(c, 2, d)) < 1 || nd > 2)
			return -1;
		ordinal(c);
		if (at(c) == ',')
			c->i++;
		if (at(c) != ' ')
			return -1;
		spaces(c);
		return year4(c, y, why);
	}
	nd = number(c, 4, &a);
	if (nd == 4) {	/* YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD */
		int sep = at(c);
		if (sep != '-' && sep != '/' && sep != '.')
			return -1;
		c->i++;
		if ((nd = number(c, 2, mo)) < 1 || nd > 2 || at(c) != sep)
			return -1;
		c->i++;
		if ((nd = number(c, 2, d)) < 1 || nd > 2)
			return -1;
		*y = a;
		return 0;
	}
	if (nd < 1 || nd > 2)
		return -1;
	int sep = at(c);
	if (sep == ' ' || ((sep == '-' || sep == '/' || sep == '.') && c->i + 1 < c->n && isalpha_ascii((unsigned char)c->s[c->i + 1])) ||
	    isalpha_ascii(sep)) {	/* DD-Mon-YYYY, DD Mon YYYY, 1st May 2025 */
		ordinal(c);
		sep = at(c);
		if (sep == ' ')
			spaces(c);
		else if (sep == '-' || sep == '/' || sep == '.')
			c->i++;
		else
			return -1;
		if (!(*mo = month_name(c)))
			return -1;
		if (sep == ' ' ? at(c) != ' ' : at(c) != sep)
			return -1;
		if (sep == ' ')
			spaces(c);
		else
			c->i++;
		*d = a;
		return year4(c, y, why);
	}
	if (sep != '/' && sep != '-' && sep != '.')
		return -1;
	c->i++;
	if ((nd = number(c, 2, &b)) < 1 || nd > 2 || at(c) != sep)
		return -1;
	c->i++;
	if (year4(c, y, why))
		return -1;
	return place_numeric(a, b, *y, order, mo, d, why, swapped);
}

/* The time part after the date: [T| ]H:MM[:SS[.fff]][ ][AM|PM][Z|+hh:mm|+hhmm]. */
static int
time_part(cur *c, int *h, int *mi, int *s, char *off, const char **why)
{
	int nd;

	*why = "time of day must be HH:MM or HH:MM:SS";
	if (at(c) == 'T' || at(c) == 't')
		c->i++;
	else if (at(c) == ' ' || at(c) == ',') {
		if (at(c) == ',')
			c->i++;
		spaces(c);
	} else {
		*why = "unexpected text after the date";
		return -1;
	}
	if ((nd = number(c, 2, h)) < 1 || nd > 2 || at(c) != ':')
		return -1;
	c->i++;
	if (number(c, 2, mi) != 2)
		return -1;
	*s = 0;
	if (at(c) == ':') {
		c->i++;
		if (number(c, 2, s) != 2)
			return -1;
		if (at(c) == '.' || at(c) == ',') {	/* fractions of a second: dropped */
			c->i++;
			if (!isdig(at(c)))
				return -1;
			while (isdig(at(c)))
				c->i++;
		}
	}
	size_t save = c->i;
	spaces(c);
	if (c->i + 2 <= c->n && (c->s[c->i + 1] | 0x20) == 'm' && ((c->s[c->i] | 0x20) == 'a' || (c->s[c->i] | 0x20) == 'p')) {
		int pm = (c->s[c->i] | 0x20) == 'p';
		if (*h < 1 || *h > 12) {
			*why = "a time with AM or PM has an hour from 1 to 12";
			return -1;
		}
		*h = *h % 12 + (pm ? 12 : 0);
		c->i += 2;
	} else {
		c->i = save;
	}
	off[0] = '\0';
	if (at(c) == 'Z' || at(c) == 'z') {
		c->i++;
		strcpy(off, "Z");
	} else if (at(c) == '+' || at(c) == '-') {
		int sign = at(c), oh, om;
		c->i++;
		if (number(c, 2, &oh) != 2)
			goto bad_offset;
		if (at(c) == ':')
			c->i++;
		if (number(c, 2, &om) != 2)
			goto bad_offset;
		snprintf(off, 8, "%c%02d:%02d", sign, oh % 100, om % 100);
	}
	if (c->i != c->n) {
		*why = "unexpected text after the time";
		return -1;
	}
	return 0;
bad_offset:
	*why = "unexpected text after the time (an offset is Z or +hh:mm)";
	return -1;
}

int
mp_date_read(const char *s, size_t len, enum mp_date_order order, mp_time *t, const char **why, int *swapped)
{
	cur c = { s, 0, len };
	int y, mo, d, h = 0, mi = 0, sec = 0, has_time = 0;
	char off[8] = "", iso[48];

	*swapped = 0;
	if (date_part(&c, order, &y, &mo, &d, why, swapped))
		return -1;
	if (c.i < c.n) {
		if (time_part(&c, &h, &mi, &sec, off, why))
			return -1;
		has_time = 1;
	}
	if (y > 9999)
		y = 9999;
	int n = has_time ? snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, mo, d, h, mi, sec, off)
			 : snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, mo, d);
	return mp_time_parse(iso, (size_t)n, t, why);
}

int
mp_excel_serial_read(const char *s, size_t len, mp_time *t, const char **why)
{
	size_t i = 0;
	long days = 0;
	double frac = 0, scale = 0.1;

	*why = "not an Excel date number (days since 30/12/1899, such as 45778.375)";
	if (len == 0 || len > 20)
		return -1;
	for (; i < len && isdig((unsigned char)s[i]); i++)
		days = days * 10 + (s[i] - '0');
	if (i == 0 || i > 6)
		return -1;
	if (i < len && s[i] == '.')
		for (i++; i < len && isdig((unsigned char)s[i]); i++, scale /= 10)
			frac += (s[i] - '0') * scale;
	if (i != len)
		return -1;
	long secs = (long)(frac * 86400 + 0.5);
	if (secs >= 86400)
		days++, secs -= 86400;
	/* Day 1 is 1900-01-01; Excel's phantom 29/02/1900 makes 1899-12-30 day 0 from March 1900 on. */
	if (days < 61) {
		*why = "Excel date numbers before 1 March 1900 are not read (Excel counts a 29 February 1900)";
		return -1;
	}
	int64_t day = mp_days_from_civil(1899, 12, 30) + days;
	int y, mo, d;
	mp_civil_from_days(day, &y, &mo, &d);
	char iso[40];
	int n = snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02ld:%02ld:%02ld", y, mo, d, secs / 3600, secs / 60 % 60,
			 secs % 60);
	if (i == len && !memchr(s, '.', len))
		n = 10;	/* a whole number: a date alone */
	return mp_time_parse(iso, (size_t)n, t, why);
}
