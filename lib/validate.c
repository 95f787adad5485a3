/* validate.c: the validator: header and schema checks, the row's context, and the rule table's checks run on it. */
#include "validate.h"
#include "err.h"
#include "history.h"
#include "intern.h"
#include "rules.h"
#include "ssda903.h"
#include "uniq.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mp_validator {
	mp_validate_opts o;
	const mp_record *header;
	mp_report_fn report;
	void *ctx;
	unsigned char skip[R_COUNT], warn[R_COUNT];
	int ssda903;

	/* files seen, for naming an earlier row's file */
	char **files;
	int nfiles, cur;
	size_t cfiles;
	const char *last;	/* the name last given, as given */

	/* the checks to run on each row (indices in mp_rules, in running order), and what they see */
	int (*checks[R_COUNT])(const mp_rule_ctx *c);
	int nchecks;
	mp_rule_ctx rc;

	/* episode mode */
	int *col_field;		/* header position -> schema field index or -1 */
	int *col_time;		/* header position -> T_* or -1 */
	int *col_vocab;		/* header position -> enum mp_col checked by the vocabulary, or -1 */
	mp_colmap cm;
	mp_episode ep;		/* the decoder's fast pass over the row */
	int *other;		/* header positions the schema checks that the decoder does not (its own checks) */
	int nother;
	int tvocab[T_COUNT];	/* the time column is one of the decoder's: its value comes from ep */
	int ucol[4];		/* header positions of unique columns (-1 ends) */
	struct mp_uniq *uniq[3];	/* per unique column: the values seen, and where first */
	mp_history *hist;	/* per child, for duplicate_episode and overlap */
	struct mp_intern *types;	/* the type values seen, for the duplicate check */
	char last_type[16];	/* the last row's type value (when short), and its code */
	size_t last_type_len;
	int last_type_code;

	/* SSDA903 mode */
	int sc[S_COUNT];	/* header positions of the 903 columns */
	int year, year_inferred;
	mp_903 *m903;		/* the Header table, the year's votes, 574's order */
};

static int rule_report(const mp_rule_ctx *c, int rule, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

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

/* Each header position's schema field, time column and vocabulary column; the unique columns. */
static void
bind_episode_columns(mp_validator *v, const mp_validate_opts *o, const mp_record *header)
{
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
	v->other = mp_xcalloc(header->n ? header->n : 1, sizeof *v->other);
	for (size_t i = 0; i < header->n; i++) {
		if (v->col_field[i] >= 0 && v->col_vocab[i] < 0)
			v->other[v->nother++] = (int)i;
		if (v->col_time[i] >= 0 && v->col_vocab[i] >= 0)
			v->tvocab[v->col_time[i]] = 1;
	}
	/* The other dates are checked, not kept: no rule reads them. */
	mp_colmap_need(&v->cm, 1u << MP_COL_DOB | 1u << MP_COL_RHI_HELD);
	v->ucol[0] = -1;
	for (size_t i = 0, k = 0; i < header->n && k < 3; i++)
		if (v->col_field[i] >= 0 && o->schema->f[v->col_field[i]].unique) {
			v->uniq[k] = mp_uniq_new();
			v->ucol[k++] = (int)i;
			v->ucol[k] = -1;
		}
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
	v->m903 = mp_903_new();
	mp_validator_set_file(v, file);
	bind_episode_columns(v, o, header);
	for (int c = 0; c < S_COUNT; c++) {
		v->sc[c] = -1;
		for (size_t i = 0; i < header->n; i++)
			if (strcmp(header->f[i].s, mp_ssda903_cols[c]) == 0) {
				v->sc[c] = (int)i;
				break;
			}
	}
	v->rc.pos = v->ssda903 ? v->sc : v->cm.idx;
	v->rc.now = o->now;
	v->rc.year = v->year;
	v->rc.max_open_days = o->max_open_days;
	v->rc.report = rule_report;
	v->rc.sink = v;
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
	free(v->other);
	for (int k = 0; k < 3; k++)
		mp_uniq_free(v->uniq[k]);
	mp_903_free(v->m903);
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
	/* Rows come with the input's name where it stays: the same name, not compared again. */
	if (file == v->last)
		return;
	v->last = file;
	if (v->nfiles > 0 && strcmp(v->files[v->cur], file) == 0)
		return;
	for (int i = 0; i < v->nfiles; i++)
		if (strcmp(v->files[i], file) == 0) {
			v->cur = v->rc.cur = i;
			return;
		}
	v->files = mp_xgrow(v->files, &v->cfiles, (size_t)v->nfiles + 1, sizeof *v->files);
	v->files[v->nfiles] = mp_xstrdup(file);
	v->cur = v->nfiles++;
	v->rc.files = v->files;
	v->rc.cur = v->cur;
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
	p.warning = mp_rules[rule].level == MP_WARNING || v->warn[rule];
	vsnprintf(p.msg, sizeof p.msg, fmt, ap);
	v->report(v->ctx, line, &p, rec);
	return !p.warning;
}

/* Report a problem unless the rule is skipped; returns 1 when it counts as an error. */
static int
report(mp_validator *v, int rule, long line, const char *field, const mp_record *rec, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vreport(v, rule, line, field, rec, fmt, ap);
	va_end(ap);
	return r;
}

/* The report function the checks are given: a problem with the row in c. */
static int
rule_report(const mp_rule_ctx *c, int rule, const char *field, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vreport(c->sink, rule, c->rec->line, field, c->rec, fmt, ap);
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
			bad |= report(v, R_HEADER, h->line, h->f[i].s, NULL,
				      "column name appears twice in the header (columns %zu and %zu)", first[id] + 1, i + 1);
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
				report(v, R_COLUMN, h->line, h->f[i].s, NULL,
				       "unknown column; did you mean '%s'? (it passes through unchecked)", names[s]);
				break;
			}
		}
	}
	mp_intern_free(known);
	free(folded);
}

/* The checks of the input's rule set that are not skipped, in running order (.order, then table order). */
static void
choose_checks(mp_validator *v)
{
	int lo = INT32_MAX, hi = INT32_MIN;

	for (int r = 0; r < R_COUNT; r++) {
		if (mp_rules[r].order < lo)
			lo = mp_rules[r].order;
		if (mp_rules[r].order > hi)
			hi = mp_rules[r].order;
	}
	v->nchecks = 0;
	for (int ord = lo; ord <= hi; ord++)
		for (int r = 0; r < R_COUNT; r++) {
			enum mp_ruleset set = mp_rules[r].set;
			int mine = v->ssda903 ? set == MP_RS_SSDA903 || set == MP_RS_SSDA903_HEADER : set == MP_RS_EPISODE;
			if (mp_rules[r].order == ord && mp_rules[r].check && mine && !v->skip[r])
				v->checks[v->nchecks++] = mp_rules[r].check;
		}
}

/* Run the chosen checks on the row in v->rc; the errors they reported. */
static int
run_checks(mp_validator *v)
{
	int errors = 0;

	for (int i = 0; i < v->nchecks; i++)
		errors += v->checks[i](&v->rc);
	return errors;
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
			bad |= report(v, R_HEADER, h->line, names[s], NULL, "required column is missing from the header");
	mp_intern_free(cols);
	misspelt(v, h, names, nn);
	if (bad)
		return -1;
	if (v->skip[R_UNIQUE])
		v->ucol[0] = -1;
	start_history(v);
	choose_checks(v);
	return 0;
}

/* The schema check of column i of a canonical row, a time decoded into t and have on the way: the errors. */
static int
check_column(mp_validator *v, const mp_record *rec, size_t i, mp_time *t, int *have)
{
	static const int rule[] = { [MP_FAULT_REQUIRED] = R_REQUIRED, [MP_FAULT_CODE] = R_CODE,
				    [MP_FAULT_FORMAT] = R_FORMAT };
	const mp_schema_field *f = &v->o.schema->f[v->col_field[i]];
	const mp_field *x = &rec->f[i];
	int tc = v->col_time[i];
	char msg[400];
	const char *why;

	if (v->col_vocab[i] >= 0) {
		enum mp_fault fault = mp_vocab_check((enum mp_col)v->col_vocab[i], x->s, x->len,
						     tc >= 0 ? &t[tc] : NULL, msg, sizeof msg);
		if (fault != MP_FAULT_NONE)
			return report(v, rule[fault], rec->line, f->name, rec, "%s", msg);
		if (tc >= 0 && x->len > 0)
			have[tc] = 1;
		return 0;
	}
	if (tc >= 0 && x->len > 0) {
		int r = f->type == MP_T_DATE ? mp_date_parse(x->s, x->len, &t[tc], &why)
					     : mp_time_parse(x->s, x->len, &t[tc], &why);
		if (r == 0) {
			have[tc] = 1;
			return 0;
		}
		return report(v, R_FORMAT, rec->line, f->name, rec, "'%s': %s", mp_show(x->s, x->len), why);
	}
	if (mp_schema_check(f, x->s, x->len, msg, sizeof msg) != 0) {
		int r = x->len == 0 ? R_REQUIRED :
			(f->type == MP_T_CODE || (f->type == MP_T_LIST && f->ncodes)) ? R_CODE : R_FORMAT;
		return report(v, r, rec->line, f->name, rec, "%s", msg);
	}
	return 0;
}

/* The decoder's times, for the time columns that are its own. */
static void
take_times(mp_validator *v, const mp_record *rec, mp_time *t, int *have)
{
	const mp_episode *ep = &v->ep;

	if (v->tvocab[T_START] && (have[T_START] = mp_get(&v->cm, rec, MP_COL_START).len > 0))
		t[T_START] = ep->start;
	if (v->tvocab[T_END] && (have[T_END] = ep->has_end))
		t[T_END] = ep->end;
	if (v->tvocab[T_DOB] && (have[T_DOB] = ep->has_dob))
		t[T_DOB] = ep->dob;
	if (v->tvocab[T_RHI_HELD] && (have[T_RHI_HELD] = ep->has_rhi_held))
		t[T_RHI_HELD] = ep->rhi_held;
}

/*
 * Schema checks of one canonical row, decoding the time columns into t and
 * have on the way.  A good row (nearly every one) passes the decoder's
 * fast path, which stands for every vocabulary column; a row it refuses is
 * checked column by column, for the messages, in column order.
 */
static int
schema_pass(mp_validator *v, const mp_record *rec, mp_time *t, int *have)
{
	int errors = 0;

	if (mp_episode_fast(&v->cm, rec, &v->ep) == 0) {
		take_times(v, rec, t, have);
		for (int k = 0; k < v->nother; k++)
			errors += check_column(v, rec, (size_t)v->other[k], t, have);
		return errors;
	}
	for (size_t i = 0; i < rec->n && i < v->header->n; i++)
		if (v->col_field[i] >= 0)
			errors += check_column(v, rec, i, t, have);
	return errors;
}

/* The unique columns' values against the earlier rows' (rule unique). */
static int
unique_pass(mp_validator *v, const mp_record *rec)
{
	int errors = 0;
	char where[600];

	for (int k = 0; v->ucol[k] >= 0; k++) {
		int file = 0;
		long earlier;
		const mp_field *x;
		if ((size_t)v->ucol[k] >= rec->n || rec->f[v->ucol[k]].len == 0)
			continue;
		x = &rec->f[v->ucol[k]];
		if (mp_uniq_seen(v->uniq[k], x->s, x->len, rec->line, v->cur, &earlier, &file))
			errors += report(v, R_UNIQUE, rec->line, v->o.schema->f[v->col_field[v->ucol[k]]].name, rec,
					 "'%s' already appears on %s", mp_show(x->s, x->len),
					 mp_rule_where(&v->rc, earlier, file, where, sizeof where));
	}
	return errors;
}

/* A small code for the episode type, for the duplicate check (the value itself, interned). */
static int
type_code(mp_validator *v, mp_field f)
{
	uint32_t id;

	/* most rows have the type of the row before: no lookup for them */
	if (v->types && f.len == v->last_type_len && memcmp(f.s, v->last_type, f.len) == 0)
		return v->last_type_code;
	if (!v->types)
		v->types = mp_intern_new();
	id = mp_intern_add(v->types, f.s, f.len, NULL);
	v->last_type_len = f.len < sizeof v->last_type ? f.len : SIZE_MAX;
	if (f.len < sizeof v->last_type)
		memcpy(v->last_type, f.s, f.len);
	v->last_type_code = id < 255 ? (int)id + 1 : 255;
	return v->last_type_code;
}

/* Add the row to its child's history (when it has a readable start and no unreadable end); 1 and res. */
static int
history_add(mp_validator *v, const mp_record *rec, const mp_time *t, const int *have, mp_hist_result *res)
{
	mp_field child = mp_get(&v->cm, rec, MP_COL_CHILD_ID);
	mp_field end = mp_get(&v->cm, rec, MP_COL_END);
	mp_pt none = { 0, 1 }, start = { t[T_START].utc, t[T_START].has_time }, stop = none;

	if (!v->hist || !have[T_START] || child.len == 0 || (end.len > 0 && !have[T_END]))
		return 0;
	if (have[T_END])
		stop = (mp_pt){ t[T_END].utc, t[T_END].has_time };
	mp_history_add(v->hist, child.s, child.len, type_code(v, mp_get(&v->cm, rec, MP_COL_TYPE)), start, stop,
		       !have[T_END], rec->line, v->cur, res);
	return 1;
}

/* One canonical row: the schema pass, the unique values, then the episode set's checks. */
static int
episode_row(mp_validator *v, const mp_record *rec)
{
	mp_rule_ctx *c = &v->rc;
	int errors;
	mp_hist_result res;

	/* The tables are far bigger than the cache: start loading the slots now, look them up later. */
	for (int k = 0; v->ucol[k] >= 0; k++)
		if ((size_t)v->ucol[k] < rec->n && rec->f[v->ucol[k]].len)
			mp_uniq_prefetch(v->uniq[k], rec->f[v->ucol[k]].s, rec->f[v->ucol[k]].len);
	if (v->hist) {
		mp_field child = mp_get(&v->cm, rec, MP_COL_CHILD_ID);
		if (child.len)
			mp_history_prefetch(v->hist, child.s, child.len);
	}
	c->rec = rec;
	memset(c->have, 0, sizeof c->have);
	errors = schema_pass(v, rec, c->t, c->have);
	errors += unique_pass(v, rec);
	c->hist = history_add(v, rec, c->t, c->have, &res) ? &res : NULL;
	return errors + run_checks(v);
}

/* One row of the 903 Missing table: its dates, its Header table entry, 574's verdict, then the checks. */
static int
ssda903_row(mp_validator *v, const mp_record *rec)
{
	static const int dates[] = { S_DOB, S_MIS_START, S_MIS_END };
	mp_rule_ctx *c = &v->rc;

	c->rec = rec;
	for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
		mp_field f = mp_rule_val(c, dates[i]);
		c->day_ok[dates[i]] = f.len && mp_ssda903_date(f.s, f.len, &c->day[dates[i]]) == 0;
	}
	mp_field child = mp_rule_val(c, S_CHILD);
	c->hdr = c->header_table && child.len ? mp_903_child_find(v->m903, child.s, child.len) : NULL;
	c->over574 = v->skip[R_574] ? NULL : mp_903_next(v->m903);
	return run_checks(v);
}

int
mp_validator_row(mp_validator *v, const mp_record *rec)
{
	return v->ssda903 ? ssda903_row(v, rec) : episode_row(v, rec);
}

void
mp_validator_bad_row(mp_validator *v, long line, const char *field, const char *msg, const mp_record *rec)
{
	report(v, R_CSV, line, field, rec, "%s", msg);
}

void
mp_validator_stats(const mp_validator *v, size_t *children, size_t *episodes, size_t *bytes)
{
	*children = *episodes = *bytes = 0;
	if (v->hist)
		mp_history_stats(v->hist, children, episodes, bytes);
	*bytes += mp_903_bytes(v->m903);
	for (int k = 0; v->ucol[k] >= 0; k++)
		*bytes += mp_uniq_bytes(v->uniq[k]);
}

int
mp_validator_load_header_table(mp_validator *v, const char *path, enum mp_format fmt, enum mp_encoding enc)
{
	if (mp_903_load_header(v->m903, path, fmt, enc) != 0)
		return -1;
	v->rc.header_table = mp_903_header_name(v->m903);
	return 0;
}

int
mp_validator_needs_year(const mp_validator *v)
{
	return v->ssda903 && v->year == 0 && (!v->skip[R_570] || !v->skip[R_571]);
}

size_t
mp_validator_lookahead(const mp_validator *v)
{
	if (v->ssda903 && !v->skip[R_574])
		return SIZE_MAX;
	return mp_validator_needs_year(v) ? MP_YEAR_LOOKAHEAD : 0;
}

void
mp_validator_observe(mp_validator *v, const mp_record *rec)
{
	v->rc.rec = rec;
	mp_903_vote(v->m903, mp_rule_val(&v->rc, S_MIS_START), mp_rule_val(&v->rc, S_MIS_END));
	if (v->ssda903 && !v->skip[R_574])
		mp_903_observe(v->m903, mp_rule_val(&v->rc, S_CHILD), mp_rule_val(&v->rc, S_MIS_START),
			       mp_rule_val(&v->rc, S_MIS_END), rec->line, v->cur);
}

int
mp_validator_settle(mp_validator *v)
{
	int want_year = mp_validator_needs_year(v);

	if (v->ssda903 && !v->skip[R_574])
		mp_903_settle(v->m903);
	if (want_year && !v->year)
		v->year = mp_903_voted_year(v->m903);
	if (want_year)
		v->year_inferred = v->year != 0;
	v->rc.year = v->year;
	return v->year;
}

int
mp_validator_year(const mp_validator *v, int *inferred)
{
	if (inferred)
		*inferred = v->year_inferred;
	return v->year;
}
