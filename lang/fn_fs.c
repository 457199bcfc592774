/*
 * lang/fn_fs.c — filesystem functions: abspath basename dirname file
 * fileexists pathexpand templatefile, filebase64 and the file hash
 * functions (filemd5 filesha1 filesha256 filesha512 filebase64sha256
 * filebase64sha512).  Path handling follows Go's
 * path/filepath on Unix (Clean, Base, Dir, Join) as Terraform uses it;
 * relative paths of file, fileexists and templatefile are resolved against
 * ctx->base_dir (path.module).
 */
#include "lang/fn_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Largest file file() and templatefile() read. */
#define FN_MAX_FILE_SIZE (16u * 1024 * 1024)

/* Go's filepath.Clean (Unix).  Returns an owned string. */
static char *path_clean(const char *p, size_t n)
{
    if (n == 0)
        return xstrdup(".");
    int rooted = p[0] == '/';
    char *out = xmalloc(n + 2);
    size_t w = 0, r = 0, dotdot = 0;
    if (rooted) {
        out[w++] = '/';
        r = 1;
        dotdot = 1;
    }
    while (r < n) {
        if (p[r] == '/') {
            r++;
        } else if (p[r] == '.' && (r + 1 == n || p[r + 1] == '/')) {
            r++;
        } else if (p[r] == '.' && p[r + 1] == '.' && (r + 2 == n || p[r + 2] == '/')) {
            r += 2;
            if (w > dotdot) {
                w--;
                while (w > dotdot && out[w] != '/')
                    w--;
            } else if (!rooted) {
                if (w > 0)
                    out[w++] = '/';
                out[w++] = '.';
                out[w++] = '.';
                dotdot = w;
            }
        } else {
            if ((rooted && w != 1) || (!rooted && w != 0))
                out[w++] = '/';
            for (; r < n && p[r] != '/'; r++)
                out[w++] = p[r];
        }
    }
    if (w == 0)
        out[w++] = '.';
    out[w] = 0;
    return out;
}

/* filepath.Join(a, b) (Clean of "a/b", ignoring empty parts). */
static char *path_join(const char *a, const char *b)
{
    if (!*a)
        return path_clean(b, strlen(b));
    if (!*b)
        return path_clean(a, strlen(a));
    char *j = xasprintf("%s/%s", a, b);
    char *r = path_clean(j, strlen(j));
    free(j);
    return r;
}

/* mitchellh/go-homedir Expand.  Owned result, or NULL on error. */
static char *path_expand(const char *p)
{
    if (p[0] != '~')
        return xstrdup(p);
    if (p[1] && p[1] != '/' && p[1] != '\\')
        return NULL;
    const char *home = getenv("HOME");
    return path_join(home ? home : "", p + 1);
}

/* Expand ~ and resolve against base_dir; owned, or NULL with err. */
static char *resolve(fn_ctx *c, const char *p, int arg, fn_err *e)
{
    char *x = path_expand(p);
    if (!x) {
        fn_errf(e, -1, "failed to expand ~: cannot expand user-specific home dir");
        return NULL;
    }
    char *r;
    if (x[0] == '/')
        r = path_clean(x, strlen(x));
    else
        r = path_join(c->base_dir ? c->base_dir : ".", x);
    free(x);
    (void)arg;
    return r;
}

static val fn_pathexpand(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    char *x = path_expand(val_get_string(a[0]));
    if (!x)
        return fn_errf(e, -1, "cannot expand user-specific home dir");
    return val_string_own(x, strlen(x));
}

static val fn_basename(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    const char *p = val_get_string(a[0]);
    size_t len = val_string_len(a[0]);
    if (len == 0)
        return val_string(".");
    while (len > 0 && p[len - 1] == '/')
        len--;
    if (len == 0)
        return val_string("/");
    size_t st = len;
    while (st > 0 && p[st - 1] != '/')
        st--;
    return val_string_n(p + st, len - st);
}

static val fn_dirname(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n, (void)e;
    const char *p = val_get_string(a[0]);
    size_t len = val_string_len(a[0]);
    size_t i = len;
    while (i > 0 && p[i - 1] != '/')
        i--;
    char *d = path_clean(p, i);
    return val_string_own(d, strlen(d));
}

static val fn_abspath(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    const char *p = val_get_string(a[0]);
    char *r;
    if (p[0] == '/') {
        r = path_clean(p, strlen(p));
    } else {
        char cwd[4096];
        if (!getcwd(cwd, sizeof cwd))
            return fn_errf(e, -1, "failed to get the working directory");
        r = path_join(cwd, p);
    }
    return val_string_own(r, strlen(r));
}

static void quote(strbuf *b, const char *s)
{
    sb_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            sb_putc(b, '\\');
        sb_putc(b, *s);
    }
    sb_putc(b, '"');
}

/* Read a configuration file for file()/templatefile(): owned text and
 * length, or NULL with err (Terraform's wording; arg 0). */
static char *read_conf_file(fn_ctx *c, val pathv, size_t *len, char **resolved, int utf8,
                            fn_err *e)
{
    int sens = val_is_sensitive(pathv);
    char *path = resolve(c, val_get_string(pathv), 0, e);
    if (!path)
        return NULL;
    strbuf q = {0};
    if (sens)
        sb_puts(&q, "(sensitive value)");
    else
        quote(&q, path);
    char *qp = sb_take(&q);
    char *text = NULL;
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f) {
        if (errno == ENOENT || errno == ENOTDIR)
            fn_errf(e, 0, "no file exists at %s; this function works only with files that are "
                          "distributed as part of the configuration source code, so if this "
                          "file will be created by a resource in this configuration you must "
                          "instead obtain this result from an attribute of that resource.", qp);
        else
            fn_errf(e, 0, "failed to read file %s", qp);
        goto out;
    }
    if (fstat(fileno(f), &st) != 0 || S_ISDIR(st.st_mode)) {
        fn_errf(e, 0, "failed to read file %s", qp);
        goto out;
    }
    if (st.st_size > (off_t)FN_MAX_FILE_SIZE) {
        fn_errf(e, 0, "file %s is larger than the limit of %u bytes", qp, FN_MAX_FILE_SIZE);
        goto out;
    }
    text = malloc((size_t)st.st_size + 1);
    if (!text) {
        fn_errf(e, 0, "failed to read file %s", qp);
        goto out;
    }
    *len = fread(text, 1, (size_t)st.st_size, f);
    text[*len] = 0;
    for (size_t i = 0; utf8 && i < *len;) {
        unsigned cp;
        size_t k = fn_utf8_decode(text + i, *len - i, &cp);
        if (cp == 0xFFFD && !(k == 3 && (unsigned char)text[i] == 0xEF)) {
            fn_errf(e, -1, "contents of %s are not valid UTF-8; use the filebase64 function to "
                           "obtain the Base64 encoded contents or the other file functions (e.g. "
                           "filemd5, filesha256) to obtain file hashing results instead", qp);
            free(text);
            text = NULL;
            goto out;
        }
        i += k;
    }
out:
    if (f)
        fclose(f);
    free(qp);
    if (text && resolved)
        *resolved = path;
    else
        free(path);
    return text;
}

static val fn_file(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)n;
    size_t len = 0;
    char *text = read_conf_file(c, a[0], &len, NULL, 1, e);
    if (!text)
        return val_invalid();
    return val_string_own(text, len);
}

static val fn_fileexists(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)n;
    char *path = resolve(c, val_get_string(a[0]), 0, e);
    if (!path)
        return val_invalid();
    struct stat st;
    val r;
    strbuf q = {0};
    quote(&q, path);
    char *qp = sb_take(&q);
    if (stat(path, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            r = val_bool(0);
        else
            r = fn_errf(e, -1, "failed to stat %s", qp);
    } else if (S_ISREG(st.st_mode)) {
        r = val_bool(1);
    } else {
        const char *desc = S_ISDIR(st.st_mode) ? "directory" : S_ISLNK(st.st_mode) ? "symlink"
                         : S_ISFIFO(st.st_mode) ? "named pipe" : S_ISSOCK(st.st_mode) ? "socket"
                         : S_ISCHR(st.st_mode) ? "character device" : S_ISBLK(st.st_mode)
                         ? "device" : "irregular file";
        r = fn_errf(e, -1, "%s is not a regular file, but \"%s\"", qp, desc);
    }
    free(qp);
    free(path);
    return r;
}

static int valid_ident(const char *s)
{
    unsigned cp;
    size_t len = strlen(s), i = 0;
    if (len == 0)
        return 0;
    while (i < len) {
        size_t k = fn_utf8_decode(s + i, len - i, &cp);
        int letter = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp >= 0x80 ||
                     cp == '_';
        int digit = cp >= '0' && cp <= '9';
        if (i == 0 ? !letter : !(letter || digit || cp == '-'))
            return 0;
        i += k;
    }
    return 1;
}

static val fn_templatefile(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)n;
    enum val_kind k = val_kind(a[1]);
    if (k != VAL_MAP && k != VAL_OBJECT)
        return fn_errf(e, 1, "invalid vars value: must be a map");
    for (size_t i = 0; i < val_len(a[1]); i++)
        if (!valid_ident(val_key_at(a[1], i)))
            return fn_errf(e, 1, "invalid template variable name \"%s\": must start with a "
                                 "letter, followed by zero or more letters, digits, and "
                                 "underscores", val_key_at(a[1], i));
    size_t len = 0;
    char *path = NULL;
    char *text = read_conf_file(c, a[0], &len, &path, 1, e);
    if (!text)
        return val_invalid();
    free(text);
    if (!c->render_template) {
        free(path);
        return fn_errf(e, -1, "templatefile is not available here");
    }
    fn_err sub = {0};
    sub.arg = -1;
    val r = c->render_template(c->payload, path, val_copy(a[1]), &sub);
    free(path);
    if (!val_is_valid(r)) {
        e->arg = sub.arg;
        memcpy(e->msg, sub.msg, sizeof e->msg);
    }
    return r;
}

/* filebase64 and the file hash functions read raw bytes. */
static val file_digest(fn_ctx *c, const val *a, const char *md, int b64, fn_err *e)
{
    size_t len = 0;
    char *data = read_conf_file(c, a[0], &len, NULL, 0, e);
    if (!data)
        return val_invalid();
    strbuf b = {0};
    int rc = 0;
    if (md)
        rc = fn_digest(&b, md, data, len, b64);
    else
        fn_base64(&b, (unsigned char *)data, len);
    free(data);
    if (rc < 0) {
        sb_free(&b);
        return fn_errf(e, -1, "digest computation failed");
    }
    return fn_sb_val(&b, e);
}

#define FILE_DIGEST_FN(fname, md, b64)                                   \
    static val fname(fn_ctx *c, const val *a, size_t n, fn_err *e)      \
    {                                                                    \
        (void)n;                                                         \
        return file_digest(c, a, md, b64, e);                            \
    }
FILE_DIGEST_FN(fn_filebase64, NULL, 1)
FILE_DIGEST_FN(fn_filemd5, "md5", 0)
FILE_DIGEST_FN(fn_filesha1, "sha1", 0)
FILE_DIGEST_FN(fn_filesha256, "sha256", 0)
FILE_DIGEST_FN(fn_filesha512, "sha512", 0)
FILE_DIGEST_FN(fn_filebase64sha256, "sha256", 1)
FILE_DIGEST_FN(fn_filebase64sha512, "sha512", 1)

static const fn_param p_path[] = {{"path", FN_T_STRING, 0}};
static const fn_param p_tmpl[] = {{"path", FN_T_STRING, 0}, {"vars", FN_T_ANY, 0}};

const fn_def fn_fs_defs[] = {
    {"abspath", p_path, 1, NULL, FN_T_STRING, NULL, fn_abspath, 0, "Absolute path."},
    {"basename", p_path, 1, NULL, FN_T_STRING, NULL, fn_basename, 0, "Last path element."},
    {"dirname", p_path, 1, NULL, FN_T_STRING, NULL, fn_dirname, 0, "All but the last element."},
    {"file", p_path, 1, NULL, FN_T_STRING, NULL, fn_file, 0, "Contents of a file."},
    {"filebase64", p_path, 1, NULL, FN_T_STRING, NULL, fn_filebase64, 0,
     "Base64 of a file's bytes."},
    {"filebase64sha256", p_path, 1, NULL, FN_T_STRING, NULL, fn_filebase64sha256, 0,
     "Base64 SHA-256 of a file."},
    {"filebase64sha512", p_path, 1, NULL, FN_T_STRING, NULL, fn_filebase64sha512, 0,
     "Base64 SHA-512 of a file."},
    {"fileexists", p_path, 1, NULL, FN_T_BOOL, NULL, fn_fileexists, 0,
     "Whether a file exists."},
    {"filemd5", p_path, 1, NULL, FN_T_STRING, NULL, fn_filemd5, 0, "Hex MD5 of a file."},
    {"filesha1", p_path, 1, NULL, FN_T_STRING, NULL, fn_filesha1, 0, "Hex SHA-1 of a file."},
    {"filesha256", p_path, 1, NULL, FN_T_STRING, NULL, fn_filesha256, 0,
     "Hex SHA-256 of a file."},
    {"filesha512", p_path, 1, NULL, FN_T_STRING, NULL, fn_filesha512, 0,
     "Hex SHA-512 of a file."},
    {"pathexpand", p_path, 1, NULL, FN_T_STRING, NULL, fn_pathexpand, 0, "Expand ~."},
    {"templatefile", p_tmpl, 2, NULL, FN_T_ANY, NULL, fn_templatefile, 0,
     "Render a template file."},
};
const size_t fn_fs_defs_count = sizeof fn_fs_defs / sizeof *fn_fs_defs;
