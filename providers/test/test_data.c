/*
 * providers/test/test_data.c — the `test_data` data source: computed
 * attributes derived from its arguments, plus a count of the objects the
 * directory holds, so tests can see data flow and ordering against
 * test_resource.
 *
 * What must stay true: read is pure (it never writes to the directory),
 * and an unknown argument makes only the attributes derived from it
 * unknown.
 */
#include "providers/test/test_internal.h"

#include <stdlib.h>
#include <string.h>

#include "lang/diag.h"

/* id: the SHA-256 hex of input, "none" when input is null. */
static val data_id(val input)
{
    if (val_is_unknown(input))
        return val_unknown(ty_string());
    if (val_kind(input) != VAL_STRING || val_is_null(input))
        return val_string("none");
    char h[65];
    tp_sha256_hex(val_get_string(input), val_string_len(input), h);
    return val_string(h);
}

/* result: "data:" + input, null when input is null. */
static val data_result(val input)
{
    if (val_is_unknown(input))
        return val_unknown(ty_string());
    if (val_kind(input) != VAL_STRING || val_is_null(input))
        return val_null_of(ty_string());
    size_t n = val_string_len(input);
    char *s = xmalloc(n + 6);
    memcpy(s, "data:", 5);
    memcpy(s + 5, val_get_string(input), n + 1);
    return val_string_own(s, n + 5);
}

/* length: how many values (0 when null). */
static val data_length(val values)
{
    if (val_is_unknown(values))
        return val_unknown(ty_number());
    return val_number(val_is_null(values) ? 0 : (double)val_len(values));
}

/* read: config (borrowed) with id, result, length and object_count set,
 * converted to the data source's type.  Sensitive arguments make the
 * attributes derived from them sensitive. */
static int td_read(prov_instance *p, const prov_call *c, val config, val *state,
                   prov_diag *d)
{
    (void)c;
    *state = val_invalid();
    if (val_kind(config) != VAL_OBJECT || val_is_unknown(config) || val_is_null(config))
        return tp_fail(d, CAIRN_EINVAL, NULL, "test_data: bad call",
                       "The configuration is not a known object.");
    size_t count = 0;
    int rc = tp_store_count(p, &count);
    if (rc)
        return tp_fail(d, rc, NULL, "test_data: cannot count objects", "%s", err_msg());
    const val *in = val_lookup(config, "input");
    const val *vs = val_lookup(config, "values");
    val input = in ? *in : val_null(), values = vs ? *vs : val_null();
    unsigned in_marks = val_marks(input) & VAL_MARK_SENSITIVE;
    val obj = val_object_empty();
    obj = val_object_set(obj, "input", val_copy(input));
    obj = val_object_set(obj, "values", val_copy(values));
    obj = val_object_set(obj, "id", val_mark(data_id(input), in_marks));
    obj = val_object_set(obj, "result", val_mark(data_result(input), in_marks));
    obj = val_object_set(obj, "length", val_mark(data_length(values),
                                                 val_marks(values) & VAL_MARK_SENSITIVE));
    obj = val_object_set(obj, "object_count", val_number((double)count));
    *state = val_is_valid(obj) ? val_convert(obj, p->data_type) : val_invalid();
    if (!val_is_valid(*state))
        return tp_fail(d, CAIRN_EINVAL, NULL, "test_data: configuration does not fit the "
                       "schema", "%s", err_msg());
    return 0;
}

const prov_data_source tp_data_sources[TP_NDATA_SOURCES] = {{
    .name = TP_DATA_TYPE,
    .schema = &tp_data_schema,
    .read = td_read,
}};
