/* Platform checks before a measured launch (txt/platform_check.c), on fake
 * machines: an Intel DQ77MK-like Ivy Bridge board (i7-3770, Q77) that
 * passes everything, and one failure per check. */
#include "txt_platform.h"
#include "txt_regs.h"
#include "unit.h"

struct fake {
    uint32_t leaf0[4], leaf1[4]; /* EAX EBX ECX EDX */
    uint64_t fc;
    bool msr_ok;
    uint32_t caps;
    bool getsec_ok;
    uint64_t didvid, ests, errorcode, e2sts;
    bool txt_ok;
    int dmar; /* 1 present, 0 absent, -1 cannot tell */
};

static void fake_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
    const struct fake *f = ctx;
    (void)subleaf;
    const uint32_t *src = leaf == 0 ? f->leaf0 : leaf == 1 ? f->leaf1 : NULL;
    for (unsigned i = 0; i < 4; i++)
        regs[i] = src ? src[i] : 0;
}

static bool fake_rdmsr(void *ctx, uint32_t msr, uint64_t *v)
{
    const struct fake *f = ctx;
    if (msr != MSR_IA32_FEATURE_CONTROL)
        return false;
    *v = f->fc;
    return f->msr_ok;
}

static bool fake_getsec(void *ctx, uint32_t *eax)
{
    const struct fake *f = ctx;
    *eax = f->caps;
    return f->getsec_ok;
}

static bool fake_txt_read(void *ctx, uint32_t reg, uint64_t *v)
{
    const struct fake *f = ctx;
    switch (reg) {
    case TXT_DIDVID:
        *v = f->didvid;
        break;
    case TXT_ESTS:
        *v = f->ests;
        break;
    case TXT_ERRORCODE:
        *v = f->errorcode;
        break;
    case TXT_E2STS:
        *v = f->e2sts;
        break;
    default:
        *v = ~(uint64_t)0;
    }
    return f->txt_ok;
}

/* Intel DQ77MK with an i7-3770: CPUID.1 EAX 0x306a9; FEATURE_CONTROL as
 * its BIOS locks it with TXT and VT-x on; GETSEC leaves 0, 2-8; the Q77's
 * TXT.DIDVID (as in test_acm.c); ERRORCODE after a clean launch. */
static struct fake dq77mk(void)
{
    struct fake f = {
        .leaf0 = {0xd, 0x756e6547u, 0x6c65746eu, 0x49656e69u},
        .leaf1 = {0x000306a9u, 0x00100800u, 0x7fbae3ffu, 0xbfebfbffu},
        .fc = 0xff07,
        .msr_ok = true,
        .caps = 0x000001fdu,
        .getsec_ok = true,
        .didvid = 0x00000001b0018086ull,
        .ests = 0,
        .errorcode = 0xc0000001u,
        .e2sts = 0,
        .txt_ok = true,
        .dmar = 1,
    };
    return f;
}

static int fake_dmar(void *c)
{
    return ((struct fake *)c)->dmar;
}

static enum txt_verdict run(struct fake *f, struct txt_platform_report *r, struct diag *d)
{
    struct txt_platform_ops ops = {f,    fake_cpuid, fake_rdmsr, fake_getsec, fake_txt_read,
                                   NULL, NULL,       NULL,       fake_dmar};
    return txt_platform_check(&ops, r, d);
}

static struct txt_platform_report rep;
static struct diag dg;

TEST(txt_platform_dq77mk_passes)
{
    struct fake f = dq77mk();
    CHECK_EQ(run(&f, &rep, &dg), TXT_CAN_LAUNCH);
    CHECK_EQ(dg.code, E_OK);
    for (unsigned i = 0; i < TXT_CHK_COUNT; i++) {
        if (rep.checks[i].status != TXT_CHECK_PASS)
            fprintf(stderr, "  %s: %s\n", rep.checks[i].name, rep.checks[i].text);
        CHECK_EQ(rep.checks[i].status, TXT_CHECK_PASS);
        CHECK(rep.checks[i].name && rep.checks[i].text[0]);
    }
    CHECK_STR(rep.checks[TXT_CHK_VENDOR].text, "the CPU is GenuineIntel");
    CHECK(strstr(rep.checks[TXT_CHK_TXT_REGS].text, "vendor 0x8086, device 0xb001, revision 0x1"));
    CHECK(strstr(rep.checks[TXT_CHK_SENTER_ENABLED].text, "local functions 0x7f"));
    CHECK_EQ(rep.getsec_caps, 0x1fd);
    CHECK(rep.msr_ok && rep.getsec_ok && rep.txt_ok);
}

/* Runs f and checks: the verdict, that check id has status st, names the
 * expected check in the diag, and that its text contains word. */
static void expect(struct fake *f, enum txt_verdict v, enum txt_check_id id, enum txt_check_status st,
                   const char *word)
{
    CHECK_EQ(run(f, &rep, &dg), v);
    CHECK_EQ(rep.checks[id].status, st);
    if (!strstr(rep.checks[id].text, word)) {
        fprintf(stderr, "  %s: '%s' lacks '%s'\n", rep.checks[id].name, rep.checks[id].text, word);
        unit_failures++;
    }
    if (v != TXT_CAN_LAUNCH) {
        CHECK(strncmp(dg.msg, rep.checks[id].name, strlen(rep.checks[id].name)) == 0);
        CHECK_EQ(dg.code, v == TXT_CANNOT_TELL ? E_TXT_UNREADABLE : rep.checks[id].err);
    }
}

TEST(txt_platform_dmar)
{
    struct fake f = dq77mk();
    f.dmar = 0;
    expect(&f, TXT_CANNOT_LAUNCH, TXT_CHK_DMAR, TXT_CHECK_FAIL, "enable VT-d in the firmware setup");
    CHECK_STR(rep.checks[TXT_CHK_DMAR].name, "vtd-dmar");
    CHECK_EQ(dg.code, E_TXT_NO_DMAR);
    f.dmar = -1;
    expect(&f, TXT_CANNOT_TELL, TXT_CHK_DMAR, TXT_CHECK_UNKNOWN, "could not be searched");
    f.dmar = 1;
    expect(&f, TXT_CAN_LAUNCH, TXT_CHK_DMAR, TXT_CHECK_PASS, "DMAR table (VT-d)");
}

TEST(txt_platform_fail_vendor)
{
    struct fake f = dq77mk();
    f.leaf0[1] = 0x68747541u; /* "AuthenticAMD" */
    f.leaf0[3] = 0x69746e65u;
    f.leaf0[2] = 0x444d4163u;
    f.leaf1[2] &= ~CPUID1_ECX_SMX;
    expect(&f, TXT_CANNOT_LAUNCH, TXT_CHK_VENDOR, TXT_CHECK_FAIL, "'AuthenticAMD', not GenuineIntel");
    CHECK_STR(rep.checks[TXT_CHK_VENDOR].name, "cpu-vendor");
    CHECK_EQ(dg.code, E_TXT_NOT_INTEL);
    CHECK_EQ(rep.checks[TXT_CHK_FC_LOCKED].status, TXT_CHECK_NA);
}

TEST(txt_platform_fail_smx)
{
    struct fake f = dq77mk();
    f.leaf1[2] &= ~CPUID1_ECX_SMX;
    expect(&f, TXT_CANNOT_LAUNCH, TXT_CHK_SMX, TXT_CHECK_FAIL, "(SMX) is clear");
    CHECK_EQ(dg.code, E_TXT_NO_SMX);
    CHECK_EQ(rep.checks[TXT_CHK_GETSEC].status, TXT_CHECK_NA);
    CHECK_EQ(rep.checks[TXT_CHK_SENTER_ENABLED].status, TXT_CHECK_NA);
}

TEST(txt_platform_fail_vmx_reported_only)
{
    struct fake f = dq77mk();
    f.leaf1[2] &= ~CPUID1_ECX_VMX;
    expect(&f, TXT_CAN_LAUNCH, TXT_CHK_VMX, TXT_CHECK_FAIL, "(VMX) is clear");
    CHECK_STR(rep.checks[TXT_CHK_VMX].name, "vmx");
    CHECK_EQ(rep.checks[TXT_CHK_VMX_IN_SMX].status, TXT_CHECK_NA);
}

TEST(txt_platform_fail_feature_control_unlocked)
{
    struct fake f = dq77mk();
    f.fc &= ~(uint64_t)FEATURE_CONTROL_LOCK;
    expect(&f, TXT_CANNOT_LAUNCH, TXT_CHK_FC_LOCKED, TXT_CHECK_FAIL, "is not locked");
    CHECK_EQ(dg.code, E_TXT_FEATURE_CONTROL);
    CHECK_STR(rep.checks[TXT_CHK_FC_LOCKED].name, "feature-control-locked");
}

TEST(txt_platform_fail_senter_disabled)
{
    struct fake f = dq77mk();
    f.fc = 0x0007; /* locked, VMX on, TXT off: the BIOS's "TXT disabled" */
    expect(&f, TXT_CANNOT_LAUNCH, TXT_CHK_SENTER_ENABLED, TXT_CHECK_FAIL, "global enable bit 15 clear");
    f.fc = 0x8007; /* global on, no local function */
    expect(&f, TXT_CANNOT_LAUNCH, TXT_CHK_SENTER_ENABLED, TXT_CHECK_FAIL, "no local function enable");
    CHECK_STR(rep.checks[TXT_CHK_SENTER_ENABLED].name, "senter-enabled");
}

TEST(txt_platform_fail_vmx_in_smx_reported_only)
{
    struct fake f = dq77mk();
    f.fc &= ~(uint64_t)FEATURE_CONTROL_VMX_IN_SMX;
    expect(&f, TXT_CAN_LAUNCH, TXT_CHK_VMX_IN_SMX, TXT_CHECK_FAIL, "VMX in SMX operation disabled");
    CHECK_STR(rep.checks[TXT_CHK_VMX_IN_SMX].name, "vmx-in-smx");
}

TEST(txt_platform_fail_getsec)
{
    struct fake f = dq77mk();
    f.caps &= ~GETSEC_CAP_CHIPSET_PRESENT;
    expect(&f, TXT_CANNOT_LAUNCH, TXT_CHK_GETSEC, TXT_CHECK_FAIL, "no TXT-capable chipset");
    CHECK_EQ(dg.code, E_TXT_GETSEC);
    f = dq77mk();
    f.caps &= ~(GETSEC_CAP_SEXIT | GETSEC_CAP_WAKEUP);
    expect(&f, TXT_CANNOT_LAUNCH, TXT_CHK_GETSEC, TXT_CHECK_FAIL, "lacks leaves a launch needs: SEXIT, WAKEUP");
    CHECK_STR(rep.checks[TXT_CHK_GETSEC].name, "getsec-capabilities");
}

TEST(txt_platform_fail_txt_registers)
{
    struct fake f = dq77mk();
    f.didvid = ~(uint64_t)0;
    expect(&f, TXT_CANNOT_LAUNCH, TXT_CHK_TXT_REGS, TXT_CHECK_FAIL, "no TXT chipset answers");
    CHECK_EQ(dg.code, E_TXT_NO_CHIPSET);
    CHECK_EQ(rep.checks[TXT_CHK_RESET_STS].status, TXT_CHECK_NA);
    f.didvid = 0;
    expect(&f, TXT_CANNOT_LAUNCH, TXT_CHK_TXT_REGS, TXT_CHECK_FAIL, "reads 0x0");
    CHECK_STR(rep.checks[TXT_CHK_TXT_REGS].name, "txt-registers");
}

TEST(txt_platform_fail_reset_sts)
{
    struct fake f = dq77mk();
    f.ests = TXT_ESTS_TXT_RESET_STS;
    expect(&f, TXT_CANNOT_LAUNCH, TXT_CHK_RESET_STS, TXT_CHECK_FAIL, "TXT_RESET_STS (bit 0) set");
    CHECK_EQ(dg.code, E_TXT_RESET_STS);
    CHECK_STR(rep.checks[TXT_CHK_RESET_STS].name, "txt-reset-sts");
}

TEST(txt_platform_fail_previous_error_reported_only)
{
    struct fake f = dq77mk();
    f.errorcode = 0xc0007051u;
    expect(&f, TXT_CAN_LAUNCH, TXT_CHK_PREV_ERROR, TXT_CHECK_FAIL, "a previous launch failed: TXT.ERRORCODE 0xc0007051");
    CHECK(strstr(rep.checks[TXT_CHK_PREV_ERROR].text, "error code 0x1c"));
    CHECK(!strchr(rep.checks[TXT_CHK_PREV_ERROR].text, '\n'));
    CHECK_STR(rep.checks[TXT_CHK_PREV_ERROR].name, "previous-error");
}

/* The host command's view: MSRs and TXT registers unreadable (not root),
 * GETSEC impossible from user space. */
TEST(txt_platform_host_cannot_tell)
{
    struct fake f = dq77mk();
    f.msr_ok = false;
    f.txt_ok = false;
    f.getsec_ok = false;
    struct txt_platform_ops ops = {&f, fake_cpuid, fake_rdmsr, fake_getsec, fake_txt_read, "run as root",
                                   "not applicable on the host", NULL, fake_dmar};
    CHECK_EQ(txt_platform_check(&ops, &rep, &dg), TXT_CANNOT_TELL);
    CHECK_EQ(dg.code, E_TXT_UNREADABLE);
    CHECK(strstr(dg.msg, "feature-control-locked: IA32_FEATURE_CONTROL (MSR 0x3a) not readable: run as root"));
    CHECK_EQ(rep.checks[TXT_CHK_GETSEC].status, TXT_CHECK_NA);
    CHECK(strstr(rep.checks[TXT_CHK_GETSEC].text, "not applicable on the host"));
    CHECK_EQ(rep.checks[TXT_CHK_TXT_REGS].status, TXT_CHECK_UNKNOWN);
    CHECK(strstr(rep.checks[TXT_CHK_TXT_REGS].text, "could not be read"));
    /* GETSEC alone not running does not stop a verdict. */
    f = dq77mk();
    f.getsec_ok = false;
    CHECK_EQ(run(&f, &rep, &dg), TXT_CAN_LAUNCH);
    /* A failure wins over an unknown. */
    f.msr_ok = false;
    f.ests = TXT_ESTS_TXT_RESET_STS;
    CHECK_EQ(run(&f, &rep, &dg), TXT_CANNOT_LAUNCH);
    CHECK_EQ(dg.code, E_TXT_RESET_STS);
    CHECK_STR(txt_check_status_name(TXT_CHECK_NA), "n/a");
}
