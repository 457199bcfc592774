/*
 * providers/aws/aws_proto_xml.c — XML response decoding with libxml2 (EC2,
 * query and REST-XML protocols).
 *
 * aws_xml wraps an xmlDoc; aws_xml_node is an xmlNode (element) seen
 * through an opaque type so that resource families need no libxml2 header.
 * Parsing never touches the network, loads no DTD and expands no entities;
 * nesting depth is capped by libxml2's default (XML_PARSE_HUGE not set).
 */
#include "providers/aws/aws_internal.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct aws_xml {
    xmlDocPtr doc;
};

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
    xmlInitParser();
}

int aws_xml_parse(aws_xml **out, const char *text, size_t len)
{
    *out = NULL;
    pthread_once(&xml_once, xml_init);
    if (len > (size_t)0x7fffffff)
        return err_set(CAIRN_ELIMIT, "XML document larger than 2 GiB");
    xmlDocPtr doc = xmlReadMemory(text, (int)len, "response.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc || !xmlDocGetRootElement(doc)) {
        if (doc)
            xmlFreeDoc(doc);
        return err_set(CAIRN_EPROTO, "malformed XML in the response (%zu bytes)", len);
    }
    aws_xml *x = xcalloc(1, sizeof *x);
    x->doc = doc;
    *out = x;
    return 0;
}

void aws_xml_free(aws_xml *x)
{
    if (!x)
        return;
    xmlFreeDoc(x->doc);
    free(x);
}

aws_xml_node *aws_xml_root(const aws_xml *x)
{
    return x ? (aws_xml_node *)xmlDocGetRootElement(x->doc) : NULL;
}

const char *aws_xml_name(const aws_xml_node *n)
{
    return n ? (const char *)((const xmlNode *)n)->name : NULL;
}

static int matches(const xmlNode *c, const char *name)
{
    return c->type == XML_ELEMENT_NODE && (!name || strcmp((const char *)c->name, name) == 0);
}

aws_xml_node *aws_xml_first(const aws_xml_node *n, const char *name)
{
    if (!n)
        return NULL;
    for (xmlNode *c = ((const xmlNode *)n)->children; c; c = c->next)
        if (matches(c, name))
            return (aws_xml_node *)c;
    return NULL;
}

aws_xml_node *aws_xml_next(const aws_xml_node *n, const char *name)
{
    if (!n)
        return NULL;
    for (xmlNode *c = ((const xmlNode *)n)->next; c; c = c->next)
        if (matches(c, name))
            return (aws_xml_node *)c;
    return NULL;
}

aws_xml_node *aws_xml_find(const aws_xml_node *n, const char *path)
{
    const aws_xml_node *cur = n;
    if (!path || !*path)
        return (aws_xml_node *)n;
    const char *p = path;
    while (cur && *p) {
        const char *slash = strchr(p, '/');
        size_t l = slash ? (size_t)(slash - p) : strlen(p);
        char name[256];
        if (l == 0 || l >= sizeof name)
            return NULL;
        memcpy(name, p, l);
        name[l] = 0;
        cur = aws_xml_first(cur, name);
        p += l;
        if (*p == '/')
            p++;
    }
    return (aws_xml_node *)cur;
}

char *aws_xml_text(const aws_xml_node *n, const char *path)
{
    const aws_xml_node *t = aws_xml_find(n, path);
    if (!t)
        return NULL;
    xmlChar *c = xmlNodeGetContent((const xmlNode *)t);
    char *s = xstrdup(c ? (const char *)c : "");
    xmlFree(c);
    return s;
}

int aws_xml_kvs(aws_kvlist *out, const aws_xml_node *n, const char *path, const char *item,
                const char *kname, const char *vname)
{
    const aws_xml_node *set = aws_xml_find(n, path);
    int added = 0;
    for (aws_xml_node *it = aws_xml_first(set, item); it; it = aws_xml_next(it, item)) {
        if (added >= AWS_MAX_TAGS * 4)
            return err_set(CAIRN_ELIMIT, "more than %d entries in <%s>", AWS_MAX_TAGS * 4,
                           path ? path : "");
        char *k = aws_xml_text(it, kname), *v = aws_xml_text(it, vname);
        if (k)
            aws_kv_set(out, k, v ? v : "");
        added += k != NULL;
        free(k);
        free(v);
    }
    return added;
}
