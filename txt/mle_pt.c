/* The MLE page table: size, builder and walker (include/mle_pt.h). */
#include <stdarg.h>
#include "fmt.h"
#include "mle_pt.h"
#include "platform.h"
#include "rstring.h"

static const struct {
    const char *name, *text;
    enum rensa_err err;
} reasons[] = {
#define MLE_PT_REASON_ROW(name, err, text) {#name, HOST_TEXT(text), err},
    MLE_PT_REASONS(MLE_PT_REASON_ROW)
#undef MLE_PT_REASON_ROW
};

const char *mle_pt_reason_name(enum mle_pt_reason r)
{
    return (unsigned)r < ARRAY_SIZE(reasons) ? reasons[r].name : "MLE_PT_R_UNKNOWN";
}

const char *mle_pt_reason_text(enum mle_pt_reason r)
{
    return (unsigned)r < ARRAY_SIZE(reasons) ? reasons[r].text : "unknown reason";
}

enum rensa_err mle_pt_reason_err(enum mle_pt_reason r)
{
    return (unsigned)r < ARRAY_SIZE(reasons) ? reasons[r].err : E_TXT_PT_MALFORMED;
}

static enum mle_pt_reason why(struct diag *d, enum mle_pt_reason r, const char *fmt, ...) PRINTF_LIKE(3, 4);
static enum mle_pt_reason why(struct diag *d, enum mle_pt_reason r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vset_reason(d, mle_pt_reason_err(r), mle_pt_reason_name(r), fmt, ap);
    va_end(ap);
    return r;
}

#define ULL(x) ((unsigned long long)(x))

uint64_t mle_pt_pages(uint64_t mle_size)
{
    return (mle_size + MLE_PT_PAGE - 1) >> 12;
}

/* Page tables (one per 2 MiB) and page directories (one per GiB). */
static uint64_t n_pts(uint64_t pages)
{
    return (pages + MLE_PT_ENTRIES - 1) >> 9;
}

static uint64_t n_pds(uint64_t pts)
{
    return (pts + MLE_PT_ENTRIES - 1) >> 9;
}

uint64_t mle_pt_size(uint64_t mle_size)
{
    if (mle_size == 0 || mle_size >= MLE_PT_MAX_SIZE)
        return 0;
    uint64_t pts = n_pts(mle_pt_pages(mle_size));
    return (1 + n_pds(pts) + pts) * MLE_PT_PAGE;
}

static void put64(uint8_t *p, uint64_t v)
{
    for (unsigned i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static bool overlaps(paddr_t a, uint64_t alen, paddr_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

enum mle_pt_reason mle_pt_build(void *buf, uint64_t buf_len, paddr_t buf_phys, paddr_t mle_phys,
                                uint64_t mle_size, struct diag *d)
{
    uint64_t need = mle_pt_size(mle_size);
    if (!need)
        return why(d, MLE_PT_R_ARG, "MLE size 0x%llx (must be 1 byte to 4 GiB - 1)", ULL(mle_size));
    if (!buf || (buf_phys & (MLE_PT_PAGE - 1)) || (mle_phys & (MLE_PT_PAGE - 1)))
        return why(d, MLE_PT_R_ARG, "table at 0x%llx, MLE at 0x%llx: both must be page aligned", ULL(buf_phys),
                   ULL(mle_phys));
    uint64_t pages = mle_pt_pages(mle_size);
    uint64_t mle_bytes = pages * MLE_PT_PAGE;
    if (mle_phys + mle_bytes < mle_phys || (mle_phys + mle_bytes - 1) > MLE_PT_ADDR_MASK)
        return why(d, MLE_PT_R_ARG, "MLE [0x%llx+0x%llx] is beyond 52-bit physical addresses", ULL(mle_phys),
                   ULL(mle_bytes));
    if (buf_len < need)
        return why(d, MLE_PT_R_BUF_SIZE, "%llu bytes given, %llu needed for an MLE of 0x%llx bytes", ULL(buf_len),
                   ULL(need), ULL(mle_size));
    if (buf_phys + need < buf_phys || overlaps(buf_phys, need, mle_phys, mle_bytes))
        return why(d, MLE_PT_R_OVERLAP, "table [0x%llx+0x%llx] overlaps the MLE [0x%llx+0x%llx]", ULL(buf_phys),
                   ULL(need), ULL(mle_phys), ULL(mle_bytes));

    uint8_t *t = buf;
    memset(t, 0, (size_t)need);
    uint64_t pts = n_pts(pages), pds = n_pds(pts);
    paddr_t pd_phys = buf_phys + MLE_PT_PAGE;
    paddr_t pt_phys = pd_phys + pds * MLE_PT_PAGE;
    uint8_t *pd = t + MLE_PT_PAGE;
    uint8_t *pt = pd + pds * MLE_PT_PAGE;
    for (uint64_t i = 0; i < pds; i++)
        put64(t + i * 8, (pd_phys + i * MLE_PT_PAGE) | MLE_PT_P);
    /* The PDs are consecutive pages, as are the PTs: entry i of "all PDs"
     * is PT i, entry i of "all PTs" is page i. */
    for (uint64_t i = 0; i < pts; i++)
        put64(pd + i * 8, (pt_phys + i * MLE_PT_PAGE) | MLE_PT_P);
    for (uint64_t i = 0; i < pages; i++)
        put64(pt + i * 8, (mle_phys + i * MLE_PT_PAGE) | MLE_PT_P);
    return MLE_PT_OK;
}

const void *mle_pt_phys_map(void *ctx, paddr_t addr, uint64_t len)
{
    (void)ctx;
    return phys_ptr(addr, len);
}

/* True when p is in the ascending list pages[0..n). */
static bool in_sorted(const paddr_t *pages, uint64_t n, paddr_t p)
{
    uint64_t lo = 0, hi = n;
    while (lo < hi) {
        uint64_t mid = lo + ((hi - lo) >> 1);
        if (pages[mid] == p)
            return true;
        if (pages[mid] < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static const uint8_t *map_table(const struct mle_pt_mem *mem, paddr_t phys, uint64_t len)
{
    return mem->map(mem->ctx, phys, len);
}

enum mle_pt_reason mle_pt_walk(const struct mle_pt_mem *mem, paddr_t pt_base, uint64_t mle_size, paddr_t *pages,
                               uint64_t max_pages, uint64_t *npages, struct diag *d)
{
    if (npages)
        *npages = 0;
    if (!mem || !mem->map || !pages || !npages)
        return why(d, MLE_PT_R_ARG, "no memory accessor or page list");
    if (!mle_pt_size(mle_size))
        return why(d, MLE_PT_R_ARG, "MLE size 0x%llx (must be 1 byte to 4 GiB - 1)", ULL(mle_size));
    if (pt_base & (MLE_PT_PAGE - 1))
        return why(d, MLE_PT_R_ARG, "page table base 0x%llx is not page aligned", ULL(pt_base));
    uint64_t want = mle_pt_pages(mle_size);
    if (want > max_pages)
        return why(d, MLE_PT_R_TOO_MANY, "%llu pages, room for %llu", ULL(want), ULL(max_pages));

    const uint8_t *pdpt = map_table(mem, pt_base, MLE_PT_PDPTES * 8);
    if (!pdpt)
        return why(d, MLE_PT_R_UNMAPPED, "PDPT at 0x%llx", ULL(pt_base));
    uint64_t n = 0;
    for (unsigned i = 0; i < MLE_PT_PDPTES; i++) {
        uint64_t e = get64(pdpt + i * 8);
        uint64_t lin = (uint64_t)i << 30;
        bool inside = lin < mle_size;
        if (!(e & MLE_PT_P)) {
            if (inside)
                return why(d, MLE_PT_R_NOT_PRESENT, "PDPTE %u (linear 0x%llx) is not present", i, ULL(lin));
            continue;
        }
        if (!inside)
            return why(d, MLE_PT_R_EXTRA, "PDPTE %u (linear 0x%llx) is present; the MLE ends at 0x%llx", i, ULL(lin),
                       ULL(mle_size));
        if (e & MLE_PT_PDPTE_RSVD)
            return why(d, MLE_PT_R_RESERVED, "PDPTE %u = 0x%llx", i, ULL(e));
        paddr_t pd_phys = e & MLE_PT_ADDR_MASK;
        const uint8_t *pd = map_table(mem, pd_phys, MLE_PT_PAGE);
        if (!pd)
            return why(d, MLE_PT_R_UNMAPPED, "the PD of PDPTE %u at 0x%llx", i, ULL(pd_phys));
        for (unsigned j = 0; j < MLE_PT_ENTRIES; j++) {
            uint64_t pde = get64(pd + j * 8);
            uint64_t lin2 = lin + ((uint64_t)j << 21);
            bool in2 = lin2 < mle_size;
            if (!(pde & MLE_PT_P)) {
                if (in2)
                    return why(d, MLE_PT_R_NOT_PRESENT, "PDE %u of PD %u (linear 0x%llx) is not present", j, i,
                               ULL(lin2));
                continue;
            }
            if (!in2)
                return why(d, MLE_PT_R_EXTRA, "PDE %u of PD %u (linear 0x%llx) is present; the MLE ends at 0x%llx", j,
                           i, ULL(lin2), ULL(mle_size));
            if (pde & MLE_PT_PS)
                return why(d, MLE_PT_R_LARGE_PAGE, "PDE %u of PD %u (linear 0x%llx) = 0x%llx", j, i, ULL(lin2),
                           ULL(pde));
            if (pde & MLE_PT_RSVD_HIGH)
                return why(d, MLE_PT_R_RESERVED, "PDE %u of PD %u = 0x%llx", j, i, ULL(pde));
            paddr_t pt_phys = pde & MLE_PT_ADDR_MASK;
            const uint8_t *pt = map_table(mem, pt_phys, MLE_PT_PAGE);
            if (!pt)
                return why(d, MLE_PT_R_UNMAPPED, "the PT of PDE %u of PD %u at 0x%llx", j, i, ULL(pt_phys));
            for (unsigned k = 0; k < MLE_PT_ENTRIES; k++) {
                uint64_t pte = get64(pt + k * 8);
                uint64_t lin3 = lin2 + ((uint64_t)k << 12);
                bool in3 = lin3 < mle_size;
                if (!(pte & MLE_PT_P)) {
                    if (in3)
                        return why(d, MLE_PT_R_NOT_PRESENT, "PTE %u of PT 0x%llx (linear 0x%llx) is not present", k,
                                   ULL(pt_phys), ULL(lin3));
                    continue;
                }
                if (!in3)
                    return why(d, MLE_PT_R_EXTRA,
                               "PTE %u of PT 0x%llx (linear 0x%llx) is present; the MLE ends at 0x%llx", k,
                               ULL(pt_phys), ULL(lin3), ULL(mle_size));
                if (pte & MLE_PT_RSVD_HIGH)
                    return why(d, MLE_PT_R_RESERVED, "PTE %u of PT 0x%llx = 0x%llx", k, ULL(pt_phys), ULL(pte));
                paddr_t page = pte & MLE_PT_ADDR_MASK;
                if (n && page <= pages[n - 1]) {
                    if (in_sorted(pages, n, page))
                        return why(d, MLE_PT_R_DUPLICATE, "linear 0x%llx maps page 0x%llx, already mapped",
                                   ULL(lin3), ULL(page));
                    return why(d, MLE_PT_R_ORDER, "linear 0x%llx maps page 0x%llx, below the previous page 0x%llx",
                               ULL(lin3), ULL(page), ULL(pages[n - 1]));
                }
                pages[n++] = page;
            }
        }
    }
    if (n != want) /* cannot happen: every linear page below mle_size was required present */
        return why(d, MLE_PT_R_NOT_PRESENT, "%llu pages mapped, %llu expected", ULL(n), ULL(want));

    /* Second pass: no table page may be one of the MLE's pages (SINIT
     * would measure a table, and the MLE could rewrite its own map). */
    if (in_sorted(pages, n, pt_base & MLE_PT_ADDR_MASK))
        return why(d, MLE_PT_R_OVERLAP, "the PDPT page 0x%llx is an MLE page", ULL(pt_base));
    for (unsigned i = 0; i < MLE_PT_PDPTES && ((uint64_t)i << 30) < mle_size; i++) {
        paddr_t pd_phys = get64(pdpt + i * 8) & MLE_PT_ADDR_MASK;
        if (in_sorted(pages, n, pd_phys))
            return why(d, MLE_PT_R_OVERLAP, "PD %u at 0x%llx is an MLE page", i, ULL(pd_phys));
        const uint8_t *pd = map_table(mem, pd_phys, MLE_PT_PAGE);
        for (unsigned j = 0; pd && j < MLE_PT_ENTRIES && ((uint64_t)i << 30) + ((uint64_t)j << 21) < mle_size; j++) {
            paddr_t pt_phys = get64(pd + j * 8) & MLE_PT_ADDR_MASK;
            if (in_sorted(pages, n, pt_phys))
                return why(d, MLE_PT_R_OVERLAP, "the PT of PDE %u of PD %u at 0x%llx is an MLE page", j, i,
                           ULL(pt_phys));
        }
    }
    *npages = n;
    return MLE_PT_OK;
}
