/* tests/unit/test_graph_keys.c — instance addresses built with
 * graph_key_suffix parse back (state_addr_parse) to the key they were
 * built from: apply finds an instance's count.index or each.key that way
 * (engine/apply.c key_position). */
#include "engine/graph.h"
#include "state/state.h"
#include "tests/unit/harness.h"

#include <stdlib.h>
#include <string.h>

/* The key state_addr_parse finds in "test_resource.r" + suffix(k). */
static int parse_key(val k, state_key *out)
{
    char *sfx = graph_key_suffix(k);
    char *addr = xasprintf("module.m[\"x\"].test_resource.r%s", sfx);
    state_addr a;
    int rc = state_addr_parse(&a, addr);
    free(addr);
    free(sfx);
    if (rc != 0)
        return rc;
    *out = a.key;
    if (a.key.kind == STATE_KEY_STR)
        out->s = xstrdup(a.key.s);
    state_addr_free(&a);
    return 0;
}

static int int_key_is(val k, long long want)
{
    state_key got = {0};
    int ok = parse_key(k, &got) == 0 && got.kind == STATE_KEY_INT && got.i == want;
    val_free(k);
    return ok;
}

static int str_key_is(const char *s)
{
    state_key got = {0};
    val k = val_string(s);
    int ok = parse_key(k, &got) == 0 && got.kind == STATE_KEY_STR && strcmp(got.s, s) == 0;
    if (got.kind == STATE_KEY_STR)
        free(got.s);
    val_free(k);
    return ok;
}

TEST(graph_keys_parse_back)
{
    state_key none;
    CHECK_INT(parse_key(val_invalid(), &none), 0);
    CHECK_INT(none.kind, STATE_KEY_NONE);
    CHECK_INT(int_key_is(val_number(0), 0), 1);
    CHECK_INT(int_key_is(val_number(7), 7), 1);
    CHECK_INT(int_key_is(val_number(123456789012345.0), 123456789012345LL), 1);
    CHECK_INT(str_key_is("web"), 1);
    CHECK_INT(str_key_is("7"), 1);
    CHECK_INT(str_key_is(""), 1);
    CHECK_INT(str_key_is("a\"b\\c]["), 1);
    CHECK_INT(str_key_is("\\n is not a newline"), 1);
    CHECK_INT(str_key_is("line\nbreak\ttab"), 1);
}

TEST(graph_keys_suffix_text)
{
    char *s = graph_key_suffix(val_number(42));
    CHECK_STR(s, "[42]");
    free(s);
    val k = val_string("a\"b\\c");
    s = graph_key_suffix(k);
    CHECK_STR(s, "[\"a\\\"b\\\\c\"]");
    free(s);
    val_free(k);
}

int main(int argc, char **argv) { return harness_main(argc, argv); }
