/*
 * vreport.h: what mp-validate says about the problems it finds: a line
 * each on stderr (text or JSON), a row each in the rejects file, the
 * --summary table, the collection-year note and the closing count line.
 */
#ifndef MP_VREPORT_H
#define MP_VREPORT_H

#include "validate.h"
#include "writer.h"

typedef struct mp_vreport mp_vreport;

/* quiet: no line a problem; json: JSON lines; summary: a table of rules instead of a line a problem. */
mp_vreport *mp_vreport_new(const mp_record *header, int quiet, int json, int summary);
void mp_vreport_free(mp_vreport *r);

/* Write every problem, with its row, to w (the caller closes it); its header row is written now. */
void mp_vreport_rejects(mp_vreport *r, mp_writer *w);

/* The validator's report function (ctx: the mp_vreport). */
void mp_vreport_problem(void *ctx, long line, const mp_problem *p, const mp_record *rec);

/* The --summary table: the rules that found something, in list order. */
void mp_vreport_summary(const mp_vreport *r);
/* When rule 570 or 571 fired against a year taken from the data (inferred), say which year. */
void mp_vreport_year_note(const mp_vreport *r, int year, int inferred);
/* The closing line: rows read, passed, rejected, warnings. */
void mp_vreport_closing(const mp_vreport *r, long read, long passed, long rejected);

#endif
