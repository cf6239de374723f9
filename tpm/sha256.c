/* SHA-256 (FIPS 180-4 section 6.2): streaming interface and the portable
 * block function. The SHA-NI block function is in tpm/sha_ni.c, SHA-384 in
 * tpm/sha512.c, the algorithm-agnostic wrapper in tpm/hash.c. */
#include "rstring.h"
#include "sha.h"

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

#define BSIG0(x) (ROR(x, 2) ^ ROR(x, 13) ^ ROR(x, 22))
#define BSIG1(x) (ROR(x, 6) ^ ROR(x, 11) ^ ROR(x, 25))
#define SSIG0(x) (ROR(x, 7) ^ ROR(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ROR(x, 17) ^ ROR(x, 19) ^ ((x) >> 10))
#define CH(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))

/* FIPS 180-4 4.2.2: the first 32 bits of the fractional parts of the cube
 * roots of the first 64 primes. Aligned for the SHA-NI code (tpm/sha_ni.c),
 * which reads it with aligned SSE loads. */
_Alignas(16) const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* Eight rounds per loop iteration, the variables renamed instead of moved
 * (they are back in place after eight): a twelfth of the unrolled code,
 * for the loader's image budget, at most of its speed. The schedule is a
 * 16-word ring: W(i) for i >= 16 overwrites W(i - 16), its last use. */
#define W(i) w[(i) & 15]
#define RND(a, b, c, d, e, f, g, h, i)                                                                \
    do {                                                                                            \
        uint32_t wv_ = (i) < 16 ? (W(i) = sha_load_be32(p + 4 * (i)))                               \
                                : (W(i) += SSIG1(W((i) - 2)) + W((i) - 7) + SSIG0(W((i) - 15)));    \
        uint32_t t1_ = h + BSIG1(e) + CH(e, f, g) + sha256_k[i] + wv_;                               \
        d += t1_;                                                                                   \
        h = t1_ + BSIG0(a) + MAJ(a, b, c);                                                          \
    } while (0)

void sha256_blocks_portable(uint32_t hs[8], const uint8_t *p, size_t n)
{
    uint32_t w[16];

    for (; n; n--, p += SHA256_BLOCK_SIZE) {
        uint32_t a = hs[0], b = hs[1], c = hs[2], d = hs[3];
        uint32_t e = hs[4], f = hs[5], g = hs[6], h = hs[7];
        for (unsigned i = 0; i < 64; i += 8) {
            RND(a, b, c, d, e, f, g, h, i + 0);
            RND(h, a, b, c, d, e, f, g, i + 1);
            RND(g, h, a, b, c, d, e, f, i + 2);
            RND(f, g, h, a, b, c, d, e, i + 3);
            RND(e, f, g, h, a, b, c, d, i + 4);
            RND(d, e, f, g, h, a, b, c, i + 5);
            RND(c, d, e, f, g, h, a, b, i + 6);
            RND(b, c, d, e, f, g, h, a, i + 7);
        }
        hs[0] += a;
        hs[1] += b;
        hs[2] += c;
        hs[3] += d;
        hs[4] += e;
        hs[5] += f;
        hs[6] += g;
        hs[7] += h;
    }
}

static void sha256_blocks(uint32_t h[8], const uint8_t *p, size_t n)
{
    if (sha_active_impl() == SHA_IMPL_NI)
        sha256_blocks_ni(h, p, n);
    else
        sha256_blocks_portable(h, p, n);
}

void sha256_init(struct sha256_ctx *c)
{
    static const uint32_t iv[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    memcpy(c->h, iv, sizeof(iv));
    c->total = 0;
    c->used = 0;
}

static void sha256_blocks_any(void *h, const uint8_t *p, size_t n)
{
    sha256_blocks(h, p, n);
}

void sha256_update(struct sha256_ctx *c, const void *data, size_t len)
{
    c->total += len;
    md_update(c->h, sha256_blocks_any, c->buf, &c->used, SHA256_BLOCK_SIZE, data, len);
}

/* Padding (5.1.1) as for SHA-1. */
void sha256_final(struct sha256_ctx *c, uint8_t out[SHA256_DIGEST_SIZE])
{
    md_pad(c->h, sha256_blocks_any, c->buf, c->used, SHA256_BLOCK_SIZE, 8, c->total);
    for (int i = 0; i < 8; i++)
        sha_store_be32(out + 4 * i, c->h[i]);
    memset(c, 0, sizeof(*c));
}

void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE])
{
    struct sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, data, len);
    sha256_final(&c, out);
}
