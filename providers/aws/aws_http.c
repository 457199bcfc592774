/*
 * providers/aws/aws_http.c — HTTP transport with libcurl.
 *
 * Process-wide state (named as such): one CURLSH sharing connections, DNS
 * and TLS sessions between all threads, with a mutex per lock_data kind as
 * libcurl's lock callbacks require, created once (pthread_once).  Each
 * exchange uses its own easy handle attached to the share, so threads never
 * share an easy handle.
 *
 * What must stay true: https peers and host names are always verified
 * (nothing here or above turns that off); only http and https are allowed,
 * also on redirects (which are not followed); every exchange has a connect
 * and a total timeout and a cap on the response size.
 */
#include "providers/aws/aws_internal.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Headers kept per response, and the longest header line kept. */
#define AWS_HTTP_MAX_HEADERS 200
#define AWS_HTTP_MAX_HEADER_LINE 8192

static pthread_once_t http_once = PTHREAD_ONCE_INIT;
static CURLSH *http_share;
static pthread_mutex_t http_locks[CURL_LOCK_DATA_LAST];
static int http_init_rc;

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access access, void *u)
{
    (void)h;
    (void)access;
    (void)u;
    if (data >= 0 && data < CURL_LOCK_DATA_LAST)
        pthread_mutex_lock(&http_locks[data]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *u)
{
    (void)h;
    (void)u;
    if (data >= 0 && data < CURL_LOCK_DATA_LAST)
        pthread_mutex_unlock(&http_locks[data]);
}

static void http_init(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        http_init_rc = -1;
        return;
    }
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&http_locks[i], NULL);
    http_share = curl_share_init();
    if (!http_share) {
        http_init_rc = -1;
        return;
    }
    curl_share_setopt(http_share, CURLSHOPT_LOCKFUNC, share_lock);
    curl_share_setopt(http_share, CURLSHOPT_UNLOCKFUNC, share_unlock);
    curl_share_setopt(http_share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(http_share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    curl_share_setopt(http_share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
}

typedef struct sink {
    aws_http_response *rs;
    size_t max;
    int over;
} sink;

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
    sink *s = ud;
    size_t n = size * nmemb;
    if (s->rs->body.len + n > s->max) {
        s->over = 1;
        return 0;   /* makes libcurl stop with CURLE_WRITE_ERROR */
    }
    sb_append(&s->rs->body, ptr, n);
    return s->rs->body.failed ? 0 : n;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *ud)
{
    sink *s = ud;
    size_t n = size * nmemb;
    if (n > AWS_HTTP_MAX_HEADER_LINE || s->rs->headers.n >= AWS_HTTP_MAX_HEADERS)
        return n;
    if (n > 5 && strncmp(ptr, "HTTP/", 5) == 0) {
        /* a new response (e.g. after 100-continue): forget earlier headers */
        aws_kv_free(&s->rs->headers);
        return n;
    }
    const char *colon = memchr(ptr, ':', n);
    if (!colon)
        return n;
    char *name = xstrndup(ptr, (size_t)(colon - ptr));
    for (char *c = name; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    const char *v = colon + 1, *end = ptr + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    char *value = xstrndup(v, (size_t)(end - v));
    aws_kv_set(&s->rs->headers, name, value);
    free(name);
    free(value);
    return n;
}

int aws_http_nothing_sent(int curl_code)
{
    return curl_code == CURLE_COULDNT_RESOLVE_HOST || curl_code == CURLE_COULDNT_CONNECT ||
           curl_code == CURLE_COULDNT_RESOLVE_PROXY;
}

int aws_http_perform(const aws_http_request *rq, aws_http_response *rs)
{
    memset(rs, 0, sizeof *rs);
    pthread_once(&http_once, http_init);
    if (http_init_rc < 0)
        return err_set(CAIRN_EIO, "libcurl initialisation failed");
    CURL *h = curl_easy_init();
    if (!h)
        return err_set(CAIRN_ENOMEM, "libcurl: cannot create a handle");
    struct curl_slist *hl = NULL;
    int rc = 0;
    sink s = {rs, rq->max_response ? rq->max_response : AWS_DEFAULT_MAX_RESPONSE, 0};
    char errbuf[CURL_ERROR_SIZE] = "";
    for (size_t i = 0; rq->headers && i < rq->headers->n; i++) {
        char *line = xasprintf("%s: %s", rq->headers->items[i].key,
                               rq->headers->items[i].value);
        struct curl_slist *nl = curl_slist_append(hl, line);
        free(line);
        if (!nl) {
            rc = err_set(CAIRN_ENOMEM, "libcurl: out of memory for headers");
            goto fail;
        }
        hl = nl;
    }
    /* libcurl would add these on its own (and a form Content-Type to any
     * body); send only what was signed or is harmless */
    const char *drop[] = {"Expect:", "Accept:", "Content-Type:"};
    for (size_t i = 0; i < 3; i++) {
        int have = 0;
        for (size_t j = 0; rq->headers && j < rq->headers->n; j++)
            have |= strncasecmp(rq->headers->items[j].key, drop[i], strlen(drop[i]) - 1) == 0;
        struct curl_slist *nl = have ? hl : curl_slist_append(hl, drop[i]);
        if (!nl) {
            rc = err_set(CAIRN_ENOMEM, "libcurl: out of memory for headers");
            goto fail;
        }
        hl = nl;
    }
    curl_easy_setopt(h, CURLOPT_SHARE, http_share);
    curl_easy_setopt(h, CURLOPT_URL, rq->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (rq->ca_bundle)
        curl_easy_setopt(h, CURLOPT_CAINFO, rq->ca_bundle);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     rq->connect_timeout_ms ? rq->connect_timeout_ms
                                            : (long)AWS_DEFAULT_CONNECT_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
                     rq->timeout_ms ? rq->timeout_ms : (long)AWS_DEFAULT_TOTAL_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)s.max);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &s);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "cairn");
    if (rq->fresh_connection)
        curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
    if (strcmp(rq->method, "GET") == 0) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else if (strcmp(rq->method, "HEAD") == 0) {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, rq->method);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->body ? rq->body : "");
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len);
    }
    CURLcode cc = curl_easy_perform(h);
    rs->curl_code = (int)cc;
    if (cc != CURLE_OK) {
        if (s.over || cc == CURLE_FILESIZE_EXCEEDED)
            rc = err_set(CAIRN_ELIMIT, "response from %s exceeds the cap of %zu bytes",
                         rq->url, s.max);
        else if (cc == CURLE_OPERATION_TIMEDOUT)
            rc = err_set(CAIRN_ETIMEOUT, "%s: %s", rq->url,
                         errbuf[0] ? errbuf : curl_easy_strerror(cc));
        else
            rc = err_set(CAIRN_EIO, "%s: %s", rq->url,
                         errbuf[0] ? errbuf : curl_easy_strerror(cc));
        goto fail;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &rs->status);
    if (rs->body.failed)
        rc = err_set(CAIRN_ENOMEM, "out of memory reading the response from %s", rq->url);
    sb_putc(&rs->body, 0);
    rs->body.len--;
fail:
    curl_slist_free_all(hl);
    curl_easy_cleanup(h);
    return rc;
}

void aws_http_response_free(aws_http_response *rs)
{
    sb_free(&rs->body);
    aws_kv_free(&rs->headers);
}
