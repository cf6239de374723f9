/* Measuring what Rensa hands on (docs/measurements.md). The pure parts —
 * the policy string and which PCR each event goes to — are shared with the
 * host's `rensa pcr predict`, so both compute the same thing. */
#ifndef RENSA_MEASURE_H
#define RENSA_MEASURE_H

#include "errors.h"
#include "options.h"
#include "rtypes.h"

#define MEASURE_POLICY_MAX 4352u /* the policy string, with a 4 KiB command line */
/* The event data (and digested bytes) of EV_RENSA_S3_RESUME. */
#define MEASURE_S3_TEXT "S3 resume: a new measured launch; the kernel in memory was not measured again"
#define MEASURE_NO_DRTM_TEXT "no dynamic root of trust: PCRs 17-22 started at all ones"

/* The EV_RENSA_POLICY event data. capped is a comma-separated list of bank
 * names or "" for none. Returns the length, or 0 when it does not fit. */
size_t measure_policy_string(const struct options *o, const char *capped, const char *cmdline, char *buf,
                             size_t size);

/* The PCR an event type goes to under a map (for EV_RENSA_NO_DRTM: the
 * n-th of the PCRs it marks, or -1 past the last). */
int measure_pcr(enum pcr_map map, uint32_t event_type, unsigned n);

struct rensa_ctx;
struct diag;

/* Detect the TPM, then extend and log every event of docs/measurements.md
 * at locality 2. Without a TPM and with tpm=optional it returns E_OK with
 * ctx->measured false. Writes the log at ctx->evlog_base (EVLOG_SIZE bytes,
 * set by the caller) and sets ctx->evlog_used. */
enum rensa_err measure_boot(struct rensa_ctx *ctx, struct diag *d);

/* Before GETSEC[SENTER]: detect the TPM, write the log's header (SINIT
 * appends its records after it) and release every locality, as SENTER
 * requires. ctx->evlog_used is where SINIT's records start. */
enum rensa_err measure_launch_prepare(struct rensa_ctx *ctx, struct diag *d);

/* Leaving the measured environment: extend PCRs 17-19 in every bank with
 * H(MEASURE_CAP_TEXT), so nothing sealed to the launch's values unseals
 * afterwards. Not logged: the log belongs to the OS by then. */
/* Before S3, after the caps: the TPM's state saved at locality 2
 * (tpm_save_state); nothing without a TPM. */
enum rensa_err measure_save_state(struct rensa_ctx *ctx, struct diag *d);

#define MEASURE_CAP_TEXT "rensa: left the measured environment"
/* Then reads PCR 17 of the first bank back (alg, up to EVLOG_DIGEST_MAX
 * bytes), so the console shows what the capping left. */
enum rensa_err measure_cap(struct rensa_ctx *ctx, uint16_t *alg, uint8_t *pcr17, struct diag *d);

#endif
