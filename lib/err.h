/* err.h: one place for messages and exit codes (prog:file:line: field: message). */
#ifndef MP_ERR_H
#define MP_ERR_H

/*
 * The error convention of lib/: a function that fails says why itself, once
 * (mp_warn, mp_data_msg: the message text is the library's), and returns -1
 * or NULL; its caller passes the failure up, and only cmd/ exits.  The
 * command-support layer is the exception: mp_die and mp_usage_error here,
 * the mp_x* allocation wrappers (out of memory), mp_too_much (a table's
 * capacity limit), and lib/cli.c.
 */

#include <stdarg.h>
#include <stddef.h>

enum {
	MP_EXIT_OK = 0,     /* all rows passed / something listed */
	MP_EXIT_DATA = 1,   /* a data or I/O problem */
	MP_EXIT_USAGE = 2   /* the command line was wrong */
};

/* The program name used in every message; set once from argv[0]. */
void mp_set_progname(const char *argv0);
const char *mp_progname(void);
/*
 * For a command's main: the program name from argv[0], and argv[0] made the
 * same short name, so getopt's own messages say "mp-x:" like ours, not the
 * path the program was started by.
 */
void mp_set_program(char **argv);

/* prog: message (a trailing ':' in fmt appends strerror(errno)). */
void mp_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* mp_warn, then exit with status. */
void mp_die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
/* prog: file:line: field: message.  field may be NULL; line 0 omits the line. */
void mp_data_msg(const char *file, long line, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void mp_vdata_msg(const char *file, long line, const char *field, const char *fmt, va_list ap);
/*
 * The closing count line on stderr: "prog: 1 row read, 2 passed, ...".
 * Each "{s}" in fmt becomes "s" unless the number before it is 1
 * ("%ld row{s} read, %ld warning{s}"), so every command gets the grammar right.
 */
void mp_closing(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Usage error: prog: message, then a hint to --help, exit 2. */
void mp_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/*
 * Allocation that never returns NULL: out of memory, the program exits 1
 * with a message (mp_oom, also for memory a library gets another way).
 */
void mp_oom(void) __attribute__((noreturn));
/*
 * A capacity limit of the library's tables (ids, lines and counts held in 32
 * bits to keep memory per episode small) was reached: like running out of
 * memory, the run cannot go on, so this too exits 1 ("too much input: ...").
 */
void mp_too_much(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void *mp_xmalloc(size_t n);
void *mp_xcalloc(size_t n, size_t size);
void *mp_xrealloc(void *p, size_t n);
/*
 * p, an array of *cap elements of size bytes, grown so that *cap >= need:
 * doubled (from 16 elements) until enough; p itself when *cap is already
 * enough.  A size past SIZE_MAX exits 1 like mp_oom.  mp_xgrow_half grows
 * by half (cap + cap / 2) instead, where slack costs memory per episode.
 * Inline, so a call per row costs one compare; mp_xgrow_by grows by
 * cap >> shift (0 doubles, 1 adds half).
 */
void *mp_xgrow_by(void *p, size_t *cap, size_t need, size_t size, int shift);
static inline void *
mp_xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	return need <= *cap ? p : mp_xgrow_by(p, cap, need, size, 0);
}
static inline void *
mp_xgrow_half(void *p, size_t *cap, size_t need, size_t size)
{
	return need <= *cap ? p : mp_xgrow_by(p, cap, need, size, 1);
}
char *mp_xstrdup(const char *s);
char *mp_xstrndup(const char *s, size_t n);
/* A formatted string in new memory (exits 1 when out of memory). */
char *mp_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *mp_xvasprintf(const char *fmt, va_list ap);

#endif

#ifndef MP_ERR_SHOW
#define MP_ERR_SHOW
/*
 * A value made safe for a one-line message: control characters escaped
 * (\n, \t, \xHH), cut at 60 bytes with "...".  Returns one of 4 rotating
 * static buffers, so up to 4 may appear in one message.
 */
const char *mp_show(const char *s, size_t len);
/*
 * Append mp_show(s, len) to the list *list (malloc'd, NULL to start), with
 * ", " between items: sized from the shown form, which can be four times
 * the raw bytes, never from the raw length.
 */
void mp_show_append(char **list, const char *s, size_t len);
#endif
