/* The other processors (RLPs: responding logical processors) around a
 * measured launch, docs/txt-launch.md steps 7a and 11:
 *   - before GETSEC[SENTER] every AP is sent INIT, so it waits for SIPI
 *     (the MLE Developer's Guide: the RLPs must be in wait-for-SIPI);
 *   - after it, SINIT leaves them in the SENTER sleep state; Rensa writes
 *     TXT.MLE.JOIN and wakes them (the MONITOR address in SinitMleData or
 *     GETSEC[WAKEUP], as OsSinitData.Capabilities chose). Each RLP enters
 *     _rlp_entry (txt/rlp_entry.S), restores its MTRRs and
 *     IA32_MISC_ENABLE from the launch's saved copy, counts itself in and
 *     parks without VMX: MONITOR/MWAIT on the tboot shared page's
 *     ap_wake_trigger. A kernel that knows that protocol (Xen's
 *     tboot_wake_ap) writes the SIPI vector to ap_wake_addr and the APIC ID
 *     to ap_wake_trigger; the RLP then enters real mode at vector:0 as if
 *     it had been sent a SIPI. Processors in a measured environment ignore
 *     INIT and SIPI (which is why tboot parks them in a VMX guest), so a
 *     kernel that only knows INIT-SIPI-SIPI runs on the boot processor. */
#ifndef RENSA_TXT_RLP_H
#define RENSA_TXT_RLP_H

/* Offsets into struct txt_rlp, for the assembly (checked below). */
#define RLP_TICKET 0
#define RLP_PAGE 4
#define RLP_COUNT 8
#define RLP_STACK_SIZE 2048
/* The real-mode page (below 1 MiB): what the assembly stub finds there. */
#define RLP_PAGE_GDT 0x00 /* null, 0x08 16-bit code, 0x10 16-bit data; base = the page */
#define RLP_PAGE_GDTR 0x18
#define RLP_PAGE_IDTR 0x20 /* real-mode IVT: limit 0x3FF, base 0 */
#define RLP_PAGE_REAL 0x28 /* far pointer (offset, segment) to the stub's real-mode part */
#define RLP_PAGE_CODE 0x40 /* the stub (rlp_real16_start..end) */
/* The same page brings the boot processor back from S3 (loader/main.c):
 * the FACS waking vector is page + RLP_PAGE_WAKE, where the firmware
 * starts it in real mode; the stub there loads RLP_PAGE_S3_GDTR (Rensa's
 * GDT) and jumps through RLP_PAGE_S3_ENTRY (offset, selector) to
 * _s3_entry in protected mode. After the re-launch the boot processor
 * leaves for the kernel's waking vector through RLP_PAGE_BSP, as an RLP
 * through its slot. */
#define RLP_PAGE_WAKE 0xA0 /* the stub (s3_wake16_start..end) */
#define RLP_PAGE_S3_GDTR 0xE0
#define RLP_PAGE_S3_ENTRY 0xE8
#define RLP_PAGE_BSP 0xF0 /* the boot processor's far pointer */
#define RLP_PAGE_SLOTS 0x100 /* one far pointer per RLP: where its kernel starts it */
#define RLP_MAX ((4096 - RLP_PAGE_SLOTS) / 4)

#ifndef __ASSEMBLER__
#include <stddef.h>
#include "diag.h"
#include "rtypes.h"

/* The SDM's "RLP MVMM JOIN data structure" (GETSEC[WAKEUP]); TXT.MLE.JOIN
 * holds its physical address. */
struct txt_mle_join {
    uint32_t gdt_limit;
    uint32_t gdt_base;
    uint32_t seg_sel; /* CS; DS, ES and SS get seg_sel + 8 */
    uint32_t entry; /* EIP, physical (paging is off) */
} PACKED;
_Static_assert(sizeof(struct txt_mle_join) == 16, "the MLE JOIN structure is 16 bytes");

struct txt_rlp {
    volatile uint32_t ticket; /* RLPs that entered: each takes a stack by LOCK XADD */
    uint32_t page; /* the real-mode page, below 1 MiB, then count * RLP_STACK_SIZE of stacks; reserved */
    uint32_t count; /* RLPs expected: BiosData.NumLogicalProcs - 1 */
    volatile uint32_t joined; /* RLPs whose state is restored and that are parked */
    volatile uint32_t failed; /* RLPs that could not restore their MTRRs */
    volatile uint32_t shared; /* the tboot shared page: 0 until it is published */
    struct txt_mle_join join __attribute__((aligned(16)));
};
_Static_assert(offsetof(struct txt_rlp, ticket) == RLP_TICKET, "RLP_TICKET");
_Static_assert(offsetof(struct txt_rlp, page) == RLP_PAGE, "RLP_PAGE");
_Static_assert(offsetof(struct txt_rlp, count) == RLP_COUNT, "RLP_COUNT");

#endif
#endif
