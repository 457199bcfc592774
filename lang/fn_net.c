/*
 * lang/fn_net.c — network functions: cidrhost cidrnetmask cidrsubnet
 * cidrsubnets, IPv4 and IPv6, as Terraform computes them (its fork of Go's
 * net.ParseCIDR, which accepts leading zeros, and the go-cidr package).
 * Addresses are held as 128-bit integers with a width of 32 or 128 bits.
 */
#include "lang/fn_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 u128;

typedef struct cidr {
    u128 ip;      /* network address (masked) */
    int bits;     /* 32 or 128 */
    int prefix;
} cidr;

static u128 mask_of(int prefix, int bits)
{
    if (prefix <= 0)
        return 0;
    u128 all = bits == 128 ? ~(u128)0 : (((u128)1 << 32) - 1);
    return all & ~((((u128)1) << (bits - prefix)) - 1) & all;
}

static u128 full_mask(int bits)
{
    return bits == 128 ? ~(u128)0 : (((u128)1 << 32) - 1);
}

static int parse_v4(const char *s, size_t n, u128 *out)
{
    unsigned parts[4];
    size_t i = 0;
    for (int k = 0; k < 4; k++) {
        if (k > 0) {
            if (i >= n || s[i] != '.')
                return -1;
            i++;
        }
        unsigned v = 0;
        size_t st = i;
        while (i < n && s[i] >= '0' && s[i] <= '9' && i - st < 4) {
            v = v * 10 + (unsigned)(s[i] - '0');
            i++;
        }
        if (i == st || v > 255 || i - st > 3)
            return -1;
        parts[k] = v;
    }
    if (i != n)
        return -1;
    *out = (u128)(parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3]);
    return 0;
}

static int hexv(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int parse_v6(const char *s, size_t n, u128 *out)
{
    unsigned g[8];
    int ng = 0, ellipsis = -1;
    size_t i = 0;
    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        ellipsis = 0;
        i = 2;
        if (i == n)
            goto done;
    }
    while (i < n) {
        /* embedded IPv4 in the last 32 bits */
        size_t j = i;
        while (j < n && s[j] != ':' && s[j] != '.')
            j++;
        if (j < n && s[j] == '.') {
            u128 v4;
            if (ng > 6 || parse_v4(s + i, n - i, &v4) < 0)
                return -1;
            g[ng++] = (unsigned)(v4 >> 16);
            g[ng++] = (unsigned)(v4 & 0xFFFF);
            i = n;
            break;
        }
        unsigned v = 0;
        size_t st = i;
        while (i < n && hexv(s[i]) >= 0 && i - st < 4)
            v = v * 16 + (unsigned)hexv(s[i++]);
        if (i == st || (i < n && hexv(s[i]) >= 0) || ng >= 8)
            return -1;
        g[ng++] = v;
        if (i == n)
            break;
        if (s[i] != ':' || i + 1 >= n)
            return -1;
        i++;
        if (s[i] == ':') {
            if (ellipsis >= 0)
                return -1;
            ellipsis = ng;
            i++;
            if (i == n)
                break;
        }
    }
done:
    if (ellipsis < 0 && ng != 8)
        return -1;
    if (ellipsis >= 0) {
        if (ng >= 8)
            return -1;
        int fill = 8 - ng;
        for (int k = ng - 1; k >= ellipsis; k--)
            g[k + fill] = g[k];
        for (int k = ellipsis; k < ellipsis + fill; k++)
            g[k] = 0;
    }
    u128 r = 0;
    for (int k = 0; k < 8; k++)
        r = r << 16 | g[k];
    *out = r;
    return 0;
}

/* Terraform's ipaddr.ParseCIDR; on failure err gets "invalid CIDR address:
 * X" as Go words it. */
static int parse_cidr(val v, cidr *c, char *err, size_t errsz)
{
    const char *s = val_get_string(v);
    size_t n = val_string_len(v);
    const char *slash = memchr(s, '/', n);
    if (!slash)
        goto bad;
    size_t al = (size_t)(slash - s), pl = n - al - 1;
    int bits = 32;
    u128 ip;
    if (parse_v4(s, al, &ip) < 0) {
        bits = 128;
        if (parse_v6(s, al, &ip) < 0)
            goto bad;
    }
    if (pl == 0 || pl > 3)
        goto bad;
    int prefix = 0;
    for (size_t i = 0; i < pl; i++) {
        char ch = slash[1 + i];
        if (ch < '0' || ch > '9')
            goto bad;
        prefix = prefix * 10 + (ch - '0');
    }
    if (prefix > bits)
        goto bad;
    c->bits = bits;
    c->prefix = prefix;
    c->ip = ip & mask_of(prefix, bits);
    return 0;
bad:
    snprintf(err, errsz, "invalid CIDR address: %.*s", (int)(n > 200 ? 200 : n), s);
    return -1;
}

/* Go's net.IP.String. */
static void ip_str(strbuf *b, u128 ip, int bits)
{
    if (bits == 32) {
        unsigned v = (unsigned)ip;
        sb_printf(b, "%u.%u.%u.%u", v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255);
        return;
    }
    if ((ip >> 32) == 0xFFFF) {   /* IPv4-mapped */
        ip_str(b, ip & 0xFFFFFFFFu, 32);
        return;
    }
    unsigned g[8];
    for (int k = 7; k >= 0; k--) {
        g[k] = (unsigned)(ip & 0xFFFF);
        ip >>= 16;
    }
    int best = -1, bestlen = 1;
    for (int k = 0; k < 8;) {
        if (g[k] != 0) {
            k++;
            continue;
        }
        int j = k;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - k > bestlen) {
            best = k;
            bestlen = j - k;
        }
        k = j;
    }
    for (int k = 0; k < 8; k++) {
        if (k == best) {
            sb_puts(b, "::");
            k += bestlen - 1;
            continue;
        }
        if (k > 0 && k != best + bestlen)
            sb_putc(b, ':');
        sb_printf(b, "%x", g[k]);
    }
}

static void cidr_str(strbuf *b, const cidr *c)
{
    ip_str(b, c->ip, c->bits);
    sb_printf(b, "/%d", c->prefix);
}

/* Decimal of a (possibly negative) 128-bit magnitude for messages. */
static void num_str(char *buf, size_t n, double x)
{
    snprintf(buf, n, "%.0f", x);
}

static val fn_cidrhost(fn_ctx *ctx, const val *a, size_t n, fn_err *e)
{
    (void)ctx, (void)n;
    cidr c;
    char msg[300];
    double num = val_get_number(a[1]);
    if (num != floor(num))
        return fn_errf(e, -1, "value must be a whole number");
    if (parse_cidr(a[0], &c, msg, sizeof msg) < 0)
        return fn_errf(e, -1, "invalid CIDR expression: %s", msg);
    int hostlen = c.bits - c.prefix;
    double maxhost = ldexp(1.0, hostlen) - 1;
    double check = num;
    if (num < 0) {
        check = -num - 1;
        num = maxhost - check;
    }
    if (check > maxhost) {
        char nb[64];
        num_str(nb, sizeof nb, num);
        return fn_errf(e, -1, "prefix of %d does not accommodate a host numbered %s", c.prefix,
                       nb);
    }
    u128 host = (u128)num;
    strbuf b = {0};
    ip_str(&b, (c.ip | host) & full_mask(c.bits), c.bits);
    return fn_sb_val(&b, e);
}

static val fn_cidrnetmask(fn_ctx *ctx, const val *a, size_t n, fn_err *e)
{
    (void)ctx, (void)n;
    cidr c;
    char msg[300];
    if (parse_cidr(a[0], &c, msg, sizeof msg) < 0)
        return fn_errf(e, -1, "invalid CIDR expression: %s", msg);
    if (c.bits != 32)
        return fn_errf(e, -1, "IPv6 addresses cannot have a netmask: %s", val_get_string(a[0]));
    strbuf b = {0};
    ip_str(&b, mask_of(c.prefix, 32), 32);
    return fn_sb_val(&b, e);
}

static val fn_cidrsubnet(fn_ctx *ctx, const val *a, size_t n, fn_err *e)
{
    (void)ctx, (void)n;
    cidr c;
    char msg[300];
    double nb = val_get_number(a[1]), num = val_get_number(a[2]);
    if (!fn_is_int(nb) || num != floor(num))
        return fn_errf(e, -1, "value must be a whole number");
    if (parse_cidr(a[0], &c, msg, sizeof msg) < 0)
        return fn_errf(e, -1, "invalid CIDR expression: %s", msg);
    int newbits = (int)nb;
    int np = c.prefix + newbits;
    if (np > c.bits)
        return fn_errf(e, -1, "insufficient address space to extend prefix of %d by %d",
                       c.prefix, newbits);
    if (num < 0 || (newbits < 64 && num > ldexp(1.0, newbits) - 1)) {
        char b2[64];
        num_str(b2, sizeof b2, num);
        return fn_errf(e, -1, "prefix extension of %d does not accommodate a subnet numbered %s",
                       newbits, b2);
    }
    cidr r = {(c.ip | ((u128)num << (c.bits - np))) & full_mask(c.bits), c.bits, np};
    strbuf b = {0};
    cidr_str(&b, &r);
    return fn_sb_val(&b, e);
}

static val fn_cidrsubnets(fn_ctx *ctx, const val *a, size_t n, fn_err *e)
{
    (void)ctx;
    cidr c;
    char msg[300];
    if (parse_cidr(a[0], &c, msg, sizeof msg) < 0)
        return fn_errf(e, 0, "invalid CIDR expression: %s", msg);
    if (n == 1)
        return val_list_empty(ty_string());
    u128 fm = full_mask(c.bits);
    double first = val_get_number(a[1]);
    if (!fn_is_int(first))
        return fn_errf(e, 1, "value must be a whole number");
    int firstlen = (int)first + c.prefix;
    if (firstlen > c.bits || firstlen < 0)
        firstlen = c.bits;   /* go-cidr masks with an invalid mask; the loop rejects it */
    /* PreviousSubnet(network, firstlen) */
    u128 cur_ip = ((c.ip - 1) & fm) & mask_of(firstlen, c.bits);
    int cur_pfx = firstlen;
    val r = val_list_empty(ty_string());
    for (size_t i = 1; i < n; i++) {
        double lv = val_get_number(a[i]);
        if (!fn_is_int(lv)) {
            val_free(r);
            return fn_errf(e, (int)i, "value must be a whole number");
        }
        int len = (int)lv;
        if (len < 1) {
            val_free(r);
            return fn_errf(e, (int)i, "must extend prefix by at least one bit");
        }
        if (len > 32) {
            val_free(r);
            return fn_errf(e, (int)i, "may not extend prefix by more than 32 bits");
        }
        len += c.prefix;
        if (len > c.bits) {
            val_free(r);
            return fn_errf(e, (int)i, "would extend prefix to %d bits, which is too long for an "
                                      "%s address", len, c.bits == 32 ? "IPv4" : "IPv6");
        }
        /* NextSubnet(current, len) */
        u128 cur_last = (cur_ip | (~mask_of(cur_pfx, c.bits) & fm)) & fm;
        u128 sub = cur_last & mask_of(len, c.bits);
        u128 sub_last = (sub | (~mask_of(len, c.bits) & fm)) & fm;
        u128 next_ip = (sub_last + 1) & fm;
        int rollover = next_ip == 0;
        u128 next = next_ip & mask_of(len, c.bits);
        if (rollover || (next & mask_of(c.prefix, c.bits)) != c.ip) {
            strbuf cs = {0};
            cidr cc = {cur_ip, c.bits, cur_pfx};
            cidr_str(&cs, &cc);
            char *s = sb_take(&cs);
            val_free(r);
            fn_errf(e, (int)i, "not enough remaining address space for a subnet with a prefix "
                               "of %d bits after %s", len, s ? s : "");
            free(s);
            return val_invalid();
        }
        cur_ip = next;
        cur_pfx = len;
        strbuf b = {0};
        cidr cc = {cur_ip, c.bits, cur_pfx};
        cidr_str(&b, &cc);
        val sv = fn_sb_val(&b, e);
        if (!val_is_valid(sv)) {
            val_free(r);
            return sv;
        }
        r = val_list_append(r, sv);
    }
    return r;
}

static const fn_param p_cidrhost[] = {{"prefix", FN_T_STRING, 0}, {"hostnum", FN_T_NUMBER, 0}};
static const fn_param p_prefix[] = {{"prefix", FN_T_STRING, 0}};
static const fn_param p_cidrsubnet[] = {
    {"prefix", FN_T_STRING, 0}, {"newbits", FN_T_NUMBER, 0}, {"netnum", FN_T_NUMBER, 0}};
static const fn_param p_newbits = {"newbits", FN_T_NUMBER, 0};

const fn_def fn_net_defs[] = {
    {"cidrhost", p_cidrhost, 2, NULL, FN_T_STRING, NULL, fn_cidrhost, 0,
     "A host address within a prefix."},
    {"cidrnetmask", p_prefix, 1, NULL, FN_T_STRING, NULL, fn_cidrnetmask, 0,
     "The netmask of an IPv4 prefix."},
    {"cidrsubnet", p_cidrsubnet, 3, NULL, FN_T_STRING, NULL, fn_cidrsubnet, 0,
     "A subnet within a prefix."},
    {"cidrsubnets", p_prefix, 1, &p_newbits, FN_T_LIST_STRING, NULL, fn_cidrsubnets, 0,
     "Consecutive subnets within a prefix."},
};
const size_t fn_net_defs_count = sizeof fn_net_defs / sizeof *fn_net_defs;
