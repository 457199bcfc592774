/*
 * providers/test/test_store.c — the test provider's "remote API": a
 * directory of JSON files, one per object, plus the token index and the
 * attempt counters of fail_count (layout in test_internal.h).
 *
 * What must stay true:
 *   - every file is replaced atomically: written to a temporary file named
 *     ".tmp-*" in the same directory, fsync'd, renamed over the target, and
 *     the directory fsync'd; an error names the step and the path;
 *   - nothing here takes p->mu except tp_attempt_counts (callers may hold
 *     it around the other calls, so no other function may take it);
 *   - a missing directory reads as empty; the first write creates it.
 */
#include "providers/test/test_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "lang/diag.h"
#include "lang/val_json.h"

#define TP_TOKEN_DIR ".tokens"
#define TP_MAX_SMALL_FILE 4096       /* a token index entry or a counter */
#define TP_MAX_TOKEN_NAME 128        /* a token longer than this is hashed */
#define TP_MAX_DIR_DEPTH 64          /* components created by ensure_dir */

/* ---------------------------------------------------------------- helpers */

int tp_valid_id(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > TP_MAX_ID_LEN || s[0] == '.')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
            return 0;
    return 1;
}

int tp_random_hex(char *out, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char buf[64];
    if (n > sizeof buf)
        return err_set(CAIRN_ELIMIT, "test provider: %zu random bytes asked", n);
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(buf + got, n - got, 0);
        if (r < 0 && errno != EINTR)
            return err_set(CAIRN_EIO, "test provider: getrandom: %s", strerror(errno));
        if (r > 0)
            got += (size_t)r;
    }
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[buf[i] >> 4];
        out[2 * i + 1] = hex[buf[i] & 15];
    }
    out[2 * n] = '\0';
    return 0;
}

void tp_sha256_hex(const char *s, size_t n, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(s, n, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
        /* Only on a broken OpenSSL; an all-zero digest keeps callers simple. */
        memset(md, 0, 32);
    }
    for (size_t i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}

/* mkdir -p: create path and its missing parents (mode 0755). */
static int ensure_dir(const char *path)
{
    char *buf = xstrdup(path);
    int rc = 0, depth = 0;
    for (char *s = buf + 1; rc == 0; s++) {
        int end = *s == '\0';
        if (*s != '/' && !end)
            continue;
        *s = '\0';
        if (++depth > TP_MAX_DIR_DEPTH)
            rc = err_set(CAIRN_ELIMIT, "test provider: directory %s is too deep", path);
        else if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            rc = err_set(CAIRN_EIO, "test provider: create directory %s: %s", buf,
                         strerror(errno));
        if (end)
            break;
        *s = '/';
    }
    free(buf);
    return rc;
}

/* fsync directory dir so that a rename or unlink in it is durable. */
static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return err_set(CAIRN_EIO, "test provider: open directory %s: %s", dir,
                       strerror(errno));
    int rc = fsync(fd) != 0 ? err_set(CAIRN_EIO, "test provider: fsync directory %s: %s",
                                      dir, strerror(errno)) : 0;
    close(fd);
    return rc;
}

/* Write all of data to fd; 0 or -1 with errno. */
static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Open a fresh temporary file in dir (created when missing); its path in
 * *tmp (owned).  Returns the descriptor or a negative cairn_err. */
static int open_temp(const char *dir, char **tmp)
{
    char rnd[17];
    int rc = tp_random_hex(rnd, 8);
    if (rc)
        return rc;
    *tmp = xasprintf("%s/.tmp-%s", dir, rnd);
    int fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno == ENOENT && ensure_dir(dir) == 0)
        fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        rc = err_set(CAIRN_EIO, "test provider: create temporary file %s: %s", *tmp,
                     strerror(errno));
        free(*tmp);
        *tmp = NULL;
        return rc;
    }
    return fd;
}

/* Replace dir/name with data[0..len) atomically (temporary file, fsync,
 * rename, fsync of the directory).  0 or CAIRN_EIO naming the failed step. */
static int write_atomic(const char *dir, const char *name, const char *data, size_t len)
{
    char *tmp = NULL, *path = NULL;
    int fd = open_temp(dir, &tmp);
    if (fd < 0)
        return fd;
    int rc = 0;
    const char *step = NULL;
    if (write_all(fd, data, len) != 0)
        step = "write";
    else if (fsync(fd) != 0)
        step = "fsync";
    if (close(fd) != 0 && !step)
        step = "close";
    if (step) {
        rc = err_set(CAIRN_EIO, "test provider: %s %s: %s", step, tmp, strerror(errno));
        goto fail;
    }
    path = xasprintf("%s/%s", dir, name);
    if (rename(tmp, path) != 0) {
        rc = err_set(CAIRN_EIO, "test provider: rename %s to %s: %s", tmp, path,
                     strerror(errno));
        goto fail;
    }
    free(tmp);
    free(path);
    return sync_dir(dir);
fail:
    unlink(tmp);
    free(tmp);
    free(path);
    return rc;
}

/* Read the whole file at path (at most max bytes) into *out (owned,
 * NUL-terminated), its length in *len.  CAIRN_ENOTFOUND when it does not
 * exist; CAIRN_ELIMIT when too large; CAIRN_EIO otherwise. */
static int read_file(const char *path, size_t max, char **out, size_t *len)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_set(errno == ENOENT ? CAIRN_ENOTFOUND : CAIRN_EIO,
                       "test provider: open %s: %s", path, strerror(errno));
    struct stat st;
    int rc = 0;
    char *buf = NULL;
    size_t n = 0;
    if (fstat(fd, &st) != 0) {
        rc = err_set(CAIRN_EIO, "test provider: stat %s: %s", path, strerror(errno));
        goto done;
    }
    if (st.st_size < 0 || (size_t)st.st_size > max) {
        rc = err_set(CAIRN_ELIMIT, "test provider: %s is larger than %zu bytes", path, max);
        goto done;
    }
    buf = malloc((size_t)st.st_size + 1);
    if (!buf) {
        rc = err_set(CAIRN_ENOMEM, "test provider: out of memory reading %s", path);
        goto done;
    }
    while (n < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = err_set(CAIRN_EIO, "test provider: read %s: %s", path, strerror(errno));
            goto done;
        }
        if (r == 0)
            break;   /* shrank under us: use what is there */
        n += (size_t)r;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
done:
    free(buf);
    close(fd);
    return rc;
}

/* Remove dir/name (missing is success) and make that durable. */
static int remove_file(const char *dir, const char *name)
{
    char *path = xasprintf("%s/%s", dir, name);
    int rc = 0;
    if (unlink(path) == 0)
        rc = sync_dir(dir);
    else if (errno != ENOENT)
        rc = err_set(CAIRN_EIO, "test provider: remove %s: %s", path, strerror(errno));
    free(path);
    return rc;
}

/* ---------------------------------------------------------------- objects */

int tp_store_put(prov_instance *p, const char *id, val attrs, const char *token,
                 const char *address)
{
    strbuf b = {0};
    b.cap = TP_MAX_FILE_SIZE;
    sb_puts(&b, "{\"attributes\":");
    int rc = val_to_json_sb(&b, &attrs);
    if (rc) {
        char why[512];
        snprintf(why, sizeof why, "%s", err_msg());   /* err_set overwrites err_msg() */
        sb_free(&b);
        return err_set(rc, "test provider: encoding object %s: %s", id, why);
    }
    sb_puts(&b, ",\"token\":");
    if (token)
        val_json_quote(&b, token, strlen(token));
    else
        sb_puts(&b, "null");
    sb_puts(&b, ",\"address\":");
    if (address)
        val_json_quote(&b, address, strlen(address));
    else
        sb_puts(&b, "null");
    sb_puts(&b, "}\n");
    if (b.failed) {
        sb_free(&b);
        return err_set(CAIRN_ELIMIT, "test provider: object %s is larger than %u bytes", id,
                       TP_MAX_FILE_SIZE);
    }
    char *name = xasprintf("%s.json", id);
    rc = write_atomic(p->dir, name, b.s, b.len);
    free(name);
    sb_free(&b);
    return rc;
}

/* Copy of the string at key in obj, NULL when absent or not a string. */
static char *dup_str(val obj, const char *key)
{
    const val *v = val_lookup(obj, key);
    return v && val_kind(*v) == VAL_STRING && !val_is_unknown(*v)
               ? xstrdup(val_get_string(*v)) : NULL;
}

int tp_store_get(prov_instance *p, const char *id, tp_record *out)
{
    memset(out, 0, sizeof *out);
    out->attrs = val_invalid();
    char *path = xasprintf("%s/%s.json", p->dir, id);
    char *text = NULL;
    size_t len = 0;
    int rc = read_file(path, TP_MAX_FILE_SIZE, &text, &len);
    if (rc)
        goto done;
    val doc = val_from_json(text, len);
    const val *attrs = val_is_valid(doc) && val_kind(doc) == VAL_OBJECT
                           ? val_lookup(doc, "attributes") : NULL;
    if (!attrs || val_kind(*attrs) != VAL_OBJECT) {
        char why[512] = "no \"attributes\" object";
        if (!val_is_valid(doc))
            snprintf(why, sizeof why, "%s", err_msg());
        rc = err_set(CAIRN_ECORRUPT, "test provider: %s is not an object file: %s", path, why);
        val_free(doc);
        goto done;
    }
    out->attrs = val_copy(*attrs);
    out->token = dup_str(doc, "token");
    out->address = dup_str(doc, "address");
    val_free(doc);
done:
    free(text);
    free(path);
    return rc;
}

void tp_record_free(tp_record *r)
{
    val_free(r->attrs);
    free(r->token);
    free(r->address);
    memset(r, 0, sizeof *r);
    r->attrs = val_invalid();
}

int tp_store_remove(prov_instance *p, const char *id)
{
    char *name = xasprintf("%s.json", id);
    int rc = remove_file(p->dir, name);
    free(name);
    return rc;
}

/* Whether directory entry e of dir names an object file. */
static int is_object_file(const char *dir, const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    if (e->d_name[0] == '.' || n <= 5 || strcmp(e->d_name + n - 5, ".json") != 0)
        return 0;
    if (e->d_type == DT_REG)
        return 1;
    if (e->d_type != DT_UNKNOWN)
        return 0;
    char *path = xasprintf("%s/%s", dir, e->d_name);
    struct stat st;
    int reg = stat(path, &st) == 0 && S_ISREG(st.st_mode);
    free(path);
    return reg;
}

int tp_store_count(prov_instance *p, size_t *n)
{
    *n = 0;
    DIR *d = opendir(p->dir);
    if (!d)
        return errno == ENOENT ? 0 : err_set(CAIRN_EIO, "test provider: open directory %s: %s",
                                            p->dir, strerror(errno));
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (!e)
            break;
        *n += (size_t)is_object_file(p->dir, e);
    }
    int rc = errno ? err_set(CAIRN_EIO, "test provider: read directory %s: %s", p->dir,
                             strerror(errno)) : 0;
    closedir(d);
    return rc;
}

/* ---------------------------------------------------------------- token index */

/* File name of token's index entry: the token itself when it is a safe
 * file name, else "h-" and its SHA-256 (owned). */
static char *token_name(const char *token)
{
    if (tp_valid_id(token) && strlen(token) <= TP_MAX_TOKEN_NAME)
        return xstrdup(token);
    char h[65];
    tp_sha256_hex(token, strlen(token), h);
    return xasprintf("h-%s", h);
}

int tp_token_put(prov_instance *p, const char *token, const char *id)
{
    char *dir = xasprintf("%s/%s", p->dir, TP_TOKEN_DIR);
    char *name = token_name(token);
    char *body = xasprintf("%s\n", id);
    int rc = write_atomic(dir, name, body, strlen(body));
    free(body);
    free(name);
    free(dir);
    return rc;
}

int tp_token_get(prov_instance *p, const char *token, char **id)
{
    *id = NULL;
    char *name = token_name(token);
    char *path = xasprintf("%s/%s/%s", p->dir, TP_TOKEN_DIR, name);
    char *text = NULL;
    size_t len = 0;
    int rc = read_file(path, TP_MAX_SMALL_FILE, &text, &len);
    if (rc == 0) {
        while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
            text[--len] = '\0';
        if (tp_valid_id(text)) {
            *id = text;
            text = NULL;
        } else {
            rc = err_set(CAIRN_ECORRUPT, "test provider: %s does not hold an id", path);
        }
    }
    free(text);
    free(path);
    free(name);
    return rc;
}

int tp_token_remove(prov_instance *p, const char *token)
{
    char *dir = xasprintf("%s/%s", p->dir, TP_TOKEN_DIR);
    char *name = token_name(token);
    int rc = remove_file(dir, name);
    free(name);
    free(dir);
    return rc;
}

/* ---------------------------------------------------------------- attempts */

/* Under p->mu: read the count of counter file name (0 when missing), and
 * if it is below limit, store count+1 and set *fail. */
static int bump_locked(prov_instance *p, const char *name, unsigned limit, int *fail)
{
    char *path = xasprintf("%s/%s", p->dir, name);
    char *text = NULL;
    size_t len = 0;
    unsigned long count = 0;
    int rc = read_file(path, TP_MAX_SMALL_FILE, &text, &len);
    if (rc == 0) {
        char *end = NULL;
        count = strtoul(text, &end, 10);
        if (end == text)
            rc = err_set(CAIRN_ECORRUPT, "test provider: %s does not hold a count", path);
    } else if (rc == CAIRN_ENOTFOUND) {
        rc = 0;
    }
    free(text);
    free(path);
    if (rc == 0 && count < limit) {
        char body[32];
        int n = snprintf(body, sizeof body, "%lu\n", count + 1);
        rc = write_atomic(p->dir, name, body, (size_t)n);
        *fail = rc == 0;
    }
    return rc;
}

int tp_attempt_counts(prov_instance *p, const char *op, const char *address,
                      unsigned limit, int *fail)
{
    char h[65];
    const char *a = address ? address : "";
    *fail = 0;
    tp_sha256_hex(a, strlen(a), h);
    h[16] = '\0';
    char *name = xasprintf(".failcount-%s-%s", op, h);
    pthread_mutex_lock(&p->mu);
    int rc = bump_locked(p, name, limit, fail);
    pthread_mutex_unlock(&p->mu);
    free(name);
    return rc;
}
