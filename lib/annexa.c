/*
 * annexa.c: Annex A List 8 from the episodes: counts per child in the 12
 * months to --as-of, the last missing episode's interview, and the list
 * rows written back with those four columns.
 */
#include "annexa.h"
#include "alert.h"
#include "err.h"
#include "intern.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const mp_annexa_columns[MP_ANNEXA_NCOLS] = {
	"Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
	"Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
	"Was the child offered a Return Interview after their last missing episode (Y/N)?",
	"Did the child accept a Return Interview after their last missing episode (Y/N)?",
};

/* What is known of one child with episodes in the window (kids[its id in the table]). */
struct child {
	long missing, absent;
	int64_t last_start;	/* the latest missing episode's start (UTC) */
	char offered, accepted;	/* as recorded on it: 'Y', 'N' or 0 */
	unsigned char has_missing, lac, listed;
	long line;		/* where its first episode in the window is */
};

struct mp_annexa {
	int64_t from, to;	/* the window, local days, inclusive */
	mp_intern *ids;		/* child id -> index into kids */
	struct child *kids;
	size_t cap;
};

int64_t
mp_annexa_window_start(int64_t as_of)
{
	int y, m, d;

	mp_civil_from_days(as_of, &y, &m, &d);
	/* A year back, the same day of the month, or the month's last day (29 February). */
	if (d > mp_days_in_month(y - 1, m))
		d = mp_days_in_month(y - 1, m);
	return mp_days_from_civil(y - 1, m, d) + 1;
}

mp_annexa *
mp_annexa_new(int64_t as_of)
{
	mp_annexa *a = mp_xcalloc(1, sizeof *a);

	a->from = mp_annexa_window_start(as_of);
	a->to = as_of;
	a->ids = mp_intern_new();
	return a;
}

void
mp_annexa_free(mp_annexa *a)
{
	if (!a)
		return;
	free(a->kids);
	mp_intern_free(a->ids);
	free(a);
}

/* A field without the spaces around it. */
static mp_field
trim(mp_field f)
{
	while (f.len && isspace((unsigned char)f.s[0]))
		f.s++, f.len--;
	while (f.len && isspace((unsigned char)f.s[f.len - 1]))
		f.len--;
	return f;
}

/* The child with this id, added when create is set; NULL when absent. */
static struct child *
find(mp_annexa *a, mp_field id, int create)
{
	uint32_t k;
	int added;

	if (!create) {
		k = mp_intern_find(a->ids, id.s, id.len);
		return k == MP_INTERN_NONE ? NULL : &a->kids[k];
	}
	k = mp_intern_add(a->ids, id.s, id.len, &added);
	if (added) {
		a->kids = mp_xgrow(a->kids, &a->cap, (size_t)k + 1, sizeof *a->kids);
		memset(&a->kids[k], 0, sizeof a->kids[k]);
	}
	return &a->kids[k];
}

/* A Y/N flag as recorded (the decoder has checked it): 'Y', 'N', or 0 for empty. */
static char
flag(mp_field f)
{
	return f.len == 1 ? f.s[0] : 0;
}

int
mp_annexa_episode(mp_annexa *a, const mp_colmap *cm, const mp_record *rec, const char **field, char *msg,
		  size_t msgsz)
{
	mp_field off = mp_get(cm, rec, MP_COL_RHI_OFFERED), acc = mp_get(cm, rec, MP_COL_RHI_ACCEPTED);
	mp_field cs = mp_get(cm, rec, MP_COL_CARE_STATUS);
	mp_episode ep;
	int64_t day;

	if (mp_episode_decode(cm, rec, &ep, field, msg, msgsz))
		return -1;
	day = mp_local_day(&ep.start);
	if (day < a->from || day > a->to)
		return 0;
	struct child *c = find(a, trim(ep.child), 1);
	if (c->missing + c->absent == 0)
		c->line = rec->line;
	c->lac |= cm->idx[MP_COL_CARE_STATUS] < 0 || (cs.len == 3 && memcmp(cs.s, "lac", 3) == 0);
	if (ep.type != MP_EP_MISSING) {
		c->absent++;
		return 0;
	}
	c->missing++;
	/* The last missing episode: the latest start; of equal starts, the later row. */
	if (!c->has_missing || ep.start.utc >= c->last_start) {
		c->has_missing = 1;
		c->last_start = ep.start.utc;
		c->offered = flag(off);
		c->accepted = flag(acc);
	}
	return 0;
}

/* Does the name match /child.*id/i? */
static int
child_id_name(const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if (strncasecmp(p, "child", 5) == 0)
			break;
	if (!*p)
		return 0;
	for (p += 5; *p; p++)
		if (strncasecmp(p, "id", 2) == 0)
			return 1;
	return 0;
}

int
mp_annexa_id_column(const mp_record *header, const char *name)
{
	for (size_t i = 0; i < header->n; i++)
		if (name ? strcmp(header->f[i].s, name) == 0 : child_id_name(header->f[i].s))
			return (int)i;
	return -1;
}

/* Names equal when only their letters and digits are compared, ignoring case. */
static int
loose_eq(const char *a, const char *b)
{
	for (;;) {
		while (*a && !isalnum((unsigned char)*a))
			a++;
		while (*b && !isalnum((unsigned char)*b))
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (tolower((unsigned char)*a++) != tolower((unsigned char)*b++))
			return 0;
	}
}

void
mp_annexa_find_columns(const mp_record *header, int idx[MP_ANNEXA_NCOLS])
{
	for (int k = 0; k < MP_ANNEXA_NCOLS; k++) {
		idx[k] = -1;
		for (size_t i = 0; i < header->n && idx[k] < 0; i++)
			if (loose_eq(header->f[i].s, mp_annexa_columns[k]))
				idx[k] = (int)i;
	}
}

void
mp_annexa_write_header(mp_writer *w, const mp_record *header, const int idx[MP_ANNEXA_NCOLS])
{
	for (size_t i = 0; i < header->n; i++)
		mp_writer_field(w, header->f[i].s, header->f[i].len);
	for (int k = 0; k < MP_ANNEXA_NCOLS; k++)
		if (idx[k] < 0)
			mp_writer_str(w, mp_annexa_columns[k]);
	mp_writer_end(w);
}

int
mp_annexa_write_row(mp_annexa *a, mp_writer *w, const mp_record *rec, int idcol, const int idx[MP_ANNEXA_NCOLS])
{
	mp_field id = trim((size_t)idcol < rec->n ? rec->f[idcol] : (mp_field){ "", 0 });
	struct child *c = id.len ? find(a, id, 0) : NULL;
	char num[2][24], yn[2][2] = { { 0 }, { 0 } };
	mp_field v[MP_ANNEXA_NCOLS] = { { "", 0 }, { "", 0 }, { "", 0 }, { "", 0 } };

	if (id.len) {
		v[0].len = (size_t)snprintf(num[0], sizeof num[0], "%ld", c ? c->missing : 0L);
		v[1].len = (size_t)snprintf(num[1], sizeof num[1], "%ld", c ? c->absent : 0L);
		v[0].s = num[0];
		v[1].s = num[1];
		yn[0][0] = c ? c->offered : 0;
		yn[1][0] = c ? c->accepted : 0;
		v[2] = (mp_field){ yn[0], strlen(yn[0]) };
		v[3] = (mp_field){ yn[1], strlen(yn[1]) };
		if (c)
			c->listed = 1;
	}
	for (size_t i = 0; i < rec->n; i++) {
		int k;
		for (k = 0; k < MP_ANNEXA_NCOLS && idx[k] != (int)i; k++)
			;
		mp_field f = k < MP_ANNEXA_NCOLS ? v[k] : rec->f[i];
		mp_writer_field(w, f.s, f.len);
	}
	for (int k = 0; k < MP_ANNEXA_NCOLS; k++)
		if (idx[k] < 0)
			mp_writer_field(w, v[k].s, v[k].len);
	mp_writer_end(w);
	return id.len ? 0 : -1;
}

long
mp_annexa_unlisted(const mp_annexa *a,
		   void (*fn)(void *ctx, mp_field child, long missing, long absent, long line),
		   void *ctx)
{
	long n = 0;

	for (uint32_t i = 0; i < mp_intern_count(a->ids); i++) {
		const struct child *c = &a->kids[i];
		mp_field id;
		if (c->listed || !c->lac)
			continue;
		id.s = mp_intern_key(a->ids, i, &id.len);
		fn(ctx, id, c->missing, c->absent, c->line);
		n++;
	}
	return n;
}
