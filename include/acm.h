/* Authenticated Code modules (Intel TXT Software Development Guide,
 * "Authenticated Code Module Format"). This first part only recognises a
 * SINIT module among the boot modules so that it is never handed to the
 * kernel; parsing, matching and choosing come with the ACM work. */
#ifndef RENSA_ACM_H
#define RENSA_ACM_H

#include "rtypes.h"

#define ACM_MODULE_TYPE_CHIPSET 2u
#define ACM_VENDOR_INTEL 0x8086u
#define ACM_TYPE_SINIT 1u

struct acm_header {
    uint16_t module_type;
    uint16_t module_subtype;
    uint32_t header_len; /* in 4-byte units */
    uint32_t header_version;
    uint16_t chipset_id;
    uint16_t flags;
    uint32_t module_vendor;
    uint32_t date; /* BCD yyyymmdd */
    uint32_t size; /* in 4-byte units */
    uint16_t txt_svn;
    uint16_t se_svn;
    uint32_t code_control;
    uint32_t error_entry_point;
    uint32_t gdt_limit;
    uint32_t gdt_base;
    uint32_t seg_sel;
    uint32_t entry_point;
    uint8_t reserved2[64];
    uint32_t key_size; /* in 4-byte units */
    uint32_t scratch_size; /* in 4-byte units */
    /* RSA public key, exponent (header v0.0 only), signature, scratch follow */
};
_Static_assert(sizeof(struct acm_header) == 128, "ACM header fixed part is 128 bytes");

/* True when the len bytes at p carry a chipset AC module header from Intel
 * whose sizes fit in len, and whose information table (when inside len)
 * says SINIT. */
bool acm_is_sinit(const void *p, uint64_t len);

#endif
