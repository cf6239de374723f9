/* rensa pcr: predict the PCR values Rensa's measurements produce
 * (docs/measurements.md, docs/cli.md).
 *
 *   rensa pcr predict --kernel FILE [--kernel-cmdline STR]
 *                     [--module FILE [--module-cmdline STR]]...
 *                     [--rensa-cmdline STR] [--banks LIST | --tpm12]
 *                     [--capped LIST] [--json]
 *
 * The events come from the same rules as the loader's (tools/evtool.c with
 * loader/measure_policy.c); files are hashed with OpenSSL. */
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "evtool.h"

#define PREDICT_FIRST 17u
#define PREDICT_LAST 19u

struct prediction {
    uint8_t pcr[EVLOG_MAX_BANKS][PCR_COUNT][EVLOG_DIGEST_MAX];
};

static bool predict(const struct measure_input *in, const struct measure_plan *p, bool drtm, struct prediction *r)
{
    memset(r, 0, sizeof(*r));
    for (unsigned b = 0; b < in->nbanks; b++)
        for (unsigned n = 17; n <= 22; n++)
            memset(r->pcr[b][n], drtm ? 0x00 : 0xff, in->banks[b].size);
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

static void text_pcrs(const struct measure_input *in, const struct prediction *r)
{
    for (unsigned b = 0; b < in->nbanks; b++)
        for (unsigned n = PREDICT_FIRST; n <= PREDICT_LAST; n++) {
            printf("  %-7s PCR%u  ", in->banks[b].name, n);
            hex_out(r->pcr[b][n], in->banks[b].size);
            printf("%s\n", in->banks[b].capped ? "  (capped)" : "");
        }
}

static int pcr_predict(int argc, char **argv)
{
    const char *cmd = "pcr predict";
    struct measure_input in;
    measure_input_init(&in);
    bool json = false;
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
        fprintf(stderr, "rensa %s: unknown argument '%s' (see docs/cli.md)\n", cmd, argv[i]);
        return EXIT_USAGE;
    }
    int rc = measure_input_finish(cmd, &in);
    if (rc)
        return rc;
    static struct measure_plan plan;
    rc = measure_plan_build(cmd, &in, &plan);
    if (rc)
        return rc;
    static struct prediction with, without;
    if (!predict(&in, &plan, true, &with) || !predict(&in, &plan, false, &without)) {
        fprintf(stderr, "rensa %s: OpenSSL cannot compute one of the banks\n", cmd);
        measure_plan_free(&plan);
        return EXIT_INPUT;
    }
    if (json) {
        printf("{\n  \"format\": \"%s\",\n  \"pcr_map\": \"%s\",\n  \"banks\": [", in.tpm12 ? "tpm12" : "tpm2",
               pcr_map_name(plan.opt.pcr_map));
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
        printf("\n  ],\n  \"drtm\": {\n    \"start\": \"zeros\",\n    \"pcrs\": ");
        json_pcrs(&in, &with);
        printf("\n  },\n  \"no_drtm\": {\n    \"start\": \"ones\",\n    \"pcrs\": ");
        json_pcrs(&in, &without);
        printf("\n  }\n}\n");
    } else {
        printf("format: %s\npcr_map: %s\npolicy: %s\n\nevents (a DRTM boot has no EV_RENSA_NO_DRTM events):\n",
               in.tpm12 ? "TPM 1.2 (SHA-1)" : "TPM 2.0 crypto-agile", pcr_map_name(plan.opt.pcr_map), plan.policy);
        for (unsigned i = 0; i < plan.count; i++) {
            const struct mevent *e = &plan.ev[i];
            printf("  PCR%u  %-24s \"%.*s\"%s\n", e->pcr, ev_type_name(e->type),
                   e->text_len > 60 ? 60 : (int)e->text_len, e->text, e->text_len > 60 ? "..." : "");
        }
        printf("\nwith a DRTM (PCRs 17-22 start at zero; the values SINIT extends before Rensa runs are not included):\n");
        text_pcrs(&in, &with);
        printf("\nwithout a DRTM (PCRs 17-22 start at all ones; EV_RENSA_NO_DRTM events first):\n");
        text_pcrs(&in, &without);
    }
    measure_plan_free(&plan);
    return 0;
}

int cmd_pcr(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "predict") == 0)
        return pcr_predict(argc - 1, argv + 1);
    fprintf(stderr, "rensa pcr: %s (usage: rensa pcr predict --kernel FILE [...]; see docs/cli.md)\n",
            argc < 2 ? "missing subcommand" : "unknown subcommand");
    return EXIT_USAGE;
}
