/* The shared, pure part of measurement: the policy string and the PCR map
 * (docs/measurements.md). The host's `rensa pcr predict` uses this file too. */
#include "evlog.h"
#include "fmt.h"
#include "measure.h"

size_t measure_policy_string(const struct options *o, const char *capped, const char *cmdline, char *buf,
                             size_t size)
{
    int n = fmt_snprintf(buf, size,
                         "rensa policy: pcr_map=%s drtm=%s tpm=%s on_error=%s capped=%s; cmdline: %s",
                         pcr_map_name(o->pcr_map), o->drtm_required ? "required" : "optional",
                         o->tpm_required ? "required" : "optional", action_name(o->on_error),
                         capped[0] ? capped : "none", cmdline);
    return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

int measure_pcr(enum pcr_map map, uint32_t event_type, unsigned n)
{
    bool da = map == PCR_MAP_DA;
    if (event_type == EV_RENSA_NO_DRTM) {
        unsigned count = da ? 2 : 3;
        return n < count ? 17 + (int)n : -1;
    }
    if (n != 0)
        return -1;
    switch (event_type) {
    case EV_RENSA_POLICY:
        return da ? 18 : 17;
    case EV_RENSA_KERNEL:
    case EV_RENSA_KERNEL_CMDLINE:
    case EV_RENSA_S3_RESUME:
        return da ? 17 : 18;
    case EV_RENSA_MODULE:
    case EV_RENSA_MODULE_CMDLINE:
        return da ? 17 : 19;
    default:
        return -1;
    }
}
