/*
 * engine/cmd_run.c — `cairn plan`, `cairn apply` and `cairn destroy`: the
 * shared sequence of the three verbs.
 *
 *   load configuration -> input variables -> open state -> lock ->
 *   plan (reconcile intents, refresh, compare) -> show ->
 *   [plan -out: save] [apply: confirm, run, outputs] -> unlock
 *
 * Flags as Terraform's: -var, -var-file, -target, -replace, -refresh=false,
 * -refresh-only, -destroy, -out, -parallelism, -lock, -lock-timeout,
 * -input, -auto-approve, -detailed-exitcode, -no-color, -state-dir (cairn:
 * where the store lives; default .cairn).  `apply FILE` applies a saved
 * plan (engine/planfile.c).  For review (docs/review.md): plan -json
 * streams Terraform's machine-readable UI on stdout instead of the text
 * (diagnostics included); plan -markdown=FILE also writes the plan as a
 * pull-request comment of at most -max-chars characters;
 * -show-sensitive prints sensitive values in clear, after saying so on
 * stderr.
 *
 * Exit status: 0 success; 1 error; plan -detailed-exitcode: 0 no changes,
 * 1 error, 2 changes (as Terraform's).
 *
 * Signals: the first SIGINT/SIGTERM stops scheduling (in-flight changes
 * finish and are recorded, the lock is released, exit 1); the second also
 * cancels waits, leaving intents for the next plan to reconcile.
 */
#include "engine/apply.h"
#include "engine/cli.h"
#include "engine/markdown.h"
#include "engine/plan.h"
#include "engine/plan_json.h"
#include "engine/planfile.h"
#include "engine/render.h"
#include "engine/vars.h"
#include "engine/version.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum verb { VERB_PLAN, VERB_APPLY, VERB_DESTROY };

/* The process-wide signal flags (the only globals of the apply path). */
static volatile int g_stop, g_cancel;

static void on_signal(int sig)
{
    (void)sig;
    if (g_stop) {
        g_cancel = 1;
        return;
    }
    g_stop = 1;
    static const char msg[] = "\nInterrupt received.\nPlease wait for cairn to exit or data "
                              "loss may occur.\nGracefully shutting down...\n";
    ssize_t w = write(2, msg, sizeof msg - 1);
    (void)w;
}

typedef struct run_opts {
    enum verb verb;
    char **ordered;           /* "var:..." / "file:..." */
    size_t nordered;
    char **targets, **replace;
    size_t ntargets, nreplace;
    int refresh, refresh_only, destroy, lock, input, auto_approve, detailed;
    int json, show_sensitive;
    size_t max_chars;           /* plan -max-chars (0: the default) */
    const char *markdown;       /* plan -markdown=FILE */
    int parallelism;
    int64_t lock_timeout_ms;
    const char *out;          /* plan -out */
    const char *planfile;     /* apply FILE */
    const char *state_dir;
} run_opts;

static void push(char ***v, size_t *n, char *s)
{
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = s;
}

/* "30s", "2m", "500ms", "0" -> milliseconds; -1 when it does not parse. */
static int64_t parse_duration(const char *s)
{
    char *end;
    double x = strtod(s, &end);
    if (end == s || x < 0)
        return -1;
    if (!strcmp(end, "ms"))
        return (int64_t)x;
    if (!strcmp(end, "s") || (!*end && x == 0))
        return (int64_t)(x * 1000);
    if (!strcmp(end, "m"))
        return (int64_t)(x * 60000);
    if (!strcmp(end, "h"))
        return (int64_t)(x * 3600000);
    return -1;
}

static int bool_flag(const char *v, int *out)
{
    if (!v || !strcmp(v, "true") || !strcmp(v, "1"))
        *out = 1;
    else if (!strcmp(v, "false") || !strcmp(v, "0"))
        *out = 0;
    else
        return -1;
    return 0;
}

/* -max-chars=N: MARKDOWN_MIN_MAX_CHARS .. 1 GiB. */
static int parse_max_chars(const char *v, size_t *out)
{
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    if (end == v || *end || n < MARKDOWN_MIN_MAX_CHARS || n > (1ull << 30))
        return -1;
    *out = (size_t)n;
    return 0;
}

static int parse_args(run_opts *o, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (a[0] != '-') {
            if (o->verb == VERB_APPLY && !o->planfile) {
                o->planfile = a;
                continue;
            }
            fprintf(stderr, "Error: Too many command line arguments: %s\n", a);
            return -1;
        }
        if (a[1] == '-')
            a++;
        char *eq = strchr(a, '=');
        char name[64];
        size_t nl = eq ? (size_t)(eq - a) : strlen(a);
        if (nl >= sizeof name)
            nl = sizeof name - 1;
        memcpy(name, a, nl);
        name[nl] = 0;
        const char *v = eq ? eq + 1 : NULL;
        int needs = !strcmp(name, "-var") || !strcmp(name, "-var-file") ||
                    !strcmp(name, "-target") || !strcmp(name, "-replace") ||
                    !strcmp(name, "-out") || !strcmp(name, "-parallelism") ||
                    !strcmp(name, "-lock-timeout") || !strcmp(name, "-state-dir") ||
                    !strcmp(name, "-markdown") || !strcmp(name, "-max-chars");
        if (needs && !v) {
            if (i + 1 >= argc) {
                fprintf(stderr, "Error: flag needs an argument: %s\n", name);
                return -1;
            }
            v = argv[++i];
        }
        int bad = 0;
        if (!strcmp(name, "-var"))
            push(&o->ordered, &o->nordered, xasprintf("var:%s", v));
        else if (!strcmp(name, "-var-file"))
            push(&o->ordered, &o->nordered, xasprintf("file:%s", v));
        else if (!strcmp(name, "-target"))
            push(&o->targets, &o->ntargets, xstrdup(v));
        else if (!strcmp(name, "-replace"))
            push(&o->replace, &o->nreplace, xstrdup(v));
        else if (!strcmp(name, "-out") && o->verb == VERB_PLAN)
            o->out = v;
        else if (!strcmp(name, "-state-dir"))
            o->state_dir = v;
        else if (!strcmp(name, "-parallelism"))
            bad = (o->parallelism = atoi(v)) < 1;
        else if (!strcmp(name, "-lock-timeout"))
            bad = (o->lock_timeout_ms = parse_duration(v)) < 0;
        else if (!strcmp(name, "-refresh"))
            bad = bool_flag(v, &o->refresh);
        else if (!strcmp(name, "-refresh-only"))
            bad = bool_flag(v, &o->refresh_only);
        else if (!strcmp(name, "-destroy") && o->verb != VERB_DESTROY)
            bad = bool_flag(v, &o->destroy);
        else if (!strcmp(name, "-lock"))
            bad = bool_flag(v, &o->lock);
        else if (!strcmp(name, "-input"))
            bad = bool_flag(v, &o->input);
        else if (!strcmp(name, "-auto-approve") && o->verb != VERB_PLAN)
            bad = bool_flag(v, &o->auto_approve);
        else if (!strcmp(name, "-detailed-exitcode") && o->verb == VERB_PLAN)
            bad = bool_flag(v, &o->detailed);
        else if (!strcmp(name, "-json") && o->verb == VERB_PLAN)
            bad = bool_flag(v, &o->json);
        else if (!strcmp(name, "-markdown") && o->verb == VERB_PLAN)
            o->markdown = v;
        else if (!strcmp(name, "-max-chars") && o->verb == VERB_PLAN)
            bad = parse_max_chars(v, &o->max_chars);
        else if (!strcmp(name, "-show-sensitive"))
            bad = bool_flag(v, &o->show_sensitive);
        else if (!strcmp(name, "-no-color") || !strcmp(name, "-compact-warnings"))
            ;
        else {
            fprintf(stderr, "Error: flag provided but not defined: %s\n", name);
            return -1;
        }
        if (bad) {
            fprintf(stderr, "Error: invalid value \"%s\" for flag %s\n", v ? v : "", name);
            return -1;
        }
    }
    return 0;
}

static void free_opts(run_opts *o)
{
    for (size_t i = 0; i < o->nordered; i++)
        free(o->ordered[i]);
    for (size_t i = 0; i < o->ntargets; i++)
        free(o->targets[i]);
    for (size_t i = 0; i < o->nreplace; i++)
        free(o->replace[i]);
    free(o->ordered);
    free(o->targets);
    free(o->replace);
}

/* Ask for "yes" on a terminal; -auto-approve skips it. */
static int confirm(const run_opts *o, const plan *p)
{
    if (o->auto_approve)
        return 1;
    if (!isatty(0) || !o->input) {
        fprintf(stderr, "\nError: No confirmation\n\ncairn %s needs -auto-approve when it is "
                        "not run from a terminal.\n",
                o->verb == VERB_DESTROY ? "destroy" : "apply");
        return 0;
    }
    printf("\n%s\n  cairn will perform the actions described above.\n"
           "  Only 'yes' will be accepted to approve.\n\n  Enter a value: ",
           p->destroy ? "Do you really want to destroy all resources?"
                      : "Do you want to perform these actions?");
    fflush(stdout);
    char line[64];
    if (!fgets(line, sizeof line, stdin))
        return 0;
    line[strcspn(line, "\r\n")] = 0;
    if (strcmp(line, "yes") != 0) {
        fprintf(stderr, "\nError: %s cancelled.\n", p->destroy ? "Destroy" : "Apply");
        return 0;
    }
    return 1;
}

typedef struct run_ctx {
    run_opts o;
    diag_list d;
    vars_srcs srcs;
    cfg_module *cfg;
    val *vars;
    state_env *env;
    state_lock *lock;
    plugin_registry *reg;
    plan_providers *pp;
    plan *p;
    planfile *pf;
} run_ctx;

static int open_state(run_ctx *r)
{
    int rc = state_open(&r->env, r->o.state_dir, STATE_CREATE);
    if (rc < 0) {
        fprintf(stderr, "Error: Failed to open state: %s\n", err_msg());
        return rc;
    }
    if (!r->o.lock) {
        fprintf(stderr, "Warning: -lock=false: cairn will not lock the state; concurrent "
                        "runs can corrupt what it records.\n");
        return 0;
    }
    state_lock_info holder = {0};
    rc = state_lock_acquire(&r->lock, r->env,
                            r->o.verb == VERB_PLAN ? "OperationTypePlan"
                                                   : "OperationTypeApply",
                            r->o.lock_timeout_ms, &holder);
    if (rc < 0)
        fprintf(stderr, "Error: Error acquiring the state lock\n\n%s\n", err_msg());
    return rc;
}

static void print_diags(run_ctx *r)
{
    if (r->d.n && r->o.json)
        plan_ui_diags(stdout, &r->d);
    else if (r->d.n)
        diag_print_all(stderr, &r->d, cli_use_color(stderr));
    diag_list_free(&r->d);
    memset(&r->d, 0, sizeof r->d);
}

static int do_apply(run_ctx *r, int color)
{
    apply_opts ao = {.p = r->p, .cfg = r->cfg, .vars = r->vars, .providers = r->pp,
                     .env = r->env, .parallelism = r->o.parallelism, .stop = &g_stop,
                     .cancel = &g_cancel, .out = stdout, .color = color};
    apply_result res;
    int rc = apply_run(&ao, &res, &r->d);
    int out_rc = 0;
    if (rc == 0 && !r->p->refresh_only)
        out_rc = apply_outputs(&(apply_opts){.p = r->p, .cfg = r->cfg, .vars = r->vars,
                                             .providers = r->pp, .env = r->env, .out = NULL},
                               &r->d);
    print_diags(r);
    if (rc == 0 && out_rc == 0) {
        if (r->p->destroy)
            printf("\n%sDestroy complete! Resources: %d destroyed.%s\n",
                   color ? "\033[1;32m" : "", res.destroyed, color ? "\033[0m" : "");
        else
            printf("\n%sApply complete! Resources: %d added, %d changed, %d destroyed.%s\n",
                   color ? "\033[1;32m" : "", res.added, res.changed, res.destroyed,
                   color ? "\033[0m" : "");
        if (!r->p->destroy && !r->p->refresh_only)
            apply_outputs(&(apply_opts){.p = r->p, .cfg = r->cfg, .vars = r->vars,
                                        .providers = r->pp, .env = r->env, .out = stdout},
                          &r->d);
        print_diags(r);
        return 0;
    }
    if (rc == CAIRN_ECANCEL)
        fprintf(stderr, "\nError: Operation interrupted: %d added, %d changed, %d destroyed "
                        "before it stopped.\n", res.added, res.changed, res.destroyed);
    return 1;
}

/* The plan text, sensitive values in clear with -show-sensitive. */
static void show_plan_text(run_ctx *r, int color)
{
    plan *shown = r->o.show_sensitive ? render_reveal(r->p) : NULL;
    render_plan(stdout, shown ? shown : r->p, color);
    render_reveal_free(shown);
}

/* plan -markdown=FILE: the comment, written whole or not at all. */
static int write_markdown(run_ctx *r)
{
    md_opts mo = {.max_chars = r->o.max_chars, .show_sensitive = r->o.show_sensitive};
    char *md = markdown_plan(r->p, &mo);
    char *tmp = xasprintf("%s.tmp%ld", r->o.markdown, (long)getpid());
    FILE *f = md ? fopen(tmp, "w") : NULL;
    int ok = f && fputs(md, f) >= 0;
    ok = f && fclose(f) == 0 && ok;
    if (ok && rename(tmp, r->o.markdown) != 0)
        ok = 0;
    if (!ok) {
        fprintf(stderr, "Error: Failed to write the Markdown comment to %s: %s\n",
                r->o.markdown, md ? strerror(errno) : "out of memory");
        unlink(tmp);
    }
    free(tmp);
    free(md);
    return ok ? 0 : -1;
}

static int run(run_ctx *r)
{
    int color = cli_use_color(stdout);
    r->cfg = cfg_load(".", &r->d);
    if (!r->cfg || diag_has_errors(&r->d) || version_check_tree(r->cfg, &r->d) < 0)
        return 1;
    if (r->o.planfile) {
        if (planfile_read(r->o.planfile, &r->pf) < 0) {
            fprintf(stderr, "Error: Failed to load plan file\n\n%s\n", err_msg());
            return 1;
        }
        /* The saved plan's inputs replace the command line's. */
        for (size_t i = 0; i < r->o.nordered; i++)
            free(r->o.ordered[i]);
        r->o.nordered = 0;
        for (size_t i = 0; i < r->pf->nvars; i++)
            push(&r->o.ordered, &r->o.nordered, xstrdup(r->pf->vars[i]));
        for (size_t i = 0; i < r->pf->ntargets; i++)
            push(&r->o.targets, &r->o.ntargets, xstrdup(r->pf->targets[i]));
        for (size_t i = 0; i < r->pf->nreplace; i++)
            push(&r->o.replace, &r->o.nreplace, xstrdup(r->pf->replace[i]));
        r->o.destroy = r->pf->destroy;
        r->o.refresh_only = r->pf->refresh_only;
    }
    vars_opts vo = {.ordered = r->o.ordered, .nordered = r->o.nordered,
                    .interactive = r->o.input && !r->o.planfile, .srcs = &r->srcs};
    r->vars = vars_collect(r->cfg, &vo, &r->d);
    if (!r->vars)
        return 1;
    if (open_state(r) < 0)
        return 1;
    r->reg = plugin_registry_new();
    r->pp = plan_providers_new(r->reg);
    plan_opts po = {.cfg = r->cfg, .vars = r->vars, .plugins = r->reg, .env = r->env,
                    .refresh = r->o.refresh, .refresh_only = r->o.refresh_only,
                    .destroy = r->o.destroy || r->o.verb == VERB_DESTROY,
                    .targets = r->o.targets, .ntargets = r->o.ntargets,
                    .replace = r->o.replace, .nreplace = r->o.nreplace, .cancel = &g_cancel};
    int rc = plan_make(&r->p, &po, r->pp, &r->d);
    if (rc < 0)
        return 1;
    if (r->pf && planfile_check(r->pf, r->p, &r->d) < 0)
        return 1;
    print_diags(r);
    if (r->o.json)
        plan_ui_plan(stdout, r->p);
    else if (!r->o.planfile)
        show_plan_text(r, color);
    if (r->o.markdown && write_markdown(r) < 0)
        return 1;
    if (r->o.verb == VERB_PLAN) {
        if (r->o.out && planfile_write(r->o.out, r->p, r->cfg, r->vars, r->o.targets,
                                       r->o.ntargets, r->o.replace, r->o.nreplace) < 0) {
            fprintf(stderr, "Error: Failed to write plan file: %s\n", err_msg());
            return 1;
        }
        if (r->o.out && !r->o.json)
            printf("\nSaved the plan to: %s\n\nTo perform exactly these actions, run the "
                   "following command to apply:\n    cairn apply \"%s\"\n", r->o.out, r->o.out);
        return r->o.detailed && plan_has_changes(r->p) ? 2 : 0;
    }
    if (!plan_has_changes(r->p) && !r->p->refresh_only) {
        /* Still record what refresh found (objects deleted outside). */
        return do_apply(r, color);
    }
    if (!r->o.planfile && !confirm(&r->o, r->p))
        return 1;
    return do_apply(r, color);
}

static int run_verb(enum verb verb, int argc, char **argv)
{
    run_ctx r = {0};
    r.o = (run_opts){.verb = verb, .refresh = 1, .lock = 1, .input = 1, .parallelism = 10};
    if (parse_args(&r.o, argc, argv) < 0) {
        free_opts(&r.o);
        return 1;
    }
    if (r.o.json) {
        r.o.input = 0;      /* as Terraform: -json implies -input=false */
        plan_ui_version(stdout);
    }
    if (r.o.show_sensitive)
        fputs("Warning: -show-sensitive: sensitive values are shown in clear in this "
              "output.\n", stderr);
    if (r.o.verb == VERB_DESTROY)
        r.o.destroy = 1;
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    int status = run(&r);
    print_diags(&r);
    plan_free(r.p);
    planfile_free(r.pf);
    plan_providers_free(r.pp);
    plugin_registry_free(r.reg);
    if (r.lock)
        state_lock_release(r.lock);
    state_close(r.env);
    if (r.vars)
        vars_free(r.vars, r.cfg->nvars);
    cfg_free(r.cfg);
    vars_srcs_free(&r.srcs);
    free_opts(&r.o);
    if (g_stop && status == 0)
        status = 1;
    return status;
}

int cmd_plan(int argc, char **argv) { return run_verb(VERB_PLAN, argc, argv); }
int cmd_apply(int argc, char **argv) { return run_verb(VERB_APPLY, argc, argv); }
int cmd_destroy(int argc, char **argv) { return run_verb(VERB_DESTROY, argc, argv); }
