/* The narrow interface between portable loader logic and the machine.
 * loader/platform.c implements it on bare metal; tests/unit provide a
 * simulated physical memory so every parser runs on the host too. */
#ifndef RENSA_PLATFORM_H
#define RENSA_PLATFORM_H

#include "rtypes.h"

/* A pointer to len bytes of physical memory at addr, or NULL when that range
 * is not addressable (above 4 GiB in the 32-bit loader, outside the simulated
 * memory on the host, or wrapping). */
void *phys_ptr(paddr_t addr, uint64_t len);

/* The physical address of a pointer returned by phys_ptr or of loader data. */
paddr_t ptr_phys(const void *p);

/* Memory-mapped device registers (TPM, TXT). Accesses are exactly the
 * width named, never split or merged. */
uint8_t mmio_read8(paddr_t addr);
uint32_t mmio_read32(paddr_t addr);
uint64_t mmio_read64(paddr_t addr);
void mmio_write8(paddr_t addr, uint8_t v);
void mmio_write32(paddr_t addr, uint32_t v);
void mmio_write64(paddr_t addr, uint64_t v);

/* Bare metal only (loader/platform.c); the host tool and the unit tests
 * pass their own ops. */
struct acm_platform_ops;
/* The APIC ID kernels name processors by: the x2APIC ID (CPUID leaf 0xB)
 * where there is one, else the xAPIC ID (CPUID.1:EBX bits 31:24). */
uint32_t platform_apic_id(void);
/* CPUID.1:ECX bit 3: MONITOR/MWAIT. */
bool platform_has_monitor(void);
/* CPUID.1:ECX bit 6: the processor has Safer Mode Extensions (GETSEC). */
bool platform_has_smx(void);
/* TXT public registers (MMIO at 0xFED30000), CPUID.1:EAX and RDMSR, for
 * acm_platform_read and sinit_select. Only call with SMX present: RDMSR of
 * IA32_PLATFORM_ID faults on processors without it. */
const struct acm_platform_ops *platform_acm_ops(void);
/* CPUID, RDMSR, GETSEC[CAPABILITIES] and the TXT registers for
 * txt_platform_check; each read is made only where it cannot fault. */
struct txt_platform_ops;
const struct txt_platform_ops *platform_txt_ops(void);

/* MSRs, TXT registers, caches and GETSEC[SENTER] for txt_launch and
 * txt_post_launch (include/txt_launch.h). */
struct txt_launch_ops;
const struct txt_launch_ops *platform_launch_ops(void);

/* Write back and invalidate the caches (before S3: memory must hold
 * everything written). */
void platform_wbinvd(void);
NORETURN void platform_halt(void);
NORETURN void platform_reboot(void);

#endif
