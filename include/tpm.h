/* The TPM driver: TIS/FIFO and CRB interfaces, TPM 1.2 and TPM 2.0
 * commands. All state is in one struct tpm that the caller keeps (in the
 * launch context); there are no globals. Every register access goes
 * through include/platform.h, every wait ends by a real-time deadline
 * (include/timer.h), every failure returns a named error with a sentence
 * in the struct diag. docs/tpm.md describes the design. */
#ifndef RENSA_TPM_H
#define RENSA_TPM_H

#include "diag.h"
#include "rtypes.h"
#include "timer.h"

/* Hash algorithms (TPM_ALG_ID) Rensa knows the digest size of. */
#define TPM_ALG_SHA1 0x0004u
#define TPM_ALG_SHA256 0x000Bu
#define TPM_ALG_SHA384 0x000Cu
#define TPM_ALG_SHA512 0x000Du
#define TPM_ALG_SM3_256 0x0012u

#define TPM_DIGEST_MAX 64u /* SHA-512 */
#define TPM_BANKS_MAX 8u /* PCR banks kept from TPM_CAP_PCRS */
#define TPM_PCR_SELECT_MAX 8u /* bytes of a PCR bitmap kept (64 PCRs) */
#define TPM_BUF_MAX 1024u /* largest command or response Rensa sends or accepts */

/* The standard TPM register block (TIS, PTP FIFO and PTP CRB). */
#define TPM_MMIO_BASE 0xFED40000u
#define TPM_LOCALITY_STRIDE 0x1000u
#define TPM_LOCALITY_MAX 3u /* 4 belongs to the processor (SENTER) */

enum tpm_family {
    TPM_FAMILY_UNKNOWN = 0,
    TPM_FAMILY_12 = 1,
    TPM_FAMILY_20 = 2,
};

enum tpm_iface {
    TPM_IF_NONE = 0,
    TPM_IF_TIS = 1, /* TIS 1.2/1.3 FIFO (INTERFACE_ID 0xF or absent) */
    TPM_IF_FIFO = 2, /* PTP FIFO (INTERFACE_ID type 0) */
    TPM_IF_CRB = 3, /* PTP CRB (INTERFACE_ID type 1 / ACPI start method 7) */
};

/* How long a command may run: picks the duration Rensa waits for. */
enum tpm_dur {
    TPM_DUR_SHORT = 0,
    TPM_DUR_MEDIUM = 1,
    TPM_DUR_LONG = 2,
};

/* All in milliseconds. */
struct tpm_timeouts {
    uint32_t a, b, c, d;
    uint32_t dur[3]; /* indexed by enum tpm_dur */
};

/* One PCR bank of a TPM 2.0 (from TPM2_GetCapability(TPM_CAP_PCRS)). */
struct tpm_bank {
    uint16_t alg;
    uint16_t size; /* digest bytes; 0 when Rensa does not know the algorithm */
    uint8_t select_size; /* bytes of the TPM's bitmap (may exceed what is kept) */
    uint8_t select[TPM_PCR_SELECT_MAX]; /* PCRs allocated in this bank */
    bool active; /* at least one PCR allocated */
};

struct tpm {
    enum tpm_family family;
    enum tpm_iface iface;
    const struct clock *clock;
    paddr_t base; /* locality-0 registers (TIS/FIFO, CRB LOC_* if any) */
    paddr_t crb_ctrl; /* CRB control area (0 on TIS/FIFO) */
    bool crb_loc_regs; /* CRB locality registers at crb_ctrl - 0x40 */
    int locality; /* active locality, -1 when none */
    uint32_t intf_id; /* INTERFACE_ID as read (0xFFFFFFFF on TIS 1.2) */
    uint32_t did_vid; /* DID_VID (TIS/FIFO) */
    struct tpm_timeouts to;
    unsigned pcr_count;
    uint8_t version[4]; /* TPM 1.2: major, minor, revMajor, revMinor */
    unsigned bank_count; /* TPM 2.0 */
    struct tpm_bank banks[TPM_BANKS_MAX];
    uint32_t last_rc; /* return code of the last command */
    unsigned commands; /* commands sent (each attempt counts), for the launch report */
    uint8_t cmd[TPM_BUF_MAX];
    uint8_t rsp[TPM_BUF_MAX];
};

struct tpm_config {
    const struct clock *clock;
    const uint8_t *rsdp; /* copy of the ACPI RSDP (boot_info.rsdp), or NULL */
    unsigned rsdp_len; /* 0: scan the EBDA and 0xE0000-0xFFFFF for one */
};

/* Digests for a PCR extend, one per algorithm. */
struct tpm_digest_set {
    unsigned count;
    struct {
        uint16_t alg;
        uint8_t digest[TPM_DIGEST_MAX];
    } d[TPM_BANKS_MAX];
};

/* Digest size of a hash algorithm, 0 when unknown. */
unsigned tpm_alg_digest_size(uint16_t alg);
const char *tpm_alg_name(uint16_t alg);
/* A name for a return code ("TPM_RC_HANDLE", "TPM_BADINDEX"), or NULL. */
const char *tpm_rc_name(enum tpm_family f, uint32_t rc);

/* Find the TPM, its interface and family, request locality 0 to ask it
 * for its timeouts, PCR count and (2.0) PCR banks, then release it.
 * E_TPM_ABSENT when nothing answers at TPM_MMIO_BASE. */
enum rensa_err tpm_detect(struct tpm *t, const struct tpm_config *cfg, struct diag *d);

/* Request locality loc (0-3; CRB: 0 only) and wait until it is granted. */
enum rensa_err tpm_request_locality(struct tpm *t, unsigned loc, struct diag *d);
/* Release the active locality (no-op when none is active). */
enum rensa_err tpm_release_locality(struct tpm *t, struct diag *d);

/* Send a complete command and read back the complete response. On a
 * timeout the command is cancelled and sent once more. The response's
 * size field is checked against the bytes received; its tag and return
 * code are left to the caller. */
enum rensa_err tpm_transmit(struct tpm *t, const uint8_t *cmd, size_t len, uint8_t *rsp, size_t rsp_max,
                            size_t *rsp_len, enum tpm_dur cls, struct diag *d);

/* Read PCR pcr of bank alg into out (tpm_alg_digest_size(alg) bytes).
 * TPM 1.2: alg must be TPM_ALG_SHA1. */
enum rensa_err tpm_pcr_read(struct tpm *t, unsigned pcr, uint16_t alg, uint8_t *out, struct diag *d);
/* Extend PCR pcr. TPM 2.0: one command with a digest for every active bank
 * (E_TPM_BANK when ds lacks one); digests for other algorithms are not
 * sent. TPM 1.2: the SHA-1 member only. */
enum rensa_err tpm_pcr_extend(struct tpm *t, unsigned pcr, const struct tpm_digest_set *ds, struct diag *d);
/* Before S3: TPM_SaveState (1.2) or TPM2_Shutdown(TPM_SU_STATE) (2.0), so
 * that the firmware's TPM_Startup(STATE) on resume restores PCRs 0-16.
 * The OS sends it too, but any command after it (the PCR caps) may
 * invalidate the saved state. */
enum rensa_err tpm_save_state(struct tpm *t, struct diag *d);
/* Fill out[0..n) with random bytes from the TPM. */
enum rensa_err tpm_get_random(struct tpm *t, uint8_t *out, size_t n, struct diag *d);
/* Read n bytes at offset of NV index (TPM 2.0: authorised by the index
 * itself with an empty password). */
enum rensa_err tpm_nv_read(struct tpm *t, uint32_t index, uint32_t offset, uint8_t *out, size_t n,
                           struct diag *d);

/* ---- Internals shared by the files in tpm/ (and the tests) ---- */

/* Spec defaults before the TPM reports its own. */
void tpm_default_timeouts(struct tpm *t);
/* The interface layer: one complete command/response exchange, without
 * the retry. On a timeout the interface has already cancelled. */
enum rensa_err tis_request_locality(struct tpm *t, unsigned loc, struct diag *d);
enum rensa_err tis_release_locality(struct tpm *t, struct diag *d);
enum rensa_err tis_transmit(struct tpm *t, const uint8_t *cmd, size_t len, uint8_t *rsp, size_t rsp_max,
                            size_t *rsp_len, uint32_t dur_ms, struct diag *d);
enum rensa_err crb_request_locality(struct tpm *t, unsigned loc, struct diag *d);
enum rensa_err crb_release_locality(struct tpm *t, struct diag *d);
enum rensa_err crb_transmit(struct tpm *t, const uint8_t *cmd, size_t len, uint8_t *rsp, size_t rsp_max,
                            size_t *rsp_len, uint32_t dur_ms, struct diag *d);

/* Check a response header: size field equals len, tag is one of tag_a or
 * tag_b; stores the return code in *rc (and t->last_rc). */
enum rensa_err tpm_check_header(struct tpm *t, const uint8_t *rsp, size_t len, uint16_t tag_a, uint16_t tag_b,
                                uint32_t *rc, const char *what, struct diag *d);
/* Send t->cmd[0..cmd_len) and receive into t->rsp; check the header
 * (tag of the family, size), retry a bounded number of times on the
 * TPM's "retry" codes, and fail with E_TPM_RC on any other non-zero code.
 * 'what' names the command in messages. */
enum rensa_err tpm_command(struct tpm *t, size_t cmd_len, enum tpm_dur cls, const char *what, size_t *rsp_len,
                           struct diag *d);
/* E_TPM_RC with the code's number and name, naming the command. */
enum rensa_err tpm_rc_error(struct tpm *t, uint32_t rc, const char *what, struct diag *d);

#endif
