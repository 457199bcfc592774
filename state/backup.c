/*
 * state/backup.c — copies of the whole store under DIR/backups/, made with
 * LMDB's compacting copy into a private temporary file that is fsynced and
 * renamed into place, so a backup is either complete or absent.  At most
 * STATE_BACKUP_KEEP are kept; the oldest go first.
 */
#include "state/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int is_backup(const char *n)
{
    size_t l = strlen(n);
    return !strncmp(n, "state-", 6) && l > 10 && !strcmp(n + l - 4, ".mdb");
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void prune(const char *bdir)
{
    DIR *d = opendir(bdir);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *de = readdir(d); de; de = readdir(d)) {
        if (!is_backup(de->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = xrealloc(names, cap * sizeof *names);
        }
        names[n++] = xstrdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_name);
    for (size_t i = 0; n > STATE_BACKUP_KEEP && i < n - STATE_BACKUP_KEEP; i++) {
        char *p = xasprintf("%s/%s", bdir, names[i]);
        unlink(p);
        free(p);
    }
    state_strv_free(names, n);
}

int state_backup(state_env *env, char **path_out)
{
    if (path_out)
        *path_out = NULL;
    char *bdir = xasprintf("%s/backups", env->dir), *tmp = NULL, *final = NULL;
    int fd = -1, rc = 0;
    if (mkdir(bdir, 0700) != 0 && errno != EEXIST) {
        rc = err_set(CAIRN_EIO, "create %s: %s", bdir, strerror(errno));
        goto fail;
    }
    chmod(bdir, 0700);
    tmp = xasprintf("%s/.tmp-XXXXXX", bdir);
    fd = mkstemp(tmp);
    if (fd < 0) {
        rc = err_set(CAIRN_EIO, "create %s: %s", tmp, strerror(errno));
        goto fail;
    }
    fchmod(fd, 0600);
    int mrc = mdb_env_copyfd2(env->env, fd, MDB_CP_COMPACT);
    if (mrc != 0) {
        rc = state__mdb_err(env, mrc, "copy store for backup");
        goto fail;
    }
    if (fsync(fd) != 0) {
        rc = err_set(CAIRN_EIO, "fsync %s: %s", tmp, strerror(errno));
        goto fail;
    }
    close(fd);
    fd = -1;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char stamp[64];
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
    final = xasprintf("%s/state-%s.%03ldZ-%ld.mdb", bdir, stamp, (long)(tv.tv_usec / 1000),
                      (long)getpid());
    if (rename(tmp, final) != 0) {
        rc = err_set(CAIRN_EIO, "rename %s to %s: %s", tmp, final, strerror(errno));
        goto fail;
    }
    rc = state__fsync_dir(bdir);
    prune(bdir);
    if (rc == 0 && path_out) {
        *path_out = final;
        final = NULL;
    }
fail:
    if (fd >= 0) {
        close(fd);
        unlink(tmp);
    }
    free(tmp);
    free(final);
    free(bdir);
    return rc;
}
