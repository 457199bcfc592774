/* tests/unit/test_version.c — required_version constraints. */
#include "engine/version.h"
#include "tests/unit/harness.h"

TEST(version_operators)
{
    CHECK_INT(version_satisfies("1.9.0", ">= 1.3"), 1);
    CHECK_INT(version_satisfies("1.9.0", ">= 1.3, < 2.0"), 1);
    CHECK_INT(version_satisfies("1.9.0", "< 1.9"), 0);
    CHECK_INT(version_satisfies("1.9.0", "<= 1.9"), 1);
    CHECK_INT(version_satisfies("1.9.0", "> 1.9.0"), 0);
    CHECK_INT(version_satisfies("1.9.0", "= 1.9.0"), 1);
    CHECK_INT(version_satisfies("1.9.0", "1.9.0"), 1);
    CHECK_INT(version_satisfies("1.9.0", "!= 1.9.0"), 0);
    CHECK_INT(version_satisfies("1.9.0", ">= 1.10"), 0);
}

TEST(version_pessimistic)
{
    CHECK_INT(version_satisfies("1.9.0", "~> 1.5"), 1);
    CHECK_INT(version_satisfies("2.0.0", "~> 1.5"), 0);
    CHECK_INT(version_satisfies("1.9.0", "~> 1.9.0"), 1);
    CHECK_INT(version_satisfies("1.10.0", "~> 1.9.0"), 0);
    CHECK_INT(version_satisfies("1.4.9", "~> 1.5"), 0);
}

TEST(version_bad_constraint)
{
    CHECK_INT(version_satisfies("1.9.0", ">= banana"), CAIRN_EINVAL);
    CHECK_INT(version_satisfies("1.9.0", ">>> 1.0"), CAIRN_EINVAL);
}

int main(int argc, char **argv) { return harness_main(argc, argv); }
