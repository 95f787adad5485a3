/* Unit tests for lib/reader.c and lib/writer.c: a table of inputs and the records they give. */
#include "err.h"
#include "reader.h"
#include "tap.h"
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* Dump every record as "line:field|field;" and bad ones as "line!message;". */
static const char *
dump(const char *input, size_t len, enum mp_format fmt, enum mp_encoding enc)
{
	static char out[4096];
	char path[] = "/tmp/mp-unit-XXXXXX";
	int fd = mkstemp(path);
	size_t o = 0;
	mp_record *rec;
	int st;

	if (fd < 0 || write(fd, input, len) != (ssize_t)len)
		return "cannot write temp file";
	close(fd);
	mp_reader *r = mp_reader_open(path, fmt, enc);
	const mp_record *h = mp_reader_header(r);
	if (!h) {
		o += (size_t)snprintf(out + o, sizeof out - o, "nohdr:%s", mp_reader_bad_msg(r));
	} else {
		o += (size_t)snprintf(out + o, sizeof out - o, "h%ld:", h->line);
		for (size_t i = 0; i < h->n; i++)
			o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", i ? "|" : "", h->f[i].s);
		o += (size_t)snprintf(out + o, sizeof out - o, ";");
		while ((st = mp_reader_next(r, &rec)) != MP_READ_EOF && o < sizeof out - 100) {
			if (st == MP_READ_BAD) {
				o += (size_t)snprintf(out + o, sizeof out - o, "%ld!%s;", mp_reader_bad_line(r),
						      mp_reader_bad_msg(r));
				continue;
			}
			o += (size_t)snprintf(out + o, sizeof out - o, "%ld:", rec->line);
			for (size_t i = 0; i < rec->n; i++)
				o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", i ? "|" : "",
						      mp_show(rec->f[i].s, rec->f[i].len));
			o += (size_t)snprintf(out + o, sizeof out - o, ";");
		}
	}
	mp_reader_close(r);
	unlink(path);
	return out;
}

#define BAD_QUOTE "bad quoting: a quote inside an unquoted field, or text after a closing quote"

static const struct { const char *name, *in, *want; enum mp_format fmt; enum mp_encoding enc; } cases[] = {
	{ "plain", "a,b\n1,2\n", "h1:a|b;2:1|2;" },
	{ "CRLF", "a,b\r\n1,2\r\n3,4\r\n", "h1:a|b;2:1|2;3:3|4;" },
	{ "BOM", "\xEF\xBB\xBF" "a,b\n1,2\n", "h1:a|b;2:1|2;" },
	{ "BOM then quoted header", "\xEF\xBB\xBF\"a\",b\n1,2\n", "h1:a|b;2:1|2;" },
	{ "no final newline", "a,b\n1,2", "h1:a|b;2:1|2;" },
	{ "spaces kept", "a,b\n 1 , 2\n", "h1:a|b;2: 1 | 2;" },
	{ "quoted comma and quote", "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n", "h1:a|b;2:x,y|say \"hi\";" },
	{ "quoted newline keeps lines", "a,b\n\"l1\nl2\",x\n3,4\n", "h1:a|b;2:l1\\nl2|x;4:3|4;" },
	{ "empty fields", "a,b,c\n,,\n\"\",x,\n", "h1:a|b|c;2:||;3:|x|;" },
	{ "one column", "a\n1\n2\n", "h1:a;2:1;3:2;" },
	{ "blank lines skipped", "a,b\n\n1,2\n\r\n3,4\n", "h1:a|b;3:1|2;5:3|4;" },
	{ "ragged short", "a,b\n1\n2,3\n", "h1:a|b;2!expected 2 fields (as in the header), found 1;3:2|3;" },
	{ "ragged long", "a,b\n1,2,3\n", "h1:a|b;2!expected 2 fields (as in the header), found 3;" },
	{ "stray quote", "a,b\n1,x\"y\n2,3\n", "h1:a|b;2!" BAD_QUOTE ";3:2|3;" },
	{ "text after quote", "a,b\n\"ab\"c,d\n2,3\n", "h1:a|b;2!" BAD_QUOTE ";3:2|3;" },
	{ "unterminated quote", "a,b\n1,2\n\"x,3\n4,5\n",
	  "h1:a|b;2:1|2;3!unterminated quoted field: a quote opened in the record starting here is never closed, so lines 3-4 could not be read;" },
	{ "invalid UTF-8", "a,b\n1,\xE9t\xE9\n",
	  "h1:a|b;2!invalid UTF-8 in field 2 at byte 1 (if the file came from Excel, try --encoding cp1252);" },
	{ "cp1252", "name,x\nZo\xEB,1\n", "h1:name|x;2:Zo\xC3\xAB|1;", MP_CSV, MP_CP1252 },
	{ "NUL byte", "a,b\n1,x\0y\n", "h1:a|b;2!NUL byte in field 2 at byte 2;" },
	{ "only a BOM", "\xEF\xBB\xBF", "nohdr:" },
	{ "empty", "", "nohdr:" },
	{ "header only", "a,b\n", "h1:a|b;" },
	{ "CR only lines", "\r\r\r", "nohdr:" },
	{ "ragged row then bad quoting on one line", "a,b\n1\r2,\"x\"y\n3,4\n",
	  "h1:a|b;2!expected 2 fields (as in the header), found 1;2!" BAD_QUOTE ";3:3|4;" },
	{ "TSV", "a\tb\n1\t2\n", "h1:a|b;2:1|2;", MP_TSV },
	{ "TSV escapes", "a\tb\nx\\ty\tl1\\nl2\\\\\n", "h1:a|b;2:x\\ty|l1\\nl2\\;", MP_TSV },
	{ "TSV quotes are data", "a\tb\n\"1\"\t2\n", "h1:a|b;2:\"1\"|2;", MP_TSV },
	{ "TSV CRLF", "a\tb\r\n1\t2\r\n", "h1:a|b;2:1|2;", MP_TSV },
};

/* Writer: fields in, bytes out. */
static const char *
written(enum mp_format fmt, int excel, const char *const *fields, size_t n)
{
	static char out[512];
	char path[] = "/tmp/mp-unit-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	mp_writer *w = mp_writer_open(path, fmt, excel);
	for (size_t i = 0; i < n; i++)
		mp_writer_str(w, fields[i]);
	mp_writer_end(w);
	mp_writer_close(w);
	FILE *fp = fopen(path, "r");
	size_t got = fread(out, 1, sizeof out - 1, fp);
	out[got] = '\0';
	fclose(fp);
	unlink(path);
	return out;
}

int
main(void)
{
	mp_set_progname("unit");
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t len = strlen(cases[i].in);
		if (strcmp(cases[i].name, "NUL byte") == 0)
			len = 10;
		TAP_STREQ(dump(cases[i].in, len, cases[i].fmt, cases[i].enc), cases[i].want, "read: %s", cases[i].name);
	}
	const char *f1[] = { "plain", "a,b", "say \"hi\"", "two\nlines", "" };
	TAP_STREQ(written(MP_CSV, 0, f1, 5), "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\n", "write: minimal CSV quoting");
	const char *f2[] = { "a\tb", "c\\d", "e\nf" };
	TAP_STREQ(written(MP_TSV, 0, f2, 3), "a\\tb\tc\\\\d\te\\nf\n", "write: TSV escapes");
	const char *f3[] = { "=1+1", "+44", "-3.5", "@SUM", "ok", "\tx" };
	TAP_STREQ(written(MP_CSV, 1, f3, 6), "\xEF\xBB\xBF'=1+1,'+44,'-3.5,'@SUM,ok,'\tx\r\n", "write: --excel");
	return tap_done();
}
