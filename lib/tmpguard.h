/*
 * tmpguard.h: temporary files of child data (the -o and --xlsx files while
 * they are written) removed if the program ends before they are renamed into
 * place: at exit, and on every fatal signal that can be caught (a signal
 * ignored at start stays ignored).  One registry for every writer.
 */
#ifndef MP_TMPGUARD_H
#define MP_TMPGUARD_H

/* Track tmp (add 1) or stop tracking it (add 0); the name must live while tracked. */
void mp_tmp_track(char *tmp, int add);
/* Remove every tracked file now (a closed pipe: the program stops). */
void mp_tmp_remove_all(void);

#endif
