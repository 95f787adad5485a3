/* pseudocols.h: what mp-pseudo does to each column of a stream (pseudonymise, drop, degrade, keep). */
#ifndef MP_PSEUDOCOLS_H
#define MP_PSEUDOCOLS_H

#include <stddef.h>
#include "pseudo.h"
#include "reader.h"
#include "schema.h"
#include "writer.h"

enum mp_dob_mode { MP_DOB_KEEP, MP_DOB_MONTH, MP_DOB_YEAR };
enum mp_pcols_list { MP_PCOLS_COLUMNS, MP_PCOLS_DROP, MP_PCOLS_KEEP_EXTRA, MP_PCOLS_NLISTS };

typedef struct mp_pcols mp_pcols;

/* The choices of the command line: start with mp_pcols_new, end with mp_pcols_free. */
mp_pcols *mp_pcols_new(void);
void mp_pcols_free(mp_pcols *p);
/*
 * Add the comma-separated columns of arg (kept, not copied) to a list
 * (--columns allows COL=KIND).  -1 with a usage message in msg.
 */
int mp_pcols_add(mp_pcols *p, enum mp_pcols_list which, char *arg, char *msg, size_t msgsz);
void mp_pcols_dob(mp_pcols *p, enum mp_dob_mode mode);
/* episode_id: 1 derive (a pseudonym of it), 0 keep, -1 (default) replace only mp-import's derived ids. */
void mp_pcols_episode(mp_pcols *p, int derive);
/* After the options: defaults filled in, conflicts found.  -1 with a usage message. */
int mp_pcols_ready(mp_pcols *p, char *msg, size_t msgsz);

/*
 * Bind to a header: each column's action.  Returns 0, or -1 after messages
 * (file:line: column: ...) for columns named but absent.  *nextra and
 * *extra (malloc'd, shown names, NULL when none) list the columns left out
 * because the schema does not define them.
 */
int mp_pcols_bind(mp_pcols *p, const mp_schema *schema, const mp_record *hdr, const char *file,
		  size_t *nextra, char **extra);
/* The output header: the columns kept, in order. */
void mp_pcols_header(const mp_pcols *p, mp_writer *w);
/*
 * One row: written (0), or rejected (-1, its message given as file:line:
 * column: ...) when a date of birth to degrade is not a date.
 */
int mp_pcols_row(mp_pcols *p, const mp_pseudo *ps, const mp_record *rec, const char *file, mp_writer *w);
/* Episode ids that mp-import derived from the child id, replaced so far. */
long mp_pcols_replaced(const mp_pcols *p);

#endif
