/*
 * engine/planfile.c — writing, reading and checking saved plans
 * (engine/planfile.h).  The file is built and parsed as a cairn value
 * through lang/val_json.h.
 */
#include "engine/planfile.h"

#include "lang/val_fmt.h"
#include "lang/val_json.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static val str_list(char **v, size_t n)
{
    val t = val_tuple_empty();
    for (size_t i = 0; i < n; i++)
        t = val_tuple_append(t, val_string(v[i]));
    return t;
}

/* A variable's value as -var text: a primitive as its plain text, any
 * other value as JSON (which is also an HCL expression). */
static char *var_text(const char *name, val v)
{
    val plain = val_unmark_deep(val_copy(v));
    char *out = NULL;
    if (val_kind(plain) == VAL_STRING && !val_is_null(plain)) {
        out = xasprintf("var:%s=%s", name, val_get_string(plain));
    } else if ((val_kind(plain) == VAL_NUMBER || val_kind(plain) == VAL_BOOL) &&
               !val_is_null(plain)) {
        char *s = val_fmt(&plain);
        out = xasprintf("var:%s=%s", name, s);
        free(s);
    } else {
        char *js = val_to_json(&plain, NULL);
        out = js ? xasprintf("var:%s=%s", name, js) : NULL;
        free(js);
    }
    val_free(plain);
    return out;
}

static int write_atomic(const char *path, const char *text, size_t len)
{
    char *tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        int rc = err_set(CAIRN_EIO, "creating %s: %s", tmp, strerror(errno));
        free(tmp);
        return rc;
    }
    ssize_t w = write(fd, text, len);
    int ok = w == (ssize_t)len && fsync(fd) == 0;
    close(fd);
    if (!ok || rename(tmp, path) != 0) {
        int rc = err_set(CAIRN_EIO, "writing %s: %s", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return rc;
    }
    free(tmp);
    return 0;
}

int planfile_write(const char *path, const plan *p, const cfg_module *cfg, const val *vars,
                   char **targets, size_t ntargets, char **replace, size_t nreplace)
{
    val o = val_object_empty();
    o = val_object_set(o, "format", val_string("cairn-plan"));
    o = val_object_set(o, "version", val_number(PLANFILE_VERSION));
    o = val_object_set(o, "digest", val_string(p->digest));
    o = val_object_set(o, "lineage", val_string(p->lineage ? p->lineage : ""));
    o = val_object_set(o, "serial", val_number((double)p->serial));
    o = val_object_set(o, "destroy", val_bool(p->destroy));
    o = val_object_set(o, "refresh_only", val_bool(p->refresh_only));
    o = val_object_set(o, "targets", str_list(targets, ntargets));
    o = val_object_set(o, "replace", str_list(replace, nreplace));
    val vs = val_tuple_empty();
    for (size_t i = 0; i < cfg->nvars; i++) {
        char *t = var_text(cfg->vars[i].name, vars[i]);
        if (t)
            vs = val_tuple_append(vs, val_string(t));
        free(t);
    }
    o = val_object_set(o, "variables", vs);
    val ch = val_tuple_empty();
    for (size_t i = 0; i < p->n; i++) {
        val c = val_object_empty();
        c = val_object_set(c, "address", val_string(p->changes[i].addr));
        c = val_object_set(c, "action", val_number(p->changes[i].action));
        ch = val_tuple_append(ch, c);
    }
    o = val_object_set(o, "changes", ch);
    size_t len;
    char *js = val_to_json(&o, &len);
    val_free(o);
    if (!js)
        return err_code() ? err_code() : CAIRN_EINVAL;
    int rc = write_atomic(path, js, len);
    free(js);
    return rc;
}

static char **strings_of(const val *t, size_t *n)
{
    *n = 0;
    if (!t || (val_kind(*t) != VAL_TUPLE && val_kind(*t) != VAL_LIST))
        return NULL;
    char **v = xcalloc(val_len(*t) + 1, sizeof *v);
    for (size_t i = 0; i < val_len(*t); i++)
        if (val_kind(*val_at(*t, i)) == VAL_STRING)
            v[(*n)++] = xstrdup(val_get_string(*val_at(*t, i)));
    return v;
}

static const char *get_str(val o, const char *k)
{
    const val *v = val_lookup(o, k);
    return v && val_kind(*v) == VAL_STRING ? val_get_string(*v) : NULL;
}

int planfile_read(const char *path, planfile **out)
{
    *out = NULL;
    src_file *src = src_load(path);
    if (!src) {
        char why[512];
        snprintf(why, sizeof why, "%s", err_msg());
        return err_set(CAIRN_EIO, "Failed to read plan file %s: %s", path, why);
    }
    val o = val_from_json(src->text, src->len);
    src_free(src);
    if (!val_is_valid(o) || val_kind(o) != VAL_OBJECT || !get_str(o, "format") ||
        strcmp(get_str(o, "format"), "cairn-plan") != 0) {
        val_free(o);
        return err_set(CAIRN_ECORRUPT, "The file %s is not a valid cairn plan file (it is "
                                       "damaged, truncated, or something else).", path);
    }
    const val *ver = val_lookup(o, "version");
    if (!ver || val_kind(*ver) != VAL_NUMBER || val_get_number(*ver) != PLANFILE_VERSION) {
        val_free(o);
        return err_set(CAIRN_EVERSION, "The plan file %s was written by an incompatible "
                                       "version of cairn (plan format %s).", path,
                       ver && val_kind(*ver) == VAL_NUMBER ? "newer or older" : "unknown");
    }
    planfile *f = xcalloc(1, sizeof *f);
    f->digest = xstrdup(get_str(o, "digest") ? get_str(o, "digest") : "");
    f->lineage = xstrdup(get_str(o, "lineage") ? get_str(o, "lineage") : "");
    const val *v = val_lookup(o, "serial");
    f->serial = v && val_kind(*v) == VAL_NUMBER ? (uint64_t)val_get_number(*v) : 0;
    v = val_lookup(o, "destroy");
    f->destroy = v && val_kind(*v) == VAL_BOOL && val_get_bool(*v);
    v = val_lookup(o, "refresh_only");
    f->refresh_only = v && val_kind(*v) == VAL_BOOL && val_get_bool(*v);
    f->targets = strings_of(val_lookup(o, "targets"), &f->ntargets);
    f->replace = strings_of(val_lookup(o, "replace"), &f->nreplace);
    f->vars = strings_of(val_lookup(o, "variables"), &f->nvars);
    const val *ch = val_lookup(o, "changes");
    size_t n = ch && val_kind(*ch) == VAL_TUPLE ? val_len(*ch) : 0;
    f->addrs = xcalloc(n + 1, sizeof *f->addrs);
    f->actions = xcalloc(n + 1, sizeof *f->actions);
    for (size_t i = 0; i < n; i++) {
        val c = *val_at(*ch, i);
        const val *a = val_kind(c) == VAL_OBJECT ? val_lookup(c, "action") : NULL;
        const char *addr = val_kind(c) == VAL_OBJECT ? get_str(c, "address") : NULL;
        if (!addr || !a || val_kind(*a) != VAL_NUMBER)
            continue;
        f->addrs[f->n] = xstrdup(addr);
        f->actions[f->n++] = (int)val_get_number(*a);
    }
    val_free(o);
    *out = f;
    return 0;
}

static void strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void planfile_free(planfile *f)
{
    if (!f)
        return;
    free(f->digest);
    free(f->lineage);
    strv_free(f->targets, f->ntargets);
    strv_free(f->replace, f->nreplace);
    strv_free(f->vars, f->nvars);
    strv_free(f->addrs, f->n);
    free(f->actions);
    free(f);
}

int planfile_check(const planfile *f, const plan *p, diag_list *d)
{
    if (strcmp(f->digest, p->digest) != 0) {
        diag_add(d, DIAG_ERROR, (srange){0}, "Saved plan does not match the configuration",
                 "The configuration has changed since this plan was created. Run \"cairn "
                 "plan\" again.");
        return CAIRN_EDIAG;
    }
    int same = strcmp(f->lineage, p->lineage ? p->lineage : "") == 0 && f->serial == p->serial;
    size_t k = 0;
    for (size_t i = 0; same && i < p->n; i++) {
        if (p->changes[i].action == PLAN_NOOP && !p->changes[i].gone)
            continue;
        while (k < f->n && f->actions[k] == PLAN_NOOP)
            k++;
        same = k < f->n && strcmp(f->addrs[k], p->changes[i].addr) == 0 &&
               f->actions[k] == (int)p->changes[i].action;
        k++;
    }
    while (same && k < f->n && f->actions[k] == PLAN_NOOP)
        k++;
    if (!same || k != f->n) {
        diag_add(d, DIAG_ERROR, (srange){0}, "Saved plan is stale",
                 "The given plan file can no longer be applied because the state was changed "
                 "by another operation after the plan was created (state serial %llu, plan "
                 "made at serial %llu), or the infrastructure changed since. Run \"cairn "
                 "plan\" again.", (unsigned long long)p->serial,
                 (unsigned long long)f->serial);
        return CAIRN_EDIAG;
    }
    return 0;
}
