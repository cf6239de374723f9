/* Error names and texts, generated from the one list in include/errors.h. */
#include <stdarg.h>
#include "diag.h"
#include "fmt.h"

/* One string of every name, in list order, and the codes beside it: a
 * third of the size of a switch in the loader image. */
static const char err_names[] =
#define RENSA_ERR_STR(name, code, text) #name "\0"
    RENSA_ERRORS(RENSA_ERR_STR)
#undef RENSA_ERR_STR
    ;
static const uint16_t err_codes[] = {
#define RENSA_ERR_CODE(name, code, text) code,
    RENSA_ERRORS(RENSA_ERR_CODE)
#undef RENSA_ERR_CODE
};

const char *err_name(enum rensa_err e)
{
    const char *p = err_names;
    for (size_t i = 0; i < sizeof(err_codes) / sizeof(err_codes[0]); i++) {
        if (err_codes[i] == (unsigned)e)
            return p;
        while (*p++)
            ;
    }
    return "E_UNKNOWN";
}

#ifdef RENSA_HOST
/* The sentences are for the host tool (`rensa errors`) and docs/errors.md;
 * the loader prints the name and its own diagnostic, which saves the
 * loader image about 2 KB of compressed text. */
const char *err_text(enum rensa_err e)
{
    switch (e) {
#define RENSA_ERR_TEXT(name, code, text) \
    case name:                            \
        return text;
        RENSA_ERRORS(RENSA_ERR_TEXT)
#undef RENSA_ERR_TEXT
    }
    return "unknown error";
}
#endif

enum rensa_err diag_set(struct diag *d, enum rensa_err code, const char *fmt, ...)
{
    if (d) {
        va_list ap;
        va_start(ap, fmt);
        d->code = code;
        fmt_vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
        va_end(ap);
    }
    return code;
}

void diag_vset_reason(struct diag *d, enum rensa_err code, const char *reason, const char *fmt, va_list ap)
{
    if (!d)
        return;
    d->code = code;
    int n = fmt_snprintf(d->msg, sizeof(d->msg), "%s: ", reason);
    if (n < 0 || (size_t)n >= sizeof(d->msg))
        n = 0;
    fmt_vsnprintf(d->msg + n, sizeof(d->msg) - (size_t)n, fmt, ap);
}
