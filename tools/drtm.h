/* `rensa pcr predict --sinit FILE --mle FILE.elf`: what SINIT extends into
 * PCR 17 and PCR 18 before Rensa runs (docs/emulated-launch.md "The
 * contract", the MLE Developer's Guide "PCR 17" / "PCR 18"), computed on
 * the host with OpenSSL (tools/drtm_predict.c). */
#ifndef RENSA_TOOLS_DRTM_H
#define RENSA_TOOLS_DRTM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "evtool.h"
#include "txt_heap.h"

/* The policy data of SinitMleData (PCR 17's second extend): BiosAcmID (20)
 * | MsegValid (8) | StmHash (20) | PolicyControl (4) | LcpPolicyHash (20) |
 * (os_sinit_caps when PolicyControl bit 2, else 0) (4), and from version 8
 * ProcessorSCRTMStatus (4). Returns the length (76 or 80), 0 for a version
 * this does not know (below 6). */
#define DRTM_POLICY_DATA_MAX 80u
#define DRTM_POLICY_CONTROL_OS_CAPS (1u << 2) /* PolicyControl: include OsSinitData.Capabilities */
size_t drtm_policy_data(const struct txt_sinit_mle_data *s, uint32_t os_sinit_caps, uint8_t *out);

/* What a launch with this SINIT and MLE leaves in PCRs 17 and 18 (every
 * bank of in), with the three records SINIT logs. */
struct drtm_start {
    uint32_t sinit_bytes; /* the AC module's size field x 4 */
    uint32_t senter_flags; /* EDX at GETSEC[SENTER] */
    uint32_t sinit_mle_version;
    uint8_t sinit_sha1[20];
    uint8_t hash_data[24]; /* SHA-1(SINIT) | EDX (LE) */
    uint8_t policy[DRTM_POLICY_DATA_MAX];
    size_t policy_len;
    /* per bank of the measure_input */
    uint8_t hash_data_digest[EVLOG_MAX_BANKS][EVLOG_DIGEST_MAX]; /* 0x402 HASH_START */
    uint8_t policy_digest[EVLOG_MAX_BANKS][EVLOG_DIGEST_MAX]; /* 0x40A BIOSAC_REG_DATA */
    uint8_t mle_digest[EVLOG_MAX_BANKS][EVLOG_DIGEST_MAX]; /* 0x404 MLE_HASH */
    uint8_t pcr17[EVLOG_MAX_BANKS][EVLOG_DIGEST_MAX];
    uint8_t pcr18[EVLOG_MAX_BANKS][EVLOG_DIGEST_MAX];
};

/* Reads the SINIT and the MLE and computes the start. Prints errors as
 * "rensa CMD: ..."; returns 0 or an exit code. */
int drtm_start_compute(const char *cmd, const struct measure_input *in, const char *sinit_path,
                       const char *mle_path, uint32_t senter_flags, struct drtm_start *out);

#endif
