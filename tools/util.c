/* Helpers shared by the rensa subcommands. */
#include <stdio.h>
#include <string.h>
#include "commands.h"

int has_flag(int argc, char **argv, const char *flag)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], flag) == 0)
            return 1;
    return 0;
}

/* Every argument must be one of the allowed flags. */
int check_flags(const char *cmd, int argc, char **argv, const char *const *allowed)
{
    for (int i = 1; i < argc; i++) {
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            ok |= strcmp(argv[i], *a) == 0;
        if (!ok) {
            fprintf(stderr, "rensa %s: unknown argument '%s' (see 'rensa help')\n", cmd, argv[i]);
            return 0;
        }
    }
    return 1;
}

void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            printf("\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            printf("\\u%04x", *s);
        else
            putchar(*s);
    }
    putchar('"');
}

