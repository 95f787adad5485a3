/* period.h: reporting periods (day, ISO week, month, quarter, year, April-to-March year and its quarters). */
#ifndef MP_PERIOD_H
#define MP_PERIOD_H

#include <stddef.h>
#include <stdint.h>

enum mp_period {
	MP_BY_DAY, MP_BY_WEEK, MP_BY_MONTH, MP_BY_QUARTER, MP_BY_YEAR, MP_BY_FY, MP_BY_FQ, MP_BY_NONE
};

/* "day" ... "fy", "fq", "none" -> the enum; -1 when unknown. */
int mp_period_parse(const char *name);
extern const char *const mp_period_names[];	/* indexed by enum mp_period */

/*
 * The period a local calendar day (days since 1970-01-01) falls in, as an
 * ordinal: consecutive periods have consecutive keys, so key + 1 is the
 * next one.  MP_BY_NONE gives 0 for every day.
 */
int64_t mp_period_key(enum mp_period by, int64_t day);

/* The same from the civil date of that day (faster when it is at hand). */
int64_t mp_period_key_ymd(enum mp_period by, int64_t day, int y, int m);

/* First and last local day of the period with that key (NONE: whole range). */
void mp_period_days(enum mp_period by, int64_t key, int64_t *first, int64_t *last);

/*
 * The label: 2025-01-31, 2025-W05 (ISO week), 2025-01, 2025-Q1, 2025,
 * 2024-25 (1 April 2024 to 31 March 2025), 2024-25 Q1 (the council's
 * financial quarter: April to June 2024; Q4 is January to March 2025), or
 * "all" for NONE.
 * buf holds at least MP_PERIOD_LABEL_MAX bytes; returns the length.
 */
#define MP_PERIOD_LABEL_MAX 24
size_t mp_period_label(enum mp_period by, int64_t key, char *buf);

#endif
