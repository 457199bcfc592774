/*
 * engine/cmd_fmt.c — `cairn fmt [options] [TARGET...]`, as `terraform fmt`.
 *
 * Targets: directories (their *.tf, *.tfvars and *.tftest.hcl files; with
 * -recursive also subdirectories, except hidden ones such as .terraform),
 * files, or "-" for standard input (formatted text to standard output).
 * No target means the current directory.
 *
 * Exit status: 0 success; 1 bad usage; 2 a file could not be read or does
 * not parse (it is reported and left alone; other files are still
 * processed); 3 with -check when some input is not formatted.
 */
#include "engine/cli.h"
#include "lang/diag.h"
#include "lang/fmt.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Deepest directory nesting -recursive follows. */
#define FMT_MAX_DIR_DEPTH 64

typedef struct fmt_opts {
    int list, write, diff, check, recursive, color;
    int changed; /* some input was not formatted */
    int errors;  /* some input failed */
} fmt_opts;

static void fmt_usage(FILE *out)
{
    fprintf(out,
            "Usage: cairn [global options] fmt [options] [target...]\n\n"
            "  Rewrites all configuration files to a canonical format.  All\n"
            "  configuration files (.tf), variables files (.tfvars) and testing files\n"
            "  (.tftest.hcl) are updated.\n\n"
            "  By default, fmt scans the current directory for configuration files.  If\n"
            "  you provide a directory, fmt scans that directory instead.  If you provide\n"
            "  a file, fmt processes just that file.  If you provide a single dash (-),\n"
            "  fmt reads from standard input and writes to standard output.\n\n"
            "Options:\n\n"
            "  -list=false    Don't list files whose formatting differs\n"
            "                 (always disabled if using STDIN)\n\n"
            "  -write=false   Don't write to source files\n"
            "                 (always disabled if using STDIN or -check)\n\n"
            "  -diff          Display diffs of formatting changes\n\n"
            "  -check         Check if the input is formatted. Exit status will be 0 if all\n"
            "                 input is properly formatted and 3 otherwise.\n\n"
            "  -no-color      If specified, output won't contain any color.\n\n"
            "  -recursive     Also process files in subdirectories. By default, only the\n"
            "                 given directory (or current directory) is processed.\n");
}

/* Parse a Go-style boolean flag: "-name", "-name=true|false|1|0".  Returns
 * 1 if arg is that flag (value in *val), 0 if not, -1 if the value is bad. */
static int bool_flag(const char *arg, const char *name, int *val)
{
    size_t n = strlen(name);
    if (arg[0] == '-' && arg[1] == '-')
        arg++;
    if (arg[0] != '-' || strncmp(arg + 1, name, n) != 0)
        return 0;
    arg += 1 + n;
    if (*arg == '\0') {
        *val = 1;
        return 1;
    }
    if (*arg != '=')
        return 0;
    arg++;
    if (!strcmp(arg, "true") || !strcmp(arg, "1") || !strcmp(arg, "t"))
        *val = 1;
    else if (!strcmp(arg, "false") || !strcmp(arg, "0") || !strcmp(arg, "f"))
        *val = 0;
    else
        return -1;
    return 1;
}

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

static int is_config_name(const char *name)
{
    return has_suffix(name, ".tf") || has_suffix(name, ".tfvars") ||
           has_suffix(name, ".tftest.hcl");
}

/* Replace path's contents with text: a temporary file beside it, fsync,
 * rename, keeping the file's mode. */
static int write_atomic(const char *path, const char *text, size_t len)
{
    struct stat st;
    char *tmp = xasprintf("%s.cairn-fmt.%ld", path, (long)getpid());
    const char *step = "create";
    FILE *f = NULL;
    int rc = 0;
    if (stat(path, &st) != 0)
        st.st_mode = 0644;
    f = fopen(tmp, "wb");
    if (!f)
        goto fail;
    step = "write";
    if (fwrite(text, 1, len, f) != len || fflush(f) != 0)
        goto fail;
    step = "sync";
    if (fchmod(fileno(f), st.st_mode & 07777) != 0 || fsync(fileno(f)) != 0)
        goto fail;
    step = "close";
    rc = fclose(f);
    f = NULL;
    if (rc != 0)
        goto fail;
    step = "rename";
    if (rename(tmp, path) != 0)
        goto fail;
    free(tmp);
    return 0;
fail:
    rc = err_set(CAIRN_EIO, "%s: %s %s: %s", path, step, tmp, strerror(errno));
    if (f)
        fclose(f);
    unlink(tmp);
    free(tmp);
    return rc;
}

/* Format one loaded source; name is what -list and -diff show. */
static void fmt_source(fmt_opts *o, src_file *f, const char *name, int is_stdin)
{
    diag_list diags = {0};
    char *out = NULL;
    size_t outlen = 0;
    int rc = fmt_format(f, FMT_TERRAFORM, &out, &outlen, &diags);
    if (rc == CAIRN_EDIAG) {
        diag_print_all(stderr, &diags, o->color);
        o->errors = 1;
        goto done;
    }
    if (rc < 0) {
        fprintf(stderr, "Error: %s\n", err_msg());
        o->errors = 1;
        goto done;
    }
    if (outlen != f->len || memcmp(out, f->text, outlen) != 0) {
        o->changed = 1;
        if (o->list)
            printf("%s\n", name);
        if (o->write && write_atomic(f->name, out, outlen) < 0) {
            fprintf(stderr, "Error: Failed to write file: %s\n", err_msg());
            o->errors = 1;
        }
        if (o->diff) {
            strbuf b = {0};
            char *a = xasprintf("old/%s", name), *c = xasprintf("new/%s", name);
            fmt_diff(&b, a, f->text, f->len, c, out, outlen);
            fwrite(b.s ? b.s : "", 1, b.len, stdout);
            sb_free(&b);
            free(a);
            free(c);
        }
    }
    if (is_stdin && !o->list && !o->write && !o->diff)
        fwrite(out, 1, outlen, stdout);
done:
    fflush(stdout);
    free(out);
    diag_list_free(&diags);
}

static void fmt_file(fmt_opts *o, const char *path)
{
    src_file *f = src_load(path);
    if (!f) {
        fprintf(stderr, "Error: Failed to read file\n\n%s\n", err_msg());
        o->errors = 1;
        return;
    }
    fmt_source(o, f, path, 0);
    src_free(f);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void fmt_dir(fmt_opts *o, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;
    if (!d) {
        fprintf(stderr, "Error: Failed to read directory %s: %s\n", dir, strerror(errno));
        o->errors = 1;
        return;
    }
    for (e = readdir(d); e; e = readdir(d)) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = xrealloc(names, cap * sizeof *names);
        }
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n; i++) {
        char *p = strcmp(dir, ".") ? xasprintf("%s/%s", dir, names[i]) : xstrdup(names[i]);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (o->recursive && depth < FMT_MAX_DIR_DEPTH)
                fmt_dir(o, p, depth + 1);
        } else if (is_config_name(names[i])) {
            fmt_file(o, p);
        }
        free(p);
        free(names[i]);
    }
    free(names);
}

static void fmt_stdin(fmt_opts *o)
{
    strbuf b = {0};
    char chunk[65536];
    size_t n;
    src_file *f;
    b.cap = SRC_MAX_FILE_SIZE + 1;
    do {
        n = fread(chunk, 1, sizeof chunk, stdin);
        sb_append(&b, chunk, n);
    } while (n > 0 && !b.failed);
    if (b.failed || ferror(stdin)) {
        fprintf(stderr, "Error: Failed to read from standard input (limit %u bytes)\n",
                SRC_MAX_FILE_SIZE);
        o->errors = 1;
        sb_free(&b);
        return;
    }
    f = src_from_string("<stdin>", b.s ? b.s : "", b.len);
    fmt_source(o, f, "<stdin>", 1);
    src_free(f);
    sb_free(&b);
}

int cmd_fmt(int argc, char **argv)
{
    fmt_opts o = {.list = 1, .write = 1};
    int i = 1, stdin_mode = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        const char *a = argv[i];
        int v = 0, r;
        if (!strcmp(a, "--"))  {
            i++;
            break;
        }
        if (!strcmp(a, "-help") || !strcmp(a, "-h") || !strcmp(a, "--help")) {
            fmt_usage(stdout);
            return 0;
        }
        if (!strcmp(a, "-no-color") || !strcmp(a, "--no-color"))
            continue;
        static const char *const names[] = {"list", "write", "diff", "check", "recursive"};
        int *slots[] = {&o.list, &o.write, &o.diff, &o.check, &o.recursive};
        r = 0;
        for (size_t k = 0; k < 5 && r == 0; k++) {
            r = bool_flag(a, names[k], &v);
            if (r > 0)
                *slots[k] = v;
        }
        if (r <= 0) {
            fprintf(stderr, "Error: %s option %s\n\n", r < 0 ? "Invalid value for" : "Unknown",
                    a);
            fmt_usage(stderr);
            return 1;
        }
    }
    o.color = cli_use_color(stderr);
    if (o.check)
        o.write = 0;
    if (i < argc && !strcmp(argv[i], "-")) {
        if (argc - i > 1) {
            fprintf(stderr, "Error: Only one target may be given when reading from stdin\n");
            return 1;
        }
        stdin_mode = 1;
        o.list = 0;
        o.write = 0;
        fmt_stdin(&o);
    } else if (i >= argc) {
        fmt_dir(&o, ".", 0);
    }
    for (; !stdin_mode && i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "Error: No file or directory at %s\n", argv[i]);
            o.errors = 1;
        } else if (S_ISDIR(st.st_mode)) {
            fmt_dir(&o, argv[i], 0);
        } else if (!is_config_name(argv[i])) {
            fprintf(stderr, "Error: Only .tf, .tfvars, and .tftest.hcl files can be processed"
                            " with cairn fmt\n");
            o.errors = 1;
        } else {
            fmt_file(&o, argv[i]);
        }
    }
    if (o.errors)
        return 2;
    return o.check && o.changed ? 3 : 0;
}
