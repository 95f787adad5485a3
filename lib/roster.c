/* roster.c: roster rows read through a map, grouped by child and ordered by the day they start. */
#include "roster.h"
#include "err.h"
#include "intern.h"
#include "map.h"
#include "share.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const enum mp_col mp_roster_cols[MP_ROSTER_NCOLS] = {
	MP_COL_DOB, MP_COL_SEX, MP_COL_ETHNICITY, MP_COL_SEND, MP_COL_CARE_STATUS,
	MP_COL_PLACEMENT, MP_COL_ALLOCATED, MP_COL_RESPONSIBLE_LA,
};

struct mp_roster_entry {
	uint32_t child;
	long line;
	int64_t from, to;			/* INT64_MIN / INT64_MAX when open */
	size_t off[MP_ROSTER_NCOLS];		/* values in the arena */
	uint32_t len[MP_ROSTER_NCOLS];
};

struct mp_roster {
	mp_intern *kids;
	mp_roster_entry *e;
	size_t n, cap;
	size_t *first;		/* by child id: its entries are e[first[id] .. first[id + 1]) */
	char *arena;
	size_t alen, acap;
	unsigned carried;	/* bit k: mp_roster_cols[k] has a value somewhere */
};

struct load {
	mp_roster *r;
	const char *file;
};

static void
problem(void *ctx, long line, const char *field, int level, const char *msg)
{
	const struct load *ld = ctx;

	mp_data_msg(ld->file, line, field, "%s%s", level == MP_PROBLEM_WARNING ? "warning: " : "", msg);
}

/* A roster map by name (share/schemas/roster/NAME.map) or path; NULL when there is none. */
static mp_map *
open_map(const char *name, int *unknown)
{
	size_t n = strlen(name);
	char rel[300];

	*unknown = 0;
	if (strchr(name, '/') || (n > 4 && strcmp(name + n - 4, ".map") == 0))
		return mp_map_load(name);
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			*unknown = 1;
	if (!*unknown && n < 200) {
		snprintf(rel, sizeof rel, "schemas/roster/%s.map", name);
		const char *path = mp_share_path(rel);
		if (!path)
			return NULL;	/* said; not unknown */
		FILE *fp = fopen(path, "r");
		if (fp) {
			fclose(fp);
			return mp_map_load(path);
		}
	}
	*unknown = 1;
	return NULL;
}

/* Copy a value into the arena; its offset. */
static size_t
keep(mp_roster *r, const char *s, size_t len)
{
	size_t at = r->alen;

	r->arena = mp_xgrow(r->arena, &r->acap, at + len + 1, 1);
	memcpy(r->arena + at, s, len);
	r->arena[at + len] = '\0';	/* fields are NUL-terminated */
	r->alen += len + 1;
	return at;
}

/* One mapped row into an entry; -1 after a message when it cannot be used. */
static int
add_row(mp_roster *r, const char *file, const mp_row *row)
{
	mp_field child = row->v[MP_COL_CHILD_ID];
	mp_roster_entry e = { 0 };

	if (child.len == 0) {
		mp_data_msg(file, row->line, "child_id", "required value is empty");
		return -1;
	}
	e.line = row->line;
	e.from = row->has_t[MP_MAP_FROM] ? row->t[MP_MAP_FROM].day : INT64_MIN;
	e.to = row->has_t[MP_MAP_TO] ? row->t[MP_MAP_TO].day : INT64_MAX;
	if (e.to < e.from) {
		mp_data_msg(file, row->line, "to", "'%s' is before the row's first day '%s'",
			    mp_show(row->v[MP_MAP_TO].s, row->v[MP_MAP_TO].len),
			    mp_show(row->v[MP_MAP_FROM].s, row->v[MP_MAP_FROM].len));
		return -1;
	}
	e.child = mp_intern_add(r->kids, child.s, child.len, NULL);
	for (int k = 0; k < MP_ROSTER_NCOLS; k++) {
		mp_field v = row->v[mp_roster_cols[k]];
		e.off[k] = keep(r, v.s, v.len);
		e.len[k] = (uint32_t)v.len;
		if (v.len)
			r->carried |= 1u << k;
	}
	r->e = mp_xgrow(r->e, &r->cap, r->n + 1, sizeof *r->e);
	r->e[r->n++] = e;
	return 0;
}

static int
entry_cmp(const void *pa, const void *pb)
{
	const mp_roster_entry *a = pa, *b = pb;

	if (a->child != b->child)
		return a->child < b->child ? -1 : 1;
	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

/* Entries by child, then start: first[] indexes each child's run. */
static void
index_entries(mp_roster *r)
{
	size_t nkids = mp_intern_count(r->kids);

	if (r->n)
		qsort(r->e, r->n, sizeof *r->e, entry_cmp);
	r->first = mp_xcalloc(nkids + 1, sizeof *r->first);
	for (size_t i = 0; i < r->n; i++)
		r->first[r->e[i].child + 1]++;
	for (size_t k = 0; k < nkids; k++)
		r->first[k + 1] += r->first[k];
}

/* Read every row of an opened roster; the counts as mp_roster_load's. */
static void
read_rows(mp_roster *r, mp_reader *rd, mp_binding *b, long *read, long *rejected)
{
	struct load ld = { r, mp_reader_name(rd) };
	mp_record *rec;
	mp_row row;
	int st;

	while ((st = mp_reader_next(rd, &rec)) != MP_READ_EOF) {
		if (st == MP_READ_BAD) {
			(*read)++;
			(*rejected)++;
			mp_data_msg(ld.file, mp_reader_bad_line(rd), mp_reader_bad_field(rd), "%s", mp_reader_bad_msg(rd));
			continue;
		}
		if (mp_record_blank(rec))
			continue;
		(*read)++;
		if (mp_map_row(b, rec, &row, 0, problem, &ld) != 0 || add_row(r, ld.file, &row) != 0)
			(*rejected)++;
	}
}

mp_roster *
mp_roster_load(const char *path, const char *mapname, enum mp_format fmt, enum mp_encoding enc,
	       long *read, long *rejected, int *unknown_map)
{
	*read = *rejected = 0;
	mp_map *map = open_map(mapname ? mapname : "canonical", unknown_map);
	if (!map)
		return NULL;
	mp_reader *rd = mp_reader_open(path, fmt, enc);
	if (!rd) {
		mp_warn("%s:", path);
		mp_map_free(map);
		return NULL;
	}
	const mp_record *h = mp_reader_header(rd);
	mp_binding *b = NULL;
	if (!h) {
		const char *why = mp_reader_bad_msg(rd);
		mp_data_msg(mp_reader_name(rd), 1, NULL, "%s", why && *why ? why : "no header: the roster is empty");
	} else {
		b = mp_map_bind(map, h, mp_reader_name(rd));
	}
	mp_roster *r = NULL;
	if (b) {
		r = mp_xcalloc(1, sizeof *r);
		r->kids = mp_intern_new();
		read_rows(r, rd, b, read, rejected);
		index_entries(r);
	}
	mp_binding_free(b);
	mp_reader_close(rd);
	mp_map_free(map);
	return r;
}

void
mp_roster_free(mp_roster *r)
{
	if (!r)
		return;
	mp_intern_free(r->kids);
	free(r->e);
	free(r->first);
	free(r->arena);
	free(r);
}

int
mp_roster_carries(const mp_roster *r, enum mp_col c)
{
	for (int k = 0; k < MP_ROSTER_NCOLS; k++)
		if (mp_roster_cols[k] == c)
			return (r->carried >> k) & 1;
	return 0;
}

const mp_roster_entry *
mp_roster_find(const mp_roster *r, const char *child, size_t len, int64_t day, int *known)
{
	uint32_t id = mp_intern_find(r->kids, child, len);
	const mp_roster_entry *best = NULL;

	*known = id != MP_INTERN_NONE;
	if (!*known)
		return NULL;
	/* Sorted by start: the last in force is the latest to start. */
	for (size_t i = r->first[id]; i < r->first[id + 1]; i++)
		if (r->e[i].from <= day && day <= r->e[i].to)
			best = &r->e[i];
	return best;
}

mp_field
mp_roster_value(const mp_roster *r, const mp_roster_entry *e, enum mp_col c)
{
	mp_field v = { "", 0 };

	for (int k = 0; k < MP_ROSTER_NCOLS; k++)
		if (mp_roster_cols[k] == c) {
			v.s = r->arena + e->off[k];
			v.len = e->len[k];
		}
	return v;
}
