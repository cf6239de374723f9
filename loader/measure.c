/* Measuring the kernel, its modules and command lines, and Rensa's own
 * policy into the TPM, with an event log for the OS (docs/measurements.md). */
#include "ctx.h"
#include "evlog.h"
#include "fmt.h"
#include "measure.h"
#include "platform.h"
#include "rstring.h"
#include "sha.h"
#include "txt_launch.h"

/* One bank of the log and how Rensa fills it. */
struct bank_plan {
    uint16_t alg;
    uint16_t size;
    bool capped; /* Rensa cannot hash it: every event carries 0xFF..FF */
    enum hash_alg h;
};

struct measurer {
    struct rensa_ctx *ctx;
    struct evlog log;
    unsigned nbanks;
    struct bank_plan banks[EVLOG_MAX_BANKS];
    char capped[64];
};

static enum rensa_err plan_banks(struct measurer *m, struct diag *d)
{
    const struct tpm *t = &m->ctx->tpm;
    if (t->family == TPM_FAMILY_12) {
        m->banks[0] = (struct bank_plan){TPM_ALG_SHA1, 20, false, HASH_SHA1};
        m->nbanks = 1;
        return E_OK;
    }
    size_t clen = 0;
    m->capped[0] = '\0';
    for (unsigned i = 0; i < t->bank_count; i++) {
        const struct tpm_bank *b = &t->banks[i];
        if (!b->active)
            continue;
        if (m->nbanks >= EVLOG_MAX_BANKS)
            return diag_set(d, E_TPM_BANK, "the TPM has more than %u active PCR banks", EVLOG_MAX_BANKS);
        struct bank_plan *p = &m->banks[m->nbanks++];
        p->alg = b->alg;
        p->size = b->size;
        p->capped = !hash_alg_from_tpm(b->alg, &p->h);
        if (p->size == 0 || p->size > EVLOG_DIGEST_MAX)
            return diag_set(d, E_TPM_BANK, "active PCR bank 0x%04x has a digest size Rensa does not know", b->alg);
        if (p->capped)
            clen += (size_t)fmt_snprintf(m->capped + clen, sizeof(m->capped) - clen, "%s%s", clen ? "," : "",
                                         tpm_alg_name(b->alg));
    }
    if (m->nbanks == 0)
        return diag_set(d, E_TPM_BANK, "the TPM 2.0 has no active PCR bank");
    return E_OK;
}

/* Hash the same bytes in every bank (streaming, so a module is read once
 * per bank but never copied), extend, log. */
static enum rensa_err event(struct measurer *m, uint32_t pcr, uint32_t type, const void *bytes, size_t len,
                            const char *text, struct diag *d)
{
    struct tpm_digest_set ds;
    const uint8_t *digests[EVLOG_MAX_BANKS];
    ds.count = m->nbanks;
    for (unsigned i = 0; i < m->nbanks; i++) {
        const struct bank_plan *b = &m->banks[i];
        ds.d[i].alg = b->alg;
        if (b->capped)
            memset(ds.d[i].digest, 0xff, b->size);
        else
            hash_buffer(b->h, bytes, len, ds.d[i].digest);
        digests[i] = ds.d[i].digest;
    }
    enum rensa_err e = tpm_pcr_extend(&m->ctx->tpm, pcr, &ds, d);
    if (e)
        return e;
    m->ctx->tpm_commands++;
    e = evlog_append(&m->log, pcr, type, digests, text, (uint32_t)strlen(text), d);
    if (!e)
        m->ctx->events++;
    return e;
}

static enum rensa_err text_event(struct measurer *m, uint32_t type, const char *text, struct diag *d)
{
    return event(m, (uint32_t)measure_pcr(m->ctx->opt.pcr_map, type, 0), type, text, strlen(text), text, d);
}

/* Module i of the boot information, at position pos in the list handed on
 * (the kernel is 0; SINIT modules are not handed on and have no position). */
static enum rensa_err module_events(struct measurer *m, unsigned i, unsigned pos, bool kernel, struct diag *d)
{
    struct rensa_ctx *ctx = m->ctx;
    const struct boot_module *mod = &ctx->bi.mods[i];
    paddr_t len = mod->end - mod->start;
    const void *p = phys_ptr(mod->start, len);
    char desc[64];
    uint32_t type = kernel ? EV_RENSA_KERNEL : EV_RENSA_MODULE;
    fmt_snprintf(desc, sizeof(desc), "%s: %s%u, %llu bytes", kernel ? "kernel" : "module", kernel ? "module " : "",
                 pos, (unsigned long long)len);
    int pcr = measure_pcr(ctx->opt.pcr_map, type, 0);
    enum rensa_err e = event(m, (uint32_t)pcr, type, p, (size_t)len, desc, d);
    if (!e)
        e = text_event(m, kernel ? EV_RENSA_KERNEL_CMDLINE : EV_RENSA_MODULE_CMDLINE, mod->cmdline, d);
    return e;
}

/* The log's banks and header (the Spec ID event for TPM 2.0). */
static enum rensa_err start_log(struct measurer *m, struct diag *d)
{
    struct rensa_ctx *ctx = m->ctx;
    enum rensa_err e = plan_banks(m, d);
    if (e)
        return e;
    struct evlog_bank lb[EVLOG_MAX_BANKS];
    for (unsigned i = 0; i < m->nbanks; i++)
        lb[i] = (struct evlog_bank){m->banks[i].alg, m->banks[i].size};
    return evlog_init(&m->log, ctx->tpm.family == TPM_FAMILY_12 ? EVLOG_TPM12 : EVLOG_AGILE,
                      phys_ptr(ctx->evlog_base, EVLOG_SIZE), EVLOG_SIZE, lb, m->nbanks, d);
}

/* After a launch: SINIT's own records come first. A TPM 2.0 SINIT wrote
 * them into the log (OsSinitData's log element); for TPM 1.2 Rensa writes
 * them from SinitMleData, whose SHA-1 fields are exactly what SINIT and
 * the processor extended (docs/txt-launch.md "PCRs after the launch"). */
static enum rensa_err sinit_records(struct measurer *m, struct diag *d)
{
    struct rensa_ctx *ctx = m->ctx;
    if (ctx->tpm.family == TPM_FAMILY_20)
        return evlog_adopt(&m->log, ctx->evlog_used, d);
    const struct txt_sinit_mle_data *s = &ctx->sinit_mle;
    uint8_t hd[24], pol[TXT_POLICY_DATA_MAX], dg[20];
    const uint8_t *dl[1] = {dg};
    memcpy(hd, s->sinit_hash, 20);
    memcpy(hd + 20, &s->edx_senter_flags, 4);
    hash_buffer(HASH_SHA1, hd, sizeof(hd), dg);
    enum rensa_err e = evlog_append(&m->log, 17, EV_TXT_HASH_START, dl, hd, sizeof(hd), d);
    size_t n = txt_sinit_policy_data(s, ctx->launch.caps, pol);
    hash_buffer(HASH_SHA1, pol, n, dg);
    if (!e)
        e = evlog_append(&m->log, 17, EV_TXT_BIOSAC_REG_DATA, dl, pol, (uint32_t)n, d);
    dl[0] = s->mle_hash;
    if (!e)
        e = evlog_append(&m->log, 18, EV_TXT_MLE_HASH, dl, NULL, 0, d);
    return e;
}

static enum rensa_err measure_all(struct measurer *m, struct diag *d)
{
    struct rensa_ctx *ctx = m->ctx;
    enum rensa_err e = start_log(m, d);
    if (!e && ctx->drtm)
        e = sinit_records(m, d);
    if (e)
        return e;

    if (!ctx->drtm) {
        for (unsigned n = 0;; n++) {
            int pcr = measure_pcr(ctx->opt.pcr_map, EV_RENSA_NO_DRTM, n);
            if (pcr < 0)
                break;
            e = event(m, (uint32_t)pcr, EV_RENSA_NO_DRTM, MEASURE_NO_DRTM_TEXT, strlen(MEASURE_NO_DRTM_TEXT),
                      MEASURE_NO_DRTM_TEXT, d);
            if (e)
                return e;
        }
    }
    char policy[MEASURE_POLICY_MAX]; /* 4.3 KiB of the 16 KiB stack; nothing deep runs meanwhile */
    if (!measure_policy_string(&ctx->opt, m->capped, ctx->bi.cmdline, policy, sizeof(policy)))
        return diag_set(d, E_CMDLINE_TOO_LONG, "the policy string does not fit %u bytes", MEASURE_POLICY_MAX);
    e = text_event(m, EV_RENSA_POLICY, policy, d);
    if (e)
        return e;
    if (ctx->s3.resuming) {
        /* After an S3 re-launch the kernel is not measured again: one
         * event says so, in the kernel's PCR (docs/measurements.md). */
        e = text_event(m, EV_RENSA_S3_RESUME, MEASURE_S3_TEXT, d);
    } else {
        e = module_events(m, ctx->kernel_mod, 0, true, d);
        unsigned pos = 1;
        for (unsigned i = ctx->kernel_mod + 1; !e && i < ctx->bi.mod_count; i++)
            if (!ctx->mod_dropped[i])
                e = module_events(m, i, pos++, false, d);
    }
    if (!e)
        ctx->evlog_used = m->log.used;
    return e;
}

static enum rensa_err detect(struct rensa_ctx *ctx, struct diag *d)
{
    struct tpm_config cfg = {&ctx->clock, ctx->bi.rsdp_len ? ctx->bi.rsdp : NULL, ctx->bi.rsdp_len};
    return tpm_detect(&ctx->tpm, &cfg, d);
}

enum rensa_err measure_launch_prepare(struct rensa_ctx *ctx, struct diag *d)
{
    enum rensa_err e = detect(ctx, d);
    if (e)
        return e;
    struct measurer m;
    memset(&m, 0, sizeof(m));
    m.ctx = ctx;
    e = start_log(&m, d);
    if (!e)
        ctx->evlog_used = m.log.used;
    struct diag d2;
    enum rensa_err e2 = tpm_release_locality(&ctx->tpm, &d2);
    if (!e && e2)
        *d = d2;
    return e ? e : e2;
}

enum rensa_err measure_boot(struct rensa_ctx *ctx, struct diag *d)
{
    if (!ctx->drtm && ctx->opt.drtm_required)
        return diag_set(d, E_NO_DRTM, "this boot did not go through a TXT measured launch and drtm=required is set");
    enum rensa_err e = detect(ctx, d);
    if (e == E_TPM_ABSENT && !ctx->opt.tpm_required)
        return E_OK; /* reported by the caller: not measured */
    if (e)
        return e;
    ctx->tpm_present = true;
    e = tpm_request_locality(&ctx->tpm, 2, d);
    if (e)
        return e;
    struct measurer m;
    memset(&m, 0, sizeof(m));
    m.ctx = ctx;
    e = measure_all(&m, d);
    struct diag d2;
    enum rensa_err e2 = tpm_release_locality(&ctx->tpm, &d2);
    if (e)
        return e;
    if (e2) {
        *d = d2;
        return e2;
    }
    ctx->measured = true;
    return E_OK;
}

enum rensa_err measure_save_state(struct rensa_ctx *ctx, struct diag *d)
{
    if (!ctx->tpm_present)
        return E_OK;
    enum rensa_err e = tpm_request_locality(&ctx->tpm, 2, d);
    if (!e)
        e = tpm_save_state(&ctx->tpm, d);
    struct diag d2;
    enum rensa_err e2 = tpm_release_locality(&ctx->tpm, &d2);
    if (!e && e2)
        *d = d2;
    return e ? e : e2;
}

enum rensa_err measure_cap(struct rensa_ctx *ctx, uint16_t *alg, uint8_t *pcr17, struct diag *d)
{
    struct measurer m;
    memset(&m, 0, sizeof(m));
    m.ctx = ctx;
    enum rensa_err e = plan_banks(&m, d);
    if (!e)
        e = tpm_request_locality(&ctx->tpm, 2, d);
    for (uint32_t pcr = 17; !e && pcr <= 19; pcr++) {
        struct tpm_digest_set ds;
        ds.count = m.nbanks;
        for (unsigned i = 0; i < m.nbanks; i++) {
            ds.d[i].alg = m.banks[i].alg;
            memset(ds.d[i].digest, 0xff, m.banks[i].size);
            if (!m.banks[i].capped)
                hash_buffer(m.banks[i].h, MEASURE_CAP_TEXT, sizeof(MEASURE_CAP_TEXT) - 1, ds.d[i].digest);
        }
        e = tpm_pcr_extend(&ctx->tpm, pcr, &ds, d);
    }
    if (!e) {
        *alg = m.banks[0].alg;
        e = tpm_pcr_read(&ctx->tpm, 17, *alg, pcr17, d);
    }
    struct diag d2;
    enum rensa_err e2 = tpm_release_locality(&ctx->tpm, &d2);
    return e ? e : e2;
}
