/* include/platform.h for the host command: it works on files read into
 * memory, never on physical addresses, so nothing is addressable. */
#include <stdio.h>
#include <stdlib.h>
#include "platform.h"

void *phys_ptr(paddr_t addr, uint64_t len)
{
    (void)addr;
    (void)len;
    return NULL;
}

paddr_t ptr_phys(const void *p)
{
    return (paddr_t)(uintptr_t)p;
}

void platform_halt(void)
{
    fprintf(stderr, "rensa: internal error: platform_halt on the host\n");
    abort();
}

void platform_reboot(void)
{
    fprintf(stderr, "rensa: internal error: platform_reboot on the host\n");
    abort();
}

/* The host command never touches device registers or the loader's clock. */
static void no_device(void)
{
    fprintf(stderr, "rensa: internal error: device access on the host\n");
    abort();
}

uint8_t mmio_read8(paddr_t addr) { (void)addr; no_device(); return 0; }
uint32_t mmio_read32(paddr_t addr) { (void)addr; no_device(); return 0; }
uint64_t mmio_read64(paddr_t addr) { (void)addr; no_device(); return 0; }
void mmio_write8(paddr_t addr, uint8_t v) { (void)addr; (void)v; no_device(); }
void mmio_write32(paddr_t addr, uint32_t v) { (void)addr; (void)v; no_device(); }
void mmio_write64(paddr_t addr, uint64_t v) { (void)addr; (void)v; no_device(); }

/* Nor does it wait for hardware. */
#include "timer.h"
uint64_t clock_deadline(const struct clock *c, uint32_t ms) { (void)c; (void)ms; no_device(); return 0; }
bool clock_expired(uint64_t deadline) { (void)deadline; no_device(); return true; }
uint64_t clock_now_ms(const struct clock *c) { (void)c; return 0; }
