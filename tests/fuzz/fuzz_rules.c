/*
 * libFuzzer target: the rule engine (schema, episode logic and SSDA903
 * rules with per-child history) over arbitrary CSV.  The first byte picks
 * the rule set; the rest is the file.
 */
#define _GNU_SOURCE
#include "mptime.h"
#include "reader.h"
#include "schema.h"
#include "share.h"
#include "validate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static long problems;

static void
count_problem(void *ctx, long line, const mp_problem *p, const mp_record *rec)
{
	(void)ctx, (void)line, (void)rec;
	if (!p->id || !p->msg[0])
		__builtin_trap();	/* every problem names its rule and says something */
	problems++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static mp_schema *schema;
	if (!schema) {
		mp_tz_init(NULL);
		schema = mp_schema_default();
		if (!schema)
			abort();
	}
	if (size < 1)
		return 0;
	int fd = memfd_create("fuzz", 0);
	if (fd < 0 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
		return 0;
	lseek(fd, 0, SEEK_SET);
	mp_reader *r = mp_reader_open_fd(fd, "fuzz", MP_CSV, MP_UTF8);
	const mp_record *h = mp_reader_header(r);
	if (h) {
		mp_record hdr = *h;	/* the header's storage is reused by the next read: copy it */
		mp_field *f = calloc(h->n ? h->n : 1, sizeof *f);
		for (size_t i = 0; i < h->n; i++) {
			f[i].s = strndup(h->f[i].s, h->f[i].len);
			f[i].len = h->f[i].len;
		}
		hdr.f = f;
		hdr.raw = NULL;
		mp_validate_opts o = { .schema = schema, .ssda903 = data[0] & 1 ? 1 : -1,
				       .now = 1767225600, .max_open_days = 30, .year = data[0] & 2 ? 2025 : 0 };
		mp_validator *v = mp_validator_new(&o, &hdr, "fuzz", count_problem, NULL);
		if (mp_validator_header(v) == 0) {
			mp_record *rec;
			int st;
			if (mp_validator_lookahead(v))
				mp_validator_settle(v);	/* no rows observed: 574 finds none */
			while ((st = mp_reader_next(r, &rec)) != MP_READ_EOF) {
				if (st == MP_READ_BAD)
					mp_validator_bad_row(v, mp_reader_bad_line(r), mp_reader_bad_field(r),
							     mp_reader_bad_msg(r), rec);
				else
					mp_validator_row(v, rec);
			}
		}
		mp_validator_free(v);
		for (size_t i = 0; i < hdr.n; i++)
			free((char *)f[i].s);
		free(f);
	}
	mp_reader_close(r);
	return 0;
}
