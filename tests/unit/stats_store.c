/*
 * stats_store: engines counting through one store (lib/stats_store.c) give
 * exactly the rows, notes and figures each gives alone, as TAP.  Random
 * episodes (fixed seed): short and long child ids, times and dates alone,
 * open episodes, starts before, in and after --from/--to (another episode
 * for the recurrence), 300 ethnicity values from half way (an engine with
 * more than 253 cells: its cells widen from half a byte to one, then two, with the
 * episodes kept before), whose children, some times in UTC, a few episodes
 * too long for an entry to hold (the medians: each row's, selected from
 * the entries, must be the one sorted durations give).  The store's
 * visit (mp_stats_store_visit) is told every child once, by the number
 * the store was given, its episodes in order with their UK local days,
 * and exactly the episodes each engine counts.
 */
#include "episode.h"
#include "err.h"
#include "mptime.h"
#include "stats.h"
#include "record.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NEPISODES 20000
#define MAXF 16

static const char header[] =
	"episode_id,child_id,type,start,end,dob,ethnicity,care_status,rhi_offered,rhi_accepted,rhi_held,"
	"rhi_reason,source,responsible_la,la,sex";

static unsigned long seed = 12345;

static unsigned
rnd(unsigned n)
{
	seed = seed * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(seed >> 33) % n;
}

/* A time or a date alone, day d of 2024 (from 1 January), into b. */
static void
when(char *b, size_t sz, int64_t day, int mins, int date_only)
{
	int y, m, d;
	mp_civil_from_days(mp_days_from_civil(2024, 1, 1) + day, &y, &m, &d);
	if (date_only)
		snprintf(b, sz, "%04d-%02d-%02d", y, m, d);
	else	/* some in UTC: in summer, 23:xxZ is the next UK day */
		snprintf(b, sz, "%04d-%02d-%02dT%02d:%02d%s", y, m, d, mins / 60 % 24, mins % 60,
			 rnd(10) == 0 ? "Z" : "");
}

/* Episode i as a CSV line into b. */
static void
episode(char *b, size_t sz, int i)
{
	static const char *const types[] = { "missing", "away", "absent" };
	static const char *const care[] = { "lac", "cp", "cin", "" };
	static const char *const src[] = { "mosaic", "liquidlogic", "police" };
	static const char *const resp[] = { "E1", "E1", "E2", "" };
	char child[32], start[32], end[32] = "", held[32] = "";
	int64_t day = rnd(730);
	int mins = (int)rnd(1440), dated = rnd(8) == 0;
	/*
	 * A few of the last episodes start before every range's --from: they
	 * alone have a sex, and a source of their own (seen last) that records
	 * no interview.
	 */
	int early = i >= NEPISODES - 400 && day < 60;

	if (rnd(4) == 0)
		snprintf(child, sizeof child, "child-number-%u", rnd(400));	/* past 7 bytes: interned */
	else
		snprintf(child, sizeof child, "%u", 100000 + rnd(400));
	when(start, sizeof start, day, mins, dated);
	if (rnd(10)) {
		/* A few last 20 years: too long for an entry to hold, so their cells keep them for the medians. */
		int64_t eday = day + (rnd(200) == 0 ? 7305 + rnd(30) : rnd(4));
		int emins = (int)rnd(1440);
		if (eday == day && emins < mins)
			emins = mins;
		when(end, sizeof end, eday, emins, dated || rnd(10) == 0);
		if (rnd(2))
			when(held, sizeof held, eday + rnd(6), (int)rnd(1440), rnd(5) == 0);
	}
	if (early)
		held[0] = '\0';
	snprintf(b, sz, "%d,%s,%s,%s,%s,2010-0%u-15,E%03u,%s,%s,%s,%s,%s,%s,%s,E1,%s", i, child, types[rnd(3)], start,
		 end, 1 + rnd(9), i < NEPISODES / 2 ? 0 : rnd(300), care[rnd(4)], early ? "" : rnd(2) ? "Y" : "N",
		 early ? "" : rnd(3) ? "Y" : "", held, early ? "" : rnd(6) == 0 ? "declined_child" : "",
		 early ? "early" : src[rnd(3)], resp[rnd(4)], early ? "female" : "");
}

/* The engines: the first reads dob (the store's first engine gives every engine's view of dob). */
static void
configs(mp_stats_config *c, int *n)
{
	*n = 0;
	mp_stats_config_init(&c[*n]);
	c[*n].by = MP_BY_NONE;
	c[*n].groups[c[*n].ngroups++] = MP_STATS_AGE_BAND;
	c[(*n)++].now = (int64_t)mp_days_from_civil(2026, 1, 1) * 86400;
	mp_stats_config_init(&c[*n]);	/* totals of a range by sex (set only before it), recurrence and medians */
	c[*n].by = MP_BY_NONE;
	c[*n].groups[c[*n].ngroups++] = "sex";
	c[*n].has_from = c[*n].has_to = 1;
	c[*n].from_day = mp_days_from_civil(2024, 4, 1);
	c[*n].to_day = mp_days_from_civil(2025, 3, 31);
	c[(*n)++].now = (int64_t)mp_days_from_civil(2025, 4, 10) * 86400;
	mp_stats_config_init(&c[*n]);	/* months by ethnicity: more than 253 cells, episodes after --to kept */
	c[*n].groups[c[*n].ngroups++] = "ethnicity";
	c[*n].has_from = c[*n].has_to = 1;
	c[*n].from_day = mp_days_from_civil(2024, 3, 1);
	c[*n].to_day = mp_days_from_civil(2025, 6, 30);
	c[*n].total = 1;	/* and medians: thousands of rows, more than a sweep of the store's selection serves */
	c[(*n)++].now = (int64_t)mp_days_from_civil(2026, 1, 1) * 86400;
	mp_stats_config_init(&c[*n]);	/* quarters by care status, children placed here */
	c[*n].by = MP_BY_FQ;
	c[*n].groups[c[*n].ngroups++] = "care_status";
	c[*n].children = MP_CHILDREN_PLACED_HERE;
	c[*n].no_recurrence = 1;
	c[(*n)++].now = (int64_t)mp_days_from_civil(2026, 1, 1) * 86400;
	for (int k = 0; k < *n; k++)
		c[k].within_hours = 72;
}

static int
same_row(const mp_stats_row *a, const mp_stats_row *b, int ng)
{
	if (strcmp(a->period, b->period) || a->is_total != b->is_total || a->first_day != b->first_day ||
	    a->last_day != b->last_day || a->median_tenths != b->median_tenths ||
	    memcmp(a->n, b->n, sizeof a->n))
		return 0;
	for (int g = 0; g < ng; g++)
		if (strcmp(a->group[g], b->group[g]))
			return 0;
	return 1;
}

/* The children by the number the store is given: their ids and their episodes' UK local start days. */
#define MAXCHILD 1000
#define MAXEP 128
static struct {
	char id[32];
	int64_t day[MAXEP];
	int nday, visits;
} kid[MAXCHILD];
static int nkid;

static uint32_t
child_number(mp_field id, int64_t day)
{
	int i;
	for (i = 0; i < nkid && !(strlen(kid[i].id) == id.len && memcmp(kid[i].id, id.s, id.len) == 0); i++)
		;
	if (i == nkid) {
		if (nkid == MAXCHILD || id.len >= sizeof kid[i].id)
			abort();
		memcpy(kid[nkid++].id, id.s, id.len);
	}
	if (kid[i].nday == MAXEP)
		abort();
	kid[i].day[kid[i].nday++] = day;
	return (uint32_t)i;
}

/* What the visits saw, a thread each. */
static struct {
	long counted[2], unsorted, unknown, foreign;
} seen[64];

static void
visit(void *arg, int part, uint32_t child, const mp_stats_seen *ep, size_t n)
{
	(void)arg;
	if (child >= (uint32_t)nkid) {
		seen[part].unknown++;
		return;
	}
	kid[child].visits++;
	for (size_t i = 0; i < n; i++) {
		seen[part].unsorted += i && ep[i].day < ep[i - 1].day;
		for (int j = 0; j < 2; j++)
			seen[part].counted[j] += ep[i].counted >> j & 1;
		int known = 0;
		for (int k = 0; k < kid[child].nday; k++)
			known |= kid[child].day[k] == ep[i].day;
		seen[part].foreign += !known;
	}
}

/* The episodes an engine counted: its rows' (none is a total row here but the months engine's). */
static long
episodes_counted(const mp_stats *st)
{
	long n = 0;
	for (size_t i = 0; i < mp_stats_nrows(st); i++)
		if (!mp_stats_row_at(st, i)->is_total)
			n += mp_stats_row_at(st, i)->n[MP_ST_EPISODES];
	return n;
}

/* The visit's checks, after the store's finish (engines 1 and 3 visited). */
static void
check_visits(mp_stats *const *shared)
{
	long counted[2] = { 0, 0 }, unsorted = 0, unknown = 0, foreign = 0;
	int once = 1, visited = 0;

	for (int t = 0; t < 64; t++) {
		counted[0] += seen[t].counted[0];
		counted[1] += seen[t].counted[1];
		unsorted += seen[t].unsorted;
		unknown += seen[t].unknown;
		foreign += seen[t].foreign;
	}
	for (int i = 0; i < nkid; i++) {
		once &= kid[i].visits <= 1;
		visited += kid[i].visits;
	}
	TAP_OK(once && visited > nkid / 2 && !unknown, "the visit is told each child once, by its number (%d of %d)",
	       visited, nkid);
	TAP_OK(!unsorted && !foreign, "the visit is told each child's episodes in order, on their UK local days");
	TAP_OK(counted[0] == episodes_counted(shared[1]) && counted[0] > 0,
	       "the visit is told the episodes engine 1 counts (%ld, it counts %ld)", counted[0],
	       episodes_counted(shared[1]));
	TAP_OK(counted[1] == episodes_counted(shared[3]) && counted[1] > 0,
	       "the visit is told the episodes engine 3 counts (%ld, it counts %ld)", counted[1],
	       episodes_counted(shared[3]));
}

/* Whether engine a (alone) and b (through the store) say the same. */
static void
compare(const mp_stats *a, const mp_stats *b, int k)
{
	size_t n = mp_stats_nrows(a), bad = 0;
	long ea = 0, eb = 0;

	TAP_OK(n == mp_stats_nrows(b), "engine %d: %zu rows alone, %zu through the store", k, n, mp_stats_nrows(b));
	for (size_t i = 0; i < n && n == mp_stats_nrows(b); i++)
		bad += !same_row(mp_stats_row_at(a, i), mp_stats_row_at(b, i), mp_stats_ngroups(a));
	TAP_OK(bad == 0, "engine %d: every row the same (%zu differ)", k, bad);
	int rec = 1;
	for (int c = 0; c < MP_ST_NCOUNTS; c++)
		rec &= mp_stats_recorded(a, (enum mp_stats_count)c) == mp_stats_recorded(b, (enum mp_stats_count)c);
	TAP_OK(rec, "engine %d: the same figures recorded", k);
	int notes = 1;
	for (size_t i = 0; mp_stats_note(a, i) || mp_stats_note(b, i); i++)
		notes &= mp_stats_note(a, i) && mp_stats_note(b, i) && strcmp(mp_stats_note(a, i), mp_stats_note(b, i)) == 0;
	TAP_OK(notes, "engine %d: the same notes", k);
	TAP_OK(mp_stats_left_out(a) == mp_stats_left_out(b) && strcmp(mp_stats_la(a), mp_stats_la(b)) == 0,
	       "engine %d: the same council and episodes left out", k);
	int srcs = 1, any = 0;
	const char *sa, *sb;
	for (size_t i = 0; (sa = mp_stats_unrecorded_source(a, i, &ea)), (sb = mp_stats_unrecorded_source(b, i, &eb)),
			   sa || sb; i++)
		srcs &= sa && sb && strcmp(sa, sb) == 0 && ea == eb, any = 1;
	TAP_OK(srcs && any, "engine %d: the same sources that record no interview, with their eligible episodes", k);
}

int
main(void)
{
	mp_stats_config cfg[8];
	mp_stats *alone[8], *shared[8];
	mp_stats_store *sto = mp_stats_store_new();
	char hb[sizeof header], line[512], err[256], msg[256];
	mp_field hf[MAXF], f[MAXF];
	mp_record h, r;
	mp_colmap cm;
	int n;

	mp_set_program((char *[]){ "stats_store", NULL });
	mp_tz_init(NULL);
	memcpy(hb, header, sizeof header);
	test_record(&h, hf, hb, MAXF);
	mp_colmap_bind(&cm, &h);
	configs(cfg, &n);
	for (int k = 0; k < n; k++) {
		alone[k] = mp_stats_new(&cfg[k]);
		shared[k] = mp_stats_new(&cfg[k]);
		if (mp_stats_bind(alone[k], &h, err, sizeof err) || mp_stats_bind(shared[k], &h, err, sizeof err)) {
			TAP_OK(0, "engine %d binds: %s", k, err);
			return tap_done();
		}
		mp_stats_store_attach(sto, shared[k]);
	}
	mp_stats_store_visit(sto, (mp_stats *[]){ shared[1], shared[3] }, 2, visit, NULL);
	long bad_alone = 0, bad_shared = 0;
	for (int i = 0; i < NEPISODES; i++) {
		const char *col;
		mp_episode e;
		mp_stats_ep ep;
		episode(line, sizeof line, i);
		test_record(&r, f, line, MAXF);
		for (int k = 0; k < n; k++)
			bad_alone += k == 0 && mp_stats_add_record(alone[k], &r, &col, msg, sizeof msg) == MP_STATS_BAD;
		for (int k = 1; k < n; k++)
			mp_stats_add_record(alone[k], &r, &col, msg, sizeof msg);
		if (mp_episode_decode(&cm, &r, &e, &col, msg, sizeof msg) ||
		    mp_stats_episode(shared[0], &e, &r, &ep, &col, msg, sizeof msg) ||
		    mp_stats_store_add(sto, &r, &ep, child_number(e.child, mp_local_day(&e.start)), &col, msg,
				       sizeof msg) == MP_STATS_BAD)
			bad_shared++;
	}
	TAP_OK(bad_alone == bad_shared, "the same episodes rejected (%ld alone, %ld through the store)", bad_alone,
	       bad_shared);
	for (int k = 0; k < n; k++)
		mp_stats_finish(alone[k], 2);
	TAP_OK(mp_stats_store_finish(sto, 2, err, sizeof err) == 0, "the store finishes");
	for (int k = 0; k < n; k++)
		compare(alone[k], shared[k], k);
	check_visits(shared);
	TAP_OK(mp_stats_nrows(shared[2]) > 254, "the ethnicity engine has more than 253 cells (%zu rows)",
	       mp_stats_nrows(shared[2]));
	mp_stats_store_free(sto);
	for (int k = 0; k < n; k++) {
		mp_stats_free(alone[k]);
		mp_stats_free(shared[k]);
	}
	return tap_done();
}
