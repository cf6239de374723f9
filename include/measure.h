/* Measuring what Rensa hands on (docs/measurements.md). The pure parts —
 * the policy string and which PCR each event goes to — are shared with the
 * host's `rensa pcr predict`, so both compute the same thing. */
#ifndef RENSA_MEASURE_H
#define RENSA_MEASURE_H

#include "options.h"
#include "rtypes.h"

#define MEASURE_POLICY_MAX 4352u /* the policy string, with a 4 KiB command line */
#define MEASURE_NO_DRTM_TEXT "no dynamic root of trust: PCRs 17-22 started at all ones"

/* The EV_RENSA_POLICY event data. capped is a comma-separated list of bank
 * names or "" for none. Returns the length, or 0 when it does not fit. */
size_t measure_policy_string(const struct options *o, const char *capped, const char *cmdline, char *buf,
                             size_t size);

/* The PCR an event type goes to under a map (for EV_RENSA_NO_DRTM: the
 * n-th of the PCRs it marks, or -1 past the last). */
int measure_pcr(enum pcr_map map, uint32_t event_type, unsigned n);

#endif
