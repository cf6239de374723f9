/* Throughput of Rensa's SHA-1 / SHA-256 (portable and SHA-NI) and SHA-384
 * against OpenSSL libcrypto on the same host. Host build (see run-sha):
 * hashes a 64 MiB buffer REPS times per case and prints the median MB/s
 * (1 MB = 10^6 bytes) and the ratio to OpenSSL's median.
 *
 * usage: sha-bench [REPS] [MiB]   (defaults 5, 64) */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sha.h"

enum which { RENSA_PORTABLE, RENSA_NI, OPENSSL };

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static const EVP_MD *evp_for(enum hash_alg alg)
{
    return alg == HASH_SHA1 ? EVP_sha1() : alg == HASH_SHA256 ? EVP_sha256() : EVP_sha384();
}

/* Median MB/s over reps runs; the digest of the last run goes to out. */
static double run(enum hash_alg alg, enum which w, const uint8_t *buf, size_t len, int reps,
                  uint8_t *out)
{
    double *mbs = calloc((size_t)reps, sizeof(*mbs)), med;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        if (w == OPENSSL) {
            unsigned n;
            EVP_Digest(buf, len, out, &n, evp_for(alg), NULL);
        } else {
            hash_force_portable(w == RENSA_PORTABLE);
            hash_buffer(alg, buf, len, out);
        }
        mbs[r] = (double)len / (now() - t0) / 1e6;
    }
    qsort(mbs, (size_t)reps, sizeof(*mbs), cmp_double);
    med = reps % 2 ? mbs[reps / 2] : (mbs[reps / 2 - 1] + mbs[reps / 2]) / 2;
    free(mbs);
    return med;
}

static void cpu_name(char *out, size_t n)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    snprintf(out, n, "unknown CPU");
    if (!f)
        return;
    while (fgets(line, sizeof(line), f)) {
        char *c = strchr(line, ':');
        if (!strncmp(line, "model name", 10) && c) {
            snprintf(out, n, "%s", c + 2);
            out[strcspn(out, "\n")] = 0;
            break;
        }
    }
    fclose(f);
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    size_t mib = argc > 2 ? (size_t)atoi(argv[2]) : 64;
    size_t len = mib << 20;
    uint8_t *buf = malloc(len);
    char cpu[256];
    bool ni = sha_ni_enable();
    int bad = 0;

    if (reps < 1 || !mib || !buf) {
        fprintf(stderr, "usage: %s [REPS>=1] [MiB>=1]\n", argv[0]);
        return 2;
    }
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(i * 2654435761u >> 13);
    cpu_name(cpu, sizeof(cpu));
    printf("sha-bench: %s; SHA-NI %s; %s\n", cpu, ni ? "yes" : "NO (Rensa SHA-NI rows skipped)",
           OpenSSL_version(OPENSSL_VERSION));
    printf("%zu MiB buffer, %d runs per case, median MB/s (10^6 bytes/s)\n\n", mib, reps);
    printf("%-8s %-14s %10s %12s\n", "alg", "impl", "MB/s", "vs OpenSSL");

    static const enum hash_alg algs[] = {HASH_SHA1, HASH_SHA256, HASH_SHA384};
    for (size_t a = 0; a < sizeof(algs) / sizeof(algs[0]); a++) {
        enum hash_alg alg = algs[a];
        uint8_t ref[64], d[64];
        double o = run(alg, OPENSSL, buf, len, reps, ref);
        size_t dn = hash_digest_size(alg);

        printf("%-8s %-14s %10.1f %12s\n", hash_alg_name(alg), "openssl", o, "1.00");
        for (int w = RENSA_PORTABLE; w <= RENSA_NI; w++) {
            if (w == RENSA_NI && (!ni || alg == HASH_SHA384))
                continue;
            double m = run(alg, (enum which)w, buf, len, reps, d);
            bool ok = memcmp(d, ref, dn) == 0;
            bad += !ok;
            printf("%-8s %-14s %10.1f %12.2f%s\n", hash_alg_name(alg),
                   w == RENSA_NI ? "rensa sha-ni" : "rensa portable", m, m / o,
                   ok ? "" : "  DIGEST MISMATCH");
        }
    }
    hash_force_portable(false);
    free(buf);
    return bad ? 1 : 0;
}
