/* Unit tests for lib/episode.c: the vocabulary agrees with the shipped schema; values and their messages. */
#include "episode.h"
#include "mptime.h"
#include "schema.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

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

/*
 * The decoder's fast path (perfect hash of codes, patterns checked byte by
 * byte, ISO times) never passes a value mp_vocab_check refuses (what it
 * refuses, the in-order path decides): value by value, a row of good
 * values with one column replaced.
 */
static const char *const good[MP_NCOLS] = {
	"e1", "c1", "missing", "2025-01-10T10:00", "2025-01-10T12:00", "2010-05-01", "female", "WBRI", "N",
	"lac", "in_area", "Y", "P1", "low", "Y", "N", "2025-01-11T09:00", "other", "a_b;c", "N", "ll", "E1",
	"E1", "2025-01-10T13:00", "x", "y", "7",
};
static const char *const tries[] = {
	"", "missing", "away", "absent", "awa", "Missing", "missinG", "male", "female", "other", "unknown",
	"lac", "cp", "cin", "eh", "referral", "none", "in_area", "out_of_area", "no_apparent_risk", "low",
	"medium", "high", "declined_child", "declined_parent", "no_contact", "custody", "missing_again",
	"declined_chile", "mxssing", "Y", "N", "y", "YN", "a", "a_b", "a__b", "_a", "a_", "a;b", "a;;b", ";a",
	"a;", "a_;b", "a;_b", "_;_", "_x_", "x1_2", "A", "a b", "a-b", "0", "1", "01", "123", "2025-01-10",
	"2025-01-10T11:00", "2025-01-10T11:00:30", "2025-02-29", "2024-02-29", "2025-13-01", "2025-00-10",
	"2025-01-32", "2025-01-10T24:00", "2025-01-10T23:60", "1899-12-31", "2200-01-01", "10/01/2025",
	"2025-03-30T01:30", "2025-10-26T01:30", "2025-01-10T11:00Z", "2025-01-1aT11:00", "2025-01-10 11:00",
	"2025-01-10T11:00:60", "2025-01-10T1:00", "20250110",
};

static void
test_fast_path(void)
{
	mp_field hf[MP_NCOLS], rf[MP_NCOLS];
	mp_record h = { .f = hf, .n = MP_NCOLS, .line = 1 }, r = { .f = rf, .n = MP_NCOLS, .line = 2 };
	mp_colmap cm, some;

	for (int c = 0; c < MP_NCOLS; c++)
		hf[c] = (mp_field){ mp_col_names[c], strlen(mp_col_names[c]) };
	mp_colmap_bind(&cm, &h);
	mp_colmap_bind(&some, &h);
	mp_colmap_need(&some, 0);	/* dob, rhi_held, rhi_offered_at: checked, not kept */
	for (int c = 0; c < MP_NCOLS; c++) {
		int agree = 1;
		for (size_t i = 0; i < sizeof tries / sizeof *tries; i++) {
			char msg[256];
			const char *col = NULL;
			mp_episode ep;
			mp_time t;
			for (int k = 0; k < MP_NCOLS; k++)
				rf[k] = (mp_field){ good[k], strlen(good[k]) };
			if (c == MP_COL_START)
				rf[MP_COL_END] = (mp_field){ "", 0 };	/* no order to check */
			if (c == MP_COL_END)
				rf[MP_COL_START] = (mp_field){ "1900-01-01", 10 };
			rf[c] = (mp_field){ tries[i], strlen(tries[i]) };
			int want = mp_vocab_check((enum mp_col)c, tries[i], strlen(tries[i]), &t, msg, sizeof msg) == MP_FAULT_NONE;
			int got = mp_episode_decode(&cm, &r, &ep, &col, msg, sizeof msg) == 0;
			int got_some = mp_episode_decode(&some, &r, &ep, &col, msg, sizeof msg) == 0;
			if (got != want || got_some != want) {
				agree = 0;
				TAP_OK(0, "%s '%s': decoded %s (%s unkept), checked %s", mp_col_names[c], tries[i],
				       got ? "good" : "bad", got_some ? "good" : "bad", want ? "good" : "bad");
			}
			if (mp_time_valid_fast(tries[i], strlen(tries[i]), 0) &&
			    mp_time_parse(tries[i], strlen(tries[i]), &t, &col) != 0)
				TAP_OK(0, "'%s': valid by the fast check, not by mp_time_parse", tries[i]);
			if (mp_time_valid_fast(tries[i], strlen(tries[i]), 1) &&
			    mp_date_parse(tries[i], strlen(tries[i]), &t, &col) != 0)
				TAP_OK(0, "'%s': valid by the fast check, not by mp_date_parse", tries[i]);
		}
		TAP_OK(agree, "%s: the decoder's verdict is mp_vocab_check's for every value tried", mp_col_names[c]);
	}
}

int
main(void)
{
	setenv("MPTOOLS_SHARE", getenv("MPTOOLS_SHARE") ? getenv("MPTOOLS_SHARE") : "share", 1);
	mp_tz_init(NULL);
	test_schema();
	test_values();
	test_fast_path();
	return tap_done();
}
