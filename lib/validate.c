/* validate.c: header and schema checks, with rules that can be skipped or downgraded. */
#include "validate.h"
#include "err.h"

#include <ctype.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const mp_rule mp_schema_rules[] = {
	{ "csv", "the row cannot be read: bad quoting, wrong number of fields, bad encoding", 0 },
	{ "required", "a required value is empty", 0 },
	{ "code", "a value is not one of the column's codes", 0 },
	{ "format", "a value is not a valid date, date-time, Y/N flag, number or pattern", 0 },
	{ "unique", "a value that must be unique in the stream appears again", 0 },
};
const size_t mp_schema_nrules = sizeof mp_schema_rules / sizeof *mp_schema_rules;

#define MAXRULES 128

struct mp_validator {
	const mp_schema *schema;
	const mp_record *header;
	const char *file;
	mp_report_fn report;
	void *ctx;
	int *col_field;		/* header position -> schema field index or -1 */
	char *skip_ids[MAXRULES];
	int nskip;
	char *warn_ids[MAXRULES];
	int nwarn;
	/* values seen in 'unique' columns: open-addressing hash of (hash, line) */
	struct uslot { uint64_t h; long line; } *useen;
	size_t ucap, ucount;
};

mp_validator *
mp_validator_new(const mp_schema *schema, const mp_record *header, const char *file,
		 mp_report_fn report, void *ctx)
{
	mp_validator *v = mp_xcalloc(1, sizeof *v);

	v->schema = schema;
	v->header = header;
	v->file = file;
	v->report = report;
	v->ctx = ctx;
	v->col_field = mp_xcalloc(header->n ? header->n : 1, sizeof *v->col_field);
	for (size_t i = 0; i < header->n; i++)
		v->col_field[i] = mp_schema_find(schema, header->f[i].s);
	return v;
}

void
mp_validator_free(mp_validator *v)
{
	if (!v)
		return;
	for (int i = 0; i < v->nskip; i++)
		free(v->skip_ids[i]);
	for (int i = 0; i < v->nwarn; i++)
		free(v->warn_ids[i]);
	free(v->col_field);
	free(v->useen);
	free(v);
}

static int
listed(char *const *ids, int n, const char *id)
{
	for (int i = 0; i < n; i++)
		if (strcmp(ids[i], id) == 0)
			return 1;
	return 0;
}

int
mp_validator_skip(mp_validator *v, const char *id)
{
	if (v->nskip == MAXRULES)
		return -1;
	v->skip_ids[v->nskip++] = mp_xstrdup(id);
	return 0;
}

int
mp_validator_warn(mp_validator *v, const char *id)
{
	if (v->nwarn == MAXRULES)
		return -1;
	v->warn_ids[v->nwarn++] = mp_xstrdup(id);
	return 0;
}

int
mp_validator_rule_on(const mp_validator *v, const char *id)
{
	return !listed(v->skip_ids, v->nskip, id);
}

static int
is_warning(const mp_validator *v, const char *id)
{
	if (listed(v->warn_ids, v->nwarn, id))
		return 1;
	for (size_t i = 0; i < mp_schema_nrules; i++)
		if (strcmp(mp_schema_rules[i].id, id) == 0)
			return mp_schema_rules[i].warning;
	return 0;
}

/* Report unless skipped; returns 1 when it counts as an error. */
static int
vreport(mp_validator *v, long line, const char *rule, const char *field, const mp_record *rec,
	int warning, const char *fmt, va_list ap)
{
	mp_problem p;

	if (!mp_validator_rule_on(v, rule))
		return 0;
	p.rule = rule;
	p.field = field;
	p.warning = warning || is_warning(v, rule);
	vsnprintf(p.msg, sizeof p.msg, fmt, ap);
	v->report(v->ctx, line, &p, rec);
	return !p.warning;
}

void
mp_validator_report(mp_validator *v, long line, const char *rule, const char *field,
		    const mp_record *rec, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(v, line, rule, field, rec, 0, fmt, ap);
	va_end(ap);
}

static int
report(mp_validator *v, long line, const char *rule, const char *field, const mp_record *rec,
       int warning, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static int
report(mp_validator *v, long line, const char *rule, const char *field, const mp_record *rec,
       int warning, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vreport(v, line, rule, field, rec, warning, fmt, ap);
	va_end(ap);
	return r;
}

/* Lower-case letters and digits only: "Start Date" ~ "startdate". */
static void
fold(const char *s, char *out, size_t n)
{
	size_t o = 0;

	for (; *s && o + 1 < n; s++)
		if (isalnum((unsigned char)*s))
			out[o++] = (char)tolower((unsigned char)*s);
	out[o] = '\0';
}

/* Levenshtein distance, capped for short names. */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t c = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < c)
				c = prev[j] + 1;
			if (cur[j - 1] + 1 < c)
				c = cur[j - 1] + 1;
			cur[j] = c;
		}
		memcpy(prev, cur, (lb + 1) * sizeof *cur);
	}
	return prev[lb];
}

int
mp_validator_header(mp_validator *v)
{
	const mp_record *h = v->header;
	int bad = 0;

	for (size_t i = 0; i < h->n; i++)
		for (size_t k = 0; k < i; k++)
			if (strcmp(h->f[i].s, h->f[k].s) == 0) {
				mp_data_msg(v->file, h->line, h->f[i].s,
					    "column name appears twice in the header (columns %zu and %zu)", k + 1, i + 1);
				bad = 1;
			}
	for (size_t s = 0; s < v->schema->n; s++) {
		const mp_schema_field *f = &v->schema->f[s];
		int present = 0;
		for (size_t i = 0; i < h->n; i++)
			present |= v->col_field[i] == (int)s;
		if (!present && f->required) {
			mp_data_msg(v->file, h->line, f->name, "required column is missing from the header");
			bad = 1;
		}
	}
	for (size_t i = 0; i < h->n; i++) {
		char a[128], b[128];
		if (v->col_field[i] >= 0)
			continue;
		fold(h->f[i].s, a, sizeof a);
		for (size_t s = 0; s < v->schema->n; s++) {
			const char *name = v->schema->f[s].name;
			fold(name, b, sizeof b);
			if (strcmp(a, b) == 0 || (strlen(b) > 3 && distance(a, b) <= 2)) {
				mp_data_msg(v->file, h->line, h->f[i].s,
					    "warning: unknown column; did you mean '%s'? (it passes through unchecked)", name);
				break;
			}
		}
	}
	return bad ? -1 : 0;
}

static uint64_t
hash_bytes(const char *s, size_t n, uint64_t seed)
{
	/* FNV-1a, then a final mix; a 64-bit hash of ids makes collisions negligible. */
	uint64_t h = 1469598103934665603ULL ^ seed;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h ? h : 1;
}

/* Remember a unique value; returns the earlier line if it was seen before, else 0. */
static long
seen_before(mp_validator *v, size_t field, const char *s, size_t n, long line)
{
	uint64_t h = hash_bytes(s, n, field);

	if (v->ucount * 2 >= v->ucap) {
		size_t ncap = v->ucap ? v->ucap * 2 : 4096;
		struct uslot *nt = mp_xcalloc(ncap, sizeof *nt);
		for (size_t i = 0; i < v->ucap; i++)
			if (v->useen[i].h) {
				size_t j = v->useen[i].h & (ncap - 1);
				while (nt[j].h)
					j = (j + 1) & (ncap - 1);
				nt[j] = v->useen[i];
			}
		free(v->useen);
		v->useen = nt;
		v->ucap = ncap;
	}
	size_t j = h & (v->ucap - 1);
	while (v->useen[j].h) {
		if (v->useen[j].h == h)
			return v->useen[j].line;
		j = (j + 1) & (v->ucap - 1);
	}
	v->useen[j].h = h;
	v->useen[j].line = line;
	v->ucount++;
	return 0;
}

int
mp_validator_row(mp_validator *v, const mp_record *rec)
{
	int errors = 0;
	char msg[400];

	for (size_t i = 0; i < rec->n && i < v->header->n; i++) {
		int s = v->col_field[i];
		if (s < 0)
			continue;
		const mp_schema_field *f = &v->schema->f[s];
		const mp_field *x = &rec->f[i];
		if (mp_schema_check(f, x->s, x->len, msg, sizeof msg) != 0) {
			const char *rule = x->len == 0 ? "required" :
					   (f->type == MP_T_CODE || (f->type == MP_T_LIST && f->ncodes)) ? "code" : "format";
			errors += report(v, rec->line, rule, f->name, rec, 0, "%s", msg);
			continue;
		}
		if (f->unique && x->len > 0 && mp_validator_rule_on(v, "unique")) {
			long earlier = seen_before(v, (size_t)s, x->s, x->len, rec->line);
			if (earlier)
				errors += report(v, rec->line, "unique", f->name, rec, 0,
						 "'%s' already appears on line %ld", mp_show(x->s, x->len),
						 earlier);
		}
	}
	return errors;
}

void
mp_validator_bad_row(mp_validator *v, long line, const char *field, const char *msg, const mp_record *rec)
{
	report(v, line, "csv", field, rec, 0, "%s", msg);
}
