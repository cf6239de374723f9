/* TXT.ERRORCODE / ESTS / E2STS decoding (txt/errorcode.c). */
#include "txt_error.h"
#include "txt_regs.h"
#include "unit.h"

static char out[1024];

static const char *describe(uint64_t v)
{
    txt_errorcode_describe(v, out, sizeof(out));
    return out;
}

TEST(txt_error_split_fields)
{
    struct txt_errorcode e;
    /* 0xc0007051: SINIT (type 1), progress 0x05, error 0x1c, ACM source. */
    txt_errorcode_split(0xc0007051u, &e);
    CHECK_EQ(e.source, TXT_SRC_ACM);
    CHECK_EQ(e.acm_type, 1);
    CHECK_EQ(e.progress, 0x05);
    CHECK_EQ(e.error, 0x1c);
    CHECK_EQ(e.sub, 0);
    CHECK(!e.benign);
    /* 0xc0033451: sub-error 3 in bits 29:16. */
    txt_errorcode_split(0xc0033451u, &e);
    CHECK_EQ(e.source, TXT_SRC_ACM);
    CHECK_EQ(e.progress, 0x05);
    CHECK_EQ(e.error, 0x0d);
    CHECK_EQ(e.sub, 3);
    /* Processor error 7. */
    txt_errorcode_split(0x80000007u, &e);
    CHECK_EQ(e.source, TXT_SRC_PROCESSOR);
    CHECK_EQ(e.proc_code, 7);
    /* Other software: bit 15 set. */
    txt_errorcode_split(0xc0128005u, &e);
    CHECK_EQ(e.source, TXT_SRC_SOFTWARE);
    CHECK_EQ(e.sw_lo, 5);
    CHECK_EQ(e.sw_hi, 0x12);
    txt_errorcode_split(0x40001234u, &e);
    CHECK_EQ(e.source, TXT_SRC_NONE);
}

TEST(txt_error_benign_values)
{
    CHECK(!txt_errorcode_is_error(0));
    CHECK(!txt_errorcode_is_error(0xc0000001u));
    CHECK(!txt_errorcode_is_error(0xc0000009u));
    CHECK(txt_errorcode_is_error(0xc0000000u));
    CHECK(txt_errorcode_is_error(0xc0000011u));
    CHECK(txt_errorcode_is_error(0x80000000u));
    CHECK(txt_errorcode_is_error(0x1c0000001ull)); /* reserved upper bits: not tboot's exact value */
    CHECK(strstr(describe(0), "no error recorded"));
    CHECK(strstr(describe(0xc0000001u), "SINIT ACM"));
    CHECK(strstr(out, "success, no error"));
    CHECK(strstr(describe(0xc0000009u), "SINIT revocation ACM"));
    CHECK(strstr(out, "success"));
}

TEST(txt_error_describe_acm)
{
    describe(0xc0007051u);
    CHECK(strstr(out, "TXT.ERRORCODE 0xc0007051: valid, reported by the SINIT ACM (external") == out);
    CHECK(strstr(out, "class/progress code 0x05, error code 0x1c"));
    CHECK(strstr(out, "error table"));
    CHECK(strstr(out, "SINIT refused the measured launch"));
    /* Every line ends in a newline. */
    CHECK(out[strlen(out) - 1] == '\n');
    /* BIOS ACM: type 0. */
    CHECK(strstr(describe(0xc0000410u), "reported by the BIOS ACM"));
}

TEST(txt_error_describe_tpm_and_lcp)
{
    /* progress 0x0d, error 0x0a, TPM rc 0x3b in bits 24:16. */
    uint32_t v = 0xc0000000u | (0x3bu << 16) | (0x0au << 10) | (0x0du << 4) | 1u;
    CHECK(strstr(describe(v), "a TPM command failed"));
    CHECK(strstr(out, "TPM return code 0x3b"));
    /* progress 0x10, LCP minor 2, index 1. */
    v = 0xc0000000u | (((1u << 6) | 2u) << 16) | (0x01u << 10) | (0x10u << 4) | 1u;
    CHECK(strstr(describe(v), "Launch Control Policy"));
    CHECK(strstr(out, "minor error 0x2, policy element index 1"));
}

TEST(txt_error_describe_processor)
{
    CHECK(strstr(describe(0x80000007u), "reported by the processor (not external); error code 7: the AC module "
                                        "failed authentication"));
    CHECK(strstr(describe(0x80000005u), "write-back"));
    CHECK(strstr(describe(0x80000000u), "legacy shutdown"));
    CHECK(strstr(describe(0x80000003u), "a code the SDM does not define"));
    for (uint32_t c = 5; c <= 15; c++)
        CHECK(txt_proc_error_text(c) != NULL);
    CHECK(txt_proc_error_text(1) == NULL);
    CHECK(txt_proc_error_text(16) == NULL);
}

TEST(txt_error_describe_other_software)
{
    CHECK(strstr(describe(0xc0128005u), "software other than an AC module"));
    CHECK(strstr(out, "0x0005 (bits 14:0) and 0x0012 (bits 29:16)"));
    CHECK(strstr(describe(0x4c0000001ull), "reserved bits 63:32 = 0x4"));
}

TEST(txt_error_truncation)
{
    char small[16];
    size_t full = txt_errorcode_describe(0xc0007051u, NULL, 0);
    CHECK(full > 100);
    CHECK_EQ(txt_errorcode_describe(0xc0007051u, small, sizeof(small)), full);
    CHECK_EQ(strlen(small), sizeof(small) - 1);
    CHECK_EQ(txt_errorcode_describe(0xc0007051u, out, sizeof(out)), strlen(out));
}

TEST(txt_error_ests_e2sts)
{
    txt_ests_describe(0, out, sizeof(out));
    CHECK_STR(out, "TXT.ESTS 0x0: no status bit set.\n");
    txt_ests_describe(TXT_ESTS_TXT_RESET_STS, out, sizeof(out));
    CHECK(strstr(out, "TXT_RESET_STS (bit 0)"));
    CHECK(strstr(out, "powered off and on"));
    txt_ests_describe(0x41, out, sizeof(out));
    CHECK(strstr(out, "TXT_WAKE_ERROR_STS (bit 6)"));
    CHECK(strstr(out, "TXT_RESET_STS"));
    txt_ests_describe(0x2, out, sizeof(out));
    CHECK(strstr(out, "bit 1 is set; Rensa does not decode it"));
    CHECK(txt_ests_is_error(1));
    CHECK(txt_ests_is_error(0x40));
    CHECK(!txt_ests_is_error(0));

    txt_e2sts_describe(TXT_E2STS_SECRETS_STS, out, sizeof(out));
    CHECK(strstr(out, "SECRETS_STS (bit 1)"));
    txt_e2sts_describe(0x200000000ull, out, sizeof(out));
    CHECK(strstr(out, "bit 33 is set"));
    CHECK(!txt_e2sts_is_error(TXT_E2STS_SECRETS_STS));
    CHECK(!txt_e2sts_is_error(0x200000000ull));
    CHECK(txt_e2sts_is_error(TXT_E2STS_BLOCK_MEM_STS));
    CHECK(txt_e2sts_is_error(TXT_E2STS_SLP_ENTRY_ERROR_STS));
}
