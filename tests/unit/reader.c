/* Unit tests for lib/reader.c and lib/writer.c: a table of inputs and the records they give. */
#include "err.h"
#include "input.h"
#include "reader.h"
#include "tap.h"
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* Dump every record of r as "line:field|field;" and bad ones as "line!message;"; closes r. */
static const char *
dump_ahead(mp_reader *r, int ahead)
{
	static char out[4096];
	size_t o = 0;
	mp_record *rec;
	int st;

	const mp_record *h = mp_reader_header(r);
	if (h)
		mp_reader_set_ahead(r, ahead);
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
	return out;
}

static const char *
dump_reader(mp_reader *r)
{
	return dump_ahead(r, 0);
}

static const char *
dump(const char *input, size_t len, enum mp_format fmt, enum mp_encoding enc)
{
	char path[] = "/tmp/mp-unit-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, input, len) != (ssize_t)len)
		return "cannot write temp file";
	close(fd);
	static char direct[4096];
	snprintf(direct, sizeof direct, "%s", dump_reader(mp_reader_open(path, fmt, enc)));
	/* Read ahead by a second thread: the same records, lines and messages. */
	const char *ahead = dump_ahead(mp_reader_open(path, fmt, enc), 1);
	unlink(path);
	return strcmp(direct, ahead) == 0 ? direct : "read ahead differs";
}

/* The same through a pipe whose writer sends the pieces with a pause between them. */
static const char *
dump_slow_pipe(const char *const *pieces, size_t n, enum mp_encoding enc)
{
	int p[2];

	if (pipe(p) != 0)
		return "cannot make a pipe";
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		for (size_t i = 0; i < n; i++) {
			if (write(p[1], pieces[i], strlen(pieces[i])) < 0)
				_exit(1);
			usleep(50000);
		}
		_exit(0);
	}
	close(p[1]);
	const char *out = dump_reader(mp_reader_open_fd(p[0], "pipe", MP_CSV, enc));
	waitpid(pid, NULL, 0);
	return out;
}

#define BAD_QUOTE "bad quoting: a quote inside an unquoted field, or text after a closing quote"

static const struct {
	const char *name, *in, *want;
	enum mp_format fmt;
	enum mp_encoding enc;
	size_t len;		/* 0: strlen(in) */
} cases[] = {
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
	{ "NUL byte", "a,b\n1,x\0y\n", "h1:a|b;2!NUL byte in field 2 at byte 2;", 0, 0, 10 },
	/* A bare CR ends a record inside a line: every record of the line gets every check. */
	{ "bare CR, NUL in the second record", "a,b\n1,2\rx\0y,3\n",
	  "h1:a|b;2:1|2;2!NUL byte in field 1 at byte 2;", 0, 0, 14 },
	{ "bare CR, bad UTF-8 in the third record", "a,b\n1,2\r3,4\r5,\xFF\n",
	  "h1:a|b;2:1|2;2:3|4;2!invalid UTF-8 in field 2 at byte 1 (if the file came from Excel, try --encoding cp1252);" },
	{ "bare CR, ragged second record", "a,b\n1,2\r3\n", "h1:a|b;2:1|2;2!expected 2 fields (as in the header), found 1;" },
	{ "bare CR, then a quoted field across lines", "a,b\n1,2\r\"x\ny\",3\n4,5\n", "h1:a|b;2:1|2;2:x\\ny|3;4:4|5;" },
	{ "bare CR, then an unterminated quote", "a,b\n1,2\r\"x\n4,5\n",
	  "h1:a|b;2:1|2;2!unterminated quoted field: a quote opened in the record starting here is never closed, so lines 2-3 could not be read;" },
	{ "quoted newline, NUL in the next record", "a,b\n\"l1\nl2\",x\n\0,y\n",
	  "h1:a|b;2:l1\\nl2|x;4!NUL byte in field 1 at byte 1;", 0, 0, 18 },
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

/* Several files through mp_input, directly or ahead: records, names and counts, then where it fails. */
static const char *
dump_input(int nfiles, char **files, int ahead)
{
	static char out[1024];
	size_t o = 0;
	mp_record *rec;
	int st;
	mp_input *in = mp_input_open(nfiles, files, MP_CSV, MP_UTF8);

	if (!in)
		return "no input";
	mp_input_set_ahead(in, ahead);
	while ((st = mp_input_next(in, &rec)) > 0 && o < sizeof out - 100) {
		const char *slash = strrchr(mp_input_name(in), '/');
		o += (size_t)snprintf(out + o, sizeof out - o, "%s:%ld%s;", slash ? slash + 1 : mp_input_name(in),
				      rec->line, st == MP_READ_BAD ? mp_input_bad_msg(in) : "");
	}
	snprintf(out + o, sizeof out - o, "%s %ld", st == MP_READ_ERR ? "err" : "eof", mp_input_count(in));
	mp_input_close(in);
	return out;
}

static void
input_cases(void)
{
	char a[] = "/tmp/mp-unit-a-XXXXXX", b[] = "/tmp/mp-unit-b-XXXXXX", c[] = "/tmp/mp-unit-c-XXXXXX";
	const char *text[] = { "x,y\n1,2\n3\n", "x,y\n5,6\n", "x,z\n7,8\n" };
	char *path[] = { a, b, c };

	for (int i = 0; i < 3; i++) {
		int fd = mkstemp(path[i]);
		TAP_OK(fd >= 0 && write(fd, text[i], strlen(text[i])) == (ssize_t)strlen(text[i]), "input: file %d", i);
		close(fd);
	}
	char *ab[] = { a, b }, *abc[] = { a, b, c };
	char want[256];
	snprintf(want, sizeof want, "%s:2;%s:3expected 2 fields (as in the header), found 1;%s:2;eof 3",
		 strrchr(a, '/') + 1, strrchr(a, '/') + 1, strrchr(b, '/') + 1);
	for (int ahead = 0; ahead < 2; ahead++) {
		TAP_STREQ(dump_input(2, ab, ahead), want, "input: two files, %s", ahead ? "ahead" : "direct");
		/* A later file with another header ends the input with MP_READ_ERR (its message on stderr). */
		char want3[300];
		snprintf(want3, sizeof want3, "%.*serr 3", (int)(strlen(want) - 5), want);
		TAP_STREQ(dump_input(3, abc, ahead), want3, "input: a later file's other header, %s",
			  ahead ? "ahead" : "direct");
	}
	for (int i = 0; i < 3; i++)
		unlink(path[i]);
}

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

/* Without a program's policy, a write error is sticky: said once, then mp_writer_error and -1 from close. */
static void
write_failure(void)
{
	char path[] = "/tmp/mp-unit-err-XXXXXX", said[512];
	int fd = mkstemp(path), saved = dup(2);

	dup2(fd, 2);
	mp_writer *w = mp_writer_open("/dev/full", MP_CSV, 0);
	for (int i = 0; w && i < 50000; i++)
		mp_writer_str(w, "0123456789");
	int err = w && mp_writer_error(w);
	int rc = w ? mp_writer_close(w) : 0;
	mp_writer *none = mp_writer_open("/nonexistent/dir/x.csv", MP_CSV, 0);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	ssize_t n = pread(fd, said, sizeof said - 1, 0);
	said[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	TAP_OK(err && rc == -1, "write: a full disk is kept (mp_writer_error) and reported by close");
	TAP_STREQ(said, "unit: write error on /dev/full: No space left on device\n"
		  "unit: cannot create /nonexistent/dir/x.csv: No such file or directory\n",
		  "write: each failure said once");
	TAP_OK(none == NULL, "write: NULL when the file cannot be created");
}

int
main(void)
{
	mp_set_progname("unit");
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);
		TAP_STREQ(dump(cases[i].in, len, cases[i].fmt, cases[i].enc), cases[i].want, "read: %s", cases[i].name);
	}
	input_cases();
	/* The header stays valid for the reader's life, whatever is read after it. */
	char hpath[] = "/tmp/mp-unit-XXXXXX";
	int hfd = mkstemp(hpath);
	const char *htext = "\"id\",name\n1,a\n\"2\",b\r3,c\n";
	TAP_OK(hfd >= 0 && write(hfd, htext, strlen(htext)) == (ssize_t)strlen(htext), "header: temp file written");
	close(hfd);
	mp_reader *hr = mp_reader_open(hpath, MP_CSV, MP_UTF8);
	const mp_record *hh = mp_reader_header(hr);
	mp_record *hrec;
	int hn = 0;
	while (mp_reader_next(hr, &hrec) == MP_READ_OK)
		hn++;
	TAP_OK(hh && hn == 3 && hh->n == 2 && strcmp(hh->f[0].s, "id") == 0 && strcmp(hh->f[1].s, "name") == 0 &&
		       hh == mp_reader_header(hr) && mp_reader_column(hr, "name") == 1,
	       "header: still the header after every record was read");
	mp_reader_close(hr);
	unlink(hpath);
	const char *bom1[] = { "\xEF", "\xBB\xBF" "a,b\n1,2\n" };
	TAP_STREQ(dump_slow_pipe(bom1, 2, MP_UTF8), "h1:a|b;2:1|2;", "read: a BOM split across two reads of a pipe");
	const char *bom2[] = { "\xEF\xBB", "\xBF" "a,b\n", "1,2\n" };
	TAP_STREQ(dump_slow_pipe(bom2, 3, MP_UTF8), "h1:a|b;2:1|2;", "read: a BOM split after two bytes");
	TAP_STREQ(dump_slow_pipe(bom2, 3, MP_CP1252), "h1:a|b;2:1|2;", "read: a BOM split, CP1252");
	const char *notbom[] = { "\xEF\xBB", "x,b\n1,2\n" };
	TAP_STREQ(dump_slow_pipe(notbom, 2, MP_CP1252), "h1:\xC3\xAF\xC2\xBBx|b;2:1|2;",
		  "read: the start of a BOM that is not one stays data");
	write_failure();
	const char *f1[] = { "plain", "a,b", "say \"hi\"", "two\nlines", "" };
	TAP_STREQ(written(MP_CSV, 0, f1, 5), "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\n", "write: minimal CSV quoting");
	const char *f2[] = { "a\tb", "c\\d", "e\nf" };
	TAP_STREQ(written(MP_TSV, 0, f2, 3), "a\\tb\tc\\\\d\te\\nf\n", "write: TSV escapes");
	const char *f3[] = { "=1+1", "+44", "-3.5", "@SUM", "ok", "\tx" };
	TAP_STREQ(written(MP_CSV, 1, f3, 6), "\xEF\xBB\xBF'=1+1,'+44,'-3.5,'@SUM,ok,'\tx\r\n", "write: --excel");
	return tap_done();
}
