/* xml903.h: the SSDA903 return as XML: <AMISSING> blocks read as Missing-table rows. */
#ifndef MP_XML903_H
#define MP_XML903_H

#include "reader.h"

typedef struct mp_xml903 mp_xml903;

/* Open path ("-" or NULL for stdin); NULL with errno set on failure. */
mp_xml903 *mp_xml903_open(const char *path);
void mp_xml903_close(mp_xml903 *x);

/* The Missing table's header: CHILD,DOB,MISSING,MIS_START,MIS_END. */
const mp_record *mp_xml903_header(mp_xml903 *x);

/*
 * Next <AMISSING> block as a row of that header (line: where the block
 * starts).  The child's CHILDID and DOB come from its <HEADER>, before or
 * after the block.  MP_READ_BAD once for XML that is not well formed (then
 * EOF): mp_xml903_bad_msg says why.  So is a structure this reader does not know (a
 * nested <CHILD>, <AMISSING> outside a <CHILD>, namespaced or lower-case
 * names, another root element) and a read error: never a silent zero.
 */
int mp_xml903_next(mp_xml903 *x, mp_record **rec);
const char *mp_xml903_bad_msg(const mp_xml903 *x);
long mp_xml903_count(const mp_xml903 *x);

/* Does the file look like XML (first non-blank byte after a BOM is '<')? */
int mp_looks_xml(const char *path);

#endif
