/* validate.c: the rule registry, header and schema checks, and the dispatch to the rule sets. */
#include "validate.h"
#include "intern.h"
#include "err.h"
#include "rules.h"
#include "uniq.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* In the order of the R_* indices in rules.h. */
const mp_rule mp_rules[] = {
	{ "csv", "the row cannot be read: bad quoting, wrong number of fields, bad encoding", 0, MP_RS_ANY },
	{ "header", "the header lacks a required column or names a column twice", 0, MP_RS_ANY },
	{ "column", "an unknown column looks like a misspelt known one (it passes through unchecked)", 1, MP_RS_ANY },
	{ "required", "a required value is empty", 0, MP_RS_EPISODE },
	{ "code", "a value is not one of the column's codes", 0, MP_RS_EPISODE },
	{ "format", "a value is not a valid date, date-time, Y/N flag, number or pattern", 0, MP_RS_EPISODE },
	{ "unique", "a value that must be unique in the stream (episode_id) appears again", 0, MP_RS_EPISODE },
	{ "end_before_start", "the episode ends before it starts", 0, MP_RS_EPISODE },
	{ "future", "start, end or rhi_held is after --now", 0, MP_RS_EPISODE },
	{ "start_before_dob", "the episode starts on or before the date of birth", 0, MP_RS_EPISODE },
	{ "age_18", "the child is 18 or over at the start", 1, MP_RS_EPISODE },
	{ "rhi_before_return", "the return interview is before the return", 0, MP_RS_EPISODE },
	{ "rhi_on_open", "a return interview is recorded on an episode that has not ended", 0, MP_RS_EPISODE },
	{ "accepted_not_offered", "rhi_accepted is Y but rhi_offered is not Y", 0, MP_RS_EPISODE },
	{ "reason_with_held", "rhi_reason (why none was held) is set while rhi_held is set", 0, MP_RS_EPISODE },
	{ "placement_not_lac", "placement is set for a child whose care_status is not lac", 0, MP_RS_EPISODE },
	{ "duplicate_episode", "an earlier row has the same child, type and start", 0, MP_RS_EPISODE },
	{ "overlap", "the child's episodes overlap (the national return's ordering)", 0, MP_RS_EPISODE },
	{ "open_too_long", "the episode has been open longer than --max-open-days", 1, MP_RS_EPISODE },
	{ "1004", "MIS_START is blank or not a valid dd/mm/yyyy date", 0, MP_RS_SSDA903 },
	{ "1005", "MIS_END is given but is not a valid dd/mm/yyyy date", 0, MP_RS_SSDA903 },
	{ "1006", "MISSING is given but is not M or A", 0, MP_RS_SSDA903 },
	{ "564", "MISSING is M or A but MIS_START is blank", 0, MP_RS_SSDA903 },
	{ "565", "MIS_START is given but MISSING is blank", 0, MP_RS_SSDA903 },
	{ "566", "MIS_END is given but MISSING is blank", 0, MP_RS_SSDA903 },
	{ "567", "MIS_END is before MIS_START", 0, MP_RS_SSDA903 },
	{ "570", "MIS_START is after the end of the collection year", 0, MP_RS_SSDA903 },
	{ "571", "MIS_END is before the start or after the end of the collection year", 0, MP_RS_SSDA903 },
	{ "574", "an episode starts while the child's previous one is open, or before it ends", 0, MP_RS_SSDA903 },
	{ "586", "MIS_START is on or before the date of birth", 0, MP_RS_SSDA903 },
	{ "INT04", "the child is not in the Header table (--header)", 0, MP_RS_SSDA903_HEADER },
	{ "INT13", "DOB differs from the child's DOB in the Header table (--header)", 0, MP_RS_SSDA903_HEADER },
};
const size_t mp_nrules = sizeof mp_rules / sizeof *mp_rules;

_Static_assert(sizeof mp_rules / sizeof *mp_rules == R_COUNT, "mp_rules[] and R_* disagree");

const char *const mp_ssda903_cols[S_COUNT] = { "CHILD", "DOB", "MISSING", "MIS_START", "MIS_END" };

int
mp_rule_find(const char *id)
{
	for (size_t i = 0; i < mp_nrules; i++)
		if (strcmp(mp_rules[i].id, id) == 0)
			return (int)i;
	return -1;
}

const char *
mp_ruleset_name(enum mp_ruleset s)
{
	switch (s) {
	case MP_RS_ANY: return "any";
	case MP_RS_EPISODE: return "episode";
	case MP_RS_SSDA903: return "ssda903";
	case MP_RS_SSDA903_HEADER: return "ssda903+header";
	}
	return "?";
}

/* 1 when the header is exactly the 903 Missing table's columns. */
static int
is_903_header(const mp_record *h)
{
	if (h->n != S_COUNT)
		return 0;
	for (size_t i = 0; i < S_COUNT; i++)
		if (strcmp(h->f[i].s, mp_ssda903_cols[i]) != 0)
			return 0;
	return 1;
}

mp_validator *
mp_validator_new(const mp_validate_opts *o, const mp_record *header, const char *file,
		 mp_report_fn report, void *ctx)
{
	mp_validator *v = mp_xcalloc(1, sizeof *v);

	v->o = *o;
	v->header = header;
	v->report = report;
	v->ctx = ctx;
	v->ssda903 = o->ssda903 > 0 || (o->ssda903 < 0 && is_903_header(header));
	v->year = o->year;
	mp_validator_set_file(v, file);
	v->col_field = mp_xcalloc(header->n ? header->n : 1, sizeof *v->col_field);
	v->col_time = mp_xcalloc(header->n ? header->n : 1, sizeof *v->col_time);
	v->col_vocab = mp_xcalloc(header->n ? header->n : 1, sizeof *v->col_vocab);
	mp_colmap_bind(&v->cm, header);
	for (size_t i = 0; i < header->n; i++) {
		const mp_schema_field *f;
		v->col_field[i] = v->ssda903 ? -1 : mp_schema_find(o->schema, header->f[i].s);
		v->col_time[i] = v->col_vocab[i] = -1;
		if (v->col_field[i] < 0)
			continue;
		f = &o->schema->f[v->col_field[i]];
		/* A canonical column the schema leaves as the vocabulary has it: the one decoder checks it. */
		for (int c = 0; c < MP_NCOLS; c++)
			if (v->cm.idx[c] == (int)i && mp_vocab_matches((enum mp_col)c, f))
				v->col_vocab[i] = c;
		if (f->type != MP_T_DATE && f->type != MP_T_DATETIME)
			continue;
		if (v->cm.idx[MP_COL_START] == (int)i)
			v->col_time[i] = T_START;
		else if (v->cm.idx[MP_COL_END] == (int)i)
			v->col_time[i] = T_END;
		else if (v->cm.idx[MP_COL_DOB] == (int)i)
			v->col_time[i] = T_DOB;
		else if (v->cm.idx[MP_COL_RHI_HELD] == (int)i)
			v->col_time[i] = T_RHI_HELD;
	}
	v->ucol[0] = -1;
	for (size_t i = 0, k = 0; i < header->n && k < 3; i++)
		if (v->col_field[i] >= 0 && o->schema->f[v->col_field[i]].unique) {
			v->uniq[k] = mp_uniq_new();
			v->ucol[k++] = (int)i;
			v->ucol[k] = -1;
		}
	for (int c = 0; c < S_COUNT; c++) {
		v->sc[c] = -1;
		for (size_t i = 0; i < header->n; i++)
			if (strcmp(header->f[i].s, mp_ssda903_cols[c]) == 0) {
				v->sc[c] = (int)i;
				break;
			}
	}
	return v;
}

void
mp_validator_free(mp_validator *v)
{
	if (!v)
		return;
	for (int i = 0; i < v->nfiles; i++)
		free(v->files[i]);
	free(v->files);
	free(v->col_field);
	free(v->col_time);
	free(v->col_vocab);
	for (int k = 0; k < 3; k++)
		mp_uniq_free(v->uniq[k]);
	free(v->ht);
	mp_intern_free(v->htids);
	free(v->e574);
	mp_intern_free(v->ids574);
	free(v->header_table_name);
	mp_history_free(v->hist);
	mp_intern_free(v->types);
	free(v);
}

int
mp_validator_skip(mp_validator *v, const char *id)
{
	int r = mp_rule_find(id);

	if (r < 0)
		return -1;
	v->skip[r] = 1;
	return 0;
}

int
mp_validator_warn(mp_validator *v, const char *id)
{
	int r = mp_rule_find(id);

	if (r < 0)
		return -1;
	v->warn[r] = 1;
	return 0;
}

int
mp_validator_rule_on(const mp_validator *v, const char *id)
{
	int r = mp_rule_find(id);

	return r >= 0 && !v->skip[r];
}

int
mp_validator_ssda903(const mp_validator *v)
{
	return v->ssda903;
}

void
mp_validator_set_file(mp_validator *v, const char *file)
{
	if (!file)
		file = "-";
	if (v->nfiles > 0 && strcmp(v->files[v->cur], file) == 0)
		return;
	for (int i = 0; i < v->nfiles; i++)
		if (strcmp(v->files[i], file) == 0) {
			v->cur = i;
			return;
		}
	v->files = mp_xrealloc(v->files, (size_t)(v->nfiles + 1) * sizeof *v->files);
	v->files[v->nfiles] = mp_xstrdup(file);
	v->cur = v->nfiles++;
}

const char *
mp_rule_where(const mp_validator *v, long line, int file)
{
	static char buf[2][600];
	static int next;
	char *b = buf[next++ & 1];

	if (file != v->cur && file >= 0 && file < v->nfiles)
		snprintf(b, sizeof buf[0], "%s:%ld", v->files[file], line);
	else
		snprintf(b, sizeof buf[0], "line %ld", line);
	return b;
}

static int
vreport(mp_validator *v, int rule, long line, const char *field, const mp_record *rec,
	const char *fmt, va_list ap)
{
	mp_problem p;

	if (v->skip[rule])
		return 0;
	p.rule = rule;
	p.id = mp_rules[rule].id;
	p.file = v->files[v->cur];
	p.field = field;
	p.warning = mp_rules[rule].warning || v->warn[rule];
	vsnprintf(p.msg, sizeof p.msg, fmt, ap);
	v->report(v->ctx, line, &p, rec);
	return !p.warning;
}

int
mp_rule_report(mp_validator *v, int rule, long line, const char *field, const mp_record *rec,
	       const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vreport(v, rule, line, field, rec, fmt, ap);
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

/* Levenshtein distance (99 for long names); a name looks misspelt at 1 (up to 5 letters) or 2. */
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

/* The names a header is checked against: the schema's, or the 903 columns. */
static size_t
known_names(const mp_validator *v, const char **names, int *required, size_t max)
{
	size_t n = 0;

	if (v->ssda903) {
		for (int c = 0; c < S_COUNT && n < max; c++, n++) {
			names[n] = mp_ssda903_cols[c];
			required[n] = 1;
		}
		return n;
	}
	for (size_t s = 0; s < v->o.schema->n && n < max; s++, n++) {
		names[n] = v->o.schema->f[s].name;
		required[n] = v->o.schema->f[s].required;
	}
	return n;
}

/* A column named twice: reported at its second appearance, naming the first.  One pass. */
static int
twice(mp_validator *v, const mp_record *h)
{
	mp_intern *seen = mp_intern_new();
	size_t *first = mp_xmalloc((h->n ? h->n : 1) * sizeof *first);
	int bad = 0, added;

	for (size_t i = 0; i < h->n; i++) {
		uint32_t id = mp_intern_add(seen, h->f[i].s, h->f[i].len, &added);
		if (added)
			first[id] = i;
		else
			bad |= mp_rule_report(v, R_HEADER, h->line, h->f[i].s, NULL,
					      "column name appears twice in the header (columns %zu and %zu)",
					      first[id] + 1, i + 1);
	}
	free(first);
	mp_intern_free(seen);
	return bad;
}

/* An unknown column that looks like a known one (folded names, within an edit or two). */
static void
misspelt(mp_validator *v, const mp_record *h, const char **names, size_t nn)
{
	char (*folded)[128] = mp_xmalloc((nn ? nn : 1) * sizeof *folded);
	mp_intern *known = mp_intern_new();

	for (size_t s = 0; s < nn; s++) {
		fold(names[s], folded[s], sizeof folded[s]);
		mp_intern_add(known, names[s], strlen(names[s]), NULL);
	}
	for (size_t i = 0; i < h->n; i++) {
		char a[128];
		if (mp_intern_find(known, h->f[i].s, h->f[i].len) != MP_INTERN_NONE)
			continue;
		fold(h->f[i].s, a, sizeof a);
		size_t la = strlen(a);
		for (size_t s = 0; s < nn; s++) {
			size_t lb = strlen(folded[s]), d = lb > 5 ? 2 : 1;
			if (strcmp(a, folded[s]) == 0 ||
			    (lb > 3 && la + d >= lb && la <= lb + d && distance(a, folded[s]) <= d)) {
				mp_rule_report(v, R_COLUMN, h->line, h->f[i].s, NULL,
					       "unknown column; did you mean '%s'? (it passes through unchecked)",
					       names[s]);
				break;
			}
		}
	}
	mp_intern_free(known);
	free(folded);
}

/* The per-child history, only for the rules that need it. */
static void
start_history(mp_validator *v)
{
	if (!v->ssda903 && v->cm.idx[MP_COL_CHILD_ID] >= 0 && v->cm.idx[MP_COL_START] >= 0 &&
		   (!v->skip[R_DUPLICATE_EPISODE] || !v->skip[R_OVERLAP])) {
		v->hist = mp_history_new(!v->skip[R_DUPLICATE_EPISODE], !v->skip[R_OVERLAP]);
	}
}

int
mp_validator_header(mp_validator *v)
{
	const mp_record *h = v->header;
	const char *names[256];
	int required[256], bad;
	size_t nn = known_names(v, names, required, 256);
	mp_intern *cols = mp_intern_new();

	bad = twice(v, h);
	for (size_t i = 0; i < h->n; i++)
		mp_intern_add(cols, h->f[i].s, h->f[i].len, NULL);
	for (size_t s = 0; s < nn; s++)
		if (required[s] && mp_intern_find(cols, names[s], strlen(names[s])) == MP_INTERN_NONE)
			bad |= mp_rule_report(v, R_HEADER, h->line, names[s], NULL,
					      "required column is missing from the header");
	mp_intern_free(cols);
	misspelt(v, h, names, nn);
	if (bad)
		return -1;
	if (v->skip[R_UNIQUE])
		v->ucol[0] = -1;
	start_history(v);
	return 0;
}

/* Schema checks of one canonical row, decoding the time columns on the way. */
static int
episode_row(mp_validator *v, const mp_record *rec)
{
	int errors = 0, have[T_COUNT] = { 0, 0, 0, 0 };
	mp_time t[T_COUNT];
	char msg[400];
	const char *why;

	/* The tables are far bigger than the cache: start loading the slots now, look them up later. */
	for (int k = 0; v->ucol[k] >= 0; k++)
		if ((size_t)v->ucol[k] < rec->n && rec->f[v->ucol[k]].len)
			mp_uniq_prefetch(v->uniq[k], rec->f[v->ucol[k]].s, rec->f[v->ucol[k]].len);
	if (v->hist) {
		mp_field child = mp_get(&v->cm, rec, MP_COL_CHILD_ID);
		if (child.len)
			mp_history_prefetch(v->hist, child.s, child.len);
	}
	for (size_t i = 0; i < rec->n && i < v->header->n; i++) {
		int s = v->col_field[i];
		if (s < 0)
			continue;
		const mp_schema_field *f = &v->o.schema->f[s];
		const mp_field *x = &rec->f[i];
		int tc = v->col_time[i];
		if (v->col_vocab[i] >= 0) {
			static const int rule[] = { [MP_FAULT_REQUIRED] = R_REQUIRED, [MP_FAULT_CODE] = R_CODE,
						    [MP_FAULT_FORMAT] = R_FORMAT };
			enum mp_fault fault = mp_vocab_check((enum mp_col)v->col_vocab[i], x->s, x->len,
							     tc >= 0 ? &t[tc] : NULL, msg, sizeof msg);
			if (fault != MP_FAULT_NONE)
				errors += mp_rule_report(v, rule[fault], rec->line, f->name, rec, "%s", msg);
			else if (tc >= 0 && x->len > 0)
				have[tc] = 1;
			continue;
		}
		if (tc >= 0 && x->len > 0) {
			int r = f->type == MP_T_DATE ? mp_date_parse(x->s, x->len, &t[tc], &why)
						     : mp_time_parse(x->s, x->len, &t[tc], &why);
			if (r == 0)
				have[tc] = 1;
			else
				errors += mp_rule_report(v, R_FORMAT, rec->line, f->name, rec, "'%s': %s",
							 mp_show(x->s, x->len), why);
			continue;
		}
		if (mp_schema_check(f, x->s, x->len, msg, sizeof msg) != 0) {
			int rule = x->len == 0 ? R_REQUIRED :
				   (f->type == MP_T_CODE || (f->type == MP_T_LIST && f->ncodes)) ? R_CODE : R_FORMAT;
			errors += mp_rule_report(v, rule, rec->line, f->name, rec, "%s", msg);
			continue;
		}
	}
	for (int k = 0; v->ucol[k] >= 0; k++) {
		int file = 0;
		long earlier;
		const mp_field *x;
		if ((size_t)v->ucol[k] >= rec->n || rec->f[v->ucol[k]].len == 0)
			continue;
		x = &rec->f[v->ucol[k]];
		if (mp_uniq_seen(v->uniq[k], x->s, x->len, rec->line, v->cur, &earlier, &file))
			errors += mp_rule_report(v, R_UNIQUE, rec->line, v->o.schema->f[v->col_field[v->ucol[k]]].name, rec,
						 "'%s' already appears on %s", mp_show(x->s, x->len),
						 mp_rule_where(v, earlier, file));
	}
	return errors + mp_episode_rules(v, rec, t, have);
}

int
mp_validator_row(mp_validator *v, const mp_record *rec)
{
	return v->ssda903 ? mp_ssda903_row(v, rec) : episode_row(v, rec);
}

void
mp_validator_bad_row(mp_validator *v, long line, const char *field, const char *msg, const mp_record *rec)
{
	mp_rule_report(v, R_CSV, line, field, rec, "%s", msg);
}

void
mp_validator_stats(const mp_validator *v, size_t *children, size_t *episodes, size_t *bytes)
{
	*children = *episodes = *bytes = 0;
	if (v->hist)
		mp_history_stats(v->hist, children, episodes, bytes);
	*bytes += v->htcap * sizeof *v->ht;
	for (int k = 0; v->ucol[k] >= 0; k++)
		*bytes += mp_uniq_bytes(v->uniq[k]);
}
