/* Unit tests for engine/render.c: plans printed as `terraform plan` prints
 * them (Terraform 1.5+ layout, "Terraform" read as "cairn"). */
#include "engine/render.h"
#include "tests/unit/harness.h"

#include <stdarg.h>
#include <stdlib.h>

/* ---------------------------------------------------------------- builders */

/* An object from n (name, val) pairs. */
static val obj(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    val o = val_object_empty();
    for (int i = 0; i < n; i++) {
        const char *k = va_arg(ap, const char *);
        o = val_object_set(o, k, va_arg(ap, val));
    }
    va_end(ap);
    return o;
}

/* A map of strings from n (key, value) pairs. */
static val smap(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    val m = val_map_empty(ty_string());
    for (int i = 0; i < n; i++) {
        const char *k = va_arg(ap, const char *);
        m = val_map_set(m, k, val_string(va_arg(ap, const char *)));
    }
    va_end(ap);
    return m;
}

/* A list (set when set) of n strings. */
static val strs(int set, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    val l = set ? val_set_empty(ty_string()) : val_list_empty(ty_string());
    for (int i = 0; i < n; i++) {
        val s = val_string(va_arg(ap, const char *));
        l = set ? val_set_add(l, s) : val_list_append(l, s);
    }
    va_end(ap);
    return l;
}

static val unknown_str(void)
{
    return val_unknown(ty_string());
}

static plan *new_plan(size_t n)
{
    plan *p = xcalloc(1, sizeof *p);
    p->changes = xcalloc(n + 1, sizeof *p->changes);
    p->n = n;
    for (size_t i = 0; i < n; i++) {
        p->changes[i].prior = val_null();
        p->changes[i].planned = val_null();
        p->changes[i].applied = val_invalid();
    }
    return p;
}

/* Fill change i; prior and planned are consumed. */
static plan_change *set_change(plan *p, size_t i, const char *addr, const char *type,
                               enum plan_action a, val prior, val planned)
{
    plan_change *c = &p->changes[i];
    c->addr = xstrdup(addr);
    c->type = xstrdup(type);
    c->action = a;
    val_free(c->prior);
    val_free(c->planned);
    c->prior = prior;
    c->planned = planned;
    return c;
}

static void add_replace_path(plan_change *c, const char *path)
{
    c->replace_paths = xrealloc(c->replace_paths, (c->nreplace + 1) * sizeof *c->replace_paths);
    c->replace_paths[c->nreplace++] = xstrdup(path);
}

/* Add an output; value consumed. */
static void add_output(plan *p, const char *name, val v, int sensitive, int changed, int deleted)
{
    p->outputs = xrealloc(p->outputs, (p->noutputs + 1) * sizeof *p->outputs);
    p->outputs[p->noutputs++] = (plan_output){.name = xstrdup(name), .value = v,
                                              .prior = val_invalid(), .sensitive = sensitive,
                                              .changed = changed, .deleted = deleted};
}

__attribute__((noinline)) static char *render(const plan *p, int color)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    render_plan(f, p, color);
    fclose(f);
    return s;
}

/* Print both texts line by line where they differ (CHECK_STR shows them
 * on one line, which is hard to read for a plan). */
static void show_diff(const char *got, const char *want)
{
    printf("# --- got:\n%s# --- want:\n%s# ---\n", got, want);
}

#define CHECK_PLAN(p, color, want) do {                                    \
        char *got_ = render(p, color);                                    \
        if (strcmp(got_, want) != 0)                                      \
            show_diff(got_, want);                                        \
        CHECK_STR(got_, want);                                            \
        free(got_);                                                       \
    } while (0)

static const char LEGEND[] =
    "\ncairn used the selected providers to generate the following execution\n"
    "plan. Resource actions are indicated with the following symbols:\n";
static const char ACTIONS[] = "\ncairn will perform the following actions:\n";

/* Check a plan that has actions (the legend's symbol lines, then all from
 * the first change on) and free it. */
#define CHECK_ACTIONS(p, legend, rest) do {                                \
        char *w_ = xasprintf("%s%s%s%s", LEGEND, legend, ACTIONS, rest);  \
        CHECK_PLAN(p, 0, w_);                                             \
        free(w_);                                                         \
        plan_free(p);                                                     \
    } while (0)

/* ---------------------------------------------------------------- whole plans */

TEST(render_no_changes)
{
    plan *p = new_plan(0);
    CHECK_PLAN(p, 0,
               "\nNo changes. Your infrastructure matches the configuration.\n\n"
               "cairn has compared your real infrastructure against your configuration\n"
               "and found no differences, so no changes are needed.\n");
    plan_free(p);
}

TEST(render_no_changes_hides_noops)
{
    plan *p = new_plan(1);
    set_change(p, 0, "aws_x.a", "aws_x", PLAN_NOOP, obj(1, "id", val_string("1")),
               obj(1, "id", val_string("1")));
    p->destroy = 1;
    CHECK_PLAN(p, 0,
               "\nNo changes. No objects need to be destroyed.\n\n"
               "Either you have not created any objects yet or the existing objects were\n"
               "already deleted outside of cairn.\n");
    p->destroy = 0;
    p->refresh_only = 1;
    CHECK_PLAN(p, 0,
               "\nNo changes. Your infrastructure still matches the configuration.\n\n"
               "cairn has checked that the real remote objects still match the result of\n"
               "your most recent changes, and found no differences.\n");
    plan_free(p);
}

static val ebs(double size, const char *type)
{
    val l = val_list_empty(ty_any());
    return val_list_append(l, obj(2, "size", val_number(size), "type", val_string(type)));
}

TEST(render_create)
{
    plan *p = new_plan(1);
    val planned = obj(11, "ami", val_string("ami-123"), "arn", unknown_str(), "enabled",
                      val_bool(1), "password", val_mark(val_string("x"), VAL_MARK_SENSITIVE),
                      "port", val_number(8080), "security_groups", strs(0, 2, "a", "b"),
                      "tags", smap(1, "Name", "web"), "gone", val_null_of(ty_string()),
                      "blank", val_string(""), "ratio", val_number(0.5),
                      "ebs_block_device", ebs(8, "gp2"));
    set_change(p, 0, "aws_instance.web", "aws_instance", PLAN_CREATE, val_null(), planned);
    p->nadd = 1;
    CHECK_ACTIONS(p, "  + create\n",
                  "\n"
                  "  # aws_instance.web will be created\n"
                  "  + resource \"aws_instance\" \"web\" {\n"
                  "      + ami             = \"ami-123\"\n"
                  "      + arn             = (known after apply)\n"
                  "      + enabled         = true\n"
                  "      + password        = (sensitive value)\n"
                  "      + port            = 8080\n"
                  "      + ratio           = 0.5\n"
                  "      + security_groups = [\n"
                  "          + \"a\",\n"
                  "          + \"b\",\n"
                  "        ]\n"
                  "      + tags            = {\n"
                  "          + \"Name\" = \"web\"\n"
                  "        }\n"
                  "\n"
                  "      + ebs_block_device {\n"
                  "          + size = 8\n"
                  "          + type = \"gp2\"\n"
                  "        }\n"
                  "    }\n"
                  "\nPlan: 1 to add, 0 to change, 0 to destroy.\n");
}

static val instance(const char *type)
{
    return obj(5, "id", val_string("i-1"), "ami", val_string("a"), "instance_type",
               val_string(type), "tags", smap(1, "Name", "web"), "monitoring", val_bool(0));
}

TEST(render_update_hides_unchanged)
{
    plan *p = new_plan(1);
    set_change(p, 0, "aws_instance.web", "aws_instance", PLAN_UPDATE, instance("t2.micro"),
               instance("t2.small"));
    p->nchange = 1;
    CHECK_ACTIONS(p, "  ~ update in-place\n",
                  "\n"
                  "  # aws_instance.web will be updated in-place\n"
                  "  ~ resource \"aws_instance\" \"web\" {\n"
                  "        id            = \"i-1\"\n"
                  "      ~ instance_type = \"t2.micro\" -> \"t2.small\"\n"
                  "        tags          = {\n"
                  "            \"Name\" = \"web\"\n"
                  "        }\n"
                  "        # (2 unchanged attributes hidden)\n"
                  "    }\n"
                  "\nPlan: 0 to add, 1 to change, 0 to destroy.\n");
}

TEST(render_replace_forces)
{
    plan *p = new_plan(1);
    plan_change *c = set_change(
        p, 0, "aws_instance.web", "aws_instance", PLAN_REPLACE,
        obj(3, "id", val_string("i-1"), "ami", val_string("a"), "name", val_string("x")),
        obj(3, "id", unknown_str(), "ami", val_string("b"), "name", val_string("x")));
    add_replace_path(c, "ami");
    p->nadd = p->ndestroy = 1;
    CHECK_ACTIONS(p, "-/+ destroy and then create replacement\n",
                  "\n"
                  "  # aws_instance.web must be replaced\n"
                  "-/+ resource \"aws_instance\" \"web\" {\n"
                  "      ~ ami  = \"a\" -> \"b\" # forces replacement\n"
                  "      ~ id   = \"i-1\" -> (known after apply)\n"
                  "        name = \"x\"\n"
                  "    }\n"
                  "\nPlan: 1 to add, 0 to change, 1 to destroy.\n");
}

TEST(render_replace_reasons)
{
    plan *p = new_plan(2);
    plan_change *c = set_change(p, 0, "aws_x.a", "aws_x", PLAN_REPLACE_CBD,
                                obj(1, "v", val_string("1")), obj(1, "v", val_string("1")));
    c->reason = xstrdup("as requested");
    c = set_change(p, 1, "aws_x.b", "aws_x", PLAN_REPLACE, obj(1, "v", val_string("1")),
                   obj(1, "v", val_string("1")));
    c->reason = xstrdup("due to replace_triggered_by");
    p->nadd = p->ndestroy = 2;
    CHECK_ACTIONS(p,
                  "-/+ destroy and then create replacement\n"
                  "+/- create replacement and then destroy\n",
                  "\n"
                  "  # aws_x.a will be replaced, as requested\n"
                  "+/- resource \"aws_x\" \"a\" {\n"
                  "        # (1 unchanged attribute hidden)\n"
                  "    }\n\n"
                  "  # aws_x.b will be replaced due to changes in replace_triggered_by\n"
                  "-/+ resource \"aws_x\" \"b\" {\n"
                  "        # (1 unchanged attribute hidden)\n"
                  "    }\n"
                  "\nPlan: 2 to add, 0 to change, 2 to destroy.\n");
}

TEST(render_delete_with_reason)
{
    plan *p = new_plan(2);
    plan_change *c = set_change(
        p, 0, "module.m[\"a.b\"].aws_instance.old[0]", "aws_instance", PLAN_DELETE,
        obj(3, "id", val_string("i-9"), "ami", val_string("a"), "tags",
            val_map_empty(ty_string())),
        val_null());
    c->reason = xstrdup("because it is not in configuration");
    /* Deleted data sources are not shown. */
    c = set_change(p, 1, "data.aws_ami.x", "aws_ami", PLAN_DELETE, obj(1, "id", val_string("1")),
                   val_null());
    c->data = 1;
    p->ndestroy = 1;
    CHECK_ACTIONS(p, "  - destroy\n",
                  "\n"
                  "  # module.m[\"a.b\"].aws_instance.old[0] will be destroyed\n"
                  "  # (because aws_instance.old is not in configuration)\n"
                  "  - resource \"aws_instance\" \"old\" {\n"
                  "      - ami  = \"a\" -> null\n"
                  "      - id   = \"i-9\" -> null\n"
                  "      - tags = {} -> null\n"
                  "    }\n"
                  "\nPlan: 0 to add, 0 to change, 1 to destroy.\n");
}

TEST(render_data_read)
{
    plan *p = new_plan(1);
    plan_change *c = set_change(
        p, 0, "data.aws_ami.x", "aws_ami", PLAN_READ, val_null(),
        obj(3, "id", unknown_str(), "most_recent", val_bool(1), "owners", strs(0, 1, "self")));
    c->data = 1;
    CHECK_ACTIONS(p, " <= read (data resources)\n",
                  "\n"
                  "  # data.aws_ami.x will be read during apply\n"
                  "  # (config refers to values not yet known)\n"
                  " <= data \"aws_ami\" \"x\" {\n"
                  "      + id          = (known after apply)\n"
                  "      + most_recent = true\n"
                  "      + owners      = [\n"
                  "          + \"self\",\n"
                  "        ]\n"
                  "    }\n"
                  "\nPlan: 0 to add, 0 to change, 0 to destroy.\n");
}

TEST(render_moved)
{
    plan *p = new_plan(2);
    plan_change *c = set_change(p, 0, "aws_x.b", "aws_x", PLAN_NOOP,
                                obj(2, "id", val_string("1"), "v", val_string("x")),
                                obj(2, "id", val_string("1"), "v", val_string("x")));
    c->moved_from = xstrdup("aws_x.a");
    c = set_change(p, 1, "aws_x.d", "aws_x", PLAN_UPDATE, obj(1, "v", val_string("x")),
                   obj(1, "v", val_string("y")));
    c->moved_from = xstrdup("aws_x.c");
    p->nchange = 1;
    CHECK_ACTIONS(p, "  ~ update in-place\n",
                  "\n"
                  "  # aws_x.a has moved to aws_x.b\n"
                  "    resource \"aws_x\" \"b\" {\n"
                  "        id = \"1\"\n"
                  "        # (1 unchanged attribute hidden)\n"
                  "    }\n\n"
                  "  # aws_x.d will be updated in-place\n"
                  "  # (moved from aws_x.c)\n"
                  "  ~ resource \"aws_x\" \"d\" {\n"
                  "      ~ v = \"x\" -> \"y\"\n"
                  "    }\n"
                  "\nPlan: 0 to add, 1 to change, 0 to destroy.\n");
}

TEST(render_outputs)
{
    plan *p = new_plan(1);
    set_change(p, 0, "aws_x.a", "aws_x", PLAN_CREATE, val_null(), obj(1, "v", val_string("1")));
    p->nadd = 1;
    val names = val_tuple_append(val_tuple_append(val_tuple_empty(), val_string("a")),
                                 val_string("b"));
    add_output(p, "names", names, 0, 1, 0);
    add_output(p, "ip", unknown_str(), 0, 1, 0);
    add_output(p, "secret", val_string("s"), 1, 1, 0);
    add_output(p, "old", val_string("x"), 0, 0, 1);
    add_output(p, "same_value", val_number(1), 0, 0, 0);
    add_output(p, "tags", smap(2, "Name", "web", "long key", "v"), 0, 1, 0);
    CHECK_ACTIONS(p, "  + create\n",
                  "\n"
                  "  # aws_x.a will be created\n"
                  "  + resource \"aws_x\" \"a\" {\n"
                  "      + v = \"1\"\n"
                  "    }\n"
                  "\nPlan: 1 to add, 0 to change, 0 to destroy.\n"
                  "\nChanges to Outputs:\n"
                  "  + ip         = (known after apply)\n"
                  "  + names      = [\n"
                  "      + \"a\",\n"
                  "      + \"b\",\n"
                  "    ]\n"
                  "  - old        = \"x\" -> null\n"
                  "  + secret     = (sensitive value)\n"
                  "  + tags       = {\n"
                  "      + Name       = \"web\"\n"
                  "      + \"long key\" = \"v\"\n"
                  "    }\n");
}

TEST(render_outputs_only)
{
    plan *p = new_plan(0);
    add_output(p, "ip", val_number(1), 0, 1, 0);
    CHECK_PLAN(p, 0,
               "\nChanges to Outputs:\n"
               "  + ip = 1\n"
               "\nYou can apply this plan to save these new output values to the cairn\n"
               "state, without changing any real infrastructure.\n");
    plan_free(p);
}

TEST(render_notes_and_rule)
{
    plan *p = new_plan(1);
    set_change(p, 0, "aws_x.a", "aws_x", PLAN_CREATE, val_null(), obj(1, "v", val_string("1")));
    p->nadd = 1;
    p->notes = xcalloc(1, sizeof *p->notes);
    p->notes[p->nnotes++] = xstrdup("  # aws_x.b was created by an interrupted run and has "
                                    "been adopted");
    char rule[77 * 3 + 1];
    for (int i = 0; i < 77; i++)
        memcpy(rule + 3 * i, "\xe2\x94\x80", 3);
    rule[77 * 3] = '\0';
    char want[4096];
    snprintf(want, sizeof want,
             "\nNote: Objects have changed outside of cairn\n"
             "\ncairn detected the following changes made outside of cairn since the\n"
             "last \"cairn apply\" which may have affected this plan:\n"
             "\n  # aws_x.b was created by an interrupted run and has been adopted\n"
             "\n\nUnless you have made equivalent changes to your configuration, or ignored the\n"
             "relevant attributes using ignore_changes, the following plan may include\n"
             "actions to undo or respond to these changes.\n"
             "\n%s\n"
             "%s  + create\n%s\n"
             "  # aws_x.a will be created\n"
             "  + resource \"aws_x\" \"a\" {\n"
             "      + v = \"1\"\n"
             "    }\n"
             "\nPlan: 1 to add, 0 to change, 0 to destroy.\n", rule, LEGEND, ACTIONS);
    CHECK_PLAN(p, 0, want);
    plan_free(p);
}

static char *rule_line(void)
{
    static char rule[77 * 3 + 1];
    for (int i = 0; i < 77; i++)
        memcpy(rule + 3 * i, "\xe2\x94\x80", 3);
    rule[77 * 3] = '\0';
    return rule;
}

/* A configuration for changes that have one (the renderer only asks
 * whether there is one). */
static const cfg_resource some_cfg;

/* c depends on resource dep (its resource address set from c->addr). */
static void add_dep(plan_change *c, const char *dep)
{
    c->res_addr = xstrdup(c->addr);
    c->deps = xrealloc(c->deps, (c->ndeps + 1) * sizeof *c->deps);
    c->deps[c->ndeps++] = xstrdup(dep);
}

/* An object deleted outside cairn and planned again, c (no references). */
static plan_change *gone_change(plan *p, size_t i, const char *addr, const char *name)
{
    plan_change *c = set_change(p, i, addr, "aws_x", PLAN_CREATE, val_null(),
                                obj(1, "name", val_string(name)));
    c->res_addr = xstrdup(addr);
    c->cfg = &some_cfg;
    c->gone = 1;
    c->before_refresh = obj(3, "id", val_string("b-1"), "name", val_string(name), "size",
                            val_number(3));
    return c;
}

/* Objects deleted outside cairn: as Terraform, only the one that a planned
 * change refers to (here through an unchanged object in between) is noted;
 * the one nothing refers to is not.  Its attributes are shown unchanged
 * (Terraform marks the ones referred to as deleted; the plan does not say
 * which). */
TEST(render_drift_deleted)
{
    plan *p = new_plan(4);
    gone_change(p, 0, "aws_x.b", "b");
    plan_change *c = set_change(p, 1, "aws_x.m", "aws_x", PLAN_NOOP, val_null(), val_null());
    add_dep(c, "aws_x.b");
    c = set_change(p, 2, "aws_x.w", "aws_x", PLAN_UPDATE, obj(1, "name", val_string("w1")),
                   obj(1, "name", val_string("w2")));
    c->cfg = &some_cfg;
    add_dep(c, "aws_x.m");
    gone_change(p, 3, "aws_x.d", "d");
    p->nadd = 2;
    p->nchange = 1;
    char want[4096];
    snprintf(want, sizeof want,
             "\nNote: Objects have changed outside of cairn\n"
             "\ncairn detected the following changes made outside of cairn since the\n"
             "last \"cairn apply\" which may have affected this plan:\n"
             "\n  # aws_x.b has been deleted\n"
             "  - resource \"aws_x\" \"b\" {\n"
             "        id   = \"b-1\"\n"
             "        name = \"b\"\n"
             "        # (1 unchanged attribute hidden)\n"
             "    }\n"
             "\n\nUnless you have made equivalent changes to your configuration, or ignored the\n"
             "relevant attributes using ignore_changes, the following plan may include\n"
             "actions to undo or respond to these changes.\n"
             "\n%s\n"
             "%s  + create\n  ~ update in-place\n%s\n"
             "  # aws_x.b will be created\n"
             "  + resource \"aws_x\" \"b\" {\n"
             "      + name = \"b\"\n"
             "    }\n"
             "\n  # aws_x.w will be updated in-place\n"
             "  ~ resource \"aws_x\" \"w\" {\n"
             "      ~ name = \"w1\" -> \"w2\"\n"
             "    }\n"
             "\n  # aws_x.d will be created\n"
             "  + resource \"aws_x\" \"d\" {\n"
             "      + name = \"d\"\n"
             "    }\n"
             "\nPlan: 2 to add, 1 to change, 0 to destroy.\n", rule_line(), LEGEND, ACTIONS);
    CHECK_PLAN(p, 0, want);
    plan_free(p);
}

/* Terraform notes no drift that nothing planned refers to (case 81), and
 * none at all in a plan without changes. */
TEST(render_drift_irrelevant)
{
    plan *p = new_plan(1);
    gone_change(p, 0, "aws_x.d", "d");
    p->nadd = 1;
    CHECK_ACTIONS(p, "  + create\n",
                  "\n  # aws_x.d will be created\n"
                  "  + resource \"aws_x\" \"d\" {\n"
                  "      + name = \"d\"\n"
                  "    }\n"
                  "\nPlan: 1 to add, 0 to change, 0 to destroy.\n");
    p = new_plan(0);
    p->notes = xcalloc(1, sizeof *p->notes);
    p->notes[p->nnotes++] = xstrdup("  # aws_x.e was created by an interrupted run");
    CHECK_PLAN(p, 0,
               "\nNo changes. Your infrastructure matches the configuration.\n\n"
               "cairn has compared your real infrastructure against your configuration\n"
               "and found no differences, so no changes are needed.\n");
    plan_free(p);
}

/* -refresh-only: every drift shown, deleted attributes as deleted. */
TEST(render_drift_refresh_only)
{
    plan *p = new_plan(2);
    p->refresh_only = 1;
    plan_change *c = set_change(p, 0, "aws_x.b", "aws_x", PLAN_NOOP, val_null(), val_null());
    c->gone = 1;
    c->before_refresh = obj(2, "id", val_string("b-1"), "size", val_number(3));
    c = set_change(p, 1, "aws_x.c", "aws_x", PLAN_NOOP, obj(1, "size", val_number(2)),
                   val_null());
    c->drifted = 1;
    c->before_refresh = obj(1, "size", val_number(1));
    CHECK_PLAN(p, 0,
               "\nNote: Objects have changed outside of cairn\n"
               "\ncairn detected the following changes made outside of cairn since the\n"
               "last \"cairn apply\" which may have affected this plan:\n"
               "\n  # aws_x.b has been deleted\n"
               "  - resource \"aws_x\" \"b\" {\n"
               "      - id   = \"b-1\" -> null\n"
               "      - size = 3 -> null\n"
               "    }\n"
               "\n  # aws_x.c has changed\n"
               "  ~ resource \"aws_x\" \"c\" {\n"
               "      ~ size = 1 -> 2\n"
               "    }\n"
               "\n\nThis is a refresh-only plan, so cairn will not take any actions to undo\n"
               "these. If you were expecting these changes then you can apply this plan to\n"
               "record the updated values in the cairn state without changing any remote\n"
               "objects.\n");
    plan_free(p);
}

/* ---------------------------------------------------------------- values */

/* The block of a single-change plan (from its "resource" line through
 * its closing brace) under schema (may be NULL); prior and planned
 * consumed. */
static char *schema_block_of(enum plan_action a, val prior, val planned, const char *forces,
                             const prov_schema *schema)
{
    plan *p = new_plan(1);
    plan_change *c = set_change(p, 0, "t_x.y", "t_x", a, prior, planned);
    c->schema = schema;
    if (forces)
        add_replace_path(c, forces);
    char *s = render(p, 0);
    plan_free(p);
    char *start = strstr(s, "resource \"t_x\"");
    char *end = start ? strstr(start, "\n    }\n") : NULL;
    char *out = xstrndup(start ? start : "", end ? (size_t)(end - start) + 6 : 0);
    free(s);
    return out;
}

#define CHECK_SCHEMA_BLOCK(a, prior, planned, forces, schema, want) do {  \
        char *got_ = schema_block_of(a, prior, planned, forces, schema);  \
        if (strcmp(got_, want) != 0)                                      \
            show_diff(got_, want);                                        \
        CHECK_STR(got_, want);                                            \
        free(got_);                                                       \
    } while (0)
#define CHECK_BLOCK(a, prior, planned, forces, want)                       \
    CHECK_SCHEMA_BLOCK(a, prior, planned, forces, NULL, want)

TEST(render_list_context)
{
    CHECK_BLOCK(PLAN_UPDATE, obj(1, "l", strs(0, 5, "a", "b", "c", "d", "e")),
                obj(1, "l", strs(0, 5, "a", "b", "x", "d", "e")), NULL,
                "resource \"t_x\" \"y\" {\n"
                "      ~ l = [\n"
                "            # (1 unchanged element hidden)\n"
                "            \"b\",\n"
                "          - \"c\",\n"
                "          + \"x\",\n"
                "            \"d\",\n"
                "            # (1 unchanged element hidden)\n"
                "        ]\n"
                "    }");
}

TEST(render_map_update)
{
    CHECK_BLOCK(PLAN_UPDATE, obj(1, "labels", smap(3, "a", "1", "b", "2", "d", "5")),
                obj(1, "labels", smap(3, "a", "1", "b", "3", "c", "4")), NULL,
                "resource \"t_x\" \"y\" {\n"
                "      ~ labels = {\n"
                "          ~ \"b\" = \"2\" -> \"3\"\n"
                "          + \"c\" = \"4\"\n"
                "          - \"d\" = \"5\" -> null\n"
                "            # (1 unchanged element hidden)\n"
                "        }\n"
                "    }");
}

/* Terraform's processSet: the prior elements first (removals), then the
 * additions. */
TEST(render_set_update)
{
    CHECK_BLOCK(PLAN_UPDATE, obj(1, "zones", strs(1, 2, "a", "b")),
                obj(1, "zones", strs(1, 2, "b", "c")), NULL,
                "resource \"t_x\" \"y\" {\n"
                "      ~ zones = [\n"
                "          - \"a\",\n"
                "          + \"c\",\n"
                "            # (1 unchanged element hidden)\n"
                "        ]\n"
                "    }");
}

TEST(render_heredoc)
{
    CHECK_BLOCK(PLAN_CREATE, val_null(), obj(1, "user_data", val_string("line1\nline2\n")),
                NULL,
                "resource \"t_x\" \"y\" {\n"
                "      + user_data = <<-EOT\n"
                "            line1\n"
                "            line2\n"
                "        EOT\n"
                "    }");
    CHECK_BLOCK(PLAN_UPDATE, obj(1, "s", val_string("a\nb\nc")),
                obj(1, "s", val_string("a\nB\nc")), NULL,
                "resource \"t_x\" \"y\" {\n"
                "      ~ s = <<-EOT\n"
                "            a\n"
                "          - b\n"
                "          + B\n"
                "            c\n"
                "        EOT\n"
                "    }");
}

TEST(render_json_string)
{
    CHECK_BLOCK(PLAN_CREATE, val_null(),
                obj(1, "policy", val_string("{\"Version\":\"2012\",\"Statement\":"
                                            "[{\"Effect\":\"Allow\"}]}")),
                NULL,
                "resource \"t_x\" \"y\" {\n"
                "      + policy = jsonencode(\n"
                "            {\n"
                "              + Statement = [\n"
                "                  + {\n"
                "                      + Effect = \"Allow\"\n"
                "                    },\n"
                "                ]\n"
                "              + Version   = \"2012\"\n"
                "            }\n"
                "        )\n"
                "    }");
    CHECK_BLOCK(PLAN_UPDATE, obj(1, "p", val_string("{\"a\":1,\"b\":2}")),
                obj(1, "p", val_string("{\"a\":1,\"b\":3}")), NULL,
                "resource \"t_x\" \"y\" {\n"
                "      ~ p = jsonencode(\n"
                "          ~ {\n"
                "              ~ b = 2 -> 3\n"
                "                # (1 unchanged attribute hidden)\n"
                "            }\n"
                "        )\n"
                "    }");
}

TEST(render_nested_block_update)
{
    val before = val_list_append(val_list_empty(ty_any()), obj(1, "port", val_number(80)));
    val after = val_list_append(val_list_empty(ty_any()), obj(1, "port", val_number(81)));
    CHECK_BLOCK(PLAN_UPDATE, obj(2, "id", val_string("1"), "rule", before),
                obj(2, "id", val_string("1"), "rule", after), NULL,
                "resource \"t_x\" \"y\" {\n"
                "        id = \"1\"\n"
                "\n"
                "      ~ rule {\n"
                "          ~ port = 80 -> 81\n"
                "        }\n"
                "    }");
}

TEST(render_block_forces_replacement)
{
    val before = val_list_append(val_list_empty(ty_any()), obj(1, "port", val_number(80)));
    val after = val_list_append(val_list_empty(ty_any()), obj(1, "port", val_number(81)));
    CHECK_BLOCK(PLAN_REPLACE, obj(1, "rule", before), obj(1, "rule", after), "rule",
                "resource \"t_x\" \"y\" {\n"
                "      ~ rule { # forces replacement\n"
                "          ~ port = 80 -> 81\n"
                "        }\n"
                "    }");
}

/* A schema with a SINGLE and a MAP block type and a list(object)
 * attribute, as a provider declares them. */
static const prov_attr inner_attrs[] = {{"x", "string", PROV_OPTIONAL, NULL, NULL}};
static const prov_schema inner_schema = {inner_attrs, 1, NULL, 0};
static const prov_attr outer_attrs[] = {
    {"name", "string", PROV_OPTIONAL, NULL, NULL},
    {"rules", "list(object({x=string}))", PROV_OPTIONAL, NULL, NULL},
};
static const prov_block outer_blocks[] = {
    {"one", PROV_NEST_SINGLE, 0, 1, 0, &inner_schema},
    {"site", PROV_NEST_MAP, 0, 0, 0, &inner_schema},
};
static const prov_schema outer_schema = {outer_attrs, 2, outer_blocks, 2};

/* The object of outer_schema with one { x = one_x } and sites a and b. */
static val outer_obj(const char *one_x, const char *site_b)
{
    val sites = val_map_empty(ty_any());
    sites = val_map_set(sites, "b", obj(1, "x", val_string(site_b)));
    sites = val_map_set(sites, "a", obj(1, "x", val_string("s1")));
    val rules = val_list_append(val_list_empty(ty_any()), obj(1, "x", val_string("r")));
    return obj(4, "name", val_string("n"), "one", obj(1, "x", val_string(one_x)), "rules",
               rules, "site", sites);
}

/* With the schema, the block types are drawn as blocks after the
 * attributes (SINGLE `one {`, MAP `site "a" {` in key order) and a list of
 * objects that is an attribute as an attribute. */
TEST(render_schema_blocks)
{
    CHECK_SCHEMA_BLOCK(PLAN_CREATE, val_null(), outer_obj("a", "s2"), NULL, &outer_schema,
                       "resource \"t_x\" \"y\" {\n"
                       "      + name  = \"n\"\n"
                       "      + rules = [\n"
                       "          + {\n"
                       "              + x = \"r\"\n"
                       "            },\n"
                       "        ]\n"
                       "\n"
                       "      + one {\n"
                       "          + x = \"a\"\n"
                       "        }\n"
                       "\n"
                       "      + site \"a\" {\n"
                       "          + x = \"s1\"\n"
                       "        }\n"
                       "      + site \"b\" {\n"
                       "          + x = \"s2\"\n"
                       "        }\n"
                       "    }");
    CHECK_SCHEMA_BLOCK(PLAN_UPDATE, outer_obj("a", "s2"), outer_obj("b", "s3"), NULL,
                       &outer_schema,
                       "resource \"t_x\" \"y\" {\n"
                       "        name  = \"n\"\n"
                       "        # (1 unchanged attribute hidden)\n"
                       "\n"
                       "      ~ one {\n"
                       "          ~ x = \"a\" -> \"b\"\n"
                       "        }\n"
                       "\n"
                       "      ~ site \"b\" {\n"
                       "          ~ x = \"s2\" -> \"s3\"\n"
                       "        }\n"
                       "\n"
                       "        # (1 unchanged block hidden)\n"
                       "    }");
}

/* A set of blocks: the prior element first, as Terraform's processSet. */
TEST(render_set_block_order)
{
    val before = val_set_add(val_set_empty(ty_any()), obj(1, "port", val_number(80)));
    val after = val_set_add(val_set_empty(ty_any()), obj(1, "port", val_number(81)));
    CHECK_BLOCK(PLAN_UPDATE, obj(1, "rule", before), obj(1, "rule", after), NULL,
                "resource \"t_x\" \"y\" {\n"
                "      - rule {\n"
                "          - port = 80 -> null\n"
                "        }\n"
                "      + rule {\n"
                "          + port = 81\n"
                "        }\n"
                "    }");
}

/* A block type in attributes-as-blocks mode (PROV_AS_ATTR), as
 * aws_security_group's ingress: Terraform's schema has it as a set of
 * objects, so it is drawn as that attribute, "" kept inside its objects. */
static const prov_attr rule_attrs[] = {
    {"description", "string", PROV_OPTIONAL, NULL, NULL},
    {"port", "number", PROV_REQUIRED, NULL, NULL},
};
static const prov_schema rule_schema = {rule_attrs, 2, NULL, 0};
static const prov_attr sg_attrs[] = {{"name", "string", PROV_OPTIONAL, NULL, NULL}};
static const prov_block sg_blocks[] = {
    {"ingress", PROV_NEST_SET, 0, 0, PROV_AS_ATTR, &rule_schema},
};
static const prov_schema sg_schema = {sg_attrs, 1, sg_blocks, 1};

/* The object of sg_schema with the rules of ports[n] ("" described). */
static val sg_obj(int n, const int *ports)
{
    val rules = val_set_empty(ty_any());
    for (int i = 0; i < n; i++)
        rules = val_set_add(rules, obj(2, "description", val_string(ports[i] == 22 ? "ssh" : ""),
                                       "port", val_number(ports[i])));
    return obj(2, "ingress", rules, "name", val_string("n"));
}

TEST(render_attributes_as_blocks)
{
    static const int before[] = {80, 443}, after[] = {443, 22};
    CHECK_SCHEMA_BLOCK(PLAN_UPDATE, sg_obj(2, before), sg_obj(2, after), NULL, &sg_schema,
                       "resource \"t_x\" \"y\" {\n"
                       "      ~ ingress = [\n"
                       "          - {\n"
                       "              - description = \"\"\n"
                       "              - port        = 80\n"
                       "            },\n"
                       "          + {\n"
                       "              + description = \"ssh\"\n"
                       "              + port        = 22\n"
                       "            },\n"
                       "            # (1 unchanged element hidden)\n"
                       "        ]\n"
                       "        name    = \"n\"\n"
                       "    }");
    CHECK_SCHEMA_BLOCK(PLAN_CREATE, val_null(), sg_obj(1, after + 1), NULL, &sg_schema,
                       "resource \"t_x\" \"y\" {\n"
                       "      + ingress = [\n"
                       "          + {\n"
                       "              + description = \"ssh\"\n"
                       "              + port        = 22\n"
                       "            },\n"
                       "        ]\n"
                       "      + name    = \"n\"\n"
                       "    }");
}

TEST(render_object_and_unknown_collection)
{
    CHECK_BLOCK(PLAN_UPDATE,
                obj(2, "cfg", obj(2, "a", val_number(1), "b", val_null_of(ty_string())),
                    "l", strs(0, 1, "x")),
                obj(2, "cfg", obj(2, "a", val_number(2), "b", val_string("new")),
                    "l", val_unknown(ty_list(ty_string()))),
                NULL,
                "resource \"t_x\" \"y\" {\n"
                "      ~ cfg = {\n"
                "          ~ a = 1 -> 2\n"
                "          + b = \"new\"\n"
                "        }\n"
                "      ~ l   = [\n"
                "          - \"x\",\n"
                "        ] -> (known after apply)\n"
                "    }");
}

TEST(render_sensitive_update)
{
    CHECK_BLOCK(PLAN_UPDATE,
                obj(1, "pw", val_mark(val_string("a"), VAL_MARK_SENSITIVE)),
                obj(1, "pw", val_mark(val_string("b"), VAL_MARK_SENSITIVE)), NULL,
                "resource \"t_x\" \"y\" {\n"
                "      ~ pw = (sensitive value)\n"
                "    }");
}

TEST(render_odd_keys_and_values)
{
    CHECK_BLOCK(PLAN_CREATE, val_null(),
                obj(2, "m", smap(1, "a\"b", "q\"uote"), "n", val_number(1e21)), NULL,
                "resource \"t_x\" \"y\" {\n"
                "      + m = {\n"
                "          + \"a\\\"b\" = \"q\\\"uote\"\n"
                "        }\n"
                "      + n = 1000000000000000000000\n"
                "    }");
}

/* Lists too long for the matching table still pair their common ends. */
TEST(render_long_list)
{
    enum { N = 3000 };
    val a = val_list_empty(ty_number()), b = val_list_empty(ty_number());
    for (int i = 0; i < N; i++) {
        a = val_list_append(a, val_number(i));
        b = val_list_append(b, val_number(i == N / 2 ? -1 : i));
    }
    char *got = schema_block_of(PLAN_UPDATE, obj(1, "l", a), obj(1, "l", b), NULL, NULL);
    CHECK_STR(got, "resource \"t_x\" \"y\" {\n"
                   "      ~ l = [\n"
                   "            # (1499 unchanged elements hidden)\n"
                   "            1499,\n"
                   "          - 1500,\n"
                   "          + -1,\n"
                   "            1501,\n"
                   "            # (1498 unchanged elements hidden)\n"
                   "        ]\n"
                   "    }");
    free(got);
}

/* Nesting deeper than the renderer follows ends in "...". */
TEST(render_deep_nesting)
{
    val v = val_string("x");
    for (int i = 0; i < 300; i++)
        v = val_tuple_append(val_tuple_empty(), v);
    plan *p = new_plan(0);
    add_output(p, "deep", v, 0, 1, 0);
    char *s = render(p, 0);
    CHECK(strstr(s, "...") != NULL);
    CHECK(strstr(s, "\"x\"") == NULL);
    free(s);
    plan_free(p);
}

/* ---------------------------------------------------------------- colour */

static plan *mixed_plan(void)
{
    plan *p = new_plan(3);
    set_change(p, 0, "aws_x.a", "aws_x", PLAN_CREATE, val_null(), obj(1, "v", val_string("1")));
    set_change(p, 1, "aws_x.b", "aws_x", PLAN_UPDATE, obj(1, "v", val_string("1")),
               obj(1, "v", val_string("2")));
    plan_change *c = set_change(p, 2, "aws_x.c", "aws_x", PLAN_DELETE,
                                obj(1, "v", val_string("1")), val_null());
    c->reason = xstrdup("because it is not in configuration");
    add_output(p, "o", val_string("x"), 0, 1, 0);
    p->nadd = p->nchange = p->ndestroy = 1;
    return p;
}

TEST(render_colour_off_has_no_escapes)
{
    plan *p = mixed_plan();
    char *s = render(p, 0);
    CHECK(strchr(s, '\x1b') == NULL);
    CHECK(strstr(s, "  - resource \"aws_x\" \"c\" {\n      - v = \"1\" -> null\n") != NULL);
    free(s);
    plan_free(p);
}

TEST(render_colour_on)
{
    plan *p = mixed_plan();
    char *s = render(p, 1);
    CHECK(strstr(s, "  \x1b[32m+\x1b[0m create\x1b[0m\n") != NULL);
    CHECK(strstr(s, "\x1b[1m  # aws_x.b\x1b[0m will be updated in-place\n") != NULL);
    CHECK(strstr(s, "\x1b[1mPlan:\x1b[0m \x1b[0m1 to add") != NULL);
    CHECK(strstr(s, "\"1\" \x1b[33m->\x1b[0m \x1b[0m\"2\"") != NULL);
    CHECK(strstr(s, "\"1\" \x1b[90m-> null\x1b[0m\x1b[0m") != NULL);
    free(s);
    plan_free(p);
}

TEST(render_summary_line)
{
    plan *p = new_plan(0);
    p->nadd = 2, p->nchange = 1, p->ndestroy = 3;
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    render_summary(f, p, 0);
    p->nimport = 1;
    render_summary(f, p, 0);
    fclose(f);
    CHECK_STR(s, "Plan: 2 to add, 1 to change, 3 to destroy.\n"
                 "Plan: 1 to import, 2 to add, 1 to change, 3 to destroy.\n");
    free(s);
    plan_free(p);
}

/* Hand-built plans with missing pieces (values never set) still print. */
TEST(render_tolerates_empty_changes)
{
    plan *p = xcalloc(1, sizeof *p);
    p->changes = xcalloc(1, sizeof *p->changes);
    p->n = 1;
    p->changes[0].addr = xstrdup("x");
    p->changes[0].action = PLAN_CREATE;
    p->changes[0].applied = val_invalid();
    char *s = render(p, 0);
    CHECK(strstr(s, "  # x will be created\n  + resource \"\" \"x\" {}\n") != NULL);
    free(s);
    plan_free(p);
}

int main(int argc, char **argv)
{
    return harness_main(argc, argv);
}
