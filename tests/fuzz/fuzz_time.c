/* libFuzzer target: date and time parsing, formatting and working-day arithmetic. */
#include "calendar.h"
#include "mptime.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	mp_time t;
	const char *why;
	char buf[64];

	if (!ready) {
		mp_tz_init(NULL);
		mp_holidays_load(NULL);
		ready = 1;
	}
	if (mp_time_parse((const char *)data, size, &t, &why) == 0) {
		mp_time back;
		size_t n = mp_time_format(buf, t.utc);
		/* What we write must parse back to the same instant (inside the years we accept). */
		int in_range = t.utc > -2208902400LL && t.utc < 7258032000LL;	/* 1900-01-02 .. 2199-12-30 */
		if (in_range && (mp_time_parse(buf, n, &back, &why) != 0 || back.utc != t.utc))
			__builtin_trap();
		mp_date_format(buf, t.day);
		if (t.day > -25000 && t.day < 80000)
			mp_add_working_days(t.day, size % 40);
	}
	return 0;
}
