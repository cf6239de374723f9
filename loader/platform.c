/* Bare-metal implementation of include/platform.h: paging is off, so a
 * physical address below 4 GiB is its own pointer. */
#include "acm.h"
#include "io.h"
#include "platform.h"
#include "txt_platform.h"
#include "sinit.h"

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

bool platform_has_smx(void)
{
    uint32_t r[4];
    cpuid(1, r);
    return (r[2] >> 6) & 1;
}

static uint64_t txt_read(void *ctx, uint32_t reg)
{
    (void)ctx;
    return mmio_read64(TXT_PUB_BASE + (paddr_t)reg);
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
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

/* ---- include/txt_platform.h ops: what the TXT platform check reads. */
static void tp_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
    (void)ctx;
    __asm__ volatile("cpuid" : "=a"(regs[0]), "=b"(regs[1]), "=c"(regs[2]), "=d"(regs[3]) : "a"(leaf), "c"(subleaf));
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
                                                "this processor has no SMX, so GETSEC cannot run", NULL};
    return &ops;
}

const struct acm_platform_ops *platform_acm_ops(void)
{
    static const struct acm_platform_ops ops = {NULL, txt_read, cpuid1_eax, rdmsr};
    return &ops;
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
