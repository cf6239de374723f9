/* A tiny unit-test harness. Each test file defines tests with TEST(name);
 * the runner (tests/unit/main.c) runs every registered test and ends with
 * "N passed, N failed". A failed CHECK fails the test and continues. */
#ifndef RENSA_UNIT_H
#define RENSA_UNIT_H

#include <stdio.h>
#include <string.h>

struct unit_test {
    const char *name;
    void (*fn)(void);
    struct unit_test *next;
};

void unit_register(struct unit_test *t);
extern int unit_failures; /* CHECK failures in the running test */

#define TEST(name)                                                            \
    static void test_##name(void);                                            \
    static struct unit_test unit_##name = {#name, test_##name, NULL};         \
    __attribute__((constructor)) static void unit_reg_##name(void)            \
    {                                                                         \
        unit_register(&unit_##name);                                          \
    }                                                                         \
    static void test_##name(void)

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "  %s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            unit_failures++;                                                          \
        }                                                                             \
    } while (0)

#define CHECK_EQ(a, b)                                                                       \
    do {                                                                                     \
        unsigned long long _a = (unsigned long long)(a), _b = (unsigned long long)(b);       \
        if (_a != _b) {                                                                      \
            fprintf(stderr, "  %s:%d: CHECK_EQ failed: %s == 0x%llx, %s == 0x%llx\n", __FILE__, \
                    __LINE__, #a, _a, #b, _b);                                               \
            unit_failures++;                                                                 \
        }                                                                                    \
    } while (0)

#define CHECK_STR(a, b)                                                                           \
    do {                                                                                          \
        const char *_a = (a), *_b = (b);                                                          \
        if (!_a || !_b || strcmp(_a, _b) != 0) {                                                  \
            fprintf(stderr, "  %s:%d: CHECK_STR failed: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
                    _a ? _a : "(null)", _b ? _b : "(null)");                                      \
            unit_failures++;                                                                      \
        }                                                                                         \
    } while (0)

#endif
