/* SHA-512 (FIPS 180-4 section 6.4) and SHA-384 (6.5: SHA-512 with its own
 * IV, output truncated to 384 bits). Portable C only: 64-bit additions,
 * shifts and rotates compile to 32-bit instruction pairs on i686 (no libgcc
 * calls). SHA-NI has no SHA-512 instructions. */
#include "rstring.h"
#include "sha.h"

#define ROR(x, n) (((x) >> (n)) | ((x) << (64 - (n))))

#define BSIG0(x) (ROR(x, 28) ^ ROR(x, 34) ^ ROR(x, 39))
#define BSIG1(x) (ROR(x, 14) ^ ROR(x, 18) ^ ROR(x, 41))
#define SSIG0(x) (ROR(x, 1) ^ ROR(x, 8) ^ ((x) >> 7))
#define SSIG1(x) (ROR(x, 19) ^ ROR(x, 61) ^ ((x) >> 6))
#define CH(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))

/* FIPS 180-4 4.2.3: the first 64 bits of the fractional parts of the cube
 * roots of the first 80 primes. */
static const uint64_t K512[80] = {
    0x428a2f98d728ae22ull, 0x7137449123ef65cdull, 0xb5c0fbcfec4d3b2full, 0xe9b5dba58189dbbcull,
    0x3956c25bf348b538ull, 0x59f111f1b605d019ull, 0x923f82a4af194f9bull, 0xab1c5ed5da6d8118ull,
    0xd807aa98a3030242ull, 0x12835b0145706fbeull, 0x243185be4ee4b28cull, 0x550c7dc3d5ffb4e2ull,
    0x72be5d74f27b896full, 0x80deb1fe3b1696b1ull, 0x9bdc06a725c71235ull, 0xc19bf174cf692694ull,
    0xe49b69c19ef14ad2ull, 0xefbe4786384f25e3ull, 0x0fc19dc68b8cd5b5ull, 0x240ca1cc77ac9c65ull,
    0x2de92c6f592b0275ull, 0x4a7484aa6ea6e483ull, 0x5cb0a9dcbd41fbd4ull, 0x76f988da831153b5ull,
    0x983e5152ee66dfabull, 0xa831c66d2db43210ull, 0xb00327c898fb213full, 0xbf597fc7beef0ee4ull,
    0xc6e00bf33da88fc2ull, 0xd5a79147930aa725ull, 0x06ca6351e003826full, 0x142929670a0e6e70ull,
    0x27b70a8546d22ffcull, 0x2e1b21385c26c926ull, 0x4d2c6dfc5ac42aedull, 0x53380d139d95b3dfull,
    0x650a73548baf63deull, 0x766a0abb3c77b2a8ull, 0x81c2c92e47edaee6ull, 0x92722c851482353bull,
    0xa2bfe8a14cf10364ull, 0xa81a664bbc423001ull, 0xc24b8b70d0f89791ull, 0xc76c51a30654be30ull,
    0xd192e819d6ef5218ull, 0xd69906245565a910ull, 0xf40e35855771202aull, 0x106aa07032bbd1b8ull,
    0x19a4c116b8d2d0c8ull, 0x1e376c085141ab53ull, 0x2748774cdf8eeb99ull, 0x34b0bcb5e19b48a8ull,
    0x391c0cb3c5c95a63ull, 0x4ed8aa4ae3418acbull, 0x5b9cca4f7763e373ull, 0x682e6ff3d6b2b8a3ull,
    0x748f82ee5defb2fcull, 0x78a5636f43172f60ull, 0x84c87814a1f0ab72ull, 0x8cc702081a6439ecull,
    0x90befffa23631e28ull, 0xa4506cebde82bde9ull, 0xbef9a3f7b2c67915ull, 0xc67178f2e372532bull,
    0xca273eceea26619cull, 0xd186b8c721c0c207ull, 0xeada7dd6cde0eb1eull, 0xf57d4f7fee6ed178ull,
    0x06f067aa72176fbaull, 0x0a637dc5a2c898a6ull, 0x113f9804bef90daeull, 0x1b710b35131c471bull,
    0x28db77f523047d84ull, 0x32caab7b40c72493ull, 0x3c9ebe0a15c9bebcull, 0x431d67c49c100d4cull,
    0x4cc5d4becb3e42b6ull, 0x597f299cfc657e2aull, 0x5fcb6fab3ad6faecull, 0x6c44198c4a475817ull,
};

#define W(i) w[(i) & 15]

/* A rolled loop: SHA-384/512 is used only for a TPM's SHA-384 bank, so
 * its size in the trusted base matters more than its speed (an unrolled
 * version was 17 KiB of i686 code). */
void sha512_blocks(uint64_t hs[8], const uint8_t *p, size_t n)
{
    uint64_t w[16];

    for (; n; n--, p += SHA512_BLOCK_SIZE) {
        uint64_t v[8];
        memcpy(v, hs, sizeof(v));
        for (unsigned i = 0; i < 80; i++) {
            uint64_t wi;
            if (i < 16)
                wi = W(i) = sha_load_be64(p + 8 * i);
            else
                wi = W(i) += SSIG1(W(i - 2)) + W(i - 7) + SSIG0(W(i - 15));
            uint64_t t1 = v[7] + BSIG1(v[4]) + CH(v[4], v[5], v[6]) + K512[i] + wi;
            uint64_t t2 = BSIG0(v[0]) + MAJ(v[0], v[1], v[2]);
            v[7] = v[6];
            v[6] = v[5];
            v[5] = v[4];
            v[4] = v[3] + t1;
            v[3] = v[2];
            v[2] = v[1];
            v[1] = v[0];
            v[0] = t1 + t2;
        }
        for (unsigned k = 0; k < 8; k++)
            hs[k] += v[k];
    }
}

void sha512_init(struct sha512_ctx *c)
{
    static const uint64_t iv[8] = {
        0x6a09e667f3bcc908ull, 0xbb67ae8584caa73bull, 0x3c6ef372fe94f82bull, 0xa54ff53a5f1d36f1ull,
        0x510e527fade682d1ull, 0x9b05688c2b3e6c1full, 0x1f83d9abfb41bd6bull, 0x5be0cd19137e2179ull,
    };
    memcpy(c->h, iv, sizeof(iv));
    c->total = 0;
    c->used = 0;
}

void sha384_init(struct sha512_ctx *c)
{
    static const uint64_t iv[8] = {
        0xcbbb9d5dc1059ed8ull, 0x629a292a367cd507ull, 0x9159015a3070dd17ull, 0x152fecd8f70e5939ull,
        0x67332667ffc00b31ull, 0x8eb44a8768581511ull, 0xdb0c2e0d64f98fa7ull, 0x47b5481dbefa4fa4ull,
    };
    memcpy(c->h, iv, sizeof(iv));
    c->total = 0;
    c->used = 0;
}

static void sha512_blocks_any(void *h, const uint8_t *p, size_t n)
{
    sha512_blocks(h, p, n);
}

void sha512_update(struct sha512_ctx *c, const void *data, size_t len)
{
    c->total += len;
    md_update(c->h, sha512_blocks_any, c->buf, &c->used, SHA512_BLOCK_SIZE, data, len);
}

void sha384_update(struct sha512_ctx *c, const void *data, size_t len)
{
    sha512_update(c, data, len);
}

/* Padding (5.1.2): 0x80, zeros up to 112 mod 128, the 128-bit bit length. */
static void sha512_pad(struct sha512_ctx *c)
{
    md_pad(c->h, sha512_blocks_any, c->buf, c->used, SHA512_BLOCK_SIZE, 16, c->total);
}

void sha512_final(struct sha512_ctx *c, uint8_t out[SHA512_DIGEST_SIZE])
{
    sha512_pad(c);
    for (int i = 0; i < 8; i++)
        sha_store_be64(out + 8 * i, c->h[i]);
    memset(c, 0, sizeof(*c));
}

void sha384_final(struct sha512_ctx *c, uint8_t out[SHA384_DIGEST_SIZE])
{
    sha512_pad(c);
    for (int i = 0; i < 6; i++)
        sha_store_be64(out + 8 * i, c->h[i]);
    memset(c, 0, sizeof(*c));
}

void sha512(const void *data, size_t len, uint8_t out[SHA512_DIGEST_SIZE])
{
    struct sha512_ctx c;
    sha512_init(&c);
    sha512_update(&c, data, len);
    sha512_final(&c, out);
}

void sha384(const void *data, size_t len, uint8_t out[SHA384_DIGEST_SIZE])
{
    struct sha512_ctx c;
    sha384_init(&c);
    sha384_update(&c, data, len);
    sha384_final(&c, out);
}
