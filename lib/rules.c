/* rules.c: the rule table: every rule's id, description, level, set and check, one entry each. */
#include "rules.h"
#include "validate.h"

#include <string.h>

/*
 * The order of the table is the order of --list-rules and --summary.  The
 * order of one row's messages is the checks' order: table order within
 * the episode set; the SSDA903 checks run by .order (field by field, as
 * the national validator reports them).
 */
const mp_rule mp_rules[R_COUNT] = {
	/* The reader checks these: a row it cannot split never reaches the rules. */
	[R_CSV] = { .id = "csv", .level = MP_ERROR, .set = MP_RS_ANY,
		.description = "the row cannot be read: bad quoting, wrong number of fields, bad encoding" },
	/* Checked once, on the header, before any row (mp_validator_header). */
	[R_HEADER] = { .id = "header", .level = MP_ERROR, .set = MP_RS_ANY,
		.description = "the header lacks a required column or names a column twice" },
	[R_COLUMN] = { .id = "column", .level = MP_WARNING, .set = MP_RS_ANY,
		.description = "an unknown column looks like a misspelt known one (it passes through unchecked)" },
	/* The schema pass checks these, column by column, decoding the times the checks below read. */
	[R_REQUIRED] = { .id = "required", .level = MP_ERROR, .set = MP_RS_EPISODE,
		.description = "a required value is empty" },
	[R_CODE] = { .id = "code", .level = MP_ERROR, .set = MP_RS_EPISODE,
		.description = "a value is not one of the column's codes" },
	[R_FORMAT] = { .id = "format", .level = MP_ERROR, .set = MP_RS_EPISODE,
		.description = "a value is not a valid date, date-time, Y/N flag, number or pattern" },
	[R_UNIQUE] = { .id = "unique", .level = MP_ERROR, .set = MP_RS_EPISODE,
		.description = "a value that must be unique in the stream (episode_id) appears again" },

	[R_END_BEFORE_START] = { .id = "end_before_start", .level = MP_ERROR, .set = MP_RS_EPISODE,
		.description = "the episode ends before it starts",
		.check = mp_check_end_before_start },
	[R_FUTURE] = { .id = "future", .level = MP_ERROR, .set = MP_RS_EPISODE,
		.description = "start, end or rhi_held is after --now",
		.check = mp_check_future },
	[R_START_BEFORE_DOB] = { .id = "start_before_dob", .level = MP_ERROR, .set = MP_RS_EPISODE,
		.description = "the episode starts on or before the date of birth",
		.check = mp_check_start_before_dob },
	[R_AGE_18] = { .id = "age_18", .level = MP_WARNING, .set = MP_RS_EPISODE,
		.description = "the child is 18 or over at the start",
		.check = mp_check_age_18 },
	[R_RHI_BEFORE_RETURN] = { .id = "rhi_before_return", .level = MP_ERROR, .set = MP_RS_EPISODE,
		.description = "the return interview is before the return",
		.check = mp_check_rhi_before_return },
	[R_RHI_ON_OPEN] = { .id = "rhi_on_open", .level = MP_ERROR, .set = MP_RS_EPISODE,
		.description = "a return interview is recorded on an episode that has not ended",
		.check = mp_check_rhi_on_open },
	[R_ACCEPTED_NOT_OFFERED] = { .id = "accepted_not_offered", .level = MP_ERROR, .set = MP_RS_EPISODE,
		.description = "rhi_accepted is Y but rhi_offered is not Y",
		.check = mp_check_accepted_not_offered },
	[R_REASON_WITH_HELD] = { .id = "reason_with_held", .level = MP_ERROR, .set = MP_RS_EPISODE,
		.description = "rhi_reason (why none was held) is set while rhi_held is set",
		.check = mp_check_reason_with_held },
	[R_PLACEMENT_NOT_LAC] = { .id = "placement_not_lac", .level = MP_ERROR, .set = MP_RS_EPISODE,
		.description = "placement is set for a child whose care_status is not lac",
		.check = mp_check_placement_not_lac },
	[R_DUPLICATE_EPISODE] = { .id = "duplicate_episode", .level = MP_ERROR, .set = MP_RS_EPISODE,
		.description = "an earlier row has the same child, type and start",
		.check = mp_check_duplicate_episode },
	[R_OVERLAP] = { .id = "overlap", .level = MP_ERROR, .set = MP_RS_EPISODE,
		.description = "the child's episodes overlap (the national return's ordering)",
		.check = mp_check_overlap },
	[R_OPEN_TOO_LONG] = { .id = "open_too_long", .level = MP_WARNING, .set = MP_RS_EPISODE,
		.description = "the episode has been open longer than --max-open-days",
		.check = mp_check_open_too_long },

	[R_1004] = { .id = "1004", .level = MP_ERROR, .set = MP_RS_SSDA903,
		.description = "MIS_START is blank or not a valid dd/mm/yyyy date",
		.check = mp_check_1004, .order = 5 },
	[R_1005] = { .id = "1005", .level = MP_ERROR, .set = MP_RS_SSDA903,
		.description = "MIS_END is given but is not a valid dd/mm/yyyy date",
		.check = mp_check_1005, .order = 9 },
	[R_1006] = { .id = "1006", .level = MP_ERROR, .set = MP_RS_SSDA903,
		.description = "MISSING is given but is not M or A",
		.check = mp_check_1006, .order = 2 },
	[R_564] = { .id = "564", .level = MP_ERROR, .set = MP_RS_SSDA903,
		.description = "MISSING is M or A but MIS_START is blank",
		.check = mp_check_564, .order = 6 },
	[R_565] = { .id = "565", .level = MP_ERROR, .set = MP_RS_SSDA903,
		.description = "MIS_START is given but MISSING is blank",
		.check = mp_check_565, .order = 3 },
	[R_566] = { .id = "566", .level = MP_ERROR, .set = MP_RS_SSDA903,
		.description = "MIS_END is given but MISSING is blank",
		.check = mp_check_566, .order = 4 },
	[R_567] = { .id = "567", .level = MP_ERROR, .set = MP_RS_SSDA903,
		.description = "MIS_END is before MIS_START",
		.check = mp_check_567, .order = 10 },
	[R_570] = { .id = "570", .level = MP_ERROR, .set = MP_RS_SSDA903,
		.description = "MIS_START is after the end of the collection year",
		.check = mp_check_570, .order = 8 },
	[R_571] = { .id = "571", .level = MP_ERROR, .set = MP_RS_SSDA903,
		.description = "MIS_END is before the start or after the end of the collection year",
		.check = mp_check_571, .order = 11 },
	[R_574] = { .id = "574", .level = MP_ERROR, .set = MP_RS_SSDA903,
		.description = "an episode starts while the child's previous one is open, or before it ends",
		.check = mp_check_574, .order = 12 },
	[R_586] = { .id = "586", .level = MP_ERROR, .set = MP_RS_SSDA903,
		.description = "MIS_START is on or before the date of birth",
		.check = mp_check_586, .order = 7 },
	[R_INT04] = { .id = "INT04", .level = MP_ERROR, .set = MP_RS_SSDA903_HEADER,
		.description = "the child is not in the Header table (--header)",
		.check = mp_check_int04, .order = 0 },
	[R_INT13] = { .id = "INT13", .level = MP_ERROR, .set = MP_RS_SSDA903_HEADER,
		.description = "DOB differs from the child's DOB in the Header table (--header)",
		.check = mp_check_int13, .order = 1 },
};
const size_t mp_nrules = sizeof mp_rules / sizeof *mp_rules;

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
