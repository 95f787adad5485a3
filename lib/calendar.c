/* calendar.c: bank holidays from a shipped file; working-day arithmetic. */
#include "calendar.h"
#include "err.h"
#include "mptime.h"
#include "share.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t *hol;
static size_t nhol;

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int
mp_holidays_load(const char *path)
{
	char line[256];
	long ln = 0;
	FILE *fp;
	size_t cap = 0;

	if (!path && !(path = mp_share_path("bank-holidays")))
		return -1;	/* said */
	if (!(fp = fopen(path, "r"))) {
		mp_warn("%s:", path);
		return -1;
	}
	free(hol);
	hol = NULL;
	nhol = 0;
	while (fgets(line, sizeof line, fp)) {
		char *p = line, *hash = strchr(line, '#');
		mp_time t;
		const char *why;
		ln++;
		if (hash)
			*hash = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		size_t n = strcspn(p, " \t\r\n");
		if (n == 0)
			continue;
		if (mp_date_parse(p, n, &t, &why)) {
			mp_data_msg(path, ln, NULL, "%s", why);
			fclose(fp);
			return -1;
		}
		hol = mp_xgrow(hol, &cap, nhol + 1, sizeof *hol);
		hol[nhol++] = t.day;
	}
	fclose(fp);
	qsort(hol, nhol, sizeof *hol, cmp64);
	return 0;
}

int
mp_is_holiday(int64_t day)
{
	return bsearch(&day, hol, nhol, sizeof *hol, cmp64) != NULL;
}

int
mp_is_working_day(int64_t day)
{
	return mp_weekday(day) <= 5 && !mp_is_holiday(day);
}

int64_t
mp_add_working_days(int64_t day, int n)
{
	while (n > 0) {
		day++;
		if (mp_is_working_day(day))
			n--;
	}
	return day;
}

void
mp_holidays_range(int *first, int *last)
{
	int m, d;

	*first = *last = 0;
	if (nhol) {
		mp_civil_from_days(hol[0], first, &m, &d);
		mp_civil_from_days(hol[nhol - 1], last, &m, &d);
	}
}
