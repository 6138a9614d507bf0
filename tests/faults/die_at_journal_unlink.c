/* LD_PRELOAD shim: die (SIGKILL) when SQLite deletes a rollback journal, the commit point of
 * journal_mode=DELETE. DIE_AT_JOURNAL_UNLINK=before: just before the unlink (the commit wrote
 * every page, the journal is still hot: a crash in mid-commit); =after: just after it (committed).
 * Built by tests/core/faults.py when a C compiler is at hand. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}
int unlink(const char *path) {
    static int (*real)(const char *) = 0;
    if (!real) real = (int (*)(const char *))dlsym(RTLD_NEXT, "unlink");
    const char *when = getenv("DIE_AT_JOURNAL_UNLINK");
    if (when && ends_with(path, "-journal")) {
        if (strcmp(when, "before") == 0) kill(getpid(), SIGKILL);
        int rc = real(path);
        kill(getpid(), SIGKILL);
        return rc;
    }
    return real(path);
}
