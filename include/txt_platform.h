/* Can this platform do an Intel TXT measured launch? The checks of the
 * guide's "Intel TXT Detection and Processor Preparation" and "Detection of
 * Previous Errors" (as tboot's supports_txt / txt_verify_platform make
 * them), each reported as a named result with a sentence. The machine is
 * read through ops: the loader passes CPUID/RDMSR/GETSEC/MMIO, the host
 * command passes /dev/cpu/0/msr and /dev/mem, the tests pass fakes.
 * Portable: no console, no register access of its own. */
#ifndef RENSA_TXT_PLATFORM_H
#define RENSA_TXT_PLATFORM_H

#include "diag.h"
#include "rtypes.h"

struct txt_platform_ops {
    void *ctx;
    void (*cpuid)(void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t regs[4]); /* EAX, EBX, ECX, EDX */
    bool (*rdmsr)(void *ctx, uint32_t msr, uint64_t *val); /* false: could not read */
    /* EAX of GETSEC[CAPABILITIES] with EBX = 0; false: GETSEC cannot run here
     * (the caller, not the CPU, is the reason: e.g. user space). */
    bool (*getsec_capabilities)(void *ctx, uint32_t *eax);
    bool (*txt_read)(void *ctx, uint32_t reg, uint64_t *val); /* public space offset; false: not readable */
    /* Why a read failed, in words; NULL for the default sentence. */
    const char *msr_unreadable, *getsec_unavailable, *txt_unreadable;
    /* The ACPI DMAR table (VT-d): 1 present, 0 absent, -1 cannot tell
     * (no ACPI found, no access); NULL: cannot tell. */
    int (*dmar)(void *ctx);
};

enum txt_check_status {
    TXT_CHECK_PASS,
    TXT_CHECK_FAIL,
    TXT_CHECK_NA, /* does not apply (a prerequisite failed, or cannot apply here) */
    TXT_CHECK_UNKNOWN, /* the value needed could not be read */
};

enum txt_check_id {
    TXT_CHK_VENDOR,
    TXT_CHK_SMX,
    TXT_CHK_VMX,
    TXT_CHK_FC_LOCKED,
    TXT_CHK_SENTER_ENABLED,
    TXT_CHK_VMX_IN_SMX,
    TXT_CHK_GETSEC,
    TXT_CHK_TXT_REGS,
    TXT_CHK_RESET_STS,
    TXT_CHK_PREV_ERROR,
    TXT_CHK_DMAR,
    TXT_CHK_COUNT
};

struct txt_check {
    const char *name; /* stable: "smx", "senter-enabled", ... */
    enum txt_check_status status;
    bool required; /* a FAIL means no launch (false: reported only) */
    enum rensa_err err; /* the error a FAIL stands for */
    char text[320];
};

enum txt_verdict {
    TXT_CAN_LAUNCH, /* every required check passed or does not apply */
    TXT_CANNOT_LAUNCH, /* a required check failed */
    TXT_CANNOT_TELL, /* nothing failed, but a required value could not be read */
};

struct txt_platform_report {
    struct txt_check checks[TXT_CHK_COUNT];
    /* What was read (valid when the matching *_ok is true). */
    uint32_t cpuid1_ecx;
    uint64_t feature_control;
    uint32_t getsec_caps;
    uint64_t didvid, ests, e2sts, errorcode;
    bool msr_ok, getsec_ok, txt_ok;
};

/* Runs every check into *r and returns the verdict. d (if non-NULL) gets
 * the first failed required check's error and sentence, E_TXT_UNREADABLE
 * when the verdict is TXT_CANNOT_TELL, or E_OK. */
enum txt_verdict txt_platform_check(const struct txt_platform_ops *ops, struct txt_platform_report *r,
                                    struct diag *d);

const char *txt_check_status_name(enum txt_check_status s); /* "pass", "fail", "n/a", "unknown" */

#endif
