/* What the stand-in's C code and the project's SHA code (tpm/sha1.c,
 * tpm/sha256.c, tpm/md.c) need from a C library, and the SHA glue: the
 * stand-in always uses the portable block functions (no SHA-NI, which
 * would need CR4.OSFXSR). */
#include <stddef.h>
#include <stdint.h>
#include "sha.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;
    while (n--)
        *d++ = (uint8_t)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}

enum sha_impl sha_active_impl(void)
{
    return SHA_IMPL_PORTABLE;
}

/* Never selected (sha_active_impl is always portable); here to link. */
void sha1_blocks_ni(uint32_t h[5], const uint8_t *p, size_t n)
{
    sha1_blocks_portable(h, p, n);
}

void sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t n)
{
    sha256_blocks_portable(h, p, n);
}
