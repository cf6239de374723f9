/* rensa log: read Rensa's TCG event log with the loader's own reader
 * (tpm/evlog.c) and replay it with OpenSSL (docs/measurements.md,
 * docs/cli.md).
 *
 *   rensa log show [FILE] [--json]
 *   rensa log replay [FILE] [--pcr [BANK:]N=HEX]... [--from-tpm] [--json]
 *   rensa log synth --out FILE [--drtm] [--size N] <rensa pcr predict inputs>
 *       (a test aid: writes the log the loader would write, with its writer;
 *       --s3-resume: the log of the launch after an S3 resume, a DRTM log)
 *
 * Without FILE the running system's log is read: the rensa.evlog=ADDR,SIZE
 * word of /proc/cmdline, SIZE bytes at physical ADDR through /dev/mem.
 * RENSA_PROC_CMDLINE, RENSA_DEV_MEM and RENSA_TPM_SYSFS replace
 * /proc/cmdline, /dev/mem and /sys/class/tpm/tpm0 (for tests). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"
#include "evtool.h"
#include "tpm.h"

#define LOG_FILE_MAX (64u << 20)

static const char *env_or(const char *name, const char *dflt)
{
    const char *v = getenv(name);
    return v && v[0] ? v : dflt;
}

/* ------------------------------------------------------------------ input */

/* The running system's log: rensa.evlog=ADDR,SIZE on the kernel command
 * line, read from physical memory. */
static int read_system_log(const char *cmd, uint8_t **buf, size_t *len)
{
    const char *cl_path = env_or("RENSA_PROC_CMDLINE", "/proc/cmdline");
    const char *mem_path = env_or("RENSA_DEV_MEM", "/dev/mem");
    size_t cl_len;
    uint8_t *cl = file_read(cl_path, &cl_len, 1u << 20);
    if (!cl) {
        fprintf(stderr, "rensa %s: cannot read %s: %s\n", cmd, cl_path, strerror(errno));
        return EXIT_INPUT;
    }
    char *s = realloc(cl, cl_len + 1);
    if (!s) {
        free(cl);
        return EXIT_INPUT;
    }
    s[cl_len] = '\0';
    const char *w = NULL;
    for (char *p = s; (p = strstr(p, "rensa.evlog=")) != NULL; p++)
        if (p == s || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n')
            w = p + strlen("rensa.evlog=");
    if (!w) {
        fprintf(stderr, "rensa %s: %s has no rensa.evlog=ADDR,SIZE: this system was not booted by Rensa with a "
                        "TPM (or give the log as FILE)\n", cmd, cl_path);
        free(s);
        return EXIT_INPUT;
    }
    char *e;
    errno = 0;
    unsigned long long addr = strtoull(w, &e, 0), size = 0;
    bool ok = errno == 0 && e != w && *e == ',';
    if (ok) {
        const char *sz = e + 1;
        size = strtoull(sz, &e, 0);
        ok = errno == 0 && e != sz && (*e == '\0' || *e == ' ' || *e == '\n' || *e == '\t');
    }
    if (!ok || size == 0 || size > LOG_FILE_MAX || addr > (unsigned long long)INT64_MAX - size) {
        fprintf(stderr, "rensa %s: %s: malformed rensa.evlog= word (ADDR,SIZE with SIZE 1 to %u)\n", cmd, cl_path,
                LOG_FILE_MAX);
        free(s);
        return EXIT_INPUT;
    }
    free(s);
    int fd = open(mem_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "rensa %s: cannot open %s: %s (reading the log needs root and a kernel that lets /dev/mem "
                        "reach reserved memory)\n", cmd, mem_path, strerror(errno));
        return EXIT_INPUT;
    }
    uint8_t *b = malloc(size);
    size_t got = 0;
    while (b && got < size) {
        ssize_t n = pread(fd, b + got, size - got, (off_t)(addr + got));
        if (n <= 0) {
            fprintf(stderr, "rensa %s: cannot read %llu bytes at 0x%llx from %s: %s\n", cmd, size, addr, mem_path,
                    n == 0 ? "short read" : strerror(errno));
            free(b);
            b = NULL;
            break;
        }
        got += (size_t)n;
    }
    close(fd);
    if (!b)
        return EXIT_INPUT;
    *buf = b;
    *len = size;
    return 0;
}

struct parsed {
    uint8_t *buf;
    size_t len;
    const char *source;
    struct evlog l;
    unsigned n;
    struct evlog_event *ev;
};

static int load(const char *cmd, const char *path, struct parsed *p)
{
    memset(p, 0, sizeof(*p));
    int rc;
    if (path) {
        p->buf = file_read(path, &p->len, LOG_FILE_MAX);
        if (!p->buf) {
            fprintf(stderr, "rensa %s: cannot read %s: %s\n", cmd, path, strerror(errno));
            return EXIT_INPUT;
        }
        p->source = path;
    } else {
        rc = read_system_log(cmd, &p->buf, &p->len);
        if (rc)
            return rc;
        p->source = "the running system's log";
    }
    struct diag d;
    enum rensa_err e = evlog_open(&p->l, p->buf, (uint32_t)p->len, &d);
    uint32_t pos = 0;
    unsigned cap = 0;
    while (!e) {
        bool end;
        struct evlog_event ev;
        e = evlog_next(&p->l, &pos, &ev, &end, &d);
        if (e || end)
            break;
        if (p->n == cap) {
            cap = cap ? 2 * cap : 64;
            struct evlog_event *nv = realloc(p->ev, cap * sizeof(*nv));
            if (!nv) {
                fprintf(stderr, "rensa %s: out of memory\n", cmd);
                return EXIT_INPUT;
            }
            p->ev = nv;
        }
        p->ev[p->n++] = ev;
    }
    if (e) {
        fprintf(stderr, "rensa %s: %s: %s: %s\n", cmd, p->source, err_name(e), d.msg);
        return EXIT_INPUT;
    }
    return 0;
}

static void unload(struct parsed *p)
{
    free(p->buf);
    free(p->ev);
}

static const char *format_text(const struct evlog *l)
{
    return l->format == EVLOG_AGILE ? "TPM 2.0 crypto-agile (Spec ID Event03)" : "TPM 1.2 (TCG_PCR_EVENT, SHA-1)";
}

static bool printable(const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (p[i] < 0x20 || p[i] > 0x7e)
            return false;
    return true;
}

static void type_text(uint32_t type, char *out, size_t size)
{
    const char *n = ev_type_name(type);
    if (n)
        snprintf(out, size, "%s", n);
    else
        snprintf(out, size, "type_0x%x", type);
}

/* ------------------------------------------------------------------ show */

static int log_show(int argc, char **argv)
{
    const char *cmd = "log show";
    const char *path = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = true;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "rensa %s: unknown argument '%s' (see docs/cli.md)\n", cmd, argv[i]);
            return EXIT_USAGE;
        } else if (path) {
            fprintf(stderr, "rensa %s: one log at a time ('%s' and '%s')\n", cmd, path, argv[i]);
            return EXIT_USAGE;
        } else
            path = argv[i];
    }
    struct parsed p;
    int rc = load(cmd, path, &p);
    if (rc) {
        unload(&p);
        return rc;
    }
    char tname[32];
    if (json) {
        printf("{\n  \"format\": \"%s\",\n  \"size\": %zu,\n  \"banks\": [", p.l.format == EVLOG_AGILE ? "tpm2" : "tpm12",
               p.len);
        for (unsigned b = 0; b < p.l.nbanks; b++)
            printf("%s{\"name\": \"%s\", \"alg\": %u, \"size\": %u}", b ? ", " : "", tbank_name(p.l.banks[b].alg),
                   p.l.banks[b].alg, p.l.banks[b].size);
        printf("],\n  \"events\": [");
    } else {
        printf("%s: %s, %zu bytes, banks:", p.source, format_text(&p.l), p.len);
        for (unsigned b = 0; b < p.l.nbanks; b++)
            printf(" %s", tbank_name(p.l.banks[b].alg));
        printf(", %u events\n", p.n);
    }
    for (unsigned i = 0; i < p.n; i++) {
        const struct evlog_event *e = &p.ev[i];
        type_text(e->type, tname, sizeof(tname));
        bool text = printable(e->data, e->data_len);
        if (json) {
            printf("%s\n    {\"index\": %u, \"offset\": %u, \"pcr\": %u, \"type\": %u, \"type_name\": \"%s\", "
                   "\"digests\": {",
                   i ? "," : "", i, e->offset, e->pcr, e->type, tname);
            for (unsigned b = 0; b < e->ndigests; b++) {
                printf("%s\"%s\": \"", b ? ", " : "", tbank_name(e->digests[b].alg));
                hex_out(e->digests[b].digest, e->digests[b].size);
                printf("\"");
            }
            printf("}, \"data_size\": %u, \"data\": ", e->data_len);
            if (text) {
                char *s = strndup((const char *)e->data, e->data_len);
                if (!s)
                    return EXIT_INPUT;
                json_string(s);
                free(s);
            } else
                printf("null");
            printf(", \"data_hex\": \"");
            hex_out(e->data, e->data_len);
            printf("\"}");
        } else {
            printf("\nevent %u at offset 0x%x: PCR%u %s (0x%x), %u bytes of data\n", i, e->offset, e->pcr, tname,
                   e->type, e->data_len);
            for (unsigned b = 0; b < e->ndigests; b++) {
                printf("  %-8s ", tbank_name(e->digests[b].alg));
                hex_out(e->digests[b].digest, e->digests[b].size);
                printf("\n");
            }
            if (text)
                printf("  data:    \"%.*s\"\n", (int)e->data_len, (const char *)e->data);
            else {
                printf("  data:    ");
                hex_out(e->data, e->data_len);
                printf("\n");
            }
        }
    }
    if (json)
        printf("\n  ]\n}\n");
    unload(&p);
    return 0;
}

/* ------------------------------------------------------------------ replay */

struct replay {
    bool no_drtm; /* the log has EV_RENSA_NO_DRTM: PCRs 17-22 start at all ones */
    bool touched[PCR_COUNT];
    uint8_t pcr[EVLOG_MAX_BANKS][PCR_COUNT][EVLOG_DIGEST_MAX];
};

static void start_value(const struct evlog *l, unsigned b, unsigned n, bool ones, uint8_t *out)
{
    memset(out, ones && n >= 17 && n <= 22 ? 0xff : 0x00, l->banks[b].size);
}

/* The digest of bank b in event e (the reader guarantees one per bank). */
static const uint8_t *digest_of(const struct evlog *l, const struct evlog_event *e, unsigned b)
{
    for (unsigned k = 0; k < e->ndigests; k++)
        if (e->digests[k].alg == l->banks[b].alg)
            return e->digests[k].digest;
    return NULL;
}

static bool extends(const struct evlog_event *e)
{
    return e->type != EV_NO_ACTION;
}

static int replay_all(const char *cmd, const struct parsed *p, struct replay *r)
{
    memset(r, 0, sizeof(*r));
    for (unsigned i = 0; i < p->n; i++)
        r->no_drtm |= p->ev[i].type == EV_RENSA_NO_DRTM;
    for (unsigned b = 0; b < p->l.nbanks; b++)
        for (unsigned n = 0; n < PCR_COUNT; n++)
            start_value(&p->l, b, n, r->no_drtm, r->pcr[b][n]);
    for (unsigned i = 0; i < p->n; i++) {
        const struct evlog_event *e = &p->ev[i];
        if (!extends(e))
            continue;
        if (e->pcr >= PCR_COUNT) {
            fprintf(stderr, "rensa %s: event %u (offset 0x%x) extends PCR %u; a TPM has PCRs 0-%u\n", cmd, i,
                    e->offset, e->pcr, PCR_COUNT - 1);
            return EXIT_INPUT;
        }
        r->touched[e->pcr] = true;
        for (unsigned b = 0; b < p->l.nbanks; b++) {
            const uint8_t *dg = digest_of(&p->l, e, b);
            if (!dg || !ev_extend(p->l.banks[b].alg, r->pcr[b][e->pcr], dg)) {
                fprintf(stderr, "rensa %s: cannot extend %s (OpenSSL lacks it?)\n", cmd,
                        tbank_name(p->l.banks[b].alg));
                return EXIT_INPUT;
            }
        }
    }
    return 0;
}

struct expect {
    unsigned bank; /* index into the log's banks */
    unsigned pcr;
    uint8_t value[EVLOG_DIGEST_MAX];
    const char *source;
};

#define EXPECT_MAX 512u

static int parse_expect(const char *cmd, const struct evlog *l, const char *arg, struct expect *x)
{
    const char *colon = strchr(arg, ':');
    const char *eq = strchr(arg, '=');
    if (!eq || (colon && colon > eq)) {
        fprintf(stderr, "rensa %s: --pcr '%s': expected [BANK:]N=HEX\n", cmd, arg);
        return EXIT_USAGE;
    }
    const char *num = colon ? colon + 1 : arg;
    char *end;
    unsigned long n = strtoul(num, &end, 10);
    if (end == num || end != eq || n >= PCR_COUNT) {
        fprintf(stderr, "rensa %s: --pcr '%s': the PCR number must be 0-%u\n", cmd, arg, PCR_COUNT - 1);
        return EXIT_USAGE;
    }
    size_t len;
    if (!hex_parse(eq + 1, x->value, EVLOG_DIGEST_MAX, &len)) {
        fprintf(stderr, "rensa %s: --pcr '%s': the value is not a hex digest\n", cmd, arg);
        return EXIT_USAGE;
    }
    int found = -1, matches = 0;
    for (unsigned b = 0; b < l->nbanks; b++) {
        if (colon) {
            struct tbank tb;
            if (!tbank_by_name(arg, (size_t)(colon - arg), &tb)) {
                fprintf(stderr, "rensa %s: --pcr '%s': unknown bank '%.*s'\n", cmd, arg, (int)(colon - arg), arg);
                return EXIT_USAGE;
            }
            if (tb.alg == l->banks[b].alg) {
                found = (int)b;
                matches = 1;
            }
        } else if (l->banks[b].size == len) {
            found = (int)b;
            matches++;
        }
    }
    if (found < 0 || matches != 1) {
        fprintf(stderr, "rensa %s: --pcr '%s': %s\n", cmd, arg,
                found < 0 ? "the log has no such bank (or no bank of that digest size)"
                          : "more than one bank has that digest size: name it (sha256:N=HEX)");
        return EXIT_USAGE;
    }
    if (l->banks[found].size != len) {
        fprintf(stderr, "rensa %s: --pcr '%s': %s values are %u bytes, not %zu\n", cmd, arg,
                tbank_name(l->banks[found].alg), l->banks[found].size, len);
        return EXIT_USAGE;
    }
    x->bank = (unsigned)found;
    x->pcr = (unsigned)n;
    x->source = "--pcr";
    return 0;
}

static bool read_trimmed(const char *path, char *out, size_t size)
{
    size_t len;
    uint8_t *b = file_read(path, &len, 1u << 16);
    if (!b)
        return false;
    size_t j = 0;
    for (size_t i = 0; i < len && j + 1 < size; i++)
        if (b[i] != ' ' && b[i] != '\n' && b[i] != '\t' && b[i] != '\r')
            out[j++] = (char)b[i];
    out[j] = '\0';
    free(b);
    return true;
}

/* Expected values from the local TPM through Linux sysfs, for every PCR the
 * log extends and every bank of the log. */
static int from_tpm(const char *cmd, const struct parsed *p, const struct replay *r, struct expect *x, unsigned *nx)
{
    const char *root = env_or("RENSA_TPM_SYSFS", "/sys/class/tpm/tpm0");
    char path[4096];
    if (p->l.format == EVLOG_AGILE) {
        for (unsigned b = 0; b < p->l.nbanks; b++)
            for (unsigned n = 0; n < PCR_COUNT; n++) {
                if (!r->touched[n])
                    continue;
                char val[2 * EVLOG_DIGEST_MAX + 8];
                size_t len;
                snprintf(path, sizeof(path), "%s/pcr-%s/%u", root, tbank_name(p->l.banks[b].alg), n);
                if (*nx >= EXPECT_MAX)
                    return EXIT_USAGE;
                if (!read_trimmed(path, val, sizeof(val))) {
                    fprintf(stderr, "rensa %s: cannot read %s: %s (a TPM 2.0 with this bank and Linux 5.12 or "
                                    "later are needed)\n", cmd, path, strerror(errno));
                    return EXIT_INPUT;
                }
                if (!hex_parse(val, x[*nx].value, EVLOG_DIGEST_MAX, &len) || len != p->l.banks[b].size) {
                    fprintf(stderr, "rensa %s: %s does not hold a %u-byte hex value\n", cmd, path,
                            p->l.banks[b].size);
                    return EXIT_INPUT;
                }
                x[*nx].bank = b;
                x[*nx].pcr = n;
                x[*nx].source = "the TPM";
                (*nx)++;
            }
        return 0;
    }
    /* TPM 1.2: one "pcrs" file, lines "PCR-17: 3A 3F ...". */
    snprintf(path, sizeof(path), "%s/pcrs", root);
    size_t len;
    uint8_t *b = file_read(path, &len, 1u << 16);
    if (!b) {
        snprintf(path, sizeof(path), "%s/device/pcrs", root);
        b = file_read(path, &len, 1u << 16);
    }
    if (!b) {
        fprintf(stderr, "rensa %s: cannot read %s/pcrs or %s/device/pcrs: %s\n", cmd, root, root, strerror(errno));
        return EXIT_INPUT;
    }
    char *s = realloc(b, len + 1);
    if (!s) {
        free(b);
        return EXIT_INPUT;
    }
    s[len] = '\0';
    bool seen[PCR_COUNT] = {0};
    for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
        unsigned n;
        int off = 0;
        if (sscanf(line, "PCR-%u:%n", &n, &off) != 1 || off == 0 || n >= PCR_COUNT || !r->touched[n])
            continue;
        char hex[2 * EVLOG_DIGEST_MAX + 8];
        size_t j = 0;
        for (const char *c = line + off; *c && j + 1 < sizeof(hex); c++)
            if (*c != ' ' && *c != '\t' && *c != '\r')
                hex[j++] = *c;
        hex[j] = '\0';
        if (*nx >= EXPECT_MAX || !hex_parse(hex, x[*nx].value, EVLOG_DIGEST_MAX, &len) || len != 20) {
            fprintf(stderr, "rensa %s: %s: PCR-%02u is not a 20-byte value\n", cmd, path, n);
            free(s);
            return EXIT_INPUT;
        }
        x[*nx].bank = 0;
        x[*nx].pcr = n;
        x[*nx].source = "the TPM";
        (*nx)++;
        seen[n] = true;
    }
    free(s);
    for (unsigned n = 0; n < PCR_COUNT; n++)
        if (r->touched[n] && !seen[n]) {
            fprintf(stderr, "rensa %s: %s has no PCR-%02u\n", cmd, path, n);
            return EXIT_INPUT;
        }
    return 0;
}

/* Why bank b of PCR x->pcr is not x->value: the last event into it, and the
 * prefix of its events (if any) that gives the expected value. */
struct verdict {
    bool match;
    int last; /* index of the last event into the PCR, -1 when none */
    int prefix; /* events into the PCR whose replay gives the expected value, -1 when none */
    int culprit; /* index of the first event after that prefix */
    int other_start; /* 1: the expected value is the replay from the other start value */
};

static struct verdict judge(const struct parsed *p, const struct replay *r, const struct expect *x)
{
    struct verdict v = {false, -1, -1, -1, 0};
    unsigned b = x->bank, size = p->l.banks[b].size;
    v.match = memcmp(r->pcr[b][x->pcr], x->value, size) == 0;
    uint8_t cur[EVLOG_DIGEST_MAX], alt[EVLOG_DIGEST_MAX];
    start_value(&p->l, b, x->pcr, r->no_drtm, cur);
    start_value(&p->l, b, x->pcr, !r->no_drtm, alt);
    bool alt_differs = memcmp(cur, alt, size) != 0;
    int k = 0;
    if (!v.match && memcmp(cur, x->value, size) == 0)
        v.prefix = 0;
    for (unsigned i = 0; i < p->n; i++) {
        const struct evlog_event *e = &p->ev[i];
        if (!extends(e) || e->pcr != x->pcr)
            continue;
        if (!v.match && v.prefix == k && v.culprit < 0)
            v.culprit = (int)i;
        const uint8_t *dg = digest_of(&p->l, e, b);
        ev_extend(p->l.banks[b].alg, cur, dg);
        ev_extend(p->l.banks[b].alg, alt, dg);
        k++;
        v.last = (int)i;
        if (!v.match && v.prefix < 0 && memcmp(cur, x->value, size) == 0)
            v.prefix = k;
    }
    if (v.prefix == k) /* the full replay: only when it matched */
        v.prefix = -1, v.culprit = -1;
    if (!v.match && alt_differs && memcmp(alt, x->value, size) == 0)
        v.other_start = 1;
    return v;
}

static void event_words(const struct parsed *p, int i, char *out, size_t size)
{
    char t[32];
    type_text(p->ev[i].type, t, sizeof(t));
    snprintf(out, size, "#%d %s (offset 0x%x)", i, t, p->ev[i].offset);
}

static int log_replay(int argc, char **argv)
{
    const char *cmd = "log replay";
    const char *path = NULL;
    bool json = false, tpm = false;
    const char *pcr_args[EXPECT_MAX];
    unsigned npcr = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = true;
        else if (strcmp(argv[i], "--from-tpm") == 0)
            tpm = true;
        else if (strcmp(argv[i], "--pcr") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "rensa %s: --pcr needs [BANK:]N=HEX\n", cmd);
                return EXIT_USAGE;
            }
            if (npcr >= EXPECT_MAX / 2) {
                fprintf(stderr, "rensa %s: too many --pcr\n", cmd);
                return EXIT_USAGE;
            }
            pcr_args[npcr++] = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "rensa %s: unknown argument '%s' (see docs/cli.md)\n", cmd, argv[i]);
            return EXIT_USAGE;
        } else if (path) {
            fprintf(stderr, "rensa %s: one log at a time ('%s' and '%s')\n", cmd, path, argv[i]);
            return EXIT_USAGE;
        } else
            path = argv[i];
    }
    struct parsed p;
    static struct replay r;
    static struct expect x[EXPECT_MAX];
    unsigned nx = 0;
    int rc = load(cmd, path, &p);
    for (unsigned i = 0; !rc && i < npcr; i++)
        rc = parse_expect(cmd, &p.l, pcr_args[i], &x[nx++]);
    if (!rc)
        rc = replay_all(cmd, &p, &r);
    if (!rc && tpm)
        rc = from_tpm(cmd, &p, &r, x, &nx);
    if (rc) {
        unload(&p);
        return rc;
    }
    bool ok = true;
    char a[2 * EVLOG_DIGEST_MAX + 1], bx[2 * EVLOG_DIGEST_MAX + 1], w1[96], w2[96];
    if (json) {
        printf("{\n  \"format\": \"%s\",\n  \"start\": \"%s\",\n  \"events\": %u,\n  \"pcrs\": {",
               p.l.format == EVLOG_AGILE ? "tpm2" : "tpm12", r.no_drtm ? "ones" : "zeros", p.n);
        for (unsigned b = 0; b < p.l.nbanks; b++) {
            printf("%s\n    \"%s\": {", b ? "," : "", tbank_name(p.l.banks[b].alg));
            bool first = true;
            for (unsigned n = 0; n < PCR_COUNT; n++)
                if (r.touched[n]) {
                    hex_str(r.pcr[b][n], p.l.banks[b].size, a);
                    printf("%s\"%u\": \"%s\"", first ? "" : ", ", n, a);
                    first = false;
                }
            printf("}");
        }
        printf("\n  },\n  \"checks\": [");
    } else {
        printf("%s: %s, %u events\nstart: PCRs 17-22 at %s\n", p.source, format_text(&p.l), p.n,
               r.no_drtm ? "all ones (the log has EV_RENSA_NO_DRTM)" : "zero (a DRTM start)");
        for (unsigned b = 0; b < p.l.nbanks; b++)
            for (unsigned n = 0; n < PCR_COUNT; n++)
                if (r.touched[n]) {
                    hex_str(r.pcr[b][n], p.l.banks[b].size, a);
                    printf("  %-8s PCR%-2u %s\n", tbank_name(p.l.banks[b].alg), n, a);
                }
    }
    for (unsigned i = 0; i < nx; i++) {
        struct verdict v = judge(&p, &r, &x[i]);
        const char *bank = tbank_name(p.l.banks[x[i].bank].alg);
        unsigned size = p.l.banks[x[i].bank].size;
        hex_str(x[i].value, size, a);
        hex_str(r.pcr[x[i].bank][x[i].pcr], size, bx);
        ok &= v.match;
        if (v.last >= 0)
            event_words(&p, v.last, w1, sizeof(w1));
        if (v.culprit >= 0)
            event_words(&p, v.culprit, w2, sizeof(w2));
        if (json) {
            printf("%s\n    {\"bank\": \"%s\", \"pcr\": %u, \"source\": \"%s\", \"expected\": \"%s\", \"replayed\": "
                   "\"%s\", \"match\": %s",
                   i ? "," : "", bank, x[i].pcr, x[i].source, a, bx, v.match ? "true" : "false");
            if (!v.match) {
                printf(", \"last_event\": ");
                if (v.last >= 0)
                    printf("%d", v.last);
                else
                    printf("null");
                printf(", \"prefix_events\": ");
                if (v.prefix >= 0)
                    printf("%d, \"culprit_event\": %d", v.prefix, v.culprit);
                else
                    printf("null, \"culprit_event\": null");
                printf(", \"other_start\": %s", v.other_start ? "true" : "false");
            }
            printf("}");
            continue;
        }
        if (v.match) {
            printf("ok %s PCR%u matches %s\n", bank, x[i].pcr, x[i].source);
            continue;
        }
        printf("MISMATCH %s PCR%u: %s has %s, the log replays to %s\n", bank, x[i].pcr, x[i].source, a, bx);
        if (v.last >= 0)
            printf("  the last event extended into PCR%u is %s\n", x[i].pcr, w1);
        else
            printf("  the log extends nothing into PCR%u: it stays at its start value\n", x[i].pcr);
        if (v.prefix == 0)
            printf("  %s's value is PCR%u's start value: no event of the log reached it; the first is %s\n",
                   x[i].source, x[i].pcr, w2);
        else if (v.prefix > 0)
            printf("  %s's value is the replay of the first %d events into PCR%u: the first event after them, %s, "
                   "is where they part\n",
                   x[i].source, v.prefix, x[i].pcr, w2);
        else if (v.other_start)
            printf("  %s's value is the replay from PCRs 17-22 at %s: the log's DRTM state differs from the "
                   "platform's\n",
                   x[i].source, r.no_drtm ? "zero" : "all ones");
        else
            printf("  no prefix of the log gives %s's value: an event into PCR%u up to %s differs from what was "
                   "extended, or something not in the log was extended\n",
                   x[i].source, x[i].pcr, v.last >= 0 ? w1 : "the end");
    }
    if (json)
        printf("%s],\n  \"ok\": %s\n}\n", nx ? "\n  " : "", ok ? "true" : "false");
    unload(&p);
    return ok ? 0 : EXIT_PROBLEM;
}

/* ------------------------------------------------------------------ synth */

/* A test aid: the log the loader would write for these inputs, written by
 * the loader's own writer (tpm/evlog.c). */
static int log_synth(int argc, char **argv)
{
    const char *cmd = "log synth";
    struct measure_input in;
    measure_input_init(&in);
    const char *out = NULL;
    bool drtm = false;
    unsigned long size = EVLOG_SIZE;
    for (int i = 1; i < argc; i++) {
        int k = measure_input_arg(cmd, &in, argc, argv, &i);
        if (k < 0)
            return EXIT_USAGE;
        if (k > 0)
            continue;
        if (strcmp(argv[i], "--drtm") == 0)
            drtm = true;
        else if ((strcmp(argv[i], "--out") == 0 || strcmp(argv[i], "--size") == 0) && i + 1 < argc) {
            if (argv[i][2] == 'o')
                out = argv[++i];
            else {
                char *e;
                size = strtoul(argv[++i], &e, 0);
                if (*e || size > LOG_FILE_MAX) {
                    fprintf(stderr, "rensa %s: --size must be 0 to %u\n", cmd, LOG_FILE_MAX);
                    return EXIT_USAGE;
                }
            }
        } else {
            fprintf(stderr, "rensa %s: unknown argument '%s' (see docs/cli.md)\n", cmd, argv[i]);
            return EXIT_USAGE;
        }
    }
    if (!out) {
        fprintf(stderr, "rensa %s: --out FILE is required\n", cmd);
        return EXIT_USAGE;
    }
    int rc = measure_input_finish(cmd, &in);
    if (rc)
        return rc;
    /* Rensa re-launches after S3 only with a DRTM: a resume log never has
     * the EV_RENSA_NO_DRTM events. */
    if (in.s3_resume)
        drtm = true;
    static struct measure_plan plan;
    rc = measure_plan_build(cmd, &in, &plan);
    if (rc)
        return rc;
    uint8_t *buf = calloc(1, size ? size : 1);
    struct evlog_bank banks[EVLOG_MAX_BANKS];
    for (unsigned b = 0; b < in.nbanks; b++)
        banks[b] = (struct evlog_bank){in.banks[b].alg, in.banks[b].size};
    if (!buf) {
        measure_plan_free(&plan);
        fprintf(stderr, "rensa %s: out of memory\n", cmd);
        return EXIT_INPUT;
    }
    struct diag d;
    struct evlog l;
    enum rensa_err e = evlog_init(&l, in.tpm12 ? EVLOG_TPM12 : EVLOG_AGILE, buf, (uint32_t)size, banks, in.nbanks, &d);
    for (unsigned i = 0; !e && i < plan.count; i++) {
        const struct mevent *ev = &plan.ev[i];
        if (drtm && ev->type == EV_RENSA_NO_DRTM)
            continue;
        const uint8_t *dg[EVLOG_MAX_BANKS];
        for (unsigned b = 0; b < in.nbanks; b++)
            dg[b] = ev->digest[b];
        e = evlog_append(&l, ev->pcr, ev->type, dg, ev->text, ev->text_len, &d);
    }
    measure_plan_free(&plan);
    if (e) {
        fprintf(stderr, "rensa %s: %s: %s\n", cmd, err_name(e), d.msg);
        free(buf);
        return EXIT_INPUT;
    }
    FILE *f = fopen(out, "wb");
    if (!f || fwrite(buf, 1, l.used, f) != l.used || fclose(f) != 0) {
        fprintf(stderr, "rensa %s: cannot write %s: %s\n", cmd, out, strerror(errno));
        free(buf);
        return EXIT_INPUT;
    }
    free(buf);
    return 0;
}

int cmd_log(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "show") == 0)
        return log_show(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "replay") == 0)
        return log_replay(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "synth") == 0)
        return log_synth(argc - 1, argv + 1);
    fprintf(stderr, "rensa log: %s (usage: rensa log show|replay [FILE] ...; see docs/cli.md)\n",
            argc < 2 ? "missing subcommand" : "unknown subcommand");
    return EXIT_USAGE;
}
