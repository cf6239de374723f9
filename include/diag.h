/* An error code with a sentence naming exactly what is wrong. Parsers and
 * placement code fill one in; the caller decides the action. */
#ifndef RENSA_DIAG_H
#define RENSA_DIAG_H

#include <stdarg.h>
#include "errors.h"
#include "rtypes.h"

struct diag {
    enum rensa_err code;
    char msg[320];
};

/* Record code and a formatted message in d (if non-NULL); returns code. */
enum rensa_err diag_set(struct diag *d, enum rensa_err code, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* Record code and "REASON_NAME: formatted message" in d (if non-NULL): the
 * form of every finer-grained reason (ACM, MLE page table, TXT heap). */
void diag_vset_reason(struct diag *d, enum rensa_err code, const char *reason, const char *fmt, va_list ap);

#endif
