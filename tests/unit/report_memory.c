/*
 * report_memory: what mp-report keeps an episode (lib/report.h), as TAP:
 * its own state within 48 bytes, and the engines' shared store within 16
 * bytes an entry and one a breakdown, with room to grow (half as much again).
 */
#include "err.h"
#include "mptime.h"
#include "report.h"
#include "record.h"
#include "tap.h"

#include <stdio.h>
#include <string.h>

/* n episodes, two a child, a year of starts, as the benchmark file has them; *store: the store's bytes an episode. */
static size_t
per_episode(long n, int with_factors, size_t *store)
{
	mp_report_config cfg;
	mp_report_config_init(&cfg);
	cfg.from_day = mp_days_from_civil(2024, 4, 1);
	cfg.to_day = mp_days_from_civil(2025, 3, 31);
	cfg.kind = MP_KIND_ANNUAL;
	cfg.now = (int64_t)mp_days_from_civil(2026, 1, 1) * 86400;
	mp_report_config_periods(&cfg);
	mp_report_data *d = mp_report_data_new(&cfg);
	char hb[] = "episode_id,child_id,type,start,end,dob,rhi_offered,rhi_held,push_pull,hoth,source,la";
	mp_field f[16];
	mp_record r;
	char err[256], msg[256];
	test_record(&r, f, hb, 16);
	if (mp_report_data_bind(d, &r, err, sizeof err))
		return (size_t)-1;
	for (long i = 0; i < n; i++) {
		char b[256];
		int y, m, dd;
		mp_civil_from_days(cfg.from_day + i % 365, &y, &m, &dd);
		snprintf(b, sizeof b, "%ld,%ld,missing,%04d-%02d-%02dT10:00,%04d-%02d-%02dT18:00,2010-01-01,Y,,%s,N,"
			 "liquidlogic,E1", 100000 + i, 1000000 + i / 2, y, m, dd, y, m, dd,
			 with_factors ? "peer_pressure;mental_health" : "");
		test_record(&r, f, b, 16);
		const char *col;
		if (mp_report_data_add(d, &r, &col, msg, sizeof msg))
			return (size_t)-1;
	}
	size_t bytes = mp_report_data_memory(d);
	*store = mp_report_data_store_memory(d) / (size_t)n;
	mp_report_data_free(d);
	return bytes / (size_t)n;
}

int
main(void)
{
	mp_set_program((char *[]){ "report_memory", NULL });
	size_t sa, sb;
	size_t a = per_episode(200000, 0, &sa), b = per_episode(200000, 1, &sb);
	/* An annual report has 14 breakdowns (engines): at most a byte each while each has under 254 cells. */
	size_t store_max = (12 + 14) * 3 / 2;
	TAP_OK(a <= 48, "200,000 episodes, 100,000 children: the report's own state is %zu bytes an episode (at most 48)", a);
	TAP_OK(b <= 48, "the same with push and pull factors: %zu bytes an episode (at most 48)", b);
	TAP_OK(sa <= store_max, "the engines' shared store: %zu bytes an episode (at most %zu)", sa, store_max);
	TAP_OK(sb <= store_max, "the same with push and pull factors: %zu bytes an episode (at most %zu)", sb, store_max);
	return tap_done();
}
