/* Unit tests for lang/fn_time.c and lang/fn_net.c.  Expected values are
 * the examples of Terraform's function documentation unless noted. */
#include "tests/unit/harness.h"
#include "tests/unit/fn_testutil.h"

TEST(fn_formatdate_doc_examples)
{
    CHECK_STR(call("formatdate", 2, S("DD MMM YYYY hh:mm ZZZ"), S("2018-01-02T23:12:01Z")),
              "\"02 Jan 2018 23:12 UTC\"");
    CHECK_STR(call("formatdate", 2, S("EEEE, DD-MMM-YY hh:mm:ss ZZZ"),
                   S("2018-01-02T23:12:01Z")),
              "\"Tuesday, 02-Jan-18 23:12:01 UTC\"");
    CHECK_STR(call("formatdate", 2, S("EEE, DD MMM YYYY hh:mm:ss ZZZ"),
                   S("2018-01-02T23:12:01-08:00")),
              "\"Tue, 02 Jan 2018 23:12:01 -0800\"");
    CHECK_STR(call("formatdate", 2, S("MMM DD, YYYY"), S("2018-01-02T23:12:01Z")),
              "\"Jan 02, 2018\"");
    CHECK_STR(call("formatdate", 2, S("HH:mmaa"), S("2018-01-02T23:12:01Z")), "\"11:12pm\"");
    CHECK_STR(call("formatdate", 2, S("h 'o''clock'"), S("2018-01-02T04:12:01Z")),
              "\"4 o'clock\"");
}

TEST(fn_formatdate_more)
{
    CHECK_STR(call("formatdate", 2, S("YYYY-MM-DD'T'hh:mm:ssZ"), S("2000-02-29T00:00:00+05:30")),
              "\"2000-02-29T00:00:00+05:30\"");
    CHECK_STR(call("formatdate", 2, S("M/D H AA ZZZZ ZZZZZ MMMM EEEE"),
                   S("2024-03-05T12:07:09.5Z")),
              "\"3/5 12 PM +0000 +00:00 March Tuesday\"");
    CHECK_STR(call("formatdate", 2, S("YYY"), S("2018-01-02T23:12:01Z")),
              "ERR(0): Invalid value for \"format\" parameter: invalid date format verb \"YYY\": "
              "year must either be \"YY\" or \"YYYY\".");
    CHECK_STR(call("formatdate", 2, S("'abc"), S("2018-01-02T23:12:01Z")),
              "ERR(0): Invalid value for \"format\" parameter: unterminated literal '.");
    CHECK_STR(call("formatdate", 2, S("x"), S("2018-01-02")),
              "ERR(1): Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: "
              "missing required time introducer 'T'.");
    CHECK_STR(call("formatdate", 2, S("x"), S("2018-02-30T00:00:00Z")),
              "ERR(1): Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: day "
              "out of range.");
    CHECK_STR(call("formatdate", 2, S("x"), S("2018-01-02T00:00:00")),
              "ERR(1): Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: end "
              "of string before UTC offset.");
}

TEST(fn_timeadd)
{
    CHECK_STR(call("timeadd", 2, S("2017-11-22T00:00:00Z"), S("10m")),
              "\"2017-11-22T00:10:00Z\"");
    CHECK_STR(call("timeadd", 2, S("2017-11-22T00:00:00Z"), S("-1h30m")),
              "\"2017-11-21T22:30:00Z\"");
    CHECK_STR(call("timeadd", 2, S("2017-12-31T23:00:00+01:00"), S("1.5h")),
              "\"2018-01-01T00:30:00+01:00\"");
    CHECK_STR(call("timeadd", 2, S("2024-02-28T12:00:00Z"), S("24h")),
              "\"2024-02-29T12:00:00Z\"");
    CHECK_STR(call("timeadd", 2, S("2017-11-22T00:00:00Z"), S("1d")),
              "ERR(-1): Call to function \"timeadd\" failed: time: unknown unit \"d\" in "
              "duration \"1d\".");
    CHECK_STR(call("timeadd", 2, S("2017-11-22T00:00:00Z"), S("10")),
              "ERR(-1): Call to function \"timeadd\" failed: time: missing unit in duration "
              "\"10\".");
    CHECK_STR(call("timeadd", 2, S("2017-11-22T00:00:00Z"), S("x")),
              "ERR(-1): Call to function \"timeadd\" failed: time: invalid duration \"x\".");
}

TEST(fn_timecmp)
{
    CHECK_STR(call("timecmp", 2, S("2017-11-22T00:00:00Z"), S("2017-11-22T00:00:00Z")), "0");
    CHECK_STR(call("timecmp", 2, S("2017-11-22T00:00:00Z"), S("2017-11-22T01:00:00Z")), "-1");
    CHECK_STR(call("timecmp", 2, S("2017-11-22T01:00:00Z"), S("2017-11-22T00:00:00Z")), "1");
    CHECK_STR(call("timecmp", 2, S("2017-11-22T01:00:00Z"), S("2017-11-22T00:00:00-01:00")),
              "0");
    CHECK_STR(call("timecmp", 2, S("2017-11-22T01:00:00Z"), S("x")),
              "ERR(1): Invalid value for \"timestamp_b\" parameter: not a valid RFC3339 "
              "timestamp: cannot use \"x\" as year.");
}

TEST(fn_timestamp)
{
    CHECK_STR(call("timestamp", 0), "unknown(string)");
    fnt_ctx.allow_impure = 1;
    const char *t = call("timestamp", 0);
    fnt_ctx.allow_impure = 0;
    CHECK(strlen(t) == 22 && t[11] == 'T' && t[20] == 'Z');
}

TEST(fn_cidrhost)
{
    CHECK_STR(call("cidrhost", 2, S("10.12.112.0/20"), N(16)), "\"10.12.112.16\"");
    CHECK_STR(call("cidrhost", 2, S("10.12.112.0/20"), N(268)), "\"10.12.113.12\"");
    CHECK_STR(call("cidrhost", 2, S("fd00:fd12:3456:7890:00a2::/72"), N(34)),
              "\"fd00:fd12:3456:7890::22\"");
    CHECK_STR(call("cidrhost", 2, S("10.0.0.0/24"), N(-1)), "\"10.0.0.255\"");
    CHECK_STR(call("cidrhost", 2, S("10.0.0.0/30"), N(4)),
              "ERR(-1): Call to function \"cidrhost\" failed: prefix of 30 does not accommodate "
              "a host numbered 4.");
    CHECK_STR(call("cidrhost", 2, S("10.0.0.0"), N(1)),
              "ERR(-1): Call to function \"cidrhost\" failed: invalid CIDR expression: invalid "
              "CIDR address: 10.0.0.0.");
}

TEST(fn_cidrnetmask)
{
    CHECK_STR(call("cidrnetmask", 1, S("172.16.0.0/12")), "\"255.240.0.0\"");
    CHECK_STR(call("cidrnetmask", 1, S("10.0.0.0/0")), "\"0.0.0.0\"");
    CHECK_STR(call("cidrnetmask", 1, S("10.0.0.1/32")), "\"255.255.255.255\"");
}

TEST(fn_cidrsubnet)
{
    CHECK_STR(call("cidrsubnet", 3, S("172.16.0.0/12"), N(4), N(2)), "\"172.18.0.0/16\"");
    CHECK_STR(call("cidrsubnet", 3, S("10.1.2.0/24"), N(4), N(15)), "\"10.1.2.240/28\"");
    CHECK_STR(call("cidrsubnet", 3, S("fd00:fd12:3456:7890::/56"), N(16), N(162)),
              "\"fd00:fd12:3456:7800:a200::/72\"");
    CHECK_STR(call("cidrsubnet", 3, S("10.1.2.0/24"), N(4), N(16)),
              "ERR(-1): Call to function \"cidrsubnet\" failed: prefix extension of 4 does not "
              "accommodate a subnet numbered 16.");
    CHECK_STR(call("cidrsubnet", 3, S("10.1.2.0/24"), N(9), N(0)),
              "ERR(-1): Call to function \"cidrsubnet\" failed: insufficient address space to "
              "extend prefix of 24 by 9.");
}

TEST(fn_cidrsubnets)
{
    CHECK_STR(call("cidrsubnets", 5, S("10.1.0.0/16"), N(4), N(4), N(8), N(4)),
              "list[\"10.1.0.0/20\", \"10.1.16.0/20\", \"10.1.32.0/24\", \"10.1.48.0/20\"]");
    CHECK_STR(call("cidrsubnets", 5, S("fd00:fd12:3456:7890::/56"), N(16), N(16), N(16), N(32)),
              "list[\"fd00:fd12:3456:7800::/72\", \"fd00:fd12:3456:7800:100::/72\", "
              "\"fd00:fd12:3456:7800:200::/72\", \"fd00:fd12:3456:7800:300::/88\"]");
    CHECK_STR(call("cidrsubnets", 1, S("10.0.0.0/8")), "list[]");
    CHECK_STR(call("cidrsubnets", 3, S("10.0.0.0/30"), N(1), N(1)),
              "list[\"10.0.0.0/31\", \"10.0.0.2/31\"]");
    CHECK_STR(call("cidrsubnets", 4, S("10.0.0.0/30"), N(1), N(1), N(1)),
              "ERR(3): Invalid value for \"newbits\" parameter: not enough remaining address "
              "space for a subnet with a prefix of 31 bits after 10.0.0.2/31.");
    CHECK_STR(call("cidrsubnets", 2, S("10.0.0.0/30"), N(0)),
              "ERR(1): Invalid value for \"newbits\" parameter: must extend prefix by at least "
              "one bit.");
    CHECK_STR(call("cidrsubnets", 2, S("10.0.0.0/30"), N(3)),
              "ERR(1): Invalid value for \"newbits\" parameter: would extend prefix to 33 bits, "
              "which is too long for an IPv4 address.");
}

int main(int argc, char **argv)
{
    return harness_main(argc, argv);
}
