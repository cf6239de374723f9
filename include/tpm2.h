/* TPM 2.0 (TPM Library Specification, Part 2 and 3): the commands Rensa
 * sends, and parsers for their responses. */
#ifndef RENSA_TPM2_H
#define RENSA_TPM2_H

#include "tpm.h"

#define TPM2_ST_RSP_COMMAND 0x00C4u /* what a TPM answers to a bad tag */
#define TPM2_ST_NO_SESSIONS 0x8001u
#define TPM2_ST_SESSIONS 0x8002u

#define TPM2_CC_NV_Read 0x0000014Eu
#define TPM2_CC_GetCapability 0x0000017Au
#define TPM2_CC_GetRandom 0x0000017Bu
#define TPM2_CC_PCR_Read 0x0000017Eu
#define TPM2_CC_PCR_Extend 0x00000182u

#define TPM2_CAP_PCRS 0x00000005u
#define TPM2_CAP_TPM_PROPERTIES 0x00000006u
#define TPM2_PT_PCR_COUNT 0x00000112u

#define TPM2_RS_PW 0x40000009u

#define TPM2_RC_SUCCESS 0x000u
#define TPM2_RC_BAD_TAG 0x01Eu
#define TPM2_RC_RETRY 0x922u

/* Command builders: return the length, 0 if it did not fit in cap. */
size_t tpm2_build_get_capability(uint8_t *buf, size_t cap, uint32_t capability, uint32_t property,
                                 uint32_t count);
size_t tpm2_build_pcr_read(uint8_t *buf, size_t cap, uint16_t alg, unsigned select_size, unsigned pcr);
size_t tpm2_build_pcr_extend(uint8_t *buf, size_t cap, unsigned pcr, const struct tpm_bank *banks,
                             unsigned nbanks, const uint8_t *const digests[]);
size_t tpm2_build_get_random(uint8_t *buf, size_t cap, uint16_t n);
size_t tpm2_build_nv_read(uint8_t *buf, size_t cap, uint32_t auth, uint32_t index, uint16_t n, uint16_t offset);

/* Parsers over a complete response (header already checked). */
enum rensa_err tpm2_parse_pcrs(const uint8_t *rsp, size_t len, struct tpm_bank *banks, unsigned *nbanks,
                               struct diag *d);
enum rensa_err tpm2_parse_property(const uint8_t *rsp, size_t len, uint32_t property, uint32_t *value,
                                   struct diag *d);
enum rensa_err tpm2_parse_pcr_read(const uint8_t *rsp, size_t len, uint16_t alg, unsigned pcr, uint8_t *out,
                                   unsigned size, struct diag *d);
/* A TPM2B (GetRandom, NV_Read); 'sessions' when the response carries a
 * parameterSize field and an authorization area. */
enum rensa_err tpm2_parse_tpm2b(const uint8_t *rsp, size_t len, bool sessions, uint8_t *out, size_t max,
                                size_t *got, const char *what, struct diag *d);
/* A response with no parameters but an authorization area (PCR_Extend). */
enum rensa_err tpm2_parse_auth_only(const uint8_t *rsp, size_t len, const char *what, struct diag *d);

/* The commands (family 2.0, a locality active). */
enum rensa_err tpm2_init(struct tpm *t, struct diag *d);
enum rensa_err tpm2_pcr_read(struct tpm *t, unsigned pcr, uint16_t alg, uint8_t *out, struct diag *d);
enum rensa_err tpm2_pcr_extend(struct tpm *t, unsigned pcr, const struct tpm_digest_set *ds, struct diag *d);
enum rensa_err tpm2_get_random(struct tpm *t, uint8_t *out, size_t n, struct diag *d);
enum rensa_err tpm2_nv_read(struct tpm *t, uint32_t auth, uint32_t index, uint32_t offset, uint8_t *out, size_t n,
                            struct diag *d);

#endif
