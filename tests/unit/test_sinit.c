/* Unit tests: SINIT selection at boot (loader/sinit.c, include/sinit.h)
 * over simulated memory: the TXT public registers (read with mmio_read64,
 * as on bare metal), the TXT heap with the BIOS's BiosData, the SINIT
 * region and the boot modules. */
#include <stddef.h>
#include <stdlib.h>
#include "platform.h"
#include "sim.h"
#include "sinit.h"
#include "unit.h"

#define HEAP_BASE 0xdf200000ull
#define HEAP_SIZE 0x10000ull
#define REGION_BASE 0xdf700000ull
#define REGION_SIZE 0x20000ull
#define MOD_BASE 0x01000000ull /* modules one after another from here */
#define KERNEL_BASE 0x02000000ull

#define IVB_DIDVID 0x00000001b0018086ull
#define IVB_FMS 0x306a9u

/* ---------------------------------------------------------------- a SINIT */

struct sinit_spec {
    uint32_t size, date;
    uint16_t txt_svn;
    uint8_t acm_ver;
    uint16_t device; /* chipset list entry */
    unsigned tpm_family; /* ACM_TPM_FAMILY_* bits */
    uint16_t alg;
};

static struct sinit_spec ivb(void)
{
    return (struct sinit_spec){0x4000, 0x20140219, 2, 67, 0xb001, ACM_TPM_FAMILY_DTPM12, ACM_ALG_SHA1};
}

static void w32(uint8_t *b, uint32_t off, uint32_t v)
{
    memcpy(b + off, &v, 4);
}

/* A header version 0.0 module with a version 5 information table, one
 * chipset, two processor (Sandy/Ivy Bridge) and a TPM list: what
 * tests/unit/test_acm.c builds, reduced to what selection varies. */
static void build(uint8_t *b, const struct sinit_spec *s)
{
    static const uint8_t uuid[16] = ACM_UUID_V3_BYTES;
    memset(b, 0, s->size);
    uint32_t hdr_len = (128 + 64 * 4 + 260) / 4, io = (hdr_len + 143) * 4;
    struct acm_header h;
    memset(&h, 0, sizeof(h));
    h.module_type = ACM_MODULE_TYPE_CHIPSET;
    h.header_len = hdr_len;
    h.module_vendor = ACM_VENDOR_INTEL;
    h.date = s->date;
    h.size = s->size / 4;
    h.txt_svn = s->txt_svn;
    h.gdt_base = s->size - 0x100;
    h.gdt_limit = 0x1f;
    h.seg_sel = 8;
    h.entry_point = s->size - 0x80;
    h.key_size = 64;
    h.scratch_size = 143;
    memcpy(b, &h, sizeof(h));
    memcpy(b + io, uuid, 16);
    b[io + 16] = ACM_CHIPSET_TYPE_SINIT;
    b[io + 17] = 5;
    b[io + 18] = ACM_INFO_LEN_V5;
    w32(b, io + 24, 6); /* OS-to-SINIT data version */
    w32(b, io + 28, 0x00020000); /* minimum MLE header version 2.0 */
    w32(b, io + 32, ACM_CAP_RLP_WAKE_GETSEC | ACM_CAP_RLP_WAKE_MONITOR | (ACM_PLATFORM_CLIENT << 6));
    b[io + 36] = s->acm_ver;
    uint32_t p = io + ACM_INFO_LEN_V5;
    struct acm_chipset_id cs = {1, 0x8086, s->device, 0x1, 0, 0};
    w32(b, io + 20, p);
    w32(b, p, 1);
    memcpy(b + p + 4, &cs, sizeof(cs));
    p += 4 + 16;
    struct acm_processor_id cpu[2] = {{0x206a0, 0x0fff3ff0, 0, 0}, {0x306a0, 0x0fff3ff0, 0, 0}};
    w32(b, io + 40, p);
    w32(b, p, 2);
    memcpy(b + p + 4, cpu, sizeof(cpu));
    p += 4 + sizeof(cpu);
    w32(b, io + 44, p);
    w32(b, p, ACM_TPM_EXT_POLICY_EMBEDDED | s->tpm_family << ACM_TPM_FAMILY_SHIFT);
    b[p + 4] = 1; /* one algorithm */
    memcpy(b + p + 6, &s->alg, 2);
}

/* ---------------------------------------------------------------- the machine */

struct fake_cpu {
    uint32_t fms;
    uint64_t platform_id;
    unsigned msr_reads;
};

/* TXT registers through MMIO, as loader/platform.c reads them. */
static uint64_t fake_txt_read(void *ctx, uint32_t reg)
{
    (void)ctx;
    return mmio_read64(TXT_PUB_BASE + reg);
}
static uint32_t fake_cpuid1_eax(void *ctx)
{
    return ((struct fake_cpu *)ctx)->fms;
}
static uint64_t fake_rdmsr(void *ctx, uint32_t msr)
{
    struct fake_cpu *c = ctx;
    c->msr_reads++;
    return msr == ACM_MSR_PLATFORM_ID ? c->platform_id : 0;
}

struct machine {
    struct rensa_ctx *ctx;
    struct fake_cpu cpu;
    struct acm_platform_ops ops;
    uint8_t *txt, *heap, *region;
    paddr_t next_mod;
    struct sinit_result *res;
    struct diag d;
};

static void txt_set(struct machine *m, uint32_t reg, uint64_t v)
{
    memcpy(m->txt + reg, &v, 8);
}

/* BiosData version 6 at the heap start: bios_sinit_size, 4 processors,
 * a client platform, an END element. */
static void bios_data(struct machine *m, uint32_t bios_sinit_size)
{
    struct txt_bios_data b;
    memset(&b, 0, sizeof(b));
    b.version = 6;
    b.bios_sinit_size = bios_sinit_size;
    b.num_logical_procs = 4;
    b.mle_flags = ACM_PLATFORM_CLIENT << TXT_BIOS_MLE_PLATFORM_SHIFT;
    uint64_t size = 8 + sizeof(b) + 8;
    memcpy(m->heap, &size, 8);
    memcpy(m->heap + 8, &b, sizeof(b));
    struct txt_ext_elem end = {TXT_EXT_END, 8};
    memcpy(m->heap + 8 + sizeof(b), &end, sizeof(end));
}

static void machine_init(struct machine *m)
{
    sim_reset(); /* a fresh machine: an earlier one in the same test is gone */
    memset(m, 0, sizeof(*m));
    m->ctx = calloc(1, sizeof(*m->ctx));
    m->res = calloc(1, sizeof(*m->res));
    m->cpu = (struct fake_cpu){IVB_FMS, 1ull << 50, 0};
    m->ops = (struct acm_platform_ops){&m->cpu, fake_txt_read, fake_cpuid1_eax, fake_rdmsr};
    m->txt = sim_map(TXT_PUB_BASE, 0x1000);
    m->heap = sim_map(HEAP_BASE, HEAP_SIZE);
    m->region = sim_map(REGION_BASE, REGION_SIZE);
    txt_set(m, ACM_TXT_DIDVID, IVB_DIDVID);
    txt_set(m, ACM_TXT_VER_FSBIF, 0xffffffffu);
    txt_set(m, ACM_TXT_VER_QPIIF, 0x9d003000u); /* production fused */
    txt_set(m, ACM_TXT_SINIT_BASE, REGION_BASE);
    txt_set(m, ACM_TXT_SINIT_SIZE, REGION_SIZE);
    txt_set(m, TXT_HEAP_BASE, HEAP_BASE);
    txt_set(m, TXT_HEAP_SIZE, HEAP_SIZE);
    bios_data(m, 0);
    m->ctx->image_base = 0x800000;
    m->ctx->image_end = 0x900000;
    /* module 0: the kernel, handed on */
    sim_map(KERNEL_BASE, 0x1000);
    m->ctx->bi.mods[0] = (struct boot_module){KERNEL_BASE, KERNEL_BASE + 0x1000, "vmlinuz"};
    m->ctx->bi.mod_count = 1;
    m->next_mod = MOD_BASE;
}

static void machine_free(struct machine *m)
{
    free(m->ctx);
    free(m->res);
}

/* A SINIT module at phys (0: the next free place), marked dropped as
 * pick_kernel does. Returns its bytes. */
static uint8_t *add_module(struct machine *m, const struct sinit_spec *s, paddr_t phys)
{
    if (!phys) {
        phys = m->next_mod;
        m->next_mod += s->size;
    }
    uint8_t *b = phys_ptr(phys, s->size);
    if (!b)
        b = sim_map(phys, s->size);
    build(b, s);
    unsigned i = m->ctx->bi.mod_count++;
    m->ctx->bi.mods[i] = (struct boot_module){phys, phys + s->size, "sinit.bin"};
    m->ctx->mod_dropped[i] = true;
    return b;
}

/* The BIOS copy in the SINIT region. */
static void add_bios_copy(struct machine *m, const struct sinit_spec *s)
{
    build(m->region, s);
    bios_data(m, s->size);
}

static enum rensa_err run(struct machine *m)
{
    memset(&m->d, 0, sizeof(m->d));
    return sinit_select(m->ctx, &m->ops, m->res, &m->d);
}

static bool starts_with(const char *s, const char *p)
{
    return s && strncmp(s, p, strlen(p)) == 0;
}

/* ---------------------------------------------------------------- tests */

TEST(sinit_select_one_module_installed)
{
    struct machine m;
    machine_init(&m);
    struct sinit_spec s = ivb();
    uint8_t *mod = add_module(&m, &s, 0);
    CHECK_EQ(run(&m), E_OK);
    struct sinit_result *r = m.res;
    CHECK_EQ(r->n, 1);
    CHECK_EQ(r->choice.chosen, 0);
    CHECK(r->choice.copy_needed);
    CHECK(r->installed);
    CHECK(memcmp(m.region, mod, s.size) == 0);
    CHECK(r->line[0].chosen);
    CHECK_EQ(r->line[0].source, ACM_SRC_MODULE);
    CHECK_EQ(r->line[0].index, 1);
    CHECK_EQ(r->line[0].phys, MOD_BASE);
    CHECK_STR(r->line[0].why, "");
    CHECK_EQ(r->date, 0x20140219);
    CHECK_EQ(r->txt_svn, 2);
    CHECK_EQ(r->acm_ver, 67);
    CHECK_EQ(r->os_sinit_ver, 6);
    /* what was read */
    CHECK_EQ(r->heap_base, HEAP_BASE);
    CHECK_EQ(r->heap_size, HEAP_SIZE);
    CHECK_EQ(r->region.base, REGION_BASE);
    CHECK_EQ(r->region.size, REGION_SIZE);
    CHECK_EQ(r->region.bios_sinit_size, 0);
    CHECK_EQ(r->bios.num_logical_procs, 4);
    CHECK_EQ(r->platform.didvid, IVB_DIDVID);
    CHECK_EQ(r->platform.fms, IVB_FMS);
    CHECK_EQ(r->platform.platform_id, 1ull << 50);
    CHECK_EQ(r->platform.platform_type, ACM_PLATFORM_CLIENT);
    CHECK_EQ(r->platform.tpm_family, 0); /* no TPM: not checked */
    CHECK_EQ(m.cpu.msr_reads, 1);
    /* nothing placed later may land on the region */
    const struct busy_range *b = alloc_overlap(&m.ctx->alloc, REGION_BASE + 0x100, 1);
    CHECK(b && strcmp(b->what, "SINIT region") == 0);
    char who[16];
    CHECK_STR(sinit_source_name(&r->line[0], who, sizeof(who)), "module 1");
    machine_free(&m);
}

TEST(sinit_select_bios_copy_newer_wins)
{
    struct machine m;
    machine_init(&m);
    struct sinit_spec bios = ivb(), old = ivb();
    bios.txt_svn = 3;
    bios.date = 0x20150101;
    add_bios_copy(&m, &bios);
    uint8_t before[0x100];
    memcpy(before, m.region, sizeof(before));
    add_module(&m, &old, 0);
    CHECK_EQ(run(&m), E_OK);
    struct sinit_result *r = m.res;
    CHECK_EQ(r->n, 2);
    CHECK_EQ(r->choice.chosen, 0);
    CHECK(!r->choice.copy_needed);
    CHECK(!r->installed);
    CHECK(r->line[0].chosen);
    CHECK_EQ(r->line[0].source, ACM_SRC_BIOS);
    CHECK_EQ(r->line[0].phys, REGION_BASE);
    CHECK_EQ(r->line[0].len, bios.size);
    CHECK(!r->line[1].chosen);
    CHECK_EQ(r->line[1].reason, ACM_R_OLDER);
    CHECK(starts_with(r->line[1].why, "ACM_R_OLDER: "));
    CHECK(strstr(r->line[1].why, "the BIOS copy is newer") != NULL);
    CHECK_EQ(r->txt_svn, 3);
    CHECK_EQ(r->date, 0x20150101);
    CHECK(memcmp(before, m.region, sizeof(before)) == 0);
    char who[16];
    CHECK_STR(sinit_source_name(&r->line[0], who, sizeof(who)), "BIOS copy");
    machine_free(&m);
}

TEST(sinit_select_module_newer_than_bios_copy)
{
    struct machine m;
    machine_init(&m);
    struct sinit_spec bios = ivb(), older = ivb(), newer = ivb();
    newer.acm_ver = 68; /* same TXT SVN: the ACM version decides */
    newer.size = 0x5000;
    older.date = 0x20120101;
    add_bios_copy(&m, &bios);
    add_module(&m, &older, 0);
    uint8_t *mod = add_module(&m, &newer, 0);
    CHECK_EQ(run(&m), E_OK);
    struct sinit_result *r = m.res;
    CHECK_EQ(r->n, 3);
    CHECK_EQ(r->choice.chosen, 2);
    CHECK(r->installed);
    CHECK(memcmp(m.region, mod, newer.size) == 0);
    CHECK_EQ(r->line[0].source, ACM_SRC_BIOS);
    CHECK_EQ(r->line[0].reason, ACM_R_OLDER);
    CHECK(strstr(r->line[0].why, "module 2 is newer") != NULL);
    CHECK_EQ(r->line[1].index, 1);
    CHECK_EQ(r->line[1].reason, ACM_R_OLDER);
    CHECK(r->line[2].chosen);
    CHECK_EQ(r->line[2].index, 2);
    CHECK_EQ(r->acm_ver, 68);
    machine_free(&m);
}

TEST(sinit_select_none_compatible_every_reason)
{
    struct machine m;
    machine_init(&m);
    /* a TPM 2.0 with SHA-256 only, found by the measurement step */
    m.ctx->tpm_present = true;
    m.ctx->tpm.family = TPM_FAMILY_20;
    m.ctx->tpm.bank_count = 2;
    m.ctx->tpm.banks[0] = (struct tpm_bank){.alg = ACM_ALG_SHA1, .active = false};
    m.ctx->tpm.banks[1] = (struct tpm_bank){.alg = ACM_ALG_SHA256, .active = true};
    struct sinit_spec other_chipset = ivb(), tpm12_only = ivb(), sha1_only = ivb(), damaged = ivb();
    other_chipset.device = 0xb002;
    other_chipset.tpm_family = ACM_TPM_FAMILY_DTPM20;
    other_chipset.alg = ACM_ALG_SHA256;
    sha1_only.tpm_family = ACM_TPM_FAMILY_DTPM20;
    add_bios_copy(&m, &other_chipset);
    uint8_t before[0x100];
    memcpy(before, m.region, sizeof(before));
    add_module(&m, &tpm12_only, 0);
    add_module(&m, &sha1_only, 0);
    uint8_t *bad = add_module(&m, &damaged, 0);
    w32(bad, offsetof(struct acm_header, entry_point), damaged.size + 0x10);
    CHECK_EQ(run(&m), E_ACM_MISMATCH);
    struct sinit_result *r = m.res;
    CHECK_EQ(r->platform.tpm_family, ACM_TPM_FAMILY_DTPM20 | ACM_TPM_FAMILY_PTT20);
    CHECK_EQ(r->platform.n_tpm_algs, 1);
    CHECK_EQ(r->platform.tpm_algs[0], ACM_ALG_SHA256);
    CHECK_EQ(r->n, 4);
    CHECK_EQ(r->choice.chosen, -1);
    static const enum acm_reason want[4] = {ACM_R_CHIPSET, ACM_R_TPM_FAMILY, ACM_R_TPM_ALG, ACM_R_ENTRY};
    for (unsigned i = 0; i < 4; i++) {
        CHECK(!r->line[i].chosen);
        CHECK_EQ(r->line[i].reason, want[i]);
        CHECK(starts_with(r->line[i].why, acm_reason_name(want[i])));
    }
    CHECK_EQ(r->line[3].index, 3);
    CHECK_EQ(m.d.code, E_ACM_MISMATCH);
    CHECK(strstr(m.d.msg, "none of 4 SINIT candidates") != NULL);
    CHECK(!r->installed);
    CHECK(memcmp(before, m.region, sizeof(before)) == 0);
    CHECK(alloc_overlap(&m.ctx->alloc, REGION_BASE, REGION_SIZE) == NULL);
    machine_free(&m);

    /* nothing at all: no module and no BIOS copy */
    machine_init(&m);
    CHECK_EQ(run(&m), E_ACM_NO_SINIT);
    CHECK_EQ(m.res->n, 0);
    machine_free(&m);
}

TEST(sinit_select_region_too_small)
{
    struct machine m;
    machine_init(&m);
    struct sinit_spec s = ivb();
    txt_set(&m, ACM_TXT_SINIT_SIZE, 0x2000);
    add_module(&m, &s, 0);
    CHECK_EQ(run(&m), E_ACM_REGION);
    CHECK_EQ(m.res->line[0].reason, ACM_R_REGION_SIZE);
    CHECK(strstr(m.res->line[0].why, "TXT.SINIT.SIZE is 8192") != NULL);
    CHECK(!m.res->installed);
    for (unsigned i = 0; i < 0x100; i++)
        CHECK_EQ(m.region[i], 0);
    machine_free(&m);

    /* no region at all */
    machine_init(&m);
    txt_set(&m, ACM_TXT_SINIT_SIZE, 0);
    add_module(&m, &s, 0);
    CHECK_EQ(run(&m), E_ACM_REGION);
    CHECK(strstr(m.d.msg, "TXT.SINIT.SIZE is 0") != NULL);
    machine_free(&m);

    /* a region outside memory (registers reading all ones) */
    machine_init(&m);
    txt_set(&m, ACM_TXT_SINIT_BASE, ~0ull);
    add_module(&m, &s, 0);
    CHECK_EQ(run(&m), E_ACM_REGION);
    CHECK(strstr(m.d.msg, "not addressable") != NULL);
    machine_free(&m);
}

TEST(sinit_select_heap_bios_data_malformed)
{
    struct sinit_spec s = ivb();
    struct machine m;

    /* no processors */
    machine_init(&m);
    add_module(&m, &s, 0);
    struct txt_bios_data *b = (struct txt_bios_data *)(m.heap + 8);
    b->num_logical_procs = 0;
    CHECK_EQ(run(&m), E_TXT_HEAP_MALFORMED);
    CHECK(starts_with(m.d.msg, "HEAP_R_BIOS_PROCS: "));
    CHECK_EQ(m.res->n, 0);
    machine_free(&m);

    /* BiosData's size field runs past TXT.HEAP.SIZE */
    machine_init(&m);
    add_module(&m, &s, 0);
    uint64_t big = HEAP_SIZE + 8;
    memcpy(m.heap, &big, 8);
    CHECK_EQ(run(&m), E_TXT_HEAP_MALFORMED);
    CHECK(starts_with(m.d.msg, "HEAP_R_REGION_SIZE: "));
    machine_free(&m);

    /* a heap smaller than BiosData's fixed part */
    machine_init(&m);
    add_module(&m, &s, 0);
    txt_set(&m, TXT_HEAP_SIZE, 16);
    CHECK_EQ(run(&m), E_TXT_HEAP_MALFORMED);
    CHECK(starts_with(m.d.msg, "HEAP_R_REGION_SIZE: "));
    machine_free(&m);

    /* version 1 */
    machine_init(&m);
    add_module(&m, &s, 0);
    ((struct txt_bios_data *)(m.heap + 8))->version = 1;
    CHECK_EQ(run(&m), E_TXT_HEAP_VERSION);
    CHECK(starts_with(m.d.msg, "HEAP_R_BIOS_VERSION: "));
    machine_free(&m);

    /* no END element */
    machine_init(&m);
    add_module(&m, &s, 0);
    memset(m.heap + 8 + sizeof(struct txt_bios_data), 0xff, 8);
    CHECK_EQ(run(&m), E_TXT_HEAP_MALFORMED);
    CHECK(starts_with(m.d.msg, "HEAP_R_EXT_"));
    machine_free(&m);

    /* the heap is not in memory */
    machine_init(&m);
    add_module(&m, &s, 0);
    txt_set(&m, TXT_HEAP_BASE, 0xc0000000ull);
    CHECK_EQ(run(&m), E_TXT_HEAP_MALFORMED);
    CHECK(strstr(m.d.msg, "not addressable") != NULL);
    machine_free(&m);
}

TEST(sinit_select_module_overlapping_region)
{
    struct sinit_spec bios = ivb(), mod = ivb();
    mod.txt_svn = 1; /* older than the BIOS copy, which is gone */
    struct machine m;

    /* a module loaded into the SINIT region, past its start */
    machine_init(&m);
    add_bios_copy(&m, &bios);
    uint8_t *inside = add_module(&m, &mod, REGION_BASE + 0x2000);
    CHECK(inside == m.region + 0x2000);
    uint8_t *want = malloc(mod.size);
    memcpy(want, inside, mod.size);
    CHECK_EQ(run(&m), E_OK);
    struct sinit_result *r = m.res;
    CHECK_EQ(r->line[0].source, ACM_SRC_BIOS);
    CHECK_EQ(r->line[0].reason, ACM_R_OVERWRITTEN);
    CHECK(strstr(r->line[0].why, "module 1") != NULL);
    CHECK(r->line[1].chosen);
    CHECK(r->installed);
    CHECK(memcmp(m.region, want, mod.size) == 0); /* overlap-safe copy */
    free(want);
    machine_free(&m);

    /* a module loaded exactly at TXT.SINIT.BASE: nothing to copy */
    machine_init(&m);
    add_bios_copy(&m, &bios);
    add_module(&m, &mod, REGION_BASE);
    CHECK_EQ(run(&m), E_OK);
    CHECK_EQ(m.res->choice.chosen, 1);
    CHECK(!m.res->choice.copy_needed);
    CHECK(!m.res->installed);
    machine_free(&m);

    /* the kernel in the SINIT region: installing would overwrite it */
    machine_init(&m);
    m.ctx->bi.mods[0] = (struct boot_module){REGION_BASE + 0x10000, REGION_BASE + 0x11000, "vmlinuz"};
    add_module(&m, &mod, 0);
    CHECK_EQ(run(&m), E_ACM_OVERLAP);
    CHECK(strstr(m.d.msg, "module 0 (vmlinuz)") != NULL);
    CHECK(!m.res->installed);
    CHECK_EQ(m.region[0], 0);
    machine_free(&m);
}
