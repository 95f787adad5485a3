/* record.h: a record from a line of comma-separated fields (no quoting), for the C unit tests. */
#ifndef MP_TEST_RECORD_H
#define MP_TEST_RECORD_H

#include "reader.h"

#include <string.h>

/* Split s in place into at most max fields f of r. */
static void
test_record(mp_record *r, mp_field *f, char *s, size_t max)
{
	memset(r, 0, sizeof *r);
	r->f = f;
	for (char *p = s; r->n < max; p++) {
		char *e = strchr(p, ',');
		f[r->n].s = p;
		f[r->n].len = e ? (size_t)(e - p) : strlen(p);
		r->n++;
		if (!e)
			break;
		*e = '\0';
		p = e;
	}
}

#endif
