/* Unit tests: AC module parsing, validation, platform matching, choosing
 * among modules and the BIOS copy, installing (acm/, include/acm.h). */
#include <stdlib.h>
#include "acm.h"
#include "unit.h"

/* ---------------------------------------------------------------- builder */

struct spec {
    uint32_t hdr_ver; /* 0 or 3.0 */
    uint16_t flags;
    uint32_t date;
    uint16_t txt_svn;
    uint8_t info_ver, acm_type, acm_ver;
    uint32_t caps, os_sinit, min_mle;
    uint32_t tpm_caps;
    uint16_t algs[4];
    unsigned n_algs;
    struct acm_chipset_id cs[4];
    unsigned n_cs;
    bool cs2; /* version 9: put the chipsets in CS2L */
    struct acm_processor_id cpu[4];
    unsigned n_cpu;
    uint32_t size;
};

static void w32(uint8_t *b, uint32_t off, uint32_t v)
{
    memcpy(b + off, &v, 4);
}

#define IVB_DIDVID 0x00000001b0018086ull
#define IVB_FMS 0x306a9u

static struct spec ivb(void)
{
    struct spec s;
    memset(&s, 0, sizeof(s));
    s.date = 0x20140219;
    s.txt_svn = 2;
    s.info_ver = 5;
    s.acm_type = ACM_CHIPSET_TYPE_SINIT;
    s.acm_ver = 67;
    s.caps = ACM_CAP_RLP_WAKE_GETSEC | ACM_CAP_RLP_WAKE_MONITOR | ACM_CAP_PCR_MAP_DA | (ACM_PLATFORM_CLIENT << 6);
    s.os_sinit = 6;
    s.min_mle = 0x00020000;
    s.tpm_caps = 2 | (ACM_TPM_FAMILY_DTPM12 << 2);
    s.algs[0] = ACM_ALG_SHA1;
    s.n_algs = 1;
    s.cs[0] = (struct acm_chipset_id){1, 0x8086, 0xb001, 0x1, 0, 0};
    s.n_cs = 1;
    s.cpu[0] = (struct acm_processor_id){0x206a0, 0x0fff3ff0, 0, 0};
    s.cpu[1] = (struct acm_processor_id){0x306a0, 0x0fff3ff0, 0, 0};
    s.n_cpu = 2;
    s.size = 0x4000;
    return s;
}

/* Builds the module into a fresh malloc'd buffer of s->size bytes; *info
 * (if non-NULL) gets the table offset. */
static uint8_t *build(const struct spec *s, uint32_t *info)
{
    static const uint8_t uuid[16] = ACM_UUID_V3_BYTES;
    uint8_t *b = calloc(1, s->size);
    uint32_t key_dw = s->hdr_ver ? 96 : 64, hdr_len = (128 + key_dw * 4 + (s->hdr_ver ? 384 : 260)) / 4;
    uint32_t scratch = s->hdr_ver ? 208 : 143, io = (hdr_len + scratch) * 4;
    struct acm_header h;
    memset(&h, 0, sizeof(h));
    h.module_type = 2;
    h.header_len = hdr_len;
    h.header_version = s->hdr_ver;
    h.flags = s->flags;
    h.module_vendor = 0x8086;
    h.date = s->date;
    h.size = s->size / 4;
    h.txt_svn = s->txt_svn;
    h.gdt_base = s->size - 0x100;
    h.gdt_limit = 0x1f;
    h.seg_sel = 8;
    h.entry_point = s->size - 0x80;
    h.key_size = key_dw;
    h.scratch_size = scratch;
    memcpy(b, &h, sizeof(h));
    uint16_t len = s->info_ver >= 5 ? 48 : s->info_ver == 4 ? 44 : 40;
    memcpy(b + io, uuid, 16);
    b[io + 16] = s->acm_type;
    b[io + 17] = s->info_ver;
    memcpy(b + io + 18, &len, 2);
    w32(b, io + 24, s->os_sinit);
    w32(b, io + 28, s->min_mle);
    w32(b, io + 32, s->caps);
    b[io + 36] = s->acm_ver;
    uint32_t p = io + len;
    if (s->info_ver < 9) {
        w32(b, io + 20, p);
        w32(b, p, s->n_cs);
        memcpy(b + p + 4, s->cs, s->n_cs * 16);
        p += 4 + s->n_cs * 16;
        if (s->info_ver >= 4) {
            w32(b, io + 40, p);
            w32(b, p, s->n_cpu);
            memcpy(b + p + 4, s->cpu, s->n_cpu * 24);
            p += 4 + s->n_cpu * 24;
        }
        if (s->info_ver >= 5) {
            w32(b, io + 44, p);
            w32(b, p, s->tpm_caps);
            memcpy(b + p + 4, &(uint16_t){(uint16_t)s->n_algs}, 2);
            memcpy(b + p + 6, s->algs, s->n_algs * 2);
        }
    } else {
        w32(b, p, s->cs2 ? ACM_TLV_CS2L : ACM_TLV_CS1L);
        w32(b, p + 4, 12 + 4 + s->n_cs * 16);
        w32(b, p + 12, s->n_cs);
        memcpy(b + p + 16, s->cs, s->n_cs * 16);
        p += 16 + s->n_cs * 16;
        w32(b, p, ACM_TLV_CPUL);
        w32(b, p + 4, 12 + 4 + s->n_cpu * 24);
        w32(b, p + 12, s->n_cpu);
        memcpy(b + p + 16, s->cpu, s->n_cpu * 24);
        p += 16 + s->n_cpu * 24;
        w32(b, p, ACM_TLV_TPML);
        w32(b, p + 4, 12 + 8 + 2 * 4);
        w32(b, p + 12, s->tpm_caps);
        memcpy(b + p + 16, &(uint16_t){(uint16_t)s->n_algs}, 2);
        memcpy(b + p + 18, s->algs, s->n_algs * 2);
        p += 12 + 8 + 2 * 4;
        w32(b, p, ACM_TLV_TERM);
        w32(b, p + 4, 12);
    }
    if (info)
        *info = io;
    return b;
}

static struct acm_platform ivb_platform(void)
{
    struct acm_platform p;
    memset(&p, 0, sizeof(p));
    p.didvid = IVB_DIDVID;
    p.ver_fsbif = 0xffffffff;
    p.ver_qpiif = 0x9d003000; /* production fused */
    p.fms = IVB_FMS;
    p.platform_id = 1ull << 50;
    p.platform_type = ACM_PLATFORM_CLIENT;
    p.tpm_family = ACM_TPM_FAMILY_DTPM12;
    return p;
}

static enum acm_reason parse_spec(const struct spec *s, struct acm *a, uint8_t **buf)
{
    *buf = build(s, NULL);
    struct diag d;
    return acm_parse(*buf, s->size, a, &d);
}

/* ---------------------------------------------------------------- parsing */

TEST(acm_parse_ivb_v5)
{
    struct spec s = ivb();
    uint8_t *b;
    struct acm a;
    CHECK_EQ(parse_spec(&s, &a, &b), ACM_OK);
    CHECK_EQ(a.size, 0x4000);
    CHECK_EQ(a.info_off, (161 + 143) * 4);
    CHECK_EQ(a.key_len, 256);
    CHECK_EQ(a.exp_off, 128 + 256);
    CHECK_EQ(a.sig_off, 128 + 260);
    CHECK_EQ(a.info.version, 5);
    CHECK_EQ(a.chipsets.count, 1);
    CHECK_EQ(acm_chipset_at(&a, &a.chipsets, 0).device_id, 0xb001);
    CHECK_EQ(a.processors.count, 2);
    CHECK_EQ(acm_processor_at(&a, 1).fms, 0x306a0);
    CHECK(a.has_tpm_info);
    CHECK_EQ(acm_tpm_alg_at(&a, 0), ACM_ALG_SHA1);
    CHECK_EQ(acm_platform_type(&a), ACM_PLATFORM_CLIENT);
    CHECK(acm_is_sinit(b, s.size));
    free(b);
}

TEST(acm_parse_every_table_version)
{
    for (uint8_t v = 3; v <= 9; v++) {
        struct spec s = ivb();
        s.info_ver = v;
        uint8_t *b;
        struct acm a;
        CHECK_EQ(parse_spec(&s, &a, &b), ACM_OK);
        CHECK_EQ(a.processors.present, v >= 4);
        CHECK_EQ(a.has_tpm_info, v >= 5);
        CHECK_EQ(a.chipsets.count, 1);
        free(b);
    }
}

TEST(acm_parse_header_v3_tlv_cs2l)
{
    struct spec s = ivb();
    s.hdr_ver = ACM_HDR_VER_3_0;
    s.info_ver = 9;
    s.cs2 = true;
    s.cs[0] = (struct acm_chipset_id){0, 0x8086, 0xb000, 0, 0xfff0, 0};
    uint8_t *b;
    struct acm a;
    CHECK_EQ(parse_spec(&s, &a, &b), ACM_OK);
    CHECK_EQ(a.key_len, 384);
    CHECK_EQ(a.exp_off, 0);
    CHECK_EQ(a.sig_len, 384);
    CHECK(!a.chipsets.present);
    CHECK_EQ(a.chipsets2.count, 1);
    struct acm_platform p = ivb_platform();
    struct acm_mle_req r;
    acm_mle_req_default(&r);
    p.didvid = 0x00000001b00d8086ull; /* 0xb00d & 0xfff0 == 0xb000 */
    struct acm_match_result m;
    CHECK_EQ(acm_match(&a, &p, &r, &m, NULL), ACM_OK);
    CHECK_EQ(m.chipset2_entry, 0);
    p.didvid = 0x00000001a00d8086ull;
    CHECK_EQ(acm_match(&a, &p, &r, &m, NULL), ACM_R_CHIPSET);
    free(b);
}

/* Corrupts one 32-bit field and checks the reason. */
static void expect_corrupt(uint32_t off, uint32_t val, bool info_rel, enum acm_reason want, uint8_t ver)
{
    struct spec s = ivb();
    s.info_ver = ver;
    uint32_t io;
    uint8_t *b = build(&s, &io);
    w32(b, info_rel ? io + off : off, val);
    struct acm a;
    struct diag d;
    enum acm_reason got = acm_parse(b, s.size, &a, &d);
    if (got != want)
        fprintf(stderr, "  offset %u value 0x%x: got %s (%s), wanted %s\n", off, val, acm_reason_name(got), d.msg,
                acm_reason_name(want));
    CHECK_EQ(got, want);
    CHECK(got == ACM_OK || d.code != E_OK);
    free(b);
}

TEST(acm_parse_rejects_header_problems)
{
    expect_corrupt(0, 3, false, ACM_R_MODULE_TYPE, 5);
    expect_corrupt(16, 0x1022, false, ACM_R_VENDOR, 5);
    expect_corrupt(24, 0, false, ACM_R_SIZE_ZERO, 5);
    expect_corrupt(24, 0x100000, false, ACM_R_TRUNCATED, 5);
    expect_corrupt(24, 0x4000 / 4 - 1, false, ACM_R_SIZE_ALIGN, 5);
    expect_corrupt(8, 0x00020000, false, ACM_R_HEADER_VERSION, 5);
    expect_corrupt(4, 100, false, ACM_R_HEADER_LEN, 5);
    expect_corrupt(4, 0xffffffff, false, ACM_R_HEADER_LEN, 5);
    expect_corrupt(120, 96, false, ACM_R_KEY_SIZE, 5);
    expect_corrupt(124, 0xffffffff, false, ACM_R_SCRATCH, 5);
    expect_corrupt(52, 0x4000, false, ACM_R_ENTRY, 5);
    expect_corrupt(44, 0xfffffff0, false, ACM_R_GDT, 5);
    expect_corrupt(48, 0, false, ACM_R_SEG_SEL, 5);
    expect_corrupt(48, 0x0b, false, ACM_R_SEG_SEL, 5);
    expect_corrupt(48, 0x20, false, ACM_R_SEG_SEL, 5);
    expect_corrupt(124, 0x4000 / 4 - 161 - 5, false, ACM_R_INFO_PAST_END, 5);
}

TEST(acm_parse_rejects_table_problems)
{
    expect_corrupt(0, 0, true, ACM_R_UUID, 5);
    expect_corrupt(16, 0x0201, true, ACM_R_INFO_VERSION, 5); /* version 2 */
    expect_corrupt(16, 0x0a01, true, ACM_R_INFO_VERSION, 5); /* version 10 */
    expect_corrupt(16, 0x00200501, true, ACM_R_INFO_LENGTH, 5); /* length 32 */
    expect_corrupt(16, 0xff000501, true, ACM_R_INFO_LENGTH, 5); /* past the end */
    expect_corrupt(16, 0x00300500, true, ACM_R_NOT_SINIT, 5); /* BIOS ACM */
    expect_corrupt(20, 0x3ffe, true, ACM_R_LIST_OFFSET, 5);
    expect_corrupt(20, 0x10, true, ACM_R_LIST_OFFSET, 5); /* inside the header */
    expect_corrupt(20, 0xfffffffe, true, ACM_R_LIST_OFFSET, 5);
    expect_corrupt(40, 0x7fffffff, true, ACM_R_LIST_OFFSET, 5);
    expect_corrupt(44, 0x3ffc, true, ACM_R_LIST_OFFSET, 5);
    /* counts: the chipset list starts right after the table */
    expect_corrupt(48, 0xffffffff, true, ACM_R_LIST_COUNT, 5);
    expect_corrupt(48, 0, true, ACM_R_LIST_EMPTY, 5);
    expect_corrupt(48 + 20, 0, true, ACM_R_LIST_EMPTY, 5); /* processor count */
    expect_corrupt(48 + 20, 0x0aaaaaab, true, ACM_R_LIST_COUNT, 5);
    expect_corrupt(48 + 20 + 52 + 4, 0xffff, true, ACM_R_LIST_COUNT, 5); /* TPM alg count (low half) */
}

TEST(acm_parse_rejects_tlv_problems)
{
    expect_corrupt(48, ACM_TLV_CPUL, true, ACM_R_LIST_COUNT, 9); /* CS1L read as CPUL: 24-byte entries do not fit */
    expect_corrupt(48 + 32, ACM_TLV_CS1L, true, ACM_R_TLV_DUPLICATE, 9); /* CPUL becomes a second CS1L */
    expect_corrupt(52, 8, true, ACM_R_TLV_SIZE, 9);
    expect_corrupt(52, 0x10000, true, ACM_R_TLV_SIZE, 9);
    expect_corrupt(52, 0xfffffff0, true, ACM_R_TLV_SIZE, 9);
    expect_corrupt(60, 0x40000000, true, ACM_R_LIST_COUNT, 9);
    expect_corrupt(60, 0, true, ACM_R_LIST_EMPTY, 9);
    expect_corrupt(48, ACM_TLV_VERL, true, ACM_R_TLV_MISSING, 9); /* chipset list becomes unknown */
    /* No TERM: the TERM entry turned into an unknown one running to the end */
    struct spec s = ivb();
    s.info_ver = 9;
    uint32_t io;
    uint8_t *b = build(&s, &io);
    uint32_t term = io + 48 + 32 + 64 + 28;
    CHECK_EQ(*(uint32_t *)(b + term), ACM_TLV_TERM);
    w32(b, term, ACM_TLV_VERL);
    w32(b, term + 4, s.size - term);
    struct acm a;
    CHECK_EQ(acm_parse(b, s.size, &a, NULL), ACM_R_TLV_NO_TERM);
    w32(b, term + 4, 12);
    CHECK_EQ(acm_parse(b, s.size, &a, NULL), ACM_R_TLV_SIZE); /* zeros after it: id 0, size 0 */
    free(b);
}

TEST(acm_parse_truncation_everywhere)
{
    /* Every prefix of a valid module is rejected, never read past (ASan). */
    struct spec s = ivb();
    s.info_ver = 9;
    uint8_t *b = build(&s, NULL);
    for (uint32_t n = 0; n < s.size; n += 61) {
        uint8_t *c = malloc(n ? n : 1);
        memcpy(c, b, n);
        struct acm a;
        enum acm_reason r = acm_parse(c, n, &a, NULL);
        CHECK(r != ACM_OK);
        acm_is_sinit(c, n);
        free(c);
    }
    struct acm a;
    CHECK_EQ(acm_parse(NULL, 100, &a, NULL), ACM_R_NULL);
    CHECK(!acm_is_sinit(NULL, 0x4000));
    free(b);
}

TEST(acm_reason_names_and_errors)
{
    CHECK_STR(acm_reason_name(ACM_R_CHIPSET), "ACM_R_CHIPSET");
    CHECK_EQ(acm_reason_err(ACM_R_CHIPSET), E_ACM_MISMATCH);
    CHECK_EQ(acm_reason_err(ACM_R_TRUNCATED), E_ACM_MALFORMED);
    CHECK_EQ(acm_reason_err(ACM_R_OVERLAP), E_ACM_OVERLAP);
    for (unsigned r = 0; r < ACM_REASON_COUNT; r++)
        CHECK(strncmp(acm_reason_name(r), "ACM_", 4) == 0 && acm_reason_text(r)[0]);
    CHECK(acm_date_valid(0x20140219));
    CHECK(!acm_date_valid(0x2014021a));
    CHECK(!acm_date_valid(0x20141301));
}

/* ---------------------------------------------------------------- matching */

static enum acm_reason match_with(struct spec s, struct acm_platform p, struct acm_match_result *m)
{
    uint8_t *b;
    struct acm a;
    struct acm_mle_req r;
    acm_mle_req_default(&r);
    enum acm_reason res = parse_spec(&s, &a, &b);
    if (res == ACM_OK) {
        struct diag d;
        res = acm_match(&a, &p, &r, m, &d);
        if (res != ACM_OK)
            CHECK(strstr(d.msg, acm_reason_name(res)) == d.msg);
    }
    free(b);
    return res;
}

TEST(acm_match_ivb_dq77mk)
{
    struct acm_match_result m;
    CHECK_EQ(match_with(ivb(), ivb_platform(), &m), ACM_OK);
    CHECK_EQ(m.chipset_entry, 0);
    CHECK_EQ(m.processor_entry, 1);
    CHECK_EQ(m.os_sinit_ver, 6);
}

TEST(acm_match_chipset_revision_rules)
{
    struct spec s = ivb();
    struct acm_platform p = ivb_platform();
    struct acm_match_result m;
    p.didvid = 0x00000003b0018086ull; /* revision 3 & mask 1 != 0 */
    CHECK_EQ(match_with(s, p, &m), ACM_OK);
    p.didvid = 0x00000002b0018086ull;
    CHECK_EQ(match_with(s, p, &m), ACM_R_CHIPSET);
    s.cs[0].flags = 0; /* exact revision */
    p.didvid = 0x00000003b0018086ull;
    CHECK_EQ(match_with(s, p, &m), ACM_R_CHIPSET);
    p.didvid = 0x00000001b0018086ull;
    CHECK_EQ(match_with(s, p, &m), ACM_OK);
    p.didvid = 0x00000001b0028086ull;
    CHECK_EQ(match_with(s, p, &m), ACM_R_CHIPSET);
    p.didvid = 0x00000001b0011022ull;
    CHECK_EQ(match_with(s, p, &m), ACM_R_CHIPSET);
}

TEST(acm_match_processor_and_platform_id)
{
    struct spec s = ivb();
    struct acm_platform p = ivb_platform();
    struct acm_match_result m;
    p.fms = 0x506e3; /* Skylake */
    CHECK_EQ(match_with(s, p, &m), ACM_R_PROCESSOR);
    p.fms = 0x206a7; /* Sandy Bridge: first entry */
    CHECK_EQ(match_with(s, p, &m), ACM_OK);
    CHECK_EQ(m.processor_entry, 0);
    s.cpu[0].platform_id = 1ull << 50;
    s.cpu[0].platform_mask = 7ull << 50;
    s.n_cpu = 1;
    p.platform_id = 2ull << 50;
    CHECK_EQ(match_with(s, p, &m), ACM_R_PROCESSOR);
    p.platform_id = (1ull << 50) | 0xff;
    CHECK_EQ(match_with(s, p, &m), ACM_OK);
    s.info_ver = 3; /* no processor list before version 4 */
    p.fms = 0x506e3;
    CHECK_EQ(match_with(s, p, &m), ACM_OK);
}

TEST(acm_match_debug_production)
{
    struct spec s = ivb();
    struct acm_platform p = ivb_platform();
    struct acm_match_result m;
    s.flags = ACM_FLAG_DEBUG_SIGNED;
    CHECK_EQ(match_with(s, p, &m), ACM_R_DEBUG_MISMATCH);
    p.ver_qpiif = 0x1d003000; /* debug fused */
    CHECK_EQ(match_with(s, p, &m), ACM_OK);
    s.flags = 0;
    CHECK_EQ(match_with(s, p, &m), ACM_R_DEBUG_MISMATCH);
    p.ver_fsbif = 0x80000000; /* FSBIF valid: wins over QPIIF */
    CHECK_EQ(match_with(s, p, &m), ACM_OK);
    p.ver_fsbif = 0; /* zero: QPIIF */
    CHECK_EQ(match_with(s, p, &m), ACM_R_DEBUG_MISMATCH);
}

TEST(acm_match_client_server_tpm_versions)
{
    struct spec s = ivb();
    struct acm_platform p = ivb_platform();
    struct acm_match_result m;
    p.platform_type = ACM_PLATFORM_SERVER;
    CHECK_EQ(match_with(s, p, &m), ACM_R_PLATFORM_TYPE);
    p.platform_type = ACM_PLATFORM_LEGACY;
    CHECK_EQ(match_with(s, p, &m), ACM_OK);
    p = ivb_platform();
    p.tpm_family = ACM_TPM_FAMILY_DTPM20;
    CHECK_EQ(match_with(s, p, &m), ACM_R_TPM_FAMILY);
    p.tpm_family = 0;
    p.n_tpm_algs = 1;
    p.tpm_algs[0] = ACM_ALG_SHA256;
    CHECK_EQ(match_with(s, p, &m), ACM_R_TPM_ALG);
    p.n_tpm_algs = 2;
    p.tpm_algs[1] = ACM_ALG_SHA1;
    CHECK_EQ(match_with(s, p, &m), ACM_OK);
    p = ivb_platform();
    s.os_sinit = 4;
    CHECK_EQ(match_with(s, p, &m), ACM_R_OS_SINIT_VER);
    s.os_sinit = 9;
    CHECK_EQ(match_with(s, p, &m), ACM_OK);
    CHECK_EQ(m.os_sinit_ver, ACM_RENSA_OS_SINIT_MAX);
    s.min_mle = 0x00020003;
    CHECK_EQ(match_with(s, p, &m), ACM_R_MLE_HDR_VER);
    s.min_mle = 0x00020001;
    s.caps &= ~(ACM_CAP_RLP_WAKE_GETSEC | ACM_CAP_RLP_WAKE_MONITOR);
    CHECK_EQ(match_with(s, p, &m), ACM_R_RLP_WAKE);
    s = ivb();
    p.acm_max_size = 0x2000;
    CHECK_EQ(match_with(s, p, &m), ACM_R_MAX_SIZE);
}

static uint64_t fake_txt(void *ctx, uint32_t reg)
{
    (void)ctx;
    return reg == ACM_TXT_DIDVID ? IVB_DIDVID : reg == ACM_TXT_VER_FSBIF ? 0xffffffffu : 0x9d003000u;
}
static uint32_t fake_cpuid(void *ctx)
{
    (void)ctx;
    return IVB_FMS;
}
static uint64_t fake_msr(void *ctx, uint32_t msr)
{
    *(uint32_t *)ctx = msr;
    return 1ull << 50;
}

TEST(acm_platform_read_through_ops)
{
    uint32_t last_msr = 0;
    struct acm_platform_ops ops = {&last_msr, fake_txt, fake_cpuid, fake_msr};
    struct acm_platform p;
    memset(&p, 0, sizeof(p));
    acm_platform_read(&ops, &p);
    CHECK_EQ(p.didvid, IVB_DIDVID);
    CHECK_EQ(p.fms, IVB_FMS);
    CHECK_EQ(last_msr, ACM_MSR_PLATFORM_ID);
    CHECK(acm_platform_production(&p));
    struct acm_match_result m;
    CHECK_EQ(match_with(ivb(), p, &m), ACM_OK);
}

/* ---------------------------------------------------------------- choosing */

struct world {
    uint8_t *region; /* simulated SINIT region bytes */
    struct acm_region reg;
    struct acm_candidate c[ACM_MAX_CANDIDATES];
    unsigned n;
    uint8_t *bufs[8];
    unsigned nbufs;
};

static void world_init(struct world *w, const struct spec *bios)
{
    memset(w, 0, sizeof(*w));
    w->reg.base = 0xdf700000;
    w->reg.size = 0x20000;
    w->region = calloc(1, w->reg.size);
    if (bios) {
        uint8_t *b = build(bios, NULL);
        memcpy(w->region, b, bios->size);
        free(b);
        w->reg.bios_sinit_size = bios->size;
        w->n += acm_bios_candidate(&w->c[0], w->region, &w->reg);
    }
}

static void world_module(struct world *w, const struct spec *s, unsigned index, paddr_t phys)
{
    uint8_t *b = build(s, NULL);
    w->bufs[w->nbufs++] = b;
    struct acm_candidate *c = &w->c[w->n++];
    memset(c, 0, sizeof(*c));
    c->source = ACM_SRC_MODULE;
    c->index = index;
    c->p = b;
    c->len = s->size;
    c->phys = phys;
}

static void world_free(struct world *w)
{
    for (unsigned i = 0; i < w->nbufs; i++)
        free(w->bufs[i]);
    free(w->region);
}

static enum rensa_err choose(struct world *w, struct acm_choice *ch)
{
    struct acm_platform p = ivb_platform();
    struct acm_mle_req r;
    acm_mle_req_default(&r);
    return acm_choose(w->c, w->n, &w->reg, &p, &r, ch);
}

TEST(acm_choose_nothing)
{
    struct world w;
    world_init(&w, NULL);
    struct acm_choice ch;
    CHECK_EQ(choose(&w, &ch), E_ACM_NO_SINIT);
    CHECK_EQ(ch.chosen, -1);
    world_free(&w);
}

TEST(acm_choose_newest_module_wins)
{
    struct world w;
    world_init(&w, NULL);
    struct spec old = ivb(), mid = ivb(), new = ivb();
    old.date = 0x20120101;
    mid.date = 0x20130101;
    new.date = 0x20140101;
    world_module(&w, &old, 1, 0x1000000);
    world_module(&w, &new, 2, 0x1100000);
    world_module(&w, &mid, 3, 0x1200000);
    struct acm_choice ch;
    CHECK_EQ(choose(&w, &ch), E_OK);
    CHECK_EQ(ch.chosen, 1);
    CHECK(ch.copy_needed);
    CHECK_EQ(w.c[0].reason, ACM_R_OLDER);
    CHECK_EQ(w.c[2].reason, ACM_R_OLDER);
    CHECK(strstr(w.c[0].why.msg, "module 2 is newer") != NULL);
    world_free(&w);
}

TEST(acm_choose_version_before_date)
{
    struct world w;
    world_init(&w, NULL);
    struct spec a = ivb(), b = ivb();
    a.date = 0x20200101; /* later date, older SVN */
    a.txt_svn = 1;
    b.date = 0x20140101;
    b.txt_svn = 3;
    world_module(&w, &a, 1, 0x1000000);
    world_module(&w, &b, 2, 0x1100000);
    struct acm_choice ch;
    CHECK_EQ(choose(&w, &ch), E_OK);
    CHECK_EQ(ch.chosen, 1);
    world_free(&w);
}

TEST(acm_choose_skips_incompatible_and_reports_why)
{
    struct world w;
    world_init(&w, NULL);
    struct spec hsx = ivb(), ok = ivb();
    hsx.cs[0].device_id = 0xb002;
    hsx.date = 0x20190718; /* newer, but for another chipset */
    world_module(&w, &hsx, 1, 0x1000000);
    world_module(&w, &ok, 2, 0x1100000);
    struct acm_choice ch;
    CHECK_EQ(choose(&w, &ch), E_OK);
    CHECK_EQ(ch.chosen, 1);
    CHECK_EQ(w.c[0].reason, ACM_R_CHIPSET);
    world_free(&w);
    /* only the incompatible one: a mismatch error naming it */
    world_init(&w, NULL);
    world_module(&w, &hsx, 1, 0x1000000);
    CHECK_EQ(choose(&w, &ch), E_ACM_MISMATCH);
    CHECK(strstr(ch.why.msg, "ACM_R_CHIPSET") != NULL);
    world_free(&w);
}

TEST(acm_choose_bios_copy_rules)
{
    struct spec bios = ivb(), mod = ivb();
    struct acm_choice ch;
    struct world w;
    /* BIOS copy alone */
    world_init(&w, &bios);
    CHECK_EQ(choose(&w, &ch), E_OK);
    CHECK_EQ(ch.chosen, 0);
    CHECK(!ch.copy_needed);
    world_free(&w);
    /* same version and date: the BIOS copy stays */
    world_init(&w, &bios);
    world_module(&w, &mod, 1, 0x1000000);
    CHECK_EQ(choose(&w, &ch), E_OK);
    CHECK_EQ(ch.chosen, 0);
    CHECK_EQ(w.c[1].reason, ACM_R_OLDER);
    world_free(&w);
    /* a newer module beats the BIOS copy */
    mod.date = 0x20150101;
    world_init(&w, &bios);
    world_module(&w, &mod, 1, 0x1000000);
    CHECK_EQ(choose(&w, &ch), E_OK);
    CHECK_EQ(ch.chosen, 1);
    CHECK(ch.copy_needed);
    CHECK_EQ(w.c[0].reason, ACM_R_OLDER);
    world_free(&w);
    /* an older module loses to the BIOS copy */
    mod.date = 0x20100101;
    world_init(&w, &bios);
    world_module(&w, &mod, 1, 0x1000000);
    CHECK_EQ(choose(&w, &ch), E_OK);
    CHECK_EQ(ch.chosen, 0);
    world_free(&w);
    /* a BIOS copy for another chipset is not used */
    struct spec other = ivb();
    other.cs[0].device_id = 0xb002;
    other.date = 0x20300101;
    mod.date = 0x20100101;
    world_init(&w, &other);
    world_module(&w, &mod, 1, 0x1000000);
    CHECK_EQ(choose(&w, &ch), E_OK);
    CHECK_EQ(ch.chosen, 1);
    CHECK_EQ(w.c[0].reason, ACM_R_CHIPSET);
    world_free(&w);
    /* BiosSinitSize larger than the region: parsed within the region only */
    world_init(&w, &bios);
    w.reg.bios_sinit_size = 0x100000;
    CHECK_EQ(acm_bios_candidate(&w.c[0], w.region, &w.reg), 1);
    CHECK_EQ(w.c[0].len, w.reg.size);
    world_free(&w);
    /* BiosSinitSize smaller than the module: truncated */
    world_init(&w, &bios);
    w.reg.bios_sinit_size = 0x1000;
    acm_bios_candidate(&w.c[0], w.region, &w.reg);
    CHECK_EQ(choose(&w, &ch), E_ACM_MALFORMED);
    CHECK_EQ(w.c[0].reason, ACM_R_TRUNCATED);
    world_free(&w);
}

TEST(acm_choose_overlaps)
{
    struct spec bios = ivb(), mod = ivb();
    mod.date = 0x20100101; /* older than the BIOS copy */
    struct acm_choice ch;
    struct world w;
    /* a module loaded over the SINIT region overwrote the BIOS copy */
    world_init(&w, &bios);
    world_module(&w, &mod, 1, w.reg.base + 0x1000);
    CHECK_EQ(choose(&w, &ch), E_OK);
    CHECK_EQ(w.c[0].reason, ACM_R_OVERWRITTEN);
    CHECK_EQ(ch.chosen, 1);
    CHECK(ch.copy_needed);
    world_free(&w);
    /* a module exactly at SINIT.BASE needs no copy */
    world_init(&w, NULL);
    world_module(&w, &mod, 1, w.reg.base);
    CHECK_EQ(choose(&w, &ch), E_OK);
    CHECK(!ch.copy_needed);
    world_free(&w);
    /* two modules sharing bytes: neither is trusted */
    world_init(&w, NULL);
    world_module(&w, &mod, 1, 0x1000000);
    world_module(&w, &mod, 2, 0x1000000 + 0x2000);
    CHECK_EQ(choose(&w, &ch), E_ACM_OVERLAP);
    CHECK_EQ(w.c[0].reason, ACM_R_OVERLAP);
    CHECK_EQ(w.c[1].reason, ACM_R_OVERLAP);
    world_free(&w);
    /* adjacent is fine */
    world_init(&w, NULL);
    world_module(&w, &mod, 1, 0x1000000);
    world_module(&w, &mod, 2, 0x1000000 + mod.size);
    CHECK_EQ(choose(&w, &ch), E_OK);
    world_free(&w);
}

TEST(acm_choose_region_too_small_and_install)
{
    struct spec big = ivb();
    big.size = 0x30000;
    struct acm_choice ch;
    struct world w;
    world_init(&w, NULL);
    world_module(&w, &big, 1, 0x1000000);
    CHECK_EQ(choose(&w, &ch), E_ACM_REGION);
    CHECK_EQ(w.c[0].reason, ACM_R_REGION_SIZE);
    struct diag d;
    CHECK_EQ(acm_install(&w.c[0], w.region, &w.reg, &d), E_ACM_REGION);
    world_free(&w);

    struct spec mod = ivb();
    world_init(&w, NULL);
    world_module(&w, &mod, 1, 0x1000000);
    CHECK_EQ(choose(&w, &ch), E_OK);
    CHECK_EQ(acm_install(&w.c[ch.chosen], w.region, &w.reg, &d), E_OK);
    CHECK(memcmp(w.region, w.bufs[0], mod.size) == 0);
    CHECK_EQ(acm_install(&w.c[ch.chosen], NULL, &w.reg, &d), E_ACM_REGION);
    /* the installed copy parses and matches the same */
    struct acm a;
    CHECK_EQ(acm_parse(w.region, w.reg.size, &a, NULL), ACM_OK);
    world_free(&w);

    /* overlapping source and region: memmove semantics */
    world_init(&w, NULL);
    uint8_t *b = build(&mod, NULL);
    memcpy(w.region + 0x1000, b, mod.size);
    struct acm_candidate c;
    memset(&c, 0, sizeof(c));
    c.source = ACM_SRC_MODULE;
    c.p = w.region + 0x1000;
    c.len = mod.size;
    c.phys = w.reg.base + 0x1000;
    CHECK_EQ(acm_parse(c.p, c.len, &c.acm, NULL), ACM_OK);
    CHECK_EQ(acm_install(&c, w.region, &w.reg, &d), E_OK);
    CHECK(memcmp(w.region, b, mod.size) == 0);
    free(b);
    world_free(&w);
}
