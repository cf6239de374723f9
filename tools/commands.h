/* Subcommands of the rensa host command: one file each (tools/cmd_*.c),
 * one line each in the table in tools/rensa.c. */
#ifndef RENSA_TOOLS_COMMANDS_H
#define RENSA_TOOLS_COMMANDS_H

#define EXIT_PROBLEM 1 /* ran, and found a problem (a failed check, a mismatch) */
#define EXIT_USAGE 2 /* unknown command or argument */
#define EXIT_INPUT 3 /* an input could not be read or parsed */

/* Each takes argv[0] = the subcommand name. */
int cmd_version(int argc, char **argv);
int cmd_options(int argc, char **argv);
int cmd_errors(int argc, char **argv);
int cmd_acm(int argc, char **argv);
int cmd_pcr(int argc, char **argv);
void cmd_pcr_help(void); /* `rensa pcr --help`: pcr predict's options */
int cmd_log(int argc, char **argv);
int cmd_mle(int argc, char **argv);
int cmd_txt(int argc, char **argv);

/* Shared helpers (tools/util.c) */
int has_flag(int argc, char **argv, const char *flag);
int check_flags(const char *cmd, int argc, char **argv, const char *const *allowed);
void json_string(const char *s);

#endif
