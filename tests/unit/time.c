/* Unit tests for lib/mptime.c and lib/calendar.c: parsing, clock changes, working days. */
#include "calendar.h"
#include "mptime.h"
#include "tap.h"

#include <stdlib.h>
#include <time.h>

/* Parse cases: input, expected local rendering (or NULL when invalid), expected message part. */
static const struct { const char *in, *want, *why; } parse_cases[] = {
	{ "2025-01-31", "2025-01-31T00:00", NULL },
	{ "31/01/2025", "2025-01-31T00:00", NULL },
	{ "1/2/2025", "2025-02-01T00:00", NULL },
	{ "25/12/2024 14:05", "2024-12-25T14:05", NULL },
	{ "25/12/2024 14:05:30", "2024-12-25T14:05:30", NULL },
	{ "2024-12-25T14:05", "2024-12-25T14:05", NULL },
	{ "2024-12-25 14:05", "2024-12-25T14:05", NULL },
	{ "2025-06-01T12:00Z", "2025-06-01T13:00", NULL },
	{ "2025-06-01T12:00+01:00", "2025-06-01T12:00", NULL },
	{ "2024-02-29", "2024-02-29T00:00", NULL },
	{ "29/02/2023", NULL, "no such day" },
	{ "31/02/2025", NULL, "no such day" },
	{ "00/00/0000", NULL, "year out of range" },
	{ "2025-13-01", NULL, "no such month" },
	{ "25/12/24", NULL, "two-digit years" },
	{ "25/12/24 10:00", NULL, "two-digit years" },
	{ "2025-01-01T24:00", NULL, "24:00" },
	{ "2025-01-01T10:60", NULL, "impossible time" },
	{ "2025-03-30T01:30", NULL, "does not exist" },
	{ "2025-01-01x", NULL, "unexpected text" },
	{ "2025-01-01T10:00+1", NULL, "offset" },
	{ "", NULL, "empty" },
	{ "yesterday", NULL, "not a date" },
	/* The repeated hour: the first (summer-time) instant, written with its offset. */
	{ "2025-10-26T01:30", "2025-10-26T01:30+01:00", NULL },
	{ "2025-10-26T01:30+00:00", "2025-10-26T01:30+00:00", NULL },
	{ "2025-10-26T02:00", "2025-10-26T02:00", NULL },
};

static void
test_parse(void)
{
	for (size_t i = 0; i < sizeof parse_cases / sizeof *parse_cases; i++) {
		mp_time t;
		const char *why = NULL;
		char buf[64];
		int r = mp_time_parse(parse_cases[i].in, strlen(parse_cases[i].in), &t, &why);
		if (parse_cases[i].want) {
			if (r == 0)
				mp_time_format(buf, t.utc);
			TAP_STREQ(r == 0 ? buf : why, parse_cases[i].want, "parse '%s'", parse_cases[i].in);
		} else {
			TAP_OK(r != 0 && why && strstr(why, parse_cases[i].why), "reject '%s' (%s)", parse_cases[i].in,
			       r ? why : "accepted");
		}
	}
}

/* Elapsed hours across the clock changes are real hours. */
static void
test_elapsed(void)
{
	static const struct { const char *from; int hours; const char *want; } cases[] = {
		{ "2025-03-29T10:00", 72, "2025-04-01T11:00" },	/* spring: an hour lost */
		{ "2025-10-25T10:00", 72, "2025-10-28T09:00" },	/* autumn: an hour gained */
		{ "2025-03-30T00:30", 1, "2025-03-30T02:30" },
		{ "2025-10-26T00:30", 1, "2025-10-26T01:30+01:00" },
		{ "2025-10-26T00:30", 2, "2025-10-26T01:30+00:00" },
		{ "2025-10-26T00:30", 3, "2025-10-26T02:30" },
		{ "2025-06-01T12:00", 24, "2025-06-02T12:00" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		mp_time t;
		const char *why;
		char buf[64];
		mp_time_parse(cases[i].from, strlen(cases[i].from), &t, &why);
		mp_time_format(buf, t.utc + cases[i].hours * 3600LL);
		TAP_STREQ(buf, cases[i].want, "%s + %dh", cases[i].from, cases[i].hours);
	}
	mp_time a, b;
	const char *why;
	mp_time_parse("2025-03-30T00:00", 16, &a, &why);
	mp_time_parse("2025-03-31T00:00", 16, &b, &why);
	TAP_OK(b.utc - a.utc == 23 * 3600, "30 March 2025 lasts 23 hours");
	mp_time_parse("2025-10-26T00:00", 16, &a, &why);
	mp_time_parse("2025-10-27T00:00", 16, &b, &why);
	TAP_OK(b.utc - a.utc == 25 * 3600, "26 October 2025 lasts 25 hours");
	/* The UK day of an instant: 23:30 UTC is the next day in summer, the same day in winter. */
	int64_t jul1 = mp_days_from_civil(2025, 7, 1), jan1 = mp_days_from_civil(2025, 1, 1);
	TAP_OK(mp_utc_local_day(jul1 * 86400 - 1800) == jul1, "2025-06-30T23:30Z is 1 July in the UK");
	TAP_OK(mp_utc_local_day(jan1 * 86400 - 1800) == jan1 - 1, "2024-12-31T23:30Z is 31 December in the UK");
	TAP_OK(mp_utc_local_day(jul1 * 86400 - 3600) == jul1, "2025-06-30T23:00Z is midnight, 1 July, in the UK");
}

static void
test_calendar(void)
{
	static const struct { const char *start; int n; const char *want; } cases[] = {
		{ "2025-04-17", 3, "2025-04-24" },	/* Thursday before Easter: Good Friday, Easter Monday */
		{ "2024-12-23", 3, "2024-12-30" },	/* Christmas and Boxing Day */
		{ "2022-06-01", 3, "2022-06-08" },	/* Platinum Jubilee: 2 and 3 June */
		{ "2022-09-16", 1, "2022-09-20" },	/* state funeral on Monday 19 September */
		{ "2023-05-05", 1, "2023-05-09" },	/* coronation on Monday 8 May */
		{ "2025-11-21", 3, "2025-11-26" },	/* Friday over a plain weekend */
		{ "2025-11-24", 0, "2025-11-24" },
	};
	TAP_OK(mp_holidays_load(NULL) == 0, "bank holidays loaded from share/bank-holidays");
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		mp_time t;
		const char *why;
		char buf[32];
		mp_time_parse(cases[i].start, strlen(cases[i].start), &t, &why);
		mp_date_format(buf, mp_add_working_days(t.day, cases[i].n));
		TAP_STREQ(buf, cases[i].want, "%s + %d working days", cases[i].start, cases[i].n);
	}
	TAP_OK(mp_weekday(mp_days_from_civil(2025, 11, 25)) == 2, "2025-11-25 is a Tuesday");
}

static void
test_civil(void)
{
	int ok = 1;
	for (int64_t d = -30000; d < 120000 && ok; d += 7) {
		int y, m, dd;
		mp_civil_from_days(d, &y, &m, &dd);
		ok = mp_days_from_civil(y, m, dd) == d;
	}
	TAP_OK(ok, "days <-> civil round trip 1888-2298");
}

/*
 * The zone tabled by mp_tz_init (its file and its rule) agrees with the C
 * library at noon every third day from 1900 to 2199 and on both sides of
 * every hour of the spring and autumn changes, for zones with summer time
 * north and south, negative summer time (Dublin) and none.
 */
static void
test_zones(void)
{
	static const char *const zones[] = { "Europe/London", "America/New_York", "Australia/Sydney",
					     "Europe/Dublin", "Asia/Kolkata", "America/Sao_Paulo", "UTC" };
	for (size_t z = 0; z < sizeof zones / sizeof *zones; z++) {
		long bad = 0, n = 0;
		int64_t first = 0;
		if (mp_tz_init(zones[z]) != 0) {
			TAP_OK(1, "# SKIP %s not installed", zones[z]);
			continue;
		}
		for (int64_t day = -25567; day < 84006; day += 3) {
			int64_t at[] = { day * 86400 + 43200, day * 86400 - 1, day * 86400 + 3600 * 1 - 1,
					 day * 86400 + 3600 * 2, day * 86400 + 3600 * 3 + 1 };
			for (size_t k = 0; k < sizeof at / sizeof *at; k++) {
				time_t tt = (time_t)at[k];
				struct tm tm;
				mp_time t;
				localtime_r(&tt, &tm);
				mp_utc_to_local(at[k], &t);
				n++;
				if (t.offset != tm.tm_gmtoff || t.h != tm.tm_hour || t.d != tm.tm_mday) {
					if (!bad++)
						first = at[k];
				}
			}
		}
		TAP_OK(bad == 0, "%s: offsets agree with the C library (%ld of %ld differ, first at %lld)",
		       zones[z], bad, n, (long long)first);
		/* The same text read again in this zone: nothing kept from the zone before (the date memo). */
		mp_time t;
		const char *why;
		struct tm tm = { .tm_year = 125, .tm_mon = 6, .tm_mday = 1, .tm_hour = 12, .tm_isdst = -1 };
		TAP_OK(mp_time_parse("2025-07-01T12:00", 16, &t, &why) == 0 && t.utc == (int64_t)mktime(&tm),
		       "%s: 2025-07-01T12:00 is read in this zone", zones[z]);
	}
	mp_tz_init(NULL);
}

int
main(void)
{
	setenv("MPTOOLS_SHARE", getenv("MPTOOLS_SHARE") ? getenv("MPTOOLS_SHARE") : "share", 1);
	if (mp_tz_init(NULL) != 0) {
		printf("not ok 1 - Europe/London is installed\n1..1\n");
		return 1;
	}
	test_parse();
	test_elapsed();
	test_calendar();
	test_civil();
	test_zones();
	return tap_done();
}
