/* libFuzzer target: TPM responses. The input's first byte picks a
 * command, the second the interface (TIS 1.2, TIS 2.0, PTP FIFO with a
 * 1-byte burst, CRB); the rest is the response the simulated TPM gives to
 * every command after detection (or to detection itself for command 0).
 * Also runs every response parser directly over the rest. scripts/fuzz
 * links the driver with the simulated TPM (tests/unit/sim_tpm.c). */
#include <string.h>
#include "sim_tpm.h"
#include "tpm.h"
#include "tpm12.h"
#include "tpm2.h"
#include "marshal.h"
#include "acpi.h"
#include "sim.h"

static struct tpm tpm;
static struct clock clk;

static void parsers(const uint8_t *p, size_t n)
{
    struct diag d;
    struct tpm_bank banks[TPM_BANKS_MAX];
    unsigned nb;
    uint32_t v[4];
    uint8_t out[TPM_BUF_MAX], ver[4];
    size_t got;
    tpm2_parse_pcrs(p, n, banks, &nb, &d);
    tpm2_parse_property(p, n, TPM2_PT_PCR_COUNT, v, &d);
    tpm2_parse_pcr_read(p, n, TPM_ALG_SHA256, 17, out, 32, &d);
    tpm2_parse_tpm2b(p, n, false, out, sizeof(out), &got, "fuzz", &d);
    tpm2_parse_tpm2b(p, n, true, out, 7, &got, "fuzz", &d);
    tpm2_parse_auth_only(p, n, "fuzz", &d);
    tpm12_parse_u32_list(p, n, v, 4, "fuzz", &d);
    tpm12_parse_version(p, n, ver, &d);
    tpm12_parse_digest(p, n, out, "fuzz", &d);
    tpm12_parse_sized(p, n, out, 100, &got, "fuzz", &d);
    uint32_t rc;
    tpm_check_header(&tpm, p, n, 0x8001, 0x8002, &rc, "fuzz", &d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    unsigned op = data[0] % 6, kind = data[1] % 4;
    const uint8_t *rsp = data + 2;
    size_t rlen = size - 2;
    if (rlen > SIM_TPM_BUF)
        rlen = SIM_TPM_BUF;
    parsers(rsp, rlen);
    /* An empty response is a TPM that never answers: covered by the unit
     * tests, and here it would only spend time in simulated timeouts. */
    if (rlen == 0)
        return 0;

    static const enum sim_tpm_kind kinds[] = {SIM_TPM_TIS12, SIM_TPM_TIS20, SIM_TPM_FIFO20, SIM_TPM_CRB20};
    sim_tpm_setup(kinds[kind]);
    if (kind == 2)
        sim_tpm.burst = 1;
    uint8_t rsdp[36];
    if (kinds[kind] == SIM_TPM_CRB20)
        sim_acpi_tpm2(rsdp, ACPI_TPM2_START_CRB, TPM_MMIO_BASE + 0x40);
    struct tpm_config cfg = {.clock = &clk, .rsdp = rsdp, .rsdp_len = kinds[kind] == SIM_TPM_CRB20 ? 36 : 0};
    struct diag d;
    memcpy(sim_tpm.canned, rsp, rlen);
    sim_tpm.canned_len = rlen;
    if (op == 0) {
        sim_tpm.canned_count = 1000;
        tpm_detect(&tpm, &cfg, &d);
        sim_reset();
        return 0;
    }
    if (tpm_detect(&tpm, &cfg, &d) != E_OK || tpm_request_locality(&tpm, 0, &d) != E_OK) {
        sim_reset();
        return 0;
    }
    sim_tpm.canned_count = 1000;
    uint8_t out[700];
    struct tpm_digest_set ds = {.count = 2};
    ds.d[0].alg = TPM_ALG_SHA1;
    ds.d[1].alg = TPM_ALG_SHA256;
    switch (op) {
    case 1:
        tpm_pcr_read(&tpm, 17, tpm.family == TPM_FAMILY_12 ? TPM_ALG_SHA1 : TPM_ALG_SHA256, out, &d);
        break;
    case 2:
        tpm_pcr_extend(&tpm, 17, &ds, &d);
        break;
    case 3:
        tpm_get_random(&tpm, out, 40, &d);
        break;
    case 4:
        tpm_nv_read(&tpm, sim_tpm.nv_index, 0, out, sizeof(out), &d);
        break;
    case 5: {
        size_t got = 0;
        static const uint8_t cmd[] = {0x80, 0x01, 0, 0, 0, 12, 0, 0, 0x01, 0x7B, 0, 8};
        tpm_transmit(&tpm, cmd, sizeof(cmd), out, 64, &got, TPM_DUR_SHORT, &d);
        break;
    }
    }
    tpm_release_locality(&tpm, &d);
    sim_reset();
    return 0;
}
