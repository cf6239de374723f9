/* TPM 2.0 commands: GetCapability (PCR banks, properties), PCR_Read,
 * PCR_Extend (every active bank in one command), GetRandom, NV_Read
 * (TPM Library Specification, Part 3). TPM2_Startup is the firmware's. */
#include "marshal.h"
#include "rstring.h"
#include "tpm2.h"

#define CHUNK_RANDOM 32u /* a TPM returns at most its largest digest size */
#define CHUNK_NV 512u
#define BANKS_SANE 16u /* more TPMS_PCR_SELECTIONs than this is nonsense */

/* Authorization area with one password session (TPM_RS_PW), empty
 * nonce, no attributes, empty password. */
static void pw_session(struct mwriter *w)
{
    mw_u32(w, 9); /* authorizationSize */
    mw_u32(w, TPM2_RS_PW);
    mw_u16(w, 0); /* nonceCaller */
    mw_u8(w, 0); /* sessionAttributes */
    mw_u16(w, 0); /* hmac (the password) */
}

size_t tpm2_build_get_capability(uint8_t *buf, size_t cap, uint32_t capability, uint32_t property, uint32_t count)
{
    struct mwriter w;
    mw_command_begin(&w, buf, cap, TPM2_ST_NO_SESSIONS, TPM2_CC_GetCapability);
    mw_u32(&w, capability);
    mw_u32(&w, property);
    mw_u32(&w, count);
    return mw_command_end(&w);
}

size_t tpm2_build_pcr_read(uint8_t *buf, size_t cap, uint16_t alg, unsigned select_size, unsigned pcr)
{
    struct mwriter w;
    if (select_size < 3)
        select_size = 3;
    if (pcr / 8 >= select_size)
        select_size = pcr / 8 + 1;
    if (select_size > 255)
        return 0;
    mw_command_begin(&w, buf, cap, TPM2_ST_NO_SESSIONS, TPM2_CC_PCR_Read);
    mw_u32(&w, 1); /* TPML_PCR_SELECTION.count */
    mw_u16(&w, alg);
    mw_u8(&w, (uint8_t)select_size);
    for (unsigned i = 0; i < select_size; i++)
        mw_u8(&w, i == pcr / 8 ? (uint8_t)(1u << (pcr % 8)) : 0);
    return mw_command_end(&w);
}

size_t tpm2_build_pcr_extend(uint8_t *buf, size_t cap, unsigned pcr, const struct tpm_bank *banks, unsigned nbanks,
                             const uint8_t *const digests[])
{
    struct mwriter w;
    mw_command_begin(&w, buf, cap, TPM2_ST_SESSIONS, TPM2_CC_PCR_Extend);
    mw_u32(&w, pcr); /* pcrHandle: PCR n is handle n */
    pw_session(&w);
    mw_u32(&w, nbanks); /* TPML_DIGEST_VALUES.count */
    for (unsigned i = 0; i < nbanks; i++) {
        mw_u16(&w, banks[i].alg);
        mw_bytes(&w, digests[i], banks[i].size);
    }
    return mw_command_end(&w);
}

size_t tpm2_build_get_random(uint8_t *buf, size_t cap, uint16_t n)
{
    struct mwriter w;
    mw_command_begin(&w, buf, cap, TPM2_ST_NO_SESSIONS, TPM2_CC_GetRandom);
    mw_u16(&w, n);
    return mw_command_end(&w);
}

size_t tpm2_build_nv_read(uint8_t *buf, size_t cap, uint32_t auth, uint32_t index, uint16_t n, uint16_t offset)
{
    struct mwriter w;
    mw_command_begin(&w, buf, cap, TPM2_ST_SESSIONS, TPM2_CC_NV_Read);
    mw_u32(&w, auth);
    mw_u32(&w, index);
    pw_session(&w);
    mw_u16(&w, n);
    mw_u16(&w, offset);
    return mw_command_end(&w);
}

static enum rensa_err t2_malformed(struct diag *d, const char *what, size_t len)
{
    return diag_set(d, E_TPM_RESPONSE, "the TPM's %s response (%u bytes) is truncated or has trailing bytes", what,
                    (unsigned)len);
}

static bool t2_params(struct mreader *r, const uint8_t *rsp, size_t len)
{
    if (len < 10)
        return false;
    mr_init(r, rsp + 10, len - 10);
    return true;
}

/* The capability header of a GetCapability response. */
static enum rensa_err cap_header(struct mreader *r, const uint8_t *rsp, size_t len, uint32_t capability,
                                 struct diag *d)
{
    if (!t2_params(r, rsp, len))
        return t2_malformed(d, "TPM2_GetCapability", len);
    (void)mr_u8(r); /* moreData */
    uint32_t c = mr_u32(r);
    if (r->err)
        return t2_malformed(d, "TPM2_GetCapability", len);
    if (c != capability)
        return diag_set(d, E_TPM_RESPONSE, "the TPM answered TPM2_GetCapability(0x%x) with capability 0x%x",
                        (unsigned)capability, (unsigned)c);
    return E_OK;
}

enum rensa_err tpm2_parse_pcrs(const uint8_t *rsp, size_t len, struct tpm_bank *banks, unsigned *nbanks,
                               struct diag *d)
{
    struct mreader r;
    enum rensa_err e = cap_header(&r, rsp, len, TPM2_CAP_PCRS, d);
    if (e)
        return e;
    uint32_t count = mr_u32(&r);
    if (r.err)
        return t2_malformed(d, "TPM2_GetCapability(TPM_CAP_PCRS)", len);
    if (count > TPM_BANKS_MAX || count > BANKS_SANE)
        return diag_set(d, E_TPM_RESPONSE, "the TPM reports %u PCR banks; Rensa handles at most %u",
                        (unsigned)count, TPM_BANKS_MAX);
    for (uint32_t i = 0; i < count; i++) {
        struct tpm_bank *b = &banks[i];
        memset(b, 0, sizeof(*b));
        b->alg = mr_u16(&r);
        b->size = (uint16_t)tpm_alg_digest_size(b->alg);
        b->select_size = mr_u8(&r);
        for (unsigned k = 0; k < b->select_size; k++) {
            uint8_t v = mr_u8(&r);
            if (k < TPM_PCR_SELECT_MAX)
                b->select[k] = v;
            if (v)
                b->active = true;
        }
        if (r.err)
            return t2_malformed(d, "TPM2_GetCapability(TPM_CAP_PCRS)", len);
        for (uint32_t j = 0; j < i; j++)
            if (banks[j].alg == b->alg)
                return diag_set(d, E_TPM_RESPONSE, "the TPM lists PCR bank 0x%04x twice", (unsigned)b->alg);
    }
    if (mr_left(&r))
        return t2_malformed(d, "TPM2_GetCapability(TPM_CAP_PCRS)", len);
    *nbanks = count;
    return E_OK;
}

enum rensa_err tpm2_parse_property(const uint8_t *rsp, size_t len, uint32_t property, uint32_t *value,
                                   struct diag *d)
{
    struct mreader r;
    enum rensa_err e = cap_header(&r, rsp, len, TPM2_CAP_TPM_PROPERTIES, d);
    if (e)
        return e;
    uint32_t count = mr_u32(&r);
    if (r.err || count > mr_left(&r) / 8 || mr_left(&r) != (size_t)count * 8)
        return t2_malformed(d, "TPM2_GetCapability(TPM_CAP_TPM_PROPERTIES)", len);
    for (uint32_t i = 0; i < count; i++) {
        uint32_t p = mr_u32(&r), v = mr_u32(&r);
        if (p == property) {
            *value = v;
            return E_OK;
        }
    }
    return diag_set(d, E_TPM_RESPONSE, "the TPM does not report property 0x%x", (unsigned)property);
}

enum rensa_err tpm2_parse_pcr_read(const uint8_t *rsp, size_t len, uint16_t alg, unsigned pcr, uint8_t *out,
                                   unsigned size, struct diag *d)
{
    const char *what = "TPM2_PCR_Read";
    struct mreader r;
    if (!t2_params(&r, rsp, len))
        return t2_malformed(d, what, len);
    (void)mr_u32(&r); /* pcrUpdateCounter */
    uint32_t nsel = mr_u32(&r);
    if (r.err)
        return t2_malformed(d, what, len);
    bool selected = false;
    if (nsel > 1)
        return diag_set(d, E_TPM_RESPONSE, "the TPM's %s response selects %u banks, 1 was asked for", what,
                        (unsigned)nsel);
    if (nsel == 1) {
        uint16_t a = mr_u16(&r);
        uint8_t n = mr_u8(&r);
        for (unsigned k = 0; k < n; k++) {
            uint8_t v = mr_u8(&r);
            if (k == pcr / 8 && (v & (1u << (pcr % 8))))
                selected = true;
            else if (v)
                return diag_set(d, E_TPM_RESPONSE, "the TPM's %s response selects PCRs other than %u", what, pcr);
        }
        if (r.err)
            return t2_malformed(d, what, len);
        if (a != alg)
            return diag_set(d, E_TPM_RESPONSE, "the TPM's %s response is for bank 0x%04x, not 0x%04x", what,
                            (unsigned)a, (unsigned)alg);
    }
    uint32_t ndig = mr_u32(&r);
    if (r.err)
        return t2_malformed(d, what, len);
    if (!selected || ndig == 0) {
        if (ndig == 0 && mr_left(&r) == 0)
            return diag_set(d, E_TPM_ARG, "PCR %u is not allocated in the TPM's %s bank", pcr, tpm_alg_name(alg));
        return t2_malformed(d, what, len);
    }
    if (ndig != 1)
        return diag_set(d, E_TPM_RESPONSE, "the TPM's %s response has %u digests, 1 was asked for", what,
                        (unsigned)ndig);
    uint16_t dsz = mr_u16(&r);
    if (r.err || dsz != size)
        return diag_set(d, E_TPM_RESPONSE, "the TPM's %s response has a %u-byte %s digest, expected %u", what,
                        (unsigned)dsz, tpm_alg_name(alg), size);
    mr_bytes(&r, out, size);
    if (r.err || mr_left(&r))
        return t2_malformed(d, what, len);
    return E_OK;
}

/* The response authorization area for one session: nonce, attributes,
 * hmac, and nothing after. */
static bool session_area(struct mreader *r)
{
    uint16_t n = mr_u16(r);
    mr_bytes(r, NULL, n);
    (void)mr_u8(r);
    n = mr_u16(r);
    mr_bytes(r, NULL, n);
    return !r->err && mr_left(r) == 0;
}

enum rensa_err tpm2_parse_tpm2b(const uint8_t *rsp, size_t len, bool sessions, uint8_t *out, size_t max,
                                size_t *got, const char *what, struct diag *d)
{
    struct mreader r, p;
    if (!t2_params(&r, rsp, len))
        return t2_malformed(d, what, len);
    p = r;
    if (sessions) {
        uint32_t psize = mr_u32(&r);
        if (r.err || psize > mr_left(&r))
            return t2_malformed(d, what, len);
        mr_init(&p, r.buf + r.pos, psize);
        mr_bytes(&r, NULL, psize);
    }
    uint16_t n = mr_u16(&p);
    if (p.err)
        return t2_malformed(d, what, len);
    if (n > max)
        return diag_set(d, E_TPM_RESPONSE, "the TPM's %s response carries %u bytes, more than the %u asked for",
                        what, (unsigned)n, (unsigned)max);
    mr_bytes(&p, out, n);
    if (p.err || mr_left(&p))
        return t2_malformed(d, what, len);
    if (sessions && !session_area(&r))
        return t2_malformed(d, what, len);
    *got = n;
    return E_OK;
}

enum rensa_err tpm2_parse_auth_only(const uint8_t *rsp, size_t len, const char *what, struct diag *d)
{
    struct mreader r;
    if (!t2_params(&r, rsp, len))
        return t2_malformed(d, what, len);
    uint32_t psize = mr_u32(&r);
    if (r.err || psize != 0 || !session_area(&r))
        return t2_malformed(d, what, len);
    return E_OK;
}

enum rensa_err tpm2_init(struct tpm *t, struct diag *d)
{
    size_t len = tpm2_build_get_capability(t->cmd, sizeof(t->cmd), TPM2_CAP_PCRS, 0, 1), rlen;
    enum rensa_err e = tpm_command(t, len, TPM_DUR_SHORT, "TPM2_GetCapability(TPM_CAP_PCRS)", &rlen, d);
    if (e)
        return e;
    e = tpm2_parse_pcrs(t->rsp, rlen, t->banks, &t->bank_count, d);
    if (e)
        return e;
    len = tpm2_build_get_capability(t->cmd, sizeof(t->cmd), TPM2_CAP_TPM_PROPERTIES, TPM2_PT_PCR_COUNT, 1);
    e = tpm_command(t, len, TPM_DUR_SHORT, "TPM2_GetCapability(TPM_PT_PCR_COUNT)", &rlen, d);
    if (e)
        return e;
    uint32_t n = 0;
    e = tpm2_parse_property(t->rsp, rlen, TPM2_PT_PCR_COUNT, &n, d);
    if (e)
        return e;
    if (n == 0 || n > 8u * 255u)
        return diag_set(d, E_TPM_RESPONSE, "the TPM 2.0 reports %u PCRs", (unsigned)n);
    t->pcr_count = n;
    return E_OK;
}

static const struct tpm_bank *find_bank(const struct tpm *t, uint16_t alg)
{
    for (unsigned i = 0; i < t->bank_count; i++)
        if (t->banks[i].alg == alg)
            return &t->banks[i];
    return NULL;
}

enum rensa_err tpm2_pcr_read(struct tpm *t, unsigned pcr, uint16_t alg, uint8_t *out, struct diag *d)
{
    unsigned size = tpm_alg_digest_size(alg);
    if (!size)
        return diag_set(d, E_TPM_ARG, "PCR bank 0x%04x has a digest size Rensa does not know", (unsigned)alg);
    if (pcr >= t->pcr_count)
        return diag_set(d, E_TPM_ARG, "PCR %u does not exist; the TPM has %u", pcr, t->pcr_count);
    const struct tpm_bank *b = find_bank(t, alg);
    size_t len = tpm2_build_pcr_read(t->cmd, sizeof(t->cmd), alg, b ? b->select_size : 3, pcr), rlen;
    if (!len)
        return diag_set(d, E_TPM_ARG, "PCR %u cannot be selected in a TPM2_PCR_Read", pcr);
    enum rensa_err e = tpm_command(t, len, TPM_DUR_SHORT, "TPM2_PCR_Read", &rlen, d);
    if (e)
        return e;
    return tpm2_parse_pcr_read(t->rsp, rlen, alg, pcr, out, size, d);
}

enum rensa_err tpm2_pcr_extend(struct tpm *t, unsigned pcr, const struct tpm_digest_set *ds, struct diag *d)
{
    if (pcr >= t->pcr_count)
        return diag_set(d, E_TPM_ARG, "PCR %u does not exist; the TPM has %u", pcr, t->pcr_count);
    struct tpm_bank banks[TPM_BANKS_MAX];
    const uint8_t *digests[TPM_BANKS_MAX];
    unsigned n = 0;
    for (unsigned i = 0; i < t->bank_count; i++) {
        const struct tpm_bank *b = &t->banks[i];
        if (!b->active)
            continue;
        if (!b->size)
            return diag_set(d, E_TPM_BANK, "PCR bank 0x%04x is active but Rensa does not know its digest size",
                            (unsigned)b->alg);
        const uint8_t *dig = NULL;
        for (unsigned k = 0; k < ds->count && k < TPM_BANKS_MAX; k++)
            if (ds->d[k].alg == b->alg)
                dig = ds->d[k].digest;
        if (!dig)
            return diag_set(d, E_TPM_BANK, "PCR %u extend has no %s digest, but the TPM's %s bank is active", pcr,
                            tpm_alg_name(b->alg), tpm_alg_name(b->alg));
        banks[n] = *b;
        digests[n++] = dig;
    }
    if (!n)
        return diag_set(d, E_TPM_BANK, "PCR %u cannot be extended: the TPM has no active PCR bank", pcr);
    size_t len = tpm2_build_pcr_extend(t->cmd, sizeof(t->cmd), pcr, banks, n, digests), rlen;
    if (!len)
        return diag_set(d, E_TPM_ARG, "a TPM2_PCR_Extend with %u digests does not fit %u bytes", n, TPM_BUF_MAX);
    enum rensa_err e = tpm_command(t, len, TPM_DUR_MEDIUM, "TPM2_PCR_Extend", &rlen, d);
    if (e)
        return e;
    return tpm2_parse_auth_only(t->rsp, rlen, "TPM2_PCR_Extend", d);
}

enum rensa_err tpm2_get_random(struct tpm *t, uint8_t *out, size_t n, struct diag *d)
{
    size_t done = 0;
    unsigned empty = 0;
    while (done < n) {
        uint16_t ask = (uint16_t)(n - done < CHUNK_RANDOM ? n - done : CHUNK_RANDOM);
        size_t len = tpm2_build_get_random(t->cmd, sizeof(t->cmd), ask), rlen, got = 0;
        enum rensa_err e = tpm_command(t, len, TPM_DUR_MEDIUM, "TPM2_GetRandom", &rlen, d);
        if (e)
            return e;
        e = tpm2_parse_tpm2b(t->rsp, rlen, false, out + done, ask, &got, "TPM2_GetRandom", d);
        if (e)
            return e;
        if (got == 0 && ++empty == 3)
            return diag_set(d, E_TPM_RESPONSE, "TPM2_GetRandom returned no bytes three times (%u of %u done)",
                            (unsigned)done, (unsigned)n);
        done += got;
    }
    return E_OK;
}

enum rensa_err tpm2_nv_read(struct tpm *t, uint32_t auth, uint32_t index, uint32_t offset, uint8_t *out, size_t n,
                            struct diag *d)
{
    if (offset > 0xFFFFu || n > 0x10000u - offset)
        return diag_set(d, E_TPM_ARG, "a TPM 2.0 NV read of %u bytes at offset %u passes 64 KiB", (unsigned)n,
                        (unsigned)offset);
    size_t done = 0;
    while (done < n) {
        uint16_t ask = (uint16_t)(n - done < CHUNK_NV ? n - done : CHUNK_NV);
        size_t len = tpm2_build_nv_read(t->cmd, sizeof(t->cmd), auth, index, ask, (uint16_t)(offset + done));
        size_t rlen, got = 0;
        enum rensa_err e = tpm_command(t, len, TPM_DUR_MEDIUM, "TPM2_NV_Read", &rlen, d);
        if (e)
            return e;
        e = tpm2_parse_tpm2b(t->rsp, rlen, true, out + done, ask, &got, "TPM2_NV_Read", d);
        if (e)
            return e;
        if (got != ask)
            return diag_set(d, E_TPM_RESPONSE, "TPM2_NV_Read of index 0x%08x returned %u bytes, asked for %u",
                            (unsigned)index, (unsigned)got, ask);
        done += got;
    }
    return E_OK;
}
