/* tests/unit/test_graph_keys.c — instance keys: suffix text and back. */
#include "engine/graph.h"
#include "tests/unit/harness.h"

#include <stdlib.h>
#include <string.h>

/* graph_key_parse(graph_key_suffix(k)) is k, and it is no other key. */
static int round_trips(val k, val other)
{
    char *sfx = graph_key_suffix(k);
    val back = graph_key_parse(sfx);
    int ok = graph_key_same(back, k) && !graph_key_same(back, other);
    val_free(back);
    free(sfx);
    return ok;
}

TEST(graph_keys_round_trip)
{
    val zero = val_number(0), n7 = val_number(7), big = val_number(123456789012345.0);
    val s = val_string("web"), q = val_string("a\"b\\c]["), e = val_string("");
    CHECK_INT(round_trips(val_invalid(), zero), 1);
    CHECK_INT(round_trips(zero, n7), 1);
    CHECK_INT(round_trips(n7, zero), 1);
    CHECK_INT(round_trips(big, n7), 1);
    CHECK_INT(round_trips(s, q), 1);
    CHECK_INT(round_trips(q, s), 1);
    CHECK_INT(round_trips(e, s), 1);
    /* a number key is not the string of its digits */
    val seven = val_string("7");
    CHECK_INT(round_trips(n7, seven), 1);
    CHECK_INT(round_trips(seven, n7), 1);
    char *sfx = graph_key_suffix(big);
    CHECK_STR(sfx, "[123456789012345]");
    free(sfx);
    val_free(s);
    val_free(q);
    val_free(e);
    val_free(seven);
}

TEST(graph_keys_malformed_suffix_is_no_key)
{
    static const char *const bad[] = {"[", "[]", "[1", "[1]x", "[1.5]", "[1e3]", "[\"a",
                                      "[\"a\"", "[\"a\"]]", "x", "[-]"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        val k = graph_key_parse(bad[i]);
        CHECK_INT(val_is_valid(k) && val_is_null(k), 1);
        val_free(k);
    }
}

int main(int argc, char **argv) { return harness_main(argc, argv); }
