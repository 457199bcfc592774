/*
 * providers/aws/aws_paginate.c — follow NextToken / Marker /
 * ContinuationToken until the last page.
 *
 * The output token is found relative to the root element for XML protocols
 * (EC2: "nextToken"; query: "DescribeDBInstancesResult/Marker"; S3:
 * "NextContinuationToken") and as a top-level key for REST-JSON.  Bounded:
 * at most AWS_MAX_PAGES pages, and a token that repeats is a protocol error
 * rather than an endless loop.
 */
#include "providers/aws/aws_internal.h"

#include <stdlib.h>
#include <string.h>

static char *next_token(const aws_response *r, const char *out)
{
    if (r->json) {
        const char *t = json_string_value(json_object_get(r->json, out));
        return t && *t ? xstrdup(t) : NULL;
    }
    if (r->xml) {
        char *t = aws_xml_text(aws_xml_root(r->xml), out);
        if (t && !*t) {
            free(t);
            t = NULL;
        }
        return t;
    }
    return NULL;
}

int aws_paginate(aws_client *c, aws_request *req, const aws_pager *pg, aws_page_fn fn,
                 void *payload, aws_error *e)
{
    const aws_service_info *si = aws_service(req->svc);
    if (!si)
        return err_set(CAIRN_EINVAL, "aws_paginate: unknown service");
    int rest = si->proto == AWS_PROTO_REST_JSON || si->proto == AWS_PROTO_REST_XML;
    aws_params **slot = rest ? &req->query : &req->params;
    aws_params *own = NULL;
    if (!*slot) {
        own = aws_params_new();
        *slot = own;
    }
    char *prev = NULL;
    int rc = 0;
    for (int page = 0;; page++) {
        if (page >= AWS_MAX_PAGES) {
            rc = err_set(CAIRN_ELIMIT, "%s %s: more than %d pages (AWS_MAX_PAGES)", si->key,
                         req->action, AWS_MAX_PAGES);
            break;
        }
        aws_response resp;
        rc = aws_call(c, req, &resp, e);
        if (rc < 0)
            break;
        char *tok = next_token(&resp, pg->out);
        rc = fn(&resp, payload);
        aws_response_free(&resp);
        if (rc != 0 || !tok) {
            free(tok);
            rc = rc > 0 ? 0 : rc;
            break;
        }
        if (prev && strcmp(prev, tok) == 0) {
            rc = err_set(CAIRN_EPROTO, "%s %s: the service returned the same page token "
                         "twice", si->key, req->action);
            free(tok);
            break;
        }
        aws_params_set(*slot, pg->in, tok);
        free(prev);
        prev = tok;
    }
    free(prev);
    if (own) {
        aws_params_free(own);
        *slot = NULL;
    }
    return rc;
}
