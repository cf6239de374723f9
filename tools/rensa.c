/* rensa: the host command. Subcommands are listed in 'commands' below and
 * documented in docs/cli.md.
 *
 * Exit codes: 0 success; 1 the command ran and found a problem (a failed
 * check, a mismatch); 2 usage error (unknown subcommand or option);
 * 3 an input could not be read or parsed. */
#include <stdio.h>
#include <string.h>
#include "errors.h"
#include "options.h"
#include "version.h"

#define EXIT_PROBLEM 1
#define EXIT_USAGE 2

struct command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
};

static int cmd_help(int argc, char **argv);

static int has_flag(int argc, char **argv, const char *flag)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], flag) == 0)
            return 1;
    return 0;
}

/* Every argument must be one of the allowed flags. */
static int check_flags(const char *cmd, int argc, char **argv, const char *const *allowed)
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

static void json_string(const char *s)
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

static int cmd_version(int argc, char **argv)
{
    static const char *const allowed[] = {"--json", NULL};
    if (!check_flags("version", argc, argv, allowed))
        return EXIT_USAGE;
    if (has_flag(argc, argv, "--json"))
        printf("{\"version\": \"%s\"}\n", RENSA_VERSION);
    else
        printf("rensa %s\n", RENSA_VERSION);
    return 0;
}

static int cmd_options(int argc, char **argv)
{
    static const char *const allowed[] = {"--json", NULL};
    if (!check_flags("options", argc, argv, allowed))
        return EXIT_USAGE;
    int json = has_flag(argc, argv, "--json");
    if (json)
        printf("[");
    for (unsigned i = 0; i < rensa_option_count; i++) {
        const struct option_desc *o = &rensa_option_list[i];
        if (json) {
            printf("%s\n  {\"name\": ", i ? "," : "");
            json_string(o->name);
            printf(", \"values\": ");
            json_string(o->values);
            printf(", \"default\": ");
            json_string(o->dflt);
            printf(", \"help\": ");
            json_string(o->help);
            printf("}");
        } else {
            printf("%s=%s\n    default %s; %s\n", o->name, o->values, o->dflt, o->help);
        }
    }
    if (json)
        printf("\n]\n");
    return 0;
}

static int cmd_errors(int argc, char **argv)
{
    static const char *const allowed[] = {"--json", NULL};
    if (!check_flags("errors", argc, argv, allowed))
        return EXIT_USAGE;
    int json = has_flag(argc, argv, "--json");
    static const struct {
        unsigned code;
        const char *name, *text;
    } list[] = {
#define RENSA_ERR_ROW(name, code, text) {code, #name, text},
        RENSA_ERRORS(RENSA_ERR_ROW)
#undef RENSA_ERR_ROW
    };
    if (json)
        printf("[");
    for (unsigned i = 0; i < sizeof(list) / sizeof(list[0]); i++) {
        if (json) {
            printf("%s\n  {\"code\": %u, \"name\": \"%s\", \"text\": ", i ? "," : "", list[i].code, list[i].name);
            json_string(list[i].text);
            printf("}");
        } else {
            printf("0x%03x  %-22s %s\n", list[i].code, list[i].name, list[i].text);
        }
    }
    if (json)
        printf("\n]\n");
    return 0;
}

static const struct command commands[] = {
    {"help", "show this help", cmd_help},
    {"version", "print the version [--json]", cmd_version},
    {"options", "list the loader's command-line options with defaults [--json]", cmd_options},
    {"errors", "list every loader error code, name and meaning [--json]", cmd_errors},
};

static int cmd_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("usage: rensa <command> [arguments]\n\n"
           "Rensa is a measured-launch loader for Intel TXT; this host command inspects\n"
           "and explains what the loader does. Commands:\n\n");
    for (unsigned i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        printf("  %-10s %s\n", commands[i].name, commands[i].summary);
    printf("\nExit codes: 0 success, 1 a check found a problem, 2 usage error,\n"
           "3 an input could not be read or parsed. Full documentation: docs/cli.md.\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        cmd_help(0, NULL);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return cmd_help(0, NULL);
    if (strcmp(argv[1], "--version") == 0)
        return cmd_version(1, argv);
    for (unsigned i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            if (has_flag(argc - 1, argv + 1, "--help"))
                return cmd_help(0, NULL);
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "rensa: unknown command '%s' (see 'rensa --help')\n", argv[1]);
    return EXIT_USAGE;
}
