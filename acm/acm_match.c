/* Does a parsed SINIT fit this platform and Rensa's MLE? (include/acm.h) */
#include "acm.h"
#include "fmt.h"
#include "mle.h"
#include "rstring.h"

void acm_platform_read(const struct acm_platform_ops *ops, struct acm_platform *p)
{
    p->didvid = ops->txt_read(ops->ctx, ACM_TXT_DIDVID);
    p->ver_fsbif = ops->txt_read(ops->ctx, ACM_TXT_VER_FSBIF);
    p->ver_qpiif = ops->txt_read(ops->ctx, ACM_TXT_VER_QPIIF);
    p->fms = ops->cpuid1_eax(ops->ctx);
    p->platform_id = ops->rdmsr(ops->ctx, ACM_MSR_PLATFORM_ID);
}

bool acm_platform_production(const struct acm_platform *p)
{
    uint32_t v = (uint32_t)p->ver_fsbif;
    if (v == 0xffffffffu || v == 0)
        v = (uint32_t)p->ver_qpiif;
    return (v >> 31) & 1;
}

void acm_mle_req_default(struct acm_mle_req *r)
{
    r->os_sinit_min = ACM_RENSA_OS_SINIT_MIN;
    r->os_sinit_max = ACM_RENSA_OS_SINIT_MAX;
    r->mle_hdr_ver = MLE_HEADER_VERSION_2_1;
    r->mle_caps = MLE_CAP_RLP_WAKE_GETSEC | MLE_CAP_RLP_WAKE_MONITOR;
}

/* Index of the first entry of l matching the DIDVID, -1 when none. */
static int find_chipset(const struct acm *a, const struct acm_list *l, bool cs2, uint64_t didvid)
{
    uint16_t vendor = (uint16_t)didvid, device = (uint16_t)(didvid >> 16), rev = (uint16_t)(didvid >> 32);
    for (uint32_t i = 0; i < l->count; i++) {
        struct acm_chipset_id c = acm_chipset_at(a, l, i);
        if (c.vendor_id != vendor)
            continue;
        if (cs2) {
            if ((device & c.register_mask) == c.device_id)
                return (int)i;
            continue;
        }
        if (c.device_id != device)
            continue;
        if (c.flags & ACM_CHIPSET_FLAG_REVISION_MASK ? (rev & c.revision_id) != 0 : rev == c.revision_id)
            return (int)i;
    }
    return -1;
}

enum acm_reason acm_match(const struct acm *a, const struct acm_platform *p, const struct acm_mle_req *r,
                          struct acm_match_result *m, struct diag *d)
{
    struct acm_match_result local;
    if (!m)
        m = &local;
    m->reason = ACM_OK;
    m->os_sinit_ver = 0;
    m->chipset_entry = m->chipset2_entry = m->processor_entry = -1;
    if (d) {
        d->code = E_OK;
        d->msg[0] = '\0';
    }
    const struct acm_info_table *t = &a->info;
    bool production = acm_platform_production(p), debug = (a->hdr.flags & ACM_FLAG_DEBUG_SIGNED) != 0;
    if (production == debug)
        return m->reason = acm_reason_set(d, ACM_R_DEBUG_MISMATCH, "a %s SINIT on a %s chipset (VER.FSBIF 0x%08x, VER.QPIIF 0x%08x)",
                                debug ? "debug-signed" : "production-signed",
                                production ? "production-fused" : "debug-fused", (uint32_t)p->ver_fsbif,
                                (uint32_t)p->ver_qpiif);
    uint16_t vendor = (uint16_t)p->didvid, device = (uint16_t)(p->didvid >> 16), rev = (uint16_t)(p->didvid >> 32);
    if (a->chipsets.present) {
        m->chipset_entry = find_chipset(a, &a->chipsets, false, p->didvid);
        if (m->chipset_entry < 0)
            return m->reason = acm_reason_set(d, ACM_R_CHIPSET,
                                    "TXT.DIDVID vendor 0x%04x device 0x%04x revision 0x%x is not among the %u chipset entries",
                                    vendor, device, rev, a->chipsets.count);
    }
    if (a->chipsets2.present) {
        m->chipset2_entry = find_chipset(a, &a->chipsets2, true, p->didvid);
        if (m->chipset2_entry < 0)
            return m->reason = acm_reason_set(d, ACM_R_CHIPSET,
                                    "TXT.DIDVID vendor 0x%04x device 0x%04x is not among the %u CS2L entries (device under mask)",
                                    vendor, device, a->chipsets2.count);
    }
    if (a->processors.present) {
        for (uint32_t i = 0; i < a->processors.count && m->processor_entry < 0; i++) {
            struct acm_processor_id c = acm_processor_at(a, i);
            if ((p->fms & c.fms_mask) == c.fms && (p->platform_id & c.platform_mask) == c.platform_id)
                m->processor_entry = (int)i;
        }
        if (m->processor_entry < 0)
            return m->reason = acm_reason_set(d, ACM_R_PROCESSOR,
                                    "CPUID family/model/stepping 0x%x with IA32_PLATFORM_ID 0x%llx is not among the %u processor entries",
                                    p->fms, (unsigned long long)p->platform_id, a->processors.count);
    }
    unsigned st = acm_platform_type(a);
    if ((p->platform_type == ACM_PLATFORM_CLIENT || p->platform_type == ACM_PLATFORM_SERVER) &&
        t->version >= 5 && st != p->platform_type)
        return m->reason = acm_reason_set(d, ACM_R_PLATFORM_TYPE, "a SINIT for %s platforms on a %s platform",
                                acm_platform_type_name(st), acm_platform_type_name(p->platform_type));
    if (a->has_tpm_info && p->tpm_family) {
        unsigned fam = (a->tpm_caps & ACM_TPM_FAMILY_MASK) >> ACM_TPM_FAMILY_SHIFT;
        if ((fam & p->tpm_family) == 0)
            return m->reason = acm_reason_set(d, ACM_R_TPM_FAMILY, "the SINIT supports TPM family bits 0x%x, the platform has 0x%x",
                                    fam, p->tpm_family);
    }
    if (a->has_tpm_info && p->n_tpm_algs && a->tpm_algs.count) {
        bool common = false;
        for (uint32_t i = 0; i < a->tpm_algs.count && !common; i++)
            for (unsigned j = 0; j < p->n_tpm_algs && j < ARRAY_SIZE(p->tpm_algs); j++)
                common |= acm_tpm_alg_at(a, i) == p->tpm_algs[j];
        if (!common)
            return m->reason = acm_reason_set(d, ACM_R_TPM_ALG, "none of the SINIT's %u hash algorithms is a PCR bank of this TPM",
                                    a->tpm_algs.count);
    }
    if (t->os_sinit_data_ver < r->os_sinit_min)
        return m->reason = acm_reason_set(d, ACM_R_OS_SINIT_VER, "the SINIT reads OS-to-SINIT data up to version %u, Rensa writes %u to %u",
                                t->os_sinit_data_ver, r->os_sinit_min, r->os_sinit_max);
    m->os_sinit_ver = t->os_sinit_data_ver < r->os_sinit_max ? t->os_sinit_data_ver : r->os_sinit_max;
    if (t->min_mle_hdr_ver > r->mle_hdr_ver)
        return m->reason = acm_reason_set(d, ACM_R_MLE_HDR_VER, "the SINIT needs MLE header version %u.%u, Rensa's is %u.%u",
                                t->min_mle_hdr_ver >> 16, t->min_mle_hdr_ver & 0xffff, r->mle_hdr_ver >> 16,
                                r->mle_hdr_ver & 0xffff);
    uint32_t wake = ACM_CAP_RLP_WAKE_GETSEC | ACM_CAP_RLP_WAKE_MONITOR;
    if ((t->capabilities & r->mle_caps & wake) == 0)
        return m->reason = acm_reason_set(d, ACM_R_RLP_WAKE, "SINIT capabilities 0x%08x and Rensa's 0x%08x share no RLP wake-up method",
                                t->capabilities, r->mle_caps);
    if (p->acm_max_size && a->size > p->acm_max_size)
        return m->reason = acm_reason_set(d, ACM_R_MAX_SIZE, "%u bytes, GETSEC[PARAMETERS] allows %u", a->size, p->acm_max_size);
    return ACM_OK;
}
