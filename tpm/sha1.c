/* SHA-1 (FIPS 180-4 section 6.1): streaming interface and the portable
 * block function. The SHA-NI block function is in tpm/sha_ni.c.
 *
 * SHA-1 is kept for TPM 1.2 / SHA-1 PCR banks only; it is not collision
 * resistant and nothing else in Rensa should rely on it. */
#include "rstring.h"
#include "sha.h"

#define ROL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

/* One round at a time, rolled: the loader's image budget (64 KiB
 * compressed) prefers 0.3 KB of code to the 4.5 KB of the unrolled form;
 * SHA-NI (tpm/sha_ni.c) is the fast path. The message schedule lives in a
 * 16-word ring: W(i) for i >= 16 overwrites W(i - 16), its last use. */
void sha1_blocks_portable(uint32_t h[5], const uint8_t *p, size_t n)
{
    static const uint32_t k[4] = {0x5A827999u, 0x6ED9EBA1u, 0x8F1BBCDCu, 0xCA62C1D6u};
    uint32_t w[16];

    for (; n; n--, p += SHA1_BLOCK_SIZE) {
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (unsigned i = 0; i < 80; i++) {
            uint32_t *wi = &w[i & 15];
            if (i < 16)
                *wi = sha_load_be32(p + 4 * i);
            else
                *wi = ROL(w[(i - 3) & 15] ^ w[(i - 8) & 15] ^ w[(i - 14) & 15] ^ *wi, 1);
            uint32_t f;
            if (i < 20)
                f = d ^ (b & (c ^ d)); /* Ch */
            else if (i >= 40 && i < 60)
                f = (b & c) | (d & (b | c)); /* Maj */
            else
                f = b ^ c ^ d; /* Parity */
            uint32_t t = ROL(a, 5) + f + e + k[i / 20] + *wi;
            e = d;
            d = c;
            c = ROL(b, 30);
            b = a;
            a = t;
        }
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
