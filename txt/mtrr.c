/* MTRR save, SINIT plan, post-launch validation, restore (include/mtrr.h).
 * Portable: no MSR instruction here, every access goes through the ops.
 * 64-bit arithmetic is shifts, masks, additions and comparisons only (no
 * libgcc on i686). */
#include "mtrr.h"

static const uint32_t fixed_msrs[MTRR_FIX_COUNT] = {
    MSR_IA32_MTRR_FIX64K_00000, MSR_IA32_MTRR_FIX16K_80000, MSR_IA32_MTRR_FIX16K_A0000,
    0x268u, 0x269u, 0x26Au, 0x26Bu, 0x26Cu, 0x26Du, 0x26Eu, 0x26Fu,
};

uint32_t mtrr_fixed_msr(unsigned i)
{
    return i < MTRR_FIX_COUNT ? fixed_msrs[i] : 0;
}

const char *mtrr_type_name(unsigned type)
{
    switch (type) {
    case MTRR_TYPE_UC: return "UC";
    case MTRR_TYPE_WC: return "WC";
    case MTRR_TYPE_WT: return "WT";
    case MTRR_TYPE_WP: return "WP";
    case MTRR_TYPE_WB: return "WB";
    default: return "reserved";
    }
}

static bool type_legal(unsigned t)
{
    return t == MTRR_TYPE_UC || t == MTRR_TYPE_WC || t == MTRR_TYPE_WT || t == MTRR_TYPE_WP ||
           t == MTRR_TYPE_WB;
}

static bool maxphy_ok(unsigned maxphyaddr)
{
    return maxphyaddr >= MTRR_MAXPHYADDR_MIN && maxphyaddr <= MTRR_MAXPHYADDR_MAX;
}

/* Address bits 12 .. maxphyaddr-1: PhysBase and PhysMask. */
static uint64_t addr_bits(unsigned maxphyaddr)
{
    return (((uint64_t)1 << maxphyaddr) - 1) & ~(uint64_t)MTRR_ADDR_LOW_BITS;
}

static uint64_t lowest_bit(uint64_t x)
{
    return x & (~x + 1);
}

/* ---------------------------------------------------------------- save */

static enum rensa_err rd(const struct mtrr_ops *ops, uint32_t msr, uint64_t *v, struct diag *d)
{
    if (!ops->rdmsr(ops->ctx, msr, v))
        return diag_set(d, E_MTRR_MSR, "reading MSR 0x%x failed", (unsigned)msr);
    return E_OK;
}

static enum rensa_err wr(const struct mtrr_ops *ops, uint32_t msr, uint64_t v, struct diag *d)
{
    if (!ops->wrmsr(ops->ctx, msr, v))
        return diag_set(d, E_MTRR_MSR, "writing 0x%llx to MSR 0x%x failed", (unsigned long long)v,
                        (unsigned)msr);
    return E_OK;
}

enum rensa_err mtrr_save(const struct mtrr_ops *ops, struct mtrr_state *s, struct diag *d)
{
    enum rensa_err e;
    *s = (struct mtrr_state){0};
    if ((e = rd(ops, MSR_IA32_MTRRCAP, &s->mtrrcap, d)) != E_OK)
        return e;
    unsigned vcnt = (unsigned)(s->mtrrcap & MTRRCAP_VCNT_MASK);
    if (vcnt > MTRR_VAR_MAX)
        return diag_set(d, E_MTRR_TOO_MANY, "IA32_MTRRCAP.VCNT is %u, Rensa saves at most %u variable MTRRs",
                        vcnt, MTRR_VAR_MAX);
    if ((e = rd(ops, MSR_IA32_MTRR_DEF_TYPE, &s->def_type, d)) != E_OK)
        return e;
    if (s->mtrrcap & MTRRCAP_FIX) {
        for (unsigned i = 0; i < MTRR_FIX_COUNT; i++)
            if ((e = rd(ops, fixed_msrs[i], &s->fixed[i], d)) != E_OK)
                return e;
        s->fixed_valid = true;
    }
    for (unsigned n = 0; n < vcnt; n++) {
        if ((e = rd(ops, MSR_IA32_MTRR_PHYSBASE(n), &s->var[n].base, d)) != E_OK ||
            (e = rd(ops, MSR_IA32_MTRR_PHYSMASK(n), &s->var[n].mask, d)) != E_OK)
            return e;
    }
    s->num_var = vcnt;
    if ((e = rd(ops, MSR_IA32_MISC_ENABLE, &s->misc_enable, d)) != E_OK)
        return e;
    s->misc_valid = true;
    return E_OK;
}

/* ---------------------------------------------------------------- plan */

enum rensa_err mtrr_plan_sinit(paddr_t base, paddr_t size, unsigned maxphyaddr, unsigned vcnt,
                               struct mtrr_state *out, struct diag *d)
{
    *out = (struct mtrr_state){0};
    if (!maxphy_ok(maxphyaddr))
        return diag_set(d, E_MTRR_ARG, "MAXPHYADDR %u is outside %u..%u", maxphyaddr, MTRR_MAXPHYADDR_MIN,
                        MTRR_MAXPHYADDR_MAX);
    if (vcnt == 0 || vcnt > MTRR_VAR_MAX)
        return diag_set(d, E_MTRR_ARG, "%u variable MTRRs: Rensa handles 1..%u", vcnt, MTRR_VAR_MAX);
    if ((base | size) & MTRR_ADDR_LOW_BITS)
        return diag_set(d, E_MTRR_ARG, "SINIT region 0x%llx+0x%llx is not 4 KiB aligned",
                        (unsigned long long)base, (unsigned long long)size);
    uint64_t limit = (uint64_t)1 << maxphyaddr;
    if (size == 0 || base >= limit || size > limit - base)
        return diag_set(d, E_MTRR_ARG, "SINIT region 0x%llx+0x%llx is empty or passes 2^%u",
                        (unsigned long long)base, (unsigned long long)size, maxphyaddr);

    out->mtrrcap = vcnt; /* no FIX, no WC: only what the plan uses */
    out->def_type = MTRR_DEF_TYPE_E | MTRR_TYPE_UC; /* FE = 0: fixed MTRRs off */
    out->num_var = vcnt;

    /* Greedy from the bottom: the largest power of two that both the
     * current base's alignment and the remaining size allow. Aligned
     * power-of-two blocks nest or are disjoint, so no cover by WB blocks
     * inside the region can use fewer (the binary decomposition). */
    uint64_t cur = base, left = size, mbits = addr_bits(maxphyaddr);
    unsigned n = 0;
    while (left) {
        uint64_t chunk = cur ? lowest_bit(cur) : limit;
        while (chunk > left)
            chunk >>= 1;
        if (n == vcnt) {
            unsigned need = n;
            for (uint64_t c = cur, l = left; l; need++) {
                uint64_t k = c ? lowest_bit(c) : limit;
                while (k > l)
                    k >>= 1;
                c += k;
                l -= k;
            }
            *out = (struct mtrr_state){0};
            return diag_set(d, E_MTRR_NO_REGS,
                            "SINIT region 0x%llx+0x%llx needs %u variable MTRRs, the CPU has %u",
                            (unsigned long long)base, (unsigned long long)size, need, vcnt);
        }
        out->var[n].base = cur | MTRR_TYPE_WB;
        out->var[n].mask = (~(chunk - 1) & mbits) | MTRR_PHYSMASK_VALID;
        n++;
        cur += chunk;
        left -= chunk;
    }
    return E_OK;
}

/* ---------------------------------------------------------------- validate */

/* The set bits of m form one run (no hole between the lowest and highest
 * set bit). Zero counts as contiguous (the range is all of memory). */
static bool contiguous(uint64_t m)
{
    return ((m + lowest_bit(m)) & m) == 0;
}

static bool var_valid(const struct mtrr_state *s, unsigned n)
{
    return (s->var[n].mask & MTRR_PHYSMASK_VALID) != 0;
}

static unsigned var_type(const struct mtrr_state *s, unsigned n)
{
    return (unsigned)(s->var[n].base & MTRR_PHYSBASE_TYPE_MASK);
}

/* Types two matching variable ranges may combine to, or UNDEFINED. */
static unsigned combine(unsigned a, unsigned b)
{
    if (a == b)
        return a;
    if (a == MTRR_TYPE_UC || b == MTRR_TYPE_UC)
        return MTRR_TYPE_UC;
    if ((a == MTRR_TYPE_WT && b == MTRR_TYPE_WB) || (a == MTRR_TYPE_WB && b == MTRR_TYPE_WT))
        return MTRR_TYPE_WT;
    return MTRR_TYPE_UNDEFINED;
}

enum rensa_err mtrr_validate(const struct mtrr_state *s, unsigned maxphyaddr, struct diag *d)
{
    if (!maxphy_ok(maxphyaddr))
        return diag_set(d, E_MTRR_ARG, "MAXPHYADDR %u is outside %u..%u", maxphyaddr, MTRR_MAXPHYADDR_MIN,
                        MTRR_MAXPHYADDR_MAX);
    unsigned vcnt = (unsigned)(s->mtrrcap & MTRRCAP_VCNT_MASK);
    if (s->num_var > MTRR_VAR_MAX || s->num_var > vcnt)
        return diag_set(d, E_MTRR_TOO_MANY, "the saved state has %u variable MTRRs, IA32_MTRRCAP.VCNT is %u",
                        s->num_var, vcnt);
    unsigned dt = (unsigned)(s->def_type & MTRR_DEF_TYPE_TYPE_MASK);
    if (!type_legal(dt))
        return diag_set(d, E_MTRR_TYPE, "IA32_MTRR_DEF_TYPE has default type %u, which does not exist", dt);
    uint64_t def_rsvd = ~(uint64_t)(MTRR_DEF_TYPE_TYPE_MASK | MTRR_DEF_TYPE_FE | MTRR_DEF_TYPE_E);
    if (s->def_type & def_rsvd)
        return diag_set(d, E_MTRR_MASK, "IA32_MTRR_DEF_TYPE 0x%llx has a reserved bit set",
                        (unsigned long long)s->def_type);
    if (s->fixed_valid)
        for (unsigned i = 0; i < MTRR_FIX_COUNT; i++)
            for (unsigned b = 0; b < 64; b += 8) {
                unsigned t = (unsigned)(s->fixed[i] >> b) & 0xFFu;
                if (!type_legal(t))
                    return diag_set(d, E_MTRR_TYPE, "fixed MTRR 0x%x byte %u has type %u, which does not exist",
                                    (unsigned)fixed_msrs[i], b / 8, t);
            }

    uint64_t mbits = addr_bits(maxphyaddr);
    for (unsigned n = 0; n < s->num_var; n++) {
        if (!var_valid(s, n))
            continue;
        uint64_t base = s->var[n].base, mask = s->var[n].mask;
        unsigned t = var_type(s, n);
        if (!type_legal(t))
            return diag_set(d, E_MTRR_TYPE, "variable MTRR %u (base 0x%llx) has type %u, which does not exist", n,
                            (unsigned long long)base, t);
        if (base & ~(mbits | MTRR_PHYSBASE_TYPE_MASK))
            return diag_set(d, E_MTRR_MASK, "variable MTRR %u base 0x%llx has a reserved bit set (MAXPHYADDR %u)",
                            n, (unsigned long long)base, maxphyaddr);
        if (mask & ~(mbits | MTRR_PHYSMASK_VALID))
            return diag_set(d, E_MTRR_MASK, "variable MTRR %u mask 0x%llx has a reserved bit set (MAXPHYADDR %u)",
                            n, (unsigned long long)mask, maxphyaddr);
        /* Only the run matters: firmware that programs fewer high bits than
         * MAXPHYADDR (TME-MK key-ID bits, study-tboot §8.11) is accepted. */
        if (!contiguous(mask & mbits))
            return diag_set(d, E_MTRR_MASK,
                            "variable MTRR %u mask 0x%llx is not contiguous: a clear bit lies between its lowest and highest set bit",
                            n, (unsigned long long)mask);
    }
    for (unsigned i = 0; i < s->num_var; i++) {
        if (!var_valid(s, i))
            continue;
        for (unsigned j = i + 1; j < s->num_var; j++) {
            if (!var_valid(s, j))
                continue;
            uint64_t common = s->var[i].mask & s->var[j].mask & mbits;
            if ((s->var[i].base ^ s->var[j].base) & common)
                continue; /* disjoint */
            unsigned ti = var_type(s, i), tj = var_type(s, j);
            if (combine(ti, tj) == MTRR_TYPE_UNDEFINED)
                return diag_set(d, E_MTRR_OVERLAP,
                                "variable MTRRs %u (%s, base 0x%llx mask 0x%llx) and %u (%s, base 0x%llx mask 0x%llx) overlap; only UC with anything and WT with WB are defined",
                                i, mtrr_type_name(ti), (unsigned long long)(s->var[i].base & ~(uint64_t)0xFFF),
                                (unsigned long long)(s->var[i].mask & mbits), j, mtrr_type_name(tj),
                                (unsigned long long)(s->var[j].base & ~(uint64_t)0xFFF),
                                (unsigned long long)(s->var[j].mask & mbits));
        }
    }
    return E_OK;
}

/* ---------------------------------------------------------------- restore */

enum rensa_err mtrr_restore(const struct mtrr_ops *ops, const struct mtrr_state *s, struct diag *d)
{
    enum rensa_err e;
    if (s->num_var > MTRR_VAR_MAX)
        return diag_set(d, E_MTRR_TOO_MANY, "the state has %u variable MTRRs, at most %u", s->num_var,
                        MTRR_VAR_MAX);
    if ((e = wr(ops, MSR_IA32_MTRR_DEF_TYPE, s->def_type & ~(uint64_t)MTRR_DEF_TYPE_E, d)) != E_OK)
        return e;
    if (s->fixed_valid)
        for (unsigned i = 0; i < MTRR_FIX_COUNT; i++)
            if ((e = wr(ops, fixed_msrs[i], s->fixed[i], d)) != E_OK)
                return e;
    for (unsigned n = 0; n < s->num_var; n++) {
        if ((e = wr(ops, MSR_IA32_MTRR_PHYSBASE(n), s->var[n].base, d)) != E_OK ||
            (e = wr(ops, MSR_IA32_MTRR_PHYSMASK(n), s->var[n].mask, d)) != E_OK)
            return e;
    }
    if ((e = wr(ops, MSR_IA32_MTRR_DEF_TYPE, s->def_type, d)) != E_OK)
        return e;
    if (s->misc_valid && (e = wr(ops, MSR_IA32_MISC_ENABLE, s->misc_enable, d)) != E_OK)
        return e;
    return E_OK;
}

/* ---------------------------------------------------------------- lookup */

static unsigned fixed_type(const struct mtrr_state *s, uint32_t a)
{
    unsigned reg, sub;
    if (a < 0x80000u) {
        reg = 0;
        sub = a >> 16; /* 64 KiB */
    } else if (a < 0xC0000u) {
        reg = 1 + ((a - 0x80000u) >> 17); /* 128 KiB per register */
        sub = ((a - 0x80000u) >> 14) & 7u; /* 16 KiB */
    } else {
        reg = 3 + ((a - 0xC0000u) >> 15); /* 32 KiB per register */
        sub = ((a - 0xC0000u) >> 12) & 7u; /* 4 KiB */
    }
    return (unsigned)(s->fixed[reg] >> (8 * sub)) & 0xFFu;
}

unsigned mtrr_effective_type(const struct mtrr_state *s, paddr_t addr)
{
    if (!(s->def_type & MTRR_DEF_TYPE_E))
        return MTRR_TYPE_UC;
    if (addr < MiB(1) && (s->def_type & MTRR_DEF_TYPE_FE) && (s->mtrrcap & MTRRCAP_FIX))
        return s->fixed_valid ? fixed_type(s, (uint32_t)addr) : MTRR_TYPE_UNDEFINED;
    unsigned type = MTRR_TYPE_UNDEFINED;
    bool matched = false;
    unsigned nv = s->num_var < MTRR_VAR_MAX ? s->num_var : MTRR_VAR_MAX;
    for (unsigned n = 0; n < nv; n++) {
        if (!var_valid(s, n))
            continue;
        uint64_t m = s->var[n].mask & ~(uint64_t)MTRR_ADDR_LOW_BITS;
        if ((addr & m) != (s->var[n].base & m))
            continue;
        unsigned t = var_type(s, n);
        type = matched ? combine(type, t) : t;
        matched = true;
        if (type == MTRR_TYPE_UNDEFINED)
            return type;
    }
    return matched ? type : (unsigned)(s->def_type & MTRR_DEF_TYPE_TYPE_MASK);
}
