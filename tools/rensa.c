/* rensa: the host command. Subcommands are listed in 'commands' below and
 * documented in docs/cli.md.
 *
 * Exit codes: 0 success; 1 the command ran and found a problem (a failed
 * check, a mismatch); 2 usage error (unknown subcommand or option);
 * 3 an input could not be read or parsed. */
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "errors.h"
#include "options.h"
#include "version.h"


struct command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
    void (*help)(void); /* COMMAND --help, when it has its own; else the list */
};

static int cmd_help(int argc, char **argv);

int cmd_version(int argc, char **argv)
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

int cmd_options(int argc, char **argv)
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

int cmd_errors(int argc, char **argv)
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
    {"help", "show this help", cmd_help, NULL},
    {"version", "print the version [--json]", cmd_version, NULL},
    {"options", "list the loader's command-line options with defaults [--json]", cmd_options, NULL},
    {"errors", "list every loader error code, name and meaning [--json]", cmd_errors, NULL},
    {"acm", "inspect SINIT AC modules, check one against a platform (info|check) [--json]", cmd_acm, NULL},
    {"pcr", "predict PCR17-19 from the kernel, modules and command lines, or after S3 (predict) [--json]", cmd_pcr,
     cmd_pcr_help},
    {"log", "show or replay Rensa's TCG event log, check it against PCR values (show|replay) [--json]", cmd_log, NULL},
    {"mle", "hash the MLE as SINIT measures it, through the MLE page table (hash) [--json]", cmd_mle, NULL},
    {"txt", "decode TXT error codes, check this machine can do a measured launch (error|check) [--json]", cmd_txt, NULL},
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
            if (has_flag(argc - 1, argv + 1, "--help")) {
                if (commands[i].help) {
                    commands[i].help();
                    return 0;
                }
                return cmd_help(0, NULL);
            }
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "rensa: unknown command '%s' (see 'rensa --help')\n", argv[1]);
    return EXIT_USAGE;
}
