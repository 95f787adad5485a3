/*
 * Replays every input the fuzzers once crashed on (tests/fuzz/regressions/,
 * named TARGET-what) through the same target code; under `make
 * check-sanitize` a regression aborts with the sanitizer's report.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LLVMFuzzerTestOneInput fuzz_reader_one
#include "../fuzz/fuzz_reader.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_schema_one
#include "../fuzz/fuzz_schema.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_time_one
#include "../fuzz/fuzz_time.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_rules_one
#include "../fuzz/fuzz_rules.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_map_one
#include "../fuzz/fuzz_map.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_parallel_one
#include "../fuzz/fuzz_parallel.c"
#undef LLVMFuzzerTestOneInput

#include "tap.h"

static const struct { const char *prefix; int (*fn)(const uint8_t *, size_t); } targets[] = {
	{ "reader-", fuzz_reader_one }, { "schema-", fuzz_schema_one }, { "time-", fuzz_time_one }, { "rules-", fuzz_rules_one }, { "map-", fuzz_map_one },
	{ "parallel-", fuzz_parallel_one },
};

int
main(void)
{
	const char *dir = getenv("MP_FUZZ_REGRESSIONS") ? getenv("MP_FUZZ_REGRESSIONS") : "tests/fuzz/regressions";
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	TAP_OK(n > 0, "regression inputs found in %s", dir);
	for (int i = 0; i < n; i++) {
		char path[4096];
		static uint8_t buf[1 << 20];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		for (size_t t = 0; t < sizeof targets / sizeof *targets; t++) {
			if (strncmp(names[i]->d_name, targets[t].prefix, strlen(targets[t].prefix)) != 0)
				continue;
			FILE *fp = fopen(path, "rb");
			size_t len = fp ? fread(buf, 1, sizeof buf, fp) : 0;
			if (fp)
				fclose(fp);
			targets[t].fn(buf, len);
			TAP_OK(fp != NULL, "no crash on %s", names[i]->d_name);
		}
		free(names[i]);
	}
	free(names);
	return tap_done();
}
