/*
 * providers/aws/aws_errors.c — AWS error responses, decoded for every
 * protocol, and their classification.
 *
 *   EC2:       <Response><Errors><Error><Code/><Message/></Error></Errors>
 *              <RequestID/></Response>
 *   query:     <ErrorResponse><Error><Type/><Code/><Message/></Error>
 *              <RequestId/></ErrorResponse>
 *   REST-XML:  <Error><Code/><Message/><RequestId/></Error> (S3; a HEAD has
 *              no body: the code comes from the status)
 *   REST-JSON: {"__type": "ns#Code", "message": ...} or the
 *              x-amzn-ErrorType header ("Code:http://..."); request id in
 *              x-amzn-RequestId.
 */
#include "providers/aws/aws_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

static void from_xml(aws_error *e, const char *body, size_t len)
{
    aws_xml *x = NULL;
    if (aws_xml_parse(&x, body, len) < 0)
        return;
    aws_xml_node *root = aws_xml_root(x);
    aws_xml_node *err = NULL;
    const char *rn = aws_xml_name(root);
    if (strcmp(rn, "Error") == 0)
        err = root;
    else if (strcmp(rn, "ErrorResponse") == 0)
        err = aws_xml_find(root, "Error");
    else if (strcmp(rn, "Response") == 0)
        err = aws_xml_find(root, "Errors/Error");
    if (err) {
        char *code = aws_xml_text(err, "Code"), *msg = aws_xml_text(err, "Message");
        copy(e->code, sizeof e->code, code);
        copy(e->message, sizeof e->message, msg);
        free(code);
        free(msg);
    }
    static const char *ids[] = {"RequestID", "RequestId"};
    for (int i = 0; i < 2 && !e->request_id[0]; i++) {
        char *id = aws_xml_text(root, ids[i]);
        if (!id && err)
            id = aws_xml_text(err, ids[i]);
        copy(e->request_id, sizeof e->request_id, id);
        free(id);
    }
    aws_xml_free(x);
}

/* "ns#Code" or "Code:http://..." -> "Code" */
static void clean_code(char *dst, size_t cap, const char *src)
{
    const char *hash = strrchr(src, '#');
    if (hash)
        src = hash + 1;
    size_t l = strcspn(src, ":");
    if (l >= cap)
        l = cap - 1;
    memcpy(dst, src, l);
    dst[l] = 0;
}

static void from_json(aws_error *e, const char *body, size_t len, const aws_kvlist *h)
{
    const char *ht = aws_kv_get(h, "x-amzn-errortype");
    if (ht)
        clean_code(e->code, sizeof e->code, ht);
    json_t *j = len ? json_loadb(body, len, 0, NULL) : NULL;
    if (json_is_object(j)) {
        const char *t = json_string_value(json_object_get(j, "__type"));
        if (!t)
            t = json_string_value(json_object_get(j, "code"));
        if (t && !e->code[0])
            clean_code(e->code, sizeof e->code, t);
        const char *m = json_string_value(json_object_get(j, "message"));
        if (!m)
            m = json_string_value(json_object_get(j, "Message"));
        copy(e->message, sizeof e->message, m);
    }
    json_decref(j);
}

void aws_error_decode(aws_error *e, enum aws_protocol proto, long status, const char *body,
                      size_t len, const aws_kvlist *headers)
{
    int attempts = e->attempts;
    memset(e, 0, sizeof *e);
    e->attempts = attempts;
    e->status = status;
    static const char *idh[] = {"x-amzn-requestid", "x-amz-request-id", "x-amzn-request-id"};
    for (int i = 0; i < 3 && headers; i++) {
        const char *v = aws_kv_get(headers, idh[i]);
        if (v && !e->request_id[0])
            copy(e->request_id, sizeof e->request_id, v);
    }
    if (proto == AWS_PROTO_REST_JSON)
        from_json(e, body, len, headers);
    else if (len)
        from_xml(e, body, len);
    /* a JSON body where XML was expected (a gateway or proxy in between) */
    if (!e->code[0] && proto != AWS_PROTO_REST_JSON && len && body[0] == '{')
        from_json(e, body, len, headers);
    if (!e->code[0]) {
        /* no decodable body (S3 HEAD, a proxy's HTML page): name it by status */
        const char *c = status == 404 ? "NotFound" : status == 403 ? "Forbidden"
                        : status == 400 ? "BadRequest" : status == 429 ? "TooManyRequests"
                        : status == 503 ? "ServiceUnavailable" : status >= 500
                        ? "InternalError" : "UnknownError";
        copy(e->code, sizeof e->code, c);
        if (!e->message[0])
            snprintf(e->message, sizeof e->message, "HTTP status %ld", status);
    }
}

int aws_error_is_throttle(const aws_error *e)
{
    static const char *codes[] = {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded",
        "TooManyRequestsException", "RequestThrottled", "RequestThrottledException",
        "SlowDown", "ProvisionedThroughputExceededException", "BandwidthLimitExceeded",
        "EC2ThrottledException", "PriorRequestNotComplete",
    };
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
        if (strcmp(e->code, codes[i]) == 0)
            return 1;
    return e->status == 429;
}

int aws_error_is(const aws_error *e, const char *code)
{
    size_t l = strlen(code);
    if (l && code[l - 1] == '*')
        return strncmp(e->code, code, l - 1) == 0;
    return strcmp(e->code, code) == 0;
}
