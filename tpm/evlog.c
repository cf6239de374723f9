/* The TCG event log: writer (the loader) and reader (the host tools), in
 * the TPM 1.2 format and the TPM 2.0 crypto-agile format
 * (docs/measurements.md, include/evlog.h). Every field is little-endian
 * and written or read byte by byte, so nothing depends on alignment; every
 * length is checked against the space left before it is used, so neither
 * side touches a byte outside its buffer. No 64-bit division, no console. */
#include "evlog.h"
#include "rstring.h"
#include "tpm.h"

#define PCR_EVENT_HDR 32u /* TCG_PCR_EVENT without its data */
#define SPEC_ID_FIXED 28u /* TCG_EfiSpecIDEvent up to numberOfAlgorithms */

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Bytes of a crypto-agile record's header and digests (without the data). */
static uint32_t agile_fixed(const struct evlog *l)
{
    uint32_t n = 4 + 4 + 4 + 4; /* pcrIndex, eventType, count, eventSize */
    for (unsigned i = 0; i < l->nbanks; i++)
        n += 2u + l->banks[i].size;
    return n;
}

static uint32_t spec_id_size(unsigned nbanks)
{
    return SPEC_ID_FIXED + 4u * nbanks + 1u; /* + vendorInfoSize, no vendor info */
}

/* ------------------------------------------------------------------ writer */

static enum rensa_err check_banks(enum evlog_format f, const struct evlog_bank *banks, unsigned nbanks,
                                  struct diag *d)
{
    if (f != EVLOG_TPM12 && f != EVLOG_AGILE)
        return diag_set(d, E_EVLOG_ARG, "event log format %d is neither TPM 1.2 nor crypto-agile", (int)f);
    if (!banks || nbanks == 0 || nbanks > EVLOG_MAX_BANKS)
        return diag_set(d, E_EVLOG_ARG, "an event log needs 1 to %u banks, not %u", EVLOG_MAX_BANKS, nbanks);
    if (f == EVLOG_TPM12 && (nbanks != 1 || banks[0].alg != TPM_ALG_SHA1 || banks[0].size != 20))
        return diag_set(d, E_EVLOG_ARG, "a TPM 1.2 event log has exactly one bank, SHA-1 with 20-byte digests");
    for (unsigned i = 0; i < nbanks; i++) {
        unsigned want = tpm_alg_digest_size(banks[i].alg);
        if (want == 0 || want > EVLOG_DIGEST_MAX)
            return diag_set(d, E_EVLOG_ARG, "event log bank %u: unknown algorithm 0x%04x", i,
                            (unsigned)banks[i].alg);
        if (banks[i].size != want)
            return diag_set(d, E_EVLOG_ARG, "event log bank %u: %s digests are %u bytes, not %u", i,
                            tpm_alg_name(banks[i].alg), want, (unsigned)banks[i].size);
        for (unsigned j = 0; j < i; j++)
            if (banks[j].alg == banks[i].alg)
                return diag_set(d, E_EVLOG_ARG, "event log bank %s is listed twice", tpm_alg_name(banks[i].alg));
    }
    return E_OK;
}

enum rensa_err evlog_init(struct evlog *l, enum evlog_format f, uint8_t *buf, uint32_t size,
                          const struct evlog_bank *banks, unsigned nbanks, struct diag *d)
{
    memset(l, 0, sizeof(*l));
    enum rensa_err e = check_banks(f, banks, nbanks, d);
    if (e)
        return e;
    if (!buf && size)
        return diag_set(d, E_EVLOG_ARG, "event log buffer missing");
    l->format = f;
    l->buf = buf;
    l->size = size;
    l->nbanks = nbanks;
    for (unsigned i = 0; i < nbanks; i++)
        l->banks[i] = banks[i];
    if (f == EVLOG_TPM12)
        return E_OK;

    /* TCG_PCR_EVENT carrying TCG_EfiSpecIDEvent. */
    uint32_t sid = spec_id_size(nbanks);
    if (size < PCR_EVENT_HDR + sid)
        return diag_set(d, E_EVLOG_FULL, "the Spec ID event (%u bytes) does not fit an event log of %u bytes",
                        (unsigned)(PCR_EVENT_HDR + sid), (unsigned)size);
    uint8_t *p = buf;
    memset(p, 0, PCR_EVENT_HDR + sid);
    put32(p, 0);                 /* pcrIndex */
    put32(p + 4, EV_NO_ACTION); /* eventType; digest: 20 zero bytes */
    put32(p + 28, sid);          /* eventSize */
    p += PCR_EVENT_HDR;
    memcpy(p, EVLOG_SPEC_ID_SIGNATURE, sizeof(EVLOG_SPEC_ID_SIGNATURE)); /* 16 bytes with the NUL */
    put32(p + 16, 0); /* platformClass: client */
    p[20] = 0;        /* specVersionMinor */
    p[21] = 2;        /* specVersionMajor */
    p[22] = 2;        /* specErrata */
    p[23] = 1;        /* uintnSize: UINT32 */
    put32(p + 24, nbanks);
    for (unsigned i = 0; i < nbanks; i++) {
        put16(p + SPEC_ID_FIXED + 4 * i, banks[i].alg);
        put16(p + SPEC_ID_FIXED + 4 * i + 2, banks[i].size);
    }
    p[SPEC_ID_FIXED + 4 * nbanks] = 0; /* vendorInfoSize */
    l->used = PCR_EVENT_HDR + sid;
    l->start = l->used;
    return E_OK;
}

enum rensa_err evlog_append(struct evlog *l, uint32_t pcr, uint32_t type, const uint8_t *const *digests,
                            const void *data, uint32_t data_len, struct diag *d)
{
    if (l->nbanks == 0 || l->used > l->size)
        return diag_set(d, E_EVLOG_ARG, "event log not started");
    if (!digests)
        return diag_set(d, E_EVLOG_ARG, "event of type 0x%x has no digests", (unsigned)type);
    for (unsigned i = 0; i < l->nbanks; i++)
        if (!digests[i])
            return diag_set(d, E_EVLOG_ARG, "event of type 0x%x lacks its %s digest", (unsigned)type,
                            tpm_alg_name(l->banks[i].alg));
    if (!data && data_len)
        return diag_set(d, E_EVLOG_ARG, "event of type 0x%x has no data", (unsigned)type);
    uint32_t fixed = l->format == EVLOG_TPM12 ? PCR_EVENT_HDR : agile_fixed(l);
    uint32_t room = l->size - l->used;
    if (fixed > room || data_len > room - fixed)
        return diag_set(d, E_EVLOG_FULL, "event of type 0x%x (%u bytes of data) does not fit the %u bytes left",
                        (unsigned)type, (unsigned)data_len, (unsigned)room);
    uint8_t *p = l->buf + l->used;
    put32(p, pcr);
    put32(p + 4, type);
    p += 8;
    if (l->format == EVLOG_TPM12) {
        memcpy(p, digests[0], 20);
        p += 20;
    } else {
        put32(p, l->nbanks);
        p += 4;
        for (unsigned i = 0; i < l->nbanks; i++) {
            put16(p, l->banks[i].alg);
            memcpy(p + 2, digests[i], l->banks[i].size);
            p += 2u + l->banks[i].size;
        }
    }
    put32(p, data_len);
    if (data_len)
        memcpy(p + 4, data, data_len);
    l->used += fixed + data_len;
    return E_OK;
}

/* ------------------------------------------------------------------ reader */

static bool all_zero(const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* The Spec ID event's data at p (n bytes, n = its eventSize, all inside
 * the buffer). */
static enum rensa_err parse_spec_id(struct evlog *l, const uint8_t *p, uint32_t n, struct diag *d)
{
    if (n < SPEC_ID_FIXED)
        return diag_set(d, E_EVLOG_SPEC_ID, "event log offset 0x20: Spec ID event of %u bytes, shorter than %u",
                        (unsigned)n, SPEC_ID_FIXED);
    if (p[21] != 2)
        return diag_set(d, E_EVLOG_SPEC_ID, "event log offset 0x35: Spec ID event for spec version %u.%u, not 2.x",
                        p[21], p[20]);
    if (p[23] != 1 && p[23] != 2)
        return diag_set(d, E_EVLOG_SPEC_ID, "event log offset 0x37: Spec ID uintnSize %u is neither 1 nor 2", p[23]);
    uint32_t count = get32(p + 24);
    if (count == 0 || count > EVLOG_MAX_BANKS)
        return diag_set(d, E_EVLOG_SPEC_ID, "event log offset 0x38: Spec ID numberOfAlgorithms %u is not 1 to %u",
                        (unsigned)count, EVLOG_MAX_BANKS);
    if (n < spec_id_size(count))
        return diag_set(d, E_EVLOG_SPEC_ID,
                        "event log offset 0x1c: Spec ID event size %u is too small for %u algorithms",
                        (unsigned)n, (unsigned)count);
    for (uint32_t i = 0; i < count; i++) {
        uint16_t alg = get16(p + SPEC_ID_FIXED + 4 * i);
        uint16_t size = get16(p + SPEC_ID_FIXED + 4 * i + 2);
        unsigned off = PCR_EVENT_HDR + SPEC_ID_FIXED + 4 * i;
        unsigned want = tpm_alg_digest_size(alg);
        if (want == 0 || want > EVLOG_DIGEST_MAX)
            return diag_set(d, E_EVLOG_SPEC_ID, "event log offset 0x%x: Spec ID algorithm %u is unknown (0x%04x)",
                            off, (unsigned)i, (unsigned)alg);
        if (size != want)
            return diag_set(d, E_EVLOG_SPEC_ID,
                            "event log offset 0x%x: Spec ID gives %s a digest size of %u, not %u", off + 2,
                            tpm_alg_name(alg), (unsigned)size, want);
        for (uint32_t j = 0; j < i; j++)
            if (l->banks[j].alg == alg)
                return diag_set(d, E_EVLOG_SPEC_ID, "event log offset 0x%x: Spec ID lists %s twice", off,
                                tpm_alg_name(alg));
        l->banks[i].alg = alg;
        l->banks[i].size = size;
    }
    uint32_t vendor = p[SPEC_ID_FIXED + 4 * count];
    if (n != spec_id_size(count) + vendor)
        return diag_set(d, E_EVLOG_SPEC_ID,
                        "event log offset 0x1c: Spec ID event size %u differs from its content (%u bytes)",
                        (unsigned)n, (unsigned)(spec_id_size(count) + vendor));
    l->nbanks = count;
    return E_OK;
}

enum rensa_err evlog_open(struct evlog *l, const uint8_t *buf, uint32_t size, struct diag *d)
{
    memset(l, 0, sizeof(*l));
    if (!buf && size)
        return diag_set(d, E_EVLOG_ARG, "event log buffer missing");
    l->buf = (uint8_t *)buf; /* never written through by the reader */
    l->size = size;
    l->used = size;
    /* A crypto-agile log starts with PCR 0, EV_NO_ACTION, a zero digest and
     * the Spec ID signature. */
    if (size >= PCR_EVENT_HDR + 16 && get32(buf) == 0 && get32(buf + 4) == EV_NO_ACTION &&
        all_zero(buf + 8, 20) && memcmp(buf + PCR_EVENT_HDR, EVLOG_SPEC_ID_SIGNATURE, 16) == 0) {
        uint32_t n = get32(buf + 28);
        if (n > size - PCR_EVENT_HDR)
            return diag_set(d, E_EVLOG_SPEC_ID,
                            "event log offset 0x1c: Spec ID event size %u runs past the end of the %u-byte log",
                            (unsigned)n, (unsigned)size);
        enum rensa_err e = parse_spec_id(l, buf + PCR_EVENT_HDR, n, d);
        if (e)
            return e;
        l->format = EVLOG_AGILE;
        l->start = PCR_EVENT_HDR + n;
        return E_OK;
    }
    l->format = EVLOG_TPM12;
    l->nbanks = 1;
    l->banks[0].alg = TPM_ALG_SHA1;
    l->banks[0].size = 20;
    l->start = 0;
    return E_OK;
}

enum rensa_err evlog_next(struct evlog *l, uint32_t *pos, struct evlog_event *ev, bool *end, struct diag *d)
{
    *end = false;
    uint32_t at = *pos;
    if (at < l->start)
        at = l->start;
    if (at > l->size)
        return diag_set(d, E_EVLOG_ARG, "event log position 0x%x is past the end (0x%x)", (unsigned)at,
                        (unsigned)l->size);
    const uint8_t *p = l->buf + at;
    uint32_t left = l->size - at;
    if (left == 0) {
        *end = true;
        *pos = at;
        return E_OK;
    }
    memset(ev, 0, sizeof(*ev));
    ev->offset = at;
    uint32_t fixed = l->format == EVLOG_TPM12 ? PCR_EVENT_HDR : 12u; /* up to the digests */
    if (left < fixed) {
        if (all_zero(p, left)) {
            *end = true;
            *pos = at;
            return E_OK;
        }
        return diag_set(d, E_EVLOG_MALFORMED, "event log offset 0x%x: record header truncated (%u of %u bytes)",
                        (unsigned)at, (unsigned)left, (unsigned)fixed);
    }
    ev->pcr = get32(p);
    ev->type = get32(p + 4);
    uint32_t q; /* offset of eventSize within the record */
    if (l->format == EVLOG_TPM12) {
        ev->ndigests = 1;
        ev->digests[0].alg = TPM_ALG_SHA1;
        ev->digests[0].size = 20;
        ev->digests[0].digest = p + 8;
        q = 28;
        if (ev->pcr == 0 && ev->type == 0 && get32(p + q) == 0) {
            *end = true;
            *pos = at;
            return E_OK;
        }
    } else {
        uint32_t count = get32(p + 8);
        if (ev->pcr == 0 && ev->type == 0 && count == 0) {
            *end = true;
            *pos = at;
            return E_OK;
        }
        if (count != l->nbanks)
            return diag_set(d, E_EVLOG_MALFORMED,
                            "event log offset 0x%x: record has %u digests, the Spec ID event lists %u banks",
                            (unsigned)at, (unsigned)count, l->nbanks);
        q = 12;
        for (uint32_t i = 0; i < count; i++) {
            if (left - q < 2)
                return diag_set(d, E_EVLOG_MALFORMED, "event log offset 0x%x: digest %u truncated", (unsigned)at,
                                (unsigned)i);
            uint16_t alg = get16(p + q);
            unsigned b = 0;
            while (b < l->nbanks && l->banks[b].alg != alg)
                b++;
            if (b == l->nbanks)
                return diag_set(d, E_EVLOG_MALFORMED,
                                "event log offset 0x%x: digest %u is for algorithm 0x%04x, not in the Spec ID event",
                                (unsigned)(at + q), (unsigned)i, (unsigned)alg);
            for (uint32_t j = 0; j < i; j++)
                if (ev->digests[j].alg == alg)
                    return diag_set(d, E_EVLOG_MALFORMED, "event log offset 0x%x: two %s digests in one record",
                                    (unsigned)(at + q), tpm_alg_name(alg));
            uint32_t size = l->banks[b].size;
            q += 2;
            if (left - q < size)
                return diag_set(d, E_EVLOG_MALFORMED, "event log offset 0x%x: %s digest truncated", (unsigned)at,
                                tpm_alg_name(alg));
            ev->digests[i].alg = alg;
            ev->digests[i].size = (uint16_t)size;
            ev->digests[i].digest = p + q;
            q += size;
        }
        ev->ndigests = count;
        if (left - q < 4)
            return diag_set(d, E_EVLOG_MALFORMED, "event log offset 0x%x: eventSize truncated", (unsigned)at);
    }
    uint32_t n = get32(p + q);
    q += 4;
    if (n > left - q)
        return diag_set(d, E_EVLOG_MALFORMED,
                        "event log offset 0x%x: event data of %u bytes runs past the end of the log (%u left)",
                        (unsigned)at, (unsigned)n, (unsigned)(left - q));
    ev->data = p + q;
    ev->data_len = n;
    *pos = at + q + n;
    return E_OK;
}

enum rensa_err evlog_adopt(struct evlog *l, uint32_t used, struct diag *d)
{
    if (used < l->used || used > l->size)
        return diag_set(d, E_EVLOG_MALFORMED, "records said to end at %u, outside [%u, %u]", (unsigned)used,
                        (unsigned)l->used, (unsigned)l->size);
    struct evlog r;
    enum rensa_err e = evlog_open(&r, l->buf, used, d);
    if (e)
        return e;
    if (r.format != l->format || r.nbanks != l->nbanks)
        return diag_set(d, E_EVLOG_MALFORMED, "the log's header changed: %u banks, Rensa wrote %u", r.nbanks,
                        l->nbanks);
    uint32_t pos = 0;
    for (;;) {
        struct evlog_event ev;
        bool end = false;
        if ((e = evlog_next(&r, &pos, &ev, &end, d)))
            return e;
        if (end)
            break;
        if (ev.ndigests != l->nbanks)
            return diag_set(d, E_EVLOG_MALFORMED, "the record at %u has %u digests, the log %u banks", ev.offset,
                            ev.ndigests, l->nbanks);
    }
    if (pos != used)
        return diag_set(d, E_EVLOG_MALFORMED, "the records end at %u, not at %u", (unsigned)pos, (unsigned)used);
    l->used = used;
    return E_OK;
}
