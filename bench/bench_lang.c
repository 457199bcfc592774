/*
 * bench/bench_lang.c — the language benchmark: parse every file given and
 * evaluate every attribute expression in every body (blocks included),
 * with a scope that resolves every reference (var., local., resources,
 * count., each., ...) as an unknown value of any type, the way a plan
 * meets references to things not yet created.
 *
 * Usage: bench_lang FILE...     (bench/run.sh builds and times it)
 * Like cairn, it runs with the heap on huge pages (engine/heap.h) unless
 * CAIRN_NO_HUGEPAGES is set.
 * Prints one summary line on stderr; exit 1 if a file fails to load or
 * parse.  All trees stay alive until the end, as they would in a plan.
 */
#include "engine/heap.h"
#include "lang/diag.h"
#include "lang/eval.h"
#include "lang/parse.h"
#include "lang/val.h"

#include <stdlib.h>
#include <time.h>

static int unknown_resolve(const eval_ref *ref, val *out, diag_list *diags, void *payload)
{
    (void)ref;
    (void)diags;
    (void)payload;
    *out = val_unknown(ty_any());
    return 0;
}

static void eval_body(eval_ctx *ctx, const ast_body *b, size_t *nattrs)
{
    for (size_t i = 0; i < b->n; i++) {
        if (b->items[i].kind == AST_ITEM_ATTR) {
            val_free(eval_expr(ctx, b->items[i].u.attr->expr));
            (*nattrs)++;
        } else {
            eval_body(ctx, b->items[i].u.block->body, nattrs);
        }
    }
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    heap_on_hugepages(argv);     /* as cairn does (engine/heap.h) */
    int n = argc - 1, rc = 0;
    src_file **srcs = xcalloc((size_t)(n ? n : 1), sizeof *srcs);
    ast_file **trees = xcalloc((size_t)(n ? n : 1), sizeof *trees);
    diag_list diags = {0}, evdiags = {0};
    size_t bytes = 0, nattrs = 0;
    double t0 = now(), t1, t2;
    for (int i = 0; i < n && rc == 0; i++) {
        srcs[i] = src_load(argv[i + 1]);
        if (!srcs[i]) {
            fprintf(stderr, "bench_lang: %s\n", err_msg());
            rc = 1;
            break;
        }
        bytes += srcs[i]->len;
        trees[i] = parse_config(srcs[i], &diags);
        if (!trees[i] || diag_has_errors(&diags)) {
            diag_print_all(stderr, &diags, 0);
            rc = 1;
        }
    }
    t1 = now();
    for (int i = 0; i < n && rc == 0; i++) {
        eval_ctx ctx;
        eval_ctx_init(&ctx, &evdiags);
        ctx.resolve = unknown_resolve;
        eval_body(&ctx, trees[i]->body, &nattrs);
    }
    t2 = now();
    if (rc == 0)
        fprintf(stderr, "bench_lang: %d files, %zu bytes, parse %.3f s, eval %.3f s, "
                        "%zu attributes, %zu evaluation errors\n",
                n, bytes, t1 - t0, t2 - t1, nattrs, evdiags.nerrors);
    if (evdiags.nerrors && getenv("BENCH_SHOW_ERRORS"))
        diag_print_all(stderr, &evdiags, 0);
    for (int i = 0; i < n; i++) {
        ast_file_free(trees[i]);
        src_free(srcs[i]);
    }
    free(trees);
    free(srcs);
    diag_list_free(&diags);
    diag_list_free(&evdiags);
    return rc;
}
