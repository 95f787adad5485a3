/* xml903.c: stream the 903 XML with expat; each child's AMISSING blocks become rows. */
#include "xml903.h"
#include "err.h"

#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum { F_CHILD, F_DOB, F_MISSING, F_START, F_END, NF };
static const char *const names[NF] = { "CHILD", "DOB", "MISSING", "MIS_START", "MIS_END" };

typedef struct xrow {
	char *v[NF];
	long line;
} xrow;

struct mp_xml903 {
	int fd;
	char *name;
	XML_Parser p;
	int eof, done, bad_pending;
	char bad[300];
	long bad_line;		/* where a structure error was found, 0 if none */
	long count;
	int depth;		/* elements open: 1 is the root */
	long child_line;	/* where the open <CHILD> began */

	int in_child, in_header, in_missing, depth_missing;
	int capture;		/* field being collected, or -1 */
	char *text;
	size_t tlen, tcap;
	char *child, *dob;	/* of the current child */
	xrow *pend;		/* AMISSING blocks of the current child */
	size_t npend, cappend;
	xrow *ready;		/* rows of finished children */
	size_t nready, head, capready;

	mp_field hf[NF], rf[NF];
	mp_record hdr, out;
};

/* The names this reader acts on: any other spelling of them is an error, not a silent zero. */
static const char *const known[] = {
	"EXPSSDA903", "CHILD", "HEADER", "CHILDID", "DOB", "AMISSING", "MISSING", "MIS_START", "MIS_END",
};

/* Stop the parse with a structure error at the current line. */
static void
structure_error(mp_xml903 *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
structure_error(mp_xml903 *x, const char *fmt, ...)
{
	va_list ap;

	if (x->bad_line)
		return;
	x->bad_line = (long)XML_GetCurrentLineNumber(x->p);
	va_start(ap, fmt);
	vsnprintf(x->bad, sizeof x->bad, fmt, ap);
	va_end(ap);
	XML_StopParser(x->p, XML_FALSE);
}

/* A name this reader does not act on: fine, unless it is a misspelling of one it does. */
static int
check_name(mp_xml903 *x, const char *el)
{
	if (strchr(el, ':')) {
		structure_error(x, "<%s>: a namespaced element; the SSDA903 XML uses none", mp_show(el, strlen(el)));
		return -1;
	}
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (strcasecmp(el, known[i]) == 0 && strcmp(el, known[i]) != 0) {
			structure_error(x, "<%s>: element names are upper case in the SSDA903 XML (<%s>)",
					mp_show(el, strlen(el)), known[i]);
			return -1;
		}
	return 0;
}

static int
field_of(const char *el, int in_missing, int in_header)
{
	if (in_missing) {
		if (strcmp(el, "MISSING") == 0)
			return F_MISSING;
		if (strcmp(el, "MIS_START") == 0)
			return F_START;
		if (strcmp(el, "MIS_END") == 0)
			return F_END;
	} else if (in_header) {
		if (strcmp(el, "CHILDID") == 0)
			return F_CHILD;
		if (strcmp(el, "DOB") == 0)
			return F_DOB;
	}
	return -1;
}

/* Has this field already a value (in the current child or AMISSING block)? */
static int
captured(const mp_xml903 *x, int f)
{
	if (f == F_CHILD)
		return x->child != NULL;
	if (f == F_DOB)
		return x->dob != NULL;
	return x->npend && x->pend[x->npend - 1].v[f] != NULL;
}

static void
open_child(mp_xml903 *x)
{
	if (x->in_child) {
		structure_error(x, "<CHILD> inside the <CHILD> of line %ld", x->child_line);
		return;
	}
	x->in_child = 1;
	x->child_line = (long)XML_GetCurrentLineNumber(x->p);
	free(x->child);
	free(x->dob);
	x->child = x->dob = NULL;
}

static void
open_missing(mp_xml903 *x)
{
	if (!x->in_child) {
		structure_error(x, "<AMISSING> outside a <CHILD>: whose episode it is cannot be known");
		return;
	}
	if (x->in_missing) {
		structure_error(x, "<AMISSING> inside another <AMISSING>");
		return;
	}
	x->in_missing = 1;
	x->pend = mp_xgrow(x->pend, &x->cappend, x->npend + 1, sizeof *x->pend);
	memset(&x->pend[x->npend], 0, sizeof x->pend[x->npend]);
	x->pend[x->npend].line = (long)XML_GetCurrentLineNumber(x->p);
	x->npend++;
}

static void
on_start(void *ud, const XML_Char *el, const XML_Char **attr)
{
	mp_xml903 *x = ud;
	(void)attr;

	if (x->bad_line)
		return;
	x->depth++;
	if (x->capture >= 0) {
		structure_error(x, "<%s> inside <%s>, which holds a value", mp_show(el, strlen(el)),
				x->capture == F_CHILD ? "CHILDID" : names[x->capture]);
		return;
	}
	if (check_name(x, el) != 0)
		return;
	if (x->depth == 1) {
		if (strcmp(el, "EXPSSDA903") != 0)
			structure_error(x, "the root element is <%s>, not <EXPSSDA903>", mp_show(el, strlen(el)));
		return;
	}
	if (strcmp(el, "CHILD") == 0)
		open_child(x);
	else if (strcmp(el, "HEADER") == 0) {
		if (!x->in_child)
			structure_error(x, "<HEADER> outside a <CHILD>");
		x->in_header = 1;
	} else if (strcmp(el, "AMISSING") == 0)
		open_missing(x);
	else if ((x->capture = field_of(el, x->in_missing, x->in_header)) < 0 && x->in_missing)
		structure_error(x, "<%s> inside <AMISSING> (MISSING, MIS_START and MIS_END only)",
				mp_show(el, strlen(el)));
	else if (x->capture < 0 && (strcmp(el, "MISSING") == 0 || strcmp(el, "MIS_START") == 0 ||
				    strcmp(el, "MIS_END") == 0))
		structure_error(x, "<%s> outside an <AMISSING>", el);
	else if (x->capture >= 0 && captured(x, x->capture))
		structure_error(x, "<%s> given twice", x->capture == F_CHILD ? "CHILDID" : names[x->capture]);
	x->tlen = 0;
}

static void
on_text(void *ud, const XML_Char *s, int len)
{
	mp_xml903 *x = ud;

	if (x->capture < 0 || len <= 0 || x->bad_line)
		return;
	x->text = mp_xgrow(x->text, &x->tcap, x->tlen + (size_t)len + 1, 1);
	memcpy(x->text + x->tlen, s, (size_t)len);
	x->tlen += (size_t)len;
}

static void
on_end(void *ud, const XML_Char *el)
{
	mp_xml903 *x = ud;

	if (x->bad_line)
		return;
	x->depth--;
	if (x->capture >= 0) {
		char *v = mp_xstrndup(x->text ? x->text : "", x->tlen);
		if (x->capture == F_CHILD) {
			free(x->child);
			x->child = v;
		} else if (x->capture == F_DOB) {
			free(x->dob);
			x->dob = v;
		} else if (x->npend) {
			free(x->pend[x->npend - 1].v[x->capture]);
			x->pend[x->npend - 1].v[x->capture] = v;
		} else {
			free(v);
		}
		x->capture = -1;
		return;
	}
	if (strcmp(el, "AMISSING") == 0) {
		x->in_missing = 0;
	} else if (strcmp(el, "HEADER") == 0) {
		x->in_header = 0;
	} else if (strcmp(el, "CHILD") == 0 && x->in_child) {
		x->in_child = 0;
		for (size_t i = 0; i < x->npend; i++) {
			xrow *r = &x->pend[i];
			r->v[F_CHILD] = mp_xstrdup(x->child ? x->child : "");
			r->v[F_DOB] = mp_xstrdup(x->dob ? x->dob : "");
			x->ready = mp_xgrow(x->ready, &x->capready, x->nready + 1, sizeof *x->ready);
			x->ready[x->nready++] = *r;
		}
		x->npend = 0;
	}
}

mp_xml903 *
mp_xml903_open(const char *path)
{
	int fd = mp_open_input(path, &path);

	if (fd < 0)
		return NULL;
	mp_xml903 *x = mp_xcalloc(1, sizeof *x);
	x->fd = fd;
	x->name = mp_xstrdup(path);
	x->capture = -1;
	x->p = XML_ParserCreate(NULL);
	if (!x->p) {
		free(x->name);
		free(x);
		if (fd != STDIN_FILENO)
			close(fd);
		errno = ENOMEM;
		return NULL;
	}
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, on_start, on_end);
	XML_SetCharacterDataHandler(x->p, on_text);
	for (int i = 0; i < NF; i++) {
		x->hf[i].s = names[i];
		x->hf[i].len = strlen(names[i]);
	}
	x->hdr.f = x->hf;
	x->hdr.n = NF;
	x->hdr.line = 1;
	return x;
}

static void
xrow_free(xrow *r)
{
	for (int i = 0; i < NF; i++)
		free(r->v[i]);
}

void
mp_xml903_close(mp_xml903 *x)
{
	if (!x)
		return;
	if (x->fd != STDIN_FILENO)
		close(x->fd);
	XML_ParserFree(x->p);
	for (size_t i = 0; i < x->npend; i++)
		xrow_free(&x->pend[i]);
	for (size_t i = x->head; i < x->nready; i++)
		xrow_free(&x->ready[i]);
	if (x->head > 0 && x->head <= x->nready)
		xrow_free(&x->ready[x->head - 1]);
	free(x->pend);
	free(x->ready);
	free(x->text);
	free(x->child);
	free(x->dob);
	free(x->name);
	free(x);
}

const mp_record *mp_xml903_header(mp_xml903 *x) { return &x->hdr; }
const char *mp_xml903_bad_msg(const mp_xml903 *x) { return x->bad; }
long mp_xml903_count(const mp_xml903 *x) { return x->count; }

/* Feed one chunk; sets bad/done. */
static void
feed(mp_xml903 *x)
{
	char buf[64 * 1024];
	ssize_t n;

	do
		n = read(x->fd, buf, sizeof buf);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		snprintf(x->bad, sizeof x->bad, "read error: %s", strerror(errno));
		x->bad_pending = x->done = 1;
		return;
	}
	if (XML_Parse(x->p, buf, (int)n, n == 0) == XML_STATUS_ERROR && x->bad_line) {
		x->bad_pending = x->done = 1;	/* a structure error: its message is set */
	} else if (XML_GetErrorCode(x->p) != XML_ERROR_NONE) {
		snprintf(x->bad, sizeof x->bad, "not well-formed XML at line %lu, column %lu: %s",
			 (unsigned long)XML_GetCurrentLineNumber(x->p),
			 (unsigned long)XML_GetCurrentColumnNumber(x->p) + 1, XML_ErrorString(XML_GetErrorCode(x->p)));
		x->bad_pending = 1;
		x->done = 1;
	}
	if (n == 0)
		x->done = 1;
}

int
mp_xml903_next(mp_xml903 *x, mp_record **rec)
{
	/* The previous row is no longer needed. */
	if (x->head > 0 && x->head <= x->nready) {
		xrow_free(&x->ready[x->head - 1]);
		memset(&x->ready[x->head - 1], 0, sizeof x->ready[0]);
	}
	if (x->head == x->nready) {
		x->head = x->nready = 0;
		while (x->nready == 0 && !x->done)
			feed(x);
	}
	if (x->head < x->nready) {
		xrow *r = &x->ready[x->head++];
		for (int i = 0; i < NF; i++) {
			x->rf[i].s = r->v[i] ? r->v[i] : "";
			x->rf[i].len = strlen(x->rf[i].s);
		}
		x->out.f = x->rf;
		x->out.n = NF;
		x->out.line = r->line;
		x->count++;
		*rec = &x->out;
		return MP_READ_OK;
	}
	if (x->bad_pending) {
		x->bad_pending = 0;
		x->out.f = x->rf;
		x->out.n = 0;
		x->out.line = x->bad_line ? x->bad_line : (long)XML_GetCurrentLineNumber(x->p);
		x->count++;
		*rec = &x->out;
		return MP_READ_BAD;
	}
	return MP_READ_EOF;
}

int
mp_looks_xml(const char *path)
{
	unsigned char buf[64];
	ssize_t n;
	int fd;

	if (!path || strcmp(path, "-") == 0)
		return 0;
	size_t len = strlen(path);
	if (len > 4 && strcasecmp(path + len - 4, ".xml") == 0)
		return 1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof buf);
	close(fd);
	ssize_t i = 0;
	if (n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
		i = 3;
	while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
		i++;
	return i < n && buf[i] == '<';
}
