/*
 * libFuzzer target: the SSDA903 XML reader (expat).  Every call of
 * mp_xml903_next must give a row of the Missing table's five fields or
 * one MP_READ_BAD with a message, then EOF; the count matches the calls.
 */
#define _GNU_SOURCE
#include "reader.h"
#include "xml903.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz-xml903-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	mp_xml903 *x = mp_xml903_open(path);
	unlink(path);
	if (!x)
		return 0;
	if (mp_xml903_header(x)->n != 5)
		__builtin_trap();
	mp_record *rec;
	long calls = 0;
	int st, bad = 0;
	while ((st = mp_xml903_next(x, &rec)) != MP_READ_EOF) {
		calls++;
		if (bad)
			__builtin_trap();	/* nothing after the error */
		if (st == MP_READ_BAD) {
			bad = 1;
			if (!*mp_xml903_bad_msg(x) || rec->line < 1)
				__builtin_trap();	/* an error says what and where */
			continue;
		}
		if (st != MP_READ_OK || rec->n != 5 || rec->line < 1)
			__builtin_trap();
		for (size_t i = 0; i < rec->n; i++)
			if (strlen(rec->f[i].s) != rec->f[i].len)
				__builtin_trap();
	}
	if (mp_xml903_next(x, &rec) != MP_READ_EOF || mp_xml903_count(x) != calls)
		__builtin_trap();
	mp_xml903_close(x);
	return 0;
}
