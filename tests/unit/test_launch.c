/* Unit tests: the measured launch (txt/launch.c, include/txt_launch.h)
 * through a fake struct txt_launch_ops over simulated memory.
 *
 * The machine: MSRs in an array (IA32_MTRRCAP with VCNT = 8 and FIX, the
 * fixed and variable MTRRs, IA32_MTRR_DEF_TYPE, IA32_MISC_ENABLE), the TXT
 * public registers in an array, a record of private-space writes and of
 * the cache disable/enable calls. GETSEC[SENTER] is a C stand-in for
 * SINIT: it checks the heap (heap_verify) and walks the MLE page table
 * (mle_pt_walk) as SINIT would, hashes the MLE through the pages it found,
 * writes SinitMleData version 8 after OsSinitData, moves the TPM 2.0 log
 * element's next_record past the records it "added", sets
 * TXT.STS.SENTER_DONE and then enters the MLE: it calls txt_post_launch
 * with EBX/ECX as SINIT passes them (on hardware SENTER never returns, so
 * the launch context still says a launch is in progress and the MTRRs are
 * still SINIT's). Failure tests tamper with memory between SINIT and the
 * post-launch entry, or make the stand-in return a TXT.ERRORCODE.
 *
 * Physical layout (everything below the low PMR is one simulated RAM range):
 *   [RAM_BASE, +4 MiB)   RAM; the low PMR is exactly this range
 *     +0x000000          Rensa's image (2 MiB): the MLE at +0x1000, the
 *                        event log at +0x80000, the launch context at +0x100000
 *     +0x200000          module 0 (the kernel)
 *     top                the MLE page table (allocated top-down)
 *   4 GiB, 64 MiB        RAM (the high PMR; not simulated, nothing goes there)
 *   HEAP_BASE, REGION_BASE  TXT heap and SINIT region (reserved, simulated) */
#include <stddef.h>
#include <stdlib.h>
#include "evlog.h"
#include "mle.h"
#include "mle_pt.h"
#include "platform.h"
#include "sha.h"
#include "sim.h"
#include "sinit.h"
#include "txt_launch.h"
#include "txt_regs.h"
#include "unit.h"

#define RAM_BASE 0x01000000ull
#define RAM_SIZE 0x00400000ull
#define IMAGE_END (RAM_BASE + 0x200000ull)
#define MLE_BASE (RAM_BASE + 0x1000ull)
#define MLE_SIZE 0x5123ull /* six pages, the last one partly */
#define MLE_PAGES 6u
#define MLE_HDR_OFF 0x40ull
#define MLE_ENTRY_OFF 0x200ull
#define EVLOG_BASE (RAM_BASE + 0x80000ull)
#define EVLOG_USED 0x3a0u /* Rensa's records before the launch */
#define SINIT_ADDED 0x1c0u /* bytes of records the stand-in SINIT "adds" */
#define CTX_PHYS (RAM_BASE + 0x100000ull)
#define KERNEL_BASE (RAM_BASE + 0x200000ull)
#define HI_BASE 0x100000000ull
#define HI_SIZE 0x4000000ull
#define HEAP_BASE 0xdf200000ull
#define HEAP_SIZE 0x10000ull
#define REGION_BASE 0xdf700000ull
#define REGION_SIZE 0x20000ull
#define SINIT_BYTES 0x5400u /* not a page multiple: the MTRRs cover 0x6000 */
#define SINIT_WB 0x6000ull
#define MAXPHY 36u
#define PT_LEN (3ull * MLE_PT_PAGE) /* PDPT, one PD, one PT */

#define MLE_CAPS (MLE_CAP_RLP_WAKE_GETSEC | MLE_CAP_RLP_WAKE_MONITOR | MLE_CAP_ECX_PGTBL | MLE_CAP_TCG_EVENT_LOG)
/* the stand-in of docs/emulated-launch.md: GETSEC and MONITOR wake-up,
 * ECX = page table, TCG event log format */
#define SINIT_CAPS 0x207u

#define SINIT_ERR_HEAP (TXT_ERR_VALID | TXT_ERR_EXTERNAL | 0x1c1u)
#define SINIT_ERR_PT (TXT_ERR_VALID | TXT_ERR_EXTERNAL | 0x2c1u)

/* The firmware's MTRRs: WB below 2 GiB and [2 GiB, 3 GiB), UC over
 * [0xdf000000, +16 MiB) (UC with WB is defined), fixed ranges WB. */
#define ORIG_DEF_TYPE (MTRR_DEF_TYPE_E | MTRR_DEF_TYPE_FE | MTRR_TYPE_UC)
#define ORIG_MISC 0x0000000000850089ull
#define SINIT_MISC_FLIP 0x0000000000400000ull /* what the stand-in changes */
#define FIXED_WB 0x0606060606060606ull
static const uint64_t orig_var[8][2] = {
    {0x000000006ull, 0xF80000800ull},
    {0x080000006ull, 0xFC0000800ull},
    {0x0DF000000ull, 0xFFF000800ull},
    {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0},
};

#define MSR_SPACE 0x420u
#define TXT_PUB_SPACE 0x1000u /* the registers Rensa reads end at TXT.E2STS, 0x8F0 */

struct priv_write {
    uint32_t reg;
    uint64_t val;
};

struct fake;
typedef void (*tamper_fn)(struct fake *f);

struct fake {
    struct rensa_ctx *ctx;
    struct sinit_result *s;
    struct txt_launch_ops ops;
    uint8_t *ram, *heap, *region;
    struct diag d;

    /* the machine */
    uint64_t msr[MSR_SPACE];
    unsigned msr_writes, msr_writes_cached; /* writes while the caches were on */
    uint64_t pub[TXT_PUB_SPACE / 8];
    struct priv_write priv[8];
    unsigned npriv;
    unsigned cache_off, cache_on;
    bool cache_disabled;

    /* what the stand-in SINIT does */
    bool enter; /* call txt_post_launch (SINIT's jump to the MLE) */
    uint32_t senter_ret; /* returned to txt_launch after the entry */
    bool no_senter_done, no_sinit_mle;
    uint32_t next_record; /* 0: first_record + SINIT_ADDED */
    paddr_t ebx, ecx; /* 0: what SINIT passes */
    tamper_fn tamper; /* after SINIT, before the post-launch entry */
    tamper_fn corrupt_pt; /* ops.after_pt_build */

    /* what was seen */
    unsigned senters, pt_builds;
    paddr_t senter_base;
    uint32_t senter_size;
    uint64_t msr_at_senter[MSR_SPACE];
    unsigned off_at_senter, on_at_senter;
    uint32_t magic_at_senter;
    enum heap_reason sinit_heap;
    enum mle_pt_reason sinit_pt;
    struct txt_heap_view view; /* SINIT's view of the heap Rensa built */
    struct txt_evlog_ptr2_1 ep_at_senter;
    paddr_t pages[16];
    uint64_t npages;
    uint8_t mle_hash[20];
    bool post_ran;
    enum rensa_err post;
    /* the other processors */
    bool init_fails; /* the local APIC does not deliver INIT */
    unsigned inits, inits_at_senter, getsec_wakeups, rlps_entered, unmasks;
    unsigned rlps_run; /* RLPs that reach _rlp_entry once woken */
    uint64_t us_at_init, us_at_senter; /* simulated time of the INIT and of SENTER */
    bool rlp_mtrr_fails; /* their MTRR restore fails */
    bool wrmsr_fails;
    paddr_t rlp_wakeup_addr; /* SinitMleData.RlpWakeupAddr */
    struct txt_mdr mdrs[8]; /* SINIT's memory descriptor records */
    unsigned nmdrs;
    struct diag post_d;
    uint64_t msr_after_post[MSR_SPACE];
    unsigned npriv_after_post;
};

/* ---------------------------------------------------------------- MSRs */

static bool msr_exists(uint32_t msr)
{
    if (msr == MSR_IA32_MTRRCAP || msr == MSR_IA32_MISC_ENABLE || msr == MSR_IA32_MTRR_DEF_TYPE)
        return true;
    if (msr == MSR_IA32_MCG_CAP || (msr >= MSR_IA32_MC_STATUS(0) - 1 && msr < MSR_IA32_MC_STATUS(0) - 1 + 4 * 4))
        return true; /* IA32_MCG_CAP, four machine-check banks (0 banks unless a test says so) */
    if (msr >= MSR_IA32_MTRR_PHYSBASE(0) && msr <= MSR_IA32_MTRR_PHYSMASK(7))
        return true;
    for (unsigned i = 0; i < MTRR_FIX_COUNT; i++)
        if (msr == mtrr_fixed_msr(i))
            return true;
    return false;
}

static bool fake_rdmsr(void *c, uint32_t msr, uint64_t *val)
{
    struct fake *f = c;
    if (!msr_exists(msr))
        return false;
    *val = f->msr[msr];
    return true;
}

static bool fake_wrmsr(void *c, uint32_t msr, uint64_t val)
{
    struct fake *f = c;
    if (!msr_exists(msr) || msr == MSR_IA32_MTRRCAP || f->wrmsr_fails)
        return false; /* #GP */
    f->msr[msr] = val;
    f->msr_writes++;
    if (!f->cache_disabled && msr != MSR_IA32_MISC_ENABLE)
        f->msr_writes_cached++;
    return true;
}

static void set_orig_msrs(uint64_t *msr)
{
    memset(msr, 0, MSR_SPACE * sizeof(*msr));
    msr[MSR_IA32_MTRRCAP] = 8 | MTRRCAP_FIX | MTRRCAP_WC;
    msr[MSR_IA32_MTRR_DEF_TYPE] = ORIG_DEF_TYPE;
    msr[MSR_IA32_MISC_ENABLE] = ORIG_MISC;
    for (unsigned i = 0; i < MTRR_FIX_COUNT; i++)
        msr[mtrr_fixed_msr(i)] = FIXED_WB;
    for (unsigned n = 0; n < 8; n++) {
        msr[MSR_IA32_MTRR_PHYSBASE(n)] = orig_var[n][0];
        msr[MSR_IA32_MTRR_PHYSMASK(n)] = orig_var[n][1];
    }
}

/* The MTRR state an MSR snapshot describes (for mtrr_effective_type). */
static struct mtrr_state state_of(const uint64_t *msr)
{
    struct mtrr_state s;
    memset(&s, 0, sizeof(s));
    s.mtrrcap = msr[MSR_IA32_MTRRCAP];
    s.def_type = msr[MSR_IA32_MTRR_DEF_TYPE];
    s.fixed_valid = true;
    for (unsigned i = 0; i < MTRR_FIX_COUNT; i++)
        s.fixed[i] = msr[mtrr_fixed_msr(i)];
    s.num_var = 8;
    for (unsigned n = 0; n < 8; n++) {
        s.var[n].base = msr[MSR_IA32_MTRR_PHYSBASE(n)];
        s.var[n].mask = msr[MSR_IA32_MTRR_PHYSMASK(n)];
    }
    return s;
}

static bool msrs_are_orig(const uint64_t *msr)
{
    uint64_t ref[MSR_SPACE];
    set_orig_msrs(ref);
    return memcmp(msr, ref, sizeof(ref)) == 0;
}

/* ---------------------------------------------------------------- registers, caches */

static uint64_t fake_pub_read(void *c, uint32_t reg)
{
    struct fake *f = c;
    return reg < TXT_PUB_SPACE ? f->pub[reg / 8] : ~0ull;
}

static void fake_priv_write(void *c, uint32_t reg, uint64_t val)
{
    struct fake *f = c;
    if (f->npriv < ARRAY_SIZE(f->priv))
        f->priv[f->npriv] = (struct priv_write){reg, val};
    f->npriv++;
}

static void fake_cache_disable(void *c)
{
    struct fake *f = c;
    f->cache_off++;
    f->cache_disabled = true;
}

static void fake_cache_enable(void *c)
{
    struct fake *f = c;
    f->cache_on++;
    f->cache_disabled = false;
}

static bool fake_init_aps(void *c)
{
    struct fake *f = c;
    f->inits++;
    f->us_at_init = sim_time_us;
    return !f->init_fails;
}

static void fake_unmask_events(void *c)
{
    struct fake *f = c;
    f->unmasks++;
}

static void fake_wakeup(void *c)
{
    struct fake *f = c;
    f->getsec_wakeups++;
}

/* The RLPs: asleep until the MONITOR word is written (when SINIT offers
 * MONITOR wake-up) or GETSEC[WAKEUP] runs; then each takes its ticket and
 * joins as _rlp_entry would. They run from the BSP's wait loop. */
static void fake_pause(void *c)
{
    struct fake *f = c;
    struct rensa_ctx *ctx = f->ctx;
    const uint8_t *w = phys_ptr(f->rlp_wakeup_addr, 4);
    uint32_t word = 0;
    if (w)
        memcpy(&word, w, 4); /* a test may give a misaligned address */
    bool monitor = (f->s->cand[0].acm.info.capabilities & MLE_CAP_RLP_WAKE_MONITOR) && word;
    if (f->rlps_entered || !(monitor || f->getsec_wakeups))
        return;
    for (unsigned i = 0; i < f->rlps_run; i++) {
        f->rlps_entered++;
        ctx->rlp.ticket++;
        f->wrmsr_fails = f->rlp_mtrr_fails;
        CHECK_EQ(txt_rlp_join(ctx, &f->ops), !f->rlp_mtrr_fails);
        f->wrmsr_fails = false;
    }
}

static void fake_after_pt_build(void *c, void *pt, paddr_t pt_phys)
{
    struct fake *f = c;
    f->pt_builds++;
    CHECK(pt == phys_ptr(pt_phys, PT_LEN));
    if (f->corrupt_pt)
        f->corrupt_pt(f);
}

/* ---------------------------------------------------------------- the stand-in SINIT */

static uint64_t *pte(struct fake *f, unsigned i)
{
    return (uint64_t *)sim_at(f->ctx->launch.ptab + 2 * MLE_PT_PAGE + 8ull * i);
}

/* Rensa's RLP code as the linker would place it. */
#define RLP_GDT (MLE_BASE + 0x800ull)
#define RLP_ENTRY (MLE_BASE + 0x900ull)
static const uint8_t real16[] = {0xb8, 0x10, 0x00, 0x8e, 0xd8, 0xea, 0x00, 0x00, 0x00, 0x00, 0x31, 0xc0};
#define S3_ENTRY (MLE_BASE + 0xa00ull)
static const uint8_t wake16[] = {0xfa, 0xfc, 0xb8, 0x00, 0x00, 0x8e, 0xd8};
static const struct txt_rlp_code rlp_code = {RLP_GDT, 23, RLP_ENTRY, real16, sizeof(real16), 10,
                                             wake16, sizeof(wake16), 3, S3_ENTRY};

static uint32_t fake_senter(void *c, paddr_t base, uint32_t size)
{
    struct fake *f = c;
    struct rensa_ctx *ctx = f->ctx;
    f->senters++;
    f->senter_base = base;
    f->senter_size = size;
    memcpy(f->msr_at_senter, f->msr, sizeof(f->msr));
    f->off_at_senter = f->cache_off;
    f->on_at_senter = f->cache_on;
    f->magic_at_senter = ctx->launch.magic;
    f->inits_at_senter = f->inits;
    f->us_at_senter = sim_time_us;

    /* What Rensa built: the heap, then the page table from OsSinitData. */
    struct diag d;
    f->sinit_heap = heap_verify(f->heap, f->s->heap_size, 0, &f->view, &d);
    if (f->sinit_heap != HEAP_OK)
        return SINIT_ERR_HEAP;
    if (f->view.evlog == TXT_EVLOG_TPM20)
        memcpy(&f->ep_at_senter, f->heap + f->view.evlog_elem_off, sizeof(f->ep_at_senter));
    const struct txt_os_sinit_data *o = &f->view.os_sinit;
    struct mle_pt_mem mem = {mle_pt_phys_map, NULL};
    f->sinit_pt = mle_pt_walk(&mem, o->mle_ptab, o->mle_size, f->pages, ARRAY_SIZE(f->pages), &f->npages, &d);
    if (f->sinit_pt != MLE_PT_OK)
        return SINIT_ERR_PT;

    /* The measurement: mle_size bytes from linear 0, page by page. */
    struct hash_ctx h;
    hash_init(&h, HASH_SHA1);
    uint64_t left = o->mle_size;
    for (uint64_t i = 0; i < f->npages && left; i++) {
        uint64_t n = left < MLE_PT_PAGE ? left : MLE_PT_PAGE;
        hash_update(&h, sim_at(f->pages[i]), (size_t)n);
        left -= n;
    }
    hash_final(&h, f->mle_hash);

    /* SinitMleData version 8 after OsSinitData, no MDRs, no DMAR copy. */
    if (!f->no_sinit_mle) {
        struct txt_sinit_mle_data sm;
        memset(&sm, 0, sizeof(sm));
        sm.version = 8;
        memset(sm.bios_acm_id, 0xb1, sizeof(sm.bios_acm_id));
        hash_buffer(HASH_SHA1, f->region, SINIT_BYTES, sm.sinit_hash);
        memcpy(sm.mle_hash, f->mle_hash, 20);
        sm.lcp_policy_control = 1u << 2;
        sm.mdrs_off = 8 + sizeof(sm);
        sm.proc_scrtm_status = 1;
        sm.rlp_wakeup_addr = (uint32_t)f->rlp_wakeup_addr;
        sm.num_mdrs = f->nmdrs;
        uint64_t sz = 8 + sizeof(sm) + f->nmdrs * sizeof(struct txt_mdr);
        memcpy(f->heap + f->view.sinit_mle_off, &sz, 8);
        memcpy(f->heap + f->view.sinit_mle_off + 8, &sm, sizeof(sm));
        memcpy(f->heap + f->view.sinit_mle_off + 8 + sizeof(sm), f->mdrs, f->nmdrs * sizeof(struct txt_mdr));
    }
    /* The records SINIT adds to the TPM 2.0 log. */
    if (f->view.evlog == TXT_EVLOG_TPM20) {
        struct txt_evlog_ptr2_1 ep = f->ep_at_senter;
        ep.next_record = f->next_record ? f->next_record : ep.first_record + SINIT_ADDED;
        memcpy(f->heap + f->view.evlog_elem_off, &ep, sizeof(ep));
    }
    f->msr[MSR_IA32_MISC_ENABLE] ^= SINIT_MISC_FLIP;
    if (!f->no_senter_done)
        f->pub[TXT_STS / 8] |= TXT_STS_SENTER_DONE | TXT_STS_PRIVATE_OPEN;

    if (f->tamper)
        f->tamper(f);
    if (f->enter) {
        paddr_t ebx = f->ebx ? f->ebx : ctx->mle_base + ctx->mle_entry_off;
        paddr_t ecx = f->ecx ? f->ecx : o->mle_ptab;
        memset(&f->post_d, 0, sizeof(f->post_d));
        f->post = txt_post_launch(ctx, &f->ops, &rlp_code, ebx, ecx, &f->post_d);
        f->post_ran = true;
        memcpy(f->msr_after_post, f->msr, sizeof(f->msr));
        f->npriv_after_post = f->npriv;
    }
    return f->senter_ret;
}

/* ---------------------------------------------------------------- setup */

/* BiosData version 4 at the heap start: one logical processor, END. */
static void bios_data(struct fake *f, uint32_t procs)
{
    struct txt_bios_data b;
    memset(&b, 0, sizeof(b));
    b.version = 4;
    b.num_logical_procs = procs;
    uint64_t size = 8 + sizeof(b) + 8;
    memcpy(f->heap, &size, 8);
    memcpy(f->heap + 8, &b, sizeof(b));
    struct txt_ext_elem end = {TXT_EXT_END, 8};
    memcpy(f->heap + 8 + sizeof(b), &end, sizeof(end));
    f->s->bios = b;
}

/* The context as rensa_main leaves it before launch(): the memory map,
 * claim_memory's reservations, the MLE from the linker script, a TPM 2.0
 * whose log holds Rensa's records; and sinit_select's result. */
static void fake_init(struct fake *f)
{
    sim_reset();
    memset(f, 0, sizeof(*f));
    f->ram = sim_map(RAM_BASE, RAM_SIZE);
    f->heap = sim_map(HEAP_BASE, HEAP_SIZE);
    f->region = sim_map(REGION_BASE, REGION_SIZE);
    _Static_assert(sizeof(struct rensa_ctx) <= IMAGE_END - CTX_PHYS, "the context fits Rensa's image");
    f->ctx = sim_at(CTX_PHYS);
    f->s = calloc(1, sizeof(*f->s));

    struct rensa_ctx *ctx = f->ctx;
    struct diag d;
    CHECK_EQ(memmap_add(&ctx->bi.mmap, RAM_BASE, RAM_SIZE, E820_RAM, &d), E_OK);
    CHECK_EQ(memmap_add(&ctx->bi.mmap, 0xdf000000ull, 0x1000000ull, E820_RESERVED, &d), E_OK);
    CHECK_EQ(memmap_add(&ctx->bi.mmap, HI_BASE, HI_SIZE, E820_RAM, &d), E_OK);
    memmap_normalize(&ctx->bi.mmap);
    ctx->image_base = RAM_BASE;
    ctx->image_end = IMAGE_END;
    ctx->bi.mods[0] = (struct boot_module){KERNEL_BASE, KERNEL_BASE + 0x1000, "vmlinuz"};
    ctx->bi.mod_count = 1;
    /* claim_memory */
    ctx->alloc.ram = &ctx->bi.mmap;
    ctx->handoff = ctx->bi.mmap;
    CHECK_EQ(ctx_reserve(ctx, ctx->image_base, ctx->image_end - ctx->image_base, "Rensa"), E_OK);
    CHECK_EQ(alloc_mark_busy(&ctx->alloc, KERNEL_BASE, 0x1000, "vmlinuz", &d), E_OK);

    ctx->mle_base = MLE_BASE;
    ctx->mle_size = MLE_SIZE;
    ctx->mle_hdr_off = MLE_HDR_OFF;
    ctx->mle_entry_off = MLE_ENTRY_OFF;
    ctx->mle_caps = MLE_CAPS;
    ctx->evlog_base = EVLOG_BASE;
    ctx->evlog_used = EVLOG_USED;
    ctx->tpm_present = true;
    ctx->tpm.family = TPM_FAMILY_20;
    ctx->opt.pcr_map = PCR_MAP_LEGACY;
    uint8_t *mle = sim_at(MLE_BASE);
    for (unsigned i = 0; i < MLE_SIZE; i++)
        mle[i] = (uint8_t)(i * 7u + (i >> 9));

    struct sinit_result *s = f->s;
    s->heap_base = HEAP_BASE;
    s->heap_size = HEAP_SIZE;
    s->region = (struct acm_region){REGION_BASE, REGION_SIZE, 0};
    s->n = 1;
    s->choice.chosen = 0;
    s->cand[0].acm.hdr.size = SINIT_BYTES / 4;
    s->cand[0].acm.info.capabilities = SINIT_CAPS;
    s->os_sinit_ver = 7;
    bios_data(f, 1);
    for (unsigned i = 0; i < SINIT_BYTES; i++)
        f->region[i] = (uint8_t)(i ^ 0x5a);

    set_orig_msrs(f->msr);
    f->ops.mtrr = (struct mtrr_ops){fake_rdmsr, fake_wrmsr, f, MAXPHY};
    f->ops.ctx = f;
    f->ops.pub_read = fake_pub_read;
    f->ops.priv_write = fake_priv_write;
    f->ops.cache_disable = fake_cache_disable;
    f->ops.cache_enable = fake_cache_enable;
    f->ops.senter = fake_senter;
    f->ops.after_pt_build = fake_after_pt_build;
    f->ops.init_aps = fake_init_aps;
    f->ops.wakeup = fake_wakeup;
    f->ops.pause = fake_pause;
    f->ops.unmask_events = fake_unmask_events;
    f->rlp_wakeup_addr = REGION_BASE + SINIT_WB; /* a word in the SINIT region, past the module */
}

/* Conventional memory for the RLPs' real-mode page. */
#define LOW_BASE 0x10000ull
#define LOW_SIZE 0x90000ull
static void low_ram(struct fake *f)
{
    struct diag d;
    CHECK(sim_map(LOW_BASE, LOW_SIZE) != NULL);
    CHECK_EQ(memmap_add(&f->ctx->bi.mmap, LOW_BASE, LOW_SIZE, E820_RAM, &d), E_OK);
    memmap_normalize(&f->ctx->bi.mmap);
    f->ctx->handoff = f->ctx->bi.mmap;
    CHECK_EQ(ctx_reserve(f->ctx, f->ctx->image_base, f->ctx->image_end - f->ctx->image_base, "Rensa"), E_OK);
}

static void fake_free(struct fake *f)
{
    free(f->s);
}

static enum rensa_err launch(struct fake *f)
{
    memset(&f->d, 0, sizeof(f->d));
    return txt_launch(f->ctx, f->s, &f->ops, &f->d);
}

/* Nothing of the launch happened: no MTRR write, no SENTER. */
static void check_untouched(struct fake *f)
{
    CHECK_EQ(f->senters, 0);
    CHECK_EQ(f->msr_writes, 0);
    CHECK_EQ(f->cache_off, 0);
    CHECK_EQ(f->cache_on, 0);
    CHECK(msrs_are_orig(f->msr));
    CHECK_EQ(f->ctx->launch.magic, 0);
    CHECK_EQ(f->npriv, 0);
    CHECK(!f->ctx->drtm);
}

/* ---------------------------------------------------------------- txt_launch */

TEST(launch_builds_heap_pt_mtrrs_then_senter)
{
    struct fake f;
    fake_init(&f);
    struct rensa_ctx *ctx = f.ctx;
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR); /* SENTER "returned" */
    CHECK_EQ(f.d.code, E_TXT_SINIT_ERROR);
    CHECK(strstr(f.d.msg, "TXT.ERRORCODE 0x00000000") != NULL);
    CHECK_EQ(f.senters, 1);
    CHECK_EQ(f.pt_builds, 1);
    CHECK_EQ(f.senter_base, REGION_BASE);
    CHECK_EQ(f.senter_size, SINIT_BYTES);
    CHECK_EQ(f.magic_at_senter, TXT_LAUNCH_MAGIC);
    CHECK_EQ(ctx->launch.magic, 0); /* SENTER returned: no launch in progress */

    /* the page table: top of the low PMR's free RAM, reserved for the OS */
    paddr_t pt = ctx->launch.ptab;
    CHECK_EQ(pt, RAM_BASE + RAM_SIZE - PT_LEN);
    CHECK(pt >= RAM_BASE && pt + PT_LEN <= RAM_BASE + RAM_SIZE);
    CHECK(memmap_covers(&ctx->handoff, pt, PT_LEN, E820_RESERVED));
    CHECK(!memmap_covers(&ctx->handoff, pt - MLE_PT_PAGE, MLE_PT_PAGE, E820_RESERVED));
    const struct busy_range *b = alloc_overlap(&ctx->alloc, pt, PT_LEN);
    CHECK(b && strcmp(b->what, "MLE page table") == 0 && b->base == pt && b->len == PT_LEN);
    /* SINIT walked it to the MLE's pages, in order, and measured the MLE */
    CHECK_EQ(f.sinit_heap, HEAP_OK);
    CHECK_EQ(f.sinit_pt, MLE_PT_OK);
    CHECK_EQ(f.npages, MLE_PAGES);
    for (unsigned i = 0; i < MLE_PAGES && i < f.npages; i++)
        CHECK_EQ(f.pages[i], MLE_BASE + i * 0x1000ull);
    uint8_t want[20];
    hash_buffer(HASH_SHA1, sim_at(MLE_BASE), MLE_SIZE, want);
    CHECK(memcmp(f.mle_hash, want, 20) == 0);

    /* OsMleData: the context and the MTRRs as the firmware left them */
    const struct txt_heap_view *v = &f.view;
    CHECK_EQ(v->os_mle.magic, TXT_OS_MLE_MAGIC);
    CHECK_EQ(v->os_mle.ctx_phys, CTX_PHYS);
    CHECK_EQ(v->os_mle.ctx_phys, ptr_phys(ctx));
    CHECK_EQ(v->os_mle.misc_enable, ORIG_MISC);
    CHECK_EQ(v->os_mle.mtrr.def_type, ORIG_DEF_TYPE);
    CHECK_EQ(v->os_mle.mtrr.num_var, 8);
    for (unsigned n = 0; n < 8; n++) {
        CHECK_EQ(v->os_mle.mtrr.var[n].base, orig_var[n][0]);
        CHECK_EQ(v->os_mle.mtrr.var[n].mask, orig_var[n][1]);
    }
    for (unsigned n = 8; n < TXT_MTRR_VAR_MAX; n++)
        CHECK(v->os_mle.mtrr.var[n].base == 0 && v->os_mle.mtrr.var[n].mask == 0);

    /* OsSinitData version 7 with the TPM 2.0 log element, then END */
    const struct txt_os_sinit_data *o = &v->os_sinit;
    CHECK_EQ(o->version, 7);
    CHECK_EQ(o->flags, 0);
    CHECK_EQ(o->mle_ptab, pt);
    CHECK_EQ(o->mle_size, MLE_SIZE);
    CHECK_EQ(o->mle_hdr_base, MLE_HDR_OFF);
    CHECK_EQ(o->vtd_pmr_lo_base, RAM_BASE);
    CHECK_EQ(o->vtd_pmr_lo_size, RAM_SIZE);
    CHECK_EQ(o->vtd_pmr_hi_base, HI_BASE);
    CHECK_EQ(o->vtd_pmr_hi_size, HI_SIZE);
    CHECK_EQ(o->lcp_po_base, 0);
    CHECK_EQ(o->efi_rsdt_ptr, 0);
    CHECK_EQ(o->capabilities, MLE_CAP_RLP_WAKE_MONITOR | MLE_CAP_ECX_PGTBL | MLE_CAP_TCG_EVENT_LOG);
    CHECK_EQ(ctx->launch.caps, o->capabilities);
    CHECK_EQ(v->n_os_sinit_ext, 1);
    CHECK_EQ(v->evlog, TXT_EVLOG_TPM20);
    CHECK_EQ(f.ep_at_senter.phys, EVLOG_BASE);
    CHECK_EQ(f.ep_at_senter.allocated_size, EVLOG_SIZE);
    CHECK_EQ(f.ep_at_senter.first_record, EVLOG_USED);
    CHECK_EQ(f.ep_at_senter.next_record, EVLOG_USED);
    CHECK_EQ(v->os_sinit_off + v->os_sinit_size, v->sinit_mle_off);

    /* the MTRRs at SENTER: mtrr_plan_sinit's, written with the caches off */
    struct mtrr_state plan;
    struct diag d;
    CHECK_EQ(mtrr_plan_sinit(REGION_BASE, SINIT_WB, MAXPHY, 8, &plan, &d), E_OK);
    const uint64_t *m = f.msr_at_senter;
    CHECK_EQ(m[MSR_IA32_MTRR_DEF_TYPE], plan.def_type);
    CHECK_EQ(m[MSR_IA32_MTRR_DEF_TYPE], MTRR_DEF_TYPE_E | MTRR_TYPE_UC);
    for (unsigned n = 0; n < 8; n++) {
        CHECK_EQ(m[MSR_IA32_MTRR_PHYSBASE(n)], plan.var[n].base);
        CHECK_EQ(m[MSR_IA32_MTRR_PHYSMASK(n)], plan.var[n].mask);
    }
    for (unsigned i = 0; i < MTRR_FIX_COUNT; i++)
        CHECK_EQ(m[mtrr_fixed_msr(i)], FIXED_WB); /* off (FE = 0), contents untouched */
    CHECK_EQ(m[MSR_IA32_MISC_ENABLE], ORIG_MISC);
    struct mtrr_state at = state_of(m);
    CHECK_EQ(mtrr_effective_type(&at, REGION_BASE), MTRR_TYPE_WB);
    CHECK_EQ(mtrr_effective_type(&at, REGION_BASE + SINIT_BYTES - 1), MTRR_TYPE_WB);
    CHECK_EQ(mtrr_effective_type(&at, REGION_BASE + SINIT_WB - 1), MTRR_TYPE_WB);
    CHECK_EQ(mtrr_effective_type(&at, REGION_BASE + SINIT_WB), MTRR_TYPE_UC);
    CHECK_EQ(mtrr_effective_type(&at, REGION_BASE - 1), MTRR_TYPE_UC);
    CHECK_EQ(mtrr_effective_type(&at, MLE_BASE), MTRR_TYPE_UC);
    CHECK_EQ(mtrr_effective_type(&at, 0x10000), MTRR_TYPE_UC); /* fixed ranges off */
    CHECK_EQ(f.off_at_senter, 1);
    CHECK_EQ(f.on_at_senter, 1);

    /* after SENTER returned: the firmware's MTRRs back, caches on */
    CHECK_EQ(f.msr[MSR_IA32_MISC_ENABLE], ORIG_MISC); /* restored too */
    CHECK(msrs_are_orig(f.msr));
    CHECK_EQ(f.cache_off, 2);
    CHECK_EQ(f.cache_on, 2);
    CHECK(!f.cache_disabled);
    CHECK_EQ(f.msr_writes_cached, 0);
    CHECK_EQ(f.npriv, 0);
    CHECK(!ctx->drtm);
    fake_free(&f);
}

TEST(launch_tpm12_no_log_element)
{
    struct fake f;
    fake_init(&f);
    f.ctx->tpm.family = TPM_FAMILY_12;
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK_EQ(f.sinit_heap, HEAP_OK);
    CHECK_EQ(f.view.os_sinit.version, 7);
    CHECK_EQ(f.view.evlog, TXT_EVLOG_NONE);
    CHECK_EQ(f.view.n_os_sinit_ext, 0);
    CHECK_EQ(f.view.os_sinit_size, 8 + heap_os_sinit_size(7, TXT_EVLOG_NONE));
    fake_free(&f);

    /* SINIT that takes version 6: fine for TPM 1.2 */
    fake_init(&f);
    f.ctx->tpm.family = TPM_FAMILY_12;
    f.s->os_sinit_ver = 6;
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK_EQ(f.senters, 1);
    CHECK_EQ(f.view.os_sinit.version, 6);
    CHECK_EQ(f.view.evlog, TXT_EVLOG_NONE);
    fake_free(&f);
}

static void corrupt_first_pte(struct fake *f)
{
    *pte(f, 1) &= ~MLE_PT_P; /* a hole: SINIT refuses the table */
}

TEST(launch_sinit_error_restores_mtrrs)
{
    struct fake f;
    fake_init(&f);
    f.corrupt_pt = corrupt_first_pte;
    f.enter = true;
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK_EQ(f.sinit_pt, MLE_PT_R_NOT_PRESENT);
    CHECK(!f.post_ran); /* SINIT did not enter the MLE */
    char want[48];
    snprintf(want, sizeof(want), "TXT.ERRORCODE 0x%08x", SINIT_ERR_PT);
    CHECK(strstr(f.d.msg, want) != NULL);
    CHECK(msrs_are_orig(f.msr));
    CHECK_EQ(f.cache_off, 2);
    CHECK_EQ(f.cache_on, 2);
    CHECK_EQ(f.ctx->launch.magic, 0);
    CHECK(!f.ctx->drtm);
    CHECK_EQ(f.npriv, 0);
    fake_free(&f);
}

/* ---------------------------------------------------------------- pre-launch failures */

TEST(launch_inits_the_other_processors_before_senter)
{
    struct fake f;
    fake_init(&f);
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK_EQ(f.inits, 0); /* one processor: nobody to INIT */
    fake_free(&f);
    fake_init(&f);
    bios_data(&f, 4);
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK_EQ(f.inits_at_senter, 1);
    CHECK(f.us_at_senter - f.us_at_init >= 10000); /* the SDM's 10 ms after INIT, on the calibrated clock */
    CHECK_EQ(f.senters, 1);
    fake_free(&f);
}

TEST(launch_refuses_when_init_is_not_delivered)
{
    struct fake f;
    fake_init(&f);
    bios_data(&f, 2);
    f.init_fails = true;
    CHECK_EQ(launch(&f), E_TXT_RLP);
    CHECK(strstr(f.d.msg, "did not deliver INIT") != NULL);
    check_untouched(&f);
    fake_free(&f);
}

TEST(launch_refuses_more_processors_than_it_can_park)
{
    struct fake f;
    fake_init(&f);
    bios_data(&f, RLP_MAX + 2);
    CHECK_EQ(launch(&f), E_TXT_RLP);
    check_untouched(&f);
    CHECK_EQ(f.inits, 0);
    fake_free(&f);
    fake_init(&f);
    bios_data(&f, RLP_MAX + 1);
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    fake_free(&f);
}

TEST(launch_refuses_with_a_machine_check_logged)
{
    struct fake f;
    fake_init(&f);
    f.msr[MSR_IA32_MCG_CAP] = 3;
    f.msr[MSR_IA32_MC_STATUS(1)] = 0x8000000000000001ull;
    unsigned busy = f.ctx->alloc.nbusy;
    CHECK_EQ(launch(&f), E_TXT_MCE);
    CHECK(strstr(f.d.msg, "bank 1") != NULL);
    CHECK_EQ(f.senters, 0);
    CHECK_EQ(f.msr_writes, 0);
    CHECK_EQ(f.cache_off, 0);
    CHECK_EQ(f.npriv, 0);
    CHECK_EQ(f.ctx->launch.magic, 0);
    CHECK_EQ(f.ctx->alloc.nbusy, busy);
    fake_free(&f);
    /* a bank without VAL does not stop the launch */
    fake_init(&f);
    f.msr[MSR_IA32_MCG_CAP] = 3;
    f.msr[MSR_IA32_MC_STATUS(2)] = 0x4000000000000000ull;
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK_EQ(f.senters, 1);
    fake_free(&f);
}

TEST(launch_refuses_tpm20_with_os_sinit_6)
{
    struct fake f;
    fake_init(&f);
    f.s->os_sinit_ver = 6;
    unsigned busy = f.ctx->alloc.nbusy;
    CHECK_EQ(launch(&f), E_TXT_HEAP_VERSION);
    CHECK(strstr(f.d.msg, "version 6") != NULL);
    check_untouched(&f);
    CHECK_EQ(f.ctx->alloc.nbusy, busy);
    fake_free(&f);
}

TEST(launch_heap_too_small)
{
    struct fake f;
    fake_init(&f);
    /* BiosData 52, OsMleData 8 + 296, OsSinitData 8 + 128: 1 byte short of
     * SinitMleData's reserve */
    uint64_t need = 52 + 8 + sizeof(struct txt_os_mle_data) + 8 + heap_os_sinit_size(7, TXT_EVLOG_TPM20) +
                    TXT_HEAP_SINIT_MLE_RESERVE;
    f.s->heap_size = need - 1;
    CHECK_EQ(launch(&f), E_TXT_HEAP_SIZE);
    CHECK(strncmp(f.d.msg, "HEAP_R_HEAP_SMALL: ", 19) == 0);
    check_untouched(&f);
    fake_free(&f);

    fake_init(&f);
    f.s->heap_size = need; /* exactly enough */
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK_EQ(f.senters, 1);
    CHECK_EQ(f.sinit_heap, HEAP_OK);
    fake_free(&f);
}

TEST(launch_no_ram_for_page_table)
{
    struct fake f;
    fake_init(&f);
    struct diag d;
    /* an initrd fills the low PMR's RAM up to two pages from its end */
    paddr_t from = KERNEL_BASE + 0x1000;
    CHECK_EQ(alloc_mark_busy(&f.ctx->alloc, from, RAM_BASE + RAM_SIZE - 2 * MLE_PT_PAGE - from, "initrd", &d), E_OK);
    CHECK_EQ(launch(&f), E_NO_MEMORY);
    CHECK(strstr(f.d.msg, "MLE page table") != NULL);
    check_untouched(&f);
    CHECK_EQ(f.pt_builds, 0);
    fake_free(&f);
}

TEST(launch_no_sinit_chosen)
{
    struct fake f;
    fake_init(&f);
    f.s->choice.chosen = -1;
    CHECK_EQ(launch(&f), E_TXT_ARG);
    check_untouched(&f);
    fake_free(&f);
}

/* ---------------------------------------------------------------- txt_post_launch */

TEST(post_launch_verifies_and_restores)
{
    struct fake f;
    fake_init(&f);
    f.enter = true;
    struct rensa_ctx *ctx = f.ctx;
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK(f.post_ran);
    CHECK_EQ(f.post, E_OK);
    CHECK_EQ(f.post_d.code, E_OK);
    CHECK(ctx->drtm);
    /* SECRETS, then locality 1 */
    CHECK_EQ(f.npriv_after_post, 2);
    CHECK_EQ(f.priv[0].reg, TXT_CMD_SECRETS);
    CHECK_EQ(f.priv[0].val, 1);
    CHECK_EQ(f.priv[1].reg, TXT_CMD_OPEN_LOCALITY1);
    CHECK_EQ(f.priv[1].val, 1);
    /* the firmware's MTRRs and IA32_MISC_ENABLE (which SINIT changed) */
    CHECK(msrs_are_orig(f.msr_after_post));
    CHECK_EQ(f.cache_off, 3); /* plan, post-launch restore, txt_launch's restore */
    CHECK_EQ(f.cache_on, 3);
    CHECK_EQ(f.msr_writes_cached, 0);
    /* what SINIT left */
    CHECK_EQ(ctx->evlog_used, EVLOG_USED + SINIT_ADDED);
    CHECK_EQ(ctx->sinit_mle.version, 8);
    CHECK(memcmp(ctx->sinit_mle.mle_hash, f.mle_hash, 20) == 0);
    CHECK_EQ(ctx->launch.caps, f.view.os_sinit.capabilities);
    CHECK_EQ(ctx->launch.magic, 0);
    fake_free(&f);
}

TEST(post_launch_tpm12_keeps_evlog_used)
{
    struct fake f;
    fake_init(&f);
    f.enter = true;
    f.ctx->tpm.family = TPM_FAMILY_12;
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK_EQ(f.post, E_OK);
    CHECK(f.ctx->drtm);
    CHECK_EQ(f.ctx->evlog_used, EVLOG_USED);
    fake_free(&f);
}

TEST(post_launch_reserves_ram_outside_the_pmrs)
{
    struct fake f;
    fake_init(&f);
    f.enter = true;
    struct rensa_ctx *ctx = f.ctx;
    /* 512 KiB of RAM past the last whole 2 MiB below 4 GiB: the low PMR
     * leaves it out, so after the launch nobody may use it */
    struct diag d;
    paddr_t left = RAM_BASE + RAM_SIZE;
    CHECK_EQ(memmap_add(&ctx->bi.mmap, left, 0x80000, E820_RAM, &d), E_OK);
    memmap_normalize(&ctx->bi.mmap);
    ctx->handoff = ctx->bi.mmap;
    CHECK_EQ(memmap_set(&ctx->handoff, RAM_BASE, IMAGE_END - RAM_BASE, E820_RESERVED, &d), E_OK);
    sim_map(left, 0x80000);
    CHECK(memmap_covers(&ctx->handoff, left, 0x80000, E820_RAM));
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK_EQ(f.post, E_OK);
    CHECK(memmap_covers(&ctx->handoff, left, 0x80000, E820_RESERVED));
    CHECK(memmap_covers(&ctx->bi.mmap, left, 0x80000, E820_RESERVED));
    fake_free(&f);
}

/* One failure: the launch, SINIT, the tamper, the entry; the post-launch
 * pass must fail with err and a message containing text, and must not
 * open secrets or locality 1. */
static void post_fails(struct fake *f, enum rensa_err err, const char *text)
{
    f->enter = true;
    CHECK_EQ(launch(f), E_TXT_SINIT_ERROR);
    CHECK(f->post_ran);
    CHECK_EQ(f->post, err);
    CHECK_EQ(f->post_d.code, err);
    if (!strstr(f->post_d.msg, text)) {
        fprintf(stderr, "  post-launch said \"%s\", expected \"%s\"\n", f->post_d.msg, text);
        unit_failures++;
    }
    CHECK_EQ(f->npriv_after_post, 0);
    CHECK(!f->ctx->drtm);
    /* SINIT's records are adopted (step f) only after the checks before it */
    if (err != E_MTRR_MSR)
        CHECK_EQ(f->ctx->evlog_used, EVLOG_USED);
}

/* A fresh launch whose memory tamper changes between SINIT and the
 * post-launch entry: post_fails with err and text. */
static void post_tampered(tamper_fn tamper, enum rensa_err err, const char *text)
{
    struct fake f;
    fake_init(&f);
    f.tamper = tamper;
    post_fails(&f, err, text);
    fake_free(&f);
}

static void clear_magic(struct fake *f)
{
    f->ctx->launch.magic = 0;
}

TEST(post_launch_magic_missing)
{
    post_tampered(clear_magic, E_POST_LAUNCH, "does not hold a launch in progress");

    /* the post-launch entry reached after SENTER "returned" */
    struct fake f;
    fake_init(&f);
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    struct diag d;
    memset(&d, 0, sizeof(d));
    CHECK_EQ(txt_post_launch(f.ctx, &f.ops, &rlp_code, MLE_BASE + MLE_ENTRY_OFF, f.ctx->launch.ptab, &d), E_POST_LAUNCH);
    CHECK_EQ(f.npriv, 0);
    CHECK(!f.ctx->drtm);
    fake_free(&f);
}

TEST(post_launch_senter_done_clear)
{
    struct fake f;
    fake_init(&f);
    f.no_senter_done = true;
    post_fails(&f, E_POST_LAUNCH, "SENTER_DONE is not set");
    fake_free(&f);
}

TEST(post_launch_wrong_ebx)
{
    struct fake f;
    fake_init(&f);
    f.ebx = MLE_BASE + MLE_ENTRY_OFF + 0x10;
    post_fails(&f, E_TXT_MLE_ENTRY, "(EBX)");
    fake_free(&f);

    fake_init(&f);
    f.ebx = MLE_BASE; /* the MLE start, not its entry */
    post_fails(&f, E_TXT_MLE_ENTRY, "not at the MLE entry");
    fake_free(&f);
}

TEST(post_launch_wrong_ecx)
{
    struct fake f;
    fake_init(&f);
    f.ecx = RAM_BASE + RAM_SIZE - PT_LEN - MLE_PT_PAGE;
    post_fails(&f, E_TXT_MLE_ENTRY, "ECX gives the MLE page table");
    fake_free(&f);
}

static void touch_pte(struct fake *f)
{
    *pte(f, 3) |= 1ull << 5; /* the accessed bit of the fourth page */
}

static void extra_pte(struct fake *f)
{
    *pte(f, MLE_PAGES) = (MLE_BASE + MLE_PAGES * 0x1000ull) | MLE_PT_P; /* one page past the MLE */
}

TEST(post_launch_page_table_changed)
{
    post_tampered(touch_pte, E_TXT_PT_MALFORMED, "changed during the launch");
    post_tampered(extra_pte, E_TXT_PT_MALFORMED, "changed during the launch");
}

static void bad_sinit_mle_version(struct fake *f)
{
    uint32_t five = 5;
    memcpy(f->heap + f->view.sinit_mle_off + 8, &five, 4);
}

static void heap_region_past_end(struct fake *f)
{
    uint64_t big = HEAP_SIZE; /* OsMleData's size field runs past the heap */
    memcpy(f->heap + f->view.os_mle_off, &big, 8);
}

TEST(post_launch_heap_malformed)
{
    struct fake f;
    /* SINIT wrote no SinitMleData: heap_build's zero size field */
    fake_init(&f);
    f.no_sinit_mle = true;
    post_fails(&f, E_TXT_HEAP_MALFORMED, "HEAP_R_REGION_SIZE: SinitMleData");
    fake_free(&f);

    post_tampered(bad_sinit_mle_version, E_TXT_HEAP_VERSION, "HEAP_R_SINIT_MLE_VERSION: ");
    post_tampered(heap_region_past_end, E_TXT_HEAP_MALFORMED, "HEAP_R_REGION_SIZE: OsMleData");
}

static void os_sinit_caps_changed(struct fake *f)
{
    uint32_t caps = f->view.os_sinit.capabilities | MLE_CAP_RLP_WAKE_GETSEC;
    memcpy(f->heap + f->view.os_sinit_off + 8 + offsetof(struct txt_os_sinit_data, capabilities), &caps, 4);
}

static void os_sinit_ptab_changed(struct fake *f)
{
    uint64_t pt = f->view.os_sinit.mle_ptab - MLE_PT_PAGE;
    memcpy(f->heap + f->view.os_sinit_off + 8 + offsetof(struct txt_os_sinit_data, mle_ptab), &pt, 8);
}

static void os_sinit_size_changed(struct fake *f)
{
    uint64_t sz = MLE_SIZE - 0x100;
    memcpy(f->heap + f->view.os_sinit_off + 8 + offsetof(struct txt_os_sinit_data, mle_size), &sz, 8);
}

static void os_mle_ctx_changed(struct fake *f)
{
    uint64_t p = CTX_PHYS + 0x1000;
    memcpy(f->heap + f->view.os_mle_off + 8 + offsetof(struct txt_os_mle_data, ctx_phys), &p, 8);
}

TEST(post_launch_os_sinit_data_changed)
{
    static const tamper_fn t[] = {os_sinit_caps_changed, os_sinit_ptab_changed, os_sinit_size_changed,
                                  os_mle_ctx_changed};
    for (unsigned i = 0; i < ARRAY_SIZE(t); i++)
        post_tampered(t[i], E_TXT_HEAP_MALFORMED, "no longer hold what Rensa wrote");
}

static void mle_byte_changed(struct fake *f)
{
    (void)f;
    ((uint8_t *)sim_at(MLE_BASE))[MLE_SIZE - 1] ^= 1; /* the last measured byte */
}

TEST(post_launch_mle_changed_after_measurement)
{
    post_tampered(mle_byte_changed, E_TXT_MLE_HASH, "not the SHA-1 of the MLE");
}

TEST(launch_module_outside_pmr)
{
    struct fake f;
    fake_init(&f);
    struct rensa_ctx *ctx = f.ctx;
    /* RAM past the last whole 2 MiB below 4 GiB: left out of the low PMR */
    struct diag d;
    paddr_t left = RAM_BASE + RAM_SIZE;
    CHECK_EQ(memmap_add(&ctx->bi.mmap, left, 0x80000, E820_RAM, &d), E_OK);
    memmap_normalize(&ctx->bi.mmap);
    ctx->handoff = ctx->bi.mmap;
    CHECK_EQ(memmap_set(&ctx->handoff, RAM_BASE, IMAGE_END - RAM_BASE, E820_RESERVED, &d), E_OK);
    sim_map(left, 0x80000);
    ctx->bi.mods[1] = (struct boot_module){left + 0x10000, left + 0x11000, "initrd.img"};
    ctx->bi.mod_count = 2;
    CHECK_EQ(alloc_mark_busy(&ctx->alloc, left + 0x10000, 0x1000, "initrd.img", &d), E_OK);
    /* caught before SENTER, with the PMRs Rensa computed (SINIT would
     * program the same; after the launch OsSinitData must be unchanged) */
    CHECK_EQ(launch(&f), E_TXT_PMR);
    CHECK(strstr(f.d.msg, "initrd.img at [0x1410000+0x1000) is outside the PMRs") != NULL);
    check_untouched(&f);
    fake_free(&f);
}

TEST(post_launch_evlog_next_record_past_end)
{
    struct fake f;
    fake_init(&f);
    f.next_record = EVLOG_SIZE + 4;
    post_fails(&f, E_TXT_HEAP_MALFORMED, "event log element is inconsistent");
    fake_free(&f);

    /* exactly full is fine */
    fake_init(&f);
    f.next_record = EVLOG_SIZE;
    f.enter = true;
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK_EQ(f.post, E_OK);
    CHECK_EQ(f.ctx->evlog_used, EVLOG_SIZE);
    fake_free(&f);
}

static void os_mle_mtrr_changed(struct fake *f)
{
    uint64_t base = orig_var[1][0] & ~(uint64_t)0xff; /* WB -> UC */
    memcpy(f->heap + f->view.os_mle_off + 8 + offsetof(struct txt_os_mle_data, mtrr) + 16 + 16, &base, 8);
}

static void os_mle_misc_changed(struct fake *f)
{
    uint64_t misc = ORIG_MISC ^ SINIT_MISC_FLIP;
    memcpy(f->heap + f->view.os_mle_off + 8 + offsetof(struct txt_os_mle_data, misc_enable), &misc, 8);
}

TEST(post_launch_os_mle_mtrrs_differ)
{
    static const tamper_fn t[] = {os_mle_mtrr_changed, os_mle_misc_changed};
    for (unsigned i = 0; i < ARRAY_SIZE(t); i++) {
        struct fake f;
        fake_init(&f);
        f.tamper = t[i];
        post_fails(&f, E_MTRR_MSR, "differ from Rensa's copy");
        /* the MTRRs stay as SINIT had them: nothing was written back */
        CHECK_EQ(f.msr_after_post[MSR_IA32_MTRR_DEF_TYPE], MTRR_DEF_TYPE_E | MTRR_TYPE_UC);
        fake_free(&f);
    }
}

/* ---------------------------------------------------------------- txt_launch_caps */

static uint32_t caps_of(uint32_t mle, uint32_t sinit, enum pcr_map map, bool tpm20)
{
    uint32_t c = 0xdeadbeefu;
    struct diag d;
    CHECK_EQ(txt_launch_caps(mle, sinit, map, tpm20, &c, &d), E_OK);
    return c;
}

static enum rensa_err caps_err(uint32_t mle, uint32_t sinit, enum pcr_map map, bool tpm20)
{
    uint32_t c = 0;
    struct diag d;
    return txt_launch_caps(mle, sinit, map, tpm20, &c, &d);
}

/* ---------------------------------------------------------------- SINIT's MDRs */

/* RAM the map hands on that no GOOD MDR covers is reserved; an SMRAM
 * record inside RAM reserves exactly its range; no MDRs: no change. */
TEST(post_launch_reserves_ram_outside_good_mdrs)
{
    struct fake f;
    fake_init(&f);
    f.enter = true;
    const paddr_t hole = RAM_BASE + 0x300000, hole_len = 0x80000;
    f.mdrs[0] = (struct txt_mdr){RAM_BASE, 0x300000, TXT_MDR_GOOD, {0}};
    f.mdrs[1] = (struct txt_mdr){hole, hole_len, TXT_MDR_SMM_OVERLAY, {0}};
    f.mdrs[2] = (struct txt_mdr){hole + hole_len, RAM_SIZE - 0x300000 - hole_len, TXT_MDR_GOOD, {0}};
    f.mdrs[3] = (struct txt_mdr){HI_BASE, HI_SIZE / 2, TXT_MDR_GOOD, {0}};
    f.nmdrs = 4;
    struct rensa_ctx *ctx = f.ctx;
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK_EQ(f.post, E_OK);
    CHECK(ctx->drtm);
    CHECK_EQ(ctx->sinit_mle.num_mdrs, 4);
    /* the SMRAM hole and the upper half of the high RAM, in both maps */
    CHECK(memmap_covers(&ctx->handoff, hole, hole_len, E820_RESERVED));
    CHECK(memmap_covers(&ctx->bi.mmap, hole, hole_len, E820_RESERVED));
    CHECK(memmap_covers(&ctx->handoff, HI_BASE + HI_SIZE / 2, HI_SIZE / 2, E820_RESERVED));
    CHECK(memmap_covers(&ctx->bi.mmap, HI_BASE + HI_SIZE / 2, HI_SIZE / 2, E820_RESERVED));
    CHECK_EQ(ctx->launch.mdr_reserved, hole_len + HI_SIZE / 2);
    /* what good MDRs cover stays RAM */
    CHECK(memmap_covers(&ctx->handoff, KERNEL_BASE, 0x100000, E820_RAM));
    CHECK(memmap_covers(&ctx->handoff, hole - 0x1000, 0x1000, E820_RAM));
    CHECK(memmap_covers(&ctx->handoff, hole + hole_len, 0x1000, E820_RAM));
    CHECK(memmap_covers(&ctx->handoff, HI_BASE, HI_SIZE / 2, E820_RAM));
    fake_free(&f);

    fake_init(&f);
    f.enter = true;
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK_EQ(f.post, E_OK);
    CHECK_EQ(f.ctx->launch.mdr_reserved, 0);
    CHECK(memmap_covers(&f.ctx->handoff, HI_BASE, HI_SIZE, E820_RAM));
    fake_free(&f);
}

/* ---------------------------------------------------------------- the RLPs after the launch */

static void rlp_setup(struct fake *f, uint32_t procs)
{
    fake_init(f);
    low_ram(f);
    bios_data(f, procs);
    f->enter = true;
    f->rlps_run = procs - 1;
}

TEST(post_launch_wakes_rlps_through_monitor)
{
    struct fake f;
    rlp_setup(&f, 3);
    struct rensa_ctx *ctx = f.ctx;
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK_EQ(f.post, E_OK);
    CHECK(ctx->drtm);
    CHECK(ctx->launch.caps & MLE_CAP_RLP_WAKE_MONITOR);
    /* the JOIN structure, published before the wake-up and before SECRETS */
    CHECK_EQ(f.priv[0].reg, TXT_MLE_JOIN);
    CHECK_EQ(f.priv[0].val, ptr_phys(&ctx->rlp.join));
    CHECK_EQ(f.priv[1].reg, TXT_CMD_SECRETS);
    CHECK_EQ(ctx->rlp.join.gdt_base, RLP_GDT);
    CHECK_EQ(ctx->rlp.join.gdt_limit, 23);
    CHECK_EQ(ctx->rlp.join.seg_sel, 0x08);
    CHECK_EQ(ctx->rlp.join.entry, RLP_ENTRY);
    CHECK_EQ(*(uint32_t *)sim_at(f.rlp_wakeup_addr), 1);
    CHECK_EQ(f.getsec_wakeups, 0);
    CHECK_EQ(f.unmasks, 3); /* SMIs and NMIs on the BSP and each RLP */
    CHECK_EQ(ctx->rlp.count, 2);
    CHECK_EQ(ctx->rlp.joined, 2);
    CHECK_EQ(ctx->rlp.failed, 0);
    /* each RLP restored its MTRRs with the caches off */
    CHECK_EQ(f.cache_off, 3 + 2);
    CHECK_EQ(f.msr_writes_cached, 0);
    /* the real-mode page and the stacks after it, below 1 MiB, reserved */
    paddr_t pg = ctx->rlp.page;
    CHECK(pg >= LOW_BASE && pg + 4096 + 2 * RLP_STACK_SIZE <= MiB(1) && !(pg & 0xfff));
    CHECK(memmap_covers(&ctx->handoff, pg, 4096 + 2 * RLP_STACK_SIZE, E820_RESERVED));
    /* the page: 16-bit code and data based at the page, its GDTR, the
     * real-mode IVT, the stub, and the far pointer to its real-mode part */
    const uint8_t *p = sim_at(pg);
    uint64_t g[3];
    memcpy(g, p + RLP_PAGE_GDT, sizeof(g));
    CHECK_EQ(g[0], 0);
    CHECK_EQ(g[1], 0x00009B000000FFFFull | ((pg & 0xFFFFFF) << 16));
    CHECK_EQ(g[2], 0x000093000000FFFFull | ((pg & 0xFFFFFF) << 16));
    uint16_t lim, off, seg;
    uint32_t base;
    memcpy(&lim, p + RLP_PAGE_GDTR, 2);
    memcpy(&base, p + RLP_PAGE_GDTR + 2, 4);
    CHECK_EQ(lim, 23);
    CHECK_EQ(base, pg);
    memcpy(&lim, p + RLP_PAGE_IDTR, 2);
    memcpy(&base, p + RLP_PAGE_IDTR + 2, 4);
    CHECK_EQ(lim, 0x3ff);
    CHECK_EQ(base, 0);
    CHECK(memcmp(p + RLP_PAGE_CODE, real16, sizeof(real16)) == 0);
    memcpy(&off, p + RLP_PAGE_REAL, 2);
    memcpy(&seg, p + RLP_PAGE_REAL + 2, 2);
    CHECK_EQ(off, RLP_PAGE_CODE + 10);
    CHECK_EQ(seg, pg >> 4);
    fake_free(&f);
}

TEST(post_launch_wakes_rlps_through_getsec_wakeup)
{
    struct fake f;
    rlp_setup(&f, 2);
    f.s->cand[0].acm.info.capabilities = SINIT_CAPS & ~(uint32_t)MLE_CAP_RLP_WAKE_MONITOR;
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK_EQ(f.post, E_OK);
    CHECK(!(f.ctx->launch.caps & MLE_CAP_RLP_WAKE_MONITOR));
    CHECK_EQ(f.getsec_wakeups, 1);
    CHECK_EQ(*(uint32_t *)sim_at(f.rlp_wakeup_addr), 0);
    CHECK_EQ(f.ctx->rlp.joined, 1);
    fake_free(&f);
}

TEST(post_launch_rlps_that_do_not_join)
{
    struct fake f;
    rlp_setup(&f, 4);
    f.rlps_run = 2;
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK_EQ(f.post, E_TXT_RLP);
    CHECK(strstr(f.post_d.msg, "2 of 3 RLPs joined, 0 failed") != NULL);
    CHECK(!f.ctx->drtm);
    /* no SECRETS: the launch did not complete */
    for (unsigned i = 0; i < f.npriv_after_post && i < ARRAY_SIZE(f.priv); i++)
        CHECK(f.priv[i].reg != TXT_CMD_SECRETS);
    fake_free(&f);
}

TEST(post_launch_rlp_mtrr_restore_fails)
{
    struct fake f;
    rlp_setup(&f, 2);
    f.rlp_mtrr_fails = true;
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK_EQ(f.post, E_TXT_RLP);
    CHECK(strstr(f.post_d.msg, "0 of 1 RLPs joined, 1 failed") != NULL);
    fake_free(&f);
}

TEST(post_launch_refuses_a_bad_rlp_wakeup_address)
{
    static const paddr_t bad[] = {0, REGION_BASE + SINIT_WB + 2, KERNEL_BASE + 0x2000, 0x80000000ull};
    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
        struct fake f;
        rlp_setup(&f, 2);
        f.rlp_wakeup_addr = bad[i]; /* none; unaligned; the kernel's RAM; unaddressable */
        CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
        CHECK_EQ(f.post, E_TXT_RLP);
        CHECK(strstr(f.post_d.msg, "RLP wake-up address") != NULL);
        CHECK_EQ(f.rlps_entered, 0);
        fake_free(&f);
    }
}

/* One processor, and no RAM below 1 MiB in the fake: nobody to wake, and
 * no real-mode page (so no S3 later), yet the launch goes on. */
TEST(post_launch_one_processor_wakes_nobody)
{
    struct fake f;
    fake_init(&f);
    f.enter = true;
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK_EQ(f.post, E_OK);
    CHECK_EQ(f.ctx->rlp.count, 0);
    CHECK_EQ(f.ctx->rlp.page, 0);
    CHECK_EQ(f.getsec_wakeups, 0);
    CHECK_EQ(f.unmasks, 1);
    CHECK_EQ(f.priv[0].reg, TXT_CMD_SECRETS);
    fake_free(&f);
}

/* The real-mode page exists with one processor too: the S3 waking stub
 * with the page's segment, Rensa's GDT and the far pointer to _s3_entry. */
TEST(post_launch_builds_the_s3_waking_stub)
{
    struct fake f;
    rlp_setup(&f, 1);
    struct rensa_ctx *ctx = f.ctx;
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK_EQ(f.post, E_OK);
    CHECK_EQ(ctx->rlp.count, 0);
    paddr_t pg = ctx->rlp.page;
    CHECK(pg >= LOW_BASE && pg + 4096 <= MiB(1) && !(pg & 0xfff));
    CHECK(memmap_covers(&ctx->handoff, pg, 4096, E820_RESERVED));
    const uint8_t *p = sim_at(pg);
    uint8_t want[sizeof(wake16)];
    memcpy(want, wake16, sizeof(want));
    want[3] = (uint8_t)(pg >> 4);
    want[4] = (uint8_t)(pg >> 12);
    CHECK(memcmp(p + RLP_PAGE_WAKE, want, sizeof(want)) == 0);
    uint16_t lim, sel;
    uint32_t base, entry;
    memcpy(&lim, p + RLP_PAGE_S3_GDTR, 2);
    memcpy(&base, p + RLP_PAGE_S3_GDTR + 2, 4);
    CHECK_EQ(lim, 23);
    CHECK_EQ(base, RLP_GDT);
    memcpy(&entry, p + RLP_PAGE_S3_ENTRY, 4);
    memcpy(&sel, p + RLP_PAGE_S3_ENTRY + 4, 2);
    CHECK_EQ(entry, S3_ENTRY);
    CHECK_EQ(sel, 0x08);
    fake_free(&f);
}

/* An S3 re-launch allocates nothing: the page table and the real-mode
 * page are rebuilt where the first launch put them, and the map handed
 * on is unchanged. */
TEST(relaunch_reuses_the_page_table_and_the_real_mode_page)
{
    struct fake f;
    rlp_setup(&f, 3);
    struct rensa_ctx *ctx = f.ctx;
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK_EQ(f.post, E_OK);
    paddr_t pt = ctx->launch.ptab, pg = ctx->rlp.page;
    static struct memmap before;
    before = ctx->handoff;
    f.post = E_TXT_ARG;
    f.rlps_entered = 0; /* a new SENTER sleep, as SINIT starts one */
    *(uint32_t *)sim_at(f.rlp_wakeup_addr) = 0;
    CHECK_EQ(launch(&f), E_TXT_SINIT_ERROR);
    CHECK_EQ(f.post, E_OK);
    CHECK_EQ(ctx->launch.ptab, pt);
    CHECK_EQ(ctx->rlp.page, pg);
    CHECK_EQ(ctx->rlp.joined, 2);
    CHECK(memcmp(&before, &ctx->handoff, sizeof(before)) == 0);
    fake_free(&f);
}

TEST(launch_caps_choice)
{
    const uint32_t wake = MLE_CAP_RLP_WAKE_GETSEC | MLE_CAP_RLP_WAKE_MONITOR;
    /* both wake-up methods: MONITOR */
    CHECK_EQ(caps_of(wake, wake, PCR_MAP_LEGACY, true), MLE_CAP_RLP_WAKE_MONITOR);
    /* only one offered by either side: that one */
    CHECK_EQ(caps_of(wake, MLE_CAP_RLP_WAKE_GETSEC, PCR_MAP_LEGACY, true), MLE_CAP_RLP_WAKE_GETSEC);
    CHECK_EQ(caps_of(MLE_CAP_RLP_WAKE_GETSEC, wake, PCR_MAP_LEGACY, true), MLE_CAP_RLP_WAKE_GETSEC);
    CHECK_EQ(caps_of(wake, MLE_CAP_RLP_WAKE_MONITOR, PCR_MAP_LEGACY, false), MLE_CAP_RLP_WAKE_MONITOR);
    /* only what both support, never STM, platform type, MAXPHYADDR, CBNT;
     * the TCG log format only with TPM 2.0; TPM 2.0: no PCR map bits */
    uint32_t all = 0x7ffu & ~(uint32_t)MLE_CAP_PCR_MAP_NO_LEGACY;
    CHECK_EQ(caps_of(all, all, PCR_MAP_LEGACY, true), MLE_CAP_RLP_WAKE_MONITOR | MLE_CAP_ECX_PGTBL | MLE_CAP_TCG_EVENT_LOG);
    CHECK_EQ(caps_of(all, all, PCR_MAP_DA, true), MLE_CAP_RLP_WAKE_MONITOR | MLE_CAP_ECX_PGTBL | MLE_CAP_TCG_EVENT_LOG);
    CHECK_EQ(caps_of(all, all, PCR_MAP_LEGACY, false), MLE_CAP_RLP_WAKE_MONITOR | MLE_CAP_ECX_PGTBL);
    CHECK_EQ(caps_of(MLE_CAP_ECX_PGTBL, MLE_CAP_TCG_EVENT_LOG, PCR_MAP_LEGACY, true), 0);
    /* TPM 1.2, DA: both map bits, when SINIT offers DA */
    CHECK_EQ(caps_of(wake, wake | MLE_CAP_PCR_MAP_DA, PCR_MAP_DA, false),
             MLE_CAP_RLP_WAKE_MONITOR | MLE_CAP_PCR_MAP_NO_LEGACY | MLE_CAP_PCR_MAP_DA);
    CHECK_EQ(caps_err(wake, wake, PCR_MAP_DA, false), E_TXT_PCR_MAP);
    /* TPM 1.2, legacy: no map bits; refused when SINIT says "no legacy" */
    CHECK_EQ(caps_of(wake, wake | MLE_CAP_PCR_MAP_DA, PCR_MAP_LEGACY, false), MLE_CAP_RLP_WAKE_MONITOR);
    CHECK_EQ(caps_err(wake, wake | MLE_CAP_PCR_MAP_NO_LEGACY, PCR_MAP_LEGACY, false), E_TXT_PCR_MAP);
    /* TPM 2.0 ignores the SINIT's map bits */
    CHECK_EQ(caps_of(wake, wake | MLE_CAP_PCR_MAP_NO_LEGACY, PCR_MAP_LEGACY, true), MLE_CAP_RLP_WAKE_MONITOR);
}

/* ---------------------------------------------------------------- txt_sinit_policy_data */

static uint8_t *put(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        *p++ = (uint8_t)(v >> (8 * i));
    return p;
}

static uint8_t *put_bytes(uint8_t *p, uint8_t first, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        *p++ = (uint8_t)(first + i);
    return p;
}

/* BiosAcmID | MsegValid | StmHash | PolicyControl | LcpPolicyHash | caps-or-0 [| ProcessorSCRTMStatus] */
static size_t policy_by_hand(uint32_t version, uint32_t control, uint32_t caps, uint8_t *out)
{
    uint8_t *p = out;
    p = put_bytes(p, 0x10, 20);
    p = put(p, 0x0102030405060708ull, 8);
    p = put_bytes(p, 0x40, 20);
    p = put(p, control, 4);
    p = put_bytes(p, 0x80, 20);
    p = put(p, (control & 4u) ? caps : 0, 4);
    if (version >= 8)
        p = put(p, 0xa1b2c3d4u, 4);
    return (size_t)(p - out);
}

static struct txt_sinit_mle_data policy_fields(uint32_t version, uint32_t control)
{
    struct txt_sinit_mle_data s;
    memset(&s, 0xee, sizeof(s)); /* fields not in the policy data */
    s.version = version;
    put_bytes(s.bios_acm_id, 0x10, 20);
    s.mseg_valid = 0x0102030405060708ull;
    put_bytes(s.stm_hash, 0x40, 20);
    s.lcp_policy_control = control;
    put_bytes(s.lcp_policy_hash, 0x80, 20);
    s.proc_scrtm_status = 0xa1b2c3d4u;
    return s;
}

TEST(sinit_policy_data_layout)
{
    static const struct {
        uint32_t version, control;
        size_t len;
    } cases[] = {
        {7, 0, 76}, {7, 1u << 2, 76}, {8, 0, 80}, {8, 1u << 2, 80}, {8, 0xfffffffbu, 80}, {9, 0x7, 80}, {6, 4, 76},
    };
    const uint32_t caps = 0x00000226u;
    for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
        struct txt_sinit_mle_data s = policy_fields(cases[i].version, cases[i].control);
        uint8_t got[TXT_POLICY_DATA_MAX + 8], want[TXT_POLICY_DATA_MAX + 8];
        memset(got, 0x77, sizeof(got));
        size_t wl = policy_by_hand(cases[i].version, cases[i].control, caps, want);
        size_t gl = txt_sinit_policy_data(&s, caps, got);
        CHECK_EQ(wl, cases[i].len);
        CHECK_EQ(gl, cases[i].len);
        CHECK(memcmp(got, want, wl) == 0);
        for (size_t j = gl; j < sizeof(got); j++)
            CHECK_EQ(got[j], 0x77); /* nothing written past the length */
        /* the caps field, at 72: there only with PolicyControl bit 2 */
        uint32_t at72;
        memcpy(&at72, got + 72, 4);
        CHECK_EQ(at72, (cases[i].control & 4u) ? caps : 0);
    }
}
