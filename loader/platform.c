/* Bare-metal implementation of include/platform.h: paging is off, so a
 * physical address below 4 GiB is its own pointer. */
#include "acm.h"
#include "io.h"
#include "platform.h"
#include "txt_platform.h"
#include "sinit.h"
#include "txt_launch.h"
#include "txt_regs.h"
#ifdef RENSA_EMULATED_LAUNCH
#include "emu.h"
#endif

/* Where the TXT registers are: fixed by the chipset on hardware; in the
 * test build, wherever the emulated BIOS put them. */
#ifdef RENSA_EMULATED_LAUNCH
#define TXT_PUB emu_txt_pub()
#define TXT_PRIV emu_txt_priv()
#else
#define TXT_PUB ((paddr_t)TXT_PUB_BASE)
#define TXT_PRIV ((paddr_t)TXT_PRIV_BASE)
#endif

void *phys_ptr(paddr_t addr, uint64_t len)
{
    if (addr > 0xffffffffull || len > 0x100000000ull - addr)
        return NULL;
    return (void *)(uintptr_t)addr;
}

paddr_t ptr_phys(const void *p)
{
    return (paddr_t)(uintptr_t)p;
}

uint8_t mmio_read8(paddr_t addr)
{
    return *(volatile uint8_t *)(uintptr_t)addr;
}

uint32_t mmio_read32(paddr_t addr)
{
    return *(volatile uint32_t *)(uintptr_t)addr;
}

uint64_t mmio_read64(paddr_t addr)
{
    /* Two 32-bit reads, low half first: 32-bit code has no single 64-bit load. */
    uint32_t lo = *(volatile uint32_t *)(uintptr_t)addr;
    uint32_t hi = *(volatile uint32_t *)(uintptr_t)(addr + 4);
    return ((uint64_t)hi << 32) | lo;
}

void mmio_write8(paddr_t addr, uint8_t v)
{
    *(volatile uint8_t *)(uintptr_t)addr = v;
}

void mmio_write32(paddr_t addr, uint32_t v)
{
    *(volatile uint32_t *)(uintptr_t)addr = v;
}

void mmio_write64(paddr_t addr, uint64_t v)
{
    *(volatile uint32_t *)(uintptr_t)addr = (uint32_t)v;
    *(volatile uint32_t *)(uintptr_t)(addr + 4) = (uint32_t)(v >> 32);
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

uint32_t platform_apic_id(void)
{
    uint32_t r[4];
    cpuid(0, r);
    if (r[0] >= 0xBu) {
        cpuid(0xBu, r);
        if (r[1])
            return r[3];
    }
    cpuid(1, r);
    return r[1] >> 24;
}

bool platform_has_monitor(void)
{
    uint32_t r[4];
    cpuid(1, r);
    return (r[2] >> 3) & 1;
}

bool platform_has_smx(void)
{
#ifdef RENSA_EMULATED_LAUNCH
    if (emu_active())
        return true;
#endif
    uint32_t r[4];
    cpuid(1, r);
    return (r[2] >> 6) & 1;
}

static uint64_t txt_read(void *ctx, uint32_t reg)
{
    (void)ctx;
    return mmio_read64(TXT_PUB + (paddr_t)reg);
}

static uint32_t cpuid1_eax(void *ctx)
{
    (void)ctx;
    uint32_t r[4];
    cpuid(1, r);
    return r[0];
}

static uint64_t rdmsr(void *ctx, uint32_t msr)
{
    (void)ctx;
#ifdef RENSA_EMULATED_LAUNCH
    uint64_t v;
    if (emu_rdmsr(msr, &v))
        return v;
#endif
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

/* ---- include/txt_platform.h ops: what the TXT platform check reads. */
static void tp_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
    (void)ctx;
    __asm__ volatile("cpuid" : "=a"(regs[0]), "=b"(regs[1]), "=c"(regs[2]), "=d"(regs[3]) : "a"(leaf), "c"(subleaf));
#ifdef RENSA_EMULATED_LAUNCH
    emu_cpuid_fix(leaf, regs);
#endif
}

/* IA32_FEATURE_CONTROL and the other MSRs the check reads exist only on
 * processors with VMX or SMX: anywhere else RDMSR would fault. */
static bool tp_rdmsr(void *ctx, uint32_t msr, uint64_t *val)
{
    uint32_t r[4];
    tp_cpuid(ctx, 1, 0, r);
    if (!(r[2] & ((1u << 5) | (1u << 6))))
        return false;
    *val = rdmsr(ctx, msr);
    return true;
}

/* GETSEC[CAPABILITIES] needs CR4.SMXE, which is set here (and left set:
 * the launch needs it too); without SMX it would fault. */
static bool tp_getsec_capabilities(void *ctx, uint32_t *eax)
{
    (void)ctx;
    if (!platform_has_smx())
        return false;
#ifdef RENSA_EMULATED_LAUNCH
    *eax = EMU_GETSEC_CAPS;
    return true;
#endif
    uint32_t cr4;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | (1u << 14)));
    uint32_t a = 0, b = 0;
    __asm__ volatile(".byte 0x0f, 0x37" : "+a"(a), "+b"(b) : : "ecx", "edx", "memory"); /* GETSEC */
    *eax = a;
    return true;
}

static bool tp_txt_read(void *ctx, uint32_t reg, uint64_t *val)
{
    *val = txt_read(ctx, reg);
    return true;
}

const struct txt_platform_ops *platform_txt_ops(void)
{
    static const struct txt_platform_ops ops = {NULL, tp_cpuid, tp_rdmsr, tp_getsec_capabilities, tp_txt_read,
                                                "this processor has neither VMX nor SMX, so it has no "
                                                "IA32_FEATURE_CONTROL to read",
                                                "this processor has no SMX, so GETSEC cannot run", NULL,
                                                NULL};
    return &ops;
}

/* ---- include/txt_launch.h ops: the launch itself. */
static bool l_rdmsr(void *ctx, uint32_t msr, uint64_t *val)
{
    *val = rdmsr(ctx, msr);
    return true;
}

static bool l_wrmsr(void *ctx, uint32_t msr, uint64_t val)
{
    (void)ctx;
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32)) : "memory");
    return true;
}

static uint64_t l_pub_read(void *ctx, uint32_t reg)
{
    return txt_read(ctx, reg);
}

static void l_priv_write(void *ctx, uint32_t reg, uint64_t val)
{
    (void)ctx;
    mmio_write64(TXT_PRIV + (paddr_t)reg, val);
}

#define CR0_NW (1u << 29)
#define CR0_CD (1u << 30)

static void l_cache_disable(void *ctx)
{
    (void)ctx;
    uint32_t cr0;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %0, %%cr0; wbinvd" : : "r"((cr0 | CR0_CD) & ~CR0_NW) : "memory");
}

static void l_cache_enable(void *ctx)
{
    (void)ctx;
    uint32_t cr0;
    __asm__ volatile("wbinvd; mov %%cr0, %0" : "=r"(cr0) : : "memory");
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0 & ~(CR0_CD | CR0_NW)) : "memory");
}

static void l_unmask_events(void *ctx)
{
    (void)ctx;
#ifndef RENSA_EMULATED_LAUNCH
    __asm__ volatile(".byte 0x0f, 0x37" : : "a"(7u), "b"(0u) : "memory"); /* GETSEC[SMCTRL] */
#endif
    __asm__ volatile("pushfl; pushl %%cs; pushl $1f; iret; 1:" : : : "memory");
}

static void l_pause(void *ctx)
{
    (void)ctx;
    cpu_relax();
}

/* INIT, level assert, to all excluding self (SDM vol. 3, "MP
 * initialization"): through the x2APIC ICR MSR, or the xAPIC's MMIO ICR
 * and its delivery status. */
#define MSR_IA32_APIC_BASE 0x1Bu
#define ICR_INIT_ALL_BUT_SELF 0x000C4500u
/* Delivery takes microseconds; 40M TSC ticks are 8 ms or more at any TSC
 * rate up to 5 GHz (the calibrated 10 ms wait follows in txt/rlp.c). */
#define INIT_DELIVERY_TICKS 40000000ull

static bool l_init_aps(void *ctx)
{
    uint64_t base = rdmsr(ctx, MSR_IA32_APIC_BASE);
    bool sent = true;
    if (!(base & (1u << 11)))
        return false; /* the local APIC is disabled */
    if (base & (1u << 10)) {
        (void)l_wrmsr(ctx, 0x830u, ICR_INIT_ALL_BUT_SELF);
    } else {
        paddr_t apic = base & 0xFFFFF000u;
        mmio_write32(apic + 0x310, 0);
        mmio_write32(apic + 0x300, ICR_INIT_ALL_BUT_SELF);
        uint64_t t0 = rdtsc();
        while ((sent = mmio_read32(apic + 0x300) & (1u << 12)) && rdtsc() - t0 < INIT_DELIVERY_TICKS)
            cpu_relax();
        sent = !sent;
    }
    return sent;
}

#ifdef RENSA_EMULATED_LAUNCH
static void l_wakeup(void *ctx)
{
    (void)ctx;
    emu_wakeup();
}

static uint32_t l_senter(void *ctx, paddr_t base, uint32_t size)
{
    (void)ctx;
    return emu_senter(base, size);
}

static void l_sexit(void *ctx)
{
    (void)ctx;
    emu_sexit();
}
#else
/* GETSEC[WAKEUP]: EAX = 8. */
static void l_wakeup(void *ctx)
{
    (void)ctx;
    __asm__ volatile(".byte 0x0f, 0x37" : : "a"(8u) : "ebx", "ecx", "edx", "memory");
}

/* GETSEC[SEXIT]: EAX = 5. */
static void l_sexit(void *ctx)
{
    (void)ctx;
    __asm__ volatile(".byte 0x0f, 0x37" : : "a"(5u) : "ebx", "ecx", "edx", "memory");
}

/* GETSEC[SENTER]: EAX = 4, EBX = SINIT base, ECX = SINIT size, EDX = 0.
 * It does not return: SINIT enters _post_launch_entry, or the platform
 * resets with TXT.ERRORCODE set. */
static uint32_t l_senter(void *ctx, paddr_t base, uint32_t size)
{
    (void)ctx;
    /* SENTER raises #GP unless CR4.SMXE = 1 and CR0.NE = 1 (SDM vol. 2,
     * GETSEC[SENTER]); the boot loader may have left NE clear. */
    uint32_t cr4, cr0;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | (1u << 14)));
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | (1u << 5)));
    __asm__ volatile(".byte 0x0f, 0x37" : : "a"(4u), "b"((uint32_t)base), "c"(size), "d"(0u) : "memory");
    return 0xFFFFFFFFu; /* not reached */
}
#endif

const struct txt_launch_ops *platform_launch_ops(void)
{
    static struct txt_launch_ops ops;
    if (ops.senter)
        return &ops; /* filled once: the RLPs read it concurrently */
    uint32_t r[4];
    tp_cpuid(NULL, 0x80000000u, 0, r);
    unsigned maxphy = 36;
    if (r[0] >= 0x80000008u) {
        tp_cpuid(NULL, 0x80000008u, 0, r);
        maxphy = r[0] & 0xffu;
    }
    ops.mtrr = (struct mtrr_ops){l_rdmsr, l_wrmsr, NULL, maxphy};
    ops.pub_read = l_pub_read;
    ops.priv_write = l_priv_write;
    ops.cache_disable = l_cache_disable;
    ops.cache_enable = l_cache_enable;
    ops.sexit = l_sexit;
    ops.init_aps = l_init_aps;
    ops.wakeup = l_wakeup;
    ops.pause = l_pause;
    ops.unmask_events = l_unmask_events;
#ifdef RENSA_EMULATED_LAUNCH
    ops.after_pt_build = emu_after_pt_build;
    ops.after_join_build = emu_after_join_build;
#endif
    ops.senter = l_senter;
    return &ops;
}

const struct acm_platform_ops *platform_acm_ops(void)
{
    static const struct acm_platform_ops ops = {NULL, txt_read, cpuid1_eax, rdmsr};
    return &ops;
}

void platform_wbinvd(void)
{
    __asm__ volatile("wbinvd" : : : "memory");
}

void platform_halt(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* Waits bounded in TSC ticks, so in real time: platform_reboot may run
 * before the clock is calibrated, and 4*10^8 ticks is between 0.1 s (at
 * 4 GHz) and 0.4 s (at 1 GHz) on any CPU Rensa runs on. */
#define REBOOT_WAIT_TICKS 400000000ull

static void wait_ticks(uint64_t ticks, uint16_t port, uint8_t busy_mask)
{
    uint64_t t0 = rdtsc();
    while (rdtsc() - t0 < ticks) {
        if (busy_mask && !(inb(port) & busy_mask))
            return;
        cpu_relax();
    }
}

void platform_reboot(void)
{
    /* Keyboard-controller reset, then the PCI reset control register, then
     * a triple fault with an empty IDT. Each step is tried once. */
    wait_ticks(REBOOT_WAIT_TICKS, 0x64, 0x02); /* input buffer empty */
    outb(0x64, 0xfe);
    wait_ticks(REBOOT_WAIT_TICKS, 0, 0);
    outb(0xcf9, 0x02);
    outb(0xcf9, 0x06);
    wait_ticks(REBOOT_WAIT_TICKS, 0, 0);
    static const struct {
        uint16_t limit;
        uint32_t base;
    } __attribute__((packed)) empty_idt = {0, 0};
    __asm__ volatile("lidt %0; int3" : : "m"(empty_idt));
    platform_halt();
}
