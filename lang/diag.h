/*
 * lang/diag.h — source files, byte ranges, diagnostics, the error enum and
 * the per-thread last-error slot.
 *
 * A diagnostic is what a user sees when they did something wrong: severity,
 * summary, detail and a source range.  Ranges are byte offsets into a
 * src_file; line and column are computed only when printed.  Printed form:
 *
 *     main.tf:3:7: error: Unsupported argument
 *       3 |   cidr = "10.0.0.0/16"
 *         |   ^^^^
 *     An argument named "cidr" is not expected here.
 *
 * Internal functions return 0 or a negative cairn_err and leave a message
 * in the per-thread last-error slot (err_set / err_msg).
 */
#ifndef CAIRN_DIAG_H
#define CAIRN_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Error codes: never renumbered, only appended. */
enum cairn_err {
    CAIRN_OK = 0,
    CAIRN_ENOMEM = -1,    /* allocation failed */
    CAIRN_EIO = -2,       /* file or socket I/O failed */
    CAIRN_EINVAL = -3,    /* invalid argument or input */
    CAIRN_ELIMIT = -4,    /* a named limit was reached */
    CAIRN_ENOTFOUND = -5, /* no such thing */
    CAIRN_EBUSY = -6,     /* held by someone else (lock) */
    CAIRN_ECORRUPT = -7,  /* stored data is damaged */
    CAIRN_EVERSION = -8,  /* written by an incompatible version */
    CAIRN_EPROTO = -9,    /* remote side broke the protocol */
    CAIRN_ECANCEL = -10,  /* interrupted by the user */
    CAIRN_ETIMEOUT = -11, /* a wait ran out of time */
    CAIRN_EREMOTE = -12,  /* the remote API returned an error */
    CAIRN_EDIAG = -13,    /* user-facing diagnostics were reported */
};

/* Set the calling thread's last error message (printf-style); returns code
 * so that callers can write `return err_set(CAIRN_EINVAL, "...")`. */
int err_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The calling thread's last error message ("" if none).  Borrowed; valid
 * until the next err_set on this thread. */
const char *err_msg(void);
/* The code given to the last err_set on this thread. */
int err_code(void);

/* Largest configuration file cairn reads (bytes). */
#define SRC_MAX_FILE_SIZE (16u * 1024 * 1024)

/* A loaded source file.  Owns name and text; text is NUL-terminated. */
typedef struct src_file {
    char *name;
    char *text;
    size_t len;
    uint32_t *line_starts; /* computed lazily by src_pos */
    size_t nlines;
} src_file;

/* Load a file.  Returns NULL and sets the last error (CAIRN_EIO, or
 * CAIRN_ELIMIT above SRC_MAX_FILE_SIZE). */
src_file *src_load(const char *path);
/* Wrap text already in memory (copied). */
src_file *src_from_string(const char *name, const char *text, size_t len);
void src_free(src_file *f);
/* Line and column (both from 1; column counts UTF-8 characters) of a byte
 * offset. */
void src_pos(src_file *f, uint32_t off, int *line, int *col);

/* A byte range [start, end) in a file.  file may be NULL (no location). */
typedef struct srange {
    src_file *file;
    uint32_t start, end;
} srange;

enum diag_severity { DIAG_ERROR, DIAG_WARNING };

typedef struct diag {
    enum diag_severity sev;
    char *summary;
    char *detail;   /* may be NULL */
    srange range;
} diag;

/* A growable list of diagnostics; zero-initialise to start.  At most
 * DIAG_MAX_COUNT are kept (later ones are counted, not stored). */
#define DIAG_MAX_COUNT 1000
typedef struct diag_list {
    diag *items;
    size_t n, cap;
    size_t nerrors, nwarnings, dropped;
} diag_list;

/* Append a diagnostic.  detail is printf-style and may be NULL. */
void diag_add(diag_list *l, enum diag_severity sev, srange r, const char *summary,
              const char *detail_fmt, ...) __attribute__((format(printf, 5, 6)));
void diag_addv(diag_list *l, enum diag_severity sev, srange r, const char *summary,
               const char *detail_fmt, va_list ap);
/* Move every diagnostic of src into dst (src is left empty). */
void diag_move(diag_list *dst, diag_list *src);
static inline int diag_has_errors(const diag_list *l) { return l->nerrors > 0; }
/* Print one diagnostic / all of them in the form shown above.  color: ANSI
 * colours when non-zero. */
void diag_print(FILE *out, const diag *d, int color);
void diag_print_all(FILE *out, const diag_list *l, int color);
void diag_list_free(diag_list *l);

/* Growable string buffer with a size cap.  Zero-initialise, or set cap
 * first (0 means SB_DEFAULT_CAP).  On allocation failure or when the cap is
 * reached, the buffer is marked failed and further appends do nothing. */
#define SB_DEFAULT_CAP (256u * 1024 * 1024)
typedef struct strbuf {
    char *s;
    size_t len, alloc, cap;
    int failed;
} strbuf;
void sb_append(strbuf *b, const char *s, size_t n);
void sb_puts(strbuf *b, const char *s);
void sb_putc(strbuf *b, char c);
void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Take the string (NUL-terminated, owned by the caller; "" if empty); the
 * buffer is reset.  Returns NULL if the buffer failed. */
char *sb_take(strbuf *b);
void sb_free(strbuf *b);

/* Checked allocation: abort with a message on out-of-memory.  For the few
 * places where recovery is impossible anyway (diagnostic text, small
 * bookkeeping); paths that handle big inputs use malloc and check. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
