/* Decoding TXT.ERRORCODE, TXT.ESTS and TXT.E2STS into sentences
 * (docs/txt-errors.md). Portable: no console, no register access; the
 * caller passes the values (read from the registers, or copied from a log). */
#ifndef RENSA_TXT_ERROR_H
#define RENSA_TXT_ERROR_H

#include "rtypes.h"

enum txt_err_source {
    TXT_SRC_NONE, /* the valid bit is clear: no error recorded */
    TXT_SRC_PROCESSOR, /* external = 0: a TXT-shutdown condition of the CPU */
    TXT_SRC_ACM, /* external = 1, bit 15 = 0: an AC module (BIOS ACM, SINIT) */
    TXT_SRC_SOFTWARE, /* external = 1, bit 15 = 1: other software */
};

/* TXT.ERRORCODE split into its fields. */
struct txt_errorcode {
    uint64_t raw;
    enum txt_err_source source;
    bool benign; /* 0, 0xc0000001, 0xc0000009: no error (as tboot) */
    uint32_t proc_code; /* TXT_SRC_PROCESSOR: bits 29:0 */
    uint8_t acm_type; /* TXT_SRC_ACM: bits 3:0 (0 BIOS ACM, 1 SINIT) */
    uint8_t progress; /* TXT_SRC_ACM: class or progress code, bits 9:4 */
    uint8_t error; /* TXT_SRC_ACM: error code, bits 14:10 */
    uint16_t sub; /* TXT_SRC_ACM: sub-error, bits 29:16 */
    uint16_t sw_lo, sw_hi; /* TXT_SRC_SOFTWARE: bits 14:0 and 29:16 */
};

void txt_errorcode_split(uint64_t raw, struct txt_errorcode *e);

/* True when raw records a real error: anything but 0, 0xc0000001 and
 * 0xc0000009 (tboot's txt_has_error). */
bool txt_errorcode_is_error(uint64_t raw);

/* Name of a processor-initiated code, NULL when the SDM defines none. */
const char *txt_proc_error_text(uint32_t code);
/* Name of an AC module type (ERRORCODE bits 3:0). */
const char *txt_acm_type_name(uint8_t type);

/* Each writes lines of words, every line ending in '\n', into buf (always
 * NUL-terminated when size > 0) and returns the length the full text
 * would have had, as snprintf does. */
size_t txt_errorcode_describe(uint64_t raw, char *buf, size_t size);
size_t txt_ests_describe(uint64_t ests, char *buf, size_t size);
size_t txt_e2sts_describe(uint64_t e2sts, char *buf, size_t size);

/* True when ESTS / E2STS hold a bit that Rensa reads as a problem
 * (ESTS: TXT_RESET_STS, TXT_WAKE_ERROR_STS; E2STS: SLP_ENTRY_ERROR,
 * BLOCK_MEM). SECRETS_STS alone is normal inside a measured environment. */
bool txt_ests_is_error(uint64_t ests);
bool txt_e2sts_is_error(uint64_t e2sts);

#endif
