/* share.c: find share/ relative to the running program, so installs relocate. */
#include "share.h"
#include "err.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *
mp_share_dir(void)
{
	static char dir[PATH_MAX + 64];
	char exe[PATH_MAX], try[PATH_MAX + 64];
	const char *env;
	ssize_t n;

	if (dir[0])
		return dir;
	if ((env = getenv("MPTOOLS_SHARE")) && *env) {
		snprintf(dir, sizeof dir, "%s", env);
		return dir;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		static const char *const rel[] = { "/../share/mptools", "/../share" };
		for (size_t i = 0; i < 2; i++) {
			snprintf(try, sizeof try, "%s%s/schemas", exe, rel[i]);
			if (is_dir(try)) {
				snprintf(dir, sizeof dir, "%s%s", exe, rel[i]);
				return dir;
			}
		}
	}
#ifdef MP_SHAREDIR
	if (is_dir(MP_SHAREDIR)) {
		snprintf(dir, sizeof dir, "%s", MP_SHAREDIR);
		return dir;
	}
#endif
	static int said;
	if (!said++)
		mp_warn("cannot find the share folder (set MPTOOLS_SHARE)");
	return NULL;
}

const char *
mp_share_path(const char *rel)
{
	static char path[PATH_MAX + 256];
	const char *dir = mp_share_dir();

	if (!dir)
		return NULL;
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	return path;
}
