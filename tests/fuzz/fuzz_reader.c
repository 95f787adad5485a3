/* libFuzzer target: the CSV/TSV reader on arbitrary bytes (first byte picks format, encoding and read-ahead). */
#define _GNU_SOURCE
#include "reader.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int fd = memfd_create("fuzz", 0);
	if (fd < 0 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
		return 0;
	lseek(fd, 0, SEEK_SET);
	mp_reader *r = mp_reader_open_fd(fd, "fuzz", data[0] & 1 ? MP_TSV : MP_CSV, data[0] & 2 ? MP_CP1252 : MP_UTF8);
	mp_record *rec;
	if (mp_reader_header(r) && data[0] & 4)
		mp_reader_set_ahead(r, 1);	/* the same records, parsed by the read-ahead thread */
	if (mp_reader_header(r))
		while (mp_reader_next(r, &rec) != MP_READ_EOF)
			for (size_t i = 0; i < rec->n; i++)
				if (rec->f[i].s[rec->f[i].len] != '\0')
					__builtin_trap();	/* fields are NUL-terminated */
	mp_reader_close(r);
	return 0;
}
