/* Handing off to the next kernel: a Linux bzImage through the x86 boot
 * protocol, or an ELF / Multiboot kernel (such as Xen) with a rebuilt
 * Multiboot information structure. */
#ifndef RENSA_KERNEL_H
#define RENSA_KERNEL_H

#include "diag.h"
#include "rtypes.h"

struct rensa_ctx;

enum kernel_kind { KERNEL_NONE = 0, KERNEL_LINUX, KERNEL_ELF };

/* The CPU state the kernel is entered with (32-bit protected mode, paging
 * off, interrupts off, flat segments). */
struct kernel_entry {
    enum kernel_kind kind;
    uint32_t eip;
    uint32_t eax, ebx, esi;
};

/* Classify, place and prepare the kernel module ctx->bi.mods[ctx->kernel_mod]
 * and everything it needs (zero page, initrd, command line, or ELF segments
 * and a Multiboot information structure). Fills *ke. Nothing is jumped to. */
enum rensa_err kernel_prepare(struct rensa_ctx *ctx, struct kernel_entry *ke, struct diag *d);

/* Load Rensa's hand-off GDT and jump. Never returns. */
ASM_CALL NORETURN void kernel_jump(const struct kernel_entry *ke);

#endif
