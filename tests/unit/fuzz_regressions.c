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
#include <sys/wait.h>
#include <unistd.h>

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
#define LLVMFuzzerTestOneInput fuzz_xml903_one
#include "../fuzz/fuzz_xml903.c"
#undef LLVMFuzzerTestOneInput

#include "tap.h"

static const struct { const char *prefix; int (*fn)(const uint8_t *, size_t); } targets[] = {
	{ "reader-", fuzz_reader_one }, { "schema-", fuzz_schema_one }, { "time-", fuzz_time_one }, { "rules-", fuzz_rules_one }, { "map-", fuzz_map_one },
	{ "parallel-", fuzz_parallel_one }, { "xml903-", fuzz_xml903_one },
};

/*
 * Run one target on one input in a child process: a crash, a trap or a
 * sanitizer report is a failed test with its signal or status, and the
 * other regressions still run.
 */
static int
replay(int (*fn)(const uint8_t *, size_t), const uint8_t *buf, size_t len, char *why, size_t whysz)
{
	int status;
	pid_t pid;

	fflush(stdout);
	if ((pid = fork()) < 0) {
		snprintf(why, whysz, "fork failed");
		return -1;
	}
	if (pid == 0)
		exit(fn(buf, len) == 0 ? 0 : 3);	/* exit, not _exit: LeakSanitizer checks at exit */
	if (waitpid(pid, &status, 0) != pid) {
		snprintf(why, whysz, "waitpid failed");
		return -1;
	}
	if (WIFSIGNALED(status))
		snprintf(why, whysz, "killed by signal %d", WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		snprintf(why, whysz, "exit status %d", WEXITSTATUS(status));
	else
		return 0;
	return -1;
}

int
main(void)
{
	const char *dir = getenv("MP_FUZZ_REGRESSIONS") ? getenv("MP_FUZZ_REGRESSIONS") : "tests/fuzz/regressions";
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	static uint8_t buf[1 << 20];

	TAP_OK(n > 0, "regression inputs found in %s", dir);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char path[4096], why[64] = "";
		size_t t, len = 0;
		int whole = 0;
		if (name[0] == '.') {
			free(names[i]);
			continue;
		}
		snprintf(path, sizeof path, "%s/%s", dir, name);
		for (t = 0; t < sizeof targets / sizeof *targets; t++)
			if (strncmp(name, targets[t].prefix, strlen(targets[t].prefix)) == 0)
				break;
		TAP_OK(t < sizeof targets / sizeof *targets, "%s names a fuzz target (TARGET-what)", name);
		FILE *fp = fopen(path, "rb");
		if (fp) {
			len = fread(buf, 1, sizeof buf, fp);
			whole = !ferror(fp) && fgetc(fp) == EOF;
			fclose(fp);
		}
		TAP_OK(whole, "%s read whole (%zu bytes)", name, len);
		if (t < sizeof targets / sizeof *targets && whole) {
			TAP_OK(replay(targets[t].fn, buf, len, why, sizeof why) == 0, "%s replays cleanly%s%s", name,
			       *why ? ": " : "", why);
		}
		free(names[i]);
	}
	free(names);
	return tap_done();
}
