/* period.c: period keys and labels for reports (see period.h). */
#include "period.h"
#include "mptime.h"

#include <stdio.h>
#include <string.h>

const char *const mp_period_names[] = { "day", "week", "month", "quarter", "year", "fy", "fq", "none" };

int
mp_period_parse(const char *name)
{
	for (int i = 0; i <= MP_BY_NONE; i++)
		if (strcmp(name, mp_period_names[i]) == 0)
			return i;
	return -1;
}

/* Floor division for keys before 1970. */
static int64_t
fdiv(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

int64_t
mp_period_key(enum mp_period by, int64_t day)
{
	int y, m, d;

	if (by == MP_BY_DAY || by == MP_BY_WEEK || by == MP_BY_NONE)
		return mp_period_key_ymd(by, day, 0, 0);
	mp_civil_from_days(day, &y, &m, &d);
	return mp_period_key_ymd(by, day, y, m);
}

int64_t
mp_period_key_ymd(enum mp_period by, int64_t day, int y, int m)
{

	switch (by) {
	case MP_BY_DAY:
		return day;
	case MP_BY_WEEK:
		/* Weeks start on Monday; 1969-12-29 (day -3) was a Monday. */
		return fdiv(day + 3, 7);
	case MP_BY_NONE:
		return 0;
	default:
		break;
	}
	switch (by) {
	case MP_BY_MONTH: return (int64_t)y * 12 + (m - 1);
	case MP_BY_QUARTER: return (int64_t)y * 4 + (m - 1) / 3;
	case MP_BY_YEAR: return y;
	case MP_BY_FY: return m >= 4 ? y : y - 1;
	/* April-June is Q1 of the year starting in April: months from April, in threes. */
	case MP_BY_FQ: return (int64_t)(m >= 4 ? y : y - 1) * 4 + (m + 8) % 12 / 3;
	default: return 0;
	}
}

void
mp_period_days(enum mp_period by, int64_t key, int64_t *first, int64_t *last)
{
	int y;

	switch (by) {
	case MP_BY_DAY:
		*first = *last = key;
		return;
	case MP_BY_WEEK:
		*first = key * 7 - 3;
		*last = *first + 6;
		return;
	case MP_BY_MONTH:
		y = (int)fdiv(key, 12);
		*first = mp_days_from_civil(y, (int)(key - (int64_t)y * 12) + 1, 1);
		*last = *first + mp_days_in_month(y, (int)(key - (int64_t)y * 12) + 1) - 1;
		return;
	case MP_BY_QUARTER:
		y = (int)fdiv(key, 4);
		*first = mp_days_from_civil(y, (int)(key - (int64_t)y * 4) * 3 + 1, 1);
		*last = (key - (int64_t)y * 4 == 3 ? mp_days_from_civil(y + 1, 1, 1)
		       : mp_days_from_civil(y, (int)(key - (int64_t)y * 4) * 3 + 4, 1)) - 1;
		return;
	case MP_BY_YEAR:
		*first = mp_days_from_civil((int)key, 1, 1);
		*last = mp_days_from_civil((int)key + 1, 1, 1) - 1;
		return;
	case MP_BY_FY:
		*first = mp_days_from_civil((int)key, 4, 1);
		*last = mp_days_from_civil((int)key + 1, 4, 1) - 1;
		return;
	case MP_BY_FQ: {
		/* Months counted from January of the year the quarter's year starts in. */
		y = (int)fdiv(key, 4);
		int m0 = 3 + 3 * (int)(key - (int64_t)y * 4), m1 = m0 + 3;
		*first = mp_days_from_civil(y + m0 / 12, m0 % 12 + 1, 1);
		*last = mp_days_from_civil(y + m1 / 12, m1 % 12 + 1, 1) - 1;
		return;
	}
	case MP_BY_NONE:
		*first = INT32_MIN;
		*last = INT32_MAX;
		return;
	}
}

size_t
mp_period_label(enum mp_period by, int64_t key, char *buf)
{
	int y, m, d;
	int64_t first, last;

	switch (by) {
	case MP_BY_DAY:
		return mp_date_format(buf, key);
	case MP_BY_WEEK: {
		/* The ISO year is the year of the week's Thursday. */
		mp_period_days(by, key, &first, &last);
		mp_civil_from_days(first + 3, &y, &m, &d);
		int64_t week = (first + 3 - mp_days_from_civil(y, 1, 1)) / 7 + 1;
		return (size_t)snprintf(buf, MP_PERIOD_LABEL_MAX, "%04d-W%02d", y, (int)week);
	}
	case MP_BY_MONTH:
		y = (int)fdiv(key, 12);
		return (size_t)snprintf(buf, MP_PERIOD_LABEL_MAX, "%04d-%02d", y, (int)(key - (int64_t)y * 12) + 1);
	case MP_BY_QUARTER:
		y = (int)fdiv(key, 4);
		return (size_t)snprintf(buf, MP_PERIOD_LABEL_MAX, "%04d-Q%d", y, (int)(key - (int64_t)y * 4) + 1);
	case MP_BY_YEAR:
		return (size_t)snprintf(buf, MP_PERIOD_LABEL_MAX, "%04d", (int)key);
	case MP_BY_FY:
		return (size_t)snprintf(buf, MP_PERIOD_LABEL_MAX, "%04d-%02d", (int)key, (int)((key + 1) % 100));
	case MP_BY_FQ:
		y = (int)fdiv(key, 4);
		return (size_t)snprintf(buf, MP_PERIOD_LABEL_MAX, "%04d-%02d Q%d", y, (y + 1) % 100,
					(int)(key - (int64_t)y * 4) + 1);
	case MP_BY_NONE:
		break;
	}
	return (size_t)snprintf(buf, MP_PERIOD_LABEL_MAX, "all");
}
