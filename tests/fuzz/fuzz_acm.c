/* libFuzzer target: the AC module parser, matcher and chooser (acm/). */
#include <stdlib.h>
#include <string.h>
#include "acm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy, so ASan sees any read past the input. */
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    struct acm a;
    struct diag d;
    acm_is_sinit(buf, size);
    enum acm_reason r = acm_parse(buf, size, &a, &d);
    if (r == ACM_OK || r == ACM_R_NOT_SINIT) {
        /* Walk every list entry the parser vouched for. */
        volatile uint32_t sink = 0;
        for (uint32_t i = 0; i < a.chipsets.count; i++)
            sink += acm_chipset_at(&a, &a.chipsets, i).device_id;
        for (uint32_t i = 0; i < a.chipsets2.count; i++)
            sink += acm_chipset_at(&a, &a.chipsets2, i).register_mask;
        for (uint32_t i = 0; i < a.processors.count; i++)
            sink += acm_processor_at(&a, i).fms;
        for (uint32_t i = 0; i < a.tpm_algs.count; i++)
            sink += acm_tpm_alg_at(&a, i);
        (void)sink;
    }
    if (r == ACM_OK) {
        struct acm_platform p;
        memset(&p, 0, sizeof(p));
        p.didvid = 0x00000001b0018086ull;
        p.ver_qpiif = 0x9d003000;
        p.fms = 0x306a9;
        p.platform_type = ACM_PLATFORM_CLIENT;
        p.tpm_family = ACM_TPM_FAMILY_DTPM12;
        p.n_tpm_algs = 1;
        p.tpm_algs[0] = ACM_ALG_SHA1;
        struct acm_mle_req req;
        acm_mle_req_default(&req);
        acm_match(&a, &p, &req, NULL, &d);
        /* The same bytes as the BIOS copy and as a module. */
        struct acm_region reg = {0x100000, size, size};
        struct acm_candidate c[2];
        unsigned n = acm_bios_candidate(&c[0], buf, &reg);
        memset(&c[n], 0, sizeof(c[n]));
        c[n].p = buf;
        c[n].len = size;
        c[n].phys = 0x2000000;
        c[n].index = 1;
        struct acm_choice ch;
        acm_choose(c, n + 1, &reg, &p, &req, &ch);
    }
    free(buf);
    return 0;
}
