/* TPM 1.2 commands: GetCapability, PCRRead, Extend, GetRandom,
 * NV_ReadValue (TPM Main Specification 1.2, Part 3). Commands are built
 * with the bounded writer; responses are parsed with the bounded reader. */
#include "marshal.h"
#include "rstring.h"
#include "tpm12.h"

#define CHUNK_MAX 512u /* bytes asked for per GetRandom / NV_ReadValue */

size_t tpm12_build_get_capability(uint8_t *buf, size_t cap, uint32_t area, uint32_t sub)
{
    struct mwriter w;
    mw_command_begin(&w, buf, cap, TPM12_TAG_RQU_COMMAND, TPM12_ORD_GetCapability);
    mw_u32(&w, area);
    if (area == TPM12_CAP_VERSION_VAL) {
        mw_u32(&w, 0); /* no sub-capability */
    } else {
        mw_u32(&w, 4);
        mw_u32(&w, sub);
    }
    return mw_command_end(&w);
}

size_t tpm12_build_pcr_read(uint8_t *buf, size_t cap, uint32_t pcr)
{
    struct mwriter w;
    mw_command_begin(&w, buf, cap, TPM12_TAG_RQU_COMMAND, TPM12_ORD_PCRRead);
    mw_u32(&w, pcr);
    return mw_command_end(&w);
}

size_t tpm12_build_extend(uint8_t *buf, size_t cap, uint32_t pcr, const uint8_t digest[20])
{
    struct mwriter w;
    mw_command_begin(&w, buf, cap, TPM12_TAG_RQU_COMMAND, TPM12_ORD_Extend);
    mw_u32(&w, pcr);
    mw_bytes(&w, digest, TPM12_DIGEST_SIZE);
    return mw_command_end(&w);
}

size_t tpm12_build_get_random(uint8_t *buf, size_t cap, uint32_t n)
{
    struct mwriter w;
    mw_command_begin(&w, buf, cap, TPM12_TAG_RQU_COMMAND, TPM12_ORD_GetRandom);
    mw_u32(&w, n);
    return mw_command_end(&w);
}

size_t tpm12_build_nv_read(uint8_t *buf, size_t cap, uint32_t index, uint32_t offset, uint32_t n)
{
    struct mwriter w;
    mw_command_begin(&w, buf, cap, TPM12_TAG_RQU_COMMAND, TPM12_ORD_NV_ReadValue);
    mw_u32(&w, index);
    mw_u32(&w, offset);
    mw_u32(&w, n);
    return mw_command_end(&w);
}

/* A reader over the parameters after the 10-byte header. */
static bool t12_params(struct mreader *r, const uint8_t *rsp, size_t len)
{
    if (len < 10)
        return false;
    mr_init(r, rsp + 10, len - 10);
    return true;
}

static enum rensa_err t12_malformed(struct diag *d, const char *what, size_t len)
{
    return diag_set(d, E_TPM_RESPONSE, "the TPM's %s response (%u bytes) is truncated or has trailing bytes", what,
                    (unsigned)len);
}

enum rensa_err tpm12_parse_u32_list(const uint8_t *rsp, size_t len, uint32_t *out, unsigned n, const char *what,
                                    struct diag *d)
{
    struct mreader r;
    if (!t12_params(&r, rsp, len))
        return t12_malformed(d, what, len);
    uint32_t size = mr_u32(&r);
    /* Some TPMs append fields; n values are required, extra ones ignored. */
    if (r.err || size < 4u * n || size != mr_left(&r))
        return diag_set(d, E_TPM_RESPONSE, "the TPM's %s response carries %u bytes (%u left), expected at least %u",
                        what, (unsigned)size, (unsigned)mr_left(&r), 4u * n);
    for (unsigned i = 0; i < n; i++)
        out[i] = mr_u32(&r);
    return r.err ? t12_malformed(d, what, len) : E_OK;
}

enum rensa_err tpm12_parse_version(const uint8_t *rsp, size_t len, uint8_t version[4], struct diag *d)
{
    struct mreader r;
    if (!t12_params(&r, rsp, len))
        return t12_malformed(d, "GetCapability(VERSION_VAL)", len);
    uint32_t size = mr_u32(&r);
    if (r.err || size < 6 || size != mr_left(&r))
        return t12_malformed(d, "GetCapability(VERSION_VAL)", len);
    uint16_t tag = mr_u16(&r); /* TPM_TAG_CAP_VERSION_INFO */
    if (tag != 0x0030u)
        return diag_set(d, E_TPM_RESPONSE, "the TPM's TPM_CAP_VERSION_INFO has tag 0x%04x, expected 0x0030",
                        (unsigned)tag);
    mr_bytes(&r, version, 4);
    return r.err ? t12_malformed(d, "GetCapability(VERSION_VAL)", len) : E_OK;
}

enum rensa_err tpm12_parse_digest(const uint8_t *rsp, size_t len, uint8_t out[20], const char *what,
                                  struct diag *d)
{
    struct mreader r;
    if (!t12_params(&r, rsp, len) || mr_left(&r) != TPM12_DIGEST_SIZE)
        return t12_malformed(d, what, len);
    mr_bytes(&r, out, TPM12_DIGEST_SIZE);
    return E_OK;
}

enum rensa_err tpm12_parse_sized(const uint8_t *rsp, size_t len, uint8_t *out, size_t max, size_t *got,
                                 const char *what, struct diag *d)
{
    struct mreader r;
    if (!t12_params(&r, rsp, len))
        return t12_malformed(d, what, len);
    uint32_t size = mr_u32(&r);
    if (r.err || size != mr_left(&r))
        return t12_malformed(d, what, len);
    if (size > max)
        return diag_set(d, E_TPM_RESPONSE, "the TPM's %s response carries %u bytes, more than the %u asked for",
                        what, (unsigned)size, (unsigned)max);
    mr_bytes(&r, out, size);
    *got = size;
    return E_OK;
}

enum rensa_err tpm12_get_capability_u32s(struct tpm *t, uint32_t sub, uint32_t *out, unsigned n, struct diag *d)
{
    size_t len = tpm12_build_get_capability(t->cmd, sizeof(t->cmd), TPM12_CAP_PROPERTY, sub);
    size_t rlen;
    enum rensa_err e = tpm_command(t, len, TPM_DUR_SHORT, "TPM_GetCapability", &rlen, d);
    if (e)
        return e;
    return tpm12_parse_u32_list(t->rsp, rlen, out, n, "TPM_GetCapability", d);
}

/* Reported µs to ms, rounded up; never below the default, at most cap. */
static uint32_t merge_ms(uint32_t us, uint32_t dflt, uint32_t cap)
{
    uint32_t ms = us / 1000u + (us % 1000u != 0);
    if (ms < dflt)
        ms = dflt;
    return ms > cap ? cap : ms;
}

enum rensa_err tpm12_init(struct tpm *t, struct diag *d)
{
    uint32_t v[4];
    struct diag soft; /* a TPM error code here keeps the defaults */
    enum rensa_err e = tpm12_get_capability_u32s(t, TPM12_CAP_PROP_TIS_TIMEOUT, v, 4, &soft);
    if (e == E_OK) {
        t->to.a = merge_ms(v[0], t->to.a, 60000);
        t->to.b = merge_ms(v[1], t->to.b, 60000);
        t->to.c = merge_ms(v[2], t->to.c, 60000);
        t->to.d = merge_ms(v[3], t->to.d, 60000);
    } else if (e != E_TPM_RC) {
        if (d)
            *d = soft;
        return e;
    }
    e = tpm12_get_capability_u32s(t, TPM12_CAP_PROP_DURATION, v, 3, &soft);
    if (e == E_OK) {
        for (unsigned i = 0; i < 3; i++)
            t->to.dur[i] = merge_ms(v[i], t->to.dur[i], 600000);
    } else if (e != E_TPM_RC) {
        if (d)
            *d = soft;
        return e;
    }
    e = tpm12_get_capability_u32s(t, TPM12_CAP_PROP_PCR, v, 1, d);
    if (e)
        return e;
    if (v[0] == 0 || v[0] > 1024)
        return diag_set(d, E_TPM_RESPONSE, "the TPM 1.2 reports %u PCRs", (unsigned)v[0]);
    t->pcr_count = v[0];
    size_t len = tpm12_build_get_capability(t->cmd, sizeof(t->cmd), TPM12_CAP_VERSION_VAL, 0);
    size_t rlen;
    e = tpm_command(t, len, TPM_DUR_SHORT, "TPM_GetCapability(VERSION_VAL)", &rlen, d);
    if (e)
        return e;
    return tpm12_parse_version(t->rsp, rlen, t->version, d);
}

static enum rensa_err check_pcr(struct tpm *t, unsigned pcr, struct diag *d)
{
    if (pcr >= t->pcr_count)
        return diag_set(d, E_TPM_ARG, "PCR %u does not exist; the TPM has %u", pcr, t->pcr_count);
    return E_OK;
}

enum rensa_err tpm12_pcr_read(struct tpm *t, unsigned pcr, uint8_t out[20], struct diag *d)
{
    enum rensa_err e = check_pcr(t, pcr, d);
    if (e)
        return e;
    size_t len = tpm12_build_pcr_read(t->cmd, sizeof(t->cmd), pcr), rlen;
    e = tpm_command(t, len, TPM_DUR_MEDIUM, "TPM_PCRRead", &rlen, d);
    if (e)
        return e;
    return tpm12_parse_digest(t->rsp, rlen, out, "TPM_PCRRead", d);
}

enum rensa_err tpm12_extend(struct tpm *t, unsigned pcr, const uint8_t digest[20], struct diag *d)
{
    enum rensa_err e = check_pcr(t, pcr, d);
    if (e)
        return e;
    size_t len = tpm12_build_extend(t->cmd, sizeof(t->cmd), pcr, digest), rlen;
    e = tpm_command(t, len, TPM_DUR_MEDIUM, "TPM_Extend", &rlen, d);
    if (e)
        return e;
    uint8_t newval[20];
    return tpm12_parse_digest(t->rsp, rlen, newval, "TPM_Extend", d);
}

enum rensa_err tpm12_get_random(struct tpm *t, uint8_t *out, size_t n, struct diag *d)
{
    size_t done = 0;
    unsigned empty = 0;
    while (done < n) {
        uint32_t ask = (uint32_t)(n - done < CHUNK_MAX ? n - done : CHUNK_MAX);
        size_t len = tpm12_build_get_random(t->cmd, sizeof(t->cmd), ask), rlen, got = 0;
        enum rensa_err e = tpm_command(t, len, TPM_DUR_MEDIUM, "TPM_GetRandom", &rlen, d);
        if (e)
            return e;
        e = tpm12_parse_sized(t->rsp, rlen, out + done, ask, &got, "TPM_GetRandom", d);
        if (e)
            return e;
        /* A TPM may return fewer bytes; zero bytes three times is a failure. */
        if (got == 0 && ++empty == 3)
            return diag_set(d, E_TPM_RESPONSE, "TPM_GetRandom returned no bytes three times (%u of %u done)",
                            (unsigned)done, (unsigned)n);
        done += got;
    }
    return E_OK;
}

enum rensa_err tpm12_nv_read(struct tpm *t, uint32_t index, uint32_t offset, uint8_t *out, size_t n,
                             struct diag *d)
{
    size_t done = 0;
    if (n > 0xFFFFFFFFu - offset)
        return diag_set(d, E_TPM_ARG, "NV read of %u bytes at offset %u wraps", (unsigned)n, (unsigned)offset);
    while (done < n) {
        uint32_t ask = (uint32_t)(n - done < CHUNK_MAX ? n - done : CHUNK_MAX);
        size_t len = tpm12_build_nv_read(t->cmd, sizeof(t->cmd), index, offset + (uint32_t)done, ask), rlen, got = 0;
        enum rensa_err e = tpm_command(t, len, TPM_DUR_MEDIUM, "TPM_NV_ReadValue", &rlen, d);
        if (e)
            return e;
        e = tpm12_parse_sized(t->rsp, rlen, out + done, ask, &got, "TPM_NV_ReadValue", d);
        if (e)
            return e;
        if (got != ask)
            return diag_set(d, E_TPM_RESPONSE, "TPM_NV_ReadValue of index 0x%08x returned %u bytes, asked for %u",
                            (unsigned)index, (unsigned)got, (unsigned)ask);
        done += got;
    }
    return E_OK;
}
