/*
 * providers/aws/aws_log.c — the AWS layer's log: CAIRN_LOG level,
 * CAIRN_LOG_PATH destination, and masking of registered secrets.
 *
 * Process-wide state (named as such): the level, the output stream and the
 * redaction list, all behind log_lock.  Every line passes through the
 * masker, so a secret registered with aws_log_redact never reaches the log,
 * whichever code path formatted it.
 */
#include "providers/aws/aws_internal.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "providers/aws/aws_sigv4.h"

/* Most secrets the masker keeps (each with its escaped forms). */
#define AWS_LOG_MAX_SECRETS 256
/* Longest line written (longer ones are cut, with a marker). */
#define AWS_LOG_MAX_LINE (64u * 1024)
#define AWS_LOG_MIN_SECRET 4

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static int log_ready;
static enum aws_log_level log_level = AWS_LOG_OFF;
static FILE *log_out;
static char *log_secrets[AWS_LOG_MAX_SECRETS * 3];
static size_t log_nsecrets;

static void log_init_locked(void)
{
    if (log_ready)
        return;
    const char *lv = getenv("CAIRN_LOG");
    static const char *names[] = {"off", "error", "warn", "info", "debug", "trace"};
    log_level = AWS_LOG_OFF;
    for (int i = 0; lv && i < 6; i++)
        if (strcasecmp(lv, names[i]) == 0)
            log_level = (enum aws_log_level)i;
    const char *path = getenv("CAIRN_LOG_PATH");
    log_out = stderr;
    if (path && *path && log_level != AWS_LOG_OFF) {
        FILE *f = fopen(path, "a");
        if (f)
            log_out = f;
    }
    log_ready = 1;
}

void aws_log_reset(void)
{
    pthread_mutex_lock(&log_lock);
    if (log_ready && log_out && log_out != stderr)
        fclose(log_out);
    log_ready = 0;
    log_init_locked();
    pthread_mutex_unlock(&log_lock);
}

int aws_log_enabled(enum aws_log_level level)
{
    pthread_mutex_lock(&log_lock);
    log_init_locked();
    int on = level != AWS_LOG_OFF && level <= log_level;
    pthread_mutex_unlock(&log_lock);
    return on;
}

static void add_secret_locked(char *s)
{
    if (!s)
        return;
    if (strlen(s) < AWS_LOG_MIN_SECRET || log_nsecrets >= AWS_LOG_MAX_SECRETS * 3) {
        free(s);
        return;
    }
    for (size_t i = 0; i < log_nsecrets; i++) {
        if (strcmp(log_secrets[i], s) == 0) {
            free(s);
            return;
        }
    }
    log_secrets[log_nsecrets++] = s;
}

void aws_log_redact(const char *secret)
{
    if (!secret || strlen(secret) < AWS_LOG_MIN_SECRET)
        return;
    strbuf uri = {0}, js = {0};
    aws_uri_encode(&uri, secret, strlen(secret), 0);
    aws_json_escape(&js, secret);
    char *u = sb_take(&uri);
    char *j = sb_take(&js);
    /* the JSON form carries its quotes; mask the inside */
    char *jin = NULL;
    if (j && strlen(j) >= 2)
        jin = xstrndup(j + 1, strlen(j) - 2);
    free(j);
    pthread_mutex_lock(&log_lock);
    add_secret_locked(xstrdup(secret));
    add_secret_locked(u);
    add_secret_locked(jin);
    pthread_mutex_unlock(&log_lock);
}

/* Mask with the lock held. */
static char *mask_locked(const char *s)
{
    strbuf out = {0};
    const char *p = s;
    while (*p) {
        size_t best = 0;
        for (size_t i = 0; i < log_nsecrets; i++) {
            size_t l = strlen(log_secrets[i]);
            if (l > best && strncmp(p, log_secrets[i], l) == 0)
                best = l;
        }
        if (best) {
            sb_puts(&out, "****");
            p += best;
        } else {
            sb_putc(&out, *p++);
        }
    }
    sb_putc(&out, 0);
    out.len--;
    return sb_take(&out);
}

char *aws_log_mask(const char *s)
{
    pthread_mutex_lock(&log_lock);
    char *r = mask_locked(s ? s : "");
    pthread_mutex_unlock(&log_lock);
    return r;
}

void aws_log(enum aws_log_level level, const char *fmt, ...)
{
    if (!aws_log_enabled(level))
        return;
    static const char *tags[] = {"", "error", "warn", "info", "debug", "trace"};
    char *line = xmalloc(AWS_LOG_MAX_LINE);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, AWS_LOG_MAX_LINE, fmt, ap);
    va_end(ap);
    if (n < 0)
        line[0] = 0;
    char stamp[32];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    pthread_mutex_lock(&log_lock);
    char *masked = mask_locked(line);
    fprintf(log_out, "%s.%03ldZ [%s] aws: %s%s\n", stamp, ts.tv_nsec / 1000000, tags[level],
            masked ? masked : "(log line lost: out of memory)",
            (size_t)n >= AWS_LOG_MAX_LINE ? " ...(cut)" : "");
    fflush(log_out);
    pthread_mutex_unlock(&log_lock);
    free(masked);
    free(line);
}
