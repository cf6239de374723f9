#include <stdio.h>
#include "fmt.h"
#include "rstring.h"
#include "unit.h"

static void same_as_libc(const char *f, unsigned long long v)
{
    char a[64], b[64];
    fmt_snprintf(a, sizeof(a), f, v);
    snprintf(b, sizeof(b), f, v);
    CHECK_STR(a, b);
}

TEST(fmt_numbers_match_libc)
{
    const unsigned long long vals[] = {0, 1, 9, 10, 0xff, 123456789, 0xffffffffull, 0x100000000ull,
                                       18446744073709551615ull};
    for (unsigned i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        same_as_libc("%llu", vals[i]);
        same_as_libc("%llx", vals[i]);
        same_as_libc("%016llx", vals[i]);
        same_as_libc("%-20llu|", vals[i]);
        same_as_libc("%llX", vals[i]);
    }
    char buf[32];
    fmt_snprintf(buf, sizeof(buf), "%d %i %5d %-4d|", -42, 7, -3, 5);
    CHECK_STR(buf, "-42 7    -3 5   |");
    fmt_snprintf(buf, sizeof(buf), "%05d", -42);
    CHECK_STR(buf, "-0042");
}

TEST(fmt_strings_and_truncation)
{
    char buf[8];
    int n = fmt_snprintf(buf, sizeof(buf), "%s-%c", "abcdefgh", 'z');
    CHECK_EQ(n, 10);
    CHECK_STR(buf, "abcdefg");
    char big[32];
    const char *volatile nul = NULL;
    fmt_snprintf(big, sizeof(big), "[%.3s][%.*s][%s]", "abcdef", 2, "xyz", nul);
    CHECK_STR(big, "[abc][xy][(null)]");
    const char *volatile odd = "100%% %q";
    fmt_snprintf(big, sizeof(big), odd);
    CHECK_STR(big, "100% %q");
    CHECK_EQ(fmt_snprintf(NULL, 0, "%s", "abc"), 3);
}

TEST(parse_u64_bounds)
{
    uint64_t v;
    CHECK(r_parse_u64("18446744073709551615", 20, &v) && v == UINT64_MAX);
    CHECK(!r_parse_u64("18446744073709551616", 20, &v));
    CHECK(r_parse_u64("0xffffffffffffffff", 18, &v) && v == UINT64_MAX);
    CHECK(!r_parse_u64("0x10000000000000000", 19, &v));
    CHECK(!r_parse_u64("0x", 2, &v));
    CHECK(!r_parse_u64("12a", 3, &v));
    CHECK(r_parse_u64("0x3F8", 5, &v) && v == 0x3f8);
    uint32_t rem;
    CHECK_EQ(r_udiv64(1000000000007ull, 10, &rem), 100000000000ull);
    CHECK_EQ(rem, 7);
}
