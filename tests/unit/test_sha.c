/* SHA-1 / SHA-256 / SHA-384 (tpm/sha*.c): FIPS 180 example vectors, the
 * hash_ctx wrapper, and a randomized comparison against OpenSSL libcrypto
 * (EVP_Digest) with random update() chunking, for both the portable and
 * the SHA-NI block functions. SHA-NI is tested only when the host CPU has
 * it; otherwise a line says so. Seed: RENSA_SHA_SEED (default fixed). */
#include <openssl/evp.h>
#include <stdlib.h>
#include "sha.h"
#include "unit.h"

/* ---------------------------------------------------------------- helpers */

static uint64_t rng_state;

static uint64_t rng(void)
{
    uint64_t x = rng_state; /* xorshift64* */
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

static void rng_seed(void)
{
    const char *s = getenv("RENSA_SHA_SEED");
    rng_state = s ? strtoull(s, NULL, 0) : 0x5eed5a17c0ffee11ull;
    if (!rng_state)
        rng_state = 1;
}

static void to_hex(const uint8_t *d, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[d[i] >> 4];
        out[2 * i + 1] = hx[d[i] & 15];
    }
    out[2 * n] = 0;
}

/* The implementations to run: always portable, SHA-NI when available. */
static int impl_count(void)
{
    static int n = -1;
    if (n < 0) {
        n = 1;
        if (sha_ni_enable()) {
            n = 2;
            printf("  sha: host CPU has SHA-NI: testing the portable and SHA-NI paths\n");
        } else {
            printf("  sha: host CPU has NO SHA-NI (CPUID.7:EBX[29] clear, no sha_ni in /proc/cpuinfo): "
                   "SHA-NI path NOT tested, portable path only\n");
        }
    }
    return n;
}

static const char *impl_select(int i)
{
    hash_force_portable(i == 0);
    if (i == 0)
        return sha_active_impl() == SHA_IMPL_PORTABLE ? "portable" : "BAD";
    return sha_active_impl() == SHA_IMPL_NI ? "sha-ni" : "BAD";
}

static void impl_restore(void)
{
    hash_force_portable(false);
}

static const EVP_MD *evp_for(enum hash_alg alg)
{
    switch (alg) {
    case HASH_SHA1:
        return EVP_sha1();
    case HASH_SHA256:
        return EVP_sha256();
    case HASH_SHA384:
        return EVP_sha384();
    default:
        return NULL;
    }
}

/* Hash data with the wrapper, feeding update() random-sized chunks
 * (including empty ones). */
static size_t hash_chunked(enum hash_alg alg, const uint8_t *data, size_t len, uint8_t *out)
{
    struct hash_ctx c;
    size_t off = 0;

    if (!hash_init(&c, alg))
        return 0;
    while (off < len) {
        size_t take;
        switch (rng() % 4) {
        case 0:
            take = 0;
            break;
        case 1:
            take = rng() % 8;
            break;
        case 2:
            take = rng() % 200;
            break;
        default:
            take = rng() % (len - off + 1);
            break;
        }
        if (take > len - off)
            take = len - off;
        hash_update(&c, data + off, take);
        off += take;
    }
    return hash_final(&c, out);
}

/* ---------------------------------------------------------------- vectors */

#define M448 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define M896                                                                                    \
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmn" \
    "opqrsmnopqrstnopqrstu"

static const struct {
    const char *msg; /* NULL: one million 'a' */
    const char *sha1, *sha256, *sha384;
} vectors[] = {
    {"", "da39a3ee5e6b4b0d3255bfef95601890afd80709",
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"},
    {"abc", "a9993e364706816aba3e25717850c26c9cd0d89d",
     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
    {M448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
     "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b"},
    {M896, "a49b2446a02c645bf419f995b67091253a04a259",
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
     "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039"},
    {NULL, "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
     "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
     "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985"},
};

static void vector_digest(enum hash_alg alg, const char *msg, uint8_t *out)
{
    struct hash_ctx c;
    hash_init(&c, alg);
    if (msg) {
        hash_update(&c, msg, strlen(msg));
    } else {
        char a[1000];
        memset(a, 'a', sizeof(a));
        for (int i = 0; i < 1000; i++)
            hash_update(&c, a, sizeof(a));
    }
    hash_final(&c, out);
}

TEST(sha_fips_vectors)
{
    int n = impl_count();
    for (int im = 0; im < n; im++) {
        const char *name = impl_select(im);
        CHECK_STR(name, im ? "sha-ni" : "portable");
        for (size_t v = 0; v < ARRAY_SIZE(vectors); v++) {
            uint8_t d[HASH_MAX_DIGEST_SIZE];
            char hex[2 * HASH_MAX_DIGEST_SIZE + 1];

            vector_digest(HASH_SHA1, vectors[v].msg, d);
            to_hex(d, SHA1_DIGEST_SIZE, hex);
            CHECK_STR(hex, vectors[v].sha1);
            vector_digest(HASH_SHA256, vectors[v].msg, d);
            to_hex(d, SHA256_DIGEST_SIZE, hex);
            CHECK_STR(hex, vectors[v].sha256);
            vector_digest(HASH_SHA384, vectors[v].msg, d);
            to_hex(d, SHA384_DIGEST_SIZE, hex);
            CHECK_STR(hex, vectors[v].sha384);
        }
    }
    impl_restore();
}

/* The one-shot helpers and SHA-512 (the SHA-384 core) on "abc". */
TEST(sha_oneshot)
{
    uint8_t d[SHA512_DIGEST_SIZE];
    char hex[2 * SHA512_DIGEST_SIZE + 1];
    int n = impl_count();

    for (int im = 0; im < n; im++) {
        impl_select(im);
        sha1("abc", 3, d);
        to_hex(d, SHA1_DIGEST_SIZE, hex);
        CHECK_STR(hex, vectors[1].sha1);
        sha256("abc", 3, d);
        to_hex(d, SHA256_DIGEST_SIZE, hex);
        CHECK_STR(hex, vectors[1].sha256);
        sha384("abc", 3, d);
        to_hex(d, SHA384_DIGEST_SIZE, hex);
        CHECK_STR(hex, vectors[1].sha384);
        CHECK_EQ(hash_buffer(HASH_SHA256, "abc", 3, d), SHA256_DIGEST_SIZE);
        to_hex(d, SHA256_DIGEST_SIZE, hex);
        CHECK_STR(hex, vectors[1].sha256);
    }
    sha512("abc", 3, d);
    to_hex(d, SHA512_DIGEST_SIZE, hex);
    CHECK_STR(hex, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                   "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    impl_restore();
}

TEST(sha_wrapper_metadata)
{
    enum hash_alg a;

    CHECK_EQ(hash_digest_size(HASH_SHA1), 20);
    CHECK_EQ(hash_digest_size(HASH_SHA256), 32);
    CHECK_EQ(hash_digest_size(HASH_SHA384), 48);
    CHECK_EQ(hash_digest_size(HASH_ALG_COUNT), 0);
    CHECK_EQ(hash_tpm_alg_id(HASH_SHA1), 0x0004);
    CHECK_EQ(hash_tpm_alg_id(HASH_SHA256), 0x000B);
    CHECK_EQ(hash_tpm_alg_id(HASH_SHA384), 0x000C);
    CHECK_EQ(hash_tpm_alg_id((enum hash_alg)7), 0);
    CHECK(hash_alg_from_tpm(0x000B, &a) && a == HASH_SHA256);
    CHECK(hash_alg_from_tpm(0x0004, &a) && a == HASH_SHA1);
    CHECK(hash_alg_from_tpm(0x000C, &a) && a == HASH_SHA384);
    CHECK(!hash_alg_from_tpm(0x000D, &a)); /* SHA-512: not offered */
    CHECK(!hash_alg_from_tpm(0, &a));
    CHECK_STR(hash_alg_name(HASH_SHA384), "sha384");
    CHECK_STR(hash_alg_name(HASH_ALG_COUNT), "?");

    struct hash_ctx c;
    uint8_t d[HASH_MAX_DIGEST_SIZE];
    CHECK(!hash_init(&c, HASH_ALG_COUNT));
    CHECK_EQ(hash_buffer(HASH_ALG_COUNT, "x", 1, d), 0);
    CHECK(hash_init(&c, HASH_SHA1));
    hash_update(&c, NULL, 0);
    CHECK_EQ(hash_final(&c, d), 20);
}

/* Both block functions agree on random multi-block input, in place. */
TEST(sha_ni_blocks_match_portable)
{
    if (impl_count() < 2) {
        printf("  sha: SHA-NI block comparison skipped (no SHA-NI on this CPU)\n");
        return;
    }
    rng_seed();
    static uint8_t buf[64 * 40];
    for (int iter = 0; iter < 200; iter++) {
        uint32_t h1a[5], h1b[5], h2a[8], h2b[8];
        size_t nb = rng() % 40;
        size_t off = rng() % 64 * (iter & 1); /* unaligned input half the time */
        if (off + nb * 64 > sizeof(buf))
            nb = (sizeof(buf) - off) / 64;
        for (size_t i = 0; i < sizeof(buf); i++)
            buf[i] = (uint8_t)rng();
        for (int i = 0; i < 5; i++)
            h1a[i] = h1b[i] = (uint32_t)rng();
        for (int i = 0; i < 8; i++)
            h2a[i] = h2b[i] = (uint32_t)rng();
        sha1_blocks_portable(h1a, buf + off, nb);
        sha1_blocks_ni(h1b, buf + off, nb);
        CHECK(memcmp(h1a, h1b, sizeof(h1a)) == 0);
        sha256_blocks_portable(h2a, buf + off, nb);
        sha256_blocks_ni(h2b, buf + off, nb);
        CHECK(memcmp(h2a, h2b, sizeof(h2a)) == 0);
    }
}

/* Random data, lengths 0..5000 (all of 0..300, then random), random
 * chunking, each algorithm and path, against OpenSSL. */
TEST(sha_vs_openssl_random)
{
    enum { MAXLEN = 5000 };
    static uint8_t data[MAXLEN + 64];
    int n = impl_count(), compared = 0, mismatches = 0;

    rng_seed();
    for (int im = 0; im < n; im++) {
        const char *name = impl_select(im);
        for (int round = 0; round < 700; round++) {
            size_t len = round <= 300 ? (size_t)round : (size_t)(rng() % (MAXLEN + 1));
            size_t off = rng() % 64;
            for (size_t i = 0; i < len; i++)
                data[off + i] = (uint8_t)rng();
            for (int a = 0; a < HASH_ALG_COUNT; a++) {
                uint8_t mine[HASH_MAX_DIGEST_SIZE], ref[EVP_MAX_MD_SIZE];
                unsigned reflen = 0;
                size_t got = hash_chunked((enum hash_alg)a, data + off, len, mine);
                if (!EVP_Digest(data + off, len, ref, &reflen, evp_for((enum hash_alg)a), NULL)) {
                    CHECK(!"EVP_Digest failed");
                    continue;
                }
                compared++;
                if (got != reflen || memcmp(mine, ref, reflen) != 0) {
                    if (mismatches++ < 5)
                        fprintf(stderr, "  %s %s len %zu: mismatch\n", name,
                                hash_alg_name((enum hash_alg)a), len);
                }
            }
        }
        /* SHA-512 too: it is the SHA-384 core. */
        for (int round = 0; round < 100; round++) {
            size_t len = (size_t)(rng() % (MAXLEN + 1));
            uint8_t mine[SHA512_DIGEST_SIZE], ref[EVP_MAX_MD_SIZE];
            unsigned reflen = 0;
            for (size_t i = 0; i < len; i++)
                data[i] = (uint8_t)rng();
            sha512(data, len, mine);
            CHECK(EVP_Digest(data, len, ref, &reflen, EVP_sha512(), NULL));
            compared++;
            if (reflen != SHA512_DIGEST_SIZE || memcmp(mine, ref, reflen) != 0)
                mismatches++;
        }
    }
    printf("  sha: %d digests compared with OpenSSL (%d path%s), %d mismatches\n", compared, n,
           n > 1 ? "s" : "", mismatches);
    CHECK_EQ(mismatches, 0);
    impl_restore();
}
