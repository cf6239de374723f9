/* The TXT heap: PMRs, build and verify (include/txt_heap.h). Every read
 * of the heap goes through rd32/rd64 at an offset checked against the
 * region it belongs to; every size sum is checked without overflow. */
#include <stdarg.h>
#include "acm.h"
#include "fmt.h"
#include "mle_pt.h"
#include "rstring.h"
#include "txt_heap.h"

static const struct {
    const char *name, *text;
    enum rensa_err err;
} reasons[] = {
#define HEAP_REASON_ROW(name, err, text) {#name, HOST_TEXT(text), err},
    HEAP_REASONS(HEAP_REASON_ROW)
#undef HEAP_REASON_ROW
};

const char *heap_reason_name(enum heap_reason r)
{
    return (unsigned)r < ARRAY_SIZE(reasons) ? reasons[r].name : "HEAP_R_UNKNOWN";
}

const char *heap_reason_text(enum heap_reason r)
{
    return (unsigned)r < ARRAY_SIZE(reasons) ? reasons[r].text : "unknown reason";
}

enum rensa_err heap_reason_err(enum heap_reason r)
{
    return (unsigned)r < ARRAY_SIZE(reasons) ? reasons[r].err : E_TXT_HEAP_MALFORMED;
}

static enum heap_reason why(struct diag *d, enum heap_reason r, const char *fmt, ...) PRINTF_LIKE(3, 4);
static enum heap_reason why(struct diag *d, enum heap_reason r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vset_reason(d, heap_reason_err(r), heap_reason_name(r), fmt, ap);
    va_end(ap);
    return r;
}

#define ULL(x) ((unsigned long long)(x))
#define FOUR_GIB GiB(4)

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void wr64(uint8_t *p, uint64_t v)
{
    for (unsigned i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* True when [base, base+len) lies inside [lo, lo+size). */
static bool inside(paddr_t base, uint64_t len, paddr_t lo, uint64_t size)
{
    return base >= lo && len <= size && base - lo <= size - len;
}

/* ---------------------------------------------------------------- PMRs */

enum heap_reason txt_pmr_compute(const struct memmap *m, struct txt_pmr *p, struct diag *d)
{
    memset(p, 0, sizeof(*p));
    paddr_t lo_min = ~(paddr_t)0, lo_max = 0, hi_min = ~(paddr_t)0, hi_max = 0;
    bool lo = false, hi = false;
    for (unsigned i = 0; m && i < m->n && i < MEMMAP_MAX; i++) {
        const struct mem_range *r = &m->r[i];
        if (r->type != E820_RAM || r->len == 0)
            continue;
        paddr_t b = r->base, e = r->base + r->len;
        if (e < b) /* memmap_add refuses these; a hand-built map may not */
            e = ~(paddr_t)0;
        if (b < FOUR_GIB) {
            paddr_t le = e < FOUR_GIB ? e : FOUR_GIB;
            lo_min = b < lo_min ? b : lo_min;
            lo_max = le > lo_max ? le : lo_max;
            lo = true;
        }
        if (e > FOUR_GIB) {
            paddr_t hb = b > FOUR_GIB ? b : FOUR_GIB;
            hi_min = hb < hi_min ? hb : hi_min;
            hi_max = e > hi_max ? e : hi_max;
            hi = true;
        }
    }
    if (!lo)
        return why(d, HEAP_R_PMR, "the memory map has no RAM below 4 GiB");
    paddr_t lb = ALIGN_DOWN(lo_min, TXT_PMR_ALIGN), le = ALIGN_DOWN(lo_max, TXT_PMR_ALIGN);
    if (le <= lb)
        return why(d, HEAP_R_PMR, "RAM below 4 GiB [0x%llx, 0x%llx) holds no whole 2 MiB range", ULL(lo_min),
                   ULL(lo_max));
    p->lo_base = lb;
    p->lo_size = le - lb;
    if (lo_max > le) {
        p->lo_left_base = le;
        p->lo_left_len = lo_max - le;
    }
    if (hi) {
        paddr_t hb = ALIGN_DOWN(hi_min, TXT_PMR_ALIGN), he = ALIGN_DOWN(hi_max, TXT_PMR_ALIGN);
        if (he > hb) {
            p->hi_base = hb;
            p->hi_size = he - hb;
            if (hi_max > he) {
                p->hi_left_base = he;
                p->hi_left_len = hi_max - he;
            }
        } else {
            p->hi_left_base = hi_min;
            p->hi_left_len = hi_max - hi_min;
        }
    }
    return HEAP_OK;
}

/* ---------------------------------------------------------------- walking */

/* The region whose size field is at off: its size in *size (>= 12, so the
 * version can be read, and inside the heap). */
static enum heap_reason region(const uint8_t *h, uint64_t heap_size, uint64_t off, const char *name, uint64_t *size,
                               struct diag *d)
{
    if (off > heap_size || heap_size - off < 8)
        return why(d, HEAP_R_REGION_SIZE, "no room for the %s size field at heap offset 0x%llx (heap is 0x%llx)", name,
                   ULL(off), ULL(heap_size));
    uint64_t s = rd64(h + off);
    if (s < 12)
        return why(d, HEAP_R_REGION_SIZE, "%s size 0x%llx at heap offset 0x%llx is too small for a version", name,
                   ULL(s), ULL(off));
    if (s > heap_size - off)
        return why(d, HEAP_R_REGION_SIZE, "%s at heap offset 0x%llx, size 0x%llx, runs past the heap end 0x%llx", name,
                   ULL(off), ULL(s), ULL(heap_size));
    *size = s;
    return HEAP_OK;
}

static enum heap_reason need(uint64_t size, uint64_t fixed, const char *name, uint32_t version, struct diag *d)
{
    if (size - 8 < fixed)
        return why(d, HEAP_R_REGION_SIZE, "%s version %u needs %llu bytes, its size field gives %llu", name, version,
                   ULL(fixed), ULL(size - 8));
    return HEAP_OK;
}

struct ext_found {
    unsigned count;
    unsigned evlog; /* TXT_EVLOG_* */
    uint64_t evlog_off;
};

/* Extended elements in [start, end) of the heap. */
static enum heap_reason ext_walk(const uint8_t *h, uint64_t start, uint64_t end, const char *name,
                                 struct ext_found *f, struct diag *d)
{
    uint64_t off = start;
    f->count = 0;
    for (;;) {
        if (end - off < 8)
            return why(d, HEAP_R_EXT_NO_END, "%s: the extended elements reach 0x%llx without an END element", name,
                       ULL(off));
        uint32_t type = rd32(h + off), size = rd32(h + off + 4);
        if (size < 8 || size > end - off)
            return why(d, HEAP_R_EXT_ELEM, "%s: element type %u at heap offset 0x%llx has size %u (0x%llx left)",
                       name, type, ULL(off), size, ULL(end - off));
        if (type == TXT_EXT_END) {
            if (size != 8)
                return why(d, HEAP_R_EXT_ELEM, "%s: END element at 0x%llx has size %u, not 8", name, ULL(off), size);
            return HEAP_OK;
        }
        uint32_t want = 0;
        if (type == TXT_EXT_EVLOG_PTR)
            want = 8 + sizeof(struct txt_evlog_ptr);
        else if (type == TXT_EXT_EVLOG_PTR2_1)
            want = 8 + sizeof(struct txt_evlog_ptr2_1);
        if (want && size != want)
            return why(d, HEAP_R_EXT_ELEM, "%s: element type %u at 0x%llx has size %u, not %u", name, type, ULL(off),
                       size, want);
        if (type == TXT_EXT_BIOS_SPEC_VER && size < 8 + sizeof(struct txt_bios_spec_ver))
            return why(d, HEAP_R_EXT_ELEM, "%s: BIOS spec version element at 0x%llx has size %u", name, ULL(off),
                       size);
        if (type == TXT_EXT_ACM && (size < 12 || (uint64_t)rd32(h + off + 8) * 8 > size - 12u))
            return why(d, HEAP_R_EXT_ELEM, "%s: ACM element at 0x%llx lists more addresses than its size %u", name,
                       ULL(off), size);
        if (want) {
            if (f->evlog)
                return why(d, HEAP_R_EXT_ELEM, "%s: a second event log pointer at 0x%llx", name, ULL(off));
            f->evlog = type == TXT_EXT_EVLOG_PTR ? TXT_EVLOG_TPM12 : TXT_EVLOG_TPM20;
            f->evlog_off = off + 8;
        }
        f->count++;
        off += size;
    }
}

static enum heap_reason check_bios(const uint8_t *h, uint64_t heap_size, struct txt_heap_view *v, struct diag *d)
{
    enum heap_reason r = region(h, heap_size, 0, "BiosData", &v->bios_size, d);
    if (r)
        return r;
    v->bios_off = 0;
    uint32_t ver = rd32(h + 8);
    if (ver < TXT_BIOS_DATA_MIN_VERSION)
        return why(d, HEAP_R_BIOS_VERSION, "BiosData version %u", ver);
    uint64_t fixed = ver == 2 ? TXT_BIOS_DATA_V2_SIZE : sizeof(struct txt_bios_data);
    if ((r = need(v->bios_size, fixed, "BiosData", ver, d)))
        return r;
    memcpy(&v->bios, h + 8, (size_t)fixed);
    if (v->bios.num_logical_procs == 0)
        return why(d, HEAP_R_BIOS_PROCS, "BiosData version %u gives num_logical_procs 0", ver);
    if (ver >= 4) {
        struct ext_found f = {0, 0, 0};
        if ((r = ext_walk(h, 8 + fixed, v->bios_size, "BiosData", &f, d)))
            return r;
        v->n_bios_ext = f.count;
    }
    return HEAP_OK;
}

static enum heap_reason check_os_sinit(const uint8_t *h, struct txt_heap_view *v, struct diag *d)
{
    const struct txt_os_sinit_data *o = &v->os_sinit;
    uint64_t lo_end = o->vtd_pmr_lo_base + o->vtd_pmr_lo_size;
    if (o->mle_ptab == 0 || (o->mle_ptab & (MLE_PT_PAGE - 1)))
        return why(d, HEAP_R_OS_SINIT, "MLE page table base 0x%llx is not a page address", ULL(o->mle_ptab));
    if (o->mle_size == 0 || o->mle_size >= MLE_PT_MAX_SIZE)
        return why(d, HEAP_R_OS_SINIT, "MLE size 0x%llx", ULL(o->mle_size));
    if (o->mle_hdr_base >= o->mle_size)
        return why(d, HEAP_R_OS_SINIT, "MLE header offset 0x%llx is past the MLE size 0x%llx", ULL(o->mle_hdr_base),
                   ULL(o->mle_size));
    if ((o->vtd_pmr_lo_base | o->vtd_pmr_lo_size | o->vtd_pmr_hi_base | o->vtd_pmr_hi_size) & (TXT_PMR_ALIGN - 1))
        return why(d, HEAP_R_OS_SINIT, "a PMR base or size is not 2 MiB aligned (lo 0x%llx+0x%llx, hi 0x%llx+0x%llx)",
                   ULL(o->vtd_pmr_lo_base), ULL(o->vtd_pmr_lo_size), ULL(o->vtd_pmr_hi_base), ULL(o->vtd_pmr_hi_size));
    if (o->vtd_pmr_lo_size == 0 || lo_end < o->vtd_pmr_lo_base || lo_end > FOUR_GIB)
        return why(d, HEAP_R_OS_SINIT, "low PMR 0x%llx+0x%llx is empty or not below 4 GiB", ULL(o->vtd_pmr_lo_base),
                   ULL(o->vtd_pmr_lo_size));
    if (o->vtd_pmr_hi_size &&
        (o->vtd_pmr_hi_base < lo_end || o->vtd_pmr_hi_base + o->vtd_pmr_hi_size < o->vtd_pmr_hi_base))
        return why(d, HEAP_R_OS_SINIT, "high PMR 0x%llx+0x%llx overlaps the low one or wraps", ULL(o->vtd_pmr_hi_base),
                   ULL(o->vtd_pmr_hi_size));
    if (o->version < 7 && o->flags)
        return why(d, HEAP_R_OS_SINIT, "flags 0x%x in version %u, where they are reserved", o->flags, o->version);
    if (o->lcp_po_base + o->lcp_po_size < o->lcp_po_base)
        return why(d, HEAP_R_OS_SINIT, "LCP policy data 0x%llx+0x%llx wraps", ULL(o->lcp_po_base),
                   ULL(o->lcp_po_size));
    (void)h;
    return HEAP_OK;
}

static enum heap_reason check_sinit_mle(const uint8_t *h, uint64_t heap_size, struct txt_heap_view *v, struct diag *d)
{
    uint64_t off = v->sinit_mle_off;
    enum heap_reason r = region(h, heap_size, off, "SinitMleData", &v->sinit_mle_size, d);
    if (r)
        return r;
    uint64_t size = v->sinit_mle_size;
    uint32_t ver = rd32(h + off + 8);
    if (ver < TXT_SINIT_MLE_MIN_VERSION)
        return why(d, HEAP_R_SINIT_MLE_VERSION, "SinitMleData version %u", ver);
    uint64_t fixed = ver >= 8 ? sizeof(struct txt_sinit_mle_data) : TXT_SINIT_MLE_V6_SIZE;
    if ((r = need(size, fixed, "SinitMleData", ver, d)))
        return r;
    memcpy(&v->sinit_mle, h + off + 8, (size_t)fixed);
    const struct txt_sinit_mle_data *s = &v->sinit_mle;
    uint64_t body = 8 + fixed; /* offsets below count from the size field */
    if (ver >= 9) {
        struct ext_found f = {0, 0, 0};
        if ((r = ext_walk(h, off + body, off + size, "SinitMleData", &f, d)))
            return r;
        v->n_sinit_mle_ext = f.count;
    }
    uint64_t mdr_bytes = (uint64_t)s->num_mdrs * sizeof(struct txt_mdr);
    if (s->mdrs_off < body || s->mdrs_off > size || mdr_bytes > size - s->mdrs_off)
        return why(d, HEAP_R_MDR, "%u MDRs at offset 0x%x (%llu bytes) do not fit SinitMleData [0x%llx, 0x%llx)",
                   s->num_mdrs, s->mdrs_off, ULL(mdr_bytes), ULL(body), ULL(size));
    v->mdrs_off = off + s->mdrs_off;
    for (uint32_t i = 0; i < s->num_mdrs; i++) {
        struct txt_mdr m = heap_mdr_at(h, v, i);
        if (m.base + m.length < m.base)
            return why(d, HEAP_R_MDR, "MDR %u 0x%llx+0x%llx wraps", i, ULL(m.base), ULL(m.length));
    }
    if (s->dmar_size) {
        if (s->dmar_off < body || s->dmar_off > size || s->dmar_size > size - s->dmar_off)
            return why(d, HEAP_R_DMAR, "DMAR copy at offset 0x%x, %u bytes, is outside SinitMleData [0x%llx, 0x%llx)",
                       s->dmar_off, s->dmar_size, ULL(body), ULL(size));
        const uint8_t *t = h + off + s->dmar_off;
        if (s->dmar_size < 48 || memcmp(t, "DMAR", 4) != 0 || rd32(t + 4) > s->dmar_size || rd32(t + 4) < 48)
            return why(d, HEAP_R_DMAR, "the %u bytes at offset 0x%x are not an ACPI DMAR table", s->dmar_size,
                       s->dmar_off);
        v->dmar_off = off + s->dmar_off;
    }
    return HEAP_OK;
}

enum heap_reason heap_read_bios(const void *heap, uint64_t heap_size, struct txt_heap_view *v, struct diag *d)
{
    memset(v, 0, sizeof(*v));
    if (!heap)
        return why(d, HEAP_R_ARG, "no heap");
    return check_bios(heap, heap_size, v, d);
}

enum heap_reason heap_verify(const void *heap, uint64_t heap_size, unsigned flags, struct txt_heap_view *v,
                             struct diag *d)
{
    const uint8_t *h = heap;
    memset(v, 0, sizeof(*v));
    if (!h)
        return why(d, HEAP_R_ARG, "no heap");
    enum heap_reason r = check_bios(h, heap_size, v, d);
    if (r)
        return r;

    v->os_mle_off = v->bios_size;
    if ((r = region(h, heap_size, v->os_mle_off, "OsMleData", &v->os_mle_size, d)))
        return r;
    /* OsMleData's version follows its magic, at +12: region() guarantees
     * only 12 bytes, so read it only when it is there (need() then fails). */
    uint32_t ver = v->os_mle_size >= 16 ? rd32(h + v->os_mle_off + 12) : 0;
    if ((r = need(v->os_mle_size, sizeof(struct txt_os_mle_data), "OsMleData", ver, d)))
        return r;
    memcpy(&v->os_mle, h + v->os_mle_off + 8, sizeof(v->os_mle));
    if (v->os_mle.magic != TXT_OS_MLE_MAGIC || v->os_mle.version != TXT_OS_MLE_VERSION)
        return why(d, HEAP_R_OS_MLE, "magic 0x%08x version %u, Rensa writes 0x%08x version %u", v->os_mle.magic,
                   v->os_mle.version, TXT_OS_MLE_MAGIC, TXT_OS_MLE_VERSION);
    if (v->os_mle.mtrr.num_var > TXT_MTRR_VAR_MAX)
        return why(d, HEAP_R_OS_MLE, "%u variable MTRRs saved, at most %u", v->os_mle.mtrr.num_var, TXT_MTRR_VAR_MAX);

    v->os_sinit_off = v->os_mle_off + v->os_mle_size; /* both inside the heap: no overflow */
    if ((r = region(h, heap_size, v->os_sinit_off, "OsSinitData", &v->os_sinit_size, d)))
        return r;
    ver = rd32(h + v->os_sinit_off + 8);
    if (ver < ACM_RENSA_OS_SINIT_MIN || ver > ACM_RENSA_OS_SINIT_MAX)
        return why(d, HEAP_R_OS_SINIT_VERSION, "OsSinitData version %u", ver);
    if ((r = need(v->os_sinit_size, sizeof(struct txt_os_sinit_data), "OsSinitData", ver, d)))
        return r;
    memcpy(&v->os_sinit, h + v->os_sinit_off + 8, sizeof(v->os_sinit));
    if ((r = check_os_sinit(h, v, d)))
        return r;
    if (ver >= 6) {
        struct ext_found f = {0, 0, 0};
        if ((r = ext_walk(h, v->os_sinit_off + 8 + sizeof(struct txt_os_sinit_data),
                          v->os_sinit_off + v->os_sinit_size, "OsSinitData", &f, d)))
            return r;
        v->n_os_sinit_ext = f.count;
        v->evlog = f.evlog;
        v->evlog_elem_off = f.evlog_off;
    }

    v->sinit_mle_off = v->os_sinit_off + v->os_sinit_size;
    if (flags & HEAP_VERIFY_SINIT_MLE)
        return check_sinit_mle(h, heap_size, v, d);
    if (heap_size - v->sinit_mle_off < 8)
        return why(d, HEAP_R_HEAP_SMALL, "no room for SinitMleData after OsSinitData (heap offset 0x%llx of 0x%llx)",
                   ULL(v->sinit_mle_off), ULL(heap_size));
    return HEAP_OK;
}

struct txt_mdr heap_mdr_at(const void *heap, const struct txt_heap_view *v, uint32_t i)
{
    struct txt_mdr m;
    memcpy(&m, (const uint8_t *)heap + v->mdrs_off + (uint64_t)i * sizeof(m), sizeof(m));
    return m;
}

/* ---------------------------------------------------------------- build */

static uint64_t ext_bytes(unsigned evlog)
{
    if (evlog == TXT_EVLOG_TPM12)
        return 8 + sizeof(struct txt_evlog_ptr);
    if (evlog == TXT_EVLOG_TPM20)
        return 8 + sizeof(struct txt_evlog_ptr2_1);
    return 0;
}

uint64_t heap_os_sinit_size(uint32_t version, unsigned evlog)
{
    if (version < 5)
        return TXT_OS_SINIT_V4_SIZE;
    if (version == 5)
        return sizeof(struct txt_os_sinit_data);
    return sizeof(struct txt_os_sinit_data) + ext_bytes(evlog) + sizeof(struct txt_ext_elem);
}

static enum heap_reason check_params(const struct txt_heap_params *p, struct diag *d)
{
    uint32_t ver = p->os_sinit_version;
    if (ver < ACM_RENSA_OS_SINIT_MIN || ver > ACM_RENSA_OS_SINIT_MAX)
        return why(d, HEAP_R_ARG, "OsSinitData version %u (Rensa writes %u..%u)", ver, ACM_RENSA_OS_SINIT_MIN,
                   ACM_RENSA_OS_SINIT_MAX);
    if (p->evlog > TXT_EVLOG_TPM20 || (p->evlog != TXT_EVLOG_NONE && ver < 6))
        return why(d, HEAP_R_ARG, "event log kind %u with OsSinitData version %u (logs need 6 or later)", p->evlog,
                   ver);
    if (p->evlog == TXT_EVLOG_TPM20 &&
        (p->evlog_size == 0 || p->evlog_first > p->evlog_next || p->evlog_next > p->evlog_size))
        return why(d, HEAP_R_ARG, "TPM 2.0 event log of %u bytes with records at %u..%u", p->evlog_size,
                   p->evlog_first, p->evlog_next);
    if (p->evlog != TXT_EVLOG_NONE && p->evlog_base == 0)
        return why(d, HEAP_R_ARG, "an event log at address 0");
    if (!mle_pt_size(p->mle_size) || p->mle_hdr_off >= p->mle_size)
        return why(d, HEAP_R_ARG, "MLE size 0x%llx, header offset 0x%llx", ULL(p->mle_size), ULL(p->mle_hdr_off));
    if ((p->mle_base | p->mle_ptab) & (MLE_PT_PAGE - 1))
        return why(d, HEAP_R_ARG, "MLE at 0x%llx, page table at 0x%llx: both must be page aligned", ULL(p->mle_base),
                   ULL(p->mle_ptab));
    if (ver < 7 && p->flags)
        return why(d, HEAP_R_ARG, "flags 0x%x need OsSinitData version 7", p->flags);
    /* SINIT refuses an MLE or page table outside the PMRs. */
    const struct txt_pmr *m = &p->pmr;
    uint64_t mle_bytes = mle_pt_pages(p->mle_size) * MLE_PT_PAGE, pt_bytes = mle_pt_size(p->mle_size);
    if (!inside(p->mle_base, mle_bytes, m->lo_base, m->lo_size) && !inside(p->mle_base, mle_bytes, m->hi_base, m->hi_size))
        return why(d, HEAP_R_PMR, "MLE 0x%llx+0x%llx is outside the PMRs (lo 0x%llx+0x%llx, hi 0x%llx+0x%llx)",
                   ULL(p->mle_base), ULL(mle_bytes), ULL(m->lo_base), ULL(m->lo_size), ULL(m->hi_base),
                   ULL(m->hi_size));
    if (!inside(p->mle_ptab, pt_bytes, m->lo_base, m->lo_size) && !inside(p->mle_ptab, pt_bytes, m->hi_base, m->hi_size))
        return why(d, HEAP_R_PMR, "MLE page table 0x%llx+0x%llx is outside the PMRs (lo 0x%llx+0x%llx)",
                   ULL(p->mle_ptab), ULL(pt_bytes), ULL(m->lo_base), ULL(m->lo_size));
    return HEAP_OK;
}

enum heap_reason heap_build(void *heap, uint64_t heap_size, const struct txt_heap_params *p, struct diag *d)
{
    uint8_t *h = heap;
    if (!h || !p)
        return why(d, HEAP_R_ARG, "no heap or parameters");
    enum heap_reason r = check_params(p, d);
    if (r)
        return r;
    struct txt_heap_view v;
    memset(&v, 0, sizeof(v));
    if ((r = check_bios(h, heap_size, &v, d)))
        return r;

    /* Sizes, each counting its 8-byte size field. Offsets stay inside
     * the heap, so "heap_size - off" never wraps. */
    uint64_t os_mle_off = v.bios_size;
    uint64_t os_mle_size = 8 + sizeof(struct txt_os_mle_data);
    uint64_t os_sinit_size = 8 + heap_os_sinit_size(p->os_sinit_version, p->evlog);
    if (heap_size - os_mle_off < os_mle_size)
        return why(d, HEAP_R_HEAP_SMALL, "OsMleData needs %llu bytes at offset 0x%llx of a 0x%llx-byte heap",
                   ULL(os_mle_size), ULL(os_mle_off), ULL(heap_size));
    uint64_t os_sinit_off = os_mle_off + os_mle_size;
    if (heap_size - os_sinit_off < os_sinit_size)
        return why(d, HEAP_R_HEAP_SMALL, "OsSinitData needs %llu bytes at offset 0x%llx of a 0x%llx-byte heap",
                   ULL(os_sinit_size), ULL(os_sinit_off), ULL(heap_size));
    uint64_t sinit_mle_off = os_sinit_off + os_sinit_size;
    if (heap_size - sinit_mle_off < TXT_HEAP_SINIT_MLE_RESERVE)
        return why(d, HEAP_R_HEAP_SMALL,
                   "%llu bytes left at offset 0x%llx for SinitMleData; SINIT needs at least %u",
                   ULL(heap_size - sinit_mle_off), ULL(sinit_mle_off), TXT_HEAP_SINIT_MLE_RESERVE);

    struct txt_os_mle_data om = p->os_mle;
    om.magic = TXT_OS_MLE_MAGIC;
    om.version = TXT_OS_MLE_VERSION;
    if (om.mtrr.num_var > TXT_MTRR_VAR_MAX)
        return why(d, HEAP_R_ARG, "%u variable MTRRs, at most %u", om.mtrr.num_var, TXT_MTRR_VAR_MAX);
    wr64(h + os_mle_off, os_mle_size);
    memcpy(h + os_mle_off + 8, &om, sizeof(om));

    struct txt_os_sinit_data os;
    memset(&os, 0, sizeof(os));
    os.version = p->os_sinit_version;
    os.flags = p->os_sinit_version >= 7 ? p->flags : 0;
    os.mle_ptab = p->mle_ptab;
    os.mle_size = p->mle_size;
    os.mle_hdr_base = p->mle_hdr_off;
    os.vtd_pmr_lo_base = p->pmr.lo_base;
    os.vtd_pmr_lo_size = p->pmr.lo_size;
    os.vtd_pmr_hi_base = p->pmr.hi_base;
    os.vtd_pmr_hi_size = p->pmr.hi_size;
    os.lcp_po_base = p->lcp_po_base;
    os.lcp_po_size = p->lcp_po_size;
    os.capabilities = p->capabilities;
    os.efi_rsdt_ptr = p->efi_rsdt_ptr;
    uint8_t *o = h + os_sinit_off;
    wr64(o, os_sinit_size);
    memcpy(o + 8, &os, sizeof(os));
    if (p->os_sinit_version >= 6) {
        uint8_t *e = o + 8 + sizeof(os);
        struct txt_ext_elem hdr;
        if (p->evlog == TXT_EVLOG_TPM12) {
            struct txt_evlog_ptr ep = {p->evlog_base};
            hdr.type = TXT_EXT_EVLOG_PTR;
            hdr.size = (uint32_t)ext_bytes(p->evlog);
            memcpy(e, &hdr, sizeof(hdr));
            memcpy(e + sizeof(hdr), &ep, sizeof(ep));
            e += hdr.size;
        } else if (p->evlog == TXT_EVLOG_TPM20) {
            struct txt_evlog_ptr2_1 ep = {p->evlog_base, p->evlog_size, p->evlog_first, p->evlog_next};
            hdr.type = TXT_EXT_EVLOG_PTR2_1;
            hdr.size = (uint32_t)ext_bytes(p->evlog);
            memcpy(e, &hdr, sizeof(hdr));
            memcpy(e + sizeof(hdr), &ep, sizeof(ep));
            e += hdr.size;
        }
        hdr.type = TXT_EXT_END;
        hdr.size = sizeof(hdr);
        memcpy(e, &hdr, sizeof(hdr));
    }
    return HEAP_OK;
}
