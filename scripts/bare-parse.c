/* bare-parse: the baseline for benchmarks: libcsv parsing a file, counting fields and rows. */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static unsigned long fields, rows;

static void on_field(void *s, size_t len, void *data) { (void)s; (void)len; (void)data; fields++; }
static void on_row(int c, void *data) { (void)c; (void)data; rows++; }

int
main(int argc, char **argv)
{
	static char buf[256 * 1024];
	struct csv_parser p;
	ssize_t n;
	int fd = argc > 1 ? open(argv[1], O_RDONLY) : 0;

	if (fd < 0 || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		perror("bare-parse");
		return 1;
	}
	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (csv_parse(&p, buf, (size_t)n, on_field, on_row, NULL) != (size_t)n) {
			fprintf(stderr, "bare-parse: %s\n", csv_strerror(csv_error(&p)));
			return 1;
		}
	csv_fini(&p, on_field, on_row, NULL);
	csv_free(&p);
	printf("%lu rows %lu fields\n", rows, fields);
	return 0;
}
