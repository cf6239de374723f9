/* Recognising a SINIT AC module by its header (see include/acm.h). */
#include "acm.h"
#include "rstring.h"

/* ACM information table: UUID (16 bytes), then ChipsetACMType (1 byte). */
#define ACM_INFO_TYPE_OFFSET 16u

bool acm_is_sinit(const void *p, uint64_t len)
{
    struct acm_header h;
    if (!p || len < sizeof(h))
        return false;
    memcpy(&h, p, sizeof(h));
    /* The stand-in SINIT (docs/emulated-launch.md) is recognised by every build,
     * so it is never handed on; only a test build accepts it for a launch. */
    if (h.module_type != ACM_MODULE_TYPE_CHIPSET ||
        (h.module_vendor != ACM_VENDOR_INTEL && h.module_vendor != ACM_VENDOR_RENSA_STANDIN))
        return false;
    uint64_t size = (uint64_t)h.size * 4, hdr = (uint64_t)h.header_len * 4;
    if (size == 0 || size > len || hdr < sizeof(h) || hdr > size)
        return false;
    uint64_t info = hdr + (uint64_t)h.scratch_size * 4;
    if (info + ACM_INFO_TYPE_OFFSET + 1 > size)
        return false;
    return ((const uint8_t *)p)[info + ACM_INFO_TYPE_OFFSET] == ACM_TYPE_SINIT;
}
