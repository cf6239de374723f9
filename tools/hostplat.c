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
