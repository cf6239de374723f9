/* The emulated TXT platform for the test build (docs/emulated-launch.md):
 * the memory and registers a TXT BIOS and chipset provide, and the call
 * into the stand-in SINIT that replaces GETSEC[SENTER]. Nothing here is in
 * a release image (scripts/check-image). */
#include "acm.h"
#include "acpi.h"
#include "ctx.h"
#include "emu.h"
#include "platform.h"
#include "rstring.h"
#include "txt_heap.h"
#include "txt_rlp.h"
#include "txt_regs.h"

/* One structure, like the launch context: the emulated platform's state. */
static struct {
    bool active;
    bool fault_pt, fault_join, fault_dmar, fault_s3;
    unsigned senters;
    paddr_t space; /* private registers; public at +0x10000 */
    paddr_t rlp_page; /* below 1 MiB: the stand-in's RLP rendezvous */
} emu_state;

bool emu_active(void)
{
    return emu_state.active;
}

paddr_t emu_txt_priv(void)
{
    return emu_state.space;
}

paddr_t emu_txt_pub(void)
{
    return emu_state.space + 0x10000u;
}

static void pub_set(uint32_t reg, uint64_t v)
{
    mmio_write64(emu_txt_pub() + reg, v);
}

/* The processors a BIOS would count: enabled local APIC (type 0) and
 * x2APIC (type 9) entries of the ACPI MADT; 1 without one. */
static uint32_t count_cpus(void)
{
    struct acpi_rsdp rsdp;
    paddr_t where, madt;
    uint32_t len, n = 0;
    struct diag d;
    if (acpi_rsdp_scan(&rsdp, &where, &d) || acpi_find_table(&rsdp, "APIC", &madt, &len, &d))
        return 1;
    const uint8_t *t = phys_ptr(madt, len);
    for (uint32_t off = ACPI_SDT_HEADER_LEN + 8; t && off + 2 <= len && t[off + 1] >= 2; off += t[off + 1]) {
        if (t[off] == 0 && t[off + 1] >= 8 && off + 8 <= len && (t[off + 4] & 1))
            n++;
        if (t[off] == 9 && t[off + 1] >= 16 && off + 16 <= len && (t[off + 8] & 1))
            n++;
    }
    return n ? n : 1;
}

int emu_platform_init(struct rensa_ctx *ctx)
{
    paddr_t space, sinit, heap;
    /* TXT.HEAP.SIZE is emu_heap exactly (a heap too small for the launch
     * is a test case); the memory behind it is whole pages. */
    uint64_t heap_size = ctx->opt.emu_heap ? ctx->opt.emu_heap : EMU_HEAP_SIZE;
    uint64_t heap_alloc = (heap_size + 4095u) & ~(uint64_t)4095u;
    enum rensa_err e;
    if ((e = ctx_alloc(ctx, EMU_TXT_SPACE, 4096, MiB(1), GiB(4), ALLOC_TOP_DOWN, true, "emulated TXT registers",
                       &space)) ||
        (e = ctx_alloc(ctx, EMU_SINIT_SIZE, 0x20000, MiB(1), GiB(4), ALLOC_TOP_DOWN, true, "emulated SINIT region",
                       &sinit)) ||
        (e = ctx_alloc(ctx, heap_alloc, 4096, MiB(1), GiB(4), ALLOC_TOP_DOWN, true, "emulated TXT heap", &heap)) ||
        (e = ctx_alloc(ctx, 4096, 4096, 0x1000, MiB(1), ALLOC_TOP_DOWN, true, "emulated RLP rendezvous page",
                       &emu_state.rlp_page)))
        return (int)e;
    memset(phys_ptr(space, EMU_TXT_SPACE), 0, EMU_TXT_SPACE);
    memset(phys_ptr(sinit, EMU_SINIT_SIZE), 0, EMU_SINIT_SIZE);
    memset(phys_ptr(heap, heap_alloc), 0, (size_t)heap_alloc);
    emu_state.space = space;
    emu_state.fault_pt = ctx->opt.emu_fault_pt;
    emu_state.fault_join = ctx->opt.emu_fault_join;
    emu_state.fault_dmar = ctx->opt.emu_fault_dmar;
    emu_state.fault_s3 = ctx->opt.emu_fault_s3;
    pub_set(TXT_DIDVID, EMU_DIDVID);
    pub_set(TXT_VER_FSBIF, 0xffffffffffffffffull); /* production fused, bit 31 */
    pub_set(TXT_VER_QPIIF, 0xffffffffffffffffull);
    pub_set(TXT_SINIT_BASE, sinit);
    pub_set(TXT_SINIT_SIZE, EMU_SINIT_SIZE);
    pub_set(TXT_HEAP_BASE, heap);
    pub_set(TXT_HEAP_SIZE, heap_size);

    /* BiosData version 5 and an END element, when the heap holds it. */
    uint8_t *h = phys_ptr(heap, heap_size);
    uint64_t bios_size = 8 + sizeof(struct txt_bios_data) + sizeof(struct txt_ext_elem);
    if (heap_size >= bios_size) {
        struct txt_bios_data b;
        memset(&b, 0, sizeof(b));
        b.version = 5;
        b.num_logical_procs = count_cpus();
        struct txt_ext_elem end = {TXT_EXT_END, sizeof(struct txt_ext_elem)};
        memcpy(h, &bios_size, 8);
        memcpy(h + 8, &b, sizeof(b));
        memcpy(h + 8 + sizeof(b), &end, sizeof(end));
    }
    emu_state.active = true;
    return 0;
}

void emu_cpuid_fix(uint32_t leaf, uint32_t regs[4])
{
    if (emu_state.active && leaf == 1)
        regs[2] |= CPUID1_ECX_SMX | CPUID1_ECX_VMX;
}

bool emu_rdmsr(uint32_t msr, uint64_t *val)
{
    if (!emu_state.active)
        return false;
    if (msr == MSR_IA32_FEATURE_CONTROL) {
        *val = EMU_FEATURE_CONTROL;
        return true;
    }
    if (msr == 0x17u) { /* IA32_PLATFORM_ID */
        *val = 0;
        return true;
    }
    return false;
}

uint32_t emu_senter(paddr_t base, uint32_t size)
{
    /* emu_fault=s3: a SINIT error (valid, external, progress 0xF) on every
     * launch after the first. */
    if (emu_state.fault_s3 && emu_state.senters++ > 0)
        return 0xC00000F1u;
    const struct acm_header *h = phys_ptr(base, sizeof(*h));
    uint32_t entry = (uint32_t)base + h->entry_point;
    uint32_t eax = 4, ebx = (uint32_t)base, ecx = size, edx = 0, esi = (uint32_t)emu_state.space,
             edi = (uint32_t)emu_state.rlp_page;
    /* The stand-in returns only on an error, with EAX = TXT.ERRORCODE; it
     * keeps EBX, ESI, EDI and EBP. */
    __asm__ volatile("call *%[entry]"
                     : "+a"(eax), "+b"(ebx), "+c"(ecx), "+d"(edx), "+S"(esi), "+D"(edi)
                     : [entry] "m"(entry)
                     : "memory", "cc");
    return eax;
}

void emu_after_pt_build(void *ctx, void *pt, paddr_t pt_phys)
{
    (void)ctx;
    (void)pt_phys;
    if (!emu_state.fault_pt)
        return;
    /* Layout (txt/mle_pt.c): PDPT page, page directory, then page tables.
     * Entry 1 of the first page table maps the MLE's second page. */
    uint64_t *pte = (uint64_t *)((uint8_t *)pt + 2 * 4096);
    pte[1] &= ~1ull;
}

void emu_after_join_build(void *ctx, struct txt_mle_join *join)
{
    (void)ctx;
    if (emu_state.fault_join)
        join->seg_sel = 0x0Bu;
}

int emu_dmar(void *unused)
{
    (void)unused;
    return emu_state.fault_dmar ? 0 : 1;
}

void emu_wakeup(void)
{
    mmio_write64(emu_txt_pub() + EMU_TXT_WAKEUP, 1);
}

void emu_sexit(void)
{
    paddr_t sts = emu_txt_pub() + TXT_STS;
    mmio_write64(sts, (mmio_read64(sts) & ~(uint64_t)TXT_STS_SENTER_DONE) | TXT_STS_SEXIT_DONE);
}
