/* The MLE header (Intel TXT Software Development Guide, "MLE Header
 * Format"): how SINIT finds the measured launched environment inside the
 * image. Rensa's header lives in txt/mle_header.S, at the start of the
 * measured region; its values come from the linker script. */
#ifndef RENSA_MLE_H
#define RENSA_MLE_H

#ifndef __ASSEMBLY__
#include "rtypes.h"
#endif

/* 9082AC5A-476F-74A7-5C0F-55A2CB51B642 as stored (little-endian dwords). */
#define MLE_UUID0 0x9082ac5a
#define MLE_UUID1 0x74a7476f
#define MLE_UUID2 0xa2555c0f
#define MLE_UUID3 0x42b651cb

#define MLE_HEADER_VERSION_2_1 0x00020001

/* Capabilities (MLE header "Capabilities" field) */
#define MLE_CAP_RLP_WAKE_GETSEC (1 << 0)
#define MLE_CAP_RLP_WAKE_MONITOR (1 << 1)
#define MLE_CAP_ECX_PGTBL (1 << 2)
#define MLE_CAP_STM (1 << 3)
#define MLE_CAP_PCR_MAP_NO_LEGACY (1 << 4) /* set with DA: the legacy mapping is not used */
#define MLE_CAP_PCR_MAP_DA (1 << 5)
#define MLE_CAP_PLATFORM_TYPE_MASK (3 << 6)
#define MLE_CAP_MAXPHYADDR (1 << 8)
#define MLE_CAP_TCG_EVENT_LOG (1 << 9)
#define MLE_CAP_CBNT (1 << 10)

#ifndef __ASSEMBLY__
struct mle_header {
    uint32_t uuid[4];
    uint32_t header_len; /* bytes */
    uint32_t version;
    uint32_t entry_point; /* linear address (offset in MLE) of the post-launch entry */
    uint32_t first_valid_page;
    uint32_t mle_start_off;
    uint32_t mle_end_off;
    uint32_t capabilities;
    uint32_t cmdline_start_off;
    uint32_t cmdline_end_off;
};
_Static_assert(sizeof(struct mle_header) == 52, "MLE header version 2.1 is 52 bytes");

extern const struct mle_header rensa_mle_header;
#endif

#endif
