/* MTRRs (txt/mtrr.c) on a fake MSR file: save/restore, the SINIT plan
 * walked page by page, post-launch validation of good and bad maps. */
#include "mtrr.h"
#include "unit.h"

#define FAKE_MSRS 64u

struct fake_msr {
    uint32_t msr[FAKE_MSRS];
    uint64_t val[FAKE_MSRS];
    unsigned n;
    uint32_t fail_msr; /* accesses to this MSR fail (0: none) */
    uint32_t writes[128]; /* order of writes */
    uint64_t wvals[128];
    unsigned nwrites;
};

static int fake_find(struct fake_msr *f, uint32_t msr)
{
    for (unsigned i = 0; i < f->n; i++)
        if (f->msr[i] == msr)
            return (int)i;
    return -1;
}

static void fake_set(struct fake_msr *f, uint32_t msr, uint64_t v)
{
    int i = fake_find(f, msr);
    if (i < 0) {
        i = (int)f->n++;
        f->msr[i] = msr;
    }
    f->val[i] = v;
}

static uint64_t fake_get(struct fake_msr *f, uint32_t msr)
{
    int i = fake_find(f, msr);
    return i < 0 ? 0xdeadbeefull : f->val[i];
}

static bool fake_rdmsr(void *ctx, uint32_t msr, uint64_t *v)
{
    struct fake_msr *f = ctx;
    int i = fake_find(f, msr);
    if (i < 0 || msr == f->fail_msr)
        return false; /* #GP: an MSR the fake CPU does not have */
    *v = f->val[i];
    return true;
}

static bool fake_wrmsr(void *ctx, uint32_t msr, uint64_t v)
{
    struct fake_msr *f = ctx;
    if (fake_find(f, msr) < 0 || msr == f->fail_msr || msr == MSR_IA32_MTRRCAP)
        return false;
    if (f->nwrites < 128) {
        f->writes[f->nwrites] = msr;
        f->wvals[f->nwrites++] = v;
    }
    fake_set(f, msr, v);
    return true;
}

#define MAXPHY 39u
#define MB(n) ((uint64_t)(n) << 20)
#define MASK39(size) ((((1ull << MAXPHY) - 1) & ~((uint64_t)(size) - 1)) | MTRR_PHYSMASK_VALID)

/* A typical BIOS map on a 10-variable-MTRR CPU with 39 address bits:
 * default UC, WB 0-2 GiB, the 2-4 GiB hole UC (default), WB 4-8 GiB,
 * a UC carve-out for graphics stolen memory at 0x7c000000 (64 MiB) inside
 * the WB range, fixed MTRRs on (WB below 640 KiB, UC 640-768 KiB, WP ROM). */
static void bios_machine(struct fake_msr *f)
{
    *f = (struct fake_msr){0};
    fake_set(f, MSR_IA32_MTRRCAP, 0xD0Au); /* VCNT 10, FIX, WC, SMRR */
    fake_set(f, MSR_IA32_MTRR_DEF_TYPE, MTRR_DEF_TYPE_E | MTRR_DEF_TYPE_FE | MTRR_TYPE_UC);
    fake_set(f, MSR_IA32_MISC_ENABLE, 0x0000004000850089ull); /* bit 34 set: must survive */
    fake_set(f, MSR_IA32_MTRR_FIX64K_00000, 0x0606060606060606ull);
    fake_set(f, MSR_IA32_MTRR_FIX16K_80000, 0x0606060606060606ull);
    fake_set(f, MSR_IA32_MTRR_FIX16K_A0000, 0x0000000000000000ull);
    for (uint32_t m = 0x268u; m <= 0x26Fu; m++)
        fake_set(f, m, 0x0505050505050505ull);
    fake_set(f, MSR_IA32_MTRR_PHYSBASE(0), 0x000000000 | MTRR_TYPE_WB);
    fake_set(f, MSR_IA32_MTRR_PHYSMASK(0), MASK39(MB(2048)));
    fake_set(f, MSR_IA32_MTRR_PHYSBASE(1), 0x100000000ull | MTRR_TYPE_WB);
    fake_set(f, MSR_IA32_MTRR_PHYSMASK(1), MASK39(MB(4096)));
    fake_set(f, MSR_IA32_MTRR_PHYSBASE(2), 0x7c000000ull | MTRR_TYPE_UC);
    fake_set(f, MSR_IA32_MTRR_PHYSMASK(2), MASK39(MB(64)));
    for (unsigned n = 3; n < 10; n++) {
        fake_set(f, MSR_IA32_MTRR_PHYSBASE(n), 0);
        fake_set(f, MSR_IA32_MTRR_PHYSMASK(n), 0);
    }
}

static struct mtrr_ops fake_ops(struct fake_msr *f)
{
    return (struct mtrr_ops){fake_rdmsr, fake_wrmsr, f, MAXPHY};
}

TEST(mtrr_save_restore_round_trip)
{
    struct fake_msr f, orig;
    bios_machine(&f);
    orig = f;
    struct mtrr_ops ops = fake_ops(&f);
    struct mtrr_state saved, plan;
    struct diag d = {0};
    CHECK_EQ(mtrr_save(&ops, &saved, &d), E_OK);
    CHECK_EQ(saved.num_var, 10);
    CHECK(saved.fixed_valid);
    CHECK(saved.misc_valid);
    CHECK_EQ(saved.misc_enable, 0x0000004000850089ull);
    CHECK_EQ(mtrr_validate(&saved, MAXPHY, &d), E_OK);

    /* Program the SINIT plan, then restore: the MSR file is as before. */
    CHECK_EQ(mtrr_plan_sinit(0x9a000000ull, KiB(256), MAXPHY, 10, &plan, &d), E_OK);
    CHECK_EQ(mtrr_restore(&ops, &plan, &d), E_OK);
    CHECK_EQ(fake_get(&f, MSR_IA32_MTRR_DEF_TYPE), MTRR_DEF_TYPE_E | MTRR_TYPE_UC);
    CHECK_EQ(fake_get(&f, MSR_IA32_MTRR_PHYSBASE(0)), 0x9a000000ull | MTRR_TYPE_WB);
    CHECK_EQ(fake_get(&f, MSR_IA32_MTRR_PHYSMASK(1)), 0);
    CHECK_EQ(fake_get(&f, MSR_IA32_MISC_ENABLE), 0x0000004000850089ull); /* plan leaves it */
    CHECK_EQ(fake_get(&f, MSR_IA32_MTRR_FIX64K_00000), 0x0606060606060606ull); /* untouched */
    /* MTRRs are off (E=0) for every write between the first and last DEF_TYPE write. */
    CHECK_EQ(f.writes[0], MSR_IA32_MTRR_DEF_TYPE);
    CHECK_EQ(f.wvals[0] & MTRR_DEF_TYPE_E, 0);
    CHECK_EQ(f.writes[f.nwrites - 1], MSR_IA32_MTRR_DEF_TYPE);

    fake_set(&f, MSR_IA32_MISC_ENABLE, 0x850089ull); /* SENTER changed it */
    f.nwrites = 0;
    CHECK_EQ(mtrr_restore(&ops, &saved, &d), E_OK);
    for (unsigned i = 0; i < orig.n; i++)
        CHECK_EQ(fake_get(&f, orig.msr[i]), orig.val[i]);
    CHECK_EQ(f.writes[0], MSR_IA32_MTRR_DEF_TYPE);
    CHECK_EQ(f.wvals[0] & MTRR_DEF_TYPE_E, 0);
    CHECK_EQ(f.writes[f.nwrites - 2], MSR_IA32_MTRR_DEF_TYPE);
    CHECK_EQ(f.writes[f.nwrites - 1], MSR_IA32_MISC_ENABLE);
    CHECK_EQ(f.nwrites, 1 + 11 + 20 + 1 + 1);
}

TEST(mtrr_save_errors)
{
    struct fake_msr f;
    struct mtrr_state s;
    struct diag d = {0};
    bios_machine(&f);
    struct mtrr_ops ops = fake_ops(&f);
    fake_set(&f, MSR_IA32_MTRRCAP, 0x521u); /* VCNT 33 */
    CHECK_EQ(mtrr_save(&ops, &s, &d), E_MTRR_TOO_MANY);
    CHECK(strstr(d.msg, "VCNT is 33") != NULL);

    bios_machine(&f);
    f.fail_msr = MSR_IA32_MTRR_PHYSMASK(4);
    CHECK_EQ(mtrr_save(&ops, &s, &d), E_MTRR_MSR);
    CHECK(strstr(d.msg, "0x209") != NULL);

    bios_machine(&f);
    f.fail_msr = MSR_IA32_MTRR_PHYSBASE(7);
    struct mtrr_state plan;
    CHECK_EQ(mtrr_plan_sinit(MB(16), KiB(64), MAXPHY, 10, &plan, &d), E_OK);
    CHECK_EQ(mtrr_restore(&ops, &plan, &d), E_MTRR_MSR);
    CHECK(strstr(d.msg, "0x20e") != NULL);
}

/* Walk every 4 KiB page of [base - margin, base + size + margin): WB
 * inside the SINIT region, UC outside. */
static void check_plan_walk(paddr_t base, paddr_t size, unsigned vcnt, unsigned want_regs)
{
    struct mtrr_state p;
    struct diag d = {0};
    CHECK_EQ(mtrr_plan_sinit(base, size, MAXPHY, vcnt, &p, &d), E_OK);
    CHECK_EQ(mtrr_validate(&p, MAXPHY, &d), E_OK);
    CHECK_EQ(p.def_type & (MTRR_DEF_TYPE_E | MTRR_DEF_TYPE_FE | 0xFFu), MTRR_DEF_TYPE_E | MTRR_TYPE_UC);
    unsigned used = 0;
    for (unsigned n = 0; n < p.num_var; n++)
        if (p.var[n].mask & MTRR_PHYSMASK_VALID)
            used++;
    CHECK_EQ(used, want_regs);
    paddr_t margin = MB(2);
    paddr_t lo = base > margin ? base - margin : 0;
    unsigned bad = 0;
    for (paddr_t a = lo; a < base + size + margin; a += KiB(4)) {
        unsigned want = (a >= base && a < base + size) ? MTRR_TYPE_WB : MTRR_TYPE_UC;
        if (mtrr_effective_type(&p, a) != want || mtrr_effective_type(&p, a + 0xFFF) != want) {
            if (bad++ < 3)
                fprintf(stderr, "  page 0x%llx: type %u, want %u\n", (unsigned long long)a,
                        mtrr_effective_type(&p, a), want);
        }
    }
    CHECK_EQ(bad, 0);
    /* Aliases far away stay UC (masks cover all 39 bits). */
    CHECK_EQ(mtrr_effective_type(&p, base + (1ull << 38)), MTRR_TYPE_UC);
}

TEST(mtrr_plan_sinit_sizes)
{
    check_plan_walk(MB(1), KiB(64), 8, 1); /* 64 KiB at 1 MiB */
    check_plan_walk(0xBFF00000ull, KiB(64), 8, 1);
    check_plan_walk(0x9a010000ull, KiB(256), 8, 3); /* odd 64 KiB alignment: 64+128+64 */
    check_plan_walk(MB(64), MB(1) + KiB(4), 8, 2); /* 1 MiB + 4 KiB */
    check_plan_walk(0x7f000000ull + KiB(4), KiB(60), 8, 4); /* 4K+8K+16K+32K */
    check_plan_walk(0x200000000ull, MB(1), 8, 1); /* above 4 GiB */
    check_plan_walk(0, KiB(64), 8, 1); /* base 0 */
}

TEST(mtrr_plan_sinit_chunks)
{
    struct mtrr_state p;
    struct diag d = {0};
    /* 256 KiB at 0x9a010000: 64 KiB @ ...010000, 128 KiB @ ...020000, 64 KiB @ ...040000. */
    CHECK_EQ(mtrr_plan_sinit(0x9a010000ull, KiB(256), MAXPHY, 8, &p, &d), E_OK);
    CHECK_EQ(p.var[0].base, 0x9a010000ull | MTRR_TYPE_WB);
    CHECK_EQ(p.var[0].mask, MASK39(KiB(64)));
    CHECK_EQ(p.var[1].base, 0x9a020000ull | MTRR_TYPE_WB);
    CHECK_EQ(p.var[1].mask, MASK39(KiB(128)));
    CHECK_EQ(p.var[2].base, 0x9a040000ull | MTRR_TYPE_WB);
    CHECK_EQ(p.var[2].mask, MASK39(KiB(64)));
    CHECK_EQ(p.var[3].mask, 0);
    CHECK_EQ(p.num_var, 8);
    /* 36-bit MAXPHYADDR masks: 0xF_FFFF_0000 | V for 64 KiB. */
    CHECK_EQ(mtrr_plan_sinit(MB(1), KiB(64), 36, 8, &p, &d), E_OK);
    CHECK_EQ(p.var[0].mask, 0xFFFFF0800ull);
}

TEST(mtrr_plan_sinit_errors)
{
    struct mtrr_state p;
    struct diag d = {0};
    /* [4 KiB, 1 MiB) needs 4K, 8K, ..., 512K: 8 registers. */
    CHECK_EQ(mtrr_plan_sinit(KiB(4), MB(1) - KiB(4), MAXPHY, 7, &p, &d), E_MTRR_NO_REGS);
    CHECK(strstr(d.msg, "needs 8 variable MTRRs, the CPU has 7") != NULL);
    CHECK_EQ(mtrr_plan_sinit(KiB(4), MB(1) - KiB(4), MAXPHY, 8, &p, &d), E_OK);
    CHECK_EQ(mtrr_plan_sinit(MB(1) + 0x800, KiB(64), MAXPHY, 8, &p, &d), E_MTRR_ARG);
    CHECK(strstr(d.msg, "not 4 KiB aligned") != NULL);
    CHECK_EQ(mtrr_plan_sinit(MB(1), KiB(64) + 1, MAXPHY, 8, &p, &d), E_MTRR_ARG);
    CHECK_EQ(mtrr_plan_sinit(MB(1), 0, MAXPHY, 8, &p, &d), E_MTRR_ARG);
    CHECK_EQ(mtrr_plan_sinit((1ull << 36) - KiB(4), KiB(8), 36, 8, &p, &d), E_MTRR_ARG);
    CHECK_EQ(mtrr_plan_sinit(MB(1), KiB(64), 35, 8, &p, &d), E_MTRR_ARG);
    CHECK_EQ(mtrr_plan_sinit(MB(1), KiB(64), MAXPHY, 0, &p, &d), E_MTRR_ARG);
}

static void bios_state(struct mtrr_state *s)
{
    struct fake_msr f;
    bios_machine(&f);
    struct mtrr_ops ops = fake_ops(&f);
    struct diag d = {0};
    CHECK_EQ(mtrr_save(&ops, s, &d), E_OK);
}

TEST(mtrr_validate_bios_map)
{
    struct mtrr_state s;
    struct diag d = {0};
    bios_state(&s);
    CHECK_EQ(mtrr_validate(&s, MAXPHY, &d), E_OK);
    CHECK_EQ(mtrr_effective_type(&s, MB(1)), MTRR_TYPE_WB);
    CHECK_EQ(mtrr_effective_type(&s, 0x7c000000ull), MTRR_TYPE_UC); /* carve-out: UC wins */
    CHECK_EQ(mtrr_effective_type(&s, 0x7bfff000ull), MTRR_TYPE_WB);
    CHECK_EQ(mtrr_effective_type(&s, 0x80000000ull), MTRR_TYPE_UC); /* hole */
    CHECK_EQ(mtrr_effective_type(&s, 0xfed30000ull), MTRR_TYPE_UC);
    CHECK_EQ(mtrr_effective_type(&s, 0x100000000ull), MTRR_TYPE_WB);
    CHECK_EQ(mtrr_effective_type(&s, 0x1fffff000ull), MTRR_TYPE_WB);
    CHECK_EQ(mtrr_effective_type(&s, 0x200000000ull), MTRR_TYPE_UC);
    /* Fixed MTRRs below 1 MiB */
    CHECK_EQ(mtrr_effective_type(&s, 0x9f000), MTRR_TYPE_WB);
    CHECK_EQ(mtrr_effective_type(&s, 0xa0000), MTRR_TYPE_UC);
    CHECK_EQ(mtrr_effective_type(&s, 0xbc000), MTRR_TYPE_UC);
    CHECK_EQ(mtrr_effective_type(&s, 0xf0000), MTRR_TYPE_WP);
    s.fixed[1] = 0x0606060606060604ull; /* 0x80000 .. 0x83fff WT */
    CHECK_EQ(mtrr_effective_type(&s, 0x83fff), MTRR_TYPE_WT);
    CHECK_EQ(mtrr_effective_type(&s, 0x84000), MTRR_TYPE_WB);
    s.def_type &= ~(uint64_t)MTRR_DEF_TYPE_FE; /* fixed off: the variable MTRRs decide */
    CHECK_EQ(mtrr_effective_type(&s, 0xa0000), MTRR_TYPE_WB);
    s.def_type &= ~(uint64_t)MTRR_DEF_TYPE_E; /* MTRRs off: UC */
    CHECK_EQ(mtrr_effective_type(&s, MB(1)), MTRR_TYPE_UC);
}

TEST(mtrr_validate_bad_maps)
{
    struct mtrr_state s;
    struct diag d = {0};

    /* A hole in the mask below its top set bit. */
    bios_state(&s);
    s.var[3].base = 0xc0000000ull | MTRR_TYPE_UC;
    s.var[3].mask = (MASK39(MB(256)) & ~(uint64_t)MB(512)) | MTRR_PHYSMASK_VALID;
    CHECK_EQ(mtrr_validate(&s, MAXPHY, &d), E_MTRR_MASK);
    CHECK(strstr(d.msg, "variable MTRR 3 mask 0x7fd0000800 is not contiguous") != NULL);

    /* An illegal type (2, 3 and 7 do not exist). */
    bios_state(&s);
    s.var[3].base = 0xc0000000ull | 7u;
    s.var[3].mask = MASK39(MB(256));
    CHECK_EQ(mtrr_validate(&s, MAXPHY, &d), E_MTRR_TYPE);
    CHECK(strstr(d.msg, "variable MTRR 3 (base 0xc0000007) has type 7") != NULL);
    bios_state(&s);
    s.def_type = (s.def_type & ~0xFFull) | 2u;
    CHECK_EQ(mtrr_validate(&s, MAXPHY, &d), E_MTRR_TYPE);
    bios_state(&s);
    s.fixed[4] = 0x0505050505030505ull;
    CHECK_EQ(mtrr_validate(&s, MAXPHY, &d), E_MTRR_TYPE);
    CHECK(strstr(d.msg, "fixed MTRR 0x269 byte 2 has type 3") != NULL);

    /* An illegal overlap: WC inside WB. */
    bios_state(&s);
    s.var[3].base = 0x40000000ull | MTRR_TYPE_WC;
    s.var[3].mask = MASK39(MB(16));
    CHECK_EQ(mtrr_validate(&s, MAXPHY, &d), E_MTRR_OVERLAP);
    CHECK(strstr(d.msg, "variable MTRRs 0 (WB") != NULL && strstr(d.msg, "3 (WC, base 0x40000000") != NULL);
    CHECK_EQ(mtrr_effective_type(&s, 0x40000000ull), MTRR_TYPE_UNDEFINED);
    CHECK_EQ(mtrr_effective_type(&s, 0x41000000ull), MTRR_TYPE_WB);

    /* Legal overlaps: WT inside WB gives WT; UC inside anything gives UC. */
    s.var[3].base = 0x40000000ull | MTRR_TYPE_WT;
    CHECK_EQ(mtrr_validate(&s, MAXPHY, &d), E_OK);
    CHECK_EQ(mtrr_effective_type(&s, 0x40000000ull), MTRR_TYPE_WT);
    /* WP inside WB is not. */
    s.var[4].base = 0x40000000ull | MTRR_TYPE_WP;
    s.var[4].mask = MASK39(MB(1));
    CHECK_EQ(mtrr_validate(&s, MAXPHY, &d), E_MTRR_OVERLAP);

    /* Reserved bits: a mask bit at or above MAXPHYADDR, a base bit in 11:8. */
    bios_state(&s);
    s.var[0].mask |= 1ull << MAXPHY;
    CHECK_EQ(mtrr_validate(&s, MAXPHY, &d), E_MTRR_MASK);
    CHECK(strstr(d.msg, "reserved bit") != NULL);
    bios_state(&s);
    s.var[1].base |= 0x100;
    CHECK_EQ(mtrr_validate(&s, MAXPHY, &d), E_MTRR_MASK);

    /* More pairs than VCNT (tampered OsMleData). */
    bios_state(&s);
    s.num_var = 11;
    CHECK_EQ(mtrr_validate(&s, MAXPHY, &d), E_MTRR_TOO_MANY);
}

/* ThinkPad X1 2-in-1 Gen 10 (study-tboot §8.11): the firmware programs
 * masks narrower than CPUID's MAXPHYADDR (base 0xc0000, mask 0x3fc0000).
 * The ones still form one run: accepted. */
TEST(mtrr_validate_narrow_firmware_masks)
{
    struct mtrr_state s = {0};
    struct diag d = {0};
    s.mtrrcap = 10;
    s.def_type = MTRR_DEF_TYPE_E | MTRR_TYPE_UC;
    s.num_var = 10;
    s.var[0].base = 0x0 | MTRR_TYPE_WB;
    s.var[0].mask = 0x3f80000000ull | MTRR_PHYSMASK_VALID; /* 2 GiB, 38 bits of 46 */
    s.var[1].base = 0xc0000 | MTRR_TYPE_UC;
    s.var[1].mask = 0x3fc0000 | MTRR_PHYSMASK_VALID; /* the report's mask: bits 18..25 */
    CHECK_EQ(mtrr_validate(&s, 46, &d), E_OK);
    CHECK_EQ(mtrr_effective_type(&s, 0xc0000), MTRR_TYPE_UC);
    CHECK_EQ(mtrr_effective_type(&s, 0x100000), MTRR_TYPE_WB);
    /* A hole inside the narrow mask is still an error. */
    s.var[1].mask = 0x3ec0000 | MTRR_PHYSMASK_VALID;
    CHECK_EQ(mtrr_validate(&s, 46, &d), E_MTRR_MASK);
}
