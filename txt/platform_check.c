/* The platform checks before a measured launch (include/txt_platform.h). */
#include <stdarg.h>
#include "fmt.h"
#include "rstring.h"
#include "txt_error.h"
#include "txt_platform.h"
#include "txt_regs.h"

/* CPUID.0 vendor words: "Genu" "ineI" "ntel" in EBX, EDX, ECX. */
#define VENDOR_EBX 0x756e6547u
#define VENDOR_EDX 0x49656e69u
#define VENDOR_ECX 0x6c65746eu

static const struct {
    const char *name;
    bool required;
    enum rensa_err err;
} check_defs[TXT_CHK_COUNT] = {
    [TXT_CHK_VENDOR] = {"cpu-vendor", true, E_TXT_NOT_INTEL},
    [TXT_CHK_SMX] = {"smx", true, E_TXT_NO_SMX},
    [TXT_CHK_VMX] = {"vmx", false, E_TXT_NO_VMX},
    [TXT_CHK_FC_LOCKED] = {"feature-control-locked", true, E_TXT_FEATURE_CONTROL},
    [TXT_CHK_SENTER_ENABLED] = {"senter-enabled", true, E_TXT_FEATURE_CONTROL},
    [TXT_CHK_VMX_IN_SMX] = {"vmx-in-smx", false, E_TXT_NO_VMX},
    [TXT_CHK_GETSEC] = {"getsec-capabilities", true, E_TXT_GETSEC},
    [TXT_CHK_TXT_REGS] = {"txt-registers", true, E_TXT_NO_CHIPSET},
    [TXT_CHK_RESET_STS] = {"txt-reset-sts", true, E_TXT_RESET_STS},
    [TXT_CHK_PREV_ERROR] = {"previous-error", false, E_TXT_PREV_ERROR},
    [TXT_CHK_DMAR] = {"vtd-dmar", true, E_TXT_NO_DMAR},
};

const char *txt_check_status_name(enum txt_check_status s)
{
    switch (s) {
    case TXT_CHECK_PASS:
        return "pass";
    case TXT_CHECK_FAIL:
        return "fail";
    case TXT_CHECK_NA:
        return "n/a";
    case TXT_CHECK_UNKNOWN:
        return "unknown";
    }
    return "?";
}

static void set(struct txt_platform_report *r, enum txt_check_id id, enum txt_check_status st, const char *fmt, ...)
    PRINTF_LIKE(4, 5);
static void set(struct txt_platform_report *r, enum txt_check_id id, enum txt_check_status st, const char *fmt, ...)
{
    struct txt_check *c = &r->checks[id];
    va_list ap;
    c->status = st;
    va_start(ap, fmt);
    fmt_vsnprintf(c->text, sizeof(c->text), fmt, ap);
    va_end(ap);
}

static void vendor_string(const uint32_t regs[4], char out[13])
{
    const uint32_t order[3] = {regs[1], regs[3], regs[2]};
    for (unsigned i = 0; i < 12; i++) {
        char ch = (char)(order[i / 4] >> (8 * (i % 4)));
        out[i] = (ch >= 0x20 && ch < 0x7f) ? ch : '?';
    }
    out[12] = '\0';
}

/* The missing leaves of GETSEC_CAP_LAUNCH_NEEDS, as a list of words. */
static void missing_leaves(uint32_t caps, char *buf, size_t size)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } leaves[] = {
        {GETSEC_CAP_SENTER, "SENTER"},     {GETSEC_CAP_SEXIT, "SEXIT"},   {GETSEC_CAP_PARAMETERS, "PARAMETERS"},
        {GETSEC_CAP_SMCTRL, "SMCTRL"},     {GETSEC_CAP_WAKEUP, "WAKEUP"},
    };
    size_t len = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < ARRAY_SIZE(leaves); i++) {
        if (caps & leaves[i].bit)
            continue;
        int n = fmt_snprintf(buf + len, size - len, "%s%s", len ? ", " : "", leaves[i].name);
        if (n < 0 || (size_t)n >= size - len)
            break;
        len += (size_t)n;
    }
}

static void check_cpu(const struct txt_platform_ops *ops, struct txt_platform_report *r, bool *intel, bool *smx,
                      bool *vmx)
{
    uint32_t regs[4] = {0, 0, 0, 0};
    char vendor[13];
    ops->cpuid(ops->ctx, 0, 0, regs);
    vendor_string(regs, vendor);
    *intel = regs[1] == VENDOR_EBX && regs[3] == VENDOR_EDX && regs[2] == VENDOR_ECX;
    if (*intel)
        set(r, TXT_CHK_VENDOR, TXT_CHECK_PASS, "the CPU is GenuineIntel");
    else
        set(r, TXT_CHK_VENDOR, TXT_CHECK_FAIL, "the CPU vendor is '%s', not GenuineIntel: Intel TXT exists only on "
                                               "Intel CPUs", vendor);

    uint32_t max_leaf = regs[0];
    regs[0] = regs[1] = regs[2] = regs[3] = 0;
    if (max_leaf >= 1)
        ops->cpuid(ops->ctx, 1, 0, regs);
    r->cpuid1_ecx = regs[2];
    *smx = (regs[2] & CPUID1_ECX_SMX) != 0;
    *vmx = (regs[2] & CPUID1_ECX_VMX) != 0;
    if (*smx)
        set(r, TXT_CHK_SMX, TXT_CHECK_PASS, "CPUID.1:ECX bit 6 (SMX) is set" HOST_MORE(": the CPU has Safer Mode Extensions"));
    else
        set(r, TXT_CHK_SMX, TXT_CHECK_FAIL,
            "CPUID.1:ECX bit 6 (SMX) is clear: the CPU has no Safer Mode Extensions, so GETSEC[SENTER] does not "
            "exist" HOST_MORE(" (a CPU without TXT, a virtual machine, or SMX hidden by the firmware)"));
    if (*vmx)
        set(r, TXT_CHK_VMX, TXT_CHECK_PASS, "CPUID.1:ECX bit 5 (VMX) is set");
    else
        set(r, TXT_CHK_VMX, TXT_CHECK_FAIL,
            "CPUID.1:ECX bit 5 (VMX) is clear: no VT-x" HOST_MORE(" (tboot requires it; Rensa does not use VMX to launch)"));
}

static void check_feature_control(const struct txt_platform_ops *ops, struct txt_platform_report *r, bool intel,
                                  bool smx, bool vmx)
{
    const enum txt_check_id ids[3] = {TXT_CHK_FC_LOCKED, TXT_CHK_SENTER_ENABLED, TXT_CHK_VMX_IN_SMX};
    const char *skip = !intel ? "not an Intel CPU: the TXT bits of IA32_FEATURE_CONTROL do not apply"
                       : !smx ? "no SMX: the SENTER bits of IA32_FEATURE_CONTROL do not apply"
                              : NULL;
    if (skip) {
        for (unsigned i = 0; i < 3; i++)
            set(r, ids[i], TXT_CHECK_NA, "%s", skip);
        return;
    }
    r->msr_ok = ops->rdmsr(ops->ctx, MSR_IA32_FEATURE_CONTROL, &r->feature_control);
    if (!r->msr_ok) {
        const char *why = ops->msr_unreadable ? ops->msr_unreadable : "the MSR could not be read";
        for (unsigned i = 0; i < 3; i++)
            set(r, ids[i], TXT_CHECK_UNKNOWN, "IA32_FEATURE_CONTROL (MSR 0x3a) not readable: %s", why);
        return;
    }
    uint64_t fc = r->feature_control;
    unsigned long long fcv = (unsigned long long)fc;
    if (fc & FEATURE_CONTROL_LOCK)
        set(r, TXT_CHK_FC_LOCKED, TXT_CHECK_PASS, "IA32_FEATURE_CONTROL 0x%llx is locked (bit 0)", fcv);
    else
        set(r, TXT_CHK_FC_LOCKED, TXT_CHECK_FAIL,
            "IA32_FEATURE_CONTROL 0x%llx is not locked (bit 0 clear): GETSEC[SENTER] faults until the firmware "
            "locks it; enable TXT in the firmware setup",
            fcv);
    bool global = (fc & FEATURE_CONTROL_SENTER_ENABLE) != 0;
    bool local = (fc & FEATURE_CONTROL_SENTER_LOCAL_MASK) != 0;
    if (global && local)
        set(r, TXT_CHK_SENTER_ENABLED, TXT_CHECK_PASS,
            "IA32_FEATURE_CONTROL 0x%llx enables GETSEC[SENTER] (bit 15, local functions 0x%02x in bits 14:8)", fcv,
            (unsigned)((fc & FEATURE_CONTROL_SENTER_LOCAL_MASK) >> 8));
    else
        set(r, TXT_CHK_SENTER_ENABLED, TXT_CHECK_FAIL,
            "IA32_FEATURE_CONTROL 0x%llx does not enable GETSEC[SENTER] (%s): TXT is disabled in the firmware "
            "setup, or the firmware does not support it",
            fcv, !global ? "global enable bit 15 clear" : "no local function enable in bits 14:8");
    if (!vmx)
        set(r, TXT_CHK_VMX_IN_SMX, TXT_CHECK_NA, "no VMX: VMX in SMX operation does not apply");
    else if (fc & FEATURE_CONTROL_VMX_IN_SMX)
        set(r, TXT_CHK_VMX_IN_SMX, TXT_CHECK_PASS, "IA32_FEATURE_CONTROL 0x%llx enables VMX in SMX operation (bit 1)",
            fcv);
    else
        set(r, TXT_CHK_VMX_IN_SMX, TXT_CHECK_FAIL,
            "IA32_FEATURE_CONTROL 0x%llx leaves VMX in SMX operation disabled (bit 1 clear)" HOST_MORE(
                ": a hypervisor cannot run inside the measured environment (tboot requires it; Rensa's launch does "
                "not)"),
            fcv);
}

static void check_getsec(const struct txt_platform_ops *ops, struct txt_platform_report *r, bool smx)
{
    if (!smx) {
        set(r, TXT_CHK_GETSEC, TXT_CHECK_NA, "no SMX: GETSEC does not exist");
        return;
    }
    r->getsec_ok = ops->getsec_capabilities(ops->ctx, &r->getsec_caps);
    if (!r->getsec_ok) {
        set(r, TXT_CHK_GETSEC, TXT_CHECK_NA, "GETSEC[CAPABILITIES] not run: %s",
            ops->getsec_unavailable ? ops->getsec_unavailable : "GETSEC cannot run here");
        return;
    }
    uint32_t caps = r->getsec_caps;
    char missing[64];
    missing_leaves(caps, missing, sizeof(missing));
    if (!(caps & GETSEC_CAP_CHIPSET_PRESENT))
        set(r, TXT_CHK_GETSEC, TXT_CHECK_FAIL,
            "GETSEC[CAPABILITIES] = 0x%08x: bit 0 clear, the processor sampled no TXT-capable chipset at reset",
            (unsigned)caps);
    else if (missing[0])
        set(r, TXT_CHK_GETSEC, TXT_CHECK_FAIL, "GETSEC[CAPABILITIES] = 0x%08x lacks leaves a launch needs: %s",
            (unsigned)caps, missing);
    else
        set(r, TXT_CHK_GETSEC, TXT_CHECK_PASS,
            "GETSEC[CAPABILITIES] = 0x%08x: TXT chipset present" HOST_MORE(
                "; SENTER, SEXIT, PARAMETERS, SMCTRL and WAKEUP available"),
            (unsigned)caps);
}

static bool read_reg(const struct txt_platform_ops *ops, uint32_t reg, uint64_t *v)
{
    *v = 0;
    return ops->txt_read(ops->ctx, reg, v);
}

static void check_txt_regs(const struct txt_platform_ops *ops, struct txt_platform_report *r)
{
    const enum txt_check_id ids[3] = {TXT_CHK_TXT_REGS, TXT_CHK_RESET_STS, TXT_CHK_PREV_ERROR};
    r->txt_ok = read_reg(ops, TXT_DIDVID, &r->didvid) && read_reg(ops, TXT_ESTS, &r->ests) &&
                read_reg(ops, TXT_ERRORCODE, &r->errorcode) && read_reg(ops, TXT_E2STS, &r->e2sts);
    if (!r->txt_ok) {
        const char *why = ops->txt_unreadable ? ops->txt_unreadable : "the registers could not be read";
        for (unsigned i = 0; i < 3; i++)
            set(r, ids[i], TXT_CHECK_UNKNOWN, "TXT public registers at 0x%x not readable: %s", TXT_PUB_BASE, why);
        return;
    }
    uint64_t dv = r->didvid;
    if (dv == 0 || dv == ~(uint64_t)0 || (uint32_t)dv == 0xffffffffu) {
        set(r, TXT_CHK_TXT_REGS, TXT_CHECK_FAIL,
            "TXT.DIDVID at 0x%x reads 0x%llx: no TXT chipset answers there (a chipset without TXT, or TXT "
            "disabled in the firmware)",
            TXT_PUB_BASE + TXT_DIDVID, (unsigned long long)dv);
        set(r, TXT_CHK_RESET_STS, TXT_CHECK_NA, "no TXT registers: TXT.ESTS does not apply");
        set(r, TXT_CHK_PREV_ERROR, TXT_CHECK_NA, "no TXT registers: TXT.ERRORCODE does not apply");
        return;
    }
    set(r, TXT_CHK_TXT_REGS, TXT_CHECK_PASS,
        "TXT.DIDVID 0x%llx: vendor 0x%04x, device 0x%04x, revision 0x%x answer at 0x%x", (unsigned long long)dv,
        (unsigned)(dv & 0xffff), (unsigned)((dv >> 16) & 0xffff), (unsigned)((dv >> 32) & 0xffff), TXT_PUB_BASE);
    if (r->ests & TXT_ESTS_TXT_RESET_STS)
        set(r, TXT_CHK_RESET_STS, TXT_CHECK_FAIL,
            "TXT.ESTS 0x%llx has TXT_RESET_STS (bit 0) set: a TXT reset happened, and GETSEC[SENTER] is disabled "
            "until the platform is powered off and on again",
            (unsigned long long)r->ests);
    else
        set(r, TXT_CHK_RESET_STS, TXT_CHECK_PASS, "TXT.ESTS 0x%llx: TXT_RESET_STS (bit 0) is clear",
            (unsigned long long)r->ests);
    if (txt_errorcode_is_error(r->errorcode)) {
        char line[sizeof(r->checks[0].text)];
        txt_errorcode_describe(r->errorcode, line, sizeof(line));
        /* The first line only: the decoded code and its meaning. */
        for (char *p = line; *p; p++)
            if (*p == '\n') {
                *p = '\0';
                break;
            }
        set(r, TXT_CHK_PREV_ERROR, TXT_CHECK_FAIL, "a previous launch failed: %s", line);
    } else {
        set(r, TXT_CHK_PREV_ERROR, TXT_CHECK_PASS, "TXT.ERRORCODE 0x%08x records no error from a previous launch",
            (unsigned)(uint32_t)r->errorcode);
    }
}

/* SINIT programs the PMRs through VT-d and copies the DMAR table into
 * SinitMleData: without it, it fails the launch (tboot refuses early too). */
static void check_dmar(const struct txt_platform_ops *ops, struct txt_platform_report *r)
{
    int v = ops->dmar ? ops->dmar(ops->ctx) : -1;
    if (v > 0)
        set(r, TXT_CHK_DMAR, TXT_CHECK_PASS, "the ACPI tables have a DMAR table (VT-d)");
    else if (v == 0)
        set(r, TXT_CHK_DMAR, TXT_CHECK_FAIL, "the ACPI tables have no DMAR table: VT-d is off or absent "
            "(enable VT-d in the firmware setup); SINIT needs it for the DMA protection");
    else
        set(r, TXT_CHK_DMAR, TXT_CHECK_UNKNOWN, "the ACPI tables could not be searched for a DMAR table");
}

enum txt_verdict txt_platform_check(const struct txt_platform_ops *ops, struct txt_platform_report *r,
                                    struct diag *d)
{
    bool intel, smx, vmx;
    memset(r, 0, sizeof(*r));
    for (unsigned i = 0; i < TXT_CHK_COUNT; i++) {
        r->checks[i].name = check_defs[i].name;
        r->checks[i].required = check_defs[i].required;
        r->checks[i].err = check_defs[i].err;
        r->checks[i].status = TXT_CHECK_UNKNOWN;
    }
    check_cpu(ops, r, &intel, &smx, &vmx);
    check_feature_control(ops, r, intel, smx, vmx);
    check_getsec(ops, r, smx);
    check_txt_regs(ops, r);
    check_dmar(ops, r);

    const struct txt_check *unknown = NULL;
    for (unsigned i = 0; i < TXT_CHK_COUNT; i++) {
        const struct txt_check *c = &r->checks[i];
        if (!c->required)
            continue;
        if (c->status == TXT_CHECK_FAIL) {
            diag_set(d, c->err, "%s: %s", c->name, c->text);
            return TXT_CANNOT_LAUNCH;
        }
        if (c->status == TXT_CHECK_UNKNOWN && !unknown)
            unknown = c;
    }
    if (unknown) {
        diag_set(d, E_TXT_UNREADABLE, "%s: %s", unknown->name, unknown->text);
        return TXT_CANNOT_TELL;
    }
    if (d)
        diag_set(d, E_OK, "every required check passed");
    return TXT_CAN_LAUNCH;
}
