/*
 * libFuzzer target: the source-map parser, then binding and reading rows.
 * Input: a map file, a line "%%", then a CSV export to read through it.
 * Every field is also read as a date in each order and as an Excel serial;
 * a long map's export is pivoted first.
 */
#define _GNU_SOURCE
#include "datefmt.h"
#include "map.h"
#include "mptime.h"
#include "pivot.h"
#include "reader.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void
ignore_problem(void *ctx, long line, const char *field, int level, const char *msg)
{
	(void)ctx, (void)line, (void)field, (void)level;
	if (!msg || !*msg)
		__builtin_trap();	/* a problem always says what it is */
}

/* Every field as a date in each order, and as an Excel serial number. */
static void
dates(const mp_record *rec)
{
	for (size_t i = 0; i < rec->n; i++) {
		mp_time t;
		const char *why;
		int swapped;
		for (int o = 0; o < 3; o++)
			if (mp_date_read(rec->f[i].s, rec->f[i].len, (enum mp_date_order)o, &t, &why, &swapped) != 0 &&
			    (!why || !*why))
				__builtin_trap();
		if (mp_excel_serial_read(rec->f[i].s, rec->f[i].len, &t, &why) != 0 && (!why || !*why))
			__builtin_trap();
	}
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
			int lidx[3];
			mp_pivot *pv = NULL;
			if (b && mp_map_is_long(m) && mp_map_long_columns(m, &hdr, "fuzz", lidx) == 0)
				pv = mp_pivot_new(&hdr, lidx);
			if (b) {
				mp_record *rec;
				static mp_row row;
				char msg[600];
				while (mp_reader_next(r, &rec) == MP_READ_OK) {
					if (pv)
						mp_pivot_add(pv, rec, msg, sizeof msg);
					mp_map_set_dates(m, (int)(rec->line % 3));
					mp_map_row(b, rec, &row, rec->line & 1, ignore_problem, NULL);
					dates(rec);
				}
				mp_binding_free(b);
			}
			if (pv) {
				mp_binding *pb = mp_map_bind(m, mp_pivot_header(pv), "fuzz");
				static mp_row row;
				for (size_t i = 0; pb && i < mp_pivot_count(pv); i++)
					mp_map_row(pb, mp_pivot_record(pv, i), &row, 0, ignore_problem, NULL);
				mp_binding_free(pb);
				mp_pivot_free(pv);
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
