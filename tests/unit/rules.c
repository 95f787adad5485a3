/*
 * Unit tests for the rule table (lib/rules.c): every check, called on a
 * context built here, fires with its id, field and exact message on one
 * row and stays quiet on another; the rules whose check is made elsewhere
 * (reader, header, schema pass) are run through the validator.  A rule
 * without a case of each kind fails the test.
 */
#include "err.h"
#include "rules.h"
#include "schema.h"
#include "tap.h"
#include "validate.h"

#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

/* What the context says besides the row. */
enum extra {
	X_NONE,
	X_DUP,			/* history: a duplicate of line 3 */
	X_OVER_OPEN,		/* history: overlaps an open episode on line 4 of b.csv */
	X_OVER,			/* history: overlaps a closed episode on line 5 */
	X_HDR,			/* a Header table holding the child, born 01/02/2010 */
	X_HDR_NONE,		/* a Header table without the child */
	X_574_OPEN,		/* 574: overlaps an open episode on line 6 */
	X_574,			/* 574: overlaps a closed episode on line 7 of b.csv */
};

/* A case: a row ("column=value|..."), the context's extras, the problem expected (field NULL: none). */
struct rcase {
	int rule;
	const char *row;
	enum extra extra;
	const char *field, *msg;
};

#define NOW "2025-03-01T09:00"

static const struct rcase cases[] = {
	{ R_END_BEFORE_START, "start=2024-05-02T10:00|end=2024-05-01T10:00", X_NONE, "end",
	  "ends (2024-05-01T10:00) before it starts (2024-05-02T10:00)" },
	{ R_END_BEFORE_START, "start=2024-05-01T10:00|end=2024-05-02T10:00", X_NONE, NULL, NULL },
	{ R_FUTURE, "start=2025-03-02T10:00", X_NONE, "start", "'2025-03-02T10:00' is in the future (now is 2025-03-01T09:00)" },
	{ R_FUTURE, "start=2025-03-01T08:59|end=2025-03-01T09:00", X_NONE, NULL, NULL },
	{ R_START_BEFORE_DOB, "start=2010-01-01T10:00|dob=2010-01-01", X_NONE, "start",
	  "starts on or before the date of birth (2010-01-01)" },
	{ R_START_BEFORE_DOB, "start=2010-01-02T00:00|dob=2010-01-01", X_NONE, NULL, NULL },
	{ R_AGE_18, "start=2024-02-29T10:00|dob=2006-02-28", X_NONE, "start",
	  "the child is 18 or over at the start (born 2006-02-28)" },
	{ R_AGE_18, "start=2024-02-28T23:59|dob=2006-02-29", X_NONE, NULL, NULL },	/* not a date: no dob */
	{ R_AGE_18, "start=2024-02-29T23:59|dob=2006-03-01", X_NONE, NULL, NULL },
	{ R_RHI_BEFORE_RETURN, "end=2024-05-02T10:00|rhi_held=2024-05-01T10:00", X_NONE, "rhi_held",
	  "the return interview (2024-05-01T10:00) is before the return (2024-05-02T10:00)" },
	{ R_RHI_BEFORE_RETURN, "end=2024-05-02T10:00|rhi_held=2024-05-02", X_NONE, NULL, NULL },
	{ R_RHI_ON_OPEN, "start=2024-05-01T10:00|end=|rhi_held=2024-05-02T10:00", X_NONE, "rhi_held",
	  "a return interview is recorded but the episode has not ended" },
	{ R_RHI_ON_OPEN, "start=2024-05-01T10:00|end=2024-05-02T10:00|rhi_held=2024-05-02T10:00", X_NONE, NULL, NULL },
	{ R_ACCEPTED_NOT_OFFERED, "rhi_accepted=Y|rhi_offered=N", X_NONE, "rhi_accepted",
	  "accepted is Y but rhi_offered is 'N'" },
	{ R_ACCEPTED_NOT_OFFERED, "rhi_accepted=Y", X_NONE, "rhi_accepted", "accepted is Y but rhi_offered is empty" },
	{ R_ACCEPTED_NOT_OFFERED, "rhi_accepted=Y|rhi_offered=Y", X_NONE, NULL, NULL },
	{ R_REASON_WITH_HELD, "rhi_reason=declined|rhi_held=2024-05-02T10:00", X_NONE, "rhi_reason",
	  "'declined' says why no interview was held, but rhi_held is set" },
	{ R_REASON_WITH_HELD, "rhi_reason=declined", X_NONE, NULL, NULL },
	{ R_PLACEMENT_NOT_LAC, "placement=foster|care_status=cin", X_NONE, "placement",
	  "'foster' is set but care_status is 'cin', not lac" },
	{ R_PLACEMENT_NOT_LAC, "placement=foster|care_status=lac", X_NONE, NULL, NULL },
	{ R_DUPLICATE_EPISODE, "start=2024-05-01T10:00", X_DUP, "start",
	  "same child, type and start as the episode on line 3" },
	{ R_DUPLICATE_EPISODE, "start=2024-05-01T10:00", X_OVER, NULL, NULL },
	{ R_OVERLAP, "start=2024-05-01T10:00", X_OVER_OPEN, "start",
	  "overlaps the episode on b.csv:4 (from 2024-04-30T08:00, still open)" },
	{ R_OVERLAP, "start=2024-05-01T10:00", X_OVER, "start",
	  "overlaps the episode on line 5 (2024-04-30 to 2024-05-02T07:30)" },
	{ R_OVERLAP, "start=2024-05-01T10:00", X_DUP, NULL, NULL },
	{ R_OPEN_TOO_LONG, "start=2025-01-01T09:00|end=", X_NONE, "end", "still open after 59 days (more than 30)" },
	{ R_OPEN_TOO_LONG, "start=2025-01-30T09:00|end=", X_NONE, NULL, NULL },
	{ R_OPEN_TOO_LONG, "start=2025-01-01T09:00", X_NONE, NULL, NULL },	/* no end column */

	{ R_1004, "MIS_START=", X_NONE, "MIS_START", "the start date is blank" },
	{ R_1004, "MIS_START=31/02/2024", X_NONE, "MIS_START", "'31/02/2024' is not a valid dd/mm/yyyy date" },
	{ R_1004, "MIS_START=1/2/2024", X_NONE, NULL, NULL },
	{ R_1005, "MIS_END=2024-02-01", X_NONE, "MIS_END", "'2024-02-01' is not a valid dd/mm/yyyy date" },
	{ R_1005, "MIS_END=", X_NONE, NULL, NULL },
	{ R_1006, "MISSING=m", X_NONE, "MISSING", "'m' is not M or A" },
	{ R_1006, "MISSING=A", X_NONE, NULL, NULL },
	{ R_564, "MISSING=m|MIS_START=", X_NONE, "MIS_START", "MISSING is 'm' but the start date is blank" },
	{ R_564, "MISSING=X|MIS_START=", X_NONE, NULL, NULL },
	{ R_565, "MISSING=|MIS_START=01/02/2024", X_NONE, "MISSING", "the start date is given but MISSING is blank" },
	{ R_565, "MISSING=M|MIS_START=01/02/2024", X_NONE, NULL, NULL },
	{ R_566, "MISSING=|MIS_END=01/02/2024", X_NONE, "MISSING", "the end date is given but MISSING is blank" },
	{ R_566, "MISSING=|MIS_END=", X_NONE, NULL, NULL },
	{ R_567, "MIS_START=02/02/2024|MIS_END=01/02/2024", X_NONE, "MIS_END",
	  "ends (01/02/2024) before it starts (02/02/2024)" },
	{ R_567, "MIS_START=02/02/2024|MIS_END=02/02/2024", X_NONE, NULL, NULL },
	{ R_570, "MIS_START=01/04/2025", X_NONE, "MIS_START", "starts (01/04/2025) after the collection year ends (31/03/2025)" },
	{ R_570, "MIS_START=31/03/2025", X_NONE, NULL, NULL },
	{ R_571, "MIS_END=31/03/2024", X_NONE, "MIS_END",
	  "ends (31/03/2024) outside the collection year (01/04/2024 to 31/03/2025)" },
	{ R_571, "MIS_END=01/04/2024", X_NONE, NULL, NULL },
	{ R_574, "MIS_START=01/05/2024", X_574_OPEN, "MIS_START",
	  "overlaps the episode on line 6 (from 30/04/2024, still open)" },
	{ R_574, "MIS_START=01/05/2024", X_574, "MIS_START", "overlaps the episode on b.csv:7 (28/04/2024 to 02/05/2024)" },
	{ R_574, "MIS_START=01/05/2024", X_NONE, NULL, NULL },
	{ R_586, "MIS_START=01/02/2010|DOB=01/02/2010", X_NONE, "MIS_START",
	  "starts (01/02/2010) on or before the date of birth (01/02/2010)" },
	{ R_586, "MIS_START=02/02/2010|DOB=01/02/2010", X_NONE, NULL, NULL },
	{ R_INT04, "CHILD=C9", X_HDR_NONE, "CHILD", "child 'C9' is not in the Header table (header.csv)" },
	{ R_INT04, "CHILD=C1", X_HDR, NULL, NULL },
	{ R_INT04, "CHILD=C9", X_NONE, NULL, NULL },	/* no Header table */
	{ R_INT13, "CHILD=C1|DOB=02/02/2010", X_HDR, "DOB", "02/02/2010 differs from the Header table's date of birth (01/02/2010)" },
	{ R_INT13, "CHILD=C1|DOB=1/2/2010", X_HDR, NULL, NULL },
};

/* What the checks reported. */
static struct { int n, rule; char field[64], msg[512]; } got;

static int
capture(const mp_rule_ctx *c, int rule, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (got.n++ == 0) {
		got.rule = rule;
		snprintf(got.field, sizeof got.field, "%s", field ? field : "(none)");
		va_start(ap, fmt);
		vsnprintf(got.msg, sizeof got.msg, fmt, ap);
		va_end(ap);
	}
	return 1;
}

static int
is_903(int rule)
{
	return mp_rules[rule].set == MP_RS_SSDA903 || mp_rules[rule].set == MP_RS_SSDA903_HEADER;
}

/* The column index of name in the case's rule set, or -1. */
static int
column(int ssda903, const char *name, size_t len)
{
	int n = ssda903 ? S_COUNT : MP_NCOLS;

	for (int c = 0; c < n; c++) {
		const char *cn = ssda903 ? mp_ssda903_cols[c] : mp_col_names[c];
		if (cn && strlen(cn) == len && memcmp(cn, name, len) == 0)
			return c;
	}
	return -1;
}

static mp_pt
pt(const char *s)
{
	mp_time t;
	const char *why;

	if (mp_time_parse(s, strlen(s), &t, &why) != 0 && mp_date_parse(s, strlen(s), &t, &why) != 0)
		abort();
	return (mp_pt){ t.utc, t.has_time };
}

/* The context's other inputs for a case: what the history, Header table or 574's order say. */
static void
set_extra(mp_rule_ctx *c, enum extra x)
{
	static mp_hist_result hist;
	static mp_903_ep ep;
	static mp_903_child hdr;

	memset(&hist, 0, sizeof hist);
	switch (x) {
	case X_NONE:
		break;
	case X_DUP:
		hist.dup = 1;
		hist.dup_of = (mp_where){ .line = 3, .file = 0 };
		c->hist = &hist;
		break;
	case X_OVER_OPEN:
		hist.nover = 1;
		hist.over[0] = (mp_where){ .line = 4, .file = 1, .start = pt("2024-04-30T08:00"), .open = 1 };
		c->hist = &hist;
		break;
	case X_OVER:
		hist.nover = 1;
		hist.over[0] = (mp_where){ .line = 5, .file = 0, .start = pt("2024-04-30"), .end = pt("2024-05-02T07:30") };
		c->hist = &hist;
		break;
	case X_HDR:
	case X_HDR_NONE:
		hdr = (mp_903_child){ (int32_t)mp_days_from_civil(2010, 2, 1), INT32_MIN };
		c->hdr = x == X_HDR ? &hdr : NULL;
		c->header_table = "header.csv";
		break;
	case X_574_OPEN:
	case X_574:
		ep = (mp_903_ep){ .line = x == X_574 ? 7 : 6, .file = x == X_574 ? 1 : 0,
				  .s = (int32_t)mp_days_from_civil(2024, 4, x == X_574 ? 28 : 30),
				  .e = (int32_t)mp_days_from_civil(2024, 5, 2), .open = x == X_574_OPEN };
		if (ep.open)
			ep.e = ep.s;
		c->over574 = &ep;
		break;
	}
}

/* The context for case k: its row's columns in column order, decoded as validate.c does. */
static void
build(mp_rule_ctx *c, const struct rcase *k, mp_field *f, int *pos, char *buf, size_t bufsz)
{
	static char *const files[] = { "a.csv", "b.csv" };
	static mp_record rec;
	int ssda903 = is_903(k->rule), ncols = ssda903 ? S_COUNT : MP_NCOLS;
	const char *why;

	memset(c, 0, sizeof *c);
	snprintf(buf, bufsz, "%s", k->row);
	for (int i = 0; i < ncols; i++)
		pos[i] = -1;
	rec.f = f;
	rec.n = 0;
	rec.line = 9;
	for (char *save = NULL, *item = strtok_r(buf, "|", &save); item; item = strtok_r(NULL, "|", &save)) {
		char *eq = strchr(item, '=');
		int col = eq ? column(ssda903, item, (size_t)(eq - item)) : -1;
		if (col < 0) {
			fprintf(stderr, "bad case row '%s'\n", k->row);
			abort();
		}
		pos[col] = (int)rec.n;
		f[rec.n++] = (mp_field){ eq + 1, strlen(eq + 1) };
	}
	c->rec = &rec;
	c->pos = pos;
	if (ssda903) {
		for (int s = 0; s < S_COUNT; s++) {
			mp_field v = mp_rule_val(c, s);
			c->day_ok[s] = v.len && mp_ssda903_date(v.s, v.len, &c->day[s]) == 0;
		}
	} else {
		static const int tcol[T_COUNT] = { MP_COL_START, MP_COL_END, MP_COL_DOB, MP_COL_RHI_HELD };
		for (int t = 0; t < T_COUNT; t++) {
			mp_field v = mp_rule_val(c, tcol[t]);
			char msg[200];
			c->have[t] = v.len && mp_vocab_check(tcol[t], v.s, v.len, &c->t[t], msg, sizeof msg) == MP_FAULT_NONE;
		}
	}
	mp_now_parse(NOW, &c->now, &why);
	c->max_open_days = 30;
	c->year = 2025;
	c->files = files;
	c->cur = 0;
	c->report = capture;
	set_extra(c, k->extra);
}

/* Each case against its rule's check; counts of firing and quiet cases per rule. */
static void
test_checks(int *fires, int *quiet)
{
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct rcase *k = &cases[i];
		const mp_rule *r = &mp_rules[k->rule];
		mp_rule_ctx c;
		mp_field f[MP_NCOLS];
		int pos[MP_NCOLS];
		char buf[512];

		if (!r->check) {
			TAP_OK(0, "%s: a case for a rule with no check", r->id);
			continue;
		}
		build(&c, k, f, pos, buf, sizeof buf);
		memset(&got, 0, sizeof got);
		int errors = r->check(&c);
		if (!k->field) {
			TAP_OK(got.n == 0 && errors == 0, "%s quiet on %s", r->id, k->row);
			quiet[k->rule]++;
			continue;
		}
		TAP_OK(got.n == 1 && errors == 1 && got.rule == k->rule, "%s fires once on %s (%d reports)", r->id, k->row,
		       got.n);
		TAP_STREQ(got.field, k->field, "%s field", r->id);
		TAP_STREQ(got.msg, k->msg, "%s message", r->id);
		fires[k->rule]++;
	}
}

/* The rules checked outside the table's checks, through the validator: a header and rows. */
static const struct vcase {
	int rule;
	const char *header, *row;	/* comma-separated; row NULL: the header's problem */
	const char *field, *msg;	/* NULL: no problem */
} vcases[] = {
	{ R_CSV, "episode_id,child_id,type,start", "E1,C1,away", "(none)",
	  "expected 4 fields (as in the header), found 3" },
	{ R_CSV, "episode_id,child_id,type,start", "E1,C1,away,2024-05-01T10:00", NULL, NULL },
	{ R_HEADER, "episode_id,child_id,child_id", NULL, "child_id",
	  "column name appears twice in the header (columns 2 and 3)" },
	{ R_HEADER, "episode_id,child_id,type,start", NULL, NULL, NULL },
	{ R_COLUMN, "episode_id,child_id,type,start,Chlid Id", NULL, "Chlid Id",
	  "unknown column; did you mean 'child_id'? (it passes through unchecked)" },
	{ R_COLUMN, "episode_id,child_id,type,start,notes", NULL, NULL, NULL },
	{ R_REQUIRED, "episode_id,child_id,type,start", "E1,C1,,2024-05-01T10:00", "type", "required value is empty" },
	{ R_REQUIRED, "episode_id,child_id,type,start", "E1,C1,away,2024-05-01T10:00", NULL, NULL },
	{ R_CODE, "episode_id,child_id,type,start", "E1,C1,wandered,2024-05-01T10:00", "type",
	  "'wandered' is not one of: missing, away, absent" },
	{ R_CODE, "episode_id,child_id,type,start", "E1,C1,absent,2024-05-01T10:00", NULL, NULL },
	{ R_FORMAT, "episode_id,child_id,type,start", "E1,C1,away,2024-05-01T25:00", "start",
	  "'2024-05-01T25:00': impossible time of day" },
	{ R_FORMAT, "episode_id,child_id,type,start", "E1,C1,away,2024-05-01T10:00", NULL, NULL },
	{ R_UNIQUE, "episode_id,child_id,type,start", "E1,C1,away,2024-05-01T10:00", "episode_id",
	  "'E1' already appears on line 2" },
	{ R_UNIQUE, "episode_id,child_id,type,start", "E2,C2,away,2024-05-02T10:00", NULL, NULL },
};

static struct { int n; char field[64], msg[512], id[32]; } vgot;

static void
on_problem(void *ctx, long line, const mp_problem *p, const mp_record *rec)
{
	if (vgot.n++ == 0) {
		snprintf(vgot.id, sizeof vgot.id, "%s", p->id);
		snprintf(vgot.field, sizeof vgot.field, "%s", p->field ? p->field : "(none)");
		snprintf(vgot.msg, sizeof vgot.msg, "%s", p->msg);
	}
}

/* One validator case: header and rows (for R_UNIQUE, a first row with id E1) read by the reader, as mp-validate does. */
static void
run_vcase(const struct vcase *k, const mp_schema *schema)
{
	mp_validate_opts o = { .schema = schema, .ssda903 = 0, .max_open_days = 30 };
	char text[512];
	FILE *tf = tmpfile();
	const char *why;

	snprintf(text, sizeof text, "%s\n%s%s%s", k->header, k->rule == R_UNIQUE ? "E1,C1,away,2024-04-01T10:00\n" : "",
		 k->row ? k->row : "", k->row ? "\n" : "");
	if (!tf || fputs(text, tf) == EOF || fflush(tf) != 0 || fseek(tf, 0, SEEK_SET) != 0)
		abort();
	mp_reader *r = mp_reader_open_fd(dup(fileno(tf)), "a.csv", MP_CSV, MP_UTF8);
	fclose(tf);
	const mp_record *h = mp_reader_header(r);
	mp_record hdr = *h;	/* the header's fields, kept: the reader reuses its storage */
	mp_field f[16];
	char *copies[16];
	for (size_t i = 0; i < h->n && i < 16; i++) {
		copies[i] = strndup(h->f[i].s, h->f[i].len);
		f[i] = (mp_field){ copies[i], h->f[i].len };
	}
	hdr.f = f;
	hdr.raw = NULL;
	mp_now_parse(NOW, &o.now, &why);
	memset(&vgot, 0, sizeof vgot);
	mp_validator *v = mp_validator_new(&o, &hdr, "a.csv", on_problem, NULL);
	if (mp_validator_header(v) == 0) {
		mp_record *rec;
		int st;
		while ((st = mp_reader_next(r, &rec)) != MP_READ_EOF) {
			if (st == MP_READ_BAD)
				mp_validator_bad_row(v, mp_reader_bad_line(r), mp_reader_bad_field(r), mp_reader_bad_msg(r),
						     rec);
			else
				mp_validator_row(v, rec);
		}
	}
	mp_validator_free(v);
	mp_reader_close(r);
	for (size_t i = 0; i < hdr.n && i < 16; i++)
		free(copies[i]);
}

static void
test_validator(int *fires, int *quiet)
{
	mp_schema *schema = mp_schema_default();

	TAP_OK(schema != NULL, "the shipped schema loads");
	if (!schema)
		return;
	for (size_t i = 0; i < sizeof vcases / sizeof *vcases; i++) {
		const struct vcase *k = &vcases[i];
		const char *id = mp_rules[k->rule].id;
		run_vcase(k, schema);
		if (!k->field) {
			TAP_OK(vgot.n == 0, "%s quiet on %s / %s (%d reports)", id, k->header, k->row ? k->row : "-",
			       vgot.n);
			quiet[k->rule]++;
			continue;
		}
		TAP_STREQ(vgot.id, id, "%s fires on %s / %s", id, k->header, k->row ? k->row : "-");
		TAP_STREQ(vgot.field, k->field, "%s field", id);
		TAP_STREQ(vgot.msg, k->msg, "%s message", id);
		fires[k->rule]++;
	}
	mp_schema_free(schema);
}

/* The table itself: every entry filled, ids distinct, each rule with a firing and a quiet case. */
static void
test_table(const int *fires, const int *quiet)
{
	for (int r = 0; r < R_COUNT; r++) {
		const mp_rule *x = &mp_rules[r];
		if (!x->id || !x->description) {
			TAP_OK(0, "rule %d has an entry in mp_rules", r);
			continue;
		}
		TAP_OK(mp_rule_find(x->id) == r, "%s: its id is its own", x->id);
		TAP_OK(fires[r] > 0 && quiet[r] > 0, "%s: a case where it fires (%d) and one where it does not (%d)", x->id,
		       fires[r], quiet[r]);
		for (int s = 0; s < R_COUNT && x->check; s++)
			if (s != r && mp_rules[s].check && mp_rules[s].set == x->set && mp_rules[s].order == x->order &&
			    x->order != 0)
				TAP_OK(0, "%s and %s share a place in the checks' order", x->id, mp_rules[s].id);
	}
	TAP_OK(mp_nrules == R_COUNT, "mp_rules has R_COUNT entries");
}

int
main(void)
{
	int fires[R_COUNT] = { 0 }, quiet[R_COUNT] = { 0 };

	setenv("MPTOOLS_SHARE", getenv("MPTOOLS_SHARE") ? getenv("MPTOOLS_SHARE") : "share", 1);
	mp_tz_init(NULL);
	test_checks(fires, quiet);
	test_validator(fires, quiet);
	test_table(fires, quiet);
	return tap_done();
}
