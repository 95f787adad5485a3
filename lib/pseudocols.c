/* pseudocols.c: the column plan of mp-pseudo, from the command line and a header, applied to rows. */
#include "pseudocols.h"
#include "err.h"
#include "mptime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A column named on the command line, and whether the header has it. */
struct name {
	char *col;
	const char *kind;	/* domain of a pseudonym (--columns) */
	int seen;
};

struct names {
	struct name *v;
	size_t n, cap;
};

enum act { KEEP, DROP, EXTRA, PSEUDO, DOB, EPISODE };

struct col {
	enum act act;
	const char *domain;
};

struct mp_pcols {
	struct names list[MP_PCOLS_NLISTS];
	enum mp_dob_mode dob;
	int derive;		/* -1 unless given */
	int defaults;		/* --columns not given: child_id, police_ref if present */
	struct col *cols;
	char (*dobs)[16];	/* a row's degraded dates of birth, by column */
	const mp_record *hdr;
	long replaced;
};

static const char *const opt_names[MP_PCOLS_NLISTS] = { "--columns", "--drop", "--keep-extra" };

mp_pcols *
mp_pcols_new(void)
{
	mp_pcols *p = mp_xcalloc(1, sizeof *p);

	p->derive = -1;
	return p;
}

void
mp_pcols_free(mp_pcols *p)
{
	if (!p)
		return;
	for (int i = 0; i < MP_PCOLS_NLISTS; i++)
		free(p->list[i].v);
	free(p->cols);
	free(p->dobs);
	free(p);
}

void mp_pcols_dob(mp_pcols *p, enum mp_dob_mode mode) { p->dob = mode; }
void mp_pcols_episode(mp_pcols *p, int derive) { p->derive = derive; }
long mp_pcols_replaced(const mp_pcols *p) { return p->replaced; }

static void
push(struct names *list, char *col, const char *kind)
{
	list->v = mp_xgrow(list->v, &list->cap, list->n + 1, sizeof *list->v);
	list->v[list->n++] = (struct name){ col, kind, 0 };
}

int
mp_pcols_add(mp_pcols *p, enum mp_pcols_list which, char *arg, char *msg, size_t msgsz)
{
	const char *opt = opt_names[which];
	size_t n = strlen(arg);
	char *save = NULL;

	if (!n) {
		snprintf(msg, msgsz, "%s: no column named", opt);
		return -1;
	}
	/* strtok would skip an empty item silently */
	if (arg[0] == ',' || arg[n - 1] == ',' || strstr(arg, ",,")) {
		snprintf(msg, msgsz, "%s: empty column name in '%s'", opt, arg);
		return -1;
	}
	for (char *s = arg;; s = NULL) {
		char *col = strtok_r(s, ",", &save);
		if (!col)
			break;
		char *eq = which == MP_PCOLS_COLUMNS ? strchr(col, '=') : NULL;
		if (eq && (eq == col || !eq[1])) {
			snprintf(msg, msgsz, "%s: '%s' needs a column name and a kind (COL=KIND)", opt, col);
			return -1;
		}
		if (eq)
			*eq++ = '\0';
		push(&p->list[which], col, eq ? eq : col);
	}
	return 0;
}

/* The entry for col in list, or NULL. */
static struct name *
find(const struct names *list, const char *col)
{
	for (size_t i = 0; i < list->n; i++)
		if (strcmp(list->v[i].col, col) == 0)
			return &list->v[i];
	return NULL;
}

/* The first conflict between the lists and the dob and episode-id choices, in msg; 0 when none. */
static int
conflict(const mp_pcols *p, char *msg, size_t msgsz)
{
	const struct names *pseudo = &p->list[MP_PCOLS_COLUMNS], *drop = &p->list[MP_PCOLS_DROP];

	for (size_t i = 0; i < drop->n; i++) {
		const char *c = drop->v[i].col;
		if (find(pseudo, c) && !p->defaults)
			return snprintf(msg, msgsz, "%s is named by both --columns and --drop", c), -1;
		if (p->dob != MP_DOB_KEEP && strcmp(c, "dob") == 0)
			return snprintf(msg, msgsz, "dob is named by --drop; --dob would degrade it"), -1;
		if (p->derive == 1 && strcmp(c, "episode_id") == 0)
			return snprintf(msg, msgsz, "episode_id is named by --drop; --episode-id derive would replace it"), -1;
		if (find(&p->list[MP_PCOLS_KEEP_EXTRA], c))
			return snprintf(msg, msgsz, "%s is named by both --keep-extra and --drop", c), -1;
	}
	if (p->dob != MP_DOB_KEEP && find(pseudo, "dob"))
		return snprintf(msg, msgsz, "dob is named by --columns; --dob would degrade it"), -1;
	if (p->derive == 1 && find(pseudo, "episode_id"))
		return snprintf(msg, msgsz, "episode_id is named by --columns; --episode-id derive already replaces it"),
		       -1;
	return 0;
}

int
mp_pcols_ready(mp_pcols *p, char *msg, size_t msgsz)
{
	static char c1[] = "child_id", c2[] = "police_ref";

	p->defaults = p->list[MP_PCOLS_COLUMNS].n == 0;
	if (p->defaults) {
		push(&p->list[MP_PCOLS_COLUMNS], c1, c1);
		push(&p->list[MP_PCOLS_COLUMNS], c2, c2);
	}
	return conflict(p, msg, msgsz);
}

/* Report a named column the header lacks; returns 1 when one was missing. */
static int
check_seen(const struct names *list, const char *opt, const char *file, long line)
{
	int missing = 0;

	for (size_t i = 0; i < list->n; i++)
		if (!list->v[i].seen) {
			mp_data_msg(file, line, list->v[i].col, "not in the header (named by %s)", opt);
			missing = 1;
		}
	return missing;
}

/* The action for header name h; marks the names it uses as seen. */
static struct col
classify(mp_pcols *p, const mp_schema *schema, const char *h)
{
	struct name *nm;
	struct col c = { KEEP, NULL };

	if ((nm = find(&p->list[MP_PCOLS_DROP], h)))
		nm->seen = 1, c.act = DROP;
	else if ((nm = find(&p->list[MP_PCOLS_COLUMNS], h)))
		nm->seen = 1, c = (struct col){ PSEUDO, nm->kind };
	else if (p->derive == 1 && strcmp(h, "episode_id") == 0)
		c = (struct col){ PSEUDO, "episode_id" };
	else if (p->derive == -1 && strcmp(h, "episode_id") == 0)
		c = (struct col){ EPISODE, "episode_id" };
	else if (p->dob != MP_DOB_KEEP && strcmp(h, "dob") == 0)
		c.act = DOB;
	else if (mp_schema_find(schema, h) < 0 && !find(&p->list[MP_PCOLS_KEEP_EXTRA], h))
		c.act = EXTRA;
	if ((nm = find(&p->list[MP_PCOLS_KEEP_EXTRA], h)))
		nm->seen = 1;
	return c;
}

int
mp_pcols_bind(mp_pcols *p, const mp_schema *schema, const mp_record *hdr, const char *file,
	      size_t *nextra, char **extra)
{
	int has_dob = 0, has_episode = 0, npseudo = 0;

	p->hdr = hdr;
	p->cols = mp_xcalloc(hdr->n ? hdr->n : 1, sizeof *p->cols);
	p->dobs = mp_xcalloc(hdr->n ? hdr->n : 1, sizeof *p->dobs);
	*nextra = 0;
	*extra = NULL;
	for (size_t i = 0; i < hdr->n; i++) {
		struct col c = classify(p, schema, hdr->f[i].s);
		p->cols[i] = c;
		npseudo += c.act == PSEUDO && strcmp(hdr->f[i].s, "episode_id") != 0;
		has_episode |= c.act == PSEUDO && p->derive == 1 && strcmp(hdr->f[i].s, "episode_id") == 0;
		has_dob |= c.act == DOB;
		if (c.act == EXTRA) {
			(*nextra)++;
			mp_show_append(extra, hdr->f[i].s, hdr->f[i].len);
		}
	}
	int bad = check_seen(&p->list[MP_PCOLS_DROP], "--drop", file, hdr->line) |
		  check_seen(&p->list[MP_PCOLS_KEEP_EXTRA], "--keep-extra", file, hdr->line);
	if (!p->defaults)
		bad |= check_seen(&p->list[MP_PCOLS_COLUMNS], "--columns", file, hdr->line);
	else if (npseudo == 0) {
		mp_data_msg(file, hdr->line, NULL, "neither child_id nor police_ref is in the header;"
			    " name the columns to pseudonymise with --columns");
		bad = 1;
	}
	if (p->dob != MP_DOB_KEEP && !has_dob) {
		mp_data_msg(file, hdr->line, "dob", "not in the header (needed by --dob)");
		bad = 1;
	}
	if (p->derive == 1 && !has_episode) {
		mp_data_msg(file, hdr->line, "episode_id", "not in the header (needed by --episode-id derive)");
		bad = 1;
	}
	return bad ? -1 : 0;
}

void
mp_pcols_header(const mp_pcols *p, mp_writer *w)
{
	for (size_t i = 0; i < p->hdr->n; i++)
		if (p->cols[i].act != DROP && p->cols[i].act != EXTRA)
			mp_writer_field(w, p->hdr->f[i].s, p->hdr->f[i].len);
	mp_writer_end(w);
}

/*
 * Whether an episode id has the form mp-import gives the ids it derives
 * from the child id and start (sources without ids, such as the 903):
 * SOURCE-HHHHHHHHHHHHHHHH, SOURCE being 1 to 40 of [a-z0-9_] and H
 * lowercase hex.  Kept, such an id would let anyone test a guess of the
 * child id by hashing it with the start.
 */
static int
import_derived(const mp_field *f)
{
	size_t n = f->len;

	if (n < 18 || n > 57 || f->s[n - 17] != '-')
		return 0;
	for (size_t i = n - 16; i < n; i++)
		if (!strchr("0123456789abcdef", f->s[i]) || !f->s[i])
			return 0;
	for (size_t i = 0; i < n - 17; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789_", f->s[i]) || !f->s[i])
			return 0;
	return 1;
}

/* Every date of birth of rec degraded into d[i] (16 bytes each); -1 after a message for one that is not a date. */
static int
degrade_dobs(const mp_pcols *p, const mp_record *rec, const char *file, char (*d)[16])
{
	for (size_t i = 0; i < rec->n; i++) {
		const mp_field *f = &rec->f[i];
		const char *why;
		mp_time t;
		d[i][0] = '\0';
		if (p->cols[i].act != DOB || f->len == 0)
			continue;
		if (mp_date_parse(f->s, f->len, &t, &why)) {
			mp_data_msg(file, rec->line, p->hdr->f[i].s, "'%s': %s", mp_show(f->s, f->len), why);
			return -1;
		}
		snprintf(d[i], 16, "%04d-%02d-01", t.y, p->dob == MP_DOB_MONTH ? t.mo : 1);
	}
	return 0;
}

static void
write_pseudonym(const mp_pseudo *ps, const char *domain, const mp_field *f, mp_writer *w)
{
	char pn[MP_PSEUDO_LEN + 1];

	if (f->len == 0) {
		mp_writer_field(w, "", 0);
		return;
	}
	mp_pseudo_make(ps, domain, f->s, f->len, pn);
	mp_writer_field(w, pn, MP_PSEUDO_LEN);
}

int
mp_pcols_row(mp_pcols *p, const mp_pseudo *ps, const mp_record *rec, const char *file, mp_writer *w)
{
	/* Degrade the dates of birth first: a row that cannot be degraded is not written at all. */
	if (p->dob != MP_DOB_KEEP && degrade_dobs(p, rec, file, p->dobs) != 0)
		return -1;
	for (size_t i = 0; i < rec->n; i++) {
		const mp_field *f = &rec->f[i];
		switch (p->cols[i].act) {
		case DROP:
		case EXTRA:
			break;
		case PSEUDO:
			write_pseudonym(ps, p->cols[i].domain, f, w);
			break;
		case DOB:
			mp_writer_str(w, p->dobs[i]);
			break;
		case EPISODE:
			if (!import_derived(f)) {
				mp_writer_field(w, f->s, f->len);
				break;
			}
			write_pseudonym(ps, p->cols[i].domain, f, w);
			p->replaced++;
			break;
		case KEEP:
			mp_writer_field(w, f->s, f->len);
			break;
		}
	}
	mp_writer_end(w);
	return 0;
}
