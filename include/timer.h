/* Real-time bounds for hardware polls: the TSC, calibrated once against
 * the 8254 PIT. Every poll loop in Rensa ends by a deadline from here. */
#ifndef RENSA_TIMER_H
#define RENSA_TIMER_H

#include "rtypes.h"

struct clock {
    uint64_t tsc_per_ms; /* 0 until calibrated */
};

/* Calibrate; returns false (and uses a conservative 4 GHz guess, so that
 * deadlines are never shorter than asked) when the PIT does not count. */
bool clock_init(struct clock *c);
/* A deadline ms milliseconds from now. */
uint64_t clock_deadline(const struct clock *c, uint32_t ms);
bool clock_expired(uint64_t deadline);
/* Milliseconds since the TSC started counting (for the boot report). */
uint64_t clock_now_ms(const struct clock *c);

#endif
