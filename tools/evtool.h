/* Shared by `rensa pcr` and `rensa log` (tools/cmd_pcr.c, tools/cmd_log.c,
 * tools/evtool.c): PCR banks by name, hashing and extending with OpenSSL
 * (an independent check of the loader's own SHA code), hex, files, and the
 * list of events the loader writes for a given set of boot files
 * (docs/measurements.md). */
#ifndef RENSA_TOOLS_EVTOOL_H
#define RENSA_TOOLS_EVTOOL_H

#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "evlog.h"
#include "options.h"

#define PCR_COUNT 24u

/* A PCR bank: TPM algorithm id, digest size, the name used on the command
 * line and in sysfs ("sha1", "sha256", "sha384", "sha512", "sm3_256"). */
struct tbank {
    uint16_t alg;
    uint16_t size;
    const char *name;
    bool capped; /* the loader cannot hash it: digests are all 0xFF */
};

bool tbank_by_name(const char *name, size_t len, struct tbank *b);
/* "sha1" ... or "alg_0xNNNN" (static buffer) for an unknown algorithm. */
const char *tbank_name(uint16_t alg);
/* Parse "sha1,sha256" into out (at most max); prints the error. */
bool tbank_list(const char *cmd, const char *opt, const char *s, struct tbank *out, unsigned max, unsigned *n);

/* Hash with OpenSSL EVP; false when OpenSSL lacks the algorithm. */
/* The OpenSSL digest of a TPM algorithm ID, NULL when OpenSSL has none. */
const EVP_MD *ev_md(uint16_t alg);
bool ev_hash(uint16_t alg, const void *data, size_t len, uint8_t *out);
/* pcr = H(pcr || digest), both size bytes of alg. */
bool ev_extend(uint16_t alg, uint8_t *pcr, const uint8_t *digest);

void hex_out(const uint8_t *p, size_t n); /* lower-case hex to stdout */
void hex_str(const uint8_t *p, size_t n, char *out); /* out: 2n+1 bytes */
/* Parse hex (upper or lower case, optional 0x) into out; false unless it
 * is exactly max bytes when exact, else up to max. */
bool hex_parse(const char *s, uint8_t *out, size_t max, size_t *n);

/* The whole file, malloc'd (NULL with errno set on failure). */
uint8_t *file_read(const char *path, size_t *len, size_t max);

/* ---- what the loader measures for a set of boot files ---- */

#define MEASURE_MODULES_MAX 32u

struct measure_input {
    const char *kernel;
    const char *kernel_cmdline;
    unsigned nmods;
    const char *mod[MEASURE_MODULES_MAX];
    const char *mod_cmdline[MEASURE_MODULES_MAX];
    bool kernel_nounzip; /* GRUB's --nounzip: hash the file as it is */
    bool mod_nounzip[MEASURE_MODULES_MAX];
    const char *rensa_cmdline;
    bool tpm12;
    bool s3_resume; /* the launch after an S3 resume: no kernel or module events */
    unsigned nbanks; /* hashed banks, then capped ones */
    struct tbank banks[EVLOG_MAX_BANKS];
};

/* One event the loader writes. */
struct mevent {
    uint32_t pcr;
    uint32_t type;
    char *text; /* event data, NUL-terminated for printing */
    uint32_t text_len;
    uint8_t digest[EVLOG_MAX_BANKS][EVLOG_DIGEST_MAX];
};

struct measure_plan {
    struct options opt;
    char policy[4400];
    unsigned count;
    struct mevent ev[4 + 2 * (MEASURE_MODULES_MAX + 1)];
};

void measure_input_init(struct measure_input *in);
/* Consume the option at argv[*i] if it is one of the shared inputs
 * (--kernel, --kernel-cmdline, --module, --module-cmdline, --nounzip,
 * --rensa-cmdline, --banks, --capped, --tpm12, --s3-resume), advancing *i
 * past its value. Returns 1 when consumed, 0 when not one of them, -1 on a
 * usage error (printed). */
int measure_input_arg(const char *cmd, struct measure_input *in, int argc, char **argv, int *i);
/* Check the input is complete and consistent (prints the error); fills in
 * the default banks. --kernel is required unless s3_resume. Returns an exit
 * code (0 ok). */
int measure_input_finish(const char *cmd, struct measure_input *in);
/* Every event of a boot without a DRTM, in the loader's order (the
 * EV_RENSA_NO_DRTM events first; a DRTM boot omits exactly those). With
 * s3_resume, the launch after an S3 resume: the policy event, then one
 * EV_RENSA_S3_RESUME event instead of the kernel's and the modules' events
 * (their files are not read). A resume is always a DRTM launch: only the
 * plan without the EV_RENSA_NO_DRTM events happens then. Returns an exit
 * code (0, EXIT_INPUT for an unreadable file or a bad Rensa command line);
 * prints the error. */
int measure_plan_build(const char *cmd, const struct measure_input *in, struct measure_plan *p);
void measure_plan_free(struct measure_plan *p);

/* The name of an event type ("EV_RENSA_KERNEL", "EV_NO_ACTION", ...) or
 * NULL when unknown. */
const char *ev_type_name(uint32_t type);

#endif
