/*
 * engine/cmd_graph.c — `cairn graph [-type=plan|apply|destroy]
 * [-draw-cycles]`: the dependency graph in Graphviz's DOT language, drawn
 * the way `terraform graph` draws it.
 *
 * The graph comes from a plan made without refresh (as Terraform's graph
 * does not refresh):
 *
 *   plan     one node per resource, "[root] ADDR (expand)", with an edge to
 *            each resource its configuration refers to and to its provider
 *            configuration ("[root] provider[...]", a diamond);
 *   apply    one node per planned instance: "[root] ADDR (destroy)" for
 *            what is deleted, "[root] ADDR" for anything else (created,
 *            updated, read, or replaced: the scheduler runs a replacement
 *            as one step), with the edges engine/apply.c schedules by;
 *   destroy  the same for a destroy plan.
 *
 * An edge A -> B means A waits for B.  Deleting runs in the reverse order
 * of creating, so an edge between destroy nodes goes from the dependency
 * to its dependent, as Terraform draws it.  -draw-cycles adds the edges of
 * every dependency cycle the planner reported, in red; without it a cycle
 * is an error and nothing is drawn.
 *
 * What must stay true: the output is a valid DOT document and the same
 * configuration and state always give the same bytes (nodes sorted by
 * name, edges by their two ends, each once).
 */
#include "engine/cli.h"

#include <stdlib.h>
#include <string.h>

enum graph_type { GT_PLAN, GT_APPLY, GT_DESTROY };

typedef struct dot_node {
    char *id;
    const char *shape;
} dot_node;

typedef struct dot_edge {
    char *from, *to;
    int cycle;
} dot_edge;

typedef struct dot {
    dot_node *nodes;
    size_t nn;
    dot_edge *edges;
    size_t ne;
} dot;

typedef struct graph_ctx {
    cli_session s;
    enum graph_type type;
    int draw_cycles;
    const plan_change **by_res;     /* changes sorted by (res_addr, addr) */
    dot g;
} graph_ctx;

/* ---------------------------------------------------------------- DOT */

static void dot_add_node(dot *g, char *id, const char *shape)
{
    g->nodes = xrealloc(g->nodes, (g->nn + 1) * sizeof *g->nodes);
    g->nodes[g->nn++] = (dot_node){id, shape};
}

/* Both ends consumed. */
static void dot_add_edge(dot *g, char *from, char *to, int cycle)
{
    g->edges = xrealloc(g->edges, (g->ne + 1) * sizeof *g->edges);
    g->edges[g->ne++] = (dot_edge){from, to, cycle};
}

static int cmp_node(const void *a, const void *b)
{
    return strcmp(((const dot_node *)a)->id, ((const dot_node *)b)->id);
}

static int cmp_edge(const void *a, const void *b)
{
    const dot_edge *x = a, *y = b;
    int c = strcmp(x->from, y->from);
    if (c == 0)
        c = strcmp(x->to, y->to);
    return c ? c : x->cycle - y->cycle;
}

static int has_node(const dot *g, const char *id)
{
    dot_node key = {(char *)id, NULL};
    return bsearch(&key, g->nodes, g->nn, sizeof *g->nodes, cmp_node) != NULL;
}

/* Sort, drop repeated nodes and edges, and edges to nodes not drawn. */
static void dot_finish(dot *g)
{
    qsort(g->nodes, g->nn, sizeof *g->nodes, cmp_node);
    size_t w = 0;
    for (size_t i = 0; i < g->nn; i++) {
        if (w && !strcmp(g->nodes[w - 1].id, g->nodes[i].id)) {
            free(g->nodes[i].id);
            continue;
        }
        g->nodes[w++] = g->nodes[i];
    }
    g->nn = w;
    qsort(g->edges, g->ne, sizeof *g->edges, cmp_edge);
    w = 0;
    for (size_t i = 0; i < g->ne; i++) {
        dot_edge *e = &g->edges[i];
        int dup = w && !cmp_edge(&g->edges[w - 1], e);
        if (dup || !has_node(g, e->from) || !has_node(g, e->to)) {
            free(e->from);
            free(e->to);
            continue;
        }
        g->edges[w++] = *e;
    }
    g->ne = w;
}

static void dot_free(dot *g)
{
    for (size_t i = 0; i < g->nn; i++)
        free(g->nodes[i].id);
    for (size_t i = 0; i < g->ne; i++) {
        free(g->edges[i].from);
        free(g->edges[i].to);
    }
    free(g->nodes);
    free(g->edges);
}

/* s as a DOT quoted string. */
static void put_quoted(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* The label of a node: its id without "[root] " and " (expand)". */
static void put_label(FILE *out, const char *id)
{
    size_t n = strlen(id);
    const char *suffix = " (expand)";
    size_t sl = strlen(suffix);
    if (n > sl && !strcmp(id + n - sl, suffix))
        n -= sl;
    if (!strncmp(id, "[root] ", 7))
        id += 7, n -= 7;
    char *label = xstrndup(id, n);
    put_quoted(out, label);
    free(label);
}

static void dot_print(FILE *out, const dot *g)
{
    fputs("digraph {\n\tcompound = \"true\"\n\tnewrank = \"true\"\n\tsubgraph \"root\" {\n", out);
    for (size_t i = 0; i < g->nn; i++) {
        fputs("\t\t", out);
        put_quoted(out, g->nodes[i].id);
        fputs(" [label = ", out);
        put_label(out, g->nodes[i].id);
        fprintf(out, ", shape = \"%s\"]\n", g->nodes[i].shape);
    }
    for (size_t i = 0; i < g->ne; i++) {
        fputs("\t\t", out);
        put_quoted(out, g->edges[i].from);
        fputs(" -> ", out);
        put_quoted(out, g->edges[i].to);
        fputs(g->edges[i].cycle ? " [color = \"red\", penwidth = \"2.0\"]\n" : "\n", out);
    }
    fputs("\t}\n}\n", out);
}

/* ---------------------------------------------------------------- nodes */

static char *res_node(const char *res) { return xasprintf("[root] %s (expand)", res); }
static char *apply_node(const char *addr) { return xasprintf("[root] %s", addr); }
static char *destroy_node(const char *addr) { return xasprintf("[root] %s (destroy)", addr); }

/* A delete is drawn "ADDR (destroy)"; anything else, a replacement too (the
 * scheduler runs it as one step), "ADDR". */
static char *change_node(const plan_change *c)
{
    return c->action == PLAN_DELETE ? destroy_node(c->addr) : apply_node(c->addr);
}

/* The node of a provider configuration, and an edge to it from `from`
 * (consumed). */
static void provider_edge(dot *g, char *from, const char *key)
{
    if (!key || !key[0]) {
        free(from);
        return;
    }
    dot_add_node(g, xasprintf("[root] %s", key), "diamond");
    dot_add_edge(g, from, xasprintf("[root] %s", key), 0);
}

/* -type=plan: resources and what they refer to. */
static void plan_graph(graph_ctx *x)
{
    const plan *p = x->s.p;
    for (size_t i = 0; i < p->n; i++) {
        const plan_change *c = &p->changes[i];
        dot_add_node(&x->g, res_node(c->res_addr), "box");
        provider_edge(&x->g, res_node(c->res_addr), c->provider);
        for (size_t d = 0; d < c->ndeps; d++)
            dot_add_edge(&x->g, res_node(c->res_addr), res_node(c->deps[d]), 0);
    }
}

static int cmp_by_res(const void *a, const void *b)
{
    const plan_change *x = *(const plan_change *const *)a, *y = *(const plan_change *const *)b;
    int c = strcmp(x->res_addr, y->res_addr);
    return c ? c : strcmp(x->addr, y->addr);
}

/* Index of the first change of resource res in x->by_res. */
static size_t first_of(const graph_ctx *x, const char *res)
{
    size_t lo = 0, hi = x->s.p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(x->by_res[mid]->res_addr, res) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Whether c depends on instance dep of resource res: on every instance,
 * unless the planner narrowed c's dependency on res to some of them. */
static int depends_on_instance(const plan_change *c, const char *res, const char *dep)
{
    int narrowed = 0;
    for (size_t i = 0; i < c->nnarrow && !narrowed; i++)
        narrowed = !strcmp(c->narrow[i], res);
    if (!narrowed)
        return 1;
    for (size_t i = 0; i < c->ninst_deps; i++)
        if (!strcmp(c->inst_deps[i], dep))
            return 1;
    return 0;
}

/* Edges from change c to the changes of resource res it depends on, as the
 * apply scheduler orders them (engine/apply.c): what is created, updated,
 * replaced or read waits for the same of its dependencies; a delete waits
 * for nothing it depends on but holds back their deletes and
 * replacements. */
static void instance_edges(graph_ctx *x, const plan_change *c, const char *res)
{
    int c_del = c->action == PLAN_DELETE;
    for (size_t j = first_of(x, res); j < x->s.p->n; j++) {
        const plan_change *d = x->by_res[j];
        if (strcmp(d->res_addr, res) != 0)
            break;
        if (d == c || !depends_on_instance(c, res, d->addr))
            continue;
        int d_del = d->action == PLAN_DELETE;
        if (c_del && (d_del || d->action == PLAN_REPLACE))
            dot_add_edge(&x->g, change_node(d), change_node(c), 0);
        else if (!c_del && !d_del)
            dot_add_edge(&x->g, change_node(c), change_node(d), 0);
    }
}

/* -type=apply and -type=destroy: instances in the order they will run. */
static void apply_graph(graph_ctx *x)
{
    const plan *p = x->s.p;
    x->by_res = xcalloc(p->n + 1, sizeof *x->by_res);
    for (size_t i = 0; i < p->n; i++)
        x->by_res[i] = &p->changes[i];
    qsort(x->by_res, p->n, sizeof *x->by_res, cmp_by_res);
    for (size_t i = 0; i < p->n; i++) {
        const plan_change *c = &p->changes[i];
        dot_add_node(&x->g, change_node(c), "box");
        provider_edge(&x->g, change_node(c), c->provider);
        for (size_t d = 0; d < c->ndeps; d++)
            instance_edges(x, c, c->deps[d]);
    }
}

/* ---------------------------------------------------------------- cycles */

/* Resources are boxes; variables, locals, outputs and module calls notes. */
static const char *cycle_shape(const char *what)
{
    static const char *const kinds[] = {"var", "local", "output", "module"};
    const char *dot = strrchr(what, '.');
    size_t n = dot ? (size_t)(dot - what) : 0;
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        size_t kl = strlen(kinds[k]);
        if (n >= kl && !strncmp(dot - kl, kinds[k], kl) && (n == kl || dot[-1 - (long)kl] == '.'))
            return "note";
    }
    return "box";
}

static void cycle_node(dot *g, const char *what, size_t n)
{
    char *w = xstrndup(what, n);
    dot_add_node(g, res_node(w), cycle_shape(w));
    free(w);
}

/* One "  FILE:L:C: A refers to B" line of a cycle diagnostic. */
static void cycle_line(dot *g, const char *line, size_t len)
{
    static const char sep[] = " refers to ";
    char *l = xstrndup(line, len);
    char *r = strstr(l, sep);
    char *a = NULL;
    for (char *q = l; r && q < r; q++)
        if (q[0] == ':' && q[1] == ' ')
            a = q + 2;
    if (a && r) {
        *r = 0;
        const char *b = r + strlen(sep);
        cycle_node(g, a, strlen(a));
        cycle_node(g, b, strlen(b));
        dot_add_edge(g, res_node(a), res_node(b), 1);
    }
    free(l);
}

/* Add the edges of every "Cycle: ..." diagnostic; how many there were. */
static size_t draw_cycles(graph_ctx *x)
{
    size_t n = 0;
    for (size_t i = 0; i < x->s.d.n; i++) {
        const diag *d = &x->s.d.items[i];
        if (d->sev != DIAG_ERROR || strncmp(d->summary, "Cycle:", 6) != 0 || !d->detail)
            continue;
        n++;
        const char *line = strchr(d->detail, '\n');
        while (line) {
            line++;
            const char *end = strchr(line, '\n');
            cycle_line(&x->g, line, end ? (size_t)(end - line) : strlen(line));
            line = end;
        }
    }
    return n;
}

/* ---------------------------------------------------------------- command */

static int graph_args(graph_ctx *x, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] == '-')
            a++;
        int rc = cli_session_flag(&x->s, argc, argv, &i);
        if (rc < 0)
            return -1;
        if (rc > 0 || !strcmp(a, "-no-color") || !strncmp(a, "-module-depth=", 14))
            continue;
        if (!strcmp(a, "-draw-cycles")) {
            x->draw_cycles = 1;
        } else if (!strncmp(a, "-type=", 6)) {
            const char *t = a + 6;
            if (!strcmp(t, "plan"))
                x->type = GT_PLAN;
            else if (!strcmp(t, "apply"))
                x->type = GT_APPLY;
            else if (!strcmp(t, "destroy") || !strcmp(t, "plan-destroy"))
                x->type = GT_DESTROY;
            else {
                fprintf(stderr, "Error: Invalid graph type requested: %s\n", t);
                return -1;
            }
        } else {
            fprintf(stderr, "Error: %s: %s\n\nUsage: cairn [global options] graph "
                    "[-type=plan|apply|destroy] [-draw-cycles]\n",
                    a[0] == '-' ? "flag provided but not defined" : "unexpected argument", a);
            return -1;
        }
    }
    return 0;
}

static int graph_run(graph_ctx *x)
{
    if (cli_session_load(&x->s) < 0 || cli_session_open(&x->s, "OperationTypePlan") < 0)
        return -1;
    volatile int cancel = 0;
    plan_opts po = {.refresh = 0, .destroy = x->type == GT_DESTROY, .cancel = &cancel};
    int rc = cli_session_plan(&x->s, &po);
    size_t ncycles = x->draw_cycles ? draw_cycles(x) : 0;
    /* With -draw-cycles, a plan that failed only on cycles is still drawn. */
    int drawable = rc == 0 || (ncycles && ncycles == x->s.d.nerrors);
    cli_session_diags(&x->s);
    if (!drawable)
        return -1;
    if (x->type == GT_PLAN)
        plan_graph(x);
    else
        apply_graph(x);
    dot_finish(&x->g);
    dot_print(stdout, &x->g);
    return 0;
}

int cmd_graph(int argc, char **argv)
{
    graph_ctx x = {0};
    cli_session_init(&x.s);
    int rc = graph_args(&x, argc, argv);
    if (rc == 0)
        rc = graph_run(&x);
    dot_free(&x.g);
    free(x.by_res);
    cli_session_free(&x.s);
    return rc < 0 ? 1 : 0;
}
