/* TPM command marshalling byte for byte against hand-written bytes from
 * the specifications (TPM 1.2 Part 3, TPM 2.0 Part 3), the bounded
 * writer/reader, and the response parsers on malformed input. */
#include <stdlib.h>
#include "marshal.h"
#include "sim.h"
#include "tpm.h"
#include "tpm12.h"
#include "tpm2.h"
#include "unit.h"

#define CHECK_BYTES(got, glen, want)                                                          \
    do {                                                                                      \
        CHECK_EQ((glen), sizeof(want));                                                       \
        if ((glen) == sizeof(want) && memcmp((got), (want), sizeof(want)) != 0) {             \
            fprintf(stderr, "  %s:%d: bytes differ from %s\n", __FILE__, __LINE__, #want);   \
            for (size_t _i = 0; _i < sizeof(want); _i++)                                      \
                if ((got)[_i] != (want)[_i])                                                  \
                    fprintf(stderr, "    [%zu] got 0x%02x want 0x%02x\n", _i, (got)[_i], (want)[_i]); \
            unit_failures++;                                                                  \
        }                                                                                     \
    } while (0)

static uint8_t buf[TPM_BUF_MAX];

TEST(tpm12_marshal_get_capability)
{
    static const uint8_t timeout[] = {0x00, 0xC1, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00, 0x65, 0x00,
                                      0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x01, 0x15};
    size_t n = tpm12_build_get_capability(buf, sizeof(buf), TPM12_CAP_PROPERTY, TPM12_CAP_PROP_TIS_TIMEOUT);
    CHECK_BYTES(buf, n, timeout);
    static const uint8_t version[] = {0x00, 0xC1, 0x00, 0x00, 0x00, 0x12, 0x00, 0x00, 0x00,
                                      0x65, 0x00, 0x00, 0x00, 0x1A, 0x00, 0x00, 0x00, 0x00};
    n = tpm12_build_get_capability(buf, sizeof(buf), TPM12_CAP_VERSION_VAL, 0);
    CHECK_BYTES(buf, n, version);
}

TEST(tpm12_marshal_pcr_commands)
{
    static const uint8_t pcrread[] = {0x00, 0xC1, 0x00, 0x00, 0x00, 0x0E, 0x00,
                                      0x00, 0x00, 0x15, 0x00, 0x00, 0x00, 0x0A};
    size_t n = tpm12_build_pcr_read(buf, sizeof(buf), 10);
    CHECK_BYTES(buf, n, pcrread);

    uint8_t dig[20];
    for (unsigned i = 0; i < 20; i++)
        dig[i] = (uint8_t)(0x11 * (i + 1));
    static const uint8_t extend[] = {0x00, 0xC1, 0x00, 0x00, 0x00, 0x22, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00,
                                     0x00, 0x11, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA,
                                     0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x10, 0x21, 0x32, 0x43, 0x54};
    n = tpm12_build_extend(buf, sizeof(buf), 17, dig);
    CHECK_BYTES(buf, n, extend);
}

TEST(tpm12_marshal_random_nv)
{
    static const uint8_t rnd[] = {0x00, 0xC1, 0x00, 0x00, 0x00, 0x0E, 0x00,
                                  0x00, 0x00, 0x46, 0x00, 0x00, 0x00, 0x10};
    size_t n = tpm12_build_get_random(buf, sizeof(buf), 16);
    CHECK_BYTES(buf, n, rnd);
    static const uint8_t nv[] = {0x00, 0xC1, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00, 0xCF, 0x50,
                                 0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x64};
    n = tpm12_build_nv_read(buf, sizeof(buf), 0x50000001u, 0x100, 100);
    CHECK_BYTES(buf, n, nv);
}

TEST(tpm2_marshal_get_capability)
{
    static const uint8_t pcrs[] = {0x80, 0x01, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x01, 0x7A, 0x00,
                                   0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01};
    size_t n = tpm2_build_get_capability(buf, sizeof(buf), TPM2_CAP_PCRS, 0, 1);
    CHECK_BYTES(buf, n, pcrs);
    static const uint8_t props[] = {0x80, 0x01, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x01, 0x7A, 0x00,
                                    0x00, 0x00, 0x06, 0x00, 0x00, 0x01, 0x12, 0x00, 0x00, 0x00, 0x01};
    n = tpm2_build_get_capability(buf, sizeof(buf), TPM2_CAP_TPM_PROPERTIES, TPM2_PT_PCR_COUNT, 1);
    CHECK_BYTES(buf, n, props);
}

TEST(tpm2_marshal_pcr_read)
{
    /* TPML_PCR_SELECTION {count 1, {TPM_ALG_SHA256, 3, {00 00 02}}}: PCR 17. */
    static const uint8_t want[] = {0x80, 0x01, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x01, 0x7E,
                                   0x00, 0x00, 0x00, 0x01, 0x00, 0x0B, 0x03, 0x00, 0x00, 0x02};
    size_t n = tpm2_build_pcr_read(buf, sizeof(buf), TPM_ALG_SHA256, 3, 17);
    CHECK_BYTES(buf, n, want);
    /* PCR 0 of SHA-1 with a 4-byte select. */
    static const uint8_t want4[] = {0x80, 0x01, 0x00, 0x00, 0x00, 0x15, 0x00, 0x00, 0x01, 0x7E, 0x00,
                                    0x00, 0x00, 0x01, 0x00, 0x04, 0x04, 0x01, 0x00, 0x00, 0x00};
    n = tpm2_build_pcr_read(buf, sizeof(buf), TPM_ALG_SHA1, 4, 0);
    CHECK_BYTES(buf, n, want4);
}

TEST(tpm2_marshal_pcr_extend)
{
    struct tpm_bank banks[2] = {{.alg = TPM_ALG_SHA1, .size = 20}, {.alg = TPM_ALG_SHA256, .size = 32}};
    uint8_t d1[20], d2[32];
    memset(d1, 0xAA, sizeof(d1));
    memset(d2, 0xBB, sizeof(d2));
    const uint8_t *digests[2] = {d1, d2};
    uint8_t want[87] = {0x80, 0x02, 0x00, 0x00, 0x00, 0x57, /* tag, size 87 */
                        0x00, 0x00, 0x01, 0x82, /* TPM_CC_PCR_Extend */
                        0x00, 0x00, 0x00, 0x11, /* pcrHandle 17 */
                        0x00, 0x00, 0x00, 0x09, /* authorizationSize */
                        0x40, 0x00, 0x00, 0x09, /* TPM_RS_PW */
                        0x00, 0x00, 0x00, 0x00, 0x00, /* nonce, attributes, hmac */
                        0x00, 0x00, 0x00, 0x02, /* TPML_DIGEST_VALUES.count */
                        0x00, 0x04}; /* SHA-1, then 20 bytes, then SHA-256 + 32 */
    memset(want + 33, 0xAA, 20);
    want[53] = 0x00;
    want[54] = 0x0B;
    memset(want + 55, 0xBB, 32);
    size_t n = tpm2_build_pcr_extend(buf, sizeof(buf), 17, banks, 2, digests);
    CHECK_BYTES(buf, n, want);
}

TEST(tpm2_marshal_random_nv)
{
    static const uint8_t rnd[] = {0x80, 0x01, 0x00, 0x00, 0x00, 0x0C, 0x00, 0x00, 0x01, 0x7B, 0x00, 0x10};
    size_t n = tpm2_build_get_random(buf, sizeof(buf), 16);
    CHECK_BYTES(buf, n, rnd);
    static const uint8_t nv[] = {0x80, 0x02, 0x00, 0x00, 0x00, 0x23, 0x00, 0x00, 0x01, 0x4E, 0x01, 0xC1,
                                 0x01, 0x04, 0x01, 0xC1, 0x01, 0x04, 0x00, 0x00, 0x00, 0x09, 0x40, 0x00,
                                 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x64, 0x00, 0x20};
    n = tpm2_build_nv_read(buf, sizeof(buf), 0x01C10104u, 0x01C10104u, 100, 32);
    CHECK_BYTES(buf, n, nv);
}

TEST(tpm_marshal_builders_fail_when_short)
{
    uint8_t small[21];
    memset(small, 0x5A, sizeof(small));
    CHECK_EQ(tpm12_build_get_capability(small, 21, TPM12_CAP_PROPERTY, TPM12_CAP_PROP_PCR), 0);
    CHECK_EQ(tpm2_build_get_capability(small, 21, TPM2_CAP_PCRS, 0, 1), 0);
    CHECK_EQ(tpm2_build_pcr_read(small, 19, TPM_ALG_SHA256, 3, 1), 0);
}

TEST(tpm_marshal_writer_reader_bounds)
{
    uint8_t b[6] = {0};
    struct mwriter w;
    mw_init(&w, b, 5);
    mw_u32(&w, 0x01020304);
    CHECK(!w.err);
    mw_u16(&w, 0xFFFF); /* does not fit: nothing written */
    CHECK(w.err);
    CHECK_EQ(b[4], 0);
    CHECK_EQ(b[5], 0);
    mw_u8(&w, 7); /* after an error nothing is written */
    CHECK_EQ(b[4], 0);
    mw_patch_u32(&w, 2, 0);
    CHECK(w.err);

    struct mreader r;
    static const uint8_t in[5] = {0x12, 0x34, 0x56, 0x78, 0x9A};
    mr_init(&r, in, 5);
    CHECK_EQ(mr_u16(&r), 0x1234);
    CHECK_EQ(mr_u16(&r), 0x5678);
    CHECK_EQ(mr_u16(&r), 0); /* one byte left: fails */
    CHECK(r.err);
    CHECK_EQ(mr_u8(&r), 0); /* sticky */
    CHECK_EQ(mr_left(&r), 0);
}

TEST(tpm2_parse_pcrs_rejects_malformed)
{
    struct tpm_bank banks[TPM_BANKS_MAX];
    unsigned n = 0;
    struct diag d;
    /* Well-formed: 2 banks. */
    static const uint8_t ok[] = {0x80, 0x01, 0x00, 0x00, 0x00, 0x1F, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0x00, 0x05,
                                 0x00, 0x00, 0x00, 0x02, 0x00, 0x04, 0x03, 0xFF, 0xFF, 0xFF, 0x00, 0x0B, 0x03,
                                 0x00, 0x00, 0x00};
    CHECK_EQ(tpm2_parse_pcrs(ok, sizeof(ok), banks, &n, &d), E_OK);
    CHECK_EQ(n, 2);
    CHECK(banks[0].active);
    CHECK(!banks[1].active);
    CHECK_EQ(banks[1].size, 32);
    /* Every truncation is an error, never a read past the end. */
    for (size_t len = 10; len < sizeof(ok); len++) {
        uint8_t *copy = malloc(len);
        memcpy(copy, ok, len);
        CHECK_EQ(tpm2_parse_pcrs(copy, len, banks, &n, &d), E_TPM_RESPONSE);
        free(copy);
    }
    /* A count of banks past what is there. */
    uint8_t bad[sizeof(ok)];
    memcpy(bad, ok, sizeof(ok));
    bad[18] = 0x09;
    CHECK_EQ(tpm2_parse_pcrs(bad, sizeof(bad), banks, &n, &d), E_TPM_RESPONSE);
    /* The same bank twice. */
    memcpy(bad, ok, sizeof(ok));
    bad[26] = 0x04;
    CHECK_EQ(tpm2_parse_pcrs(bad, sizeof(bad), banks, &n, &d), E_TPM_RESPONSE);
    CHECK(strstr(d.msg, "twice") != NULL);
}

TEST(tpm2_parse_tpm2b_rejects_length_past_end)
{
    uint8_t out[16];
    size_t got = 0;
    struct diag d;
    static const uint8_t ok[] = {0x80, 0x01, 0, 0, 0, 0x0F, 0, 0, 0, 0, 0x00, 0x03, 1, 2, 3};
    CHECK_EQ(tpm2_parse_tpm2b(ok, sizeof(ok), false, out, sizeof(out), &got, "x", &d), E_OK);
    CHECK_EQ(got, 3);
    static const uint8_t past[] = {0x80, 0x01, 0, 0, 0, 0x0F, 0, 0, 0, 0, 0x00, 0x09, 1, 2, 3};
    CHECK_EQ(tpm2_parse_tpm2b(past, sizeof(past), false, out, sizeof(out), &got, "x", &d), E_TPM_RESPONSE);
    static const uint8_t big[] = {0x80, 0x01, 0, 0, 0, 0x0F, 0, 0, 0, 0, 0x00, 0x03, 1, 2, 3};
    CHECK_EQ(tpm2_parse_tpm2b(big, sizeof(big), false, out, 2, &got, "x", &d), E_TPM_RESPONSE);
    /* With sessions: parameterSize past the end. */
    static const uint8_t ps[] = {0x80, 0x02, 0, 0, 0, 0x14, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 1, 9, 0, 0, 0};
    CHECK_EQ(tpm2_parse_tpm2b(ps, sizeof(ps), true, out, sizeof(out), &got, "x", &d), E_TPM_RESPONSE);
}

TEST(tpm12_parse_rejects_malformed)
{
    uint32_t v[4];
    struct diag d;
    static const uint8_t ok[] = {0, 0xC4, 0, 0, 0, 0x12, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 24};
    CHECK_EQ(tpm12_parse_u32_list(ok, sizeof(ok), v, 1, "x", &d), E_OK);
    CHECK_EQ(v[0], 24);
    CHECK_EQ(tpm12_parse_u32_list(ok, sizeof(ok), v, 2, "x", &d), E_TPM_RESPONSE);
    static const uint8_t past[] = {0, 0xC4, 0, 0, 0, 0x12, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0, 24};
    CHECK_EQ(tpm12_parse_u32_list(past, sizeof(past), v, 1, "x", &d), E_TPM_RESPONSE);
    uint8_t dig[20];
    CHECK_EQ(tpm12_parse_digest(ok, sizeof(ok), dig, "x", &d), E_TPM_RESPONSE);
}

TEST(tpm_rc_names)
{
    CHECK_STR(tpm_rc_name(TPM_FAMILY_20, 0x18B), "TPM_RC_HANDLE");
    CHECK_STR(tpm_rc_name(TPM_FAMILY_20, 0x921), "TPM_RC_LOCKOUT");
    CHECK_STR(tpm_rc_name(TPM_FAMILY_20, 0x01E), "TPM_RC_BAD_TAG");
    CHECK_STR(tpm_rc_name(TPM_FAMILY_20, 0x2C4), "TPM_RC_VALUE");
    CHECK_STR(tpm_rc_name(TPM_FAMILY_12, 0x002), "TPM_BADINDEX");
    CHECK_STR(tpm_rc_name(TPM_FAMILY_12, 0x01E), "TPM_BADTAG");
    CHECK(tpm_rc_name(TPM_FAMILY_20, 0x7777) == NULL);
    CHECK_EQ(tpm_alg_digest_size(TPM_ALG_SHA1), 20);
    CHECK_EQ(tpm_alg_digest_size(TPM_ALG_SHA256), 32);
    CHECK_EQ(tpm_alg_digest_size(TPM_ALG_SHA384), 48);
    CHECK_EQ(tpm_alg_digest_size(TPM_ALG_SHA512), 64);
    CHECK_EQ(tpm_alg_digest_size(TPM_ALG_SM3_256), 32);
    CHECK_EQ(tpm_alg_digest_size(0x0010), 0);
}
