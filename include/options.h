/* Rensa's own command line. Every option is documented in README.md and
 * in OPTIONS below; names are matched exactly, never by prefix, and an
 * unknown option is an error. */
#ifndef RENSA_OPTIONS_H
#define RENSA_OPTIONS_H

#include "diag.h"
#include "rtypes.h"

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };
enum policy_action { ACTION_HALT = 0, ACTION_REBOOT = 1 };
enum pcr_map { PCR_MAP_LEGACY = 0, PCR_MAP_DA = 1 };

struct options {
    bool serial;
    uint16_t serial_port;
    uint32_t serial_baud;
    bool vga;
    enum log_level loglevel;
    enum policy_action on_error;
    enum pcr_map pcr_map;
    bool drtm_required; /* drtm=required: no DRTM is fatal */
    bool tpm_required; /* tpm=required: no TPM is fatal */
    /* Test build only (docs/emulated-launch.md): never set in a release. */
    uint64_t emu_heap; /* emu_heap=SIZE: the emulated BIOS's TXT heap size */
    bool emu_fault_pt; /* emu_fault=pt: corrupt the MLE page table */
    bool emu_fault_join; /* emu_fault=join: a JOIN structure with a bad selector */
    bool emu_fault_dmar; /* emu_fault=dmar: the emulated platform has no DMAR table */
    bool emu_fault_s3; /* emu_fault=s3: every SENTER after the first fails (the re-launch on S3 resume) */
};

struct option_desc {
    const char *name;
    const char *values;
    const char *dflt;
    const char *help;
};

extern const struct option_desc rensa_option_list[];
extern const unsigned rensa_option_count;

void options_default(struct options *o);
/* Parse a command line. A first word that contains '/' and no '=' is the
 * image path the boot loader put there and is skipped. */
enum rensa_err options_parse(const char *cmdline, struct options *o, struct diag *d);
/* Does the command line s (NULL: none) have a word that starts with w
 * (words are separated by spaces)? "maxcpus=" finds "maxcpus=4". */
bool cmdline_has_word(const char *s, const char *w);
const char *action_name(enum policy_action a);
const char *pcr_map_name(enum pcr_map m);

#endif
