/* The other processors around a measured launch (include/txt_rlp.h,
 * docs/txt-launch.md steps 7a and 11). */
#include "fmt.h"
#include "mle.h"
#include "platform.h"
#include "rstring.h"
#include "txt_error.h"
#include "txt_launch.h"
#include "txt_regs.h"

#define RLP_WAIT_MS 5000u
#define INIT_SETTLE_MS 10u /* the SDM's wait after INIT ("MP initialization") */

enum rensa_err txt_rlp_init_aps(const struct txt_launch_ops *ops, const struct clock *clk, uint32_t n_procs,
                                struct diag *d)
{
    if (n_procs <= 1)
        return E_OK;
    if (n_procs - 1 > RLP_MAX)
        return diag_set(d, E_TXT_RLP, "BiosData reports %u logical processors; Rensa parks at most %u besides "
                        "this one", n_procs, (unsigned)RLP_MAX);
    if (!ops->init_aps(ops->ctx))
        return diag_set(d, E_TXT_RLP, "the local APIC did not deliver INIT to the other processors");
    uint64_t deadline = clock_deadline(clk, INIT_SETTLE_MS);
    while (!clock_expired(deadline))
        ops->pause(ops->ctx);
    return E_OK;
}

/* The page each RLP leaves through for real mode (txt/rlp_entry.S): a GDT
 * with 16-bit code and data (base = the page, limit 0xFFFF, present), its
 * GDTR, the real-mode IVT's IDTR, the stub and the far pointer to its
 * real-mode half. */
static void rlp_page_build(uint8_t *p, uint32_t page, const struct txt_rlp_code *c)
{
    memset(p, 0, 4096);
    for (uint32_t i = 1; i < 3; i++) {
        uint32_t g[2] = {0xFFFFu | page << 16, ((page >> 16) & 0xFFu) | (i == 1 ? 0x9B00u : 0x9300u) |
                                                   (page & 0xFF000000u)};
        memcpy(p + RLP_PAGE_GDT + 8 * i, g, 8);
    }
    uint32_t gdtr[2] = {23u | page << 16, page >> 16}, idtr = 0x3FF;
    memcpy(p + RLP_PAGE_GDTR, gdtr, 6);
    memcpy(p + RLP_PAGE_IDTR, &idtr, 4);
    memcpy(p + RLP_PAGE_CODE, c->real16, c->real16_len);
    uint32_t fp = (RLP_PAGE_CODE + c->real16_rm) | (page >> 4) << 16;
    memcpy(p + RLP_PAGE_REAL, &fp, 4);
    /* The S3 waking stub, with the page's segment, Rensa's GDT and the
     * far pointer (offset, selector 0x08) to _s3_entry. */
    memcpy(p + RLP_PAGE_WAKE, c->wake16, c->wake16_len);
    uint16_t seg = (uint16_t)(page >> 4);
    memcpy(p + RLP_PAGE_WAKE + c->wake16_seg, &seg, 2);
    uint16_t lim = (uint16_t)c->gdt_limit;
    uint32_t base = (uint32_t)c->gdt, entry = (uint32_t)c->s3_entry;
    uint16_t sel = 0x08;
    memcpy(p + RLP_PAGE_S3_GDTR, &lim, 2);
    memcpy(p + RLP_PAGE_S3_GDTR + 2, &base, 4);
    memcpy(p + RLP_PAGE_S3_ENTRY, &entry, 4);
    memcpy(p + RLP_PAGE_S3_ENTRY + 4, &sel, 2);
}

enum rensa_err txt_rlp_wake(struct rensa_ctx *ctx, const struct txt_launch_ops *ops, const struct txt_rlp_code *c,
                            const struct txt_heap_view *v, struct diag *d)
{
    struct txt_rlp *r = &ctx->rlp;
    uint32_t n = v->bios.num_logical_procs;
    n = n ? n - 1 : 0;
    if (n > RLP_MAX)
        return diag_set(d, E_TXT_RLP, "%u RLPs", n);
    /* The real-mode page and the stacks below 1 MiB, in the low PMR,
     * reserved: the parked RLPs keep using both, and the page is the way
     * back from S3 even with no RLP. An S3 re-launch finds them in place
     * (the kernel owns all other RAM by then). */
    const struct txt_os_sinit_data *o = &v->os_sinit;
    paddr_t lo = o->vtd_pmr_lo_base, hi = lo + o->vtd_pmr_lo_size, page = r->page;
    uint32_t len = 4096 + n * RLP_STACK_SIZE;
    enum rensa_err e = E_OK;
    if (!page)
        e = ctx_alloc(ctx, len, 4096, lo > 0x1000 ? lo : 0x1000, hi < MiB(1) ? hi : MiB(1), ALLOC_TOP_DOWN, true,
                      "RLP page and stacks", &page);
    else if (n != r->count)
        return diag_set(d, E_TXT_RLP, "BiosData counts %u RLPs, %u at the first launch", n, r->count);
    uint8_t *pp = phys_ptr(page, len);
    if ((e || !pp) && n == 0) {
        r->page = 0; /* no way back from S3 (refused then), nothing else lost */
        return E_OK;
    }
    if (e || !pp)
        return diag_set(d, E_TXT_RLP, "no RAM below 1 MiB in the low PMR for the RLP page and stacks (%u bytes)",
                        len);
    rlp_page_build(pp, (uint32_t)page, c);
    memset((void *)r, 0, sizeof(*r));
    r->count = n;
    r->page = (uint32_t)page;
    if (n == 0)
        return E_OK;
    r->join.gdt_limit = c->gdt_limit;
    r->join.gdt_base = (uint32_t)c->gdt;
    r->join.seg_sel = 0x08;
    r->join.entry = (uint32_t)c->entry;
    if (ops->after_join_build)
        ops->after_join_build(ops->ctx, &r->join);
    ops->priv_write(ops->ctx, TXT_MLE_JOIN, ptr_phys(&r->join));
    (void)ops->pub_read(ops->ctx, TXT_E2STS);

    if (ctx->launch.caps & MLE_CAP_RLP_WAKE_MONITOR) {
        /* SINIT's RLPs MONITOR this address; writing it wakes them. It must
         * not be RAM the kernel gets. */
        paddr_t a = v->sinit_mle.rlp_wakeup_addr;
        volatile uint32_t *w = phys_ptr(a, 4);
        if (!a || (a & 3) || !w || memmap_covers(&ctx->handoff, a, 4, E820_RAM))
            return diag_set(d, E_TXT_RLP, "bad RLP wake-up address 0x%llx", (unsigned long long)a);
        *w = 1;
    } else {
        ops->wakeup(ops->ctx);
    }
    uint64_t deadline = clock_deadline(&ctx->clock, RLP_WAIT_MS);
    while (r->joined + r->failed < n && !clock_expired(deadline))
        ops->pause(ops->ctx);
    if (r->joined == n)
        return E_OK;
    uint32_t ec = (uint32_t)ops->pub_read(ops->ctx, TXT_ERRORCODE);
    char words[96];
    txt_errorcode_describe(ec, words, sizeof(words));
    return diag_set(d, E_TXT_RLP, "%u of %u RLPs joined, %u failed (MTRRs), %u entered; %s", r->joined, n,
                    r->failed, r->ticket, words);
}

bool txt_rlp_join(struct rensa_ctx *ctx, const struct txt_launch_ops *ops)
{
    struct diag d;
    struct txt_rlp *r = &ctx->rlp;
    ops->unmask_events(ops->ctx);
    ops->cache_disable(ops->ctx);
    bool ok = mtrr_restore(&ops->mtrr, &ctx->launch.mtrr_saved, &d) == E_OK;
    ops->cache_enable(ops->ctx);
    __atomic_add_fetch(ok ? &r->joined : &r->failed, 1, __ATOMIC_SEQ_CST);
    return ok;
}
