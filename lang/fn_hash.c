/*
 * lang/fn_hash.c — hashing functions over OpenSSL's EVP digests: md5 sha1
 * sha256 sha512 (lower-case hex of the string's UTF-8 bytes),
 * base64sha256 base64sha512 (base64 of the raw digest), and uuid (a random
 * version-4 UUID; impure).
 */
#include "lang/fn_int.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

static val hash_str(const val *a, const EVP_MD *md, int b64, fn_err *e)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!EVP_Digest(val_get_string(a[0]), val_string_len(a[0]), out, &len, md, NULL))
        return fn_errf(e, -1, "digest computation failed");
    strbuf b = {0};
    if (b64) {
        fn_base64(&b, out, len);
    } else {
        for (unsigned i = 0; i < len; i++)
            sb_printf(&b, "%02x", out[i]);
    }
    return fn_sb_val(&b, e);
}

static val fn_md5(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return hash_str(a, EVP_md5(), 0, e);
}

static val fn_sha1(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return hash_str(a, EVP_sha1(), 0, e);
}

static val fn_sha256(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return hash_str(a, EVP_sha256(), 0, e);
}

static val fn_sha512(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return hash_str(a, EVP_sha512(), 0, e);
}

static val fn_base64sha256(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return hash_str(a, EVP_sha256(), 1, e);
}

static val fn_base64sha512(fn_ctx *c, const val *a, size_t n, fn_err *e)
{
    (void)c, (void)n;
    return hash_str(a, EVP_sha512(), 1, e);
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

static const fn_param p_str[] = {{"str", FN_T_STRING, 0}};

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
};
const size_t fn_hash_defs_count = sizeof fn_hash_defs / sizeof *fn_hash_defs;
