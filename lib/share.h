/* share.h: where the data files (schemas, maps, holidays) live. */
#ifndef MP_SHARE_H
#define MP_SHARE_H

/*
 * The share folder: $MPTOOLS_SHARE if set; else, beside the running
 * program, ../share/mptools (installed) or ../share (the source tree,
 * whose programs are built into bin/).  NULL when none is found (said,
 * once: "cannot find the share folder (set MPTOOLS_SHARE)").
 */
const char *mp_share_dir(void);

/* mp_share_dir()/rel in a static buffer; NULL as mp_share_dir. */
const char *mp_share_path(const char *rel);

#endif
