/*
 * engine/config.c — loading a module tree from *.tf files (engine/config.h).
 *
 * One pass over each file's top-level blocks sorts them into the module's
 * arrays; blocks this version does not know are errors with Terraform's
 * wording ("Unsupported block type").  Module calls with a local source are
 * loaded recursively, at most CFG_MAX_MODULE_DEPTH deep.
 */
#include "engine/config.h"

#include "lang/eval.h"

#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GROW(arr, n) ((arr) = xrealloc((arr), ((n) + 1) * sizeof *(arr)))

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the *.tf files of dir (not *.tf.json: unsupported). */
static char **list_tf(const char *dir, size_t *n, diag_list *d)
{
    DIR *dp = opendir(dir);
    *n = 0;
    if (!dp) {
        diag_add(d, DIAG_ERROR, (srange){0}, "Failed to read module directory",
                 "Module directory %s does not exist or cannot be read: %s.", dir,
                 strerror(errno));
        return NULL;
    }
    char **v = NULL;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.' || !has_suffix(e->d_name, ".tf"))
            continue;
        if (*n >= CFG_MAX_FILES) {
            diag_add(d, DIAG_ERROR, (srange){0}, "Too many configuration files",
                     "Module directory %s has more than %d .tf files (CFG_MAX_FILES).", dir,
                     CFG_MAX_FILES);
            break;
        }
        GROW(v, *n);
        /* Terraform names root files without "./" in messages. */
        v[(*n)++] = strcmp(dir, ".") == 0 ? xstrdup(e->d_name)
                                          : xasprintf("%s/%s", dir, e->d_name);
    }
    closedir(dp);
    if (*n)
        qsort(v, *n, sizeof *v, cmp_str);
    return v;
}

/* A literal string attribute's value (NULL + diagnostic when it is not a
 * plain string). */
static const char *static_string(const ast_attr *a, diag_list *d)
{
    const char *s;
    size_t len;
    if (a && ast_template_literal(a->expr, &s, &len))
        return s;
    if (a)
        diag_add(d, DIAG_ERROR, a->expr->range, "Invalid value",
                 "The \"%s\" argument requires a literal string.", a->name.s);
    return NULL;
}

static int static_bool(const ast_attr *a, int dflt, diag_list *d)
{
    if (!a)
        return dflt;
    const ast *e = a->expr;
    if (e->kind == AST_LITERAL && e->u.lit.kind == AST_LIT_BOOL)
        return e->u.lit.b;
    diag_add(d, DIAG_ERROR, e->range, "Invalid value",
             "The \"%s\" argument requires a literal true or false.", a->name.s);
    return dflt;
}

/* The items of a tuple expression (`depends_on = [a.b, c.d]`). */
static const ast *const *tuple_items(const ast_attr *a, size_t *n, diag_list *d)
{
    *n = 0;
    if (!a)
        return NULL;
    if (a->expr->kind != AST_TUPLE) {
        diag_add(d, DIAG_ERROR, a->expr->range, "Invalid expression",
                 "The \"%s\" argument requires a list of references.", a->name.s);
        return NULL;
    }
    *n = a->expr->u.tuple.n;
    return (const ast *const *)a->expr->u.tuple.items;
}

/* Render a reference expression (a.b["k"][0]) as an address string, for
 * moved blocks and ignore_changes.  Returns NULL for anything else. */
static char *ref_text(const ast *e)
{
    strbuf b = {0};
    switch (e->kind) {
    case AST_VARIABLE:
        sb_puts(&b, e->u.var.s);
        break;
    case AST_GETATTR: {
        char *o = ref_text(e->u.getattr.obj);
        if (!o)
            return NULL;
        sb_printf(&b, "%s.%s", o, e->u.getattr.name.s);
        free(o);
        break;
    }
    case AST_INDEX: {
        char *o = ref_text(e->u.index.obj);
        const ast *k = e->u.index.key;
        const char *s;
        size_t len;
        if (!o)
            return NULL;
        if (k->kind == AST_LITERAL && k->u.lit.kind == AST_LIT_NUMBER)
            sb_printf(&b, "%s[%s]", o, k->u.lit.text);
        else if (ast_template_literal(k, &s, &len))
            sb_printf(&b, "%s[\"%s\"]", o, s);
        else {
            free(o);
            return NULL;
        }
        free(o);
        break;
    }
    default:
        return NULL;
    }
    return sb_take(&b);
}

static void add_checks(const ast_block *b, const char *type, cfg_check **out, size_t *n,
                       diag_list *d)
{
    for (size_t i = 0; i < b->body->n; i++) {
        const ast_item *it = &b->body->items[i];
        if (it->kind != AST_ITEM_BLOCK || strcmp(it->u.block->type.s, type) != 0)
            continue;
        const ast_block *c = it->u.block;
        const ast_attr *cond = ast_body_attr(c->body, "condition");
        const ast_attr *msg = ast_body_attr(c->body, "error_message");
        if (!cond || !msg) {
            diag_add(d, DIAG_ERROR, c->range, "Missing required argument",
                     "The argument \"%s\" is required, but no definition was found.",
                     cond ? "error_message" : "condition");
            continue;
        }
        GROW(*out, *n);
        (*out)[(*n)++] = (cfg_check){cond->expr, msg->expr, c->range};
    }
}

static int want_labels(const ast_block *b, size_t n, const char *what, diag_list *d)
{
    if (b->nlabels == n)
        return 1;
    srange r = b->nlabels > n ? b->labels[n].range : b->open_brace;
    diag_add(d, DIAG_ERROR, r, b->nlabels > n ? "Extraneous label" : "Missing name",
             "A %s block must have exactly %zu label%s.", what, n, n == 1 ? "" : "s");
    return 0;
}

static void load_variable(cfg_module *m, const ast_block *b, diag_list *d)
{
    if (!want_labels(b, 1, "variable", d))
        return;
    if (cfg_var(m, b->labels[0].s)) {
        diag_add(d, DIAG_ERROR, b->labels[0].range, "Duplicate variable declaration",
                 "A variable named \"%s\" was already declared.", b->labels[0].s);
        return;
    }
    cfg_variable v = {.name = b->labels[0].s, .nullable = 1, .range = b->range};
    const ast_attr *t = ast_body_attr(b->body, "type");
    if (t)
        v.type = eval_type_expr(t->expr, d);
    const ast_attr *df = ast_body_attr(b->body, "default");
    v.default_ = df ? df->expr : NULL;
    v.description = static_string(ast_body_attr(b->body, "description"), d);
    v.sensitive = static_bool(ast_body_attr(b->body, "sensitive"), 0, d);
    v.nullable = static_bool(ast_body_attr(b->body, "nullable"), 1, d);
    add_checks(b, "validation", &v.validations, &v.nvalidations, d);
    GROW(m->vars, m->nvars);
    m->vars[m->nvars++] = v;
}

static void load_locals(cfg_module *m, const ast_block *b, diag_list *d)
{
    for (size_t i = 0; i < b->body->n; i++) {
        const ast_item *it = &b->body->items[i];
        if (it->kind != AST_ITEM_ATTR) {
            diag_add(d, DIAG_ERROR, it->u.block->range, "Unsupported block type",
                     "Blocks are not allowed inside locals.");
            continue;
        }
        const ast_attr *a = it->u.attr;
        if (cfg_local_find(m, a->name.s)) {
            diag_add(d, DIAG_ERROR, a->name.range, "Duplicate local value definition",
                     "A local value named \"%s\" was already defined.", a->name.s);
            continue;
        }
        GROW(m->locals, m->nlocals);
        m->locals[m->nlocals++] = (cfg_local){a->name.s, a->expr, a->range};
    }
}

static void load_output(cfg_module *m, const ast_block *b, diag_list *d)
{
    if (!want_labels(b, 1, "output", d))
        return;
    const ast_attr *v = ast_body_attr(b->body, "value");
    if (!v) {
        diag_add(d, DIAG_ERROR, b->range, "Missing required argument",
                 "The argument \"value\" is required, but no definition was found.");
        return;
    }
    if (cfg_output_find(m, b->labels[0].s)) {
        diag_add(d, DIAG_ERROR, b->labels[0].range, "Duplicate output definition",
                 "An output named \"%s\" was already defined.", b->labels[0].s);
        return;
    }
    cfg_output o = {.name = b->labels[0].s, .value = v->expr,
                    .range = {b->range.file, b->range.start, b->labels[0].range.end}};
    o.sensitive = static_bool(ast_body_attr(b->body, "sensitive"), 0, d);
    o.depends_on = tuple_items(ast_body_attr(b->body, "depends_on"), &o.ndepends_on, d);
    add_checks(b, "precondition", &o.preconditions, &o.npreconditions, d);
    GROW(m->outputs, m->noutputs);
    m->outputs[m->noutputs++] = o;
}

/* provider = aws.west  /  provider = aws */
static void resource_provider(cfg_resource *r, const ast_attr *a, diag_list *d)
{
    const ast *e = a->expr;
    r->provider_range = e->range;
    if (e->kind == AST_VARIABLE) {
        r->provider = e->u.var.s;
    } else if (e->kind == AST_GETATTR && e->u.getattr.obj->kind == AST_VARIABLE) {
        r->provider = e->u.getattr.obj->u.var.s;
        r->provider_alias = e->u.getattr.name.s;
    } else {
        diag_add(d, DIAG_ERROR, e->range, "Invalid provider reference",
                 "The provider argument requires a provider name, optionally followed by a "
                 "period and an alias name, like aws.west.");
    }
}

static void load_lifecycle(cfg_resource *r, const ast_block *b, diag_list *d)
{
    r->create_before_destroy =
        static_bool(ast_body_attr(b->body, "create_before_destroy"), 0, d);
    r->prevent_destroy = static_bool(ast_body_attr(b->body, "prevent_destroy"), 0, d);
    const ast_attr *ig = ast_body_attr(b->body, "ignore_changes");
    if (ig && ig->expr->kind == AST_VARIABLE && strcmp(ig->expr->u.var.s, "all") == 0) {
        r->ignore_all = 1;
    } else if (ig) {
        size_t n;
        const ast *const *items = tuple_items(ig, &n, d);
        for (size_t i = 0; i < n; i++) {
            const ast *e = items[i];
            while (e->kind == AST_INDEX || (e->kind == AST_GETATTR &&
                                            e->u.getattr.obj->kind != AST_VARIABLE))
                e = e->kind == AST_INDEX ? e->u.index.obj : e->u.getattr.obj;
            const char *name = NULL;
            if (e->kind == AST_VARIABLE)
                name = e->u.var.s;
            else if (e->kind == AST_GETATTR)
                name = e->u.getattr.obj->u.var.s;
            if (!name) {
                diag_add(d, DIAG_ERROR, items[i]->range, "Invalid ignore_changes",
                         "ignore_changes requires a list of attribute names.");
                continue;
            }
            GROW(r->ignore_changes, r->nignore_changes);
            r->ignore_changes[r->nignore_changes++] = name;
        }
    }
    r->replace_triggered_by = tuple_items(ast_body_attr(b->body, "replace_triggered_by"),
                                          &r->nreplace_triggered_by, d);
    add_checks(b, "precondition", &r->preconditions, &r->npreconditions, d);
    add_checks(b, "postcondition", &r->postconditions, &r->npostconditions, d);
}

static void res_index_put(cfg_module *m, size_t i);

/* HCL's way of naming a range: "main.tf:1,1-31" (or "...:1,1-2,5"). */
static void range_text(srange r, char *out, size_t size)
{
    int l1 = 0, c1 = 0, l2 = 0, c2 = 0;
    if (!r.file) {
        snprintf(out, size, "?");
        return;
    }
    src_pos(r.file, r.start, &l1, &c1);
    src_pos(r.file, r.end, &l2, &c2);
    if (l1 == l2)
        snprintf(out, size, "%s:%d,%d-%d", r.file->name, l1, c1, c2);
    else
        snprintf(out, size, "%s:%d,%d-%d,%d", r.file->name, l1, c1, l2, c2);
}

static void load_resource(cfg_module *m, const ast_block *b, int data, diag_list *d)
{
    if (!want_labels(b, 2, data ? "data" : "resource", d))
        return;
    const cfg_resource *dup = cfg_resource_find(m, data, b->labels[0].s, b->labels[1].s);
    if (dup) {
        char at[512];
        range_text(dup->range, at, sizeof at);
        char *summary = xasprintf("Duplicate %s \"%s\" configuration",
                                  data ? "data" : "resource", b->labels[0].s);
        srange hdr = {b->range.file, b->range.start, b->labels[1].range.end};
        diag_add(d, DIAG_ERROR, hdr, summary,
                 "A %s %s named \"%s\" was already declared at %s. Resource names must be "
                 "unique per type in each module.", b->labels[0].s,
                 data ? "data resource" : "resource", b->labels[1].s, at);
        free(summary);
        return;
    }
    cfg_resource r = {.data = data, .type = b->labels[0].s, .name = b->labels[1].s,
                      .block = b, .body = b->body, .module = m};
    /* The header without the space before "{", as Terraform underlines it. */
    r.range = (srange){b->range.file, b->range.start, b->labels[b->nlabels - 1].range.end};
    const ast_attr *a = ast_body_attr(b->body, "count");
    r.count = a ? a->expr : NULL;
    a = ast_body_attr(b->body, "for_each");
    r.for_each = a ? a->expr : NULL;
    if (r.count && r.for_each)
        diag_add(d, DIAG_ERROR, a->range, "Invalid combination of \"count\" and \"for_each\"",
                 "The \"count\" and \"for_each\" meta-arguments are mutually-exclusive, only "
                 "one should be used to be explicit about the number of resources to be "
                 "created.");
    a = ast_body_attr(b->body, "provider");
    if (a)
        resource_provider(&r, a, d);
    r.depends_on = tuple_items(ast_body_attr(b->body, "depends_on"), &r.ndepends_on, d);
    for (size_t i = 0; i < b->body->n; i++) {
        const ast_item *it = &b->body->items[i];
        if (it->kind == AST_ITEM_BLOCK && strcmp(it->u.block->type.s, "lifecycle") == 0)
            load_lifecycle(&r, it->u.block, d);
    }
    if (m->nresources == m->capresources) {
        m->capresources = m->capresources ? 2 * m->capresources : 16;
        m->resources = xrealloc(m->resources, m->capresources * sizeof *m->resources);
    }
    m->resources[m->nresources] = r;
    res_index_put(m, m->nresources);
    m->nresources++;
}

static void load_provider(cfg_module *m, const ast_block *b, diag_list *d)
{
    if (!want_labels(b, 1, "provider", d))
        return;
    cfg_provider p = {.name = b->labels[0].s, .block = b, .range = b->range};
    p.alias = static_string(ast_body_attr(b->body, "alias"), d);
    for (size_t i = 0; i < m->nproviders; i++) {
        const cfg_provider *q = &m->providers[i];
        if (strcmp(q->name, p.name) == 0 &&
            ((!q->alias && !p.alias) || (q->alias && p.alias && !strcmp(q->alias, p.alias)))) {
            diag_add(d, DIAG_ERROR, b->range, "Duplicate provider configuration",
                     "A default (non-aliased) provider configuration for \"%s\" was already "
                     "given.", p.name);
            return;
        }
    }
    GROW(m->providers, m->nproviders);
    m->providers[m->nproviders++] = p;
}

/* providers = { aws = aws.west, "aws.east" = aws } */
static void call_providers(cfg_call *c, const ast_attr *a, diag_list *d)
{
    if (a->expr->kind != AST_OBJECT) {
        diag_add(d, DIAG_ERROR, a->expr->range, "Invalid providers argument",
                 "The providers argument requires a map of provider references.");
        return;
    }
    for (size_t i = 0; i < a->expr->u.object.n; i++) {
        const ast_object_item *it = &a->expr->u.object.items[i];
        char *k = it->key_bare ? NULL : ref_text(it->key);
        const char *ks = k;
        if (it->key_bare || !k) {
            const char *s;
            size_t len;
            if (it->key->kind == AST_VARIABLE)
                ks = it->key->u.var.s;
            else if (ast_template_literal(it->key, &s, &len))
                ks = s;
        }
        char *v = ref_text(it->value);
        if (!ks || !v) {
            diag_add(d, DIAG_ERROR, it->value->range, "Invalid providers argument",
                     "Each entry must map a provider name to a provider reference.");
            free(k);
            free(v);
            continue;
        }
        cfg_provider_pass p = {0};
        char *kd = xstrdup(ks), *dot = strchr(kd, '.');
        if (dot)
            *dot = 0;
        p.child = kd;
        p.child_alias = dot ? dot + 1 : NULL;
        dot = strchr(v, '.');
        if (dot)
            *dot = 0;
        p.parent = v;
        p.parent_alias = dot ? dot + 1 : NULL;
        GROW(c->providers, c->nproviders);
        c->providers[c->nproviders++] = p;
        free(k);
    }
}

static cfg_module *load_dir(const char *dir, const char *path, cfg_module *parent, int depth,
                            diag_list *d);

static void load_call(cfg_module *m, const ast_block *b, int depth, diag_list *d)
{
    if (!want_labels(b, 1, "module", d))
        return;
    if (cfg_call_find(m, b->labels[0].s)) {
        diag_add(d, DIAG_ERROR, b->labels[0].range, "Duplicate module call",
                 "A module call named \"%s\" was already defined.", b->labels[0].s);
        return;
    }
    cfg_call c = {.name = b->labels[0].s, .block = b, .range = b->range};
    const ast_attr *src = ast_body_attr(b->body, "source");
    if (!src) {
        diag_add(d, DIAG_ERROR, b->range, "Missing required argument",
                 "The argument \"source\" is required, but no definition was found.");
        return;
    }
    c.source = static_string(src, d);
    const ast_attr *a = ast_body_attr(b->body, "count");
    c.count = a ? a->expr : NULL;
    a = ast_body_attr(b->body, "for_each");
    c.for_each = a ? a->expr : NULL;
    c.depends_on = tuple_items(ast_body_attr(b->body, "depends_on"), &c.ndepends_on, d);
    a = ast_body_attr(b->body, "providers");
    if (a)
        call_providers(&c, a, d);
    if (c.source && strncmp(c.source, "./", 2) != 0 && strncmp(c.source, "../", 3) != 0) {
        diag_add(d, DIAG_ERROR, src->expr->range, "Unsupported module source",
                 "cairn loads local modules only (a source starting with \"./\" or "
                 "\"../\"); \"%s\" is not one.", c.source);
    } else if (c.source && depth >= CFG_MAX_MODULE_DEPTH) {
        diag_add(d, DIAG_ERROR, b->range, "Module nesting too deep",
                 "Modules are nested more than %d deep (CFG_MAX_MODULE_DEPTH); is a module "
                 "calling itself?", CFG_MAX_MODULE_DEPTH);
    } else if (c.source) {
        const char *rel = strncmp(c.source, "./", 2) == 0 ? c.source + 2 : c.source;
        char *cdir = strcmp(m->dir, ".") == 0 ? xstrdup(rel) : xasprintf("%s/%s", m->dir, rel);
        char *cpath = xasprintf("%s%smodule.%s", m->path, *m->path ? "." : "", c.name);
        struct stat st;
        if (stat(cdir, &st) != 0 || !S_ISDIR(st.st_mode))
            diag_add(d, DIAG_ERROR, src->expr->range, "Unreadable module directory",
                     "The directory %s does not exist or cannot be read.", cdir);
        else
            c.child = load_dir(cdir, cpath, m, depth + 1, d);
        free(cdir);
        free(cpath);
    }
    GROW(m->calls, m->ncalls);
    m->calls[m->ncalls++] = c;
}

static void load_terraform(cfg_module *m, const ast_block *b, diag_list *d)
{
    const ast_attr *rv = ast_body_attr(b->body, "required_version");
    if (rv) {
        m->required_version = static_string(rv, d);
        m->required_version_range = rv->expr->range;
    }
    for (size_t i = 0; i < b->body->n; i++) {
        const ast_item *it = &b->body->items[i];
        if (it->kind != AST_ITEM_BLOCK || strcmp(it->u.block->type.s, "required_providers"))
            continue;
        const ast_body *rp = it->u.block->body;
        for (size_t j = 0; j < rp->n; j++) {
            if (rp->items[j].kind != AST_ITEM_ATTR)
                continue;
            const ast_attr *a = rp->items[j].u.attr;
            cfg_required r = {.name = a->name.s, .range = a->range};
            const ast *e = a->expr;
            const char *s;
            size_t len;
            if (e->kind == AST_OBJECT) {
                for (size_t k = 0; k < e->u.object.n; k++) {
                    const ast_object_item *oi = &e->u.object.items[k];
                    const char *key = oi->key->kind == AST_VARIABLE ? oi->key->u.var.s : NULL;
                    if (!key && !ast_template_literal(oi->key, &key, &len))
                        continue;
                    if (!ast_template_literal(oi->value, &s, &len))
                        continue;
                    if (strcmp(key, "source") == 0)
                        r.source = s;
                    else if (strcmp(key, "version") == 0)
                        r.version = s;
                }
            } else if (ast_template_literal(e, &s, &len)) {
                r.version = s;   /* legacy form: aws = "~> 5.0" */
            }
            GROW(m->required, m->nrequired);
            m->required[m->nrequired++] = r;
        }
    }
}

static void load_moved(cfg_module *m, const ast_block *b, diag_list *d)
{
    const ast_attr *from = ast_body_attr(b->body, "from"), *to = ast_body_attr(b->body, "to");
    char *f = from ? ref_text(from->expr) : NULL, *t = to ? ref_text(to->expr) : NULL;
    if (!f || !t) {
        diag_add(d, DIAG_ERROR, b->range, "Invalid moved block",
                 "A moved block requires \"from\" and \"to\" arguments that are resource or "
                 "module addresses.");
        free(f);
        free(t);
        return;
    }
    GROW(m->moved, m->nmoved);
    m->moved[m->nmoved++] = (cfg_moved){f, t, b->range};
}

static void load_import(cfg_module *m, const ast_block *b, diag_list *d)
{
    const ast_attr *to = ast_body_attr(b->body, "to"), *id = ast_body_attr(b->body, "id");
    char *t = to ? ref_text(to->expr) : NULL;
    if (!t || !id) {
        diag_add(d, DIAG_ERROR, b->range, "Invalid import block",
                 "An import block requires a \"to\" resource address and an \"id\".");
        free(t);
        return;
    }
    GROW(m->imports, m->nimports);
    m->imports[m->nimports++] = (cfg_import){t, id->expr, b->range};
}

static void load_block(cfg_module *m, const ast_block *b, int depth, diag_list *d)
{
    const char *t = b->type.s;
    if (!strcmp(t, "variable"))
        load_variable(m, b, d);
    else if (!strcmp(t, "locals"))
        load_locals(m, b, d);
    else if (!strcmp(t, "output"))
        load_output(m, b, d);
    else if (!strcmp(t, "resource"))
        load_resource(m, b, 0, d);
    else if (!strcmp(t, "data"))
        load_resource(m, b, 1, d);
    else if (!strcmp(t, "module"))
        load_call(m, b, depth, d);
    else if (!strcmp(t, "provider"))
        load_provider(m, b, d);
    else if (!strcmp(t, "terraform"))
        load_terraform(m, b, d);
    else if (!strcmp(t, "moved"))
        load_moved(m, b, d);
    else if (!strcmp(t, "import"))
        load_import(m, b, d);
    else if (strcmp(t, "check") != 0 && strcmp(t, "removed") != 0)
        diag_add(d, DIAG_ERROR, b->type.range, "Unsupported block type",
                 "Blocks of type \"%s\" are not expected here.", t);
}

static cfg_module *load_dir(const char *dir, const char *path, cfg_module *parent, int depth,
                            diag_list *d)
{
    size_t n;
    char **names = list_tf(dir, &n, d);
    if (!names && parent == NULL && n == 0) {
        if (!diag_has_errors(d))
            diag_add(d, DIAG_ERROR, (srange){0}, "No configuration files",
                     "Apply requires configuration to be present. The directory %s has no "
                     ".tf files.", dir);
        return NULL;
    }
    cfg_module *m = xcalloc(1, sizeof *m);
    m->dir = xstrdup(dir);
    m->path = xstrdup(path);
    m->parent = parent;
    for (size_t i = 0; i < n; i++) {
        src_file *src = src_load(names[i]);
        if (!src) {
            diag_add(d, DIAG_ERROR, (srange){0}, "Failed to read file", "%s", err_msg());
            free(names[i]);
            continue;
        }
        ast_file *af = parse_config(src, d);
        free(names[i]);
        if (!af) {
            src_free(src);
            continue;
        }
        GROW(m->files, m->nfiles);
        m->files[m->nfiles++] = af;
        for (size_t j = 0; af->body && j < af->body->n; j++) {
            const ast_item *it = &af->body->items[j];
            if (it->kind == AST_ITEM_BLOCK)
                load_block(m, it->u.block, depth, d);
            else
                diag_add(d, DIAG_ERROR, it->u.attr->name.range, "Unsupported argument",
                         "An argument named \"%s\" is not expected here.", it->u.attr->name.s);
        }
    }
    free(names);
    return m;
}

cfg_module *cfg_load(const char *dir, diag_list *diags)
{
    return load_dir(dir, "", NULL, 0, diags);
}

void cfg_free(cfg_module *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->ncalls; i++) {
        cfg_free(m->calls[i].child);
        for (size_t j = 0; j < m->calls[i].nproviders; j++) {
            free((char *)m->calls[i].providers[j].child);
            free((char *)m->calls[i].providers[j].parent);
        }
        free(m->calls[i].providers);
    }
    for (size_t i = 0; i < m->nvars; i++) {
        if (m->vars[i].type)
            ty_free(m->vars[i].type);
        free(m->vars[i].validations);
    }
    for (size_t i = 0; i < m->noutputs; i++)
        free(m->outputs[i].preconditions);
    for (size_t i = 0; i < m->nresources; i++) {
        free(m->resources[i].ignore_changes);
        free(m->resources[i].preconditions);
        free(m->resources[i].postconditions);
    }
    for (size_t i = 0; i < m->nmoved; i++) {
        free((char *)m->moved[i].from);
        free((char *)m->moved[i].to);
    }
    for (size_t i = 0; i < m->nimports; i++)
        free((char *)m->imports[i].to);
    for (size_t i = 0; i < m->nfiles; i++) {
        src_file *s = m->files[i]->src;
        ast_file_free(m->files[i]);
        src_free(s);
    }
    free(m->files);
    free(m->vars);
    free(m->locals);
    free(m->outputs);
    free(m->resources);
    free(m->res_slots);
    free(m->calls);
    free(m->providers);
    free(m->required);
    free(m->moved);
    free(m->imports);
    free(m->dir);
    free(m->path);
    free(m);
}

const cfg_variable *cfg_var(const cfg_module *m, const char *name)
{
    for (size_t i = 0; i < m->nvars; i++)
        if (strcmp(m->vars[i].name, name) == 0)
            return &m->vars[i];
    return NULL;
}

const cfg_local *cfg_local_find(const cfg_module *m, const char *name)
{
    for (size_t i = 0; i < m->nlocals; i++)
        if (strcmp(m->locals[i].name, name) == 0)
            return &m->locals[i];
    return NULL;
}

const cfg_output *cfg_output_find(const cfg_module *m, const char *name)
{
    for (size_t i = 0; i < m->noutputs; i++)
        if (strcmp(m->outputs[i].name, name) == 0)
            return &m->outputs[i];
    return NULL;
}

const cfg_call *cfg_call_find(const cfg_module *m, const char *name)
{
    for (size_t i = 0; i < m->ncalls; i++)
        if (strcmp(m->calls[i].name, name) == 0)
            return &m->calls[i];
    return NULL;
}

static size_t res_hash(int data, const char *type, const char *name)
{
    size_t h = 1469598103934665603ull ^ (size_t)data;
    for (const char *p = type; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    h = (h ^ '.') * 1099511628211ull;
    for (const char *p = name; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h;
}

static void res_index_put(cfg_module *m, size_t i)
{
    if (2 * (m->nresources + 1) > m->res_nslots) {
        size_t n = m->res_nslots ? 2 * m->res_nslots : 64;
        free(m->res_slots);
        m->res_slots = xcalloc(n, sizeof *m->res_slots);
        m->res_nslots = n;
        for (size_t j = 0; j < m->nresources; j++)
            if (j != i)
                res_index_put(m, j);
    }
    const cfg_resource *r = &m->resources[i];
    size_t s = res_hash(r->data, r->type, r->name) & (m->res_nslots - 1);
    while (m->res_slots[s])
        s = (s + 1) & (m->res_nslots - 1);
    m->res_slots[s] = i + 1;
}

cfg_resource *cfg_resource_find(const cfg_module *m, int data, const char *type,
                                const char *name)
{
    if (!m->res_nslots)
        return NULL;
    size_t s = res_hash(data, type, name) & (m->res_nslots - 1);
    for (; m->res_slots[s]; s = (s + 1) & (m->res_nslots - 1)) {
        cfg_resource *r = &m->resources[m->res_slots[s] - 1];
        if (r->data == data && strcmp(r->type, type) == 0 && strcmp(r->name, name) == 0)
            return r;
    }
    return NULL;
}

void cfg_type_provider(const char *type, char *buf, size_t size)
{
    size_t n = strcspn(type, "_");
    if (n >= size)
        n = size - 1;
    memcpy(buf, type, n);
    buf[n] = 0;
}

static void digest_module(const cfg_module *m, EVP_MD_CTX *ctx)
{
    for (size_t i = 0; i < m->nfiles; i++) {
        const src_file *s = m->files[i]->src;
        EVP_DigestUpdate(ctx, s->name, strlen(s->name) + 1);
        EVP_DigestUpdate(ctx, s->text, s->len);
    }
    for (size_t i = 0; i < m->ncalls; i++)
        if (m->calls[i].child)
            digest_module(m->calls[i].child, ctx);
}

void cfg_digest(const cfg_module *m, char out[65])
{
    unsigned char md[32];
    unsigned int len = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        abort();
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    digest_module(m, ctx);
    EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}
