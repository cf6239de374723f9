/* The TPM driver against the simulated TIS/FIFO/CRB TPM (sim_tpm.c):
 * detection of interface and family, localities, every command end to
 * end, and the faults: absent TPM, a TPM that stops answering, error
 * codes, bad lengths and tags, burstCount stuck at 0, localities never
 * granted. Timeouts are checked in simulated time (sim_time_us). */
#include "acpi.h"
#include "platform.h"
#include "sim.h"
#include "sim_tpm.h"
#include "tpm.h"
#include "tpm12.h"
#include "tpm2.h"
#include "unit.h"

static struct tpm tpm;
static struct clock clk;

static enum rensa_err detect_kind(enum sim_tpm_kind kind, struct diag *d)
{
    sim_tpm_setup(kind);
    struct tpm_config cfg = {.clock = &clk};
    return tpm_detect(&tpm, &cfg, d);
}

static bool msg_has(const struct diag *d, const char *s)
{
    if (!strstr(d->msg, s)) {
        fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", d->msg, s);
        return false;
    }
    return true;
}

static void set_canned(const uint8_t *r, size_t n, unsigned count)
{
    memcpy(sim_tpm.canned, r, n);
    sim_tpm.canned_len = n;
    sim_tpm.canned_count = count;
}

TEST(tpm_absent_fails_fast)
{
    struct diag d = {0};
    uint64_t t0 = sim_time_us;
    CHECK_EQ(detect_kind(SIM_TPM_ABSENT, &d), E_TPM_ABSENT);
    CHECK(msg_has(&d, "0xff"));
    CHECK(sim_time_us - t0 < 1000); /* no waiting at all */
}

TEST(tpm_absent_reading_zeros_fails_fast)
{
    /* QEMU without a TPM device: the TPM address reads as zeros. */
    struct diag d = {0};
    uint64_t t0 = sim_time_us;
    CHECK_EQ(detect_kind(SIM_TPM_ABSENT_ZERO, &d), E_TPM_ABSENT);
    CHECK(msg_has(&d, "0x00"));
    CHECK(sim_time_us - t0 < 1000);
}

TEST(tpm_detect_tis12)
{
    struct diag d = {0};
    CHECK_EQ(detect_kind(SIM_TPM_TIS12, &d), E_OK);
    CHECK_EQ(tpm.family, TPM_FAMILY_12);
    CHECK_EQ(tpm.iface, TPM_IF_TIS);
    CHECK_EQ(tpm.intf_id, 0xFFFFFFFFu);
    CHECK_EQ(tpm.pcr_count, 24);
    CHECK_EQ(tpm.version[0], 1);
    CHECK_EQ(tpm.version[1], 2);
    CHECK_EQ(tpm.version[2], 3);
    CHECK_EQ(tpm.version[3], 8);
    /* Probe + TIS_TIMEOUT + DURATION + PCR + VERSION_VAL. */
    CHECK_EQ(sim_tpm.cmds, 5);
    /* Reported values below the defaults keep the defaults. */
    CHECK_EQ(tpm.to.a, 750);
    CHECK_EQ(tpm.to.b, 2000);
    CHECK_EQ(tpm.to.dur[TPM_DUR_SHORT], 2000);
    CHECK_EQ(tpm.to.dur[TPM_DUR_MEDIUM], 20000);
    CHECK_EQ(tpm.to.dur[TPM_DUR_LONG], 600000);
    CHECK_EQ(tpm.locality, -1); /* released again */
    CHECK_EQ(mmio_read8(TPM_MMIO_BASE) & 0x20, 0);
}

TEST(tpm_detect_tis12_uses_larger_reported_timeouts)
{
    struct diag d = {0};
    sim_tpm_setup(SIM_TPM_TIS12);
    sim_tpm.tis_timeout_us[0] = 3000001; /* rounds up */
    sim_tpm.tis_timeout_us[3] = 0; /* 0: keep the default */
    sim_tpm.duration_us[1] = 45000000;
    struct tpm_config cfg = {.clock = &clk};
    CHECK_EQ(tpm_detect(&tpm, &cfg, &d), E_OK);
    CHECK_EQ(tpm.to.a, 3001);
    CHECK_EQ(tpm.to.d, 750);
    CHECK_EQ(tpm.to.dur[TPM_DUR_MEDIUM], 45000);
}

TEST(tpm_detect_tis12_capability_errors)
{
    struct diag d = {0};
    struct tpm_config cfg = {.clock = &clk};
    /* TIS_TIMEOUT answered with an error code: defaults kept, detection goes on. */
    sim_tpm_setup(SIM_TPM_TIS12);
    sim_tpm.tis_timeout_us[0] = 5000000;
    sim_tpm.fail_cc = TPM12_ORD_GetCapability;
    sim_tpm.fail_sub = TPM12_CAP_PROP_TIS_TIMEOUT;
    sim_tpm.fail_rc = 0x03; /* TPM_BAD_PARAMETER */
    CHECK_EQ(tpm_detect(&tpm, &cfg, &d), E_OK);
    CHECK_EQ(tpm.to.a, 750);
    CHECK_EQ(tpm.pcr_count, 24);
    /* The PCR count is required. */
    sim_tpm_setup(SIM_TPM_TIS12);
    sim_tpm.fail_cc = TPM12_ORD_GetCapability;
    sim_tpm.fail_sub = TPM12_CAP_PROP_PCR;
    sim_tpm.fail_rc = 0x09; /* TPM_FAIL */
    CHECK_EQ(tpm_detect(&tpm, &cfg, &d), E_TPM_RC);
    CHECK(msg_has(&d, "TPM_FAIL"));
    CHECK(msg_has(&d, "0x9"));
    CHECK(msg_has(&d, "TPM_GetCapability"));
    CHECK_EQ(tpm.locality, -1);
}

TEST(tpm_detect_tis20_family_bits)
{
    struct diag d = {0};
    CHECK_EQ(detect_kind(SIM_TPM_TIS20, &d), E_OK);
    CHECK_EQ(tpm.family, TPM_FAMILY_20);
    CHECK_EQ(tpm.iface, TPM_IF_TIS);
    CHECK_EQ(sim_tpm.cmds, 2); /* no probe: STS tpmFamily said 2.0 */
    CHECK_EQ(tpm.pcr_count, 24);
    CHECK_EQ(tpm.bank_count, 3);
    CHECK_EQ(tpm.banks[0].alg, TPM_ALG_SHA1);
    CHECK(tpm.banks[0].active);
    CHECK_EQ(tpm.banks[1].alg, TPM_ALG_SHA256);
    CHECK_EQ(tpm.banks[1].size, 32);
    CHECK(tpm.banks[1].active);
    CHECK_EQ(tpm.banks[2].alg, TPM_ALG_SHA384);
    CHECK(!tpm.banks[2].active);
    CHECK_EQ(tpm.to.c, 200);
    CHECK_EQ(tpm.to.d, 30);
    CHECK_EQ(tpm.did_vid, 0x00011014u);
}

TEST(tpm_detect_tis20_by_probe)
{
    struct diag d = {0};
    sim_tpm_setup(SIM_TPM_TIS20);
    sim_tpm.no_family_bits = true;
    struct tpm_config cfg = {.clock = &clk};
    CHECK_EQ(tpm_detect(&tpm, &cfg, &d), E_OK);
    CHECK_EQ(tpm.family, TPM_FAMILY_20);
    CHECK_EQ(sim_tpm.cmds, 3);
}

TEST(tpm_detect_fifo20)
{
    struct diag d = {0};
    CHECK_EQ(detect_kind(SIM_TPM_FIFO20, &d), E_OK);
    CHECK_EQ(tpm.family, TPM_FAMILY_20);
    CHECK_EQ(tpm.iface, TPM_IF_FIFO);
}

TEST(tpm_detect_probe_bad_tag)
{
    struct diag d = {0};
    sim_tpm_setup(SIM_TPM_TIS12);
    static const uint8_t odd[] = {0x12, 0x34, 0, 0, 0, 10, 0, 0, 0, 0};
    set_canned(odd, sizeof(odd), 1);
    struct tpm_config cfg = {.clock = &clk};
    CHECK_EQ(tpm_detect(&tpm, &cfg, &d), E_TPM_FAMILY);
    CHECK(msg_has(&d, "0x1234"));
}

TEST(tpm_locality_request_release)
{
    struct diag d = {0};
    CHECK_EQ(detect_kind(SIM_TPM_TIS20, &d), E_OK);
    for (unsigned loc = 0; loc <= 3; loc++) {
        CHECK_EQ(tpm_request_locality(&tpm, loc, &d), E_OK);
        CHECK_EQ(tpm.locality, (int)loc);
        CHECK_EQ(mmio_read8(TPM_MMIO_BASE + loc * 0x1000u) & 0xA0, 0xA0);
        uint8_t out[32];
        CHECK_EQ(tpm_pcr_read(&tpm, 0, TPM_ALG_SHA256, out, &d), E_OK);
    }
    CHECK_EQ(tpm_release_locality(&tpm, &d), E_OK);
    CHECK_EQ(tpm.locality, -1);
    CHECK_EQ(mmio_read8(TPM_MMIO_BASE + 3 * 0x1000u) & 0x20, 0);
    CHECK_EQ(tpm_request_locality(&tpm, 4, &d), E_TPM_LOCALITY);
    uint8_t out[32];
    CHECK_EQ(tpm_pcr_read(&tpm, 0, TPM_ALG_SHA256, out, &d), E_TPM_LOCALITY);
}

TEST(tpm_locality_never_granted)
{
    struct diag d = {0};
    sim_tpm_setup(SIM_TPM_TIS20);
    sim_tpm.never_grant = true;
    struct tpm_config cfg = {.clock = &clk};
    uint64_t t0 = sim_time_us;
    CHECK_EQ(tpm_detect(&tpm, &cfg, &d), E_TPM_LOCALITY);
    uint64_t dt = sim_time_us - t0;
    CHECK(dt >= 750000 && dt < 800000); /* TIMEOUT_A, 750 ms */
    CHECK(msg_has(&d, "locality 0"));
    CHECK(msg_has(&d, "750 ms"));
}

/* Detect a 2.0 TPM on kind and take locality 0. */
static void ready20(enum sim_tpm_kind kind)
{
    struct diag d = {0};
    CHECK_EQ(detect_kind(kind, &d), E_OK);
    CHECK_EQ(tpm_request_locality(&tpm, 0, &d), E_OK);
}

static void extend_read_20(void)
{
    struct diag d = {0};
    struct tpm_digest_set ds = {.count = 3};
    ds.d[0].alg = TPM_ALG_SHA256;
    ds.d[1].alg = TPM_ALG_SHA384; /* inactive bank: must not be sent */
    ds.d[2].alg = TPM_ALG_SHA1;
    for (unsigned i = 0; i < TPM_DIGEST_MAX; i++) {
        ds.d[0].digest[i] = (uint8_t)(0x40 + i);
        ds.d[1].digest[i] = 0xEE;
        ds.d[2].digest[i] = (uint8_t)(0x80 + i);
    }
    CHECK_EQ(tpm_pcr_extend(&tpm, 17, &ds, &d), E_OK);
    /* One command, banks in the TPM's order (SHA-1, SHA-256). */
    CHECK_EQ(sim_tpm.last_cmd_len, 87);
    CHECK_EQ(sim_tpm.last_cmd[30], 2); /* count */
    CHECK_EQ(sim_tpm.last_cmd[32], 0x04);
    CHECK(memcmp(sim_tpm.last_cmd + 33, ds.d[2].digest, 20) == 0);
    CHECK_EQ(sim_tpm.last_cmd[54], 0x0B);
    CHECK(memcmp(sim_tpm.last_cmd + 55, ds.d[0].digest, 32) == 0);

    uint8_t want1[20] = {0}, want256[32] = {0}, got[64];
    sim_tpm_mix(want1, ds.d[2].digest, 20);
    sim_tpm_mix(want256, ds.d[0].digest, 32);
    CHECK_EQ(tpm_pcr_read(&tpm, 17, TPM_ALG_SHA1, got, &d), E_OK);
    CHECK(memcmp(got, want1, 20) == 0);
    CHECK_EQ(tpm_pcr_read(&tpm, 17, TPM_ALG_SHA256, got, &d), E_OK);
    CHECK(memcmp(got, want256, 32) == 0);
    /* The SHA-384 bank has no PCRs allocated. */
    CHECK_EQ(tpm_pcr_read(&tpm, 17, TPM_ALG_SHA384, got, &d), E_TPM_ARG);
    CHECK(msg_has(&d, "not allocated"));
    CHECK_EQ(tpm_pcr_read(&tpm, 24, TPM_ALG_SHA1, got, &d), E_TPM_ARG);

    /* A digest missing for an active bank: nothing is sent. */
    unsigned before = sim_tpm.cmds;
    ds.count = 2; /* no SHA-1 */
    CHECK_EQ(tpm_pcr_extend(&tpm, 17, &ds, &d), E_TPM_BANK);
    CHECK(msg_has(&d, "SHA-1"));
    CHECK_EQ(sim_tpm.cmds, before);
}

TEST(tpm20_tis_extend_read)
{
    ready20(SIM_TPM_TIS20);
    extend_read_20();
}

TEST(tpm20_fifo_burst1_extend_read)
{
    ready20(SIM_TPM_FIFO20);
    sim_tpm.burst = 1; /* one byte per burst */
    extend_read_20();
}

TEST(tpm20_random_and_nv)
{
    struct diag d = {0};
    ready20(SIM_TPM_TIS20);
    uint8_t r[100];
    CHECK_EQ(tpm_get_random(&tpm, r, sizeof(r), &d), E_OK);
    CHECK_EQ(r[0], 0xB0);
    CHECK_EQ(r[31], 0xB0 + 31);
    CHECK_EQ(r[32], 0xB0); /* second chunk */
    CHECK_EQ(r[99], 0xB0 + 3);

    uint8_t nv[600];
    CHECK_EQ(tpm_nv_read(&tpm, 0x01C10104u, 0, nv, sizeof(nv), &d), E_OK);
    bool same = true;
    for (unsigned i = 0; i < sizeof(nv); i++)
        same &= nv[i] == (uint8_t)i;
    CHECK(same);
    CHECK_EQ(tpm_nv_read(&tpm, 0x01C10104u, 590, nv, 10, &d), E_OK);
    CHECK_EQ(nv[0], (uint8_t)590);
    CHECK_EQ(tpm_nv_read(&tpm, 0x01C10199u, 0, nv, 4, &d), E_TPM_RC);
    CHECK(msg_has(&d, "0x18b"));
    CHECK(msg_has(&d, "TPM_RC_HANDLE"));
    CHECK(msg_has(&d, "TPM2_NV_Read"));
    CHECK_EQ(tpm_nv_read(&tpm, 0x01C10104u, 0x10000, nv, 4, &d), E_TPM_ARG);
}

TEST(tpm12_commands)
{
    struct diag d = {0};
    CHECK_EQ(detect_kind(SIM_TPM_TIS12, &d), E_OK);
    CHECK_EQ(tpm_request_locality(&tpm, 2, &d), E_OK);
    struct tpm_digest_set ds = {.count = 2};
    ds.d[0].alg = TPM_ALG_SHA256;
    ds.d[1].alg = TPM_ALG_SHA1;
    memset(ds.d[1].digest, 0x5C, 20);
    CHECK_EQ(tpm_pcr_extend(&tpm, 17, &ds, &d), E_OK);
    CHECK_EQ(sim_tpm.last_cmd_len, 34);
    CHECK(memcmp(sim_tpm.last_cmd + 14, ds.d[1].digest, 20) == 0);
    uint8_t want[20] = {0}, got[20];
    sim_tpm_mix(want, ds.d[1].digest, 20);
    CHECK_EQ(tpm_pcr_read(&tpm, 17, TPM_ALG_SHA1, got, &d), E_OK);
    CHECK(memcmp(got, want, 20) == 0);
    CHECK_EQ(tpm_pcr_read(&tpm, 17, TPM_ALG_SHA256, got, &d), E_TPM_ARG);
    ds.count = 1;
    CHECK_EQ(tpm_pcr_extend(&tpm, 17, &ds, &d), E_TPM_BANK);

    uint8_t r[200];
    CHECK_EQ(tpm_get_random(&tpm, r, sizeof(r), &d), E_OK);
    CHECK_EQ(r[0], 0xA0);
    CHECK_EQ(r[127], (uint8_t)(0xA0 + 127));
    CHECK_EQ(r[128], 0xA0);
    uint8_t nv[600];
    CHECK_EQ(tpm_nv_read(&tpm, 0x50000001u, 0, nv, sizeof(nv), &d), E_OK);
    CHECK_EQ(nv[513], (uint8_t)513);
    CHECK_EQ(tpm_nv_read(&tpm, 0x50000002u, 0, nv, 4, &d), E_TPM_RC);
    CHECK(msg_has(&d, "TPM_BADINDEX"));
}

/* Before S3: TPM_SaveState (1.2), TPM2_Shutdown(TPM_SU_STATE) (2.0). */
TEST(tpm_save_state_both_families)
{
    struct diag d = {0};
    CHECK_EQ(detect_kind(SIM_TPM_TIS12, &d), E_OK);
    CHECK_EQ(tpm_request_locality(&tpm, 2, &d), E_OK);
    CHECK_EQ(tpm_save_state(&tpm, &d), E_OK);
    CHECK_EQ(sim_tpm.saved_state, 1);
    static const uint8_t c12[] = {0x00, 0xC1, 0, 0, 0, 10, 0, 0, 0, 0x98};
    CHECK_EQ(sim_tpm.last_cmd_len, sizeof(c12));
    CHECK(memcmp(sim_tpm.last_cmd, c12, sizeof(c12)) == 0);
    ready20(SIM_TPM_TIS20);
    CHECK_EQ(tpm_save_state(&tpm, &d), E_OK);
    CHECK_EQ(sim_tpm.saved_state, 1);
    static const uint8_t c20[] = {0x80, 0x01, 0, 0, 0, 12, 0, 0, 0x01, 0x45, 0, 1};
    CHECK_EQ(sim_tpm.last_cmd_len, sizeof(c20));
    CHECK(memcmp(sim_tpm.last_cmd, c20, sizeof(c20)) == 0);
    sim_tpm.fail_cc = 0x145;
    sim_tpm.fail_rc = 0x101; /* TPM_RC_FAILURE */
    CHECK_EQ(tpm_save_state(&tpm, &d), E_TPM_RC);
    CHECK(msg_has(&d, "TPM2_Shutdown(STATE)"));
}

TEST(tpm_error_code_is_named)
{
    struct diag d = {0};
    ready20(SIM_TPM_TIS20);
    sim_tpm.fail_cc = TPM2_CC_PCR_Extend;
    sim_tpm.fail_rc = 0x921;
    struct tpm_digest_set ds = {.count = 2};
    ds.d[0].alg = TPM_ALG_SHA1;
    ds.d[1].alg = TPM_ALG_SHA256;
    CHECK_EQ(tpm_pcr_extend(&tpm, 0, &ds, &d), E_TPM_RC);
    CHECK(msg_has(&d, "0x921"));
    CHECK(msg_has(&d, "TPM_RC_LOCKOUT"));
    CHECK_EQ(tpm.last_rc, 0x921);
}

TEST(tpm_rc_retry_is_sent_again)
{
    struct diag d = {0};
    ready20(SIM_TPM_TIS20);
    static const uint8_t retry[] = {0x80, 0x01, 0, 0, 0, 10, 0, 0, 0x09, 0x22};
    set_canned(retry, sizeof(retry), 1);
    unsigned before = sim_tpm.cmds;
    uint8_t out[32];
    CHECK_EQ(tpm_pcr_read(&tpm, 1, TPM_ALG_SHA256, out, &d), E_OK);
    CHECK_EQ(sim_tpm.cmds, before + 2);
    set_canned(retry, sizeof(retry), 5);
    CHECK_EQ(tpm_pcr_read(&tpm, 1, TPM_ALG_SHA256, out, &d), E_TPM_RC);
    CHECK(msg_has(&d, "TPM_RC_RETRY"));
}

TEST(tpm2_failure_mode_answer_is_a_named_error_code)
{
    /* A TPM 2.0 whose backend is gone (QEMU) or in failure mode answers
     * with a TPM 1.2-format TPM_FAIL: reported as the code, not as a tag. */
    struct diag d = {0};
    ready20(SIM_TPM_FIFO20);
    static const uint8_t fail[] = {0x00, 0xc4, 0, 0, 0, 10, 0, 0, 0, 0x09};
    set_canned(fail, sizeof(fail), 1);
    struct tpm_digest_set ds = {.count = 2};
    ds.d[0].alg = TPM_ALG_SHA1;
    ds.d[1].alg = TPM_ALG_SHA256;
    CHECK_EQ(tpm_pcr_extend(&tpm, 17, &ds, &d), E_TPM_RC);
    CHECK(msg_has(&d, "TPM_FAIL"));
    CHECK(msg_has(&d, "PCR_Extend"));
}

TEST(tpm_hang_once_is_cancelled_and_retried)
{
    struct diag d = {0};
    ready20(SIM_TPM_TIS20);
    sim_tpm.hang = 1;
    uint64_t t0 = sim_time_us;
    uint8_t out[32];
    CHECK_EQ(tpm_pcr_read(&tpm, 1, TPM_ALG_SHA256, out, &d), E_OK);
    CHECK_EQ(sim_tpm.cancels, 1);
    uint64_t dt = sim_time_us - t0;
    CHECK(dt >= 750000 && dt < 800000); /* one short duration */
}

TEST(tpm_hang_forever_times_out_bounded)
{
    struct diag d = {0};
    ready20(SIM_TPM_TIS20);
    sim_tpm.hang = 2; /* dataAvail never set, twice */
    uint64_t t0 = sim_time_us;
    struct tpm_digest_set ds = {.count = 2};
    ds.d[0].alg = TPM_ALG_SHA1;
    ds.d[1].alg = TPM_ALG_SHA256;
    CHECK_EQ(tpm_pcr_extend(&tpm, 0, &ds, &d), E_TPM_TIMEOUT);
    uint64_t dt = sim_time_us - t0;
    CHECK(dt >= 4000000 && dt < 4100000); /* 2 x medium (2000 ms) */
    CHECK_EQ(sim_tpm.cancels, 2);
    CHECK(msg_has(&d, "dataAvail"));
    CHECK(msg_has(&d, "2000 ms"));
    CHECK(msg_has(&d, "sent again once"));
    /* The TPM answers again afterwards. */
    uint8_t out[32];
    CHECK_EQ(tpm_pcr_read(&tpm, 1, TPM_ALG_SHA256, out, &d), E_OK);
}

TEST(tpm12_hang_uses_duration)
{
    struct diag d = {0};
    CHECK_EQ(detect_kind(SIM_TPM_TIS12, &d), E_OK);
    CHECK_EQ(tpm_request_locality(&tpm, 0, &d), E_OK);
    sim_tpm.hang = 2;
    uint64_t t0 = sim_time_us;
    uint8_t out[20];
    CHECK_EQ(tpm_pcr_read(&tpm, 0, TPM_ALG_SHA1, out, &d), E_TPM_TIMEOUT);
    uint64_t dt = sim_time_us - t0;
    CHECK(dt >= 40000000 && dt < 40100000); /* 2 x medium (20 s) */
}

TEST(tpm_burst_zero_times_out)
{
    struct diag d = {0};
    ready20(SIM_TPM_TIS20);
    sim_tpm.burst_zero = true;
    uint64_t t0 = sim_time_us;
    uint8_t out[32];
    CHECK_EQ(tpm_pcr_read(&tpm, 1, TPM_ALG_SHA256, out, &d), E_TPM_TIMEOUT);
    CHECK(sim_time_us - t0 < 100000); /* 2 x TIMEOUT_D (30 ms) */
    CHECK(msg_has(&d, "burstCount"));
    CHECK(msg_has(&d, "30 ms"));
}

TEST(tpm_expect_protocol_errors)
{
    struct diag d = {0};
    ready20(SIM_TPM_TIS20);
    uint8_t out[32];
    sim_tpm.expect_fault = 1;
    CHECK_EQ(tpm_pcr_read(&tpm, 1, TPM_ALG_SHA256, out, &d), E_TPM_PROTOCOL);
    CHECK(msg_has(&d, "cleared Expect after 8 of 20"));
    CHECK_EQ(sim_tpm.cancels, 1);
    sim_tpm.expect_fault = 2;
    CHECK_EQ(tpm_pcr_read(&tpm, 1, TPM_ALG_SHA256, out, &d), E_TPM_PROTOCOL);
    CHECK(msg_has(&d, "still sets Expect after all 20"));
    sim_tpm.expect_fault = 0;
    CHECK_EQ(tpm_pcr_read(&tpm, 1, TPM_ALG_SHA256, out, &d), E_OK);
}

TEST(tpm_response_length_past_buffer)
{
    struct diag d = {0};
    ready20(SIM_TPM_TIS20);
    static const uint8_t big[] = {0x80, 0x01, 0x00, 0x00, 0x20, 0x00, 0, 0, 0, 0, 1, 2, 3, 4};
    set_canned(big, sizeof(big), 1);
    uint8_t out[32];
    CHECK_EQ(tpm_pcr_read(&tpm, 1, TPM_ALG_SHA256, out, &d), E_TPM_RESPONSE);
    CHECK(msg_has(&d, "8192"));
    static const uint8_t tiny[] = {0x80, 0x01, 0x00, 0x00, 0x00, 0x06, 0, 0, 0, 0};
    set_canned(tiny, sizeof(tiny), 1);
    CHECK_EQ(tpm_pcr_read(&tpm, 1, TPM_ALG_SHA256, out, &d), E_TPM_RESPONSE);
    /* A response longer than its size field. */
    static const uint8_t longer[] = {0x80, 0x01, 0x00, 0x00, 0x00, 0x0A, 0, 0, 0, 0, 9, 9};
    set_canned(longer, sizeof(longer), 2);
    CHECK_EQ(tpm_pcr_read(&tpm, 1, TPM_ALG_SHA256, out, &d), E_TPM_RESPONSE);
    CHECK(msg_has(&d, "more response bytes"));
    CHECK(sim_tpm.retries >= 1);
}

TEST(tpm_response_truncated_uses_response_retry)
{
    struct diag d = {0};
    ready20(SIM_TPM_TIS20);
    sim_tpm.truncate = 12;
    uint8_t out[32];
    CHECK_EQ(tpm_pcr_read(&tpm, 1, TPM_ALG_SHA256, out, &d), E_TPM_RESPONSE);
    CHECK_EQ(sim_tpm.retries, 1);
    CHECK(msg_has(&d, "cleared dataAvail after 12 of"));
}

TEST(tpm_wrong_tag)
{
    struct diag d = {0};
    ready20(SIM_TPM_TIS20);
    static const uint8_t tag12[] = {0x00, 0xC4, 0, 0, 0, 10, 0, 0, 0, 0};
    set_canned(tag12, sizeof(tag12), 1);
    uint8_t out[32];
    CHECK_EQ(tpm_pcr_read(&tpm, 1, TPM_ALG_SHA256, out, &d), E_TPM_RESPONSE);
    CHECK(msg_has(&d, "tag 0x00c4"));
    /* Success with the no-sessions tag on a command with sessions. */
    static const uint8_t nosess[] = {0x80, 0x01, 0, 0, 0, 19, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    set_canned(nosess, sizeof(nosess), 1);
    struct tpm_digest_set ds = {.count = 2};
    ds.d[0].alg = TPM_ALG_SHA1;
    ds.d[1].alg = TPM_ALG_SHA256;
    CHECK_EQ(tpm_pcr_extend(&tpm, 0, &ds, &d), E_TPM_RESPONSE);
}

TEST(tpm_malformed_pcr_read_response)
{
    struct diag d = {0};
    ready20(SIM_TPM_TIS20);
    /* Digest size 0x40 claimed for SHA-256, bytes missing. */
    static const uint8_t bad[] = {0x80, 0x01, 0, 0, 0, 0x1E, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0x00, 0x0B,
                                  3, 2, 0, 0, 0, 0, 0, 1, 0x00, 0x40};
    set_canned(bad, sizeof(bad), 1);
    uint8_t out[32];
    CHECK_EQ(tpm_pcr_read(&tpm, 1, TPM_ALG_SHA256, out, &d), E_TPM_RESPONSE);
}

/* ---------------------------------------------------------------- CRB */

static enum rensa_err detect_crb(uint32_t start, struct diag *d, uint8_t **table)
{
    static uint8_t rsdp[36];
    sim_tpm_setup(SIM_TPM_CRB20);
    uint8_t *t = sim_acpi_tpm2(rsdp, start, TPM_MMIO_BASE + 0x40);
    if (table)
        *table = t;
    struct tpm_config cfg = {.clock = &clk, .rsdp = rsdp, .rsdp_len = 36};
    return tpm_detect(&tpm, &cfg, d);
}

TEST(tpm_crb_detect_extend_read)
{
    struct diag d = {0};
    CHECK_EQ(detect_crb(ACPI_TPM2_START_CRB, &d, NULL), E_OK);
    CHECK_EQ(tpm.iface, TPM_IF_CRB);
    CHECK_EQ(tpm.family, TPM_FAMILY_20);
    CHECK_EQ(tpm.crb_ctrl, TPM_MMIO_BASE + 0x40);
    CHECK(tpm.crb_loc_regs);
    CHECK_EQ(tpm.bank_count, 3);
    CHECK_EQ(tpm.locality, -1);
    CHECK_EQ(mmio_read32(TPM_MMIO_BASE) & 2, 0); /* relinquished */
    CHECK_EQ(mmio_read32(TPM_MMIO_BASE + 0x44) & 2, 2); /* idle */
    CHECK_EQ(tpm_request_locality(&tpm, 1, &d), E_TPM_LOCALITY);
    CHECK_EQ(tpm_request_locality(&tpm, 0, &d), E_OK);
    extend_read_20();
    uint8_t nv[600];
    CHECK_EQ(tpm_nv_read(&tpm, 0x01C10104u, 0, nv, sizeof(nv), &d), E_OK);
    CHECK_EQ(nv[599], (uint8_t)599);
    CHECK_EQ(tpm_release_locality(&tpm, &d), E_OK);
}

TEST(tpm_crb_needs_acpi)
{
    struct diag d = {0};
    CHECK_EQ(detect_kind(SIM_TPM_CRB20, &d), E_ACPI_NO_RSDP);
    CHECK_EQ(detect_crb(ACPI_TPM2_START_ACPI, &d, NULL), E_TPM_INTERFACE);
    CHECK(msg_has(&d, "start method 2"));
    struct tpm_config cfg = {.clock = &clk};
    uint8_t copy[36];
    sim_reset();
    uint8_t *t = sim_acpi_tpm2(copy, ACPI_TPM2_START_CRB, TPM_MMIO_BASE + 0x40);
    t[60] ^= 1; /* the TPM2 table's checksum is now wrong */
    cfg.rsdp = copy;
    cfg.rsdp_len = 36;
    CHECK_EQ(tpm_detect(&tpm, &cfg, &d), E_ACPI_TABLE);
    CHECK(msg_has(&d, "TPM2 table"));
    CHECK(msg_has(&d, "checksum"));
}

TEST(tpm_crb_hang_and_never_granted)
{
    struct diag d = {0};
    CHECK_EQ(detect_crb(ACPI_TPM2_START_CRB, &d, NULL), E_OK);
    CHECK_EQ(tpm_request_locality(&tpm, 0, &d), E_OK);
    sim_tpm.hang = 2;
    uint64_t t0 = sim_time_us;
    uint8_t out[32];
    CHECK_EQ(tpm_pcr_read(&tpm, 1, TPM_ALG_SHA256, out, &d), E_TPM_TIMEOUT);
    CHECK(sim_time_us - t0 < 1600000);
    CHECK_EQ(sim_tpm.cancels, 2);
    CHECK(msg_has(&d, "CTRL_START"));
    CHECK_EQ(tpm_pcr_read(&tpm, 1, TPM_ALG_SHA256, out, &d), E_OK);
    CHECK_EQ(tpm_release_locality(&tpm, &d), E_OK);
    sim_tpm.never_grant = true;
    CHECK_EQ(tpm_request_locality(&tpm, 0, &d), E_TPM_LOCALITY);
    CHECK(msg_has(&d, "LOC_STATE"));
}

TEST(tpm_crb_response_past_buffer)
{
    struct diag d = {0};
    CHECK_EQ(detect_crb(ACPI_TPM2_START_CRB, &d, NULL), E_OK);
    CHECK_EQ(tpm_request_locality(&tpm, 0, &d), E_OK);
    static const uint8_t big[] = {0x80, 0x01, 0x00, 0x00, 0x10, 0x00, 0, 0, 0, 0};
    set_canned(big, sizeof(big), 1);
    uint8_t out[32];
    CHECK_EQ(tpm_pcr_read(&tpm, 1, TPM_ALG_SHA256, out, &d), E_TPM_RESPONSE);
    CHECK(msg_has(&d, "4096"));
}
