/* A small, bounded printf: %d %i %u %x %X %c %s %p %%, flags '-' and '0',
 * a width, a precision for %s (".N" or ".*"), and the l, ll and z length
 * modifiers. Always NUL-terminates when size > 0; returns the length that
 * the full output would have had. */
#ifndef RENSA_FMT_H
#define RENSA_FMT_H

#include <stdarg.h>
#include "rtypes.h"

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);

#endif
