/* too_much: the "too much input" messages a user can meet (lib/err.h's mp_too_much), exactly, as TAP. */
#include "alert.h"
#include "err.h"
#include "intern.h"
#include "tap.h"

#include <stdint.h>

static mp_rows *rs;	/* reachable when the child exits (no leak said under ASan) */
static mp_intern *t;

/* A listed row's field of 4 GiB (its length is checked before a byte is read). */
static void
huge_field(void *arg)
{
	(void)arg;
	mp_set_progname("mp-open");
	rs = mp_rows_new(1);
	mp_rows_begin(rs, 0);
	mp_rows_field(rs, "x", (size_t)UINT32_MAX + 1);
}

/* One id of 2 GiB: past what a table of ids keeps (its length is checked before a byte is read). */
static void
huge_id(void *arg)
{
	(void)arg;
	mp_set_progname("mp-match");
	t = mp_intern_new();
	mp_intern_add_hashed(t, 1, "x", (size_t)1 << 31, NULL);
}

int
main(void)
{
	tap_exits(huge_field, NULL, 1,
		  "mp-open: too much input: a field of 4294967296 bytes: a field this command lists must be under 4 GiB\n",
		  "a listed field of 4 GiB");
	tap_exits(huge_id, NULL, 1,
		  "mp-match: too much input: more than 2 GiB of different ids or values of one kind (such as child ids) "
		  "to keep\n",
		  "2 GiB of ids of one kind");
	return tap_done();
}
