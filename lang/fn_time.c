/*
 * lang/fn_time.c — date and time functions: formatdate, timeadd,
 * timestamp.  Timestamps are RFC 3339 as Go's time.Parse(time.RFC3339)
 * reads them (with cty's error wording); durations are Go's
 * time.ParseDuration syntax.  A parsed time keeps its UTC offset, and
 * results are printed in that offset, as Go does.
 */
#include "lang/fn_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct fn_time {
    int64_t sec;     /* seconds since the Unix epoch (UTC) */
    int64_t nsec;    /* 0..999999999 */
    int offset;      /* seconds east of UTC */
    int utc;         /* written as "Z" */
} fn_time;

typedef struct civil {
    int64_t year;
    int month, day, hour, min, sec, wday;
} civil;

/* Days since 1970-01-01 for a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, civil *c)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    c->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    c->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    c->year = y + (c->month <= 2);
}

static void to_civil(const fn_time *t, civil *c)
{
    int64_t local = t->sec + t->offset;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    int64_t rem = local - days * 86400;
    civil_from_days(days, c);
    c->hour = (int)(rem / 3600);
    c->min = (int)(rem / 60 % 60);
    c->sec = (int)(rem % 60);
    c->wday = (int)(((days % 7) + 11) % 7);   /* 1970-01-01 was a Thursday (4) */
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int m, int64_t y)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

/* cty's parse error wording. */
static int ts_err(fn_err *e, int arg, const char *fmt, const char *a, const char *b)
{
    char msg[400];
    snprintf(msg, sizeof msg, fmt, a, b);
    fn_errf(e, arg, "not a valid RFC3339 timestamp%s", msg);
    return -1;
}

/* n digits (fixed) or 1-2 digits (!fixed) at *s; -1 when malformed. */
static int getnum(const char **s, const char *end, int fixed)
{
    const char *p = *s;
    if (p >= end || *p < '0' || *p > '9')
        return -1;
    if (p + 1 >= end || p[1] < '0' || p[1] > '9') {
        if (fixed)
            return -1;
        *s = p + 1;
        return *p - '0';
    }
    *s = p + 2;
    return (*p - '0') * 10 + (p[1] - '0');
}

static int expect(const char **s, const char *end, char ch, fn_err *e, int arg)
{
    char want[2] = {ch, 0};
    if (*s < end && **s == ch) {
        (*s)++;
        return 0;
    }
    if (ch == 'T')
        return ts_err(e, arg, ": missing required time introducer 'T'", "", "");
    if (*s >= end)
        return ts_err(e, arg, ": end of string where \"%s\" is expected%s", want, "");
    return ts_err(e, arg, ": found \"%s\" where \"%s\" is expected", *s, want);
}

/* Go's time.Parse(time.RFC3339, s) with cty's messages. */
static int parse_ts(const char *s, size_t len, fn_time *t, fn_err *e, int arg)
{
    const char *p = s, *end = s + len, *hold;
    int64_t year;
    int mon, day, hour, min, sec;
    int64_t nsec = 0;
    if (end - p < 4 || *p < '0' || *p > '9')
        goto bad_year;
    year = 0;
    for (int i = 0; i < 4; i++) {
        if (p[i] < '0' || p[i] > '9') {
            p += 4;   /* Go reports the text after the four year characters */
            goto bad_year;
        }
        year = year * 10 + (p[i] - '0');
    }
    p += 4;
    if (expect(&p, end, '-', e, arg) < 0)
        return -1;
    hold = p;
    mon = getnum(&p, end, 1);
    if (mon < 0)
        return ts_err(e, arg, *hold ? ": cannot use \"%s\" as month%s" :
                                      ": end of string before month%s%s", hold, "");
    if (mon < 1 || mon > 12)
        return ts_err(e, arg, ": cannot use \"%s\" as month%s", p, "");
    if (expect(&p, end, '-', e, arg) < 0)
        return -1;
    hold = p;
    day = getnum(&p, end, 1);
    if (day < 0)
        return ts_err(e, arg, *hold ? ": cannot use \"%s\" as day of month%s" :
                                      ": end of string before day of month%s%s", hold, "");
    if (expect(&p, end, 'T', e, arg) < 0)
        return -1;
    hold = p;
    hour = getnum(&p, end, 0);
    if (hour < 0)
        return ts_err(e, arg, *hold ? ": cannot use \"%s\" as hour%s" :
                                      ": end of string before hour%s%s", hold, "");
    if (hour >= 24)
        return ts_err(e, arg, ": cannot use \"%s\" as hour%s", p, "");
    if (expect(&p, end, ':', e, arg) < 0)
        return -1;
    hold = p;
    min = getnum(&p, end, 1);
    if (min < 0)
        return ts_err(e, arg, *hold ? ": cannot use \"%s\" as minute%s" :
                                      ": end of string before minute%s%s", hold, "");
    if (min >= 60)
        return ts_err(e, arg, ": cannot use \"%s\" as minute%s", p, "");
    if (expect(&p, end, ':', e, arg) < 0)
        return -1;
    hold = p;
    sec = getnum(&p, end, 1);
    if (sec < 0)
        return ts_err(e, arg, *hold ? ": cannot use \"%s\" as second%s" :
                                      ": end of string before second%s%s", hold, "");
    if (sec >= 60)
        return ts_err(e, arg, ": cannot use \"%s\" as second%s", p, "");
    if (end - p >= 2 && (*p == '.' || *p == ',') && p[1] >= '0' && p[1] <= '9') {
        int64_t scale = 100000000;
        p++;
        while (p < end && *p >= '0' && *p <= '9') {
            nsec += (*p - '0') * scale;
            scale /= 10;
            p++;
        }
    }
    hold = p;
    if (p < end && *p == 'Z') {
        p++;
        t->offset = 0;
        t->utc = 1;
    } else {
        if (end - p < 6 || p[3] != ':' || (p[0] != '+' && p[0] != '-'))
            goto bad_off;
        const char *q = p + 1;
        int oh = getnum(&q, end, 1);
        q = p + 4;
        int om = getnum(&q, end, 1);
        if (oh < 0 || om < 0)
            goto bad_off;
        t->offset = (oh * 60 + om) * 60 * (p[0] == '-' ? -1 : 1);
        t->utc = 0;
        p += 6;
    }
    if (p < end)
        return ts_err(e, arg, ": cannot use \"%s\" as timestamp segment%s", p, "");
    if (day < 1 || day > days_in(mon, year))
        return ts_err(e, arg, ": day out of range%s%s", "", "");
    t->sec = days_from_civil(year, mon, day) * 86400 + hour * 3600 + min * 60 + sec - t->offset;
    t->nsec = nsec;
    return 0;
bad_year:
    if (p >= end)
        return ts_err(e, arg, ": end of string before year%s%s", "", "");
    return ts_err(e, arg, ": cannot use \"%s\" as year%s", p, "");
bad_off:
    if (hold >= end)
        return ts_err(e, arg, ": end of string before UTC offset%s%s", "", "");
    return ts_err(e, arg, ": cannot use \"%s\" as UTC offset%s", hold, "");
}

static void fmt_offset(strbuf *b, int off, int colon)
{
    int a = off < 0 ? -off : off;
    sb_printf(b, "%c%02d%s%02d", off < 0 ? '-' : '+', a / 3600, colon ? ":" : "", a / 60 % 60);
}

static void fmt_rfc3339(strbuf *b, const fn_time *t)
{
    civil c;
    to_civil(t, &c);
    sb_printf(b, "%04lld-%02d-%02dT%02d:%02d:%02d", (long long)c.year, c.month, c.day, c.hour,
              c.min, c.sec);
    if (t->offset == 0)
        sb_putc(b, 'Z');
    else
        fmt_offset(b, t->offset, 1);
}

static val fn_timestamp(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)a, (void)n;
    if (!c->allow_impure)
        return val_unknown(ty_string());
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    fn_time t = {now.tv_sec, 0, 0, 1};
    strbuf b = {0};
    fmt_rfc3339(&b, &t);
    return fn_sb_val(&b, e);
}

/* Go's time.ParseDuration into nanoseconds. */
static int parse_duration(const char *s, size_t len, int64_t *out, fn_err *e)
{
    const char *p = s, *end = s + len;
    int neg = 0;
    double total = 0;
    if (p < end && (*p == '-' || *p == '+')) {
        neg = *p == '-';
        p++;
    }
    if (end - p == 1 && *p == '0') {
        *out = 0;
        return 0;
    }
    if (p == end)
        goto invalid;
    while (p < end) {
        const char *st = p;
        double v = 0, frac = 0, scale = 1;
        while (p < end && *p >= '0' && *p <= '9')
            v = v * 10 + (*p++ - '0');
        int pre = p > st;
        int post = 0;
        if (p < end && *p == '.') {
            p++;
            const char *fs = p;
            while (p < end && *p >= '0' && *p <= '9') {
                scale /= 10;
                frac += (*p++ - '0') * scale;
            }
            post = p > fs;
        }
        if (!pre && !post)
            goto invalid;
        const char *us = p;
        while (p < end && *p != '.' && (*p < '0' || *p > '9'))
            p++;
        size_t ul = (size_t)(p - us);
        double unit;
        if (ul == 0) {
            fn_errf(e, -1, "time: missing unit in duration \"%.*s\"", (int)len, s);
            return -1;
        }
        if (ul == 2 && !memcmp(us, "ns", 2)) unit = 1;
        else if ((ul == 2 && !memcmp(us, "us", 2)) || (ul == 3 && !memcmp(us, "\xc2\xb5s", 3)) ||
                 (ul == 3 && !memcmp(us, "\xce\xbcs", 3))) unit = 1e3;
        else if (ul == 2 && !memcmp(us, "ms", 2)) unit = 1e6;
        else if (ul == 1 && *us == 's') unit = 1e9;
        else if (ul == 1 && *us == 'm') unit = 60e9;
        else if (ul == 1 && *us == 'h') unit = 3600e9;
        else {
            fn_errf(e, -1, "time: unknown unit \"%.*s\" in duration \"%.*s\"", (int)ul, us,
                    (int)len, s);
            return -1;
        }
        total += (v + frac) * unit;
        if (total > 9.223372036854775807e18)
            goto invalid;
    }
    *out = (int64_t)(neg ? -total : total);
    return 0;
invalid:
    fn_errf(e, -1, "time: invalid duration \"%.*s\"", (int)len, s);
    return -1;
}

static val fn_timeadd(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    fn_time t;
    int64_t d;
    if (parse_ts(val_get_string(a[0]), val_string_len(a[0]), &t, e, -1) < 0)
        return val_invalid();
    if (parse_duration(val_get_string(a[1]), val_string_len(a[1]), &d, e) < 0)
        return val_invalid();
    int64_t ns = t.nsec + d % 1000000000;
    t.sec += d / 1000000000 + (ns >= 1000000000 ? 1 : ns < 0 ? -1 : 0);
    t.nsec = (ns % 1000000000 + 1000000000) % 1000000000;
    strbuf b = {0};
    fmt_rfc3339(&b, &t);
    return fn_sb_val(&b, e);
}

static const char *const month_names[] = {"January", "February", "March", "April", "May",
                                          "June", "July", "August", "September", "October",
                                          "November", "December"};
static const char *const day_names[] = {"Sunday", "Monday", "Tuesday", "Wednesday",
                                        "Thursday", "Friday", "Saturday"};

static int is_letter(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* One formatdate verb token (a run of the same letter). */
static int date_verb(strbuf *b, const char *tok, size_t n, const civil *c, const fn_time *t,
                     fn_err *e)
{
    const char *bad = NULL;
    switch (tok[0]) {
    case 'Y':
        if (n == 2) sb_printf(b, "%02d", (int)(c->year % 100));
        else if (n == 4) sb_printf(b, "%04lld", (long long)c->year);
        else bad = "year must either be \"YY\" or \"YYYY\"";
        break;
    case 'M':
        if (n == 1) sb_printf(b, "%d", c->month);
        else if (n == 2) sb_printf(b, "%02d", c->month);
        else if (n == 3) sb_append(b, month_names[c->month - 1], 3);
        else if (n == 4) sb_puts(b, month_names[c->month - 1]);
        else bad = "month must be \"M\", \"MM\", \"MMM\", or \"MMMM\"";
        break;
    case 'D':
        if (n == 1) sb_printf(b, "%d", c->day);
        else if (n == 2) sb_printf(b, "%02d", c->day);
        else bad = "day of month must either be \"D\" or \"DD\"";
        break;
    case 'E':
        if (n == 3) sb_append(b, day_names[c->wday], 3);
        else if (n == 4) sb_puts(b, day_names[c->wday]);
        else bad = "day of week must either be \"EEE\" or \"EEEE\"";
        break;
    case 'h':
        if (n == 1) sb_printf(b, "%d", c->hour);
        else if (n == 2) sb_printf(b, "%02d", c->hour);
        else bad = "24-hour must either be \"h\" or \"hh\"";
        break;
    case 'H': {
        int h = c->hour % 12 ? c->hour % 12 : 12;
        if (n == 1) sb_printf(b, "%d", h);
        else if (n == 2) sb_printf(b, "%02d", h);
        else bad = "12-hour must either be \"H\" or \"HH\"";
        break;
    }
    case 'A': case 'a':
        if (n != 2) {
            fn_errf(e, 0, "invalid date format verb \"%.*s\": must be \"%c%c\"", (int)n, tok,
                    tok[0], tok[0]);
            return -1;
        }
        sb_puts(b, c->hour < 12 ? (tok[0] == 'A' ? "AM" : "am") : (tok[0] == 'A' ? "PM" : "pm"));
        break;
    case 'm':
        if (n == 1) sb_printf(b, "%d", c->min);
        else if (n == 2) sb_printf(b, "%02d", c->min);
        else bad = "minute must either be \"m\" or \"mm\"";
        break;
    case 's':
        if (n == 1) sb_printf(b, "%d", c->sec);
        else if (n == 2) sb_printf(b, "%02d", c->sec);
        else bad = "second must either be \"s\" or \"ss\"";
        break;
    case 'Z':
        if (n == 1) {
            if (t->offset == 0)
                sb_putc(b, 'Z');
            else
                fmt_offset(b, t->offset, 1);
        } else if (n == 3) {
            if (t->offset == 0)
                sb_puts(b, "UTC");
            else
                fmt_offset(b, t->offset, 0);
        } else if (n == 4) {
            fmt_offset(b, t->offset, 0);
        } else if (n == 5) {
            fmt_offset(b, t->offset, 1);
        } else {
            bad = "timezone must be Z, ZZZZ, or ZZZZZ";
        }
        break;
    default:
        fn_errf(e, 0, "invalid date format verb \"%.*s\"", (int)n, tok);
        return -1;
    }
    if (bad) {
        fn_errf(e, 0, "invalid date format verb \"%.*s\": %s", (int)n, tok, bad);
        return -1;
    }
    return 0;
}

static val fn_formatdate(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    fn_time t;
    if (parse_ts(val_get_string(a[1]), val_string_len(a[1]), &t, e, 1) < 0)
        return val_invalid();
    civil cv;
    to_civil(&t, &cv);
    const char *f = val_get_string(a[0]);
    size_t len = val_string_len(a[0]), i = 0;
    strbuf b = {0};
    while (i < len) {
        if (f[i] == '\'') {
            if (i + 1 < len && f[i + 1] == '\'') {
                sb_putc(&b, '\'');
                i += 2;
                continue;
            }
            size_t j = i + 1;
            int closed = 0;
            strbuf lit = {0};
            for (; j < len; j++) {
                if (f[j] == '\'') {
                    if (j + 1 < len && f[j + 1] == '\'') {
                        sb_putc(&lit, '\'');
                        j++;
                        continue;
                    }
                    closed = 1;
                    break;
                }
                sb_putc(&lit, f[j]);
            }
            if (!closed) {
                sb_free(&lit);
                sb_free(&b);
                return fn_errf(e, 0, "unterminated literal '");
            }
            if (lit.len)
                sb_append(&b, lit.s, lit.len);
            sb_free(&lit);
            i = j + 1;
        } else if (is_letter(f[i])) {
            size_t j = i;
            while (j < len && f[j] == f[i])
                j++;
            if (date_verb(&b, f + i, j - i, &cv, &t, e) < 0) {
                sb_free(&b);
                return val_invalid();
            }
            i = j;
        } else {
            sb_putc(&b, f[i++]);
        }
    }
    return fn_sb_val(&b, e);
}

static val fn_timecmp(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    fn_time x, y;
    if (parse_ts(val_get_string(a[0]), val_string_len(a[0]), &x, e, 0) < 0 ||
        parse_ts(val_get_string(a[1]), val_string_len(a[1]), &y, e, 1) < 0)
        return val_invalid();
    int r = 0;
    if (x.sec != y.sec)
        r = x.sec < y.sec ? -1 : 1;
    else if (x.nsec != y.nsec)
        r = x.nsec < y.nsec ? -1 : 1;
    return val_number(r);
}

static const fn_param p_formatdate[] = {{"format", FN_T_STRING, 0}, {"time", FN_T_STRING, 0}};
static const fn_param p_timecmp[] = {{"timestamp_a", FN_T_STRING, 0},
                                     {"timestamp_b", FN_T_STRING, 0}};
static const fn_param p_timeadd[] = {{"timestamp", FN_T_STRING, 0},
                                     {"duration", FN_T_STRING, 0}};

const fn_def fn_time_defs[] = {
    {"formatdate", p_formatdate, 2, NULL, FN_T_STRING, NULL, fn_formatdate, 0,
     "Format an RFC 3339 timestamp."},
    {"timeadd", p_timeadd, 2, NULL, FN_T_STRING, NULL, fn_timeadd, 0,
     "Add a duration to a timestamp."},
    {"timecmp", p_timecmp, 2, NULL, FN_T_NUMBER, NULL, fn_timecmp, 0,
     "Compare two timestamps."},
    {"plantimestamp", NULL, 0, NULL, FN_T_STRING, NULL, fn_timestamp, FN_IMPURE,
     "The time of the plan (RFC 3339, UTC); unknown until then."},
    {"timestamp", NULL, 0, NULL, FN_T_STRING, NULL, fn_timestamp, FN_IMPURE,
     "The current time (RFC 3339, UTC)."},
};
const size_t fn_time_defs_count = sizeof fn_time_defs / sizeof *fn_time_defs;
