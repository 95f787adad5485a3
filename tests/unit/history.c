/* history: the duplicate check of children with many episodes (lib/history.h), as TAP. */
#include "err.h"
#include "history.h"
#include "tap.h"

#include <stdint.h>
#include <string.h>

#define DAY 86400
#define T0 INT64_C(1577872800)	/* 2020-01-01T10:00Z */
#define FAR INT64_C(4102444800)	/* 2100-01-01: kept among the wide times */

/* Add an episode of child c starting at s (exact or a date alone), one hour long. */
static mp_hist_result
add(mp_history *h, const char *c, int type, int64_t s, int exact, long line)
{
	mp_hist_result r;
	mp_pt start = { s, exact }, end = { s + 3600, exact };

	mp_history_add(h, c, strlen(c), type, start, end, 0, line, 0, &r);
	return r;
}

/* Two children of 100 episodes each, the same starts: a duplicate is one child's own. */
static void
big_children(void)
{
	mp_history *h = mp_history_new(1, 0);
	mp_hist_result r;
	int dups = 0;
	size_t children, episodes, bytes;

	for (int i = 0; i < 100; i++) {
		dups += add(h, "a", 0, T0 + i * DAY, 1, 1 + i).dup;
		dups += add(h, "b", 0, T0 + i * DAY, 1, 1001 + i).dup;
	}
	TAP_OK(dups == 0, "200 episodes of two children with the same starts: no duplicate");
	r = add(h, "a", 0, T0 + 5 * DAY, 1, 5000);
	TAP_OK(r.dup && r.dup_of.line == 6, "a duplicate of one of the first 32 episodes: line %ld", r.dup_of.line);
	r = add(h, "b", 0, T0 + 70 * DAY, 1, 5001);
	TAP_OK(r.dup && r.dup_of.line == 1071, "a duplicate of a later one, the other child's: line %ld",
	       r.dup_of.line);
	TAP_OK(!add(h, "a", 1, T0 + 70 * DAY, 1, 5002).dup, "another type at the same start is no duplicate");
	TAP_OK(!add(h, "a", 0, T0 + 70 * DAY, 0, 5003).dup, "a date alone at the same value is no duplicate");
	TAP_OK(add(h, "a", 0, T0 + 70 * DAY, 0, 5004).dup_of.line == 5003, "but a second one is");
	TAP_OK(!add(h, "a", 0, FAR, 1, 5005).dup, "a start in 2100 (a wide time) added");
	r = add(h, "a", 0, FAR, 1, 5006);
	TAP_OK(r.dup && r.dup_of.line == 5005, "and found again");
	mp_history_stats(h, &children, &episodes, &bytes);
	TAP_OK(children == 2 && episodes == 203, "2 children, 203 episodes kept (duplicates are not)");
	mp_history_free(h);
}

/* Without the duplicate check, a big child's equal starts are all kept. */
static void
no_dups(void)
{
	mp_history *h = mp_history_new(0, 0);
	size_t children, episodes, bytes;
	int dups = 0;

	for (int i = 0; i < 80; i++)
		dups += add(h, "c", 0, T0 + (i % 40) * DAY, 1, 1 + i).dup;
	mp_history_stats(h, &children, &episodes, &bytes);
	TAP_OK(dups == 0 && episodes == 80, "80 episodes, 40 starts twice: all kept");
	mp_history_free(h);
}

int
main(void)
{
	mp_set_progname("history");
	big_children();
	no_dups();
	return tap_done();
}
