/*
 * providers/aws/aws_sigv4.h — AWS Signature Version 4 (header signing).
 *
 * Pure functions over a described request: no I/O, no clock.  The caller
 * supplies the timestamp, so the same inputs always give the same
 * signature (the test suite and the botocore comparison rely on that).
 *
 * What must stay true:
 *  - the canonical request follows AWS's rules exactly as botocore's
 *    SigV4Auth computes them: the path is normalised (dot segments and
 *    repeated slashes removed) and URI-encoded once more, except for S3
 *    where it is used as sent; query pairs are decoded, re-encoded with
 *    the strict unreserved set and sorted by key then value; header names
 *    are lower-cased, values trimmed with inner whitespace runs collapsed,
 *    repeated headers joined with ',' in their original order;
 *  - secrets never leave this module except inside the final signature.
 */
#ifndef CAIRN_AWS_SIGV4_H
#define CAIRN_AWS_SIGV4_H

#include <stddef.h>

#include "lang/diag.h"

/* A request header (name and value borrowed from the caller). */
typedef struct aws_sigv4_header {
    const char *name;
    const char *value;
} aws_sigv4_header;

/* Longest header list the signer accepts. */
#define AWS_SIGV4_MAX_HEADERS 64
/* Longest path or query string the signer accepts (bytes). */
#define AWS_SIGV4_MAX_URI (64u * 1024)

/* The hash S3 accepts in place of a payload hash. */
#define AWS_SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"

/* A request to sign.  Every header in headers is signed (the caller
 * leaves out what must not be, e.g. User-Agent is fine to sign but
 * Authorization must not be present).  headers must contain Host and
 * X-Amz-Date (and X-Amz-Security-Token when a session token is used). */
typedef struct aws_sigv4_request {
    const char *method;          /* "GET", "POST", ... */
    const char *path;            /* as sent on the wire, "/" if empty */
    const char *query;           /* as sent, without '?'; NULL or "" if none */
    const aws_sigv4_header *headers;
    size_t nheaders;
    const char *payload_hash;    /* 64 lower-case hex digits or UNSIGNED-PAYLOAD */
    int s3;                      /* S3 rules: path not normalised or re-encoded */
} aws_sigv4_request;

/* The signing parameters.  amz_date is "YYYYMMDDTHHMMSSZ". */
typedef struct aws_sigv4_key {
    const char *access_key;
    const char *secret_key;
    const char *region;
    const char *service;         /* signing name, e.g. "elasticloadbalancing" */
    const char *amz_date;
} aws_sigv4_key;

/* Append the canonical request of r to out.  Returns 0, or CAIRN_EINVAL /
 * CAIRN_ELIMIT (too many headers, path or query too long, missing method)
 * with the last error set. */
int aws_sigv4_canonical_request(strbuf *out, const aws_sigv4_request *r);

/* Append the semicolon-separated signed header names of r to out. */
int aws_sigv4_signed_headers(strbuf *out, const aws_sigv4_request *r);

/* Append the string to sign for a canonical request to out. */
int aws_sigv4_string_to_sign(strbuf *out, const aws_sigv4_key *k, const char *creq);

/* Compute the hex signature (65 bytes with the NUL) of a string to sign. */
int aws_sigv4_signature(char sig[65], const aws_sigv4_key *k, const char *sts);

/* Sign r: returns the Authorization header value (owned by the caller) in
 * *authz.  Intermediate values may be returned for tests: creq and sts,
 * when non-NULL, receive the canonical request and the string to sign
 * (owned by the caller).  Returns 0 or a negative cairn_err. */
int aws_sigv4_sign(char **authz, char **creq, char **sts, const aws_sigv4_request *r,
                   const aws_sigv4_key *k);

/* Lower-case hex SHA-256 of data (65 bytes with the NUL). */
void aws_sha256_hex(char out[65], const void *data, size_t len);

/* Append s (n bytes) URI-encoded the AWS way: unreserved characters
 * A-Z a-z 0-9 - _ . ~ kept, everything else %XX (upper case); '/' kept
 * when keep_slash is non-zero. */
void aws_uri_encode(strbuf *out, const char *s, size_t n, int keep_slash);

/* Append s (n bytes) with %XX sequences decoded ('+' is kept as is). */
void aws_uri_decode(strbuf *out, const char *s, size_t n);

#endif
