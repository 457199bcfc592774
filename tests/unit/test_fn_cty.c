/*
 * Conformance table for the function library: each row is a call with
 * JSON-literal arguments and the result cty's stdlib gives for it (the value
 * as JSON, or "ERR: " and the diagnostic detail HCL prints).  The expected
 * column was recorded with a Go program built from Debian's
 * golang-github-zclconf-go-cty-dev and golang-github-hashicorp-hcl-v2-dev
 * (hclsyntax.ParseExpression + cty's stdlib functions, value printed with
 * cty/json as "VALUE :: TYPE", the type in cty's JSON type notation).
 * Rows where Terraform deliberately differs from cty's stdlib (length,
 * lookup, replace, which Terraform overrides) are not here; those
 * are checked in the per-family tests against Terraform's documentation.
 */
#include "tests/unit/harness.h"
#include "lang/fn.h"
#include "lang/val_json.h"

static const struct { const char *call, *want; } fn_cty_rows[] = {
    {"abs(-3.5)",
     "3.5 :: \"number\""},
    {"ceil(1.2)",
     "2 :: \"number\""},
    {"floor(-1.2)",
     "-2 :: \"number\""},
    {"log(8, 2)",
     "3 :: \"number\""},
    {"max(1, 5, 3)",
     "5 :: \"number\""},
    {"min()",
     "ERR: Call to function \"min\" failed: must pass at least one number."},
    {"parseint(\"zz\", 36)",
     "1295 :: \"number\""},
    {"parseint(\"ZZ\", 62)",
     "3843 :: \"number\""},
    {"parseint(\"0x10\", 16)",
     "ERR: Invalid value for \"number\" parameter: cannot parse \"0x10\" as a base 1"
     "6 integer."},
    {"parseint(\"-0\", 10)",
     "0 :: \"number\""},
    {"parseint(\"1_000\", 10)",
     "ERR: Invalid value for \"number\" parameter: cannot parse \"1_000\" as a base "
     "10 integer."},
    {"pow(2, 10)",
     "1024 :: \"number\""},
    {"pow(0, 0)",
     "1 :: \"number\""},
    {"signum(-0.5)",
     "ERR: Call to function \"signum\" failed: value must be a whole number, between"
     " -9223372036854775808 and 9223372036854775807."},
    {"signum(5)",
     "1 :: \"number\""},
    {"chomp(\"a\\r\\n\\r\\n\")",
     "\"a\" :: \"string\""},
    {"chomp(\"a\\r\")",
     "\"a\" :: \"string\""},
    {"chomp(\"a\\n\\rb\\n\\r\")",
     "\"a\\n\\rb\" :: \"string\""},
    {"format(\"%5.2f|%-6d|%06.1f\", 3.14159, 42, -2.5)",
     "\" 3.14|42    |-002.5\" :: \"string\""},
    {"format(\"%x %X %o %b\", 255, 255, 8, 5)",
     "\"ff FF 10 101\" :: \"string\""},
    {"format(\"%#x %#o %#b\", 255, 8, 5)",
     "\"0xff 010 0b101\" :: \"string\""},
    {"format(\"%+.3e\", 12345.678)",
     "\"+1.235e+04\" :: \"string\""},
    {"format(\"%g %g %g\", 0.0001, 0.00001, 123456789)",
     "\"0.0001 1e-05 1.23456789e+08\" :: \"string\""},
    {"format(\"%.3g\", 1234.5678)",
     "\"1.23e+03\" :: \"string\""},
    {"format(\"%G\", 1e-10)",
     "\"1E-10\" :: \"string\""},
    {"format(\"%v %v %v\", 1.5, \"x\", true)",
     "\"1.5 x true\" :: \"string\""},
    {"format(\"%#v\", {\"a\": [1, \"b\"]})",
     "\"{\\\"a\\\":[1,\\\"b\\\"]}\" :: \"string\""},
    {"format(\"%q\", \"a\\\"b<c>&\")",
     "\"\\\"a\\\\\\\"b\\\\u003cc\\\\u003e\\\\u0026\\\"\" :: \"string\""},
    {"format(\"%10q|\", \"x\")",
     "\"       \\\"x\\\"|\" :: \"string\""},
    {"format(\"%s\", true)",
     "\"true\" :: \"string\""},
    {"format(\"%d\", \"0012\")",
     "\"12\" :: \"string\""},
    {"format(\"%t\", \"true\")",
     "\"true\" :: \"string\""},
    {"format(\"%v\", null)",
     "\"null\" :: \"string\""},
    {"format(\"%s\", null)",
     "ERR: Call to function \"format\" failed: unsupported value for \"%s\" at 0: nu"
     "ll value cannot be formatted."},
    {"format(\"%5t\", true)",
     "\"true\" :: \"string\""},
    {"format(\"%-5v|\", 3)",
     "\"3    |\" :: \"string\""},
    {"format(\"%05s\", \"ab\")",
     "\"000ab\" :: \"string\""},
    {"format(\"%.0f\", 2.5)",
     "\"2\" :: \"string\""},
    {"format(\"%.0f\", 3.5)",
     "\"4\" :: \"string\""},
    {"format(\"%.1f\", 0.05)",
     "\"0.1\" :: \"string\""},
    {"format(\"%e\", 0)",
     "\"0.000000e+00\" :: \"string\""},
    {"format(\"%f\", 1e20)",
     "\"100000000000000000000.000000\" :: \"string\""},
    {"format(\"%d\", 1e20)",
     "\"100000000000000000000\" :: \"string\""},
    {"format(\"%x\", 1e20)",
     "\"56bc75e2d63100000\" :: \"string\""},
    {"format(\"%.2s\", \"\346\227\245\346\234\254\350\252\236\")",
     "\"\346\227\245\346\234\254\" :: \"string\""},
    {"format(\"%3.1s|\", \"\346\227\245\346\234\254\350\252\236\")",
     "\"  \346\227\245|\" :: \"string\""},
    {"format(\"%[1]s %[1]s\", \"x\")",
     "\"x x\" :: \"string\""},
    {"format(\"%[3]s\", \"a\", \"b\")",
     "ERR: Call to function \"format\" failed: not enough arguments for \"%[3]s\" at"
     " 0: need index 3 but have 2 total."},
    {"format(\"%!\")",
     "ERR: Call to function \"format\" failed: unrecognized format character '!' at "
     "offset 1."},
    {"format(\"%\", 1)",
     "ERR: Call to function \"format\" failed: invalid format string starting at off"
     "set 1."},
    {"format(\"%y\", 1)",
     "ERR: Call to function \"format\" failed: unsupported format verb 'y' in \"%y\""
     " at offset 0."},
    {"format(\"%s %s\", \"a\")",
     "ERR: Call to function \"format\" failed: not enough arguments for \"%s\" at 3:"
     " need index 2 but have 1 total."},
    {"format(\"%%d\", 1)",
     "ERR: Invalid value for \"args\" parameter: too many arguments; no verbs in for"
     "mat string."},
    {"formatlist(\"%s-%d\", [\"a\", \"b\"], [1, 2])",
     "[\"a-1\",\"b-2\"] :: [\"list\",\"string\"]"},
    {"formatlist(\"%s-%s\", \"x\", [\"a\", \"b\"])",
     "[\"x-a\",\"x-b\"] :: [\"list\",\"string\"]"},
    {"formatlist(\"%s\", [])",
     "[] :: [\"list\",\"string\"]"},
    {"formatlist(\"%d\", [\"x\"])",
     "ERR: Call to function \"formatlist\" failed: error on format iteration 0: unsu"
     "pported value for \"%d\" at 0: a number is required."},
    {"indent(4, \"a\\nb\\n\")",
     "\"a\\n    b\\n    \" :: \"string\""},
    {"join(\"-\", [\"a\"], [], [\"b\", \"c\"])",
     "\"a-b-c\" :: \"string\""},
    {"join(\",\", [null])",
     "ERR: Invalid value for \"lists\" parameter: element 0 is null; cannot concaten"
     "ate null values."},
    {"join(\",\", [\"a\"], [null])",
     "ERR: Invalid value for \"lists\" parameter: element 0 of list 2 is null; canno"
     "t concatenate null values."},
    {"lower(\"\303\200\303\211\303\216 \316\243\316\221\316\243\")",
     "\"\303\240\303\251\303\256 \317\203\316\261\317\203\" :: \"string\""},
    {"upper(\"\303\240\303\251\303\256 \317\203\316\261\317\202 \303\277\")",
     "\"\303\200\303\211\303\216 \316\243\316\221\316\243 \305\270\" :: \"string\""},
    {"title(\"hello wORLD, it's 'me' x-ray a_b \303\274n\303\257code\")",
     "\"Hello WORLD, It'S 'Me' X-Ray A_b \303\234n\303\257code\" :: \"string\""},
    {"title(\"   leading\")",
     "\"   Leading\" :: \"string\""},
    {"split(\"\", \"\")",
     "[] :: [\"list\",\"string\"]"},
    {"split(\"x\", \"\")",
     "[\"\"] :: [\"list\",\"string\"]"},
    {"split(\"\", \"a\342\230\203b\")",
     "[\"a\",\"\342\230\203\",\"b\"] :: [\"list\",\"string\"]"},
    {"strrev(\"a\342\230\203\360\237\230\200b\")",
     "\"b\360\237\230\200\342\230\203a\" :: \"string\""},
    {"substr(\"hello\", 1, -1)",
     "\"ello\" :: \"string\""},
    {"substr(\"hello\", -3, 2)",
     "\"ll\" :: \"string\""},
    {"substr(\"\", 0, 1)",
     "\"\" :: \"string\""},
    {"substr(\"hello\", 2, 0)",
     "\"\" :: \"string\""},
    {"substr(\"\360\237\230\200\360\237\230\201\360\237\230\202\", 1, 1)",
     "\"\360\237\230\201\" :: \"string\""},
    {"substr(\"hello\", 0, 100)",
     "\"hello\" :: \"string\""},
    {"trim(\"xxaxx\", \"x\")",
     "\"a\" :: \"string\""},
    {"trim(\"\", \"x\")",
     "\"\" :: \"string\""},
    {"trim(\"abc\", \"\")",
     "\"abc\" :: \"string\""},
    {"trimprefix(\"aaa\", \"a\")",
     "\"aa\" :: \"string\""},
    {"trimsuffix(\"aaa\", \"\")",
     "\"aaa\" :: \"string\""},
    {"trimspace(\"\\u00a0 x \\u2003\")",
     "\"x\" :: \"string\""},
    {"regex(\"(\\\\w+)@(\\\\w+)\\\\.com\", \"mail bob@example.com now\")",
     "[\"bob\",\"example\"] :: [\"tuple\",[\"string\",\"string\"]]"},
    {"regex(\"(?P<user>\\\\w+)@(?P<domain>\\\\w+)\", \"bob@example\")",
     "{\"domain\":\"example\",\"user\":\"bob\"} :: [\"object\",{\"domain\":\"string"
     "\",\"user\":\"string\"}]"},
    {"regex(\"^$\", \"\")",
     "\"\" :: \"string\""},
    {"regex(\"a(b)?c\", \"ac\")",
     "[null] :: [\"tuple\",[\"string\"]]"},
    {"regex(\"(?i)\303\204B\", \"x\303\244bx\")",
     "\"\303\244b\" :: \"string\""},
    {"regex(\"[[:alpha:]]+\", \"123abc\")",
     "\"abc\" :: \"string\""},
    {"regex(\"[[:^alpha:]]+\", \"abc123\")",
     "\"123\" :: \"string\""},
    {"regex(\"\\\\d{2,}?\", \"12345\")",
     "\"12\" :: \"string\""},
    {"regex(\"(a+)(b+)?\", \"aaab\")",
     "[\"aaa\",\"b\"] :: [\"tuple\",[\"string\",\"string\"]]"},
    {"regex(\"(a|ab)(c|bcd)(d*)\", \"abcd\")",
     "[\"a\",\"bcd\",\"\"] :: [\"tuple\",[\"string\",\"string\",\"string\"]]"},
    {"regex(\"x*\", \"\")",
     "\"\" :: \"string\""},
    {"regex(\"(?m)^\\\\w+$\", \"one\\ntwo\")",
     "\"one\" :: \"string\""},
    {"regex(\"\\\\Bb\", \"ab b\")",
     "\"b\" :: \"string\""},
    {"regex(\"[\\\\d-z]+\", \"1-z\")",
     "\"1-z\" :: \"string\""},
    {"regex(\"[a\\\\]]+\", \"a]a\")",
     "\"a]a\" :: \"string\""},
    {"regex(\"[]a]+\", \"]a\")",
     "\"]a\" :: \"string\""},
    {"regex(\"[^]a]+\", \"bcd]a\")",
     "\"bcd\" :: \"string\""},
    {"regex(\"a.b\", \"a\\u00e9b\")",
     "\"a\303\251b\" :: \"string\""},
    {"regex(\"(?s).+\", \"a\\nb\")",
     "\"a\\nb\" :: \"string\""},
    {"regex(\"\\\\pL+\", \"h\303\251llo!\")",
     "\"h\303\251llo\" :: \"string\""},
    {"regex(\"\\\\p{Greek}\", \"\316\261\")",
     "\"\316\261\" :: \"string\""},
    {"regex(\"(\", \"x\")",
     "ERR: Invalid value for \"pattern\" parameter: invalid regexp pattern: missing "
     "closing ) in (."},
    {"regex(\"a{2,1}\", \"aa\")",
     "ERR: Invalid value for \"pattern\" parameter: invalid regexp pattern: invalid "
     "repeat count in {2,1}."},
    {"regex(\"(?P<n>a)(?P<n>b)\", \"ab\")",
     "{\"n\":\"b\"} :: [\"object\",{\"n\":\"string\"}]"},
    {"regexall(\"(\\\\d+)-(\\\\d+)\", \"1-2 3-4 5-6\")",
     "[[\"1\",\"2\"],[\"3\",\"4\"],[\"5\",\"6\"]] :: [\"list\",[\"tuple\",[\"string"
     "\",\"string\"]]]"},
    {"regexall(\"\", \"abc\")",
     "[\"\",\"\",\"\",\"\"] :: [\"list\",\"string\"]"},
    {"regexall(\"a|\", \"bab\")",
     "[\"\",\"a\",\"\"] :: [\"list\",\"string\"]"},
    {"regexall(\"\\\\b\", \"ab cd\")",
     "[\"\",\"\",\"\",\"\"] :: [\"list\",\"string\"]"},
    {"regexall(\"(?P<k>\\\\w)=(?P<v>\\\\w)?\", \"a=1 b= c=3\")",
     "[{\"k\":\"a\",\"v\":\"1\"},{\"k\":\"b\",\"v\":null},{\"k\":\"c\",\"v\":\"3\"}]"
     " :: [\"list\",[\"object\",{\"k\":\"string\",\"v\":\"string\"}]]"},
    {"chunklist([1, 2, 3], 2)",
     "[[1,2],[3]] :: [\"list\",[\"list\",\"number\"]]"},
    {"chunklist([\"a\", 1], 1)",
     "[[\"a\"],[\"1\"]] :: [\"list\",[\"list\",\"string\"]]"},
    {"chunklist([], 1)",
     "[] :: [\"list\",[\"list\",\"dynamic\"]]"},
    {"coalescelist([], [1])",
     "[1] :: [\"tuple\",[\"number\"]]"},
    {"coalescelist(null, [\"a\"])",
     "ERR: Call to function \"coalescelist\" failed: coalescelist arguments must be "
     "lists or tuples."},
    {"coalescelist([], [])",
     "ERR: Call to function \"coalescelist\" failed: no non-null arguments."},
    {"compact([\"\", \"a\", null])",
     "[\"a\"] :: [\"list\",\"string\"]"},
    {"concat([1], [\"a\"])",
     "[1,\"a\"] :: [\"tuple\",[\"number\",\"string\"]]"},
    {"concat([[1]], [[\"a\", 2]])",
     "[[1],[\"a\",2]] :: [\"tuple\",[[\"tuple\",[\"number\"]],[\"tuple\",[\"string\""
     ",\"number\"]]]]"},
    {"concat()",
     "ERR: Call to function \"concat\" failed: at least one argument is required."},
    {"concat([], [])",
     "[] :: [\"tuple\",[]]"},
    {"contains([1, 2], 2)",
     "true :: \"bool\""},
    {"contains([1, 2], \"2\")",
     "false :: \"bool\""},
    {"contains([], 1)",
     "false :: \"bool\""},
    {"contains(\"x\", 1)",
     "ERR: Call to function \"contains\" failed: argument must be list, tuple, or se"
     "t."},
    {"contains([null], null)",
     "ERR: Invalid value for \"value\" parameter: argument must not be null."},
    {"distinct([1, \"1\", 2])",
     "[\"1\",\"2\"] :: [\"list\",\"string\"]"},
    {"distinct([[1], [1], [2]])",
     "[[1],[2]] :: [\"list\",[\"tuple\",[\"number\"]]]"},
    {"distinct([])",
     "[] :: [\"list\",\"dynamic\"]"},
    {"element([1, 2, 3], 5)",
     "3 :: \"number\""},
    {"element([], 0)",
     "ERR: Call to function \"element\" failed: cannot use element function with an "
     "empty list."},
    {"element([\"a\"], -1)",
     "ERR: Call to function \"element\" failed: cannot use element function with a n"
     "egative index."},
    {"element([\"a\"], 1.5)",
     "ERR: Call to function \"element\" failed: invalid index: value must be a whole"
     " number, between -9223372036854775808 and 9223372036854775807."},
    {"element(\"abc\", 0)",
     "ERR: Call to function \"element\" failed: cannot read elements from string."},
    {"element({\"a\": 1}, 0)",
     "ERR: Call to function \"element\" failed: cannot read elements from object."},
    {"flatten([1, [2, [3, [4]]], []])",
     "[1,2,3,4] :: [\"tuple\",[\"number\",\"number\",\"number\",\"number\"]]"},
    {"flatten([[], []])",
     "[] :: [\"tuple\",[]]"},
    {"flatten([null, [null]])",
     "[null,null] :: [\"tuple\",[\"dynamic\",\"dynamic\"]]"},
    {"keys({})",
     "[] :: [\"tuple\",[]]"},
    {"keys({\"b\": 1, \"a\": [2]})",
     "[\"a\",\"b\"] :: [\"tuple\",[\"string\",\"string\"]]"},
    {"keys([1])",
     "ERR: Invalid value for \"inputMap\" parameter: must have map or object type."},
    {"length([[]])",
     "1 :: \"number\""},
    {"lookup({\"a\": 1}, \"b\", \"x\")",
     "\"x\" :: \"string\""},
    {"lookup({\"a\": \"x\"}, \"b\", 1)",
     "1 :: \"number\""},
    {"lookup([1], \"a\", 1)",
     "ERR: Invalid value for \"inputMap\" parameter: lookup() requires a map as the "
     "first argument."},
    {"merge()",
     "{} :: [\"object\",{}]"},
    {"merge({\"a\": 1}, null, {\"b\": 2})",
     "{\"a\":1,\"b\":2} :: [\"object\",{\"a\":\"number\",\"b\":\"number\"}]"},
    {"merge({\"a\": 1}, {\"a\": \"x\"})",
     "{\"a\":\"x\"} :: [\"object\",{\"a\":\"string\"}]"},
    {"merge([1])",
     "ERR: Call to function \"merge\" failed: arguments must be maps or objects, got"
     " \"tuple\"."},
    {"range(0)",
     "[] :: [\"list\",\"number\"]"},
    {"range(-3)",
     "[0,-1,-2] :: [\"list\",\"number\"]"},
    {"range(1, 1)",
     "[] :: [\"list\",\"number\"]"},
    {"range(5, 1, 1)",
     "ERR: Invalid value for \"params\" parameter: end must be greater than start wh"
     "en step is positive."},
    {"range(1, 5, -1)",
     "ERR: Invalid value for \"params\" parameter: end must be less than start when "
     "step is negative."},
    {"range(1, 2, 3, 4)",
     "ERR: Call to function \"range\" failed: must have one, two, or three arguments"
     "."},
    {"range()",
     "ERR: Call to function \"range\" failed: must have one, two, or three arguments"
     "."},
    {"reverse([])",
     "[] :: [\"tuple\",[]]"},
    {"reverse([\"a\", 1])",
     "[1,\"a\"] :: [\"tuple\",[\"number\",\"string\"]]"},
    {"reverse(\"x\")",
     "ERR: Invalid value for \"list\" parameter: can only reverse list or tuple valu"
     "es, not string."},
    {"setintersection([\"a\", \"b\"], [])",
     "[] :: [\"set\",\"string\"]"},
    {"setintersection([1, 2], [\"1\"])",
     "[\"1\"] :: [\"set\",\"string\"]"},
    {"setproduct([\"a\", \"b\"], [1, 2], [true])",
     "[[\"a\",1,true],[\"a\",2,true],[\"b\",1,true],[\"b\",2,true]] :: [\"list\",[\""
     "tuple\",[\"string\",\"number\",\"bool\"]]]"},
    {"setproduct([], [1])",
     "[] :: [\"list\",[\"tuple\",[\"dynamic\",\"number\"]]]"},
    {"setproduct([\"a\"], \"x\")",
     "ERR: Invalid value for \"sets\" parameter: a set or a list is required."},
    {"setsubtract([1, 2, 3], [2])",
     "[1,3] :: [\"set\",\"number\"]"},
    {"setsubtract([], [1])",
     "[] :: [\"set\",\"number\"]"},
    {"setunion([[1]], [[2]])",
     "[[1],[2]] :: [\"set\",[\"tuple\",[\"number\"]]]"},
    {"setunion([1], [[2]])",
     "ERR: Call to function \"setunion\" failed: given sets must all have compatible"
     " element types."},
    {"slice([1, 2, 3], 0, 0)",
     "[] :: [\"tuple\",[]]"},
    {"slice([1, 2, 3], 3, 3)",
     "[] :: [\"tuple\",[]]"},
    {"slice([1, 2, 3], -1, 2)",
     "ERR: Invalid value for \"start_index\" parameter: start index must not be less"
     " than zero."},
    {"slice([1, 2, 3], 1, 4)",
     "ERR: Invalid value for \"end_index\" parameter: end index must not be greater "
     "than the length of the list."},
    {"slice(\"abc\", 0, 1)",
     "ERR: Invalid value for \"list\" parameter: must be a list or tuple value."},
    {"sort([\"b\", \"a\", \"B\", \"10\", \"9\"])",
     "[\"10\",\"9\",\"B\",\"a\",\"b\"] :: [\"list\",\"string\"]"},
    {"sort([])",
     "[] :: [\"list\",\"string\"]"},
    {"sort([null])",
     "ERR: Call to function \"sort\" failed: given list element 0 is null; a null st"
     "ring cannot be sorted."},
    {"values({})",
     "[] :: [\"tuple\",[]]"},
    {"values({\"b\": 2, \"a\": [1]})",
     "[[1],2] :: [\"tuple\",[[\"tuple\",[\"number\"]],\"number\"]]"},
    {"values([1])",
     "ERR: Call to function \"values\" failed: values() requires a map as the first "
     "argument."},
    {"zipmap([], [])",
     "{} :: [\"object\",{}]"},
    {"zipmap([\"a\", \"a\"], [1, 2])",
     "{\"a\":2} :: [\"object\",{\"a\":\"number\"}]"},
    {"zipmap([\"a\"], [1, 2])",
     "ERR: Call to function \"zipmap\" failed: number of keys (1) does not match num"
     "ber of values (2)."},
    {"zipmap([\"a\"], \"x\")",
     "ERR: Call to function \"zipmap\" failed: values argument must be a list or tup"
     "le value."},
    {"zipmap([null], [1])",
     "ERR: Call to function \"zipmap\" failed: keys list has null value at index 0."},
    {"csvdecode(\"a,b\\n1,2\\n\")",
     "[{\"a\":\"1\",\"b\":\"2\"}] :: [\"list\",[\"object\",{\"a\":\"string\",\"b\":"
     "\"string\"}]]"},
    {"csvdecode(\"a\\n\\\"multi\\nline\\\"\\n\")",
     "[{\"a\":\"multi\\nline\"}] :: [\"list\",[\"object\",{\"a\":\"string\"}]]"},
    {"csvdecode(\"a,b\\n1\")",
     "ERR: Call to function \"csvdecode\" failed: CSV parse error on line 2: wrong n"
     "umber of fields."},
    {"csvdecode(\"\\\"a\\\"b,c\\n\")",
     "ERR: Call to function \"csvdecode\" failed: CSV parse error on line 1: extrane"
     "ous or missing \" in quoted-field."},
    {"csvdecode(\" a , b \\n 1 , 2 \")",
     "[{\" a \":\" 1 \",\" b \":\" 2 \"}] :: [\"list\",[\"object\",{\" a \":\"string"
     "\",\" b \":\"string\"}]]"},
    {"csvdecode(\"a\\n\\n\\nx\\n\")",
     "[{\"a\":\"x\"}] :: [\"list\",[\"object\",{\"a\":\"string\"}]]"},
    {"csvdecode(\"a\\r\\nx\\r\\n\")",
     "[{\"a\":\"x\"}] :: [\"list\",[\"object\",{\"a\":\"string\"}]]"},
    {"csvdecode(\"a,\\\"b\\nc\\\",d\\n1,2,3\\n4,5\")",
     "ERR: Call to function \"csvdecode\" failed: CSV parse error on line 4: wrong n"
     "umber of fields."},
    {"jsondecode(\"[1, \\\"a\\\", {\\\"b\\\": null}]\")",
     "[1,\"a\",{\"b\":null}] :: [\"tuple\",[\"number\",\"string\",[\"object\",{\"b\""
     ":\"dynamic\"}]]]"},
    {"jsondecode(\"1e3\")",
     "1000 :: \"number\""},
    {"jsondecode(\"\")",
     "ERR: Call to function \"jsondecode\" failed: EOF."},
    {"jsondecode(\"[1,]\")",
     "ERR: Call to function \"jsondecode\" failed: invalid character ']' looking for"
     " beginning of value."},
    {"jsondecode(\"{\\\"a\\\":1,\\\"a\\\":2}\")",
     "{\"a\":2} :: [\"object\",{\"a\":\"number\"}]"},
    {"jsonencode([1, \"a<b>\", {\"x\": null}])",
     "\"[1,\\\"a\\\\u003cb\\\\u003e\\\",{\\\"x\\\":null}]\" :: \"string\""},
    {"jsonencode(1e21)",
     "\"1000000000000000000000\" :: \"string\""},
    {"jsonencode(0.1)",
     "\"0.1\" :: \"string\""},
    {"jsonencode(\"\\u2028\")",
     "\"\\\"\\\\u2028\\\"\" :: \"string\""},
    {"formatdate(\"YYYY\", \"0001-01-01T00:00:00Z\")",
     "\"0001\" :: \"string\""},
    {"formatdate(\"hh:mm:ss\", \"2020-01-01T24:00:00Z\")",
     "ERR: Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: cann"
     "ot use \":00:00Z\" as hour."},
    {"formatdate(\"YYYY\", \"2020-1-01T00:00:00Z\")",
     "ERR: Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: cann"
     "ot use \"1-01T00:00:00Z\" as month."},
    {"formatdate(\"YYYY\", \"2020-01-01t00:00:00Z\")",
     "ERR: Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: miss"
     "ing required time introducer 'T'."},
    {"formatdate(\"YYYY\", \"2020-01-01T00:00:00+0100\")",
     "ERR: Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: cann"
     "ot use \"+0100\" as UTC offset."},
    {"formatdate(\"YYYY\", \"2020-01-01T00:00:00Zjunk\")",
     "ERR: Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: cann"
     "ot use \"junk\" as timestamp segment."},
    {"formatdate(\"YYYY\", \"\")",
     "ERR: Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: end "
     "of string before year."},
    {"formatdate(\"YYYY\", \"20x0-01-01T00:00:00Z\")",
     "ERR: Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: cann"
     "ot use \"-01-01T00:00:00Z\" as year."},
    {"formatdate(\"YYYY\", \"2020/01/01T00:00:00Z\")",
     "ERR: Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: foun"
     "d \"/01/01T00:00:00Z\" where \"-\" is expected."},
    {"formatdate(\"YYYY\", \"2020-13-01T00:00:00Z\")",
     "ERR: Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: cann"
     "ot use \"-01T00:00:00Z\" as month."},
    {"formatdate(\"YYYY\", \"2020-01-01T0:00:00Z\")",
     "\"2020\" :: \"string\""},
    {"formatdate(\"YYYY\", \"2020-01-01T00:60:00Z\")",
     "ERR: Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: cann"
     "ot use \":00Z\" as minute."},
    {"formatdate(\"YYYY\", \"2020-01-01T00:00:00.123456789Z\")",
     "\"2020\" :: \"string\""},
    {"formatdate(\"Q\", \"2020-01-01T00:00:00Z\")",
     "ERR: Invalid value for \"format\" parameter: invalid date format verb \"Q\"."},
    {"formatdate(\"YYYYY\", \"2020-01-01T00:00:00Z\")",
     "ERR: Invalid value for \"format\" parameter: invalid date format verb \"YYYYY"
     "\": year must either be \"YY\" or \"YYYY\"."},
    {"formatdate(\"''\", \"2020-01-01T00:00:00Z\")",
     "\"'\" :: \"string\""},
    {"formatdate(\"'a''b'\", \"2020-01-01T00:00:00Z\")",
     "\"a'b\" :: \"string\""},
    {"formatdate(\"D-M-YY EEE ZZZZZ\", \"1999-12-31T23:59:59-00:30\")",
     "\"31-12-99 Fri -00:30\" :: \"string\""},
    {"formatdate(\"HH AA\", \"2020-01-01T00:00:00Z\")",
     "\"12 AM\" :: \"string\""},
    {"timeadd(\"2020-01-01T00:00:00Z\", \"-1ns\")",
     "\"2019-12-31T23:59:59Z\" :: \"string\""},
    {"timeadd(\"2020-01-01T00:00:00.5Z\", \"0.5s\")",
     "\"2020-01-01T00:00:01Z\" :: \"string\""},
    {"timeadd(\"2020-01-01T00:00:00+01:00\", \"0\")",
     "\"2020-01-01T00:00:00+01:00\" :: \"string\""},
    {"timeadd(\"2020-01-01T00:00:00Z\", \"1h1h\")",
     "\"2020-01-01T02:00:00Z\" :: \"string\""},
    {"timeadd(\"2020-01-01T00:00:00Z\", \"\")",
     "ERR: Call to function \"timeadd\" failed: time: invalid duration \"\"."},
    {"timeadd(\"2020-01-01T00:00:00Z\", \".5m\")",
     "\"2020-01-01T00:00:30Z\" :: \"string\""},
    {"timeadd(\"2020-01-01T00:00:00Z\", \"1.m\")",
     "\"2020-01-01T00:01:00Z\" :: \"string\""},
    {"timeadd(\"2020-01-01T00:00:00Z\", \"+3us\")",
     "\"2020-01-01T00:00:00Z\" :: \"string\""},
    {"timeadd(\"2020-01-01T00:00:00Z\", \"1\302\265s\")",
     "\"2020-01-01T00:00:00Z\" :: \"string\""},
    {"timeadd(\"2020-02-28T00:00:00Z\", \"8760h\")",
     "\"2021-02-27T00:00:00Z\" :: \"string\""},
    {"timeadd(\"x\", \"1h\")",
     "ERR: Call to function \"timeadd\" failed: not a valid RFC3339 timestamp: canno"
     "t use \"x\" as year."},
    {"format(\"%s\", [1])",
     "ERR: Call to function \"format\" failed: unsupported value for \"%s\" at 0: st"
     "ring required."},
    {"format(\"%d\", true)",
     "ERR: Call to function \"format\" failed: unsupported value for \"%d\" at 0: nu"
     "mber required."},
    {"format(\"%t\", 1)",
     "ERR: Call to function \"format\" failed: unsupported value for \"%t\" at 0: bo"
     "ol required."},
    {"format(\"%v\", [1, \"a\", true, null])",
     "\"[1,\\\"a\\\",true,null]\" :: \"string\""},
    {"format(\"%#v\", \"x\")",
     "\"\\\"x\\\"\" :: \"string\""},
    {"format(\"%#v\", 1.5)",
     "\"1.5\" :: \"string\""},
    {"format(\"%#v\", true)",
     "\"true\" :: \"string\""},
    {"format(\"%v\", {\"b\": 1, \"a\": 2})",
     "\"{\\\"a\\\":2,\\\"b\\\":1}\" :: \"string\""},
    {"format(\"%5v|\", [1])",
     "\"  [1]|\" :: \"string\""},
    {"format(\"%.2v\", 3.14159)",
     "\"3.14159\" :: \"string\""},
    {"format(\"%x\", \"ff\")",
     "ERR: Call to function \"format\" failed: unsupported value for \"%x\" at 0: a "
     "number is required."},
    {"format(\"%e\", \"x\")",
     "ERR: Call to function \"format\" failed: unsupported value for \"%e\" at 0: a "
     "number is required."},
    {"format(\"%s and %s\", \"a\", 1.5e300)",
     "\"a and 1500000000000000000000000000000000000000000000000000000000000000000000"
     "000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "000000000000000000000000000000000000000000000000000000000000000000000000000\" "
     ":: \"string\""},
    {"format(\"%v\", 123456789012)",
     "\"1.23456789012e+11\" :: \"string\""},
    {"format(\"%v\", 0.000001)",
     "\"1e-06\" :: \"string\""},
    {"format(\"%v\", 1e-7)",
     "\"1e-07\" :: \"string\""},
    {"format(\"%f\", 0.1)",
     "\"0.100000\" :: \"string\""},
    {"format(\"%g\", 100000)",
     "\"100000\" :: \"string\""},
    {"format(\"%g\", 1000000)",
     "\"1e+06\" :: \"string\""},
    {"format(\"%g\", 1.5e-5)",
     "\"1.5e-05\" :: \"string\""},
    {"format(\"%g\", -0.5)",
     "\"-0.5\" :: \"string\""},
    {"format(\"% d\", 5)",
     "\" 5\" :: \"string\""},
    {"format(\"%+s\", \"x\")",
     "\"x\" :: \"string\""},
    {"format(\"%-08d|\", 5)",
     "\"5       |\" :: \"string\""},
    {"format(\"%08.3f\", -3.14159)",
     "\"-003.142\" :: \"string\""},
    {"format(\"%#g\", 1.0)",
     "\"1\" :: \"string\""},
    {"format(\"%.0e\", 15000)",
     "\"2e+04\" :: \"string\""},
    {"format(\"%o\", -8)",
     "\"-10\" :: \"string\""},
    {"format(\"%b\", 0)",
     "\"0\" :: \"string\""},
    {"format(\"%.0d\", 0)",
     "\"\" :: \"string\""},
    {"format(\"%3c\", 65)",
     "ERR: Call to function \"format\" failed: unsupported format verb 'c' in \"%3c"
     "\" at offset 0."},
    {"format(\"%s\", \"%\")",
     "\"%\" :: \"string\""},
    {"format(\"%[2]d %d\", 1, 2, 3)",
     "\"2 3\" :: \"string\""},
    {"format(\"%[0]d\", 1)",
     "ERR: Call to function \"format\" failed: unrecognized format character '0' at "
     "offset 2."},
    {"format(\"%[x]d\", 1)",
     "ERR: Call to function \"format\" failed: unrecognized format character 'x' at "
     "offset 2."},
    {"format(\"%9.4f|%-9.4f|\", 3.14159265, 2.71828)",
     "\"   3.1416|2.7183   |\" :: \"string\""},
    {"formatlist(\"%s=%v\", [\"a\", \"b\"], [1, [2]])",
     "[\"a=1\",\"b=[2]\"] :: [\"list\",\"string\"]"},
    {"formatlist(\"%s\", [\"a\"], [\"b\"])",
     "ERR: Call to function \"formatlist\" failed: error on format iteration 0: too "
     "many arguments; only 1 used by format string."},
    {"formatlist(\"%s %s\", [\"a\", \"b\"], [])",
     "ERR: Invalid value for \"args\" parameter: argument 2 has length 0, which is i"
     "nconsistent with argument 1 of length 2."},
    {"formatlist(\"%v\", [null])",
     "[\"null\"] :: [\"list\",\"string\"]"},
    {"join(\", \", [1, true, \"x\"])",
     "\"1, true, x\" :: \"string\""},
    {"join(\", \", [])",
     "\"\" :: \"string\""},
    {"upper(\"\303\237\")",
     "\"\303\237\" :: \"string\""},
    {"lower(\"\304\260\")",
     "\"i\" :: \"string\""},
    {"split(\".\", \"a..b.\")",
     "[\"a\",\"\",\"b\",\"\"] :: [\"list\",\"string\"]"},
    {"split(\"ab\", \"abab\")",
     "[\"\",\"\",\"\"] :: [\"list\",\"string\"]"},
    {"trim(\"  a  \", \" \")",
     "\"a\" :: \"string\""},
    {"trim(\"aXbYa\", \"ab\")",
     "\"XbY\" :: \"string\""},
    {"trimprefix(\"\", \"\")",
     "\"\" :: \"string\""},
    {"chomp(\"\\n\")",
     "\"\" :: \"string\""},
    {"indent(2, \"\")",
     "\"\" :: \"string\""},
    {"indent(2, \"\\n\\n\")",
     "\"\\n  \\n  \" :: \"string\""},
    {"regex(\"^(?:a|b)+$\", \"abab\")",
     "\"abab\" :: \"string\""},
    {"regex(\"a{3}\", \"aaaa\")",
     "\"aaa\" :: \"string\""},
    {"regex(\"a{0,2}\", \"aaa\")",
     "\"aa\" :: \"string\""},
    {"regex(\"(?i)[a-c]+\", \"ABCD\")",
     "\"ABC\" :: \"string\""},
    {"regex(\"[^a]\", \"\\u00e9\")",
     "\"\303\251\" :: \"string\""},
    {"regex(\"\\\\x{1F600}\", \"\360\237\230\200\")",
     "\"\360\237\230\200\" :: \"string\""},
    {"regex(\"\\\\101\", \"A\")",
     "\"A\" :: \"string\""},
    {"regex(\"\\\\0\", \"\\u0000\")",
     "\"\\u0000\" :: \"string\""},
    {"regex(\"\\\\8\", \"8\")",
     "ERR: Invalid value for \"pattern\" parameter: invalid regexp pattern: invalid "
     "escape sequence in \\8."},
    {"regex(\"a\\\\\", \"a\")",
     "ERR: Invalid value for \"pattern\" parameter: invalid regexp pattern: trailing"
     " backslash at end of expression in ."},
    {"regex(\"[a-\\\\d]\", \"a\")",
     "ERR: Invalid value for \"pattern\" parameter: invalid regexp pattern: invalid "
     "escape sequence in \\d."},
    {"regex(\"(?z)a\", \"a\")",
     "ERR: Invalid value for \"pattern\" parameter: invalid regexp pattern: invalid "
     "or unsupported Perl syntax in (?z."},
    {"regex(\"(?i-i)A\", \"a\")",
     "ERR: Call to function \"regex\" failed: pattern did not match any part of the "
     "given string."},
    {"regex(\"(?i)(?-i:A)a\", \"aA\")",
     "ERR: Call to function \"regex\" failed: pattern did not match any part of the "
     "given string."},
    {"regex(\"(?:)\", \"x\")",
     "\"\" :: \"string\""},
    {"regex(\"()\", \"x\")",
     "[\"\"] :: [\"tuple\",[\"string\"]]"},
    {"regex(\"(a)|(b)\", \"b\")",
     "[null,\"b\"] :: [\"tuple\",[\"string\",\"string\"]]"},
    {"regex(\"(?P<first>a)|(?P<second>b)\", \"b\")",
     "{\"first\":null,\"second\":\"b\"} :: [\"object\",{\"first\":\"string\",\"secon"
     "d\":\"string\"}]"},
    {"regex(\"\\\\Q\\\\E\", \"x\")",
     "\"\" :: \"string\""},
    {"regex(\"[[:word:]]+\", \"a_b-c\")",
     "\"a_b\" :: \"string\""},
    {"regex(\"[\\\\p{L}\\\\d]+\", \"\303\2511-\")",
     "\"\303\2511\" :: \"string\""},
    {"regex(\"\\\\PL+\", \"12\303\251\")",
     "\"12\" :: \"string\""},
    {"regex(\"x{1001}\", \"x\")",
     "ERR: Invalid value for \"pattern\" parameter: invalid regexp pattern: invalid "
     "repeat count in {1001}."},
    {"regex(\"x{1000}\", \"x\")",
     "ERR: Call to function \"regex\" failed: pattern did not match any part of the "
     "given string."},
    {"regex(\"a+b+c+$\", \"aaabbbcccx aabbcc\")",
     "\"aabbcc\" :: \"string\""},
    {"regex(\"(a*)+$\", \"aaab\")",
     "[\"\"] :: [\"tuple\",[\"string\"]]"},
    {"regex(\"(a|b)*?b\", \"aab\")",
     "[\"a\"] :: [\"tuple\",[\"string\"]]"},
    {"regex(\".*\", \"\\u00ff\\u00fe\")",
     "\"\303\277\303\276\" :: \"string\""},
    {"regexall(\"[a-z]+\", \"\")",
     "[] :: [\"list\",\"string\"]"},
    {"regexall(\"(a)|b\", \"ab\")",
     "[[\"a\"],[null]] :: [\"list\",[\"tuple\",[\"string\"]]]"},
    {"regexall(\"\\\\d*\", \"a1b22\")",
     "[\"\",\"1\",\"22\"] :: [\"list\",\"string\"]"},
    {"regexall(\"(?m)^\", \"a\\nb\\n\")",
     "[\"\",\"\",\"\"] :: [\"list\",\"string\"]"},
    {"regexall(\"(?m)$\", \"a\\nb\\n\")",
     "[\"\",\"\",\"\"] :: [\"list\",\"string\"]"},
    {"jsondecode(\"{\")",
     "ERR: Call to function \"jsondecode\" failed: EOF."},
    {"jsondecode(\"\")",
     "ERR: Call to function \"jsondecode\" failed: EOF."},
    {"jsondecode(\"[1,]\")",
     "ERR: Call to function \"jsondecode\" failed: invalid character ']' looking for"
     " beginning of value."},
    {"jsondecode(\"  \")",
     "ERR: Call to function \"jsondecode\" failed: EOF."},
    {"jsondecode(\"[1\")",
     "ERR: Call to function \"jsondecode\" failed: EOF."},
    {"jsondecode(\"{\\\"a\\\" 1}\")",
     "ERR: Call to function \"jsondecode\" failed: invalid character '1' after objec"
     "t key."},
    {"jsondecode(\"nul\")",
     "ERR: Call to function \"jsondecode\" failed: unexpected EOF."},
    {"jsondecode(\"1 2\")",
     "ERR: Call to function \"jsondecode\" failed: extraneous data after JSON object"
     "."},
    {"concat([1, 2], [3])",
     "[1,2,3] :: [\"tuple\",[\"number\",\"number\",\"number\"]]"},
    {"concat([\"a\"], [1])",
     "[\"a\",1] :: [\"tuple\",[\"string\",\"number\"]]"},
    {"concat([[\"a\"]], [[1]])",
     "[[\"a\"],[1]] :: [\"tuple\",[[\"tuple\",[\"string\"]],[\"tuple\",[\"number\"]]"
     "]]"},
    {"concat([{\"a\": 1}], [{\"b\": 2}])",
     "[{\"a\":1},{\"b\":2}] :: [\"tuple\",[[\"object\",{\"a\":\"number\"}],[\"object"
     "\",{\"b\":\"number\"}]]]"},
    {"distinct([{\"a\": 1}, {\"a\": 1}])",
     "[{\"a\":1}] :: [\"list\",[\"object\",{\"a\":\"number\"}]]"},
    {"distinct([1, 2, 1, \"2\"])",
     "[\"1\",\"2\"] :: [\"list\",\"string\"]"},
    {"flatten([[1, \"a\"], [true]])",
     "[1,\"a\",true] :: [\"tuple\",[\"number\",\"string\",\"bool\"]]"},
    {"flatten([{\"a\": 1}, [{\"b\": 2}]])",
     "[{\"a\":1},{\"b\":2}] :: [\"tuple\",[[\"object\",{\"a\":\"number\"}],[\"object"
     "\",{\"b\":\"number\"}]]]"},
    {"keys({\"a\": 1, \"b\": \"x\"})",
     "[\"a\",\"b\"] :: [\"tuple\",[\"string\",\"string\"]]"},
    {"values({\"a\": 1, \"b\": \"x\"})",
     "[1,\"x\"] :: [\"tuple\",[\"number\",\"string\"]]"},
    {"values({\"a\": [1], \"b\": [2, 3]})",
     "[[1],[2,3]] :: [\"tuple\",[[\"tuple\",[\"number\"]],[\"tuple\",[\"number\",\"n"
     "umber\"]]]]"},
    {"merge({\"a\": 1}, {\"b\": \"x\"})",
     "{\"a\":1,\"b\":\"x\"} :: [\"object\",{\"a\":\"number\",\"b\":\"string\"}]"},
    {"merge({\"a\": [1]}, {\"a\": [1, 2]})",
     "{\"a\":[1,2]} :: [\"object\",{\"a\":[\"tuple\",[\"number\",\"number\"]]}]"},
    {"merge({}, {})",
     "{} :: [\"object\",{}]"},
    {"merge({\"a\": null})",
     "{\"a\":null} :: [\"object\",{\"a\":\"dynamic\"}]"},
    {"reverse([1, \"a\", true])",
     "[true,\"a\",1] :: [\"tuple\",[\"bool\",\"string\",\"number\"]]"},
    {"reverse([\"b\", \"a\"])",
     "[\"a\",\"b\"] :: [\"tuple\",[\"string\",\"string\"]]"},
    {"slice([1, \"a\", true], 1, 3)",
     "[\"a\",true] :: [\"tuple\",[\"string\",\"bool\"]]"},
    {"slice([\"a\", \"b\"], 1, 1)",
     "[] :: [\"tuple\",[]]"},
    {"setproduct([\"a\"], [1, 2])",
     "[[\"a\",1],[\"a\",2]] :: [\"list\",[\"tuple\",[\"string\",\"number\"]]]"},
    {"setproduct([[\"x\"]], [1])",
     "[[[\"x\"],1]] :: [\"list\",[\"tuple\",[[\"tuple\",[\"string\"]],\"number\"]]]"},
    {"setproduct([\"a\", \"a\"], [1])",
     "[[\"a\",1],[\"a\",1]] :: [\"list\",[\"tuple\",[\"string\",\"number\"]]]"},
    {"setunion([\"a\"], [1], [true])",
     "[\"1\",\"a\",\"true\"] :: [\"set\",\"string\"]"},
    {"setunion([], [])",
     "[] :: [\"set\",\"dynamic\"]"},
    {"setunion([{\"a\": 1}], [{\"a\": 2}])",
     "[{\"a\":1},{\"a\":2}] :: [\"set\",[\"object\",{\"a\":\"number\"}]]"},
    {"setintersection([1, 2], [2, 3], [2])",
     "[2] :: [\"set\",\"number\"]"},
    {"setsubtract([\"a\", \"b\"], [\"b\", \"c\"])",
     "[\"a\"] :: [\"set\",\"string\"]"},
    {"zipmap([\"a\", \"b\"], [1, \"x\"])",
     "{\"a\":1,\"b\":\"x\"} :: [\"object\",{\"a\":\"number\",\"b\":\"string\"}]"},
    {"zipmap([\"a\", \"b\"], [{\"x\": 1}, {\"x\": 2}])",
     "{\"a\":{\"x\":1},\"b\":{\"x\":2}} :: [\"object\",{\"a\":[\"object\",{\"x\":\"n"
     "umber\"}],\"b\":[\"object\",{\"x\":\"number\"}]}]"},
    {"zipmap([\"a\"], [[1]])",
     "{\"a\":[1]} :: [\"object\",{\"a\":[\"tuple\",[\"number\"]]}]"},
    {"chunklist([\"a\", \"b\", \"c\"], 2)",
     "[[\"a\",\"b\"],[\"c\"]] :: [\"list\",[\"list\",\"string\"]]"},
    {"chunklist([1, \"a\"], 5)",
     "[[\"1\",\"a\"]] :: [\"list\",[\"list\",\"string\"]]"},
    {"chunklist([[1], [2, 3]], 1)",
     "[[[1]],[[2,3]]] :: [\"list\",[\"list\",[\"list\",\"number\"]]]"},
    {"coalescelist([1], [\"a\"])",
     "[1] :: [\"tuple\",[\"number\"]]"},
    {"coalescelist([[1]], [])",
     "[[1]] :: [\"tuple\",[[\"tuple\",[\"number\"]]]]"},
    {"compact([])",
     "[] :: [\"list\",\"string\"]"},
    {"contains([[1]], [1])",
     "true :: \"bool\""},
    {"contains([{\"a\": 1}], {\"a\": 1})",
     "true :: \"bool\""},
    {"contains([\"1\"], 1)",
     "false :: \"bool\""},
    {"element([[1], [2, 3]], 1)",
     "[2,3] :: [\"tuple\",[\"number\",\"number\"]]"},
    {"element([1, \"a\"], 1)",
     "\"a\" :: \"string\""},
    {"sort([1, 10, 2])",
     "[\"1\",\"10\",\"2\"] :: [\"list\",\"string\"]"},
    {"sort([\"b\", \"a\"])",
     "[\"a\",\"b\"] :: [\"list\",\"string\"]"},
    {"join(\"-\", [1, 2.5])",
     "\"1-2.5\" :: \"string\""},
    {"join(\"-\", [true])",
     "\"true\" :: \"string\""},
    {"join(\"-\", [[1]])",
     "ERR: Invalid value for \"lists\" parameter: element 0: string required."},
    {"split(\"-\", 1)",
     "[\"1\"] :: [\"list\",\"string\"]"},
    {"upper(1)",
     "\"1\" :: \"string\""},
    {"upper(true)",
     "\"TRUE\" :: \"string\""},
    {"upper([])",
     "ERR: Invalid value for \"str\" parameter: string required."},
    {"upper({})",
     "ERR: Invalid value for \"str\" parameter: string required."},
    {"upper(null)",
     "ERR: Invalid value for \"str\" parameter: argument must not be null."},
    {"abs(\"1e2\")",
     "100 :: \"number\""},
    {"abs(\"x\")",
     "ERR: Invalid value for \"num\" parameter: a number is required."},
    {"abs(true)",
     "ERR: Invalid value for \"num\" parameter: number required."},
    {"max(\"3\", 2)",
     "3 :: \"number\""},
    {"max([1])",
     "ERR: Invalid value for \"numbers\" parameter: number required."},
    {"formatlist(\"%s\", {\"a\": 1})",
     "ERR: Call to function \"formatlist\" failed: error on format iteration 0: unsu"
     "pported value for \"%s\" at 0: string required."},
    {"formatlist(\"%v\", [[1]])",
     "[\"[1]\"] :: [\"list\",\"string\"]"},
    {"formatlist(\"%s-%s\", [\"a\", \"b\"], \"c\")",
     "[\"a-c\",\"b-c\"] :: [\"list\",\"string\"]"},
    {"format(\"%s\", {\"a\": 1})",
     "ERR: Call to function \"format\" failed: unsupported value for \"%s\" at 0: st"
     "ring required."},
    {"format(\"%v\", [null, true])",
     "\"[null,true]\" :: \"string\""},
    {"jsonencode({\"b\": [1, {\"c\": null}], \"a\": \"x\"})",
     "\"{\\\"a\\\":\\\"x\\\",\\\"b\\\":[1,{\\\"c\\\":null}]}\" :: \"string\""},
    {"jsonencode([])",
     "\"[]\" :: \"string\""},
    {"jsonencode({})",
     "\"{}\" :: \"string\""},
    {"jsonencode(3.0)",
     "\"3\" :: \"string\""},
    {"jsonencode(-0.0)",
     "\"-0\" :: \"string\""},
    {"jsonencode(1e-7)",
     "\"0.0000001\" :: \"string\""},
    {"jsonencode(123456789.123)",
     "\"123456789.123\" :: \"string\""},
    {"jsondecode(\"{\\\"b\\\": [1, true], \\\"a\\\": {}}\")",
     "{\"a\":{},\"b\":[1,true]} :: [\"object\",{\"a\":[\"object\",{}],\"b\":[\"tuple"
     "\",[\"number\",\"bool\"]]}]"},
    {"jsondecode(\"[]\")",
     "[] :: [\"tuple\",[]]"},
    {"jsondecode(\"{}\")",
     "{} :: [\"object\",{}]"},
    {"jsondecode(\"null\")",
     "null :: \"dynamic\""},
    {"jsondecode(\"\\\"x\\\"\")",
     "\"x\" :: \"string\""},
    {"jsondecode(\"1.5e-3\")",
     "0.0015 :: \"number\""},
    {"jsondecode(\"[1, [2, [3]]]\")",
     "[1,[2,[3]]] :: [\"tuple\",[\"number\",[\"tuple\",[\"number\",[\"tuple\",[\"num"
     "ber\"]]]]]]"},
    {"csvdecode(\"name,age\\nalice,30\\nbob,40\")",
     "[{\"age\":\"30\",\"name\":\"alice\"},{\"age\":\"40\",\"name\":\"bob\"}] :: [\""
     "list\",[\"object\",{\"age\":\"string\",\"name\":\"string\"}]]"},
    {"csvdecode(\"a,b\\n\\\"1\\\",\\\"\\\"\\n\")",
     "[{\"a\":\"1\",\"b\":\"\"}] :: [\"list\",[\"object\",{\"a\":\"string\",\"b\":\""
     "string\"}]]"},
    {"formatdate(\"DD/MM/YYYY\", \"2020-02-29T00:00:00Z\")",
     "\"29/02/2020\" :: \"string\""},
    {"formatdate(\"EEE\", \"1970-01-01T00:00:00Z\")",
     "\"Thu\" :: \"string\""},
    {"formatdate(\"EEEE\", \"1969-12-31T23:59:59Z\")",
     "\"Wednesday\" :: \"string\""},
    {"formatdate(\"YYYY\", \"1600-03-01T00:00:00Z\")",
     "\"1600\" :: \"string\""},
    {"formatdate(\"YYYY-MM-DD\", \"9999-12-31T23:59:59+14:00\")",
     "\"9999-12-31\" :: \"string\""},
    {"timeadd(\"1970-01-01T00:00:00Z\", \"-1s\")",
     "\"1969-12-31T23:59:59Z\" :: \"string\""},
    {"timeadd(\"2020-03-08T01:59:59-05:00\", \"1s\")",
     "\"2020-03-08T02:00:00-05:00\" :: \"string\""},
    {"timeadd(\"2020-12-31T23:59:59.999999999Z\", \"1ns\")",
     "\"2021-01-01T00:00:00Z\" :: \"string\""},
    {"timeadd(\"2020-01-01T00:00:00Z\", \"2562047h\")",
     "\"2312-04-11T23:00:00Z\" :: \"string\""},
    {"timeadd(\"2020-01-01T00:00:00Z\", \"9223372036s\")",
     "\"2312-04-11T23:47:16Z\" :: \"string\""},
    {"timeadd(\"2020-01-01T00:00:00Z\", \"99999999999h\")",
     "ERR: Call to function \"timeadd\" failed: time: invalid duration \"99999999999"
     "h\"."},
};

/* A type in cty's JSON notation: "string", ["list","number"], ... */
static void type_json(strbuf *b, const ty *t)
{
    enum ty_kind k = ty_kind(t);
    switch (k) {
    case TY_ANY: sb_puts(b, "\"dynamic\""); break;
    case TY_BOOL: sb_puts(b, "\"bool\""); break;
    case TY_NUMBER: sb_puts(b, "\"number\""); break;
    case TY_STRING: sb_puts(b, "\"string\""); break;
    case TY_LIST: case TY_SET: case TY_MAP:
        sb_printf(b, "[\"%s\",", k == TY_LIST ? "list" : k == TY_SET ? "set" : "map");
        type_json(b, ty_elem(t));
        sb_putc(b, ']');
        break;
    case TY_TUPLE:
        sb_puts(b, "[\"tuple\",[");
        for (size_t i = 0; i < ty_len(t); i++) {
            if (i)
                sb_putc(b, ',');
            type_json(b, ty_index(t, i));
        }
        sb_puts(b, "]]");
        break;
    case TY_OBJECT:
        sb_puts(b, "[\"object\",{");
        for (size_t i = 0; i < ty_len(t); i++) {
            if (i)
                sb_putc(b, ',');
            sb_printf(b, "\"%s\":", ty_attr_name(t, i));
            type_json(b, ty_index(t, i));
        }
        sb_puts(b, "}]");
        break;
    }
}

/* Split "name(a, b)" into the name and JSON arguments; call; render. */
static char *run_row(const char *call)
{
    char name[64];
    const char *lp = strchr(call, '(');
    size_t nl = (size_t)(lp - call);
    memcpy(name, call, nl);
    name[nl] = 0;
    const char *p = lp + 1;
    size_t end = strlen(p) - 1;   /* the closing parenthesis */
    val args[16];
    size_t na = 0, st = 0;
    int depth = 0, instr = 0;
    for (size_t i = 0; i <= end; i++) {
        char c = i < end ? p[i] : 0;
        if (instr) {
            if (c == '\\')
                i++;
            else if (c == '"')
                instr = 0;
            continue;
        }
        if (c == '"')
            instr = 1;
        else if (c == '[' || c == '{')
            depth++;
        else if (c == ']' || c == '}')
            depth--;
        else if ((c == ',' && depth == 0) || c == 0) {
            if (i > st && na < 16)
                args[na++] = val_from_json(p + st, i - st);
            st = i + 1;
        }
    }
    fn_err e;
    fn_ctx ctx = {0};
    val r = fn_call_name(name, &ctx, args, na, &e);
    if (!val_is_valid(r))
        return xasprintf("ERR: %s", e.msg);
    if (!val_is_wholly_known(r)) {
        val_free(r);
        return xstrdup("UNKNOWN");
    }
    char *js = val_to_json(&r, NULL);
    strbuf b = {0};
    ty *t = val_type(r);
    sb_puts(&b, js ? js : "?");
    sb_puts(&b, " :: ");
    type_json(&b, t);
    ty_free(t);
    free(js);
    val_free(r);
    return sb_take(&b);
}

TEST(fn_cty_conformance_table)
{
    for (size_t i = 0; i < sizeof fn_cty_rows / sizeof *fn_cty_rows; i++) {
        char *got = run_row(fn_cty_rows[i].call);
        if (strcmp(got, fn_cty_rows[i].want) != 0) {
            printf("# %s\n#   got  %s\n#   want %s\n", fn_cty_rows[i].call, got,
                   fn_cty_rows[i].want);
            harness_failed_checks++;
        }
        free(got);
    }
}

int main(int argc, char **argv)
{
    return harness_main(argc, argv);
}
