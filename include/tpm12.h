/* TPM 1.2 (TPM Main Specification 1.2, Part 2 and 3): the commands Rensa
 * sends, and parsers for their responses. */
#ifndef RENSA_TPM12_H
#define RENSA_TPM12_H

#include "tpm.h"

#define TPM12_TAG_RQU_COMMAND 0x00C1u
#define TPM12_TAG_RSP_COMMAND 0x00C4u

#define TPM12_ORD_Extend 0x00000014u
#define TPM12_ORD_PCRRead 0x00000015u
#define TPM12_ORD_GetRandom 0x00000046u
#define TPM12_ORD_GetCapability 0x00000065u
#define TPM12_ORD_NV_ReadValue 0x000000CFu

#define TPM12_CAP_PROPERTY 0x00000005u
#define TPM12_CAP_VERSION_VAL 0x0000001Au
#define TPM12_CAP_PROP_PCR 0x00000101u
#define TPM12_CAP_PROP_TIS_TIMEOUT 0x00000115u
#define TPM12_CAP_PROP_DURATION 0x00000120u

#define TPM12_SUCCESS 0x0u
#define TPM12_BADTAG 0x1Eu
#define TPM12_RETRY 0x800u

#define TPM12_DIGEST_SIZE 20u

/* Build a command into t->cmd; returns its length (0 if it did not fit). */
size_t tpm12_build_get_capability(uint8_t *buf, size_t cap, uint32_t area, uint32_t sub);
size_t tpm12_build_pcr_read(uint8_t *buf, size_t cap, uint32_t pcr);
size_t tpm12_build_extend(uint8_t *buf, size_t cap, uint32_t pcr, const uint8_t digest[20]);
size_t tpm12_build_get_random(uint8_t *buf, size_t cap, uint32_t n);
size_t tpm12_build_nv_read(uint8_t *buf, size_t cap, uint32_t index, uint32_t offset, uint32_t n);

/* Parsers over a complete response whose header was already checked
 * (rsp, len include the 10-byte header). */
enum rensa_err tpm12_parse_u32_list(const uint8_t *rsp, size_t len, uint32_t *out, unsigned n, const char *what,
                                    struct diag *d);
enum rensa_err tpm12_parse_version(const uint8_t *rsp, size_t len, uint8_t version[4], struct diag *d);
enum rensa_err tpm12_parse_digest(const uint8_t *rsp, size_t len, uint8_t out[20], const char *what,
                                  struct diag *d);
/* A UINT32-sized byte array (GetRandom, NV_ReadValue): copies at most max
 * bytes to out, the count in *got. */
enum rensa_err tpm12_parse_sized(const uint8_t *rsp, size_t len, uint8_t *out, size_t max, size_t *got,
                                 const char *what, struct diag *d);

/* The commands (the family must be 1.2 and a locality active). */
enum rensa_err tpm12_get_capability_u32s(struct tpm *t, uint32_t sub, uint32_t *out, unsigned n, struct diag *d);
enum rensa_err tpm12_init(struct tpm *t, struct diag *d);
enum rensa_err tpm12_pcr_read(struct tpm *t, unsigned pcr, uint8_t out[20], struct diag *d);
enum rensa_err tpm12_extend(struct tpm *t, unsigned pcr, const uint8_t digest[20], struct diag *d);
enum rensa_err tpm12_get_random(struct tpm *t, uint8_t *out, size_t n, struct diag *d);
enum rensa_err tpm12_nv_read(struct tpm *t, uint32_t index, uint32_t offset, uint8_t *out, size_t n,
                             struct diag *d);

#endif
