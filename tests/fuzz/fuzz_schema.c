/* libFuzzer target: the schema file parser, then value checks against what it loaded. */
#define _GNU_SOURCE
#include <stdlib.h>
#include "err.h"
#include "schema.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz-schema-XXXXXX";
	int fd = mkstemp(path);
	char msg[512];

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	mp_schema *s = mp_schema_load(path);
	unlink(path);
	if (s) {
		for (size_t i = 0; i < s->n; i++)
			mp_schema_check(&s->f[i], (const char *)data, size > 64 ? 64 : size, msg, sizeof msg);
		mp_schema_free(s);
	}
	return 0;
}
