/* Memory map editing and the range allocator (see include/memmap.h). */
#include "memmap.h"
#include "rstring.h"

const char *e820_type_name(uint32_t type)
{
    switch (type) {
    case E820_RAM:
        return "usable";
    case E820_RESERVED:
        return "reserved";
    case E820_ACPI:
        return "ACPI data";
    case E820_NVS:
        return "ACPI NVS";
    case E820_UNUSABLE:
        return "unusable";
    case E820_PMEM:
        return "persistent";
    default:
        return "other";
    }
}

static bool range_end(paddr_t base, paddr_t len, paddr_t *end)
{
    *end = base + len;
    return *end >= base;
}

enum rensa_err memmap_add(struct memmap *m, paddr_t base, paddr_t len, uint32_t type, struct diag *d)
{
    paddr_t end;
    if (len == 0)
        return E_OK;
    if (!range_end(base, len, &end))
        return diag_set(d, E_MBI_MALFORMED, "memory range 0x%llx+0x%llx wraps past 2^64",
                        (unsigned long long)base, (unsigned long long)len);
    if (m->n >= MEMMAP_MAX)
        return diag_set(d, E_MEMMAP_FULL, "more than %u memory map entries", MEMMAP_MAX);
    m->r[m->n].base = base;
    m->r[m->n].len = len;
    m->r[m->n].type = type;
    m->n++;
    return E_OK;
}

static bool type_beats(uint32_t a, uint32_t b)
{
    if (a == b)
        return false;
    if (b == E820_RAM)
        return true;
    if (a == E820_RAM)
        return false;
    return a > b;
}

static void sort_u64(paddr_t *v, unsigned n)
{
    for (unsigned i = 1; i < n; i++) {
        paddr_t x = v[i];
        unsigned j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

void memmap_normalize(struct memmap *m)
{
    paddr_t pts[2 * MEMMAP_MAX];
    unsigned np = 0;
    for (unsigned i = 0; i < m->n; i++) {
        pts[np++] = m->r[i].base;
        pts[np++] = m->r[i].base + m->r[i].len;
    }
    sort_u64(pts, np);

    struct memmap out;
    out.n = 0;
    for (unsigned k = 0; k + 1 < np; k++) {
        paddr_t lo = pts[k], hi = pts[k + 1];
        if (lo == hi)
            continue;
        uint32_t type = 0;
        for (unsigned i = 0; i < m->n; i++) {
            const struct mem_range *r = &m->r[i];
            if (r->base <= lo && hi <= r->base + r->len && (type == 0 || type_beats(r->type, type)))
                type = r->type;
        }
        if (type == 0)
            continue; /* a hole */
        struct mem_range *last = out.n ? &out.r[out.n - 1] : NULL;
        if (last && last->type == type && last->base + last->len == lo) {
            last->len += hi - lo;
        } else if (out.n < MEMMAP_MAX) {
            out.r[out.n].base = lo;
            out.r[out.n].len = hi - lo;
            out.r[out.n].type = type;
            out.n++;
        }
    }
    memcpy(m, &out, sizeof(out));
}

enum rensa_err memmap_set(struct memmap *m, paddr_t base, paddr_t len, uint32_t type, struct diag *d)
{
    paddr_t end;
    if (len == 0)
        return E_OK;
    if (!range_end(base, len, &end))
        return diag_set(d, E_MBI_MALFORMED, "range 0x%llx+0x%llx wraps", (unsigned long long)base,
                        (unsigned long long)len);
    /* Cut [base, end) out of every existing range, then add it with the new type. */
    struct memmap out;
    out.n = 0;
    for (unsigned i = 0; i < m->n; i++) {
        const struct mem_range *r = &m->r[i];
        paddr_t rend = r->base + r->len;
        if (rend <= base || r->base >= end) {
            if (out.n >= MEMMAP_MAX)
                return diag_set(d, E_MEMMAP_FULL, "memory map full while marking 0x%llx",
                                (unsigned long long)base);
            out.r[out.n++] = *r;
            continue;
        }
        if (r->base < base) {
            if (out.n >= MEMMAP_MAX)
                return diag_set(d, E_MEMMAP_FULL, "memory map full while marking 0x%llx",
                                (unsigned long long)base);
            out.r[out.n++] = (struct mem_range){r->base, base - r->base, r->type};
        }
        if (rend > end) {
            if (out.n >= MEMMAP_MAX)
                return diag_set(d, E_MEMMAP_FULL, "memory map full while marking 0x%llx",
                                (unsigned long long)base);
            out.r[out.n++] = (struct mem_range){end, rend - end, r->type};
        }
    }
    if (out.n >= MEMMAP_MAX)
        return diag_set(d, E_MEMMAP_FULL, "memory map full while marking 0x%llx", (unsigned long long)base);
    out.r[out.n++] = (struct mem_range){base, len, type};
    memcpy(m, &out, sizeof(out));
    memmap_normalize(m);
    return E_OK;
}

bool memmap_covers(const struct memmap *m, paddr_t base, paddr_t len, uint32_t type)
{
    paddr_t end;
    if (!range_end(base, len, &end))
        return false;
    paddr_t at = base;
    /* The map is normalized (sorted, merged), so walk it once. */
    for (unsigned i = 0; i < m->n && at < end; i++) {
        const struct mem_range *r = &m->r[i];
        if (r->type != type)
            continue;
        if (r->base <= at && at < r->base + r->len)
            at = r->base + r->len;
    }
    return at >= end;
}

paddr_t memmap_total(const struct memmap *m, uint32_t type)
{
    paddr_t t = 0;
    for (unsigned i = 0; i < m->n; i++)
        if (m->r[i].type == type)
            t += m->r[i].len;
    return t;
}

enum rensa_err alloc_mark_busy(struct allocator *a, paddr_t base, paddr_t len, const char *what,
                               struct diag *d)
{
    paddr_t end;
    if (!range_end(base, len, &end))
        return diag_set(d, E_MODULE_RANGE, "%s at 0x%llx+0x%llx wraps", what, (unsigned long long)base,
                        (unsigned long long)len);
    if (a->nbusy >= BUSY_MAX)
        return diag_set(d, E_NO_MEMORY, "more than %u ranges in use", BUSY_MAX);
    a->busy[a->nbusy++] = (struct busy_range){base, len, what};
    return E_OK;
}

void alloc_unmark(struct allocator *a, paddr_t base)
{
    for (unsigned i = 0; i < a->nbusy; i++) {
        if (a->busy[i].base == base) {
            a->busy[i] = a->busy[--a->nbusy];
            return;
        }
    }
}

const struct busy_range *alloc_overlap(const struct allocator *a, paddr_t base, paddr_t len)
{
    paddr_t end = base + len;
    for (unsigned i = 0; i < a->nbusy; i++) {
        const struct busy_range *b = &a->busy[i];
        if (b->len && base < b->base + b->len && b->base < end)
            return b;
    }
    return NULL;
}

static bool fits(const struct allocator *a, paddr_t base, paddr_t size, paddr_t lo, paddr_t hi)
{
    paddr_t end;
    if (!range_end(base, size, &end) || base < lo || end > hi)
        return false;
    return memmap_covers(a->ram, base, size, E820_RAM) && !alloc_overlap(a, base, size);
}

enum rensa_err alloc_range(struct allocator *a, paddr_t size, paddr_t align, paddr_t lo, paddr_t hi,
                           unsigned flags, const char *what, paddr_t *out, struct diag *d)
{
    if (align == 0 || (align & (align - 1)) != 0)
        return diag_set(d, E_NO_MEMORY, "bad alignment 0x%llx for %s", (unsigned long long)align, what);
    if (size == 0)
        size = 1;
    bool found = false;
    paddr_t best = 0;
    /* Candidate edges: every RAM range edge and every busy range edge. The
     * best placement always starts or ends at one of them. */
    unsigned nr = a->ram->n, nb = a->nbusy;
    for (unsigned i = 0; i < nr + nb + 1; i++) {
        paddr_t edge_lo, edge_hi; /* a start to place up from, an end to place down from */
        if (i < nr) {
            edge_lo = a->ram->r[i].base;
            edge_hi = a->ram->r[i].base + a->ram->r[i].len;
        } else if (i < nr + nb) {
            edge_lo = a->busy[i - nr].base + a->busy[i - nr].len;
            edge_hi = a->busy[i - nr].base;
        } else {
            edge_lo = lo;
            edge_hi = hi;
        }
        paddr_t cand;
        if (flags & ALLOC_BOTTOM_UP) {
            if (edge_lo < lo)
                edge_lo = lo;
            cand = ALIGN_UP(edge_lo, align);
            if (cand < edge_lo)
                continue;
            if (fits(a, cand, size, lo, hi) && (!found || cand < best)) {
                best = cand;
                found = true;
            }
        } else {
            if (edge_hi > hi)
                edge_hi = hi;
            if (edge_hi < size)
                continue;
            cand = ALIGN_DOWN(edge_hi - size, align);
            if (fits(a, cand, size, lo, hi) && (!found || cand > best)) {
                best = cand;
                found = true;
            }
        }
    }
    if (!found)
        return diag_set(d, E_NO_MEMORY, "no free RAM for %s: 0x%llx bytes aligned 0x%llx in [0x%llx, 0x%llx)",
                        what, (unsigned long long)size, (unsigned long long)align, (unsigned long long)lo,
                        (unsigned long long)hi);
    enum rensa_err e = alloc_mark_busy(a, best, size, what, d);
    if (e)
        return e;
    *out = best;
    return E_OK;
}
