/* The measured launch: build what SINIT reads, GETSEC[SENTER], and check
 * everything SINIT hands back (include/txt_launch.h, docs/txt-launch.md). */
#include "evlog.h"
#include "fmt.h"
#include "mle.h"
#include "mle_pt.h"
#include "platform.h"
#include "rstring.h"
#include "sha.h"
#include "txt_error.h"
#include "txt_launch.h"
#include "txt_regs.h"

enum rensa_err txt_launch_caps(uint32_t mle_caps, uint32_t sinit_caps, enum pcr_map map, bool tpm20, uint32_t *out,
                               struct diag *d)
{
    uint32_t c = mle_caps & sinit_caps & (MLE_CAP_RLP_WAKE_GETSEC | MLE_CAP_RLP_WAKE_MONITOR | MLE_CAP_ECX_PGTBL);
    if ((c & MLE_CAP_RLP_WAKE_MONITOR) && (c & MLE_CAP_RLP_WAKE_GETSEC))
        c &= ~(uint32_t)MLE_CAP_RLP_WAKE_GETSEC;
    if (tpm20)
        c |= mle_caps & sinit_caps & MLE_CAP_TCG_EVENT_LOG;
    else if (map == PCR_MAP_DA && !(sinit_caps & MLE_CAP_PCR_MAP_DA))
        return diag_set(d, E_TXT_PCR_MAP, "pcr_map=da: SINIT caps 0x%x lack DA", sinit_caps);
    else if (map == PCR_MAP_LEGACY && (sinit_caps & MLE_CAP_PCR_MAP_NO_LEGACY))
        return diag_set(d, E_TXT_PCR_MAP, "pcr_map=legacy: SINIT caps 0x%x say no legacy", sinit_caps);
    else if (map == PCR_MAP_DA)
        c |= MLE_CAP_PCR_MAP_NO_LEGACY | MLE_CAP_PCR_MAP_DA;
    *out = c;
    return E_OK;
}

size_t txt_sinit_policy_data(const struct txt_sinit_mle_data *s, uint32_t os_sinit_caps, uint8_t *out)
{
    uint8_t *p = out;
    memcpy(p, s->bios_acm_id, 20);
    p += 20;
    memcpy(p, &s->mseg_valid, 8);
    p += 8;
    memcpy(p, s->stm_hash, 20);
    p += 20;
    memcpy(p, &s->lcp_policy_control, 4);
    p += 4;
    memcpy(p, s->lcp_policy_hash, 20);
    p += 20;
    uint32_t caps = (s->lcp_policy_control & (1u << 2)) ? os_sinit_caps : 0;
    memcpy(p, &caps, 4);
    p += 4;
    if (s->version >= 8) {
        memcpy(p, &s->proc_scrtm_status, 4);
        p += 4;
    }
    return (size_t)(p - out);
}

static bool in_range(paddr_t base, uint64_t len, paddr_t rb, uint64_t rlen)
{
    return rlen && base >= rb && len <= rlen && base - rb <= rlen - len;
}

/* Rensa, the page table, the event log and every module must lie inside
 * a PMR: checked before SENTER with the PMRs Rensa computed, and after it
 * with those SINIT programmed. */
static enum rensa_err pmr_cover_check(const struct rensa_ctx *ctx, paddr_t lo_base, uint64_t lo_size, paddr_t hi_base,
                                      uint64_t hi_size, struct diag *d)
{
    for (unsigned i = 0; i < 3u + ctx->bi.mod_count; i++) {
        paddr_t b;
        uint64_t n;
        const char *what;
        if (i == 0) {
            b = ctx->image_base, n = ctx->image_end - ctx->image_base, what = "Rensa";
        } else if (i == 1) {
            b = ctx->launch.ptab, n = mle_pt_size(ctx->mle_size), what = "the MLE page table";
        } else if (i == 2) {
            b = ctx->evlog_base, n = EVLOG_SIZE, what = "the event log";
        } else {
            const struct boot_module *m = &ctx->bi.mods[i - 3];
            b = m->start, n = m->end - m->start, what = m->cmdline;
        }
        if (n && !in_range(b, n, lo_base, lo_size) && !in_range(b, n, hi_base, hi_size))
            return diag_set(d, E_TXT_PMR, "%s at [0x%llx+0x%llx) is outside the PMRs (lo 0x%llx+0x%llx, hi 0x%llx+0x%llx)",
                            what, (unsigned long long)b, (unsigned long long)n, (unsigned long long)lo_base,
                            (unsigned long long)lo_size, (unsigned long long)hi_base, (unsigned long long)hi_size);
    }
    return E_OK;
}

static void mtrr_to_os_mle(const struct mtrr_state *s, struct txt_mtrr_state *o)
{
    memset(o, 0, sizeof(*o));
    o->def_type = s->def_type;
    o->num_var = s->num_var < TXT_MTRR_VAR_MAX ? s->num_var : TXT_MTRR_VAR_MAX;
    for (unsigned i = 0; i < o->num_var; i++) {
        o->var[i].base = s->var[i].base;
        o->var[i].mask = s->var[i].mask;
    }
}

/* Program MTRRs the way the guide asks: caches off and flushed around it. */
static enum rensa_err mtrr_program(const struct txt_launch_ops *ops, const struct mtrr_state *s, struct diag *d)
{
    ops->cache_disable(ops->ctx);
    enum rensa_err e = mtrr_restore(&ops->mtrr, s, d);
    ops->cache_enable(ops->ctx);
    return e;
}

enum rensa_err txt_launch(struct rensa_ctx *ctx, const struct sinit_result *s, const struct txt_launch_ops *ops,
                          struct diag *d)
{
    if (s->choice.chosen < 0)
        return diag_set(d, E_TXT_ARG, "no SINIT was chosen");
    const struct acm_candidate *c = &s->cand[s->choice.chosen];
    struct txt_launch *L = &ctx->launch;
    /* A machine-check error logged in any bank makes SENTER fail (SDM vol.
     * 2, GETSEC[SENTER]: it checks IA32_MCi_STATUS.VAL). */
    uint64_t mcg_cap, mc_sts;
    if (ops->mtrr.rdmsr(ops->mtrr.ctx, MSR_IA32_MCG_CAP, &mcg_cap))
        for (unsigned i = 0; i < (mcg_cap & 0xffu); i++)
            if (ops->mtrr.rdmsr(ops->mtrr.ctx, MSR_IA32_MC_STATUS(i), &mc_sts) && (mc_sts >> 63))
                return diag_set(d, E_TXT_MCE, "machine-check bank %u holds an error (IA32_MC%u_STATUS 0x%llx)", i,
                                i, (unsigned long long)mc_sts);
    if (s->os_sinit_ver < 7 && ctx->tpm.family == TPM_FAMILY_20)
        return diag_set(d, E_TXT_HEAP_VERSION, "SINIT takes OsSinitData version %u; a TPM 2.0 launch needs 7 "
                        "(the TPM 2.0 event log element)", s->os_sinit_ver);

    /* 1. The PMRs from the memory map, and the MLE page table in RAM the
     * low PMR covers, reserved for the OS. An S3 re-launch rebuilds the
     * table in the same place (the kernel owns all other RAM by then). */
    L->sinit_size = (uint32_t)c->acm.hdr.size * 4u;
    L->mdr_reserved = 0;
    L->heap_base = s->heap_base;
    L->heap_size = s->heap_size;
    struct txt_pmr pmr;
    if (txt_pmr_compute(&ctx->bi.mmap, &pmr, d) != HEAP_OK)
        return d->code;
    L->pmr = pmr;
    uint64_t pt_len = mle_pt_size(ctx->mle_size);
    enum rensa_err e = E_OK;
    if (!L->ptab)
        e = ctx_alloc(ctx, pt_len, MLE_PT_PAGE, pmr.lo_base, pmr.lo_base + pmr.lo_size, ALLOC_TOP_DOWN, true,
                      "MLE page table", &L->ptab);
    if (e) {
        *d = ctx->diag;
        return e;
    }
    void *pt = phys_ptr(L->ptab, pt_len);
    enum mle_pt_reason pr = mle_pt_build(pt, pt_len, L->ptab, ctx->mle_base, ctx->mle_size, d);
    if (pr != MLE_PT_OK)
        return d->code;
    if (ops->after_pt_build)
        ops->after_pt_build(ops->ctx, pt, L->ptab);

    /* 2. The heap: PMRs from the memory map, the event log, saved state. */
    struct txt_heap_params hp;
    memset(&hp, 0, sizeof(hp));
    hp.os_sinit_version = s->os_sinit_ver;
    hp.mle_base = ctx->mle_base;
    hp.mle_size = ctx->mle_size;
    hp.mle_hdr_off = ctx->mle_hdr_off;
    hp.mle_ptab = L->ptab;
    hp.pmr = pmr;
    if ((e = txt_launch_caps(ctx->mle_caps, c->acm.info.capabilities, ctx->opt.pcr_map,
                             ctx->tpm.family == TPM_FAMILY_20, &L->caps, d)))
        return e;
    if ((e = pmr_cover_check(ctx, pmr.lo_base, pmr.lo_size, pmr.hi_base, pmr.hi_size, d)))
        return e;
    hp.capabilities = L->caps;
    hp.flags = 0; /* PCR extend policy: agile (the TPM hashes) */
    hp.efi_rsdt_ptr = 0;
    if (ctx->tpm.family == TPM_FAMILY_20) {
        hp.evlog = TXT_EVLOG_TPM20;
        hp.evlog_base = ctx->evlog_base;
        hp.evlog_size = EVLOG_SIZE;
        hp.evlog_first = hp.evlog_next = ctx->evlog_used;
    }
    if ((e = mtrr_save(&ops->mtrr, &L->mtrr_saved, d)))
        return e;
    if ((e = mtrr_validate(&L->mtrr_saved, ops->mtrr.maxphyaddr, d)))
        return e;
    hp.os_mle.misc_enable = L->mtrr_saved.misc_enable;
    hp.os_mle.ctx_phys = ptr_phys(ctx);
    mtrr_to_os_mle(&L->mtrr_saved, &hp.os_mle.mtrr);
    void *heap = phys_ptr(s->heap_base, s->heap_size);
    if (!heap)
        return diag_set(d, E_TXT_HEAP_SIZE, "the TXT heap [0x%llx+0x%llx) is not addressable",
                        (unsigned long long)s->heap_base, (unsigned long long)s->heap_size);
    if (heap_build(heap, s->heap_size, &hp, d) != HEAP_OK)
        return d->code;
    /* What SINIT must find unchanged after the launch: the whole fixed
     * part of OsSinitData as Rensa wrote it. */
    struct txt_heap_view *bv = &L->view;
    if (heap_verify(heap, s->heap_size, 0, bv, d) != HEAP_OK)
        return d->code;
    L->os_sinit = bv->os_sinit;

    /* 3a. The other processors wait for SIPI (the guide: RLPs must be in
     * wait-for-SIPI at SENTER). */
    if ((e = txt_rlp_init_aps(ops, &ctx->clock, s->bios.num_logical_procs, d)))
        return e;

    /* 3. MTRRs: the SINIT region write-back, everything else uncached. */
    struct mtrr_state plan;
    /* whole pages of SINIT write-back (the guide: the MTRRs must cover the AC module) */
    uint64_t wb = ((uint64_t)L->sinit_size + 0xfffu) & ~(uint64_t)0xfffu;
    if ((e = mtrr_plan_sinit(s->region.base, wb, ops->mtrr.maxphyaddr, L->mtrr_saved.num_var, &plan, d)))
        return e;
    plan.mtrrcap = L->mtrr_saved.mtrrcap;
    plan.misc_valid = false;
    L->magic = TXT_LAUNCH_MAGIC;
    if ((e = mtrr_program(ops, &plan, d)))
        goto restore;

    /* 4. GETSEC[SENTER]. */
    uint32_t err = ops->senter(ops->ctx, s->region.base, L->sinit_size);
    char words[160];
    txt_errorcode_describe(err, words, sizeof(words));
    e = diag_set(d, E_TXT_SINIT_ERROR, "GETSEC[SENTER] returned: SINIT reported TXT.ERRORCODE 0x%08x (%s)", err,
                 words);
restore:
    L->magic = 0;
    {
        struct diag d2;
        if (mtrr_program(ops, &L->mtrr_saved, &d2))
            *d = d2;
    }
    return d->code ? d->code : e;
}

/* SINIT's memory descriptor records: RAM the map hands on that no GOOD
 * MDR covers is reserved, in the allocator's map too (as tboot's
 * verify_e820_map does). Without MDRs nothing changes. */
static enum rensa_err mdr_reserve(struct rensa_ctx *ctx, const void *heap, const struct txt_heap_view *v,
                                  struct diag *d)
{
    uint32_t n = v->sinit_mle.num_mdrs;
    struct memmap m = ctx->handoff; /* memmap_set splits entries: walk a copy */
    for (unsigned i = 0; n && i < m.n; i++) {
        if (m.r[i].type != E820_RAM)
            continue;
        paddr_t c = m.r[i].base, end = c + m.r[i].len;
        while (c < end) {
            paddr_t next = end;
            bool good = false;
            for (uint32_t j = 0; j < n && !good; j++) {
                struct txt_mdr r = heap_mdr_at(heap, v, j);
                paddr_t rb = r.base, re = r.base + r.length;
                if (r.type != TXT_MDR_GOOD || !r.length)
                    continue;
                if (rb <= c && c < re)
                    good = true, next = re < end ? re : end;
                else if (rb > c && rb < next)
                    next = rb;
            }
            if (!good) {
                ctx->launch.mdr_reserved += next - c;
                if (memmap_set(&ctx->handoff, c, next - c, E820_RESERVED, d) ||
                    memmap_set(&ctx->bi.mmap, c, next - c, E820_RESERVED, d))
                    return d->code;
            }
            c = next;
        }
    }
    return E_OK;
}

enum rensa_err txt_post_launch(struct rensa_ctx *ctx, const struct txt_launch_ops *ops, const struct txt_rlp_code *rlp,
                               paddr_t entry_phys, paddr_t ptab, struct diag *d)
{
    struct txt_launch *L = &ctx->launch;
    /* a. This is a launch Rensa started, and SINIT says it is done. */
    if (L->magic != TXT_LAUNCH_MAGIC)
        return diag_set(d, E_POST_LAUNCH, "the launch context does not hold a launch in progress");
    uint64_t sts = ops->pub_read(ops->ctx, TXT_STS);
    if (!(sts & TXT_STS_SENTER_DONE))
        return diag_set(d, E_POST_LAUNCH, "TXT.STS is 0x%llx: SENTER_DONE is not set", (unsigned long long)sts);
    paddr_t want = ctx->mle_base + ctx->mle_entry_off;
    if (entry_phys != want)
        return diag_set(d, E_TXT_MLE_ENTRY, "entered at physical 0x%llx (EBX), not at the MLE entry 0x%llx",
                        (unsigned long long)entry_phys, (unsigned long long)want);
    if (ptab != L->ptab)
        return diag_set(d, E_TXT_MLE_ENTRY, "ECX gives the MLE page table at 0x%llx, Rensa built it at 0x%llx",
                        (unsigned long long)ptab, (unsigned long long)L->ptab);

    /* b. The page table is still exactly the one Rensa built: it is built
     * again next to it and compared byte for byte (SINIT walked it to find
     * what it measured; any change since would move a page). */
    static uint8_t again[3 * MLE_PT_PAGE]; /* an MLE of up to 2 MiB */
    uint64_t pt_len = mle_pt_size(ctx->mle_size);
    const void *live = phys_ptr(L->ptab, pt_len);
    if (pt_len > sizeof(again) || !live)
        return diag_set(d, E_TXT_ARG, "the MLE page table (%llu bytes) cannot be checked",
                        (unsigned long long)pt_len);
    if (mle_pt_build(again, pt_len, L->ptab, ctx->mle_base, ctx->mle_size, d) != MLE_PT_OK)
        return d->code;
    if (memcmp(again, live, (size_t)pt_len) != 0)
        return diag_set(d, E_TXT_PT_MALFORMED, "the MLE page table at 0x%llx changed during the launch",
                        (unsigned long long)L->ptab);

    /* c. The heap: every region, SinitMleData included. */
    const void *heap = phys_ptr(L->heap_base, L->heap_size);
    struct txt_heap_view v;
    if (!heap)
        return diag_set(d, E_TXT_HEAP_MALFORMED, "the TXT heap is not addressable");
    if (heap_verify(heap, L->heap_size, HEAP_VERIFY_SINIT_MLE, &v, d) != HEAP_OK)
        return d->code;
    if (v.os_mle.ctx_phys != ptr_phys(ctx) || memcmp(&v.os_sinit, &L->os_sinit, sizeof(L->os_sinit)) != 0 ||
        v.os_sinit.capabilities != L->caps)
        return diag_set(d, E_TXT_HEAP_MALFORMED, "OsMleData/OsSinitData no longer hold what Rensa wrote");
    const struct txt_sinit_mle_data *sm = &v.sinit_mle;

    /* d. SINIT measured this MLE: its SHA-1 equals Rensa's own. */
    uint8_t mine[20];
    const void *mle = phys_ptr(ctx->mle_base, ctx->mle_size);
    if (!mle || !hash_buffer(HASH_SHA1, mle, (size_t)ctx->mle_size, mine) || memcmp(mine, sm->mle_hash, 20) != 0)
        return diag_set(d, E_TXT_MLE_HASH, "SinitMleData's MLE hash is not the SHA-1 of the MLE Rensa runs");

    /* e. The PMRs (as SINIT programmed them) cover what must not be
     * reached by DMA. */
    const struct txt_os_sinit_data *o = &v.os_sinit;
    enum rensa_err e = pmr_cover_check(ctx, o->vtd_pmr_lo_base, o->vtd_pmr_lo_size, o->vtd_pmr_hi_base,
                                       o->vtd_pmr_hi_size, d);
    if (e)
        return e;

    /* f. The TPM 2.0 log: where SINIT's records end. */
    uint32_t evlog_used = ctx->evlog_used;
    if (v.evlog == TXT_EVLOG_TPM20) {
        struct txt_evlog_ptr2_1 ep;
        memcpy(&ep, (const uint8_t *)heap + v.evlog_elem_off, sizeof(ep));
        if (ep.phys != ctx->evlog_base || ep.allocated_size != EVLOG_SIZE || ep.first_record != ctx->evlog_used ||
            ep.next_record < ep.first_record || ep.next_record > ep.allocated_size)
            return diag_set(d, E_TXT_HEAP_MALFORMED, "the TPM 2.0 event log element is inconsistent "
                            "(log 0x%llx, %u bytes, records %u..%u)", (unsigned long long)ep.phys,
                            ep.allocated_size, ep.first_record, ep.next_record);
        evlog_used = ep.next_record;
    }

    /* g. MTRRs and IA32_MISC_ENABLE as they were: the copy in OsMleData
     * must agree with Rensa's, and be a valid configuration. */
    struct txt_mtrr_state mine_os;
    mtrr_to_os_mle(&L->mtrr_saved, &mine_os);
    if (memcmp(&mine_os, &v.os_mle.mtrr, sizeof(mine_os)) != 0 || v.os_mle.misc_enable != L->mtrr_saved.misc_enable)
        return diag_set(d, E_MTRR_MSR, "the MTRRs saved in OsMleData differ from Rensa's copy");
    e = mtrr_validate(&L->mtrr_saved, ops->mtrr.maxphyaddr, d);
    if (!e)
        e = mtrr_program(ops, &L->mtrr_saved, d);
    if (e)
        return e;
    L->magic = 0;
    /* Only now, with every check passed, does SINIT's data enter the context. */
    ctx->sinit_mle = *sm;
    ctx->evlog_used = evlog_used;

    /* RAM the PMRs' 2 MiB rounding leaves unprotected: reserved, for the
     * allocator and in the map handed on, so no secret is put there. */
    const paddr_t left[2][2] = {{L->pmr.lo_left_base, L->pmr.lo_left_len},
                                {L->pmr.hi_left_base, L->pmr.hi_left_len}};
    for (unsigned i = 0; i < 2; i++)
        if (left[i][1] && (memmap_set(&ctx->handoff, left[i][0], left[i][1], E820_RESERVED, d) ||
                           memmap_set(&ctx->bi.mmap, left[i][0], left[i][1], E820_RESERVED, d)))
            return d->code;

    if ((e = mdr_reserve(ctx, heap, &v, d)))
        return e;

    /* h. SMIs and NMIs back on; the other processors: JOIN, wake, their
     * MTRRs restored, parked. */
    ops->unmask_events(ops->ctx);
    if ((e = txt_rlp_wake(ctx, ops, rlp, &v, d)))
        return e;

    /* i. Secrets may now be in memory; locality 1 for the OS. */
    ops->priv_write(ops->ctx, TXT_CMD_SECRETS, 1);
    (void)ops->pub_read(ops->ctx, TXT_E2STS); /* a read completes the write */
    ops->priv_write(ops->ctx, TXT_CMD_OPEN_LOCALITY1, 1);
    (void)ops->pub_read(ops->ctx, TXT_E2STS);
    ctx->drtm = true;
    return E_OK;
}

void txt_exit(const struct txt_launch_ops *ops)
{
    static const uint32_t cmds[] = {TXT_CMD_NO_SECRETS, TXT_CMD_UNLOCK_MEM_CONFIG, TXT_CMD_CLOSE_PRIVATE};
    for (unsigned i = 0; i < ARRAY_SIZE(cmds); i++) {
        ops->priv_write(ops->ctx, cmds[i], 1);
        (void)ops->pub_read(ops->ctx, TXT_E2STS);
    }
    ops->sexit(ops->ctx);
}
