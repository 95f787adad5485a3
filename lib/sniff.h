/* sniff.h: a text input's form (byte-order mark, line ends) from its first bytes, which stay to be read. */
#ifndef MP_SNIFF_H
#define MP_SNIFF_H

typedef struct mp_form {
	int bom;	/* starts with a UTF-8 byte-order mark */
	int crlf;	/* its first line ends with CR LF */
} mp_form;

/*
 * Open path (NULL or "-": standard input) and learn its form.  Returns a
 * descriptor that reads every byte from the start (for a pipe, a copy fed
 * by a thread), or -1 with errno set.
 */
int mp_sniff_open(const char *path, mp_form *form);

#endif
