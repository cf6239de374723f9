/* The stand-in SINIT's multi-processor part (rlp.h; the contract is in
 * standin.c): the rendezvous of the RLPs in GETSEC[SENTER], their SENTER
 * sleep, and their wake-up through TXT.MLE.JOIN as GETSEC[WAKEUP] (Intel
 * SDM vol. 2D) describes it.
 *
 * The ILP copies the real-mode trampoline (entry.S) into the rendezvous
 * page, fills the page's data area (standin.h) and sends INIT-SIPI-SIPI.
 * Each RLP comes up in the trampoline, takes a stack in the page, and runs
 * standin_rlp_main: it counts itself arrived and polls the wake
 * conditions. Nothing here writes to the module's image: all mutable RLP
 * state is in the page. */
#include <stddef.h>
#include "../emu.h"
#include "acm.h"
#include "hw.h"
#include "rlp.h"
#include "standin.h"
#include "txt_heap.h"

#define RLP_PROGRESS 0x0Bu
#define PUB_OFF 0x10000u
_Static_assert(STANDIN_RDV_CODE_MAX <= STANDIN_RDV_GDT && STANDIN_RDV_GDT + 24 <= STANDIN_RDV_GDTR &&
                   STANDIN_RDV_GDTR + 6 <= STANDIN_RDV_FAR && STANDIN_RDV_FAR + 6 <= STANDIN_RDV_ROUTINE &&
                   STANDIN_RDV_ARRIVED + 4 <= STANDIN_RDV_STACKS && STANDIN_RDV_MAX_RLPS == 15,
               "the rendezvous page layout (standin.h)");

/* BiosData up to and including NumLogicalProcs (the version 2 part). */
#define BIOS_DATA_NPROCS_END (offsetof(struct txt_bios_data, num_logical_procs) + 4u)

/* ---------------------------------------------------------------- pure checks */

bool standin_join_readable(uint32_t addr)
{
    return addr != 0 && addr <= 0xFFFFFFFFu - 15u;
}

enum standin_join_bad standin_join_check(uint32_t addr, const struct standin_join *j)
{
    if (!standin_join_readable(addr))
        return STANDIN_JOIN_ADDR;
    if (j->gdt_limit > 0xFFFFu)
        return STANDIN_JOIN_LIMIT;
    if (j->sel == 0)
        return STANDIN_JOIN_SEL_NULL;
    if (j->sel & 7u)
        return STANDIN_JOIN_SEL_TI_RPL;
    if ((uint64_t)j->sel + 15u > j->gdt_limit)
        return STANDIN_JOIN_SEL_LIMIT;
    if (j->eip == 0)
        return STANDIN_JOIN_EIP;
    return STANDIN_JOIN_OK;
}

uint32_t standin_acm_caps(uint32_t base, uint32_t size)
{
    static const uint8_t uuid[16] = ACM_UUID_V3_BYTES;
    const volatile uint8_t *m = sd_phys(base);
    if (size < sizeof(struct acm_header))
        return 0;
    uint64_t info = ((uint64_t)sd_rd32(m + offsetof(struct acm_header, header_len)) +
                     sd_rd32(m + offsetof(struct acm_header, scratch_size))) * 4u;
    if (info > size || size - info < offsetof(struct acm_info_table, capabilities) + 4u)
        return 0;
    for (unsigned i = 0; i < sizeof(uuid); i++)
        if (m[info + i] != uuid[i])
            return 0;
    return sd_rd32(m + info + offsetof(struct acm_info_table, capabilities));
}

uint32_t standin_rlp_wakeup_addr(uint32_t caps, uint32_t word)
{
    return (caps & ACM_CAP_RLP_WAKE_MONITOR) ? word : 0;
}

bool standin_rlp_woken(uint32_t caps, uint32_t word, uint64_t wakeup_reg)
{
    return ((caps & ACM_CAP_RLP_WAKE_MONITOR) && word != 0) || ((caps & ACM_CAP_RLP_WAKE_GETSEC) && wakeup_reg != 0);
}

bool standin_rdv_page_ok(uint32_t page)
{
    return page != 0 && (page & (STANDIN_RDV_PAGE - 1u)) == 0 && page < 0x100000u &&
           !(page >= 0xA0000u && page < 0xC0000u);
}

uint32_t standin_rdv_max_rlps(void)
{
    return STANDIN_RDV_MAX_RLPS;
}

/* ---------------------------------------------------------------- the ILP */

static void wr16(volatile uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

/* The trampoline and its data area (standin.h); the stacks are left as
 * they are. */
static void rdv_build(uint32_t page, uint32_t txt, uint32_t caps)
{
    volatile uint8_t *p = sd_phys(page);
    uint32_t len = (uint32_t)(standin_rlp_tramp_end - standin_rlp_tramp);
    for (uint32_t i = 0; i < STANDIN_RDV_STACKS; i++)
        p[i] = i < len ? standin_rlp_tramp[i] : 0;
    sd_wr64(p + STANDIN_RDV_GDT + 8, 0x00CF9B000000FFFFull); /* 0x08: flat 32-bit code */
    sd_wr64(p + STANDIN_RDV_GDT + 16, 0x00CF93000000FFFFull); /* 0x10: flat data */
    wr16(p + STANDIN_RDV_GDTR, 3 * 8 - 1);
    sd_wr32(p + STANDIN_RDV_GDTR + 2, page + STANDIN_RDV_GDT);
    sd_wr32(p + STANDIN_RDV_FAR, page + (uint32_t)(standin_rlp_tramp32 - standin_rlp_tramp));
    wr16(p + STANDIN_RDV_FAR + 4, STANDIN_CS);
    sd_wr32(p + STANDIN_RDV_ROUTINE, (uint32_t)(uintptr_t)&standin_rlp_main);
    sd_wr32(p + STANDIN_RDV_TXT, txt);
    sd_wr32(p + STANDIN_RDV_CAPS, caps);
}

uint32_t standin_rendezvous(const uint8_t *heap, uint32_t txt, uint32_t page, uint32_t caps)
{
    if (sd_rd64(heap) < 8u + BIOS_DATA_NPROCS_END)
        return STANDIN_ERR(RLP_PROGRESS, 4, 0);
    uint32_t n = sd_rd32(heap + 8 + offsetof(struct txt_bios_data, num_logical_procs));
    if (n <= 1)
        return 0;
    if (!standin_rdv_page_ok(page))
        return STANDIN_ERR(RLP_PROGRESS, 1, 0);
    if (n - 1 > standin_rdv_max_rlps())
        return STANDIN_ERR(RLP_PROGRESS, 2, n);
    rdv_build(page, txt, caps);
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* the page is complete before the first IPI */
    switch (sd_wake_aps((uint8_t)(page >> 12))) {
    case SD_IPI_OK:
        break;
    case SD_IPI_NO_XAPIC:
        return STANDIN_ERR(RLP_PROGRESS, 5, 0);
    case SD_IPI_INIT:
        return STANDIN_ERR(RLP_PROGRESS, 6, 1);
    case SD_IPI_SIPI1:
        return STANDIN_ERR(RLP_PROGRESS, 6, 2);
    default:
        return STANDIN_ERR(RLP_PROGRESS, 6, 3);
    }
    volatile uint32_t *arrived = (volatile uint32_t *)(uintptr_t)(page + STANDIN_RDV_ARRIVED);
    uint64_t start = sd_rdtsc();
    for (;;) {
        uint32_t a = __atomic_load_n(arrived, __ATOMIC_SEQ_CST);
        if (a == n - 1)
            return 0;
        if (a > n - 1 || sd_rdtsc() - start > SD_TICKS_RENDEZVOUS)
            return STANDIN_ERR(RLP_PROGRESS, 3, a);
        sd_pause();
    }
}

/* ---------------------------------------------------------------- each RLP */

void standin_rlp_main(uint32_t page, uint32_t index)
{
    volatile uint8_t *p = sd_phys(page);
    uint32_t txt = sd_rd32(p + STANDIN_RDV_TXT), caps = sd_rd32(p + STANDIN_RDV_CAPS);
    volatile uint8_t *priv = sd_phys(txt), *pub = sd_phys(txt + PUB_OFF);
    __atomic_add_fetch((volatile uint32_t *)(p + STANDIN_RDV_ARRIVED), 1u, __ATOMIC_SEQ_CST);

    /* The SENTER sleep. */
    while (!standin_rlp_woken(caps, standin_rlp_wakeup, sd_rd64(pub + EMU_TXT_WAKEUP)))
        sd_pause();

    /* GETSEC[WAKEUP]: the JOIN structure at TXT.MLE.JOIN. */
    uint32_t addr = sd_rd32(priv + TXT_MLE_JOIN);
    struct standin_join j = {0, 0, 0, 0};
    if (standin_join_readable(addr)) {
        const volatile uint8_t *s = sd_phys(addr);
        j.gdt_limit = sd_rd32(s);
        j.gdt_base = sd_rd32(s + 4);
        j.sel = sd_rd32(s + 8);
        j.eip = sd_rd32(s + 12);
    }
    if (standin_join_check(addr, &j) != STANDIN_JOIN_OK) {
        /* TXT shutdown (#BadJOINFormat): a processor code, this RLP stops. */
        sd_wr64(pub + TXT_ERRORCODE, STANDIN_BAD_JOIN_CODE);
        sd_wr64(priv + TXT_ERRORCODE, STANDIN_BAD_JOIN_CODE);
        standin_rlp_halt();
    }
    uint32_t stub = page + STANDIN_RDV_PAGE - (index + 1u) * STANDIN_RDV_STACK;
    standin_rlp_join(j.gdt_limit, j.gdt_base, j.sel, j.eip, stub);
}
