/* SINIT selection at boot (include/sinit.h, docs/sinit.md). */
#include "fmt.h"
#include "platform.h"
#include "rstring.h"
#include "sinit.h"

#define ULL(x) ((unsigned long long)(x))

static bool overlaps(paddr_t a, uint64_t alen, paddr_t b, uint64_t blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

const char *sinit_source_name(const struct sinit_line *l, char *buf, size_t n)
{
    if (l->source == ACM_SRC_BIOS)
        fmt_snprintf(buf, n, "BIOS copy");
    else
        fmt_snprintf(buf, n, "module %u", l->index);
    return buf;
}

/* The TPM the measurement step found: family and active PCR banks; left
 * at 0 (not checked) without a TPM. TPM 2.0 accepts a SINIT for a discrete
 * TPM 2.0 or for PTT: the TPM interface does not tell which one this is. */
static void platform_tpm(const struct rensa_ctx *ctx, struct acm_platform *p)
{
    p->tpm_family = 0;
    p->n_tpm_algs = 0;
    if (!ctx->tpm_present)
        return;
    if (ctx->tpm.family == TPM_FAMILY_12) {
        p->tpm_family = ACM_TPM_FAMILY_DTPM12;
        p->tpm_algs[p->n_tpm_algs++] = ACM_ALG_SHA1;
    } else if (ctx->tpm.family == TPM_FAMILY_20) {
        p->tpm_family = ACM_TPM_FAMILY_DTPM20 | ACM_TPM_FAMILY_PTT20;
        for (unsigned i = 0; i < ctx->tpm.bank_count && i < TPM_BANKS_MAX; i++)
            if (ctx->tpm.banks[i].active && p->n_tpm_algs < ARRAY_SIZE(p->tpm_algs))
                p->tpm_algs[p->n_tpm_algs++] = ctx->tpm.banks[i].alg;
    }
}

/* BiosData from the start of the TXT heap, bounds-checked by txt/heap.c. */
static enum rensa_err read_bios_data(struct sinit_result *out, struct diag *d)
{
    const void *heap = phys_ptr(out->heap_base, out->heap_size);
    if (!heap || out->heap_size == 0)
        return diag_set(d, E_TXT_HEAP_MALFORMED,
                        "the TXT heap at TXT.HEAP.BASE 0x%llx, TXT.HEAP.SIZE 0x%llx is not addressable",
                        ULL(out->heap_base), ULL(out->heap_size));
    struct txt_heap_view v; /* about 450 bytes */
    enum heap_reason r = heap_read_bios(heap, out->heap_size, &v, d);
    if (r != HEAP_OK)
        return heap_reason_err(r);
    out->bios = v.bios;
    return E_OK;
}

/* The platform type in BiosData (version 6 on, MLE flags bits 2:1);
 * LEGACY (not checked) before, or for the reserved value 3. */
static unsigned bios_platform_type(const struct txt_bios_data *b)
{
    if (b->version < 6)
        return ACM_PLATFORM_LEGACY;
    unsigned t = (b->mle_flags & TXT_BIOS_MLE_PLATFORM_MASK) >> TXT_BIOS_MLE_PLATFORM_SHIFT;
    return t == ACM_PLATFORM_CLIENT || t == ACM_PLATFORM_SERVER ? t : ACM_PLATFORM_LEGACY;
}

static void fill_lines(struct sinit_result *out)
{
    for (unsigned i = 0; i < out->n; i++) {
        const struct acm_candidate *c = &out->cand[i];
        struct sinit_line *l = &out->line[i];
        l->source = c->source;
        l->index = c->index;
        l->phys = c->phys;
        l->len = c->len;
        l->chosen = out->choice.chosen == (int)i;
        l->reason = c->reason;
        l->why = l->chosen ? "" : c->why.msg;
    }
}

/* Rensa's image and the modules handed on must not lie in the SINIT
 * region: copying a SINIT there would overwrite them. */
static enum rensa_err check_region_free(const struct rensa_ctx *ctx, const struct acm_region *reg, struct diag *d)
{
    if (overlaps(ctx->image_base, ctx->image_end - ctx->image_base, reg->base, reg->size))
        return diag_set(d, E_ACM_OVERLAP, "Rensa [0x%llx-0x%llx) lies in the SINIT region [0x%llx+0x%llx)",
                        ULL(ctx->image_base), ULL(ctx->image_end), ULL(reg->base), ULL(reg->size));
    for (unsigned i = 0; i < ctx->bi.mod_count && i < BOOT_MODS_MAX; i++) {
        const struct boot_module *m = &ctx->bi.mods[i];
        if (!ctx->mod_dropped[i] && overlaps(m->start, m->end - m->start, reg->base, reg->size))
            return diag_set(d, E_ACM_OVERLAP,
                            "module %u (%s) [0x%llx-0x%llx) lies in the SINIT region [0x%llx+0x%llx)", i,
                            m->cmdline, ULL(m->start), ULL(m->end), ULL(reg->base), ULL(reg->size));
    }
    return E_OK;
}

enum rensa_err sinit_select(struct rensa_ctx *ctx, const struct acm_platform_ops *ops, struct sinit_result *out,
                            struct diag *d)
{
    memset(out, 0, sizeof(*out));
    out->choice.chosen = -1;

    out->heap_base = ops->txt_read(ops->ctx, TXT_HEAP_BASE);
    out->heap_size = ops->txt_read(ops->ctx, TXT_HEAP_SIZE);
    out->region.base = ops->txt_read(ops->ctx, ACM_TXT_SINIT_BASE);
    out->region.size = ops->txt_read(ops->ctx, ACM_TXT_SINIT_SIZE);

    acm_platform_read(ops, &out->platform); /* first: the caller logs it also on failure */

    enum rensa_err e = read_bios_data(out, d);
    if (e)
        return e;
    out->region.bios_sinit_size = out->bios.bios_sinit_size;

    if (out->region.size == 0)
        return diag_set(d, E_ACM_REGION, "TXT.SINIT.SIZE is 0: the BIOS reserved no SINIT region");
    uint8_t *region = phys_ptr(out->region.base, out->region.size);
    if (!region)
        return diag_set(d, E_ACM_REGION, "the SINIT region at TXT.SINIT.BASE 0x%llx, TXT.SINIT.SIZE 0x%llx is not addressable",
                        ULL(out->region.base), ULL(out->region.size));

    out->platform.platform_type = bios_platform_type(&out->bios);
    platform_tpm(ctx, &out->platform);

    /* The BIOS copy first (acm_choose wants it at 0), then the modules. */
    out->n = acm_bios_candidate(&out->cand[0], region, &out->region);
    for (unsigned i = 0; i < ctx->bi.mod_count && i < BOOT_MODS_MAX && out->n < ACM_MAX_CANDIDATES; i++) {
        if (!ctx->mod_dropped[i])
            continue;
        const struct boot_module *m = &ctx->bi.mods[i];
        struct acm_candidate *c = &out->cand[out->n++];
        c->source = ACM_SRC_MODULE;
        c->index = i;
        c->len = m->end - m->start;
        c->p = phys_ptr(m->start, c->len);
        c->phys = m->start;
    }

    struct acm_mle_req req;
    acm_mle_req_default(&req);
    e = acm_choose(out->cand, out->n, &out->region, &out->platform, &req, &out->choice);
    fill_lines(out);
    if (e) {
        if (d)
            *d = out->choice.why;
        return e;
    }

    const struct acm_candidate *c = &out->cand[out->choice.chosen];
    out->date = c->acm.hdr.date;
    out->txt_svn = c->acm.hdr.txt_svn;
    out->acm_ver = c->acm.info.acm_ver;
    if (c->acm.info.version >= 7)
        memcpy(out->acm_revision, c->acm.info.acm_revision, sizeof(out->acm_revision));
    out->os_sinit_ver = c->match.os_sinit_ver;

    if ((e = check_region_free(ctx, &out->region, d)))
        return e;
    if (out->choice.copy_needed) {
        if ((e = acm_install(c, region, &out->region, d)))
            return e;
        out->installed = true;
    }
    /* Whatever is placed later (kernel, initrd, zero page) stays out. */
    if ((e = alloc_mark_busy(&ctx->alloc, out->region.base, out->region.size, "SINIT region", d)))
        return e;
    return diag_set(d, E_OK, "%s", out->choice.why.msg);
}
