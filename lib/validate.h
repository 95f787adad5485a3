/* validate.h: the rule engine behind mp-validate (schema checks first; rule sets slot in). */
#ifndef MP_VALIDATE_H
#define MP_VALIDATE_H

#include "reader.h"
#include "schema.h"

/* One rule: a stable id, shown in every message and in the rejects file. */
typedef struct mp_rule {
	const char *id;
	const char *desc;
	int warning;		/* reported, but the row passes */
} mp_rule;

/* One problem found in a row (or, for line > 0 != row line, an earlier row). */
typedef struct mp_problem {
	const char *rule;
	const char *field;	/* column name, or NULL for the whole row */
	char msg[512];
	int warning;
} mp_problem;

typedef void (*mp_report_fn)(void *ctx, long line, const mp_problem *p, const mp_record *rec);

typedef struct mp_validator mp_validator;

/* The schema-check rules (ids "csv", "required", "code", "format", "unique"). */
extern const mp_rule mp_schema_rules[];
extern const size_t mp_schema_nrules;

mp_validator *mp_validator_new(const mp_schema *schema, const mp_record *header, const char *file,
			       mp_report_fn report, void *ctx);
void mp_validator_free(mp_validator *v);

/* Switch a rule off, or make it a warning; -1 if the id is unknown. */
int mp_validator_skip(mp_validator *v, const char *id);
int mp_validator_warn(mp_validator *v, const char *id);

/*
 * Check the header: missing required columns and duplicate names are
 * errors (returns -1, already reported); unknown columns that look like a
 * misspelt schema column are reported as warnings.
 */
int mp_validator_header(mp_validator *v);

/* Check one row; returns the number of errors (warnings not counted). */
int mp_validator_row(mp_validator *v, const mp_record *rec);
/* Report a row the reader could not use (ragged, bad quoting, encoding). */
void mp_validator_bad_row(mp_validator *v, long line, const char *field, const char *msg, const mp_record *rec);

/* Emit a problem through the report callback (for rule sets living elsewhere). */
void mp_validator_report(mp_validator *v, long line, const char *rule, const char *field,
			 const mp_record *rec, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Whether a rule is on, and whether it is a warning. */
int mp_validator_rule_on(const mp_validator *v, const char *id);

#endif
