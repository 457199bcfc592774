/*
 * lang/fn_hash.c — hashing functions over OpenSSL's EVP digests: md5 sha1
 * sha256 sha512 (lower-case hex of the string's UTF-8 bytes),
 * base64sha256 base64sha512 (base64 of the raw digest), and uuid (a random
 * version-4 UUID; impure), uuidv5.
 */
#include "lang/fn_int.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>
#include <strings.h>

int fn_digest(strbuf *b, const char *mdname, const void *s, size_t n, int b64)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    const EVP_MD *md = EVP_get_digestbyname(mdname);
    if (!md || !EVP_Digest(s, n, out, &len, md, NULL))
        return -1;
    if (b64) {
        fn_base64(b, out, len);
    } else {
        for (unsigned i = 0; i < len; i++)
            sb_printf(b, "%02x", out[i]);
    }
    return 0;
}

static val hash_str(const val *a, const char *md, int b64, fn_err *e)
{
    strbuf b = {0};
    if (fn_digest(&b, md, val_get_string(a[0]), val_string_len(a[0]), b64) < 0) {
        sb_free(&b);
        return fn_errf(e, -1, "digest computation failed");
    }
    return fn_sb_val(&b, e);
}

static val fn_md5(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return hash_str(a, "md5", 0, e);
}

static val fn_sha1(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return hash_str(a, "sha1", 0, e);
}

static val fn_sha256(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return hash_str(a, "sha256", 0, e);
}

static val fn_sha512(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return hash_str(a, "sha512", 0, e);
}

static val fn_base64sha256(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return hash_str(a, "sha256", 1, e);
}

static val fn_base64sha512(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return hash_str(a, "sha512", 1, e);
}

static val fn_uuid(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)a, (void)n;
    if (!c->allow_impure)
        return val_unknown(ty_string());
    unsigned char r[16];
    if (RAND_bytes(r, sizeof r) != 1)
        return fn_errf(e, -1, "failed to read random bytes");
    r[6] = (unsigned char)((r[6] & 0x0F) | 0x40);
    r[8] = (unsigned char)((r[8] & 0x3F) | 0x80);
    strbuf b = {0};
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            sb_putc(&b, '-');
        sb_printf(&b, "%02x", r[i]);
    }
    return fn_sb_val(&b, e);
}

/* Parse a UUID in Go's uuid.Parse forms (plain, urn:uuid:, {braced}). */
static int parse_uuid(const char *s, size_t n, unsigned char out[16])
{
    if (n == 45 && !strncasecmp(s, "urn:uuid:", 9)) {
        s += 9;
        n -= 9;
    } else if (n == 38 && s[0] == '{' && s[37] == '}') {
        s++;
        n -= 2;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (n == 36 && (i == 8 || i == 13 || i == 18 || i == 23)) {
            if (s[i] != '-')
                return -1;
            continue;
        }
        if (n != 36 && n != 32)
            return -1;
        int h = s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : s[i] >= 'a' && s[i] <= 'f'
                ? s[i] - 'a' + 10 : s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 10 : -1;
        if (h < 0 || k >= 32)
            return -1;
        if (k % 2 == 0)
            out[k / 2] = (unsigned char)(h << 4);
        else
            out[k / 2] |= (unsigned char)h;
        k++;
    }
    return k == 32 ? 0 : -1;
}

static val fn_uuidv5(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    static const struct { const char *name, *uuid; } ns[] = {
        {"dns", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"},
        {"url", "6ba7b811-9dad-11d1-80b4-00c04fd430c8"},
        {"oid", "6ba7b812-9dad-11d1-80b4-00c04fd430c8"},
        {"x500", "6ba7b814-9dad-11d1-80b4-00c04fd430c8"},
    };
    const char *nsv = val_get_string(a[0]);
    unsigned char id[16 + 4096];
    int ok = -1;
    for (size_t i = 0; i < sizeof ns / sizeof *ns && ok < 0; i++)
        if (!strcmp(nsv, ns[i].name))
            ok = parse_uuid(ns[i].uuid, 36, id);
    if (ok < 0 && parse_uuid(nsv, val_string_len(a[0]), id) < 0)
        return fn_errf(e, -1, "uuidv5() doesn't support namespace %s", nsv);
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md || !EVP_DigestInit_ex(md, EVP_sha1(), NULL) || !EVP_DigestUpdate(md, id, 16) ||
        !EVP_DigestUpdate(md, val_get_string(a[1]), val_string_len(a[1])) ||
        !EVP_DigestFinal_ex(md, out, &len)) {
        EVP_MD_CTX_free(md);
        return fn_errf(e, -1, "digest computation failed");
    }
    EVP_MD_CTX_free(md);
    out[6] = (unsigned char)((out[6] & 0x0F) | 0x50);
    out[8] = (unsigned char)((out[8] & 0x3F) | 0x80);
    strbuf b = {0};
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            sb_putc(&b, '-');
        sb_printf(&b, "%02x", out[i]);
    }
    return fn_sb_val(&b, e);
}

static const fn_param p_str[] = {{"str", FN_T_STRING, 0}};
static const fn_param p_uuidv5[] = {{"namespace", FN_T_STRING, 0}, {"name", FN_T_STRING, 0}};

const fn_def fn_hash_defs[] = {
    {"base64sha256", p_str, 1, NULL, FN_T_STRING, NULL, fn_base64sha256, 0,
     "Base64 of the SHA-256 digest."},
    {"base64sha512", p_str, 1, NULL, FN_T_STRING, NULL, fn_base64sha512, 0,
     "Base64 of the SHA-512 digest."},
    {"md5", p_str, 1, NULL, FN_T_STRING, NULL, fn_md5, 0, "Hex MD5 digest."},
    {"sha1", p_str, 1, NULL, FN_T_STRING, NULL, fn_sha1, 0, "Hex SHA-1 digest."},
    {"sha256", p_str, 1, NULL, FN_T_STRING, NULL, fn_sha256, 0, "Hex SHA-256 digest."},
    {"sha512", p_str, 1, NULL, FN_T_STRING, NULL, fn_sha512, 0, "Hex SHA-512 digest."},
    {"uuid", NULL, 0, NULL, FN_T_STRING, NULL, fn_uuid, FN_IMPURE, "A random UUID."},
    {"uuidv5", p_uuidv5, 2, NULL, FN_T_STRING, NULL, fn_uuidv5, 0, "A name-based UUID."},
};
const size_t fn_hash_defs_count = sizeof fn_hash_defs / sizeof *fn_hash_defs;
