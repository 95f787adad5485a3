/* share.h: where the data files (schemas, maps, holidays) live. */
#ifndef MP_SHARE_H
#define MP_SHARE_H

/*
 * The share folder: $MPTOOLS_SHARE if set; else, beside the running
 * program, ../share/mptools (installed) or ../share (the source tree,
 * whose programs are built into bin/).  Exits 1 when none is found.
 */
const char *mp_share_dir(void);

/* mp_share_dir()/rel in a static buffer. */
const char *mp_share_path(const char *rel);

#endif
