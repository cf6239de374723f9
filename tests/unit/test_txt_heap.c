/* The TXT heap: PMRs, heap_build and heap_verify (txt/heap.c). */
#include <stdlib.h>
#include "mle_pt.h"
#include "txt_heap.h"
#include "unit.h"

#define HEAP_SIZE 0x10000u
#define MLE_BASE 0x01000000ull
#define MLE_SIZE 0x20000ull

static void w32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static void w64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

static uint64_t r64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* BiosData of a version at the heap start; v4+ with a spec-version element
 * and END. Returns its size (with the size field). */
static uint64_t put_bios(uint8_t *h, uint32_t version, uint32_t procs)
{
    struct txt_bios_data b;
    memset(&b, 0, sizeof(b));
    b.version = version;
    b.num_logical_procs = procs;
    b.bios_sinit_size = 0x10000;
    uint64_t fixed = version == 2 ? TXT_BIOS_DATA_V2_SIZE : sizeof(b);
    memcpy(h + 8, &b, (size_t)fixed);
    uint64_t size = 8 + fixed;
    if (version >= 4) {
        w32(h + size, TXT_EXT_BIOS_SPEC_VER);
        w32(h + size + 4, 8 + 6);
        memset(h + size + 8, 0, 6);
        size += 14;
        w32(h + size, TXT_EXT_END);
        w32(h + size + 4, 8);
        size += 8;
    }
    w64(h, size);
    return size;
}

static struct memmap map_of(const paddr_t (*r)[2], unsigned n)
{
    struct memmap m;
    memset(&m, 0, sizeof(m));
    for (unsigned i = 0; i < n; i++)
        memmap_add(&m, r[i][0], r[i][1], E820_RAM, NULL);
    return m;
}

static void params(struct txt_heap_params *p, uint32_t version, unsigned evlog)
{
    static const paddr_t ram[][2] = {{0, 0x9f000}, {0x100000, 0x7ff00000 - 0x100000}, {GiB(4), GiB(4) + MiB(1)}};
    struct memmap m = map_of(ram, 3);
    memset(p, 0, sizeof(*p));
    p->os_sinit_version = version;
    p->mle_base = MLE_BASE;
    p->mle_size = MLE_SIZE;
    p->mle_hdr_off = 0;
    p->mle_ptab = MLE_BASE - mle_pt_size(MLE_SIZE);
    CHECK_EQ(txt_pmr_compute(&m, &p->pmr, NULL), HEAP_OK);
    p->capabilities = 0x203;
    p->efi_rsdt_ptr = 0x7fe0000;
    p->evlog = evlog;
    p->evlog_base = 0x2000000;
    p->evlog_size = 0x10000;
    p->evlog_first = 0x100;
    p->evlog_next = 0x200;
    p->os_mle.misc_enable = 0x0000000400850089ull; /* bit 34 set: a 32-bit copy would lose it */
    p->os_mle.ctx_phys = 0x00812000;
    p->os_mle.mtrr.def_type = 0xc06;
    p->os_mle.mtrr.num_var = 2;
    p->os_mle.mtrr.var[1].mask = 0xfff000800ull;
    if (version >= 7)
        p->flags = TXT_OS_SINIT_FLAG_EXTPOL_EMBEDDED;
}

static uint8_t *new_heap(uint32_t bios_version)
{
    uint8_t *h = calloc(1, HEAP_SIZE);
    put_bios(h, bios_version, 4);
    return h;
}

static void build_verify(uint32_t version, unsigned evlog, uint64_t want_sinit_size)
{
    uint8_t *h = new_heap(5);
    struct txt_heap_params p;
    params(&p, version, evlog);
    struct diag d;
    enum heap_reason r = heap_build(h, HEAP_SIZE, &p, &d);
    if (r)
        fprintf(stderr, "  build v%u: %s\n", version, d.msg);
    CHECK_EQ(r, HEAP_OK);
    struct txt_heap_view v;
    r = heap_verify(h, HEAP_SIZE, 0, &v, &d);
    if (r)
        fprintf(stderr, "  verify v%u: %s\n", version, d.msg);
    CHECK_EQ(r, HEAP_OK);
    CHECK_EQ(v.bios.version, 5);
    CHECK_EQ(v.os_mle_off, 8 + 36 + 14 + 8); /* BiosData v5 with two elements */
    CHECK_EQ(v.os_mle_size, 8 + sizeof(struct txt_os_mle_data));
    CHECK_EQ(v.os_mle.misc_enable, 0x0000000400850089ull);
    CHECK_EQ(v.os_mle.ctx_phys, 0x00812000);
    CHECK_EQ(v.os_mle.mtrr.var[1].mask, 0xfff000800ull);
    CHECK_EQ(v.os_sinit_size, want_sinit_size);
    CHECK_EQ(v.os_sinit.version, version);
    CHECK_EQ(v.os_sinit.flags, version >= 7 ? 1 : 0);
    CHECK_EQ(v.os_sinit.mle_ptab, MLE_BASE - 3 * 4096);
    CHECK_EQ(v.os_sinit.mle_size, MLE_SIZE);
    CHECK_EQ(v.os_sinit.mle_hdr_base, 0);
    CHECK_EQ(v.os_sinit.vtd_pmr_lo_base, 0);
    CHECK_EQ(v.os_sinit.vtd_pmr_lo_size, 0x7fe00000);
    CHECK_EQ(v.os_sinit.vtd_pmr_hi_base, GiB(4));
    CHECK_EQ(v.os_sinit.vtd_pmr_hi_size, GiB(4));
    CHECK_EQ(v.os_sinit.capabilities, 0x203);
    CHECK_EQ(v.os_sinit.efi_rsdt_ptr, 0x7fe0000);
    CHECK_EQ(v.evlog, evlog);
    /* the raw bytes: field offsets as in the guide */
    const uint8_t *o = h + v.os_sinit_off;
    CHECK_EQ(r64(o), want_sinit_size);
    CHECK_EQ(r64(o + 8 + 8), MLE_BASE - 3 * 4096); /* MLEPageTableBase at +8 */
    CHECK_EQ(r64(o + 8 + 84), 0x7fe0000); /* EFI RSDT/RSDP pointer at +84 */
    if (evlog == TXT_EVLOG_TPM12) {
        CHECK_EQ(r64(o + 8 + 92), (16ull << 32) | TXT_EXT_EVLOG_PTR);
        CHECK_EQ(r64(o + 8 + 100), 0x2000000);
        CHECK_EQ(v.evlog_elem_off, v.os_sinit_off + 8 + 92 + 8);
    }
    if (evlog == TXT_EVLOG_TPM20) {
        struct txt_evlog_ptr2_1 e;
        CHECK_EQ(r64(o + 8 + 92), (28ull << 32) | TXT_EXT_EVLOG_PTR2_1);
        memcpy(&e, h + v.evlog_elem_off, sizeof(e));
        CHECK_EQ(e.phys, 0x2000000);
        CHECK_EQ(e.allocated_size, 0x10000);
        CHECK_EQ(e.first_record, 0x100);
        CHECK_EQ(e.next_record, 0x200);
    }
    free(h);
}

TEST(txt_heap_build_os_sinit_v5)
{
    build_verify(5, TXT_EVLOG_NONE, 8 + 92);
}

TEST(txt_heap_build_os_sinit_v6_tpm12_log)
{
    build_verify(6, TXT_EVLOG_TPM12, 8 + 92 + 16 + 8);
    build_verify(6, TXT_EVLOG_NONE, 8 + 92 + 8);
}

TEST(txt_heap_build_os_sinit_v7_tpm20_log)
{
    build_verify(7, TXT_EVLOG_TPM20, 8 + 92 + 28 + 8);
}

TEST(txt_heap_build_bad_params)
{
    uint8_t *h = new_heap(6);
    struct txt_heap_params p;
    struct diag d;
    params(&p, 4, TXT_EVLOG_NONE);
    CHECK_EQ(heap_build(h, HEAP_SIZE, &p, &d), HEAP_R_ARG);
    CHECK_EQ(d.code, E_TXT_ARG);
    params(&p, 8, TXT_EVLOG_NONE);
    CHECK_EQ(heap_build(h, HEAP_SIZE, &p, &d), HEAP_R_ARG);
    params(&p, 5, TXT_EVLOG_TPM12); /* no extended elements before version 6 */
    CHECK_EQ(heap_build(h, HEAP_SIZE, &p, &d), HEAP_R_ARG);
    params(&p, 7, TXT_EVLOG_TPM20);
    p.evlog_next = p.evlog_size + 1;
    CHECK_EQ(heap_build(h, HEAP_SIZE, &p, &d), HEAP_R_ARG);
    params(&p, 6, TXT_EVLOG_NONE);
    p.flags = 1; /* flags are version 7 */
    CHECK_EQ(heap_build(h, HEAP_SIZE, &p, &d), HEAP_R_ARG);
    params(&p, 6, TXT_EVLOG_NONE);
    p.mle_hdr_off = MLE_SIZE;
    CHECK_EQ(heap_build(h, HEAP_SIZE, &p, &d), HEAP_R_ARG);
    /* the MLE above the low PMR */
    params(&p, 6, TXT_EVLOG_NONE);
    p.mle_base = 0x7ff00000;
    p.mle_ptab = p.mle_base - 0x3000;
    CHECK_EQ(heap_build(h, HEAP_SIZE, &p, &d), HEAP_R_PMR);
    CHECK_EQ(d.code, E_TXT_PMR);
    CHECK(strncmp(d.msg, "HEAP_R_PMR: ", 12) == 0);
    free(h);
}

TEST(txt_heap_too_small)
{
    struct txt_heap_params p;
    params(&p, 7, TXT_EVLOG_TPM20);
    uint64_t bios = 8 + 36 + 14 + 8;
    uint64_t exact = bios + 8 + sizeof(struct txt_os_mle_data) + 8 + heap_os_sinit_size(7, TXT_EVLOG_TPM20) +
                     TXT_HEAP_SINIT_MLE_RESERVE;
    uint8_t *h = calloc(1, (size_t)exact);
    CHECK_EQ(put_bios(h, 4, 2), bios);
    struct diag d;
    CHECK_EQ(heap_build(h, exact, &p, &d), HEAP_OK);
    CHECK_EQ(heap_build(h, exact - 1, &p, &d), HEAP_R_HEAP_SMALL);
    CHECK_EQ(d.code, E_TXT_HEAP_SIZE);
    CHECK_EQ(heap_build(h, bios + 100, &p, &d), HEAP_R_HEAP_SMALL);
    CHECK_EQ(heap_build(h, bios + 8 + sizeof(struct txt_os_mle_data) + 20, &p, &d), HEAP_R_HEAP_SMALL);
    /* a heap smaller than the BIOS's own BiosData */
    CHECK_EQ(heap_build(h, bios - 1, &p, &d), HEAP_R_REGION_SIZE);
    CHECK_EQ(heap_build(h, 4, &p, &d), HEAP_R_REGION_SIZE);
    free(h);
}

static enum heap_reason verify_bios(uint8_t *h)
{
    struct txt_heap_params p;
    params(&p, 6, TXT_EVLOG_NONE);
    struct diag d;
    return heap_build(h, HEAP_SIZE, &p, &d);
}

TEST(txt_heap_bios_data)
{
    for (uint32_t v = 2; v <= 6; v++) {
        uint8_t *h = new_heap(v);
        CHECK_EQ(verify_bios(h), HEAP_OK);
        struct txt_heap_view view;
        CHECK_EQ(heap_verify(h, HEAP_SIZE, 0, &view, NULL), HEAP_OK);
        CHECK_EQ(view.bios.num_logical_procs, 4);
        CHECK_EQ(view.n_bios_ext, v >= 4 ? 1 : 0);
        free(h);
    }
}

TEST(txt_heap_bios_data_malformed)
{
    uint8_t *h = new_heap(4);
    w32(h + 8, 1);
    CHECK_EQ(verify_bios(h), HEAP_R_BIOS_VERSION);
    put_bios(h, 4, 0);
    CHECK_EQ(verify_bios(h), HEAP_R_BIOS_PROCS);
    put_bios(h, 3, 1);
    w64(h, 8 + 30); /* smaller than the v3 structure */
    CHECK_EQ(verify_bios(h), HEAP_R_REGION_SIZE);
    w64(h, HEAP_SIZE + 1); /* past the heap */
    CHECK_EQ(verify_bios(h), HEAP_R_REGION_SIZE);
    w64(h, ~0ull);
    CHECK_EQ(verify_bios(h), HEAP_R_REGION_SIZE);
    uint64_t s = put_bios(h, 4, 1);
    w32(h + 8 + 36 + 4, 4); /* element size below its header */
    CHECK_EQ(verify_bios(h), HEAP_R_EXT_ELEM);
    put_bios(h, 4, 1);
    w32(h + 8 + 36 + 4, 0x10000); /* element past the region */
    CHECK_EQ(verify_bios(h), HEAP_R_EXT_ELEM);
    put_bios(h, 4, 1);
    w64(h, s - 8); /* cut before END */
    CHECK_EQ(verify_bios(h), HEAP_R_EXT_NO_END);
    put_bios(h, 4, 1);
    w32(h + 8 + 36, TXT_EXT_ACM); /* an ACM element claiming addresses it lacks */
    w32(h + 8 + 36 + 4, 14);
    w32(h + 8 + 36 + 8, 3);
    CHECK_EQ(verify_bios(h), HEAP_R_EXT_ELEM);
    struct diag d;
    struct txt_heap_view v;
    CHECK_EQ(heap_verify(h, HEAP_SIZE, 0, &v, &d), HEAP_R_EXT_ELEM);
    CHECK_EQ(d.code, E_TXT_HEAP_MALFORMED);
    CHECK(strncmp(d.msg, "HEAP_R_EXT_ELEM: BiosData", 25) == 0);
    free(h);
}

/* A built heap with SinitMleData of a version written after it, as SINIT
 * would: two MDRs and a DMAR copy. Returns the SinitMleData offset. */
static uint64_t with_sinit_mle(uint8_t *h, uint32_t version)
{
    struct txt_heap_params p;
    params(&p, 7, TXT_EVLOG_TPM20);
    CHECK_EQ(heap_build(h, HEAP_SIZE, &p, NULL), HEAP_OK);
    struct txt_heap_view v;
    CHECK_EQ(heap_verify(h, HEAP_SIZE, 0, &v, NULL), HEAP_OK);
    uint64_t off = v.sinit_mle_off;
    uint8_t *s = h + off;
    struct txt_sinit_mle_data m;
    memset(&m, 0, sizeof(m));
    m.version = version;
    m.rlp_wakeup_addr = 0x12340;
    uint32_t fixed = version >= 8 ? 148 : 144, pos = 8 + fixed;
    if (version >= 9) {
        w32(s + pos, TXT_EXT_END);
        w32(s + pos + 4, 8);
        pos += 8;
    }
    m.num_mdrs = 2;
    m.mdrs_off = pos;
    struct txt_mdr mdr[2] = {{0, 0xa0000, TXT_MDR_GOOD, {0}}, {0x100000, 0x7fe00000, TXT_MDR_GOOD, {0}}};
    memcpy(s + pos, mdr, sizeof(mdr));
    pos += sizeof(mdr);
    m.dmar_off = pos;
    m.dmar_size = 64;
    memcpy(s + pos, "DMAR", 4);
    w32(s + pos + 4, 56);
    pos += 64;
    memcpy(s + 8, &m, fixed);
    w64(s, pos);
    return off;
}

static enum heap_reason verify_all(uint8_t *h, struct diag *d)
{
    struct txt_heap_view v;
    return heap_verify(h, HEAP_SIZE, HEAP_VERIFY_SINIT_MLE, &v, d);
}

TEST(txt_heap_sinit_mle_data)
{
    for (uint32_t ver = 6; ver <= 10; ver++) {
        uint8_t *h = calloc(1, HEAP_SIZE);
        put_bios(h, 6, 8);
        with_sinit_mle(h, ver);
        struct txt_heap_view v;
        struct diag d;
        enum heap_reason r = heap_verify(h, HEAP_SIZE, HEAP_VERIFY_SINIT_MLE, &v, &d);
        if (r)
            fprintf(stderr, "  v%u: %s\n", ver, d.msg);
        CHECK_EQ(r, HEAP_OK);
        CHECK_EQ(v.sinit_mle.version, ver);
        CHECK_EQ(v.sinit_mle.rlp_wakeup_addr, 0x12340);
        CHECK_EQ(v.sinit_mle.num_mdrs, 2);
        CHECK_EQ(heap_mdr_at(h, &v, 1).base, 0x100000);
        CHECK_EQ(heap_mdr_at(h, &v, 1).length, 0x7fe00000);
        CHECK(v.dmar_off != 0);
        CHECK(memcmp(h + v.dmar_off, "DMAR", 4) == 0);
        free(h);
    }
}

TEST(txt_heap_sinit_mle_data_malformed)
{
    uint8_t *h = calloc(1, HEAP_SIZE);
    put_bios(h, 6, 8);
    struct diag d;
    uint64_t off = with_sinit_mle(h, 8);
    uint8_t *s = h + off + 8;
    const size_t o_num = offsetof(struct txt_sinit_mle_data, num_mdrs);
    const size_t o_mdrs = offsetof(struct txt_sinit_mle_data, mdrs_off);
    const size_t o_dsize = offsetof(struct txt_sinit_mle_data, dmar_size);
    const size_t o_doff = offsetof(struct txt_sinit_mle_data, dmar_off);
    CHECK_EQ(verify_all(h, &d), HEAP_OK);

    w32(s + o_num, 1000); /* MDR count past the end */
    CHECK_EQ(verify_all(h, &d), HEAP_R_MDR);
    CHECK_EQ(d.code, E_TXT_HEAP_MALFORMED);
    w32(s + o_num, 0xffffffff);
    CHECK_EQ(verify_all(h, &d), HEAP_R_MDR);
    off = with_sinit_mle(h, 8);
    w32(s + o_mdrs, 20); /* MDRs over the fixed fields */
    CHECK_EQ(verify_all(h, &d), HEAP_R_MDR);
    w32(s + o_mdrs, 0xfffffff0);
    CHECK_EQ(verify_all(h, &d), HEAP_R_MDR);
    off = with_sinit_mle(h, 8);
    w64(h + off + 8 + 148 + 24 + 8, ~0ull); /* MDR 1 length wraps */
    CHECK_EQ(verify_all(h, &d), HEAP_R_MDR);

    off = with_sinit_mle(h, 8);
    w32(s + o_dsize, 0x10000); /* DMAR past the end */
    CHECK_EQ(verify_all(h, &d), HEAP_R_DMAR);
    off = with_sinit_mle(h, 8);
    w32(s + o_doff, 4);
    CHECK_EQ(verify_all(h, &d), HEAP_R_DMAR);
    off = with_sinit_mle(h, 8);
    memcpy(h + off + 8 + 148 + 48, "XXXX", 4); /* not a DMAR table */
    CHECK_EQ(verify_all(h, &d), HEAP_R_DMAR);

    off = with_sinit_mle(h, 8);
    w32(s, 5);
    CHECK_EQ(verify_all(h, &d), HEAP_R_SINIT_MLE_VERSION);
    CHECK_EQ(d.code, E_TXT_HEAP_VERSION);
    off = with_sinit_mle(h, 8);
    w64(h + off, 8 + 100); /* smaller than the v8 structure */
    CHECK_EQ(verify_all(h, &d), HEAP_R_REGION_SIZE);
    w64(h + off, HEAP_SIZE); /* past the heap end */
    CHECK_EQ(verify_all(h, &d), HEAP_R_REGION_SIZE);

    off = with_sinit_mle(h, 9);
    w32(h + off + 8 + 148, 3); /* the END element becomes an STM element... */
    w32(h + off + 8 + 148 + 4, 0x1000); /* ...past the region */
    CHECK_EQ(verify_all(h, &d), HEAP_R_EXT_ELEM);
    free(h);
}

TEST(txt_heap_os_data_malformed)
{
    uint8_t *h = new_heap(6);
    struct txt_heap_params p;
    params(&p, 6, TXT_EVLOG_TPM12);
    CHECK_EQ(heap_build(h, HEAP_SIZE, &p, NULL), HEAP_OK);
    struct txt_heap_view v;
    struct diag d;
    CHECK_EQ(heap_verify(h, HEAP_SIZE, 0, &v, &d), HEAP_OK);
    uint8_t *om = h + v.os_mle_off + 8, *os = h + v.os_sinit_off + 8;
    w32(om, 0x12345678); /* not Rensa's OsMleData */
    CHECK_EQ(heap_verify(h, HEAP_SIZE, 0, &v, &d), HEAP_R_OS_MLE);
    CHECK_EQ(heap_build(h, HEAP_SIZE, &p, NULL), HEAP_OK);
    w32(os, 4);
    CHECK_EQ(heap_verify(h, HEAP_SIZE, 0, &v, &d), HEAP_R_OS_SINIT_VERSION);
    CHECK_EQ(heap_build(h, HEAP_SIZE, &p, NULL), HEAP_OK);
    w64(os + offsetof(struct txt_os_sinit_data, vtd_pmr_lo_size), 0x7fe00001);
    CHECK_EQ(heap_verify(h, HEAP_SIZE, 0, &v, &d), HEAP_R_OS_SINIT);
    CHECK_EQ(heap_build(h, HEAP_SIZE, &p, NULL), HEAP_OK);
    w64(os + offsetof(struct txt_os_sinit_data, mle_hdr_base), MLE_SIZE);
    CHECK_EQ(heap_verify(h, HEAP_SIZE, 0, &v, &d), HEAP_R_OS_SINIT);
    CHECK_EQ(heap_build(h, HEAP_SIZE, &p, NULL), HEAP_OK);
    w32(os + 92 + 4, 12); /* the event log element's size */
    CHECK_EQ(heap_verify(h, HEAP_SIZE, 0, &v, &d), HEAP_R_EXT_ELEM);
    CHECK_EQ(heap_build(h, HEAP_SIZE, &p, NULL), HEAP_OK);
    w32(os + 92 + 16, 0x77); /* END becomes an unknown element of size 8, then nothing */
    CHECK_EQ(heap_verify(h, HEAP_SIZE, 0, &v, &d), HEAP_R_EXT_NO_END);
    free(h);
}

static void pmr_case(const paddr_t (*ram)[2], unsigned n, enum heap_reason want, paddr_t lo_size, paddr_t hi_base,
                     paddr_t hi_size, paddr_t lo_left, paddr_t hi_left)
{
    struct memmap m = map_of(ram, n);
    struct txt_pmr p;
    struct diag d;
    enum heap_reason r = txt_pmr_compute(&m, &p, &d);
    CHECK_EQ(r, want);
    if (r != HEAP_OK)
        return;
    CHECK_EQ(p.lo_base, 0);
    CHECK_EQ(p.lo_size, lo_size);
    CHECK_EQ(p.hi_base, hi_base);
    CHECK_EQ(p.hi_size, hi_size);
    CHECK_EQ(p.lo_left_len, lo_left);
    CHECK_EQ(p.hi_left_len, hi_left);
    CHECK_EQ(p.lo_size % TXT_PMR_ALIGN, 0);
    CHECK_EQ(p.hi_size % TXT_PMR_ALIGN, 0);
}

TEST(txt_pmr_compute_maps)
{
    /* QEMU, 2 GiB: RAM to 0x7ffe0000 (not 2 MiB aligned) */
    static const paddr_t q2g[][2] = {{0, 0x9fc00}, {0x100000, 0x7ffe0000 - 0x100000}};
    pmr_case(q2g, 2, HEAP_OK, 0x7fe00000, 0, 0, 0x1e0000, 0);
    /* 8 GiB server-like: 3 GiB low with a hole, 5 GiB high ending unaligned */
    static const paddr_t s8g[][2] = {{0, 0x9f000}, {0x100000, 0x3ff00000}, {0x40400000, 0x7fc00000},
                                     {GiB(4), GiB(5) + 0x123000}};
    pmr_case(s8g, 4, HEAP_OK, 0xc0000000, GiB(4), GiB(5), 0, 0x123000);
    /* RAM straddling 4 GiB is split between the two PMRs */
    static const paddr_t straddle[][2] = {{0, 0xa0000}, {0x100000, GiB(5) - 0x100000}};
    pmr_case(straddle, 2, HEAP_OK, GiB(4), GiB(4), GiB(1), 0, 0);
    /* under 2 MiB of RAM above 4 GiB: no high PMR, all of it left over */
    static const paddr_t tiny_hi[][2] = {{0, MiB(512)}, {GiB(4), MiB(1)}};
    pmr_case(tiny_hi, 2, HEAP_OK, MiB(512), 0, 0, 0, MiB(1));
    /* no RAM below 4 GiB at all, or less than 2 MiB */
    static const paddr_t hi_only[][2] = {{GiB(4), GiB(1)}};
    pmr_case(hi_only, 1, HEAP_R_PMR, 0, 0, 0, 0, 0);
    static const paddr_t tiny_lo[][2] = {{0, 0x9f000}, {0x100000, 0x80000}};
    pmr_case(tiny_lo, 2, HEAP_R_PMR, 0, 0, 0, 0, 0);
}

TEST(txt_heap_reason_names)
{
    CHECK_STR(heap_reason_name(HEAP_R_MDR), "HEAP_R_MDR");
    CHECK_STR(heap_reason_name(HEAP_REASON_COUNT), "HEAP_R_UNKNOWN");
    CHECK_EQ(heap_reason_err(HEAP_R_HEAP_SMALL), E_TXT_HEAP_SIZE);
}
