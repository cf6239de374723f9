/* Host implementation of include/platform.h over simulated memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "platform.h"
#include "sim.h"

#define SIM_REGIONS 32

static struct {
    paddr_t base;
    uint64_t len;
    uint8_t *mem;
} regions[SIM_REGIONS];
static unsigned nregions;


void *sim_map(paddr_t base, uint64_t len)
{
    if (nregions >= SIM_REGIONS) {
        fprintf(stderr, "sim: too many regions\n");
        abort();
    }
    uint8_t *m = calloc(1, len ? len : 1);
    if (!m)
        abort();
    regions[nregions].base = base;
    regions[nregions].len = len;
    regions[nregions].mem = m;
    nregions++;
    return m;
}

void sim_reset(void)
{
    for (unsigned i = 0; i < nregions; i++)
        free(regions[i].mem);
    nregions = 0;
}

void *phys_ptr(paddr_t addr, uint64_t len)
{
    if (addr + len < addr)
        return NULL;
    for (unsigned i = 0; i < nregions; i++) {
        if (addr >= regions[i].base && addr + len <= regions[i].base + regions[i].len)
            return regions[i].mem + (addr - regions[i].base);
    }
    return NULL;
}

paddr_t ptr_phys(const void *p)
{
    const uint8_t *b = p;
    for (unsigned i = 0; i < nregions; i++) {
        if (b >= regions[i].mem && b <= regions[i].mem + regions[i].len)
            return regions[i].base + (paddr_t)(b - regions[i].mem);
    }
    fprintf(stderr, "sim: ptr_phys of a pointer outside simulated memory\n");
    abort();
}

void *sim_at(paddr_t addr)
{
    void *p = phys_ptr(addr, 1);
    if (!p) {
        fprintf(stderr, "sim: address 0x%llx is not mapped\n", (unsigned long long)addr);
        abort();
    }
    return p;
}

void platform_halt(void)
{
    fprintf(stderr, "sim: platform_halt called\n");
    abort();
}

void platform_reboot(void)
{
    fprintf(stderr, "sim: platform_reboot called\n");
    abort();
}

/* Simulated time for the clock_* deadline helpers (include/timer.h): every
 * poll of clock_expired() advances time by SIM_POLL_US, so a loop that waits
 * for hardware that never answers ends by its deadline in simulated time. */
#include "timer.h"
#define SIM_POLL_US 10u
uint64_t sim_time_us;

uint64_t clock_deadline(const struct clock *c, uint32_t ms)
{
    (void)c;
    return sim_time_us + (uint64_t)ms * 1000u;
}

bool clock_expired(uint64_t deadline)
{
    sim_time_us += SIM_POLL_US;
    return sim_time_us >= deadline;
}

uint64_t clock_now_ms(const struct clock *c)
{
    (void)c;
    return sim_time_us / 1000u;
}
