/* mptime.h: UK dates and times: parsing, the local zone, elapsed time. */
#ifndef MP_MPTIME_H
#define MP_MPTIME_H

#include <stddef.h>
#include <stdint.h>

/* A parsed date or date-time, as written and as an instant. */
typedef struct mp_time {
	int64_t utc;		/* seconds since 1970-01-01T00:00Z (date only: local midnight) */
	int64_t day;		/* local calendar day, days since 1970-01-01 */
	int y, mo, d, h, mi, s;	/* local civil fields */
	int offset;		/* seconds east of UTC at that instant */
	unsigned has_time : 1;	/* a time of day was given */
	unsigned has_offset : 1;	/* an explicit Z or +hh:mm was given */
	unsigned ambiguous : 1;	/* in the repeated autumn hour, no offset: the first (summer-time) one was taken */
} mp_time;

/*
 * Use zone (a tz database name) for local times; NULL means Europe/London,
 * or $MPTOOLS_TZ when set.  Returns -1 when the zone is unknown.  The
 * zone's offsets are tabled here, once: call it before starting threads
 * (a program that never calls it gets the default zone on first use, or
 * the C library's local time when that zone is not installed).
 * Everything below reads the table without locks.
 */
int mp_tz_init(const char *zone);
const char *mp_tz_name(void);

/*
 * Parse a date or date-time: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (or a space
 * for T) with an optional Z or +hh:mm / -hh:mm, DD/MM/YYYY and
 * DD/MM/YYYY HH:MM[:SS].  Two-digit years, impossible dates, 24:00 and
 * local times skipped by the spring clock change are rejected.  Returns 0,
 * or -1 with *why set to a static message.
 */
int mp_time_parse(const char *s, size_t len, mp_time *t, const char **why);
/* As mp_time_parse, but a date only is required (dates of birth). */
int mp_date_parse(const char *s, size_t len, mp_time *t, const char **why);
/*
 * For a value checked but not used: 1 when mp_time_parse (mp_date_parse when
 * date_only) would read it, known by the ISO fast path alone; 0 when only
 * parsing it can tell.
 */
int mp_time_valid_fast(const char *s, size_t len, int date_only);

/* Days since 1970-01-01 for a proleptic Gregorian date, and back. */
int64_t mp_days_from_civil(int y, int m, int d);
void mp_civil_from_days(int64_t days, int *y, int *m, int *d);
int mp_days_in_month(int y, int m);
int mp_weekday(int64_t days);	/* 1 = Monday ... 7 = Sunday */

/*
 * 1 and the offset when the local day has one offset all through it (and
 * 12 hours either side): then local time minus the offset is the instant.
 * 0 on and next to a clock-change day (use mp_local_to_utc).  One load.
 */
int mp_tz_steady(int64_t day, int *offset);
/* Local time -> UTC; returns 0, 1 when ambiguous (first taken), -1 in a gap. */
int mp_local_to_utc(int y, int mo, int d, int h, int mi, int s, int64_t *utc, int *offset);
/* The UK local date of a parsed time (one written with an offset may name another day). */
int64_t mp_local_day(const mp_time *t);
/* UTC -> local civil fields (any pointer may be NULL). */
void mp_utc_to_local(int64_t utc, mp_time *t);
/* The UK local day (days since 1970-01-01) of an instant: mp_utc_to_local's day, without the fields. */
int64_t mp_utc_local_day(int64_t utc);

/*
 * Write an instant as local ISO time YYYY-MM-DDTHH:MM[:SS]; the seconds
 * appear only when non-zero.  The offset (+01:00 / +00:00) is written
 * only when the local time is in the repeated autumn hour, so every
 * written time names one instant.  Returns the length (buf >= 32 bytes).
 */
size_t mp_time_format(char *buf, int64_t utc);
/* YYYY-MM-DD for a day number. */
size_t mp_date_format(char *buf, int64_t day);
/* A time as it was given: mp_time_format when it had a time of day, else its date. */
size_t mp_time_format_as_given(char *buf, int64_t utc, int64_t day, int has_time);

/* The --now option: a date-time as above, or "now" / NULL for the clock. */
int mp_now_parse(const char *arg, int64_t *utc, const char **why);

#endif
