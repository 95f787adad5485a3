/* datefmt.h: the date-time forms exports really use, read in a stated day/month order. */
#ifndef MP_DATEFMT_H
#define MP_DATEFMT_H

#include <stddef.h>
#include "mptime.h"

/* The order of a numeric date's day, month and year (--dates, a map's "dates" line). */
enum mp_date_order { MP_DMY = 0, MP_MDY, MP_YMD };

/* "dmy", "mdy" or "ymd" -> order; -1 for anything else. */
int mp_date_order_parse(const char *s);
const char *mp_date_order_name(enum mp_date_order o);

/*
 * Read a date or date-time in any of these forms (D, M and H may have one
 * digit; Mon is an English month name or abbreviation, any case):
 *   YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z|+hh:mm]   (also / or . between)
 *   DD/MM/YYYY[ HH:MM[:SS[.fff]]]                  (also - or .; MM/DD in mdy order)
 *   DD-Mon-YYYY, DD Mon YYYY, Mon DD, YYYY         (each with an optional time)
 * A time may end in AM or PM.  Fractions of a second are dropped.  The result
 * is checked and made an instant by mp_time_parse (UK local time, clock
 * changes, offsets).  Returns 0, or -1 with *why set; *swapped is set to 1
 * when a numeric date the order refuses reads in the other day/month order
 * (12/25/2024 in dmy), so the caller can say which option to use.
 */
int mp_date_read(const char *s, size_t len, enum mp_date_order order, mp_time *t, const char **why,
		 int *swapped);

/*
 * An Excel serial date number (days since 1899-12-30, a fraction for the
 * time of day, rounded to the second) as a local date-time.
 */
int mp_excel_serial_read(const char *s, size_t len, mp_time *t, const char **why);

#endif
