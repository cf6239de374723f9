/* A simulated TPM behind mmio_read8/32/64 and mmio_write8/32/64 for host tests and the
 * TPM fuzz target: a TIS/FIFO register block or a CRB at 0xFED40000, with
 * a small TPM 1.2 / 2.0 model behind it (PCR banks, capabilities, NV,
 * random bytes) and fault injection. PCR "extends" use a simple mixing
 * function (sim_tpm_mix), not a real hash: the driver never hashes, the
 * tests check the digests it sends byte for byte. */
#ifndef RENSA_SIM_TPM_H
#define RENSA_SIM_TPM_H

#include "rtypes.h"

enum sim_tpm_kind {
    SIM_TPM_ABSENT, /* every register reads all ones */
    SIM_TPM_TIS12, /* TIS 1.2: INTERFACE_ID reads 0xffffffff, a TPM 1.2 behind it */
    SIM_TPM_TIS20, /* TIS 1.3: INTERFACE_ID type 0xf, STS tpmFamily = 1 */
    SIM_TPM_FIFO20, /* PTP FIFO: INTERFACE_ID type 0 */
    SIM_TPM_CRB20, /* PTP CRB: INTERFACE_ID type 1, control area at +0x40 */
    SIM_TPM_ABSENT_ZERO, /* nothing there, and unassigned MMIO reads as zeros (QEMU) */
};

#define SIM_TPM_BUF 4096u
#define SIM_TPM_BANKS 4u
#define SIM_TPM_PCRS 24u
#define SIM_CRB_BUF_SIZE 0xF80u

struct sim_tpm {
    enum sim_tpm_kind kind;
    int family; /* 12 or 20 */

    /* Fault injection. */
    bool never_grant; /* localities are never granted */
    bool burst_zero; /* burstCount reads 0 forever */
    bool no_family_bits; /* TIS 2.0 without STS tpmFamily (forces the probe) */
    unsigned hang; /* this many next commands never complete */
    unsigned canned_count; /* this many next commands answered with 'canned' */
    uint8_t canned[SIM_TPM_BUF];
    size_t canned_len;
    uint32_t fail_cc; /* answer this command code / ordinal ... */
    uint32_t fail_rc; /* ... with this return code */
    uint32_t fail_sub; /* 1.2 GetCapability: fail only this sub-capability */
    uint32_t burst; /* burstCount when not zero */
    unsigned truncate; /* TIS: serve only this many response bytes (0 = all) */
    int expect_fault; /* TIS: 1 = Expect clears early, 2 = Expect stays set */

    /* Observation. */
    uint8_t last_cmd[SIM_TPM_BUF];
    size_t last_cmd_len;
    unsigned cmds; /* commands executed (incl. canned/hung) */
    unsigned cancels; /* commands aborted by commandReady / CTRL_CANCEL */
    unsigned retries; /* responseRetry writes */
    unsigned saved_state; /* TPM_SaveState / TPM2_Shutdown(TPM_SU_STATE) executed */

    /* The TPM model. */
    unsigned pcr_count;
    unsigned nbanks;
    struct {
        uint16_t alg;
        uint8_t select[3];
    } banks[SIM_TPM_BANKS];
    uint8_t pcr[SIM_TPM_BANKS][SIM_TPM_PCRS][64];
    uint32_t tis_timeout_us[4];
    uint32_t duration_us[3];
    uint32_t nv_index;
    uint8_t nv_data[2048];
    unsigned nv_size;
};

extern struct sim_tpm sim_tpm;

/* Reset everything and model a TPM of this kind with defaults: 24 PCRs;
 * 2.0 banks SHA-1 and SHA-256 active, SHA-384 present but empty; NV
 * index 0x01C10104 (1.2: 0x50000001) holding 600 bytes 0,1,2,... */
void sim_tpm_setup(enum sim_tpm_kind kind);
/* Digest size of alg in the model. */
unsigned sim_tpm_digest_size(uint16_t alg);
/* The model's extend: new = mix(old, digest). */
void sim_tpm_mix(uint8_t *pcr, const uint8_t *digest, unsigned size);

/* Build ACPI tables in simulated memory: an XSDT with one FACP-like dummy
 * and a TPM2 table (start method, control area). rsdp receives a 36-byte
 * ACPI 2.0 RSDP copy. Returns the TPM2 table's host pointer (for tests
 * that break it; fix its checksum with sim_acpi_fix()). */
uint8_t *sim_acpi_tpm2(uint8_t rsdp[36], uint32_t start_method, uint64_t control_area);
void sim_acpi_fix(uint8_t *table);

#endif
