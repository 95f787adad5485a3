/*
 * libFuzzer target: the source-map parser, then binding and reading rows.
 * Input: a map file, a line "%%", then a CSV export to read through it.
 */
#define _GNU_SOURCE
#include "map.h"
#include "mptime.h"
#include "reader.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void
ignore_problem(void *ctx, long line, const char *field, int warning, const char *msg)
{
	(void)ctx, (void)line, (void)field, (void)warning;
	if (!msg || !*msg)
		__builtin_trap();	/* a problem always says what it is */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		mp_tz_init(NULL);
		ready = 1;
	}
	const uint8_t *sep = memmem(data, size, "\n%%\n", 4);
	size_t maplen = sep ? (size_t)(sep - data) + 1 : size;
	const uint8_t *csv = sep ? sep + 4 : data + size;
	size_t csvlen = (size_t)(data + size - csv);

	char path[] = "/tmp/fuzz-map-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, maplen) != (ssize_t)maplen) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	mp_map *m = mp_map_load(path);
	unlink(path);
	if (!m)
		return 0;
	int cfd = memfd_create("fuzz", 0);
	if (cfd >= 0 && write(cfd, csv, csvlen) == (ssize_t)csvlen) {
		lseek(cfd, 0, SEEK_SET);
		mp_reader *r = mp_reader_open_fd(cfd, "fuzz", MP_CSV, MP_UTF8);
		const mp_record *h = mp_reader_header(r);
		if (h) {
			mp_record hdr = *h;
			mp_field *f = calloc(h->n ? h->n : 1, sizeof *f);
			for (size_t i = 0; i < h->n; i++) {
				f[i].s = strndup(h->f[i].s, h->f[i].len);
				f[i].len = h->f[i].len;
			}
			hdr.f = f;
			hdr.raw = NULL;
			mp_map_detect(m, &hdr);
			mp_binding *b = mp_map_bind(m, &hdr, "fuzz");
			if (b) {
				mp_record *rec;
				static mp_row row;
				while (mp_reader_next(r, &rec) == MP_READ_OK)
					mp_map_row(b, rec, &row, rec->line & 1, ignore_problem, NULL);
				mp_binding_free(b);
			}
			for (size_t i = 0; i < hdr.n; i++)
				free((char *)f[i].s);
			free(f);
		}
		mp_reader_close(r);
	} else if (cfd >= 0) {
		close(cfd);
	}
	mp_map_free(m);
	return 0;
}
