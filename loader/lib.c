/* Memory and string helpers. The freestanding build needs its own memcpy
 * and friends (the compiler may emit calls to them); the r_ helpers are
 * shared with the host build. */
#include "rstring.h"

#ifndef RENSA_HOST
void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) {
        while (n--)
            *d++ = *s++;
    } else {
        while (n--)
            d[n] = s[n];
    }
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}
#endif

size_t r_strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

bool r_streq_n(const char *a, size_t n, const char *b)
{
    size_t i = 0;
    for (; i < n; i++)
        if (b[i] == '\0' || a[i] != b[i])
            return false;
    return b[i] == '\0';
}

bool r_parse_u64(const char *s, size_t n, uint64_t *out)
{
    unsigned base = 10;
    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        n -= 2;
    }
    if (n == 0)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d;
        char c = s[i];
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return false;
        /* No 64-bit division: the 32-bit loader has no libgcc. */
        if (base == 16 ? (v >> 60) != 0 : (v > 1844674407370955161ull || (v == 1844674407370955161ull && d > 5)))
            return false;
        v = v * base + d;
    }
    *out = v;
    return true;
}

uint64_t r_udiv64(uint64_t n, uint32_t d, uint32_t *rem)
{
    /* Shift-and-subtract division, so the 32-bit build needs no libgcc. */
    uint64_t q = 0;
    uint64_t r = 0;
    for (int i = 63; i >= 0; i--) {
        r = (r << 1) | ((n >> i) & 1);
        if (r >= d) {
            r -= d;
            q |= 1ull << i;
        }
    }
    if (rem)
        *rem = (uint32_t)r;
    return q;
}
