/* TSC calibration against PIT channel 2 (gate through port 0x61). */
#include "timer.h"
#include "io.h"
#include "rstring.h"

#define PIT_HZ 1193182u
#define CAL_MS 10u

bool clock_init(struct clock *c)
{
    uint32_t ticks = PIT_HZ * CAL_MS / 1000u;
    /* Channel 2, mode 0, gate on, speaker off. */
    outb(0x61, (uint8_t)((inb(0x61) & ~0x02u) | 0x01u));
    outb(0x43, 0xb0);
    outb(0x42, (uint8_t)(ticks & 0xff));
    outb(0x42, (uint8_t)(ticks >> 8));
    uint64_t t0 = rdtsc();
    /* OUT2 (bit 5 of port 0x61) rises when the count reaches zero. The
     * loop is also bounded by TSC ticks: even at 10 GHz, 10^9 ticks is
     * 100 ms, ten times the 10 ms we wait for. */
    bool ok = false;
    while (rdtsc() - t0 < 1000000000ull) {
        if (inb(0x61) & 0x20) {
            ok = true;
            break;
        }
    }
    uint64_t dt = rdtsc() - t0;
    if (!ok || dt < CAL_MS) {
        c->tsc_per_ms = 4000000; /* 4 GHz: deadlines are at least as long as asked */
        return false;
    }
    c->tsc_per_ms = r_udiv64(dt, CAL_MS, NULL);
    return true;
}

uint64_t clock_deadline(const struct clock *c, uint32_t ms)
{
    uint64_t per = c->tsc_per_ms ? c->tsc_per_ms : 4000000;
    return rdtsc() + per * ms;
}

bool clock_expired(uint64_t deadline)
{
    return rdtsc() >= deadline;
}

uint64_t clock_now_ms(const struct clock *c)
{
    return c->tsc_per_ms ? r_udiv64(rdtsc(), (uint32_t)c->tsc_per_ms, NULL) : 0;
}
