/* String and memory helpers. The loader provides its own (loader/lib.c);
 * host builds use the C library. */
#ifndef RENSA_RSTRING_H
#define RENSA_RSTRING_H

#include "rtypes.h"

#ifdef RENSA_HOST
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
#endif

/* Length of s, at most max (no read past s[max-1]). */
size_t r_strnlen(const char *s, size_t max);
/* True when the n bytes at a equal the NUL-terminated b exactly. */
bool r_streq_n(const char *a, size_t n, const char *b);
/* Parse an unsigned number (decimal or 0x hex) from s[0..n). */
bool r_parse_u64(const char *s, size_t n, uint64_t *out);
/* n / d with the remainder in *rem (if non-NULL), without libgcc. */
uint64_t r_udiv64(uint64_t n, uint32_t d, uint32_t *rem);

#endif
