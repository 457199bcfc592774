/*
 * providers/aws/aws_sigv4.c — AWS Signature Version 4 with OpenSSL.
 *
 * See aws_sigv4.h for the rules this file must follow.  Everything here is
 * deterministic; the caller supplies the timestamp.
 */
#include "providers/aws/aws_sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>

static const char hexd[] = "0123456789abcdef";

static void to_hex(char *out, const unsigned char *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hexd[in[i] >> 4];
        out[2 * i + 1] = hexd[in[i] & 15];
    }
    out[2 * n] = 0;
}

void aws_sha256_hex(char out[65], const void *data, size_t len)
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(data, len, md);
    to_hex(out, md, sizeof md);
}

static int is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '.' || c == '~';
}

void aws_uri_encode(strbuf *out, const char *s, size_t n, int keep_slash)
{
    static const char up[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_unreserved(c) || (keep_slash && c == '/')) {
            sb_putc(out, (char)c);
        } else {
            char e[3] = {'%', up[c >> 4], up[c & 15]};
            sb_append(out, e, 3);
        }
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void aws_uri_decode(strbuf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            sb_putc(out, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
            i += 2;
        } else {
            sb_putc(out, s[i]);
        }
    }
}

/* Remove dot segments and empty segments (RFC 3986 5.2.4 plus AWS's
 * collapsing of repeated slashes), keeping a leading and a trailing '/'. */
static void normalise_path(strbuf *out, const char *path)
{
    size_t len = strlen(path);
    /* at most one segment per '/' plus one */
    const char **segs = xcalloc(len / 2 + 2, sizeof *segs);
    size_t *lens = xcalloc(len / 2 + 2, sizeof *lens);
    size_t nseg = 0;
    const char *p = path, *end = path + len;
    while (p < end) {
        const char *q = memchr(p, '/', (size_t)(end - p));
        if (!q)
            q = end;
        size_t l = (size_t)(q - p);
        if (l == 2 && p[0] == '.' && p[1] == '.') {
            if (nseg)
                nseg--;
        } else if (l > 0 && !(l == 1 && p[0] == '.')) {
            segs[nseg] = p;
            lens[nseg++] = l;
        }
        p = q + 1;
    }
    sb_putc(out, '/');
    for (size_t i = 0; i < nseg; i++) {
        if (i)
            sb_putc(out, '/');
        sb_append(out, segs[i], lens[i]);
    }
    if (nseg && len && path[len - 1] == '/')
        sb_putc(out, '/');
    free(segs);
    free(lens);
}

static void canonical_uri(strbuf *out, const aws_sigv4_request *r)
{
    const char *path = (r->path && r->path[0]) ? r->path : "/";
    if (r->s3) {
        sb_puts(out, path);
        return;
    }
    strbuf norm = {0};
    normalise_path(&norm, path);
    aws_uri_encode(out, norm.s ? norm.s : "/", norm.len ? norm.len : 1, 1);
    sb_free(&norm);
}

typedef struct qpair {
    char *key;
    char *val;
} qpair;

static int qpair_cmp(const void *a, const void *b)
{
    const qpair *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->val, y->val);
}

/* Re-encode one query component strictly: decode, then encode. */
static char *reencode(const char *s, size_t n)
{
    strbuf dec = {0}, enc = {0};
    aws_uri_decode(&dec, s, n);
    aws_uri_encode(&enc, dec.s ? dec.s : "", dec.len, 0);
    sb_free(&dec);
    return sb_take(&enc);
}

static int canonical_query(strbuf *out, const char *query)
{
    if (!query || !*query)
        return 0;
    size_t n = 1;
    for (const char *p = query; *p; p++)
        n += *p == '&';
    qpair *pairs = xcalloc(n, sizeof *pairs);
    size_t np = 0;
    int rc = 0;
    const char *p = query;
    while (*p) {
        const char *amp = strchr(p, '&');
        size_t l = amp ? (size_t)(amp - p) : strlen(p);
        if (l > 0) {
            const char *eq = memchr(p, '=', l);
            size_t kl = eq ? (size_t)(eq - p) : l;
            pairs[np].key = reencode(p, kl);
            pairs[np].val = eq ? reencode(eq + 1, l - kl - 1) : xstrdup("");
            if (!pairs[np].key || !pairs[np].val) {
                free(pairs[np].key);
                free(pairs[np].val);
                rc = err_set(CAIRN_ENOMEM, "sigv4: out of memory encoding the query");
                goto fail;
            }
            np++;
        }
        p += l;
        if (*p == '&')
            p++;
    }
    qsort(pairs, np, sizeof *pairs, qpair_cmp);
    for (size_t i = 0; i < np; i++) {
        if (i)
            sb_putc(out, '&');
        sb_puts(out, pairs[i].key);
        sb_putc(out, '=');
        sb_puts(out, pairs[i].val);
    }
fail:
    for (size_t i = 0; i < np; i++) {
        free(pairs[i].key);
        free(pairs[i].val);
    }
    free(pairs);
    return rc;
}

typedef struct hdr {
    char *lname;
    size_t idx;       /* original position, keeps repeated values in order */
    const char *value;
} hdr;

static int hdr_cmp(const void *a, const void *b)
{
    const hdr *x = a, *y = b;
    int c = strcmp(x->lname, y->lname);
    if (c)
        return c;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Collect the headers lower-cased and sorted; *out owns the names. */
static int sorted_headers(hdr **out, const aws_sigv4_request *r)
{
    if (r->nheaders > AWS_SIGV4_MAX_HEADERS)
        return err_set(CAIRN_ELIMIT, "sigv4: more than %d headers (AWS_SIGV4_MAX_HEADERS)",
                       AWS_SIGV4_MAX_HEADERS);
    hdr *h = xcalloc(r->nheaders ? r->nheaders : 1, sizeof *h);
    for (size_t i = 0; i < r->nheaders; i++) {
        const char *n = r->headers[i].name;
        size_t l = strlen(n);
        while (l && (n[l - 1] == ' ' || n[l - 1] == '\t'))
            l--;
        while (l && (*n == ' ' || *n == '\t')) {
            n++;
            l--;
        }
        h[i].lname = xstrndup(n, l);
        for (char *c = h[i].lname; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c - 'A' + 'a');
        h[i].idx = i;
        h[i].value = r->headers[i].value ? r->headers[i].value : "";
    }
    qsort(h, r->nheaders, sizeof *h, hdr_cmp);
    *out = h;
    return 0;
}

static void free_headers(hdr *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(h[i].lname);
    free(h);
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Trimall: strip leading and trailing whitespace, collapse inner runs. */
static void trimall(strbuf *out, const char *v)
{
    int pending = 0, any = 0;
    for (; *v; v++) {
        if (is_ws(*v)) {
            pending = any;
            continue;
        }
        if (pending)
            sb_putc(out, ' ');
        pending = 0;
        any = 1;
        sb_putc(out, *v);
    }
}

static void put_signed_headers(strbuf *out, const hdr *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i && strcmp(h[i].lname, h[i - 1].lname) == 0)
            continue;
        if (i)
            sb_putc(out, ';');
        sb_puts(out, h[i].lname);
    }
}

int aws_sigv4_signed_headers(strbuf *out, const aws_sigv4_request *r)
{
    hdr *h;
    int rc = sorted_headers(&h, r);
    if (rc < 0)
        return rc;
    put_signed_headers(out, h, r->nheaders);
    free_headers(h, r->nheaders);
    return out->failed ? err_set(CAIRN_ENOMEM, "sigv4: out of memory") : 0;
}

int aws_sigv4_canonical_request(strbuf *out, const aws_sigv4_request *r)
{
    if (!r->method || !*r->method)
        return err_set(CAIRN_EINVAL, "sigv4: request has no method");
    if ((r->path && strlen(r->path) > AWS_SIGV4_MAX_URI) ||
        (r->query && strlen(r->query) > AWS_SIGV4_MAX_URI))
        return err_set(CAIRN_ELIMIT, "sigv4: path or query longer than %u bytes "
                       "(AWS_SIGV4_MAX_URI)", AWS_SIGV4_MAX_URI);
    if (!r->payload_hash)
        return err_set(CAIRN_EINVAL, "sigv4: request has no payload hash");
    hdr *h;
    int rc = sorted_headers(&h, r);
    if (rc < 0)
        return rc;
    for (const char *m = r->method; *m; m++)
        sb_putc(out, (*m >= 'a' && *m <= 'z') ? (char)(*m - 'a' + 'A') : *m);
    sb_putc(out, '\n');
    canonical_uri(out, r);
    sb_putc(out, '\n');
    rc = canonical_query(out, r->query);
    if (rc < 0)
        goto fail;
    sb_putc(out, '\n');
    for (size_t i = 0; i < r->nheaders; i++) {
        int same = i && strcmp(h[i].lname, h[i - 1].lname) == 0;
        if (same) {
            sb_putc(out, ',');
        } else {
            if (i)
                sb_putc(out, '\n');
            sb_puts(out, h[i].lname);
            sb_putc(out, ':');
        }
        trimall(out, h[i].value);
    }
    sb_puts(out, "\n\n");
    put_signed_headers(out, h, r->nheaders);
    sb_putc(out, '\n');
    sb_puts(out, r->payload_hash);
    if (out->failed)
        rc = err_set(CAIRN_ENOMEM, "sigv4: out of memory");
fail:
    free_headers(h, r->nheaders);
    return rc;
}

static int scope(strbuf *out, const aws_sigv4_key *k)
{
    if (!k->amz_date || strlen(k->amz_date) != 16 || k->amz_date[8] != 'T')
        return err_set(CAIRN_EINVAL, "sigv4: timestamp must be YYYYMMDDTHHMMSSZ");
    if (!k->region || !*k->region || !k->service || !*k->service)
        return err_set(CAIRN_EINVAL, "sigv4: region and service are required");
    sb_append(out, k->amz_date, 8);
    sb_printf(out, "/%s/%s/aws4_request", k->region, k->service);
    return 0;
}

int aws_sigv4_string_to_sign(strbuf *out, const aws_sigv4_key *k, const char *creq)
{
    char h[65];
    sb_puts(out, "AWS4-HMAC-SHA256\n");
    sb_puts(out, k->amz_date ? k->amz_date : "");
    sb_putc(out, '\n');
    int rc = scope(out, k);
    if (rc < 0)
        return rc;
    sb_putc(out, '\n');
    aws_sha256_hex(h, creq, strlen(creq));
    sb_puts(out, h);
    return out->failed ? err_set(CAIRN_ENOMEM, "sigv4: out of memory") : 0;
}

static int hmac(unsigned char out[32], const void *key, size_t klen, const char *msg,
                size_t mlen)
{
    unsigned int olen = 32;
    if (!HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, mlen, out, &olen))
        return err_set(CAIRN_EINVAL, "sigv4: HMAC failed");
    return 0;
}

int aws_sigv4_signature(char sig[65], const aws_sigv4_key *k, const char *sts)
{
    unsigned char kd[32], kr[32], ks[32], kk[32], out[32];
    int rc = -1;
    if (!k->secret_key || !k->amz_date || strlen(k->amz_date) < 8)
        return err_set(CAIRN_EINVAL, "sigv4: secret key and timestamp are required");
    size_t sl = strlen(k->secret_key);
    char *seed = xmalloc(sl + 5);
    memcpy(seed, "AWS4", 4);
    memcpy(seed + 4, k->secret_key, sl + 1);
    if (hmac(kd, seed, sl + 4, k->amz_date, 8) < 0 ||
        hmac(kr, kd, 32, k->region, strlen(k->region)) < 0 ||
        hmac(ks, kr, 32, k->service, strlen(k->service)) < 0 ||
        hmac(kk, ks, 32, "aws4_request", 12) < 0 ||
        hmac(out, kk, 32, sts, strlen(sts)) < 0)
        goto fail;
    to_hex(sig, out, 32);
    rc = 0;
fail:
    OPENSSL_cleanse(seed, sl + 4);
    OPENSSL_cleanse(kd, sizeof kd);
    OPENSSL_cleanse(kr, sizeof kr);
    OPENSSL_cleanse(ks, sizeof ks);
    OPENSSL_cleanse(kk, sizeof kk);
    free(seed);
    return rc;
}

int aws_sigv4_sign(char **authz, char **creq_out, char **sts_out, const aws_sigv4_request *r,
                   const aws_sigv4_key *k)
{
    strbuf creq = {0}, sts = {0}, az = {0};
    char sig[65];
    int rc;
    *authz = NULL;
    if (creq_out)
        *creq_out = NULL;
    if (sts_out)
        *sts_out = NULL;
    if (!k->access_key || !*k->access_key)
        return err_set(CAIRN_EINVAL, "sigv4: access key is required");
    rc = aws_sigv4_canonical_request(&creq, r);
    if (rc < 0)
        goto fail;
    sb_putc(&creq, 0);   /* make sure s is allocated even when empty */
    creq.len--;
    rc = aws_sigv4_string_to_sign(&sts, k, creq.s);
    if (rc < 0)
        goto fail;
    rc = aws_sigv4_signature(sig, k, sts.s);
    if (rc < 0)
        goto fail;
    sb_printf(&az, "AWS4-HMAC-SHA256 Credential=%s/", k->access_key);
    scope(&az, k);
    sb_puts(&az, ", SignedHeaders=");
    rc = aws_sigv4_signed_headers(&az, r);
    if (rc < 0)
        goto fail;
    sb_printf(&az, ", Signature=%s", sig);
    *authz = sb_take(&az);
    if (!*authz) {
        rc = err_set(CAIRN_ENOMEM, "sigv4: out of memory");
        goto fail;
    }
    if (creq_out)
        *creq_out = sb_take(&creq);
    if (sts_out)
        *sts_out = sb_take(&sts);
fail:
    sb_free(&creq);
    sb_free(&sts);
    sb_free(&az);
    return rc;
}
