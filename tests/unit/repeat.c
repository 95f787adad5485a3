/* repeat: the fullest span of episodes and ISO week numbers (lib/repeat.h), as TAP. */
#include "err.h"
#include "mptime.h"
#include "repeat.h"
#include "tap.h"

#include <string.h>

static void
spans(void)
{
	/* Days 0, 29, 30, 89, 90: a 30-day span holds 0 and 29; a 90-day one 0..89 (or 30..90, later). */
	int32_t days[] = { 0, 29, 30, 89, 90 };
	mp_rep_ep e[5];
	size_t first, n;

	memset(e, 0, sizeof e);
	for (int i = 0; i < 5; i++)
		e[i].day = days[i];
	n = mp_repeat_fullest(e, 5, 30, &first);
	TAP_OK(n == 2 && first == 0, "30 days: 2 from day 0 (ties go to the earliest): got %zu from %zu", n, first);
	n = mp_repeat_fullest(e, 5, 90, &first);
	TAP_OK(n == 4 && first == 0, "90 days: 4 from day 0: got %zu from %zu", n, first);
	n = mp_repeat_fullest(e, 5, 1, &first);
	TAP_OK(n == 1 && first == 0, "1 day: 1: got %zu from %zu", n, first);
	n = mp_repeat_fullest(e, 0, 90, &first);
	TAP_OK(n == 0, "no episodes: 0");
}

static void
weeks(void)
{
	static const struct { int y, m, d, wy, w; } t[] = {
		{ 2024, 12, 30, 2025, 1 }, { 2025, 1, 5, 2025, 1 }, { 2025, 1, 6, 2025, 2 },
		{ 2021, 1, 3, 2020, 53 }, { 2020, 12, 31, 2020, 53 }, { 2026, 12, 31, 2026, 53 },
		{ 2027, 1, 3, 2026, 53 }, { 2027, 1, 4, 2027, 1 }, { 2025, 2, 1, 2025, 5 },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		int y, w;
		mp_iso_week(mp_days_from_civil(t[i].y, t[i].m, t[i].d), &y, &w);
		TAP_OK(y == t[i].wy && w == t[i].w, "%04d-%02d-%02d is %04d-W%02d (got %04d-W%02d)", t[i].y, t[i].m,
		       t[i].d, t[i].wy, t[i].w, y, w);
	}
}

int
main(void)
{
	mp_set_progname("repeat");
	spans();
	weeks();
	return tap_done();
}
