/* calendar.h: working days (weekends and England and Wales bank holidays). */
#ifndef MP_CALENDAR_H
#define MP_CALENDAR_H

#include <stdint.h>

/*
 * Load bank holidays from path (NULL: share/bank-holidays).  One
 * YYYY-MM-DD a line; '#' starts a comment.  Returns 0, or -1 with a
 * message printed naming the file and line.  Load them before asking
 * about working days: until then no day is a holiday.
 */
int mp_holidays_load(const char *path);
/* 1 when day (days since 1970-01-01) is a loaded bank holiday. */
int mp_is_holiday(int64_t day);
int mp_is_working_day(int64_t day);
/* The day n working days after day (n >= 0; day itself is not counted). */
int64_t mp_add_working_days(int64_t day, int n);
/* First and last year the loaded list covers (0 when empty). */
void mp_holidays_range(int *first, int *last);

#endif
