/* writer.c: buffered, checked output; temp file + rename for -o FILE. */
#include "writer.h"
#include "err.h"
#include "tmpguard.h"
#include "xlsx.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WBUF (128 * 1024)

struct mp_writer {
	int fd;
	char *path;		/* final name, NULL for stdout */
	char *tmp;		/* temporary name while writing */
	enum mp_format fmt;
	int excel;
	int nfield;		/* fields written in the current record */
	int crlf;		/* CRLF line ends without --excel (mp_writer_form) */
	iconv_t cd;		/* UTF-8 to CP1252, or (iconv_t)-1 (mp_writer_form) */
	char *buf;
	size_t len;
	mp_xlsx_sheet *sheet;	/* --xlsx: every field and row also goes here */
	int failed;		/* sticky: a failure was met and said; nothing more is written */
};

static void (*on_failure)(int quiet);

void
mp_writer_on_failure(void (*fn)(int quiet))
{
	on_failure = fn;
}

/*
 * Say what failed ("what name: strerror(errno)"), once; a closed pipe is
 * said by nobody.  Then the program's policy, if it set one.
 */
static void
failed(int quiet, const char *what, const char *name)
{
	if (!quiet)
		mp_warn("%s%s%s:", what, name ? " " : "", name ? name : "");
	if (on_failure)
		on_failure(quiet);
}

static void
write_failed(mp_writer *w)
{
	if (w->failed)
		return;
	w->failed = 1;
	/* EPIPE: the reader went away (mp-x | head -1): stop quietly. */
	failed(errno == EPIPE, "write error on", w->path ? w->path : "standard output");
}

static void
write_all(mp_writer *w, const char *p, size_t len)
{
	size_t off = 0;

	while (off < len && !w->failed) {
		ssize_t n = write(w->fd, p + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			write_failed(w);
			return;
		}
		off += (size_t)n;
	}
}

/*
 * The buffer in CP1252.  A character CP1252 lacks becomes '?'; a sequence
 * cut by the end of the buffer waits for the rest unless this is the end.
 */
static void
flush_cp1252(mp_writer *w, int last)
{
	char out[4096], *in = w->buf;
	size_t left = w->len;

	while (left > 0) {
		char *op = out;
		size_t ol = sizeof out;
		size_t r = iconv(w->cd, &in, &left, &op, &ol);
		int e = errno;
		write_all(w, out, (size_t)(op - out));
		if (r != (size_t)-1 || e == E2BIG)
			continue;
		if (e == EINVAL && !last)
			break;
		write_all(w, "?", 1);
		do
			in++, left--;
		while (left > 0 && ((unsigned char)*in & 0xC0) == 0x80);
	}
	memmove(w->buf, in, left);
	w->len = left;
}

static void
flush(mp_writer *w)
{
	if (w->cd != (iconv_t)-1) {
		flush_cp1252(w, 0);
		return;
	}
	write_all(w, w->buf, w->len);
	w->len = 0;
}

static void
put(mp_writer *w, const char *s, size_t n)
{
	if (w->len + n > WBUF) {
		flush(w);
		if (w->len + n > WBUF) {
			/* (w->len: the start of a CP1252 character cut by the last flush) */
			w->buf = mp_xrealloc(w->buf, w->len + n);
			memcpy(w->buf + w->len, s, n);
			w->len += n;
			flush(w);
			w->buf = mp_xrealloc(w->buf, WBUF);
			return;
		}
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static inline void
putch(mp_writer *w, char c)
{
	if (w->len == WBUF)
		flush(w);
	w->buf[w->len++] = c;
}

/*
 * A short temporary name in the folder of path ("dir/.mpXXXXXX"), so a
 * long -o name cannot push it past the file-name limit, and rename stays
 * within one filesystem.
 */
static char *
temp_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	char *t = mp_xmalloc(dirlen + sizeof ".mpXXXXXX");

	memcpy(t, path, dirlen);
	memcpy(t + dirlen, ".mpXXXXXX", sizeof ".mpXXXXXX");
	return t;
}

/* Nothing opened: say why (errno), free w, NULL. */
static mp_writer *
open_failed(mp_writer *w, const char *what, const char *path)
{
	failed(0, what, path);
	free(w->tmp);
	free(w->path);
	free(w->buf);
	free(w);
	return NULL;
}

mp_writer *
mp_writer_open(const char *path, enum mp_format fmt, int excel)
{
	mp_writer *w = mp_xcalloc(1, sizeof *w);
	struct stat dev;

	/* A file-size limit (ulimit -f): write fails with EFBIG, reported as a write error. */
	signal(SIGXFSZ, SIG_IGN);
	w->fmt = fmt;
	w->excel = excel;
	w->cd = (iconv_t)-1;
	w->buf = mp_xmalloc(WBUF);
	if (!path || strcmp(path, "-") == 0) {
		w->fd = STDOUT_FILENO;
	} else if (stat(path, &dev) == 0 && !S_ISREG(dev.st_mode)) {
		/* A device or pipe (-o /dev/null, /dev/stdout, a FIFO) is written in place, never replaced. */
		w->path = mp_xstrdup(path);
		if ((w->fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
			return open_failed(w, "cannot open", path);
	} else {
		struct stat st;
		char *target = NULL;
		/* -o a symbolic link to a file replaces the file it points at, not the link. */
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && (target = realpath(path, NULL)))
			path = target;
		w->path = mp_xstrdup(path);
		free(target);
		path = w->path;
		w->tmp = temp_name(path);
		if ((w->fd = mkstemp(w->tmp)) < 0)
			return open_failed(w, "cannot create", path);
		mp_tmp_track(w->tmp, 1);
		/* mkstemp gives 0600; honour a stricter umask, keep an existing file's mode. */
		mode_t um = umask(0);
		umask(um);
		if (stat(path, &st) == 0)
			fchmod(w->fd, st.st_mode & 07777);
		else
			fchmod(w->fd, 0600 & ~um);
	}
	if (excel)
		put(w, "\xEF\xBB\xBF", 3);
	return w;
}

void
mp_writer_sheet(mp_writer *w, mp_xlsx_sheet *sheet)
{
	w->sheet = sheet;
}

const char *
mp_writer_name(const mp_writer *w)
{
	return w->path ? w->path : "stdout";
}

/* Does s hold a comma, quote, CR or LF?  Eight bytes at a time (SWAR zero-byte test). */
static int
needs_quotes(const char *s, size_t len)
{
	static const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	static const uint64_t cs[4] = { 0x2c2c2c2c2c2c2c2cULL, 0x2222222222222222ULL, 0x0a0a0a0a0a0a0a0aULL,
					 0x0d0d0d0d0d0d0d0dULL };
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w, x = 0;
		memcpy(&w, s + i, 8);
		for (int k = 0; k < 4; k++) {
			uint64_t v = w ^ cs[k];
			x |= (v - ones) & ~v & highs;
		}
		if (x)
			return 1;
	}
	for (; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			return 1;
	return 0;
}

void
mp_writer_plain(mp_writer *w, const char *s, size_t len)
{
	if (w->excel || w->fmt == MP_TSV) {
		mp_writer_field(w, s, len);
		return;
	}
	if (w->nfield++ > 0)
		putch(w, ',');
	put(w, s, len);
}

void
mp_writer_field(mp_writer *w, const char *s, size_t len)
{
	if (!s)
		s = "", len = 0;
	if (w->sheet)
		mp_xlsx_field(w->sheet, s, len);
	if (w->nfield++ > 0)
		putch(w, w->fmt == MP_TSV ? '\t' : ',');
	/* Excel: a ' before a formula-looking field, inside the quotes when the field is quoted. */
	int defuse = w->excel && len > 0 && s[0] != '\0' && strchr("=+-@\t\r", s[0]);
	if (defuse && (w->fmt == MP_TSV || !needs_quotes(s, len)))
		putch(w, '\'');
	if (w->fmt == MP_TSV) {
		for (size_t i = 0; i < len; i++) {
			char c = s[i];
			switch (c) {
			case '\t': put(w, "\\t", 2); break;
			case '\n': put(w, "\\n", 2); break;
			case '\r': put(w, "\\r", 2); break;
			case '\\': put(w, "\\\\", 2); break;
			default: putch(w, c);
			}
		}
		return;
	}
	if (!needs_quotes(s, len)) {
		put(w, s, len);
		return;
	}
	putch(w, '"');
	if (defuse)
		putch(w, '\'');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			putch(w, '"');
		putch(w, s[i]);
	}
	putch(w, '"');
}

int
mp_writer_takes_csv(const mp_writer *w)
{
	return w->fmt == MP_CSV && !w->excel && !w->sheet;
}

void
mp_writer_csv_fields(mp_writer *w, const char *s, size_t len, size_t n)
{
	if (w->nfield > 0)
		putch(w, ',');
	put(w, s, len);
	w->nfield += (int)n;
}

void
mp_writer_str(mp_writer *w, const char *s)
{
	mp_writer_field(w, s, s ? strlen(s) : 0);
}

/* Format, then hand the text to out (a field or raw bytes); a long text goes through a new buffer. */
static void
vformatted(mp_writer *w, void (*out)(mp_writer *, const char *, size_t), const char *fmt, va_list ap)
{
	char small[1024], *p = small;
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(small, sizeof small, fmt, ap);
	if (n < 0)
		n = 0;
	else if ((size_t)n >= sizeof small) {
		p = mp_xmalloc((size_t)n + 1);
		vsnprintf(p, (size_t)n + 1, fmt, again);
	}
	va_end(again);
	out(w, p, (size_t)n);
	if (p != small)
		free(p);
}

void
mp_writer_printf(mp_writer *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformatted(w, mp_writer_field, fmt, ap);
	va_end(ap);
}

void
mp_writer_long(mp_writer *w, long v)
{
	char b[32];
	int n = snprintf(b, sizeof b, "%ld", v);
	mp_writer_field(w, b, (size_t)n);
}

int
mp_writer_form(mp_writer *w, int crlf, int bom, enum mp_encoding enc)
{
	if (w->excel)
		return 0;	/* --excel asked for its own form */
	w->crlf = crlf;
	if (enc == MP_CP1252) {
		if ((w->cd = iconv_open("CP1252", "UTF-8")) == (iconv_t)-1) {
			w->failed = 1;
			failed(0, "cannot convert to CP1252 (iconv)", NULL);
			return -1;
		}
	} else if (bom && w->len == 0) {
		put(w, "\xEF\xBB\xBF", 3);
	}
	return 0;
}

int
mp_writer_error(const mp_writer *w)
{
	return w->failed;
}

void
mp_writer_end(mp_writer *w)
{
	if (w->excel || w->crlf)
		putch(w, '\r');
	putch(w, '\n');
	w->nfield = 0;
	if (w->sheet)
		mp_xlsx_end(w->sheet);
}

void
mp_writer_record(mp_writer *w, const mp_record *rec)
{
	/* A row read as one line in the same format goes out as it came. */
	if (rec->raw && rec->raw_fmt == w->fmt && !w->excel && w->nfield == 0 && !w->sheet) {
		put(w, rec->raw, rec->raw_len);
		if (w->crlf)
			putch(w, '\r');
		putch(w, '\n');
		return;
	}
	for (size_t i = 0; i < rec->n; i++)
		mp_writer_field(w, rec->f[i].s, rec->f[i].len);
	mp_writer_end(w);
}

void
mp_writer_raw(mp_writer *w, const char *s, size_t len)
{
	put(w, s, len);
}

void
mp_writer_rawf(mp_writer *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformatted(w, mp_writer_raw, fmt, ap);
	va_end(ap);
}

/* Free w (its descriptor already closed or not its own). */
static void
release(mp_writer *w)
{
	if (w->cd != (iconv_t)-1)
		iconv_close(w->cd);
	free(w->tmp);
	free(w->path);
	free(w->buf);
	free(w);
}

void
mp_writer_discard(mp_writer *w)
{
	if (!w)
		return;
	if (w->path) {
		if (w->fd >= 0)
			close(w->fd);
		if (w->tmp) {
			unlink(w->tmp);
			mp_tmp_track(w->tmp, 0);
		}
	}
	release(w);
}

int
mp_writer_close(mp_writer *w)
{
	if (!w)
		return 0;
	flush(w);
	if (w->cd != (iconv_t)-1)
		flush_cp1252(w, 1);
	if (w->path) {
		if (!w->failed && fsync(w->fd) != 0 && errno != EINVAL)
			write_failed(w);
		int fd = w->fd;
		w->fd = -1;
		if (close(fd) != 0)
			write_failed(w);
		if (!w->failed && w->tmp && rename(w->tmp, w->path) != 0) {
			w->failed = 1;
			failed(0, "cannot replace", w->path);
		}
	}
	int rc = w->failed ? -1 : 0;
	if (w->failed) {
		mp_writer_discard(w);	/* the old file stays as it was */
		return rc;
	}
	if (w->tmp)
		mp_tmp_track(w->tmp, 0);
	release(w);
	return rc;
}
