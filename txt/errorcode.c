/* TXT.ERRORCODE, TXT.ESTS and TXT.E2STS in words (include/txt_error.h,
 * docs/txt-errors.md). */
#include <stdarg.h>
#include "errors.h"
#include "fmt.h"
#include "txt_error.h"
#include "txt_regs.h"

/* Appends to a bounded buffer; len counts what the full text would need. */
struct tbuf {
    char *buf;
    size_t size, len;
};

static void tb_add(struct tbuf *t, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void tb_add(struct tbuf *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *at = t->len < t->size ? t->buf + t->len : NULL;
    size_t room = t->len < t->size ? t->size - t->len : 0;
    int n = fmt_vsnprintf(at, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len += (size_t)n;
}

static void tb_init(struct tbuf *t, char *buf, size_t size)
{
    t->buf = buf;
    t->size = buf ? size : 0;
    t->len = 0;
    if (t->size)
        buf[0] = '\0';
}

void txt_errorcode_split(uint64_t raw, struct txt_errorcode *e)
{
    uint32_t v = (uint32_t)raw;
    e->raw = raw;
    e->benign = !txt_errorcode_is_error(raw);
    e->proc_code = 0;
    e->acm_type = e->progress = e->error = 0;
    e->sub = e->sw_lo = e->sw_hi = 0;
    if (!(v & TXT_ERR_VALID)) {
        e->source = TXT_SRC_NONE;
    } else if (!(v & TXT_ERR_EXTERNAL)) {
        e->source = TXT_SRC_PROCESSOR;
        e->proc_code = v & TXT_ERR_PROC_MASK;
    } else if (v & TXT_ERR_SW_SRC_OTHER) {
        e->source = TXT_SRC_SOFTWARE;
        e->sw_lo = (uint16_t)(v & 0x7FFFu);
        e->sw_hi = (uint16_t)TXT_ERR_ACM_SUB(v);
    } else {
        e->source = TXT_SRC_ACM;
        e->acm_type = (uint8_t)TXT_ERR_ACM_TYPE(v);
        e->progress = (uint8_t)TXT_ERR_ACM_PROGRESS(v);
        e->error = (uint8_t)TXT_ERR_ACM_ERROR(v);
        e->sub = (uint16_t)TXT_ERR_ACM_SUB(v);
    }
}

bool txt_errorcode_is_error(uint64_t raw)
{
    return !(raw == 0 || raw == 0xc0000001u || raw == 0xc0000009u);
}

const char *txt_proc_error_text(uint32_t code)
{
    switch (code) {
    case TXT_PROC_LEGACY_SHUTDOWN:
        return "legacy shutdown" HOST_MORE(": a shutdown condition (such as a triple fault) in authenticated code mode or in "
                                           "the measured environment");
    case TXT_PROC_ACM_MEM_TYPE:
        return "the AC module was loaded with a memory type other than write-back"
            HOST_MORE(": the MTRRs must map the SINIT region write-back before GETSEC");
    case TXT_PROC_UNSUPPORTED_ACM:
        return "unsupported AC module: the processor does not recognise the module's header format";
    case TXT_PROC_AUTH_FAIL:
        return "the AC module failed authentication" HOST_MORE(": its signature does not verify with this chipset's key (a "
                                                       "module for another platform, a debug module on a production "
                                                       "platform, or a damaged copy)");
    case TXT_PROC_BAD_ACM_FORMAT:
        return "invalid AC module format: a header field (size, entry point, GDT, segment selector) is inconsistent";
    case TXT_PROC_UNEXPECTED_HITM:
        return "unexpected snoop hit (HITM) on the authenticated code execution area"
            HOST_MORE(": another agent touched the module's memory while it ran");
    case TXT_PROC_INVALID_EVENT:
        return "an event the processor cannot accept arrived during authenticated code mode or the launch";
    case TXT_PROC_BAD_JOIN_FORMAT:
        return "invalid MLE JOIN structure" HOST_MORE(": the data TXT.MLE.JOIN points to (GDT, selector, entry point for "
                                               "the woken processors) is malformed");
    case TXT_PROC_UNRECOVERABLE_MCE:
        return "unrecoverable machine check during authenticated code mode or the launch";
    case TXT_PROC_VMX_ABORT:
        return "VMX abort during the measured environment";
    case TXT_PROC_ACM_CORRUPT:
        return "the authenticated code execution area was corrupted while the module ran";
    case TXT_PROC_BAD_VID_RATIO:
        return "illegal processor voltage (VID) or bus ratio for a measured launch";
    }
    return NULL;
}

const char *txt_acm_type_name(uint8_t type)
{
    switch (type) {
    case 0:
        return "BIOS ACM";
    case 1:
        return "SINIT ACM";
    case 8:
        return "BIOS revocation ACM";
    case 9:
        return "SINIT revocation ACM";
    }
    return "AC module";
}

/* What the guide and tboot document for an AC module code; the rest is in
 * the per-module error table only. */
static void acm_meaning(struct tbuf *t, const struct txt_errorcode *e)
{
    if (e->benign) {
        tb_add(t, "success, no error (a clean launch leaves this value; tboot treats it as no error)");
    } else if (e->progress == 0x0d && e->error == 0x0a) {
        tb_add(t, "a TPM command failed inside the module; TPM return code 0x%x (bits 24:16)" HOST_MORE(
                      ". Check the TPM is enabled, activated and owned as the module expects, and that its NV "
                      "indices are defined"),
               e->sub & 0x1FFu);
    } else if (e->progress == 0x10 && (e->sub & 0x3Fu) != 0) {
        tb_add(t, "Launch Control Policy (LCP) evaluation failed: minor error 0x%x, policy element index %u" HOST_MORE(
                      ". The platform owner's or supplier's policy in the TPM does not allow this launch"),
               e->sub & 0x3Fu, (unsigned)(e->sub >> 6));
    } else {
        tb_add(t, "not decoded by the guide: look up class 0x%02x, error 0x%02x in the error table that comes with "
                  "this %s" HOST_MORE(" (its release notes, or Intel's TXT error code spreadsheet for the module)"),
               e->progress, e->error, txt_acm_type_name(e->acm_type));
    }
}

size_t txt_errorcode_describe(uint64_t raw, char *buf, size_t size)
{
    struct tbuf t;
    struct txt_errorcode e;
    tb_init(&t, buf, size);
    txt_errorcode_split(raw, &e);
    tb_add(&t, "TXT.ERRORCODE 0x%08x: ", (unsigned)(uint32_t)raw);
    if (raw >> 32)
        tb_add(&t, "(reserved bits 63:32 = 0x%x ignored) ", (unsigned)(raw >> 32));
    switch (e.source) {
    case TXT_SRC_NONE:
        if ((uint32_t)raw == 0)
            tb_add(&t, "no error recorded (the valid bit 31 is clear).\n");
        else
            tb_add(&t, "not valid (bit 31 is clear), so the other bits mean nothing: no error recorded.\n");
        break;
    case TXT_SRC_PROCESSOR: {
        const char *m = txt_proc_error_text(e.proc_code);
        tb_add(&t, "valid, reported by the processor (not external); error code %u: %s.\n", (unsigned)e.proc_code,
               m ? m : "a code the SDM does not define");
        tb_add(&t, "The processor refused GETSEC[ENTERACCS] or GETSEC[SENTER], or shut down the measured "
                   "environment, and the platform reset.\n");
        break;
    }
    case TXT_SRC_ACM:
        tb_add(&t, "valid, reported by the %s (external, software source 0 = an AC module); class/progress code "
                   "0x%02x, error code 0x%02x, sub-error 0x%04x: ",
               txt_acm_type_name(e.acm_type), e.progress, e.error, e.sub);
        acm_meaning(&t, &e);
        tb_add(&t, ".\n");
        if (!e.benign && e.acm_type == 1)
            tb_add(&t, "SINIT refused the measured launch and reset the platform; nothing was launched.\n");
        break;
    case TXT_SRC_SOFTWARE:
        if (e.sw_hi == TXT_ERR_RENSA_TAG) {
            tb_add(&t, "valid, written by Rensa after a measured launch (software source 1, tag 0x%04x): %s "
                       "(0x%03x)%s.\n", e.sw_hi, err_name((enum rensa_err)e.sw_lo), e.sw_lo,
                   HOST_MORE("; `rensa errors` and docs/errors.md explain it"));
            break;
        }
        tb_add(&t, "valid, reported by software other than an AC module (external, software source 1); codes 0x%04x "
                   "(bits 14:0) and 0x%04x (bits 29:16)" HOST_MORE(": their meaning belongs to the software that wrote them") ".\n",
               e.sw_lo, e.sw_hi);
        break;
    }
    return t.len;
}

static const struct bitname {
    uint32_t bit;
    const char *name, *text;
} ests_bits[] = {
    {TXT_ESTS_TXT_RESET_STS, "TXT_RESET_STS",
     "a TXT reset happened (a TXT violation, or a failed launch); GETSEC[SENTER] is disabled until the platform "
     "is powered off and on again" HOST_MORE(" (a warm reset does not clear it)")},
    {TXT_ESTS_TXT_WAKE_ERROR_STS, "TXT_WAKE_ERROR_STS",
     "the platform reset or slept while a measured environment was up; secrets may remain in memory"
     HOST_MORE(", and the BIOS ACM must scrub memory (SCLEAN) before it is unlocked")},
}, e2sts_bits[] = {
    {TXT_E2STS_SLP_ENTRY_ERROR_STS, "SLP_ENTRY_ERROR_STS",
     "a sleep state was entered while secrets were in memory"},
    {TXT_E2STS_SECRETS_STS, "SECRETS_STS",
     "secrets may be in memory: a measured environment set TXT.CMD.SECRETS and has not cleared it with "
     "TXT.CMD.NO_SECRETS" HOST_MORE(" (normal while an MLE runs; after a reset it keeps memory locked until SCLEAN)")},
    {TXT_E2STS_BLOCK_MEM_STS, "BLOCK_MEM_STS",
     "memory is blocked: the chipset locked memory after a reset with secrets in it, until SCLEAN runs"},
};

static size_t bits_describe(const char *reg, const struct bitname *names, unsigned n, uint64_t v, char *buf,
                            size_t size)
{
    struct tbuf t;
    tb_init(&t, buf, size);
    if (v == 0) {
        tb_add(&t, "%s 0x0: no status bit set.\n", reg);
        return t.len;
    }
    uint64_t left = v;
    for (unsigned i = 0; i < n; i++) {
        if (v & names[i].bit) {
            tb_add(&t, "%s 0x%llx: %s (bit %u): %s.\n", reg, (unsigned long long)v, names[i].name,
                   (unsigned)__builtin_ctz(names[i].bit), names[i].text);
            left &= ~(uint64_t)names[i].bit;
        }
    }
    for (unsigned b = 0; b < 64; b++)
        if ((left >> b) & 1)
            tb_add(&t, "%s 0x%llx: bit %u is set; Rensa does not decode it (see the guide's register description "
                       "for this chipset).\n",
                   reg, (unsigned long long)v, b);
    return t.len;
}

size_t txt_ests_describe(uint64_t ests, char *buf, size_t size)
{
    return bits_describe("TXT.ESTS", ests_bits, ARRAY_SIZE(ests_bits), ests, buf, size);
}

size_t txt_e2sts_describe(uint64_t e2sts, char *buf, size_t size)
{
    return bits_describe("TXT.E2STS", e2sts_bits, ARRAY_SIZE(e2sts_bits), e2sts, buf, size);
}

bool txt_ests_is_error(uint64_t ests)
{
    return (ests & (TXT_ESTS_TXT_RESET_STS | TXT_ESTS_TXT_WAKE_ERROR_STS)) != 0;
}

bool txt_e2sts_is_error(uint64_t e2sts)
{
    return (e2sts & (TXT_E2STS_SLP_ENTRY_ERROR_STS | TXT_E2STS_BLOCK_MEM_STS)) != 0;
}
