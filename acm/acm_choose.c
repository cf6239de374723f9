/* Choosing among the SINIT modules and the BIOS copy, and installing the
 * choice at TXT.SINIT.BASE (include/acm.h). */
#include "acm.h"
#include "fmt.h"
#include "rstring.h"

static bool overlaps(paddr_t a, uint64_t alen, paddr_t b, uint64_t blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

unsigned acm_bios_candidate(struct acm_candidate *c, const void *region_bytes, const struct acm_region *region)
{
    if (!region || region->bios_sinit_size == 0)
        return 0;
    memset(c, 0, sizeof(*c));
    c->source = ACM_SRC_BIOS;
    c->p = region_bytes;
    c->len = region->bios_sinit_size < region->size ? region->bios_sinit_size : region->size;
    c->phys = region->base;
    return 1;
}

/* Ordering key: TXT SVN, ACM version, revision (table version 7 on), date. */
static int newer(const struct acm *x, const struct acm *y)
{
    uint32_t kx[6] = {x->hdr.txt_svn, x->info.acm_ver, 0, 0, 0, x->hdr.date};
    uint32_t ky[6] = {y->hdr.txt_svn, y->info.acm_ver, 0, 0, 0, y->hdr.date};
    for (unsigned i = 0; i < 3; i++) {
        kx[2 + i] = x->info.version >= 7 ? x->info.acm_revision[i] : 0;
        ky[2 + i] = y->info.version >= 7 ? y->info.acm_revision[i] : 0;
    }
    for (unsigned i = 0; i < 6; i++)
        if (kx[i] != ky[i])
            return kx[i] > ky[i] ? 1 : -1;
    return 0;
}

static void name_of(const struct acm_candidate *c, char *buf, size_t n)
{
    if (c->source == ACM_SRC_BIOS)
        fmt_snprintf(buf, n, "the BIOS copy");
    else
        fmt_snprintf(buf, n, "module %u", c->index);
}

enum rensa_err acm_choose(struct acm_candidate *c, unsigned n, const struct acm_region *region,
                          const struct acm_platform *p, const struct acm_mle_req *r, struct acm_choice *out)
{
    out->chosen = -1;
    out->copy_needed = false;
    out->why.code = E_OK;
    out->why.msg[0] = '\0';
    if (n > ACM_MAX_CANDIDATES)
        n = ACM_MAX_CANDIDATES;
    if (n == 0)
        return diag_set(&out->why, E_ACM_NO_SINIT,
                        "no SINIT AC module was loaded and the BIOS left none in the SINIT region");

    for (unsigned i = 0; i < n; i++) {
        struct acm_candidate *k = &c[i];
        k->reason = acm_parse(k->p, k->len, &k->acm, &k->why);
        if (k->reason == ACM_OK)
            k->reason = acm_match(&k->acm, p, r, &k->match, &k->why);
        if (k->reason == ACM_OK && region && k->source == ACM_SRC_MODULE && k->acm.size > region->size)
            k->reason = acm_reason_set(&k->why, ACM_R_REGION_SIZE, "%u bytes, TXT.SINIT.SIZE is %llu", k->acm.size,
                                       (unsigned long long)region->size);
    }
    /* Overlaps: two modules sharing bytes cannot both be what was loaded;
     * a module over the SINIT region has overwritten any BIOS copy. */
    for (unsigned i = 0; i < n; i++) {
        struct acm_candidate *k = &c[i];
        if (k->source != ACM_SRC_MODULE)
            continue;
        for (unsigned j = 0; j < n; j++) {
            const struct acm_candidate *o = &c[j];
            if (j == i || o->source != ACM_SRC_MODULE || !overlaps(k->phys, k->len, o->phys, o->len))
                continue;
            k->reason = acm_reason_set(&k->why, ACM_R_OVERLAP, "module %u [0x%llx+0x%llx] overlaps module %u [0x%llx+0x%llx]",
                                       k->index, (unsigned long long)k->phys, (unsigned long long)k->len, o->index,
                                       (unsigned long long)o->phys, (unsigned long long)o->len);
            break;
        }
        if (region)
            for (unsigned j = 0; j < n; j++)
                if (c[j].source == ACM_SRC_BIOS && overlaps(k->phys, k->len, region->base, region->size))
                    c[j].reason = acm_reason_set(&c[j].why, ACM_R_OVERWRITTEN,
                                                 "module %u [0x%llx+0x%llx] was loaded over the SINIT region [0x%llx+0x%llx]",
                                                 k->index, (unsigned long long)k->phys, (unsigned long long)k->len,
                                                 (unsigned long long)region->base, (unsigned long long)region->size);
    }

    int best = -1;
    for (unsigned i = 0; i < n; i++) {
        if (c[i].reason != ACM_OK)
            continue;
        if (best < 0) {
            best = (int)i;
            continue;
        }
        int cmp = newer(&c[i].acm, &c[best].acm);
        /* On a tie the BIOS copy stays (nothing to copy), then the lower module. */
        if (cmp > 0 ||
            (cmp == 0 && c[i].source == ACM_SRC_BIOS && c[best].source != ACM_SRC_BIOS) ||
            (cmp == 0 && c[i].source == c[best].source && c[i].index < c[best].index))
            best = (int)i;
    }
    if (best < 0) {
        /* The most telling error: a mismatch beats a size problem beats malformed. */
        enum rensa_err e = acm_reason_err(c[0].reason);
        for (unsigned i = 0; i < n; i++)
            if (acm_reason_err(c[i].reason) == E_ACM_MISMATCH)
                e = E_ACM_MISMATCH;
        char who[24];
        name_of(&c[0], who, sizeof(who));
        return diag_set(&out->why, e, "none of %u SINIT candidates is usable; %s: %s", n, who, c[0].why.msg);
    }
    char bn[24];
    name_of(&c[best], bn, sizeof(bn));
    const struct acm *b = &c[best].acm;
    for (unsigned i = 0; i < n; i++) {
        if ((int)i == best || c[i].reason != ACM_OK)
            continue;
        c[i].reason = acm_reason_set(&c[i].why, ACM_R_OLDER, "compatible, but %s is newer (TXT SVN %u, ACM version %u, date %08x)",
                                     bn, b->hdr.txt_svn, b->info.acm_ver, b->hdr.date);
    }
    out->chosen = best;
    out->copy_needed = !(c[best].source == ACM_SRC_BIOS || (region && c[best].phys == region->base));
    diag_set(&out->why, E_OK, "chose %s: SINIT dated %08x, TXT SVN %u, ACM version %u, OS-to-SINIT data version %u",
             bn, b->hdr.date, b->hdr.txt_svn, b->info.acm_ver, c[best].match.os_sinit_ver);
    return E_OK;
}

enum rensa_err acm_install(const struct acm_candidate *c, void *dst, const struct acm_region *region, struct diag *d)
{
    uint32_t size = c->acm.size;
    if (c->source == ACM_SRC_BIOS)
        return diag_set(d, E_OK, "the BIOS copy is already in the SINIT region");
    if (size == 0 || !c->p)
        return diag_set(d, E_ACM_MALFORMED, "module %u was not parsed", c->index);
    if (size > region->size)
        return diag_set(d, E_ACM_REGION, "the SINIT is %u bytes, TXT.SINIT.SIZE is %llu", size,
                        (unsigned long long)region->size);
    if (!dst)
        return diag_set(d, E_ACM_REGION, "the SINIT region at 0x%llx is not addressable",
                        (unsigned long long)region->base);
    if (dst != c->p)
        memmove(dst, c->p, size); /* the module may overlap the region */
    return diag_set(d, E_OK, "copied module %u (%u bytes) to TXT.SINIT.BASE 0x%llx", c->index, size,
                    (unsigned long long)region->base);
}
