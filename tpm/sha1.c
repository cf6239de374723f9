/* SHA-1 (FIPS 180-4 section 6.1): streaming interface and the portable
 * block function. The SHA-NI block function is in tpm/sha_ni.c.
 *
 * SHA-1 is kept for TPM 1.2 / SHA-1 PCR banks only; it is not collision
 * resistant and nothing else in Rensa should rely on it. */
#include "rstring.h"
#include "sha.h"

#define ROL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

/* The message schedule lives in a 16-word ring: W(i) for i >= 16 overwrites
 * W(i - 16), which is exactly the last use of that word. */
#define W(i) w[(i) & 15]
#define LOADW(i) (W(i) = sha_load_be32(p + 4 * (i)))
#define EXPW(i) (W(i) = ROL(W((i) - 3) ^ W((i) - 8) ^ W((i) - 14) ^ W(i), 1))

#define F_CH(b, c, d) ((d) ^ ((b) & ((c) ^ (d))))
#define F_PAR(b, c, d) ((b) ^ (c) ^ (d))
#define F_MAJ(b, c, d) (((b) & (c)) | ((d) & ((b) | (c))))

/* One round with the variables renamed instead of rotated. */
#define RND(a, b, c, d, e, f, k, wv)                   \
    do {                                               \
        e += ROL(a, 5) + f(b, c, d) + (uint32_t)(k) + (wv); \
        b = ROL(b, 30);                                \
    } while (0)

/* Five rounds bring the names back to (a, b, c, d, e). */
#define RND5(f, k, WX, i)                       \
    do {                                        \
        RND(a, b, c, d, e, f, k, WX((i) + 0));  \
        RND(e, a, b, c, d, f, k, WX((i) + 1));  \
        RND(d, e, a, b, c, f, k, WX((i) + 2));  \
        RND(c, d, e, a, b, f, k, WX((i) + 3));  \
        RND(b, c, d, e, a, f, k, WX((i) + 4));  \
    } while (0)

#define K0 0x5A827999u
#define K1 0x6ED9EBA1u
#define K2 0x8F1BBCDCu
#define K3 0xCA62C1D6u

void sha1_blocks_portable(uint32_t h[5], const uint8_t *p, size_t n)
{
    uint32_t w[16];

    for (; n; n--, p += SHA1_BLOCK_SIZE) {
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];

        RND5(F_CH, K0, LOADW, 0);
        RND5(F_CH, K0, LOADW, 5);
        RND5(F_CH, K0, LOADW, 10);
        RND(a, b, c, d, e, F_CH, K0, LOADW(15));
        RND(e, a, b, c, d, F_CH, K0, EXPW(16));
        RND(d, e, a, b, c, F_CH, K0, EXPW(17));
        RND(c, d, e, a, b, F_CH, K0, EXPW(18));
        RND(b, c, d, e, a, F_CH, K0, EXPW(19));

        RND5(F_PAR, K1, EXPW, 20);
        RND5(F_PAR, K1, EXPW, 25);
        RND5(F_PAR, K1, EXPW, 30);
        RND5(F_PAR, K1, EXPW, 35);

        RND5(F_MAJ, K2, EXPW, 40);
        RND5(F_MAJ, K2, EXPW, 45);
        RND5(F_MAJ, K2, EXPW, 50);
        RND5(F_MAJ, K2, EXPW, 55);

        RND5(F_PAR, K3, EXPW, 60);
        RND5(F_PAR, K3, EXPW, 65);
        RND5(F_PAR, K3, EXPW, 70);
        RND5(F_PAR, K3, EXPW, 75);

        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
    }
}

static void sha1_blocks(uint32_t h[5], const uint8_t *p, size_t n)
{
    if (sha_active_impl() == SHA_IMPL_NI)
        sha1_blocks_ni(h, p, n);
    else
        sha1_blocks_portable(h, p, n);
}

void sha1_init(struct sha1_ctx *c)
{
    c->h[0] = 0x67452301;
    c->h[1] = 0xEFCDAB89;
    c->h[2] = 0x98BADCFE;
    c->h[3] = 0x10325476;
    c->h[4] = 0xC3D2E1F0;
    c->used = 0;
    c->total = 0;
}

static void sha1_blocks_any(void *h, const uint8_t *p, size_t n)
{
    sha1_blocks(h, p, n);
}

void sha1_update(struct sha1_ctx *c, const void *data, size_t len)
{
    c->total += len;
    md_update(c->h, sha1_blocks_any, c->buf, &c->used, SHA1_BLOCK_SIZE, data, len);
}

/* Padding (5.1.1): 0x80, zeros up to 56 mod 64, the bit length big-endian. */
void sha1_final(struct sha1_ctx *c, uint8_t out[SHA1_DIGEST_SIZE])
{
    md_pad(c->h, sha1_blocks_any, c->buf, c->used, SHA1_BLOCK_SIZE, 8, c->total);
    for (int i = 0; i < 5; i++)
        sha_store_be32(out + 4 * i, c->h[i]);
    memset(c, 0, sizeof(*c));
}

void sha1(const void *data, size_t len, uint8_t out[SHA1_DIGEST_SIZE])
{
    struct sha1_ctx c;
    sha1_init(&c);
    sha1_update(&c, data, len);
    sha1_final(&c, out);
}
