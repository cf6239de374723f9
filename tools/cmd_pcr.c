/* rensa pcr: predict the PCR values Rensa's measurements produce
 * (docs/measurements.md, docs/cli.md).
 *
 *   rensa pcr predict --kernel FILE [--kernel-cmdline STR]
 *                     [--module FILE [--module-cmdline STR]]...
 *                     [--rensa-cmdline STR] [--banks LIST | --tpm12]
 *                     [--capped LIST] [--sinit FILE --mle FILE.elf [--senter-flags N]]
 *                     [--s3-resume] [--json]
 *
 * The events come from the same rules as the loader's (tools/evtool.c with
 * loader/measure_policy.c); files are hashed with OpenSSL. --s3-resume
 * predicts the launch after an S3 resume instead of the boot: no kernel or
 * module events, one EV_RENSA_S3_RESUME event. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "drtm.h"
#include "evtool.h"

#define PREDICT_FIRST 17u
#define PREDICT_LAST 19u

struct prediction {
    uint8_t pcr[EVLOG_MAX_BANKS][PCR_COUNT][EVLOG_DIGEST_MAX];
};

/* sinit: what SINIT extended before Rensa (DRTM only; NULL: start at zero). */
static bool predict(const struct measure_input *in, const struct measure_plan *p, bool drtm,
                    const struct drtm_start *sinit, struct prediction *r)
{
    memset(r, 0, sizeof(*r));
    for (unsigned b = 0; b < in->nbanks; b++) {
        for (unsigned n = 17; n <= 22; n++)
            memset(r->pcr[b][n], drtm ? 0x00 : 0xff, in->banks[b].size);
        if (drtm && sinit) {
            memcpy(r->pcr[b][17], sinit->pcr17[b], in->banks[b].size);
            memcpy(r->pcr[b][18], sinit->pcr18[b], in->banks[b].size);
        }
    }
    for (unsigned i = 0; i < p->count; i++) {
        const struct mevent *e = &p->ev[i];
        if (drtm && e->type == EV_RENSA_NO_DRTM)
            continue;
        for (unsigned b = 0; b < in->nbanks; b++)
            if (!ev_extend(in->banks[b].alg, r->pcr[b][e->pcr], e->digest[b]))
                return false;
    }
    return true;
}

static void json_pcrs(const struct measure_input *in, const struct prediction *r)
{
    printf("{");
    for (unsigned b = 0; b < in->nbanks; b++) {
        printf("%s\n      \"%s\": {", b ? "," : "", in->banks[b].name);
        for (unsigned n = PREDICT_FIRST; n <= PREDICT_LAST; n++) {
            printf("%s\"%u\": \"", n > PREDICT_FIRST ? ", " : "", n);
            hex_out(r->pcr[b][n], in->banks[b].size);
            printf("\"");
        }
        printf("}");
    }
    printf("\n    }");
}

static void json_digests(const struct measure_input *in, const uint8_t d[][EVLOG_DIGEST_MAX])
{
    printf("{");
    for (unsigned b = 0; b < in->nbanks; b++) {
        printf("%s\"%s\": \"", b ? ", " : "", in->banks[b].name);
        hex_out(d[b], in->banks[b].size);
        printf("\"");
    }
    printf("}");
}

static void json_sinit(const struct measure_input *in, const struct drtm_start *s, const char *sinit,
                       const char *mle)
{
    printf(",\n    \"sinit\": {\"file\": ");
    json_string(sinit);
    printf(", \"size\": %u, \"sha1\": \"", s->sinit_bytes);
    hex_out(s->sinit_sha1, 20);
    printf("\", \"senter_flags\": %u, \"hash_data\": \"", s->senter_flags);
    hex_out(s->hash_data, sizeof(s->hash_data));
    printf("\", \"sinit_mle_data_version\": %u, \"policy_data\": \"", s->sinit_mle_version);
    hex_out(s->policy, s->policy_len);
    printf("\"},\n    \"mle\": {\"file\": ");
    json_string(mle);
    printf(", \"digests\": ");
    json_digests(in, s->mle_digest);
    printf("},\n    \"sinit_events\": [\n      {\"pcr\": 17, \"type\": %u, \"type_name\": \"%s\", \"digests\": ",
           EV_TXT_HASH_START, ev_type_name(EV_TXT_HASH_START));
    json_digests(in, s->hash_data_digest);
    printf("},\n      {\"pcr\": 17, \"type\": %u, \"type_name\": \"%s\", \"digests\": ", EV_TXT_BIOSAC_REG_DATA,
           ev_type_name(EV_TXT_BIOSAC_REG_DATA));
    json_digests(in, s->policy_digest);
    printf("},\n      {\"pcr\": 18, \"type\": %u, \"type_name\": \"%s\", \"digests\": ", EV_TXT_MLE_HASH,
           ev_type_name(EV_TXT_MLE_HASH));
    json_digests(in, s->mle_digest);
    printf("}\n    ]");
}

static void text_pcrs(const struct measure_input *in, const struct prediction *r)
{
    for (unsigned b = 0; b < in->nbanks; b++)
        for (unsigned n = PREDICT_FIRST; n <= PREDICT_LAST; n++) {
            printf("  %-7s PCR%u  ", in->banks[b].name, n);
            hex_out(r->pcr[b][n], in->banks[b].size);
            printf("%s\n", in->banks[b].capped ? "  (capped)" : "");
        }
}

void cmd_pcr_help(void)
{
    printf("usage: rensa pcr predict --kernel FILE [--nounzip] [--kernel-cmdline STR]\n"
           "                         [--module FILE [--nounzip] [--module-cmdline STR]]...\n"
           "                         [--rensa-cmdline STR] [--banks LIST | --tpm12] [--capped LIST]\n"
           "                         [--sinit FILE --mle FILE.elf [--senter-flags N]] [--json]\n"
           "       rensa pcr predict --s3-resume [--rensa-cmdline STR]\n"
           "                         [--banks LIST | --tpm12] [--capped LIST]\n"
           "                         [--sinit FILE --mle FILE.elf [--senter-flags N]] [--json]\n"
           "\n"
           "Predicts what Rensa's measurements leave in PCR17-19 of every bank\n"
           "(docs/measurements.md), with and without a DRTM; with --s3-resume, after\n"
           "the measured launch Rensa performs on an S3 resume.\n"
           "\n"
           "  --kernel FILE         the kernel, the first module GRUB loads (required\n"
           "                        unless --s3-resume)\n"
           "  --kernel-cmdline STR  the kernel's command line as given to GRUB\n"
           "  --module FILE         a further module, in GRUB's order (repeatable)\n"
           "  --module-cmdline STR  the command line of the preceding --module\n"
           "  --nounzip             hash the preceding --kernel or --module as it is\n"
           "  --rensa-cmdline STR   Rensa's own command line as GRUB passes it\n"
           "  --banks LIST          the banks Rensa hashes (default sha1,sha256)\n"
           "  --capped LIST         active banks Rensa cannot hash (sha512, sm3_256)\n"
           "  --tpm12               a TPM 1.2: one SHA-1 bank\n"
           "  --sinit FILE --mle FILE.elf\n"
           "                        include what SINIT extends before Rensa runs\n"
           "  --senter-flags N      EDX at GETSEC[SENTER] (default 0; with --sinit)\n"
           "  --s3-resume           the values after an S3 resume instead of the boot:\n"
           "                        a new measured launch, then the policy event and\n"
           "                        one EV_RENSA_S3_RESUME event. The kernel's memory is\n"
           "                        not measured again, so the kernel's PCR (18; 17 with\n"
           "                        pcr_map=da) differs from the boot's value by design,\n"
           "                        and PCR19 stays zero. --kernel and --module are not\n"
           "                        needed (ignored when given); the Rensa command line\n"
           "                        and banks must be the boot's.\n"
           "  --json                print JSON\n"
           "\n"
           "Exit 0; 2 for a usage error; 3 when an input cannot be read or is rejected.\n"
           "Full documentation: docs/cli.md.\n");
}

static int pcr_predict(int argc, char **argv)
{
    const char *cmd = "pcr predict";
    struct measure_input in;
    measure_input_init(&in);
    bool json = false, flags_given = false;
    const char *sinit = NULL, *mle = NULL;
    uint32_t senter_flags = 0;
    for (int i = 1; i < argc; i++) {
        int k = measure_input_arg(cmd, &in, argc, argv, &i);
        if (k < 0)
            return EXIT_USAGE;
        if (k > 0)
            continue;
        if (strcmp(argv[i], "--json") == 0) {
            json = true;
            continue;
        }
        if (strcmp(argv[i], "--sinit") == 0 || strcmp(argv[i], "--mle") == 0 ||
            strcmp(argv[i], "--senter-flags") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "rensa %s: %s needs a value\n", cmd, argv[i]);
                return EXIT_USAGE;
            }
            const char *v = argv[++i];
            if (strcmp(argv[i - 1], "--sinit") == 0)
                sinit = v;
            else if (strcmp(argv[i - 1], "--mle") == 0)
                mle = v;
            else {
                char *end;
                errno = 0;
                unsigned long long f = strtoull(v, &end, 0);
                if (!*v || *v == '-' || *end || errno || f > 0xffffffffull) {
                    fprintf(stderr, "rensa %s: --senter-flags: '%s' is not a 32-bit number (EDX at GETSEC[SENTER])\n",
                            cmd, v);
                    return EXIT_USAGE;
                }
                senter_flags = (uint32_t)f;
                flags_given = true;
            }
            continue;
        }
        fprintf(stderr, "rensa %s: unknown argument '%s' (see docs/cli.md)\n", cmd, argv[i]);
        return EXIT_USAGE;
    }
    if ((sinit != NULL) != (mle != NULL)) {
        fprintf(stderr, "rensa %s: %s needs %s too: SINIT measures itself into PCR17 and the MLE into PCR18, "
                "so the DRTM start needs both\n", cmd, sinit ? "--sinit" : "--mle", sinit ? "--mle FILE.elf" : "--sinit FILE");
        return EXIT_USAGE;
    }
    if (flags_given && !sinit) {
        fprintf(stderr, "rensa %s: --senter-flags needs --sinit FILE and --mle FILE.elf\n", cmd);
        return EXIT_USAGE;
    }
    int rc = measure_input_finish(cmd, &in);
    if (rc)
        return rc;
    static struct drtm_start start;
    if (sinit) {
        rc = drtm_start_compute(cmd, &in, sinit, mle, senter_flags, &start);
        if (rc)
            return rc;
    }
    static struct measure_plan plan;
    rc = measure_plan_build(cmd, &in, &plan);
    if (rc)
        return rc;
    static struct prediction with, without;
    if (!predict(&in, &plan, true, sinit ? &start : NULL, &with) || !predict(&in, &plan, false, NULL, &without)) {
        fprintf(stderr, "rensa %s: OpenSSL cannot compute one of the banks\n", cmd);
        measure_plan_free(&plan);
        return EXIT_INPUT;
    }
    if (json) {
        printf("{\n  \"format\": \"%s\",\n  \"pcr_map\": \"%s\",\n  \"s3_resume\": %s,\n  \"banks\": [",
               in.tpm12 ? "tpm12" : "tpm2", pcr_map_name(plan.opt.pcr_map), in.s3_resume ? "true" : "false");
        for (unsigned b = 0; b < in.nbanks; b++)
            printf("%s{\"name\": \"%s\", \"alg\": %u, \"size\": %u, \"capped\": %s}", b ? ", " : "",
                   in.banks[b].name, in.banks[b].alg, in.banks[b].size, in.banks[b].capped ? "true" : "false");
        printf("],\n  \"policy\": ");
        json_string(plan.policy);
        printf(",\n  \"events\": [");
        for (unsigned i = 0; i < plan.count; i++) {
            const struct mevent *e = &plan.ev[i];
            printf("%s\n    {\"pcr\": %u, \"type\": %u, \"type_name\": \"%s\", \"only_without_drtm\": %s, \"data\": ",
                   i ? "," : "", e->pcr, e->type, ev_type_name(e->type),
                   e->type == EV_RENSA_NO_DRTM ? "true" : "false");
            json_string(e->text);
            printf(", \"digests\": {");
            for (unsigned b = 0; b < in.nbanks; b++) {
                printf("%s\"%s\": \"", b ? ", " : "", in.banks[b].name);
                hex_out(e->digest[b], in.banks[b].size);
                printf("\"");
            }
            printf("}}");
        }
        printf("\n  ],\n  \"drtm\": {\n    \"start\": \"%s\",\n    \"pcrs\": ", sinit ? "sinit" : "zeros");
        json_pcrs(&in, &with);
        if (sinit)
            json_sinit(&in, &start, sinit, mle);
        printf("\n  },\n  \"no_drtm\": {\n    \"start\": \"ones\",\n    \"pcrs\": ");
        json_pcrs(&in, &without);
        printf("\n  }\n}\n");
    } else {
        printf("format: %s\npcr_map: %s\npolicy: %s\n\n%s:\n", in.tpm12 ? "TPM 1.2 (SHA-1)" : "TPM 2.0 crypto-agile",
               pcr_map_name(plan.opt.pcr_map), plan.policy,
               in.s3_resume ? "events after an S3 resume (a new measured launch; the kernel's memory is not measured "
                              "again: no kernel or module events)"
                            : "events (a DRTM boot has no EV_RENSA_NO_DRTM events)");
        for (unsigned i = 0; i < plan.count; i++) {
            const struct mevent *e = &plan.ev[i];
            if (in.s3_resume && e->type == EV_RENSA_NO_DRTM)
                continue;
            printf("  PCR%u  %-24s \"%.*s\"%s\n", e->pcr, ev_type_name(e->type),
                   e->text_len > 60 ? 60 : (int)e->text_len, e->text, e->text_len > 60 ? "..." : "");
        }
        const char *with_label = in.s3_resume ? "after the S3 re-launch" : "with a DRTM";
        if (sinit) {
            printf("\nSINIT's measurements (SinitMleData version %u, EDX 0x%x):\n", start.sinit_mle_version,
                   start.senter_flags);
            printf("  HASH_DATA  SHA-1(SINIT, %u bytes) || EDX = ", start.sinit_bytes);
            hex_out(start.hash_data, sizeof(start.hash_data));
            printf("\n  policy     ");
            hex_out(start.policy, start.policy_len);
            printf(" (%zu bytes)\n", start.policy_len);
            for (unsigned b = 0; b < in.nbanks; b++) {
                printf("  %-7s MLE   ", in.banks[b].name);
                hex_out(start.mle_digest[b], in.banks[b].size);
                printf("\n");
            }
            printf("\n%s (PCRs 17-22 start at zero; includes SINIT's measurements: PCR17 = SINIT and its "
                   "policy data, PCR18 = the MLE):\n", with_label);
        } else
            printf("\n%s (PCRs 17-22 start at zero; the values SINIT extends before Rensa runs are not "
                   "included: give --sinit and --mle):\n", with_label);
        text_pcrs(&in, &with);
        if (in.s3_resume)
            printf("\nwithout a DRTM: no values (the launch after an S3 resume is always a measured launch)\n");
        else {
            printf("\nwithout a DRTM (PCRs 17-22 start at all ones; EV_RENSA_NO_DRTM events first):\n");
            text_pcrs(&in, &without);
        }
    }
    measure_plan_free(&plan);
    return 0;
}

int cmd_pcr(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "predict") == 0)
        return pcr_predict(argc - 1, argv + 1);
    fprintf(stderr, "rensa pcr: %s (usage: rensa pcr predict --kernel FILE [...]; see 'rensa pcr --help')\n",
            argc < 2 ? "missing subcommand" : "unknown subcommand");
    return EXIT_USAGE;
}
