/* The event log writer and reader (tpm/evlog.c): round trips in both
 * formats with 1-3 banks, a full buffer, every truncation of a valid log,
 * malformed Spec ID events and records, and the bytes of a small log
 * against hand-computed ones (TCG PC Client Platform Firmware Profile:
 * TCG_PCR_EVENT, TCG_EfiSpecIDEvent, TCG_PCR_EVENT2; little-endian). */
#include <stdlib.h>
#include "evlog.h"
#include "tpm.h"
#include "unit.h"

#define CHECK_BYTES(got, glen, want)                                                               \
    do {                                                                                           \
        CHECK_EQ((glen), sizeof(want));                                                            \
        if ((glen) == sizeof(want) && memcmp((got), (want), sizeof(want)) != 0) {                  \
            fprintf(stderr, "  %s:%d: bytes differ from %s\n", __FILE__, __LINE__, #want);        \
            for (size_t _i = 0; _i < sizeof(want); _i++)                                           \
                if ((got)[_i] != (want)[_i])                                                       \
                    fprintf(stderr, "    [%zu] got 0x%02x want 0x%02x\n", _i, (got)[_i], (want)[_i]); \
            unit_failures++;                                                                       \
        }                                                                                          \
    } while (0)

static const struct evlog_bank b_sha1 = {TPM_ALG_SHA1, 20}, b_sha256 = {TPM_ALG_SHA256, 32},
                                b_sha384 = {TPM_ALG_SHA384, 48}, b_sha512 = {TPM_ALG_SHA512, 64};

/* A deterministic digest for event i, bank b. */
static void fill_digest(uint8_t *d, unsigned size, unsigned i, unsigned b)
{
    for (unsigned k = 0; k < size; k++)
        d[k] = (uint8_t)(i * 31 + b * 7 + k);
}

#define NEVENTS 5
static const char *const texts[NEVENTS] = {"no dynamic root of trust", "rensa policy: pcr_map=legacy",
                                            "kernel: module 0, 12345 bytes", "", "console=ttyS0 quiet"};

/* Write NEVENTS events; returns bytes used (0 on failure). */
static uint32_t write_log(enum evlog_format f, const struct evlog_bank *banks, unsigned nbanks, uint8_t *buf,
                          uint32_t size)
{
    struct evlog l;
    struct diag d;
    if (evlog_init(&l, f, buf, size, banks, nbanks, &d) != E_OK)
        return 0;
    for (unsigned i = 0; i < NEVENTS; i++) {
        uint8_t dg[EVLOG_MAX_BANKS][EVLOG_DIGEST_MAX];
        const uint8_t *p[EVLOG_MAX_BANKS];
        for (unsigned b = 0; b < nbanks; b++) {
            fill_digest(dg[b], banks[b].size, i, b);
            p[b] = dg[b];
        }
        if (evlog_append(&l, 17 + i % 3, EV_RENSA_NO_DRTM + i, p, texts[i], (uint32_t)strlen(texts[i]), &d))
            return 0;
    }
    return l.used;
}

/* Read a log back and check every event against write_log's; returns the
 * number of events. The reader must stop at end_pos. */
static unsigned read_check(const uint8_t *buf, uint32_t size, uint32_t end_pos, enum evlog_format f,
                           const struct evlog_bank *banks, unsigned nbanks)
{
    struct evlog l;
    struct diag d;
    CHECK_EQ(evlog_open(&l, buf, size, &d), E_OK);
    CHECK_EQ(l.format, f);
    CHECK_EQ(l.nbanks, nbanks);
    for (unsigned b = 0; b < nbanks && b < l.nbanks; b++) {
        CHECK_EQ(l.banks[b].alg, banks[b].alg);
        CHECK_EQ(l.banks[b].size, banks[b].size);
    }
    uint32_t pos = 0;
    unsigned i = 0;
    for (;;) {
        struct evlog_event ev;
        bool end;
        enum rensa_err e = evlog_next(&l, &pos, &ev, &end, &d);
        CHECK_EQ(e, E_OK);
        if (e || end)
            break;
        if (i >= NEVENTS) {
            CHECK(!"too many events");
            break;
        }
        CHECK_EQ(ev.pcr, 17 + i % 3);
        CHECK_EQ(ev.type, EV_RENSA_NO_DRTM + i);
        CHECK_EQ(ev.ndigests, nbanks);
        for (unsigned b = 0; b < nbanks; b++) {
            uint8_t want[EVLOG_DIGEST_MAX];
            fill_digest(want, banks[b].size, i, b);
            CHECK_EQ(ev.digests[b].alg, banks[b].alg);
            CHECK_EQ(ev.digests[b].size, banks[b].size);
            CHECK(memcmp(ev.digests[b].digest, want, banks[b].size) == 0);
        }
        CHECK_EQ(ev.data_len, strlen(texts[i]));
        CHECK(ev.data_len == 0 || memcmp(ev.data, texts[i], ev.data_len) == 0);
        i++;
    }
    CHECK_EQ(pos, end_pos);
    return i;
}

TEST(evlog_roundtrip_agile_1_2_3_banks)
{
    static const struct evlog_bank sets[3][3] = {{{TPM_ALG_SHA256, 32}},
                                                 {{TPM_ALG_SHA1, 20}, {TPM_ALG_SHA256, 32}},
                                                 {{TPM_ALG_SHA1, 20}, {TPM_ALG_SHA256, 32}, {TPM_ALG_SHA384, 48}}};
    for (unsigned n = 1; n <= 3; n++) {
        uint8_t *buf = calloc(1, 4096);
        uint32_t used = write_log(EVLOG_AGILE, sets[n - 1], n, buf, 4096);
        CHECK(used > 0);
        /* Spec ID event + 5 records of 16 + sum(2 + size) + data. */
        uint32_t want = 32 + 28 + 4 * n + 1, rec = 16;
        for (unsigned b = 0; b < n; b++)
            rec += 2u + sets[n - 1][b].size;
        for (unsigned i = 0; i < NEVENTS; i++)
            want += rec + (uint32_t)strlen(texts[i]);
        CHECK_EQ(used, want);
        CHECK_EQ(read_check(buf, used, used, EVLOG_AGILE, sets[n - 1], n), NEVENTS);
        /* The whole reserved buffer, zeros after the last event: ends there. */
        CHECK_EQ(read_check(buf, 4096, used, EVLOG_AGILE, sets[n - 1], n), NEVENTS);
        free(buf);
    }
}

TEST(evlog_roundtrip_tpm12)
{
    uint8_t *buf = calloc(1, 4096);
    uint32_t used = write_log(EVLOG_TPM12, &b_sha1, 1, buf, 4096);
    uint32_t want = 0;
    for (unsigned i = 0; i < NEVENTS; i++)
        want += 32 + (uint32_t)strlen(texts[i]);
    CHECK_EQ(used, want);
    CHECK_EQ(read_check(buf, used, used, EVLOG_TPM12, &b_sha1, 1), NEVENTS);
    CHECK_EQ(read_check(buf, 4096, used, EVLOG_TPM12, &b_sha1, 1), NEVENTS);
    free(buf);
}

TEST(evlog_init_rejects_bad_banks)
{
    uint8_t buf[512];
    struct evlog l;
    struct diag d;
    struct evlog_bank many[EVLOG_MAX_BANKS + 1];
    for (unsigned i = 0; i < EVLOG_MAX_BANKS + 1; i++)
        many[i] = b_sha1;
    const struct evlog_bank unknown = {0x0099, 32}, badsize = {TPM_ALG_SHA256, 20},
                            dup[2] = {{TPM_ALG_SHA1, 20}, {TPM_ALG_SHA1, 20}}, two[2] = {{TPM_ALG_SHA1, 20},
                                                                                         {TPM_ALG_SHA256, 32}};
    CHECK_EQ(evlog_init(&l, EVLOG_TPM12, buf, sizeof(buf), &b_sha256, 1, &d), E_EVLOG_ARG);
    CHECK_EQ(evlog_init(&l, EVLOG_TPM12, buf, sizeof(buf), two, 2, &d), E_EVLOG_ARG);
    CHECK_EQ(evlog_init(&l, EVLOG_AGILE, buf, sizeof(buf), two, 0, &d), E_EVLOG_ARG);
    CHECK_EQ(evlog_init(&l, EVLOG_AGILE, buf, sizeof(buf), many, EVLOG_MAX_BANKS + 1, &d), E_EVLOG_ARG);
    CHECK_EQ(evlog_init(&l, EVLOG_AGILE, buf, sizeof(buf), &unknown, 1, &d), E_EVLOG_ARG);
    CHECK_EQ(evlog_init(&l, EVLOG_AGILE, buf, sizeof(buf), &badsize, 1, &d), E_EVLOG_ARG);
    CHECK_EQ(evlog_init(&l, EVLOG_AGILE, buf, sizeof(buf), dup, 2, &d), E_EVLOG_ARG);
    CHECK_EQ(evlog_init(&l, (enum evlog_format)7, buf, sizeof(buf), two, 2, &d), E_EVLOG_ARG);
    CHECK_EQ(evlog_init(&l, EVLOG_AGILE, buf, sizeof(buf), &b_sha512, 1, &d), E_OK); /* capped banks are fine */
    /* A missing digest is an error, not a read through NULL. */
    CHECK_EQ(evlog_init(&l, EVLOG_AGILE, buf, sizeof(buf), two, 2, &d), E_OK);
    uint8_t dg[32] = {0};
    const uint8_t *one[2] = {dg, NULL};
    CHECK_EQ(evlog_append(&l, 17, EV_RENSA_POLICY, one, "x", 1, &d), E_EVLOG_ARG);
    CHECK_EQ(evlog_append(&l, 17, EV_RENSA_POLICY, NULL, "x", 1, &d), E_EVLOG_ARG);
    CHECK_EQ(l.used, 32u + 28 + 8 + 1);
}

/* The buffer is exactly as large as the writer is told; the bytes after it
 * (a guard) must never change, and a failed append writes nothing. */
TEST(evlog_capacity_exhaustion)
{
    for (int f = EVLOG_TPM12; f <= EVLOG_AGILE; f++) {
        static const struct evlog_bank two[2] = {{TPM_ALG_SHA1, 20}, {TPM_ALG_SHA256, 32}};
        const struct evlog_bank *banks = f == EVLOG_TPM12 ? &b_sha1 : two;
        unsigned nb = f == EVLOG_TPM12 ? 1 : 2;
        uint32_t full = write_log((enum evlog_format)f, banks, nb, (uint8_t[4096]){0}, 4096);
        CHECK(full > 0);
        for (uint32_t cap = 0; cap < full; cap++) {
            uint8_t *buf = malloc(cap + 64);
            memset(buf, 0xA5, cap + 64);
            struct evlog l;
            struct diag d;
            enum rensa_err e = evlog_init(&l, (enum evlog_format)f, buf, cap, banks, nb, &d);
            unsigned ok = 0;
            for (unsigned i = 0; !e && i < NEVENTS; i++) {
                uint8_t dg[2][EVLOG_DIGEST_MAX];
                const uint8_t *p[2] = {dg[0], dg[1]};
                fill_digest(dg[0], banks[0].size, i, 0);
                fill_digest(dg[1], 32, i, 1);
                uint32_t before = l.used;
                e = evlog_append(&l, 17 + i % 3, EV_RENSA_NO_DRTM + i, p, texts[i], (uint32_t)strlen(texts[i]), &d);
                if (e)
                    CHECK_EQ(l.used, before);
                else
                    ok++;
            }
            CHECK_EQ(e, E_EVLOG_FULL); /* too small for the whole log: a clean error */
            if (e == E_EVLOG_FULL)
                CHECK(strstr(d.msg, "does not fit") != NULL);
            for (uint32_t k = cap; k < cap + 64; k++)
                if (buf[k] != 0xA5) {
                    CHECK(!"wrote past the buffer");
                    break;
                }
            /* What was written is a valid log of the events that fitted. */
            if (ok && (f == EVLOG_TPM12 || cap >= 32 + 28 + 9)) {
                struct evlog r;
                uint32_t pos = 0, n = 0;
                bool end = false;
                CHECK_EQ(evlog_open(&r, buf, l.used, &d), E_OK);
                struct evlog_event ev;
                while (!end && evlog_next(&r, &pos, &ev, &end, &d) == E_OK)
                    n += !end;
                CHECK(end);
                CHECK_EQ(n, ok);
            }
            free(buf);
        }
    }
}

/* Every prefix of a valid log, in a heap block of exactly that size (ASan
 * catches any read past it): the reader returns an error naming an offset,
 * or ends cleanly with a prefix of the events. */
static void truncations(enum evlog_format f, const struct evlog_bank *banks, unsigned nb)
{
    uint8_t full[4096];
    uint32_t used = write_log(f, banks, nb, full, sizeof(full));
    CHECK(used > 0);
    unsigned clean = 0, errors = 0;
    for (uint32_t len = 0; len <= used; len++) {
        uint8_t *buf = malloc(len ? len : 1);
        memcpy(buf, full, len);
        struct evlog l;
        struct diag d;
        enum rensa_err e = evlog_open(&l, buf, len, &d);
        uint32_t pos = 0;
        unsigned n = 0;
        bool end = false;
        while (!e && !end) {
            struct evlog_event ev;
            e = evlog_next(&l, &pos, &ev, &end, &d);
            if (!e && !end) {
                CHECK(n < NEVENTS);
                CHECK(ev.data + ev.data_len <= buf + len);
                CHECK_EQ(ev.type, EV_RENSA_NO_DRTM + n);
                n++;
            }
        }
        if (e) {
            errors++;
            CHECK(strstr(d.msg, "offset 0x") != NULL);
        } else {
            clean++;
            CHECK(pos <= len);
        }
        if (len == used)
            CHECK(!e && n == NEVENTS);
        free(buf);
    }
    /* Cuts at record boundaries end cleanly, the rest are errors. */
    CHECK(clean >= NEVENTS);
    CHECK(errors > used / 2);
}

TEST(evlog_every_truncation)
{
    static const struct evlog_bank two[2] = {{TPM_ALG_SHA1, 20}, {TPM_ALG_SHA256, 32}};
    truncations(EVLOG_AGILE, two, 2);
    truncations(EVLOG_AGILE, &b_sha384, 1);
    truncations(EVLOG_TPM12, &b_sha1, 1);
}

/* A good two-bank agile log to damage. */
static uint32_t good_agile(uint8_t *buf, uint32_t size)
{
    static const struct evlog_bank two[2] = {{TPM_ALG_SHA1, 20}, {TPM_ALG_SHA256, 32}};
    memset(buf, 0, size);
    return write_log(EVLOG_AGILE, two, 2, buf, size);
}

static void put32le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* Open, then read every event; the first error. */
static enum rensa_err read_all(const uint8_t *buf, uint32_t size, struct diag *d)
{
    struct evlog l;
    enum rensa_err e = evlog_open(&l, buf, size, d);
    uint32_t pos = 0;
    bool end = false;
    while (!e && !end) {
        struct evlog_event ev;
        e = evlog_next(&l, &pos, &ev, &end, d);
    }
    return e;
}

TEST(evlog_bad_spec_id)
{
    uint8_t buf[2048];
    struct diag d;
    uint32_t used;
    /* Offsets: Spec ID data at 32; numberOfAlgorithms at 56; alg 0 at 60,
     * its size at 62; alg 1 at 64, 66; vendorInfoSize at 68. */
    used = good_agile(buf, sizeof(buf));
    CHECK_EQ(read_all(buf, used, &d), E_OK);

    used = good_agile(buf, sizeof(buf));
    buf[64] = 0x99; /* unknown algorithm */
    CHECK_EQ(read_all(buf, used, &d), E_EVLOG_SPEC_ID);
    CHECK(strstr(d.msg, "unknown") && strstr(d.msg, "offset 0x40"));

    used = good_agile(buf, sizeof(buf));
    buf[66] = 20; /* SHA-256 said to be 20 bytes */
    CHECK_EQ(read_all(buf, used, &d), E_EVLOG_SPEC_ID);
    CHECK(strstr(d.msg, "offset 0x42") != NULL);

    used = good_agile(buf, sizeof(buf));
    buf[64] = 0x04; /* SHA-1 twice */
    buf[66] = 20;
    CHECK_EQ(read_all(buf, used, &d), E_EVLOG_SPEC_ID);

    used = good_agile(buf, sizeof(buf));
    put32le(buf + 56, 0); /* no algorithms */
    CHECK_EQ(read_all(buf, used, &d), E_EVLOG_SPEC_ID);
    CHECK(strstr(d.msg, "offset 0x38") != NULL);

    used = good_agile(buf, sizeof(buf));
    put32le(buf + 56, EVLOG_MAX_BANKS + 1);
    CHECK_EQ(read_all(buf, used, &d), E_EVLOG_SPEC_ID);
    used = good_agile(buf, sizeof(buf));
    put32le(buf + 56, 0xFFFFFFFFu); /* would overflow 4 * count */
    CHECK_EQ(read_all(buf, used, &d), E_EVLOG_SPEC_ID);

    used = good_agile(buf, sizeof(buf));
    put32le(buf + 56, 3); /* three algorithms in an event sized for two */
    CHECK_EQ(read_all(buf, used, &d), E_EVLOG_SPEC_ID);

    used = good_agile(buf, sizeof(buf));
    put32le(buf + 28, 38); /* eventSize one more than the content */
    CHECK_EQ(read_all(buf, used, &d), E_EVLOG_SPEC_ID);
    used = good_agile(buf, sizeof(buf));
    put32le(buf + 28, 36); /* one less: the vendorInfoSize byte is outside */
    CHECK_EQ(read_all(buf, used, &d), E_EVLOG_SPEC_ID);
    used = good_agile(buf, sizeof(buf));
    buf[68] = 4; /* vendor info the event size does not include */
    CHECK_EQ(read_all(buf, used, &d), E_EVLOG_SPEC_ID);
    used = good_agile(buf, sizeof(buf));
    put32le(buf + 28, 0x7FFFFFF0u); /* past the end of the log */
    CHECK_EQ(read_all(buf, used, &d), E_EVLOG_SPEC_ID);
    used = good_agile(buf, sizeof(buf));
    buf[53] = 1; /* spec version 1.0 */
    CHECK_EQ(read_all(buf, used, &d), E_EVLOG_SPEC_ID);
}

TEST(evlog_bad_records)
{
    uint8_t buf[2048];
    struct diag d;
    uint32_t used, first = 32 + 37; /* the first TCG_PCR_EVENT2 */

    used = good_agile(buf, sizeof(buf));
    put32le(buf + first + 8, 1); /* one digest, two banks */
    CHECK_EQ(read_all(buf, used, &d), E_EVLOG_MALFORMED);
    CHECK(strstr(d.msg, "offset 0x45") != NULL);

    used = good_agile(buf, sizeof(buf));
    buf[first + 12] = 0x0C; /* a SHA-384 digest the Spec ID does not list */
    CHECK_EQ(read_all(buf, used, &d), E_EVLOG_MALFORMED);

    used = good_agile(buf, sizeof(buf));
    buf[first + 12 + 22] = 0x04; /* SHA-1 twice */
    CHECK_EQ(read_all(buf, used, &d), E_EVLOG_MALFORMED);

    used = good_agile(buf, sizeof(buf));
    put32le(buf + first + 12 + 22 + 34, 0xFFFFFFF0u); /* eventSize huge */
    CHECK_EQ(read_all(buf, used, &d), E_EVLOG_MALFORMED);

    /* A record of zero pcr, type and count ends the log, whatever follows. */
    used = good_agile(buf, sizeof(buf));
    memset(buf + first, 0, 12);
    struct evlog l;
    CHECK_EQ(evlog_open(&l, buf, used, &d), E_OK);
    uint32_t pos = 0;
    bool end = false;
    struct evlog_event ev;
    CHECK_EQ(evlog_next(&l, &pos, &ev, &end, &d), E_OK);
    CHECK(end);
    CHECK_EQ(pos, first);

    /* A position past the end is an error, not a read. */
    pos = used + 1;
    CHECK_EQ(evlog_next(&l, &pos, &ev, &end, &d), E_EVLOG_ARG);

    /* TPM 1.2: zero pcr, type and size end the log. */
    uint8_t t12[128];
    memset(t12, 0, sizeof(t12));
    t12[0] = 17;
    t12[4] = 2;
    t12[28] = 1;  /* eventSize 1 */
    t12[32] = 'x';
    memset(t12 + 33 + 32, 0xEE, 16); /* garbage after the terminator */
    CHECK_EQ(evlog_open(&l, t12, sizeof(t12), &d), E_OK);
    CHECK_EQ(l.format, EVLOG_TPM12);
    pos = 0;
    CHECK_EQ(evlog_next(&l, &pos, &ev, &end, &d), E_OK);
    CHECK(!end && ev.pcr == 17 && ev.type == 2 && ev.data_len == 1 && ev.data[0] == 'x');
    CHECK_EQ(evlog_next(&l, &pos, &ev, &end, &d), E_OK);
    CHECK(end);
    CHECK_EQ(pos, 33u);
    /* Non-zero bytes in a short tail are a truncated record. */
    CHECK_EQ(read_all(t12, 33 + 5, &d), E_OK); /* 5 zero bytes: end */
    t12[35] = 1;
    CHECK_EQ(read_all(t12, 33 + 5, &d), E_EVLOG_MALFORMED);
    CHECK(strstr(d.msg, "offset 0x21") != NULL);
}

/* A small log, byte for byte against the structures of the TCG PC Client
 * Platform Firmware Profile (all little-endian). */
TEST(evlog_spec_bytes_agile)
{
    static const uint8_t want[] = {
        /* TCG_PCR_EVENT: pcrIndex 0, eventType EV_NO_ACTION, 20 zero bytes */
        0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0,
        /* eventSize 37 = 28 + 2 * 4 + 1 */
        0x25, 0x00, 0x00, 0x00,
        /* TCG_EfiSpecIDEvent: "Spec ID Event03\0" */
        'S', 'p', 'e', 'c', ' ', 'I', 'D', ' ', 'E', 'v', 'e', 'n', 't', '0', '3', 0x00,
        /* platformClass 0; minor 0, major 2, errata 2, uintnSize 1 */
        0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x01,
        /* numberOfAlgorithms 2; {0x0004, 20}, {0x000B, 32}; vendorInfoSize 0 */
        0x02, 0x00, 0x00, 0x00, 0x04, 0x00, 0x14, 0x00, 0x0B, 0x00, 0x20, 0x00, 0x00,
        /* TCG_PCR_EVENT2: pcrIndex 17, eventType 0x602, count 2 */
        0x11, 0x00, 0x00, 0x00, 0x02, 0x06, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
        /* TPMT_HA SHA-1 */
        0x04, 0x00, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
        0x11, 0x11, 0x11, 0x11,
        /* TPMT_HA SHA-256 */
        0x0B, 0x00, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,
        0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,
        /* eventSize 2, "ab" */
        0x02, 0x00, 0x00, 0x00, 'a', 'b'};
    static const struct evlog_bank two[2] = {{TPM_ALG_SHA1, 20}, {TPM_ALG_SHA256, 32}};
    uint8_t buf[256], d1[20], d2[32];
    memset(d1, 0x11, sizeof(d1));
    memset(d2, 0x22, sizeof(d2));
    const uint8_t *dg[2] = {d1, d2};
    struct evlog l;
    struct diag d;
    CHECK_EQ(evlog_init(&l, EVLOG_AGILE, buf, sizeof(buf), two, 2, &d), E_OK);
    CHECK_EQ(evlog_append(&l, 17, EV_RENSA_POLICY, dg, "ab", 2, &d), E_OK);
    CHECK_BYTES(buf, l.used, want);
}

TEST(evlog_spec_bytes_tpm12)
{
    static const uint8_t want[] = {
        /* TCG_PCR_EVENT: pcrIndex 18, eventType 0x603, SHA-1 digest, eventSize 3, "abc" */
        0x12, 0x00, 0x00, 0x00, 0x03, 0x06, 0x00, 0x00, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33,
        0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x03, 0x00, 0x00, 0x00, 'a', 'b', 'c',
        /* empty data */
        0x13, 0x00, 0x00, 0x00, 0x05, 0x06, 0x00, 0x00, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33,
        0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x00, 0x00, 0x00, 0x00};
    uint8_t buf[128], d1[20];
    memset(d1, 0x33, sizeof(d1));
    const uint8_t *dg[1] = {d1};
    struct evlog l;
    struct diag d;
    CHECK_EQ(evlog_init(&l, EVLOG_TPM12, buf, sizeof(buf), &b_sha1, 1, &d), E_OK);
    CHECK_EQ(l.used, 0u);
    CHECK_EQ(evlog_append(&l, 18, EV_RENSA_KERNEL, dg, "abc", 3, &d), E_OK);
    CHECK_EQ(evlog_append(&l, 19, EV_RENSA_MODULE, dg, NULL, 0, &d), E_OK);
    CHECK_BYTES(buf, l.used, want);
}
