/* libFuzzer target: Rensa's command-line parser. */
#include <stdlib.h>
#include <string.h>
#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    struct options o;
    struct diag d;
    options_default(&o);
    options_parse(s, &o, &d);
    free(s);
    return 0;
}
