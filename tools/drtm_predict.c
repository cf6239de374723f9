/* What SINIT extends before Rensa runs, for `rensa pcr predict --sinit
 * --mle` (see drtm.h). Independent of the loader's own code for the same
 * rules (txt/launch.c, loader/measure.c): hashes with OpenSSL, the policy
 * data built here from the guide's field list. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include "acm.h"
#include "commands.h"
#include "drtm.h"
#include "evtool.h"
#include "mle_tool.h"
#include "tpm.h"

#define SINIT_FILE_MAX (16u << 20)

static void put32(uint8_t *p, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    for (unsigned i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

size_t drtm_policy_data(const struct txt_sinit_mle_data *s, uint32_t os_sinit_caps, uint8_t *out)
{
    if (s->version < 6)
        return 0;
    uint8_t *p = out;
    memcpy(p, s->bios_acm_id, 20);
    p += 20;
    put64(p, s->mseg_valid);
    p += 8;
    memcpy(p, s->stm_hash, 20);
    p += 20;
    put32(p, s->lcp_policy_control);
    p += 4;
    memcpy(p, s->lcp_policy_hash, 20);
    p += 20;
    put32(p, (s->lcp_policy_control & DRTM_POLICY_CONTROL_OS_CAPS) ? os_sinit_caps : 0);
    p += 4;
    if (s->version >= 8) {
        put32(p, s->proc_scrtm_status);
        p += 4;
    }
    return (size_t)(p - out);
}


int drtm_start_compute(const char *cmd, const struct measure_input *in, const char *sinit_path,
                       const char *mle_path, uint32_t senter_flags, struct drtm_start *out)
{
    memset(out, 0, sizeof(*out));
    size_t len = 0;
    uint8_t *sinit = file_read(sinit_path, &len, SINIT_FILE_MAX);
    if (!sinit) {
        fprintf(stderr, "rensa %s: --sinit %s: cannot read: %s\n", cmd, sinit_path, strerror(errno));
        return EXIT_INPUT;
    }
    struct acm_header h;
    if (len < sizeof(h)) {
        fprintf(stderr, "rensa %s: --sinit %s: %zu bytes, shorter than the 128-byte AC module header\n", cmd,
                sinit_path, len);
        free(sinit);
        return EXIT_INPUT;
    }
    memcpy(&h, sinit, sizeof(h));
    /* SINIT measures itself over its header's size (dwords), as GETSEC
     * loads it: ECX at SENTER. */
    uint64_t bytes = (uint64_t)h.size * 4;
    if (bytes < sizeof(h) || bytes > len) {
        fprintf(stderr,
                "rensa %s: --sinit %s: the AC module header's size field (offset 24) gives %llu bytes; the file has "
                "%zu (at least 128 and at most the file are needed)\n",
                cmd, sinit_path, (unsigned long long)bytes, len);
        free(sinit);
        return EXIT_INPUT;
    }
    out->sinit_bytes = (uint32_t)bytes;
    out->senter_flags = senter_flags;
    bool ok = ev_hash(TPM_ALG_SHA1, sinit, (size_t)bytes, out->sinit_sha1);
    free(sinit);
    memcpy(out->hash_data, out->sinit_sha1, 20);
    put32(out->hash_data + 20, senter_flags);

    /* SinitMleData as the stand-in SINIT writes it: version 8, every
     * policy field 0. A real SINIT's values (BiosAcmID, LCP, PolicyControl,
     * OsSinitData.Capabilities) would go in here. */
    struct txt_sinit_mle_data smd;
    memset(&smd, 0, sizeof(smd));
    smd.version = 8;
    out->sinit_mle_version = smd.version;
    out->policy_len = drtm_policy_data(&smd, 0, out->policy);

    struct mle_walked w;
    int rc = mle_walk_file(cmd, mle_path, &w);
    if (rc)
        return rc;
    for (unsigned b = 0; ok && b < in->nbanks; b++) {
        uint16_t alg = in->banks[b].alg;
        unsigned size = in->banks[b].size;
        /* SINIT extends real digests in every bank, also those Rensa caps */
        const EVP_MD *md = ev_md(alg);
        ok = md && ev_hash(alg, out->hash_data, sizeof(out->hash_data), out->hash_data_digest[b]) &&
             ev_hash(alg, out->policy, out->policy_len, out->policy_digest[b]) &&
             mle_walked_hash(&w, md, out->mle_digest[b]);
        if (!ok)
            break;
        /* GETSEC[SENTER] resets PCRs 17-22 to zero; HASH_END extends
         * PCR 17 with H(HASH_DATA); SINIT extends the policy data into
         * PCR 17 and the MLE into PCR 18. */
        memset(out->pcr17[b], 0, size);
        memset(out->pcr18[b], 0, size);
        ok = ev_extend(alg, out->pcr17[b], out->hash_data_digest[b]) &&
             ev_extend(alg, out->pcr17[b], out->policy_digest[b]) &&
             ev_extend(alg, out->pcr18[b], out->mle_digest[b]);
    }
    mle_walked_free(&w);
    if (!ok) {
        fprintf(stderr, "rensa %s: OpenSSL cannot compute one of the banks for SINIT's measurements\n", cmd);
        return EXIT_INPUT;
    }
    return 0;
}
