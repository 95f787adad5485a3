/* Unit tests for lib/episode.c: the vocabulary agrees with the shipped schema; values and their messages. */
#include "episode.h"
#include "mptime.h"
#include "schema.h"
#include "tap.h"

#include <stdlib.h>

static void
test_schema(void)
{
	mp_schema *s = mp_schema_default();

	TAP_OK(s != NULL, "the shipped schema loads");
	if (!s)
		return;
	TAP_OK(s->n == MP_NCOLS, "the schema has the %d canonical columns (%zu)", MP_NCOLS, s->n);
	for (int c = 0; c < MP_NCOLS && (size_t)c < s->n; c++) {
		const char *want = mp_vocab[c].name ? mp_vocab[c].name : "(not in the vocabulary)";
		TAP_STREQ(s->f[c].name, want, "column %d is %s", c, want);
		TAP_OK(mp_vocab_matches((enum mp_col)c, &s->f[c]), "%s: the schema says what the vocabulary says",
		       mp_vocab[c].name);
	}
	mp_schema_free(s);
}

static const struct { enum mp_col c; const char *in; enum mp_fault want; const char *msg; } cases[] = {
	{ MP_COL_TYPE, "missing", MP_FAULT_NONE, "" },
	{ MP_COL_TYPE, "wandered", MP_FAULT_CODE, "'wandered' is not one of: missing, away, absent" },
	{ MP_COL_TYPE, "", MP_FAULT_REQUIRED, "required value is empty" },
	{ MP_COL_TYPE, "awa", MP_FAULT_CODE, "'awa' is not one of: missing, away, absent" },
	{ MP_COL_TYPE, "away ", MP_FAULT_CODE, "'away ' is not one of: missing, away, absent" },
	{ MP_COL_CARE_STATUS, "", MP_FAULT_NONE, "" },
	{ MP_COL_HOTH, "Y", MP_FAULT_NONE, "" },
	{ MP_COL_HOTH, "y", MP_FAULT_FORMAT, "'y' is not Y or N" },
	{ MP_COL_START, "2025-03-30T01:30", MP_FAULT_FORMAT,
	  "'2025-03-30T01:30': this local time does not exist (the clocks went forward)" },
	{ MP_COL_DOB, "2012-01-01", MP_FAULT_NONE, "" },
	{ MP_COL_DOB, "2012-01-01T10:00", MP_FAULT_FORMAT, "'2012-01-01T10:00': expected a date without a time" },
	{ MP_COL_PUSH_PULL, "a_b;c1", MP_FAULT_NONE, "" },
	{ MP_COL_PUSH_PULL, "a__b", MP_FAULT_FORMAT, "'a__b' does not match the pattern [a-z0-9]+(?:_[a-z0-9]+)*" },
	{ MP_COL_PUSH_PULL, "_a", MP_FAULT_FORMAT, "'_a' does not match the pattern [a-z0-9]+(?:_[a-z0-9]+)*" },
	{ MP_COL_PUSH_PULL, "a_", MP_FAULT_FORMAT, "'a_' does not match the pattern [a-z0-9]+(?:_[a-z0-9]+)*" },
	{ MP_COL_PUSH_PULL, "a;", MP_FAULT_FORMAT, "empty item in a ';'-separated list" },
	{ MP_COL_SOURCE, "_x_", MP_FAULT_NONE, "" },
	{ MP_COL_SOURCE, "X", MP_FAULT_FORMAT, "'X' does not match the pattern [a-z0-9_]+" },
	{ MP_COL_LA, "anything at all", MP_FAULT_NONE, "" },
};

static void
test_values(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char msg[256] = "";
		mp_time t;
		enum mp_fault f = mp_vocab_check(cases[i].c, cases[i].in, strlen(cases[i].in), &t, msg, sizeof msg);
		TAP_OK(f == cases[i].want, "%s '%s': fault %d", mp_vocab[cases[i].c].name, cases[i].in, (int)f);
		if (cases[i].want != MP_FAULT_NONE)
			TAP_STREQ(msg, cases[i].msg, "%s '%s': message", mp_vocab[cases[i].c].name, cases[i].in);
	}
}

int
main(void)
{
	setenv("MPTOOLS_SHARE", getenv("MPTOOLS_SHARE") ? getenv("MPTOOLS_SHARE") : "share", 1);
	mp_tz_init(NULL);
	test_schema();
	test_values();
	return tap_done();
}
