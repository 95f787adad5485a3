/* err.c: messages and checked allocation. */
#include "err.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *progname = "mptools";

void
mp_set_progname(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;

	if (argv0 && *argv0)
		progname = slash ? slash + 1 : argv0;
}

void
mp_set_program(char **argv)
{
	mp_set_progname(argv[0]);
	if (argv[0])
		argv[0] = (char *)progname;
}

const char *
mp_progname(void)
{
	return progname;
}

static void
vwarn_errno(const char *fmt, va_list ap, int saved)
{
	size_t n = strlen(fmt);

	fflush(stdout);
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	if (n > 0 && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
}

void
mp_warn(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vwarn_errno(fmt, ap, saved);
	va_end(ap);
}

void
mp_die(int status, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vwarn_errno(fmt, ap, saved);
	va_end(ap);
	exit(status);
}

void
mp_vdata_msg(const char *file, long line, const char *field, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", progname, file ? file : "-");
	if (line > 0)
		fprintf(stderr, ":%ld", line);
	fputs(": ", stderr);
	if (field && *field)
		fprintf(stderr, "%s: ", field);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
mp_data_msg(const char *file, long line, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mp_vdata_msg(file, line, field, fmt, ap);
	va_end(ap);
}

/* Is the last run of digits in s[0..n) exactly "1"? */
static int
last_number_is_one(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] < '0' || s[n - 1] > '9'))
		n--;
	return n > 0 && s[n - 1] == '1' && (n == 1 || s[n - 2] < '0' || s[n - 2] > '9');
}

void
mp_closing(const char *fmt, ...)
{
	char line[1024], out[1024];
	size_t o = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	for (const char *p = line; *p && o < sizeof out - 2; p++) {
		if (strncmp(p, "{s}", 3) == 0) {
			if (!last_number_is_one(out, o))
				out[o++] = 's';
			p += 2;
		} else
			out[o++] = *p;
	}
	out[o] = '\0';
	mp_warn("%s", out);
}

void
mp_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", progname);
	exit(MP_EXIT_USAGE);
}

void
mp_oom(void)
{
	mp_die(MP_EXIT_DATA, "out of memory");
}

void
mp_too_much(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: too much input: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(MP_EXIT_DATA);
}

static void *
checked(void *p)
{
	if (!p)
		mp_oom();
	return p;
}

void *mp_xmalloc(size_t n) { return checked(malloc(n ? n : 1)); }
void *mp_xcalloc(size_t n, size_t size) { return checked(calloc(n ? n : 1, size ? size : 1)); }
void *mp_xrealloc(void *p, size_t n) { return checked(realloc(p, n ? n : 1)); }
char *mp_xstrdup(const char *s) { return checked(strdup(s)); }
char *mp_xstrndup(const char *s, size_t n) { return checked(strndup(s, n)); }

/*
 * Grown by cap >> shift (from 16) until need fits, so capacities stay on one
 * geometric series: the same sizes whatever the steps.
 */
void *
mp_xgrow_by(void *p, size_t *cap, size_t need, size_t size, int shift)
{
	size_t max = SIZE_MAX / (size ? size : 1), n = *cap < 16 ? 16 : *cap;

	if (need <= *cap)
		return p;
	if (need > max)
		mp_oom();
	if (n > max)
		n = max;
	while (n < need)
		n = n > max - (n >> shift) ? max : n + (n >> shift);
	*cap = n;
	return mp_xrealloc(p, n * size);
}

const char *
mp_show(const char *s, size_t len)
{
	static _Thread_local char bufs[4][300];	/* per thread: messages are made on reader threads too */
	static _Thread_local int next;
	char *b = bufs[next++ & 3];
	size_t o = 0, i;

	for (i = 0; i < len && i < 60; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			o += (size_t)sprintf(b + o, "\\n");
		else if (c == '\r')
			o += (size_t)sprintf(b + o, "\\r");
		else if (c == '\t')
			o += (size_t)sprintf(b + o, "\\t");
		else if (c < 0x20 || c == 0x7f)
			o += (size_t)sprintf(b + o, "\\x%02X", c);
		else
			b[o++] = (char)c;
	}
	if (i < len)
		o += (size_t)sprintf(b + o, "...");
	b[o] = '\0';
	return b;
}

void
mp_show_append(char **list, const char *s, size_t len)
{
	const char *shown = mp_show(s, len);
	size_t old = *list ? strlen(*list) : 0, add = strlen(shown);

	*list = mp_xrealloc(*list, old + 2 + add + 1);
	if (old)
		memcpy(*list + old, ", ", 2), old += 2;
	memcpy(*list + old, shown, add + 1);
}

char *
mp_xvasprintf(const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	char *s = mp_xmalloc(n < 0 ? 1 : (size_t)n + 1);
	if (n < 0)
		*s = '\0';
	else
		vsnprintf(s, (size_t)n + 1, fmt, again);
	va_end(again);
	return s;
}

char *
mp_xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = mp_xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}
