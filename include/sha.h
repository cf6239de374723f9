/* SHA-1, SHA-256, SHA-384 (and SHA-512, its core) for the measured launch.
 *
 * Streaming interface per algorithm (init / update / final), one-shot
 * helpers, and an algorithm-agnostic wrapper (struct hash_ctx) keyed by
 * enum hash_alg that the TPM and measurement code use. Digests are
 * written big-endian as FIPS 180-4 specifies.
 *
 * SHA-1 and SHA-256 have two block functions: a portable C one and one
 * using the x86 SHA extensions (SHA-NI, tpm/sha_ni.c). The portable one is
 * used until sha_ni_enable() succeeds; hash_force_portable(true) pins the
 * portable path (tests use it to exercise both). See docs/hashing.md. */
#ifndef RENSA_SHA_H
#define RENSA_SHA_H

#include "rtypes.h"

#define SHA1_DIGEST_SIZE   20
#define SHA256_DIGEST_SIZE 32
#define SHA384_DIGEST_SIZE 48
#define SHA512_DIGEST_SIZE 64
#define SHA1_BLOCK_SIZE    64
#define SHA256_BLOCK_SIZE  64
#define SHA512_BLOCK_SIZE  128 /* also SHA-384 */

/* Largest digest the wrapper (enum hash_alg) produces. */
#define HASH_MAX_DIGEST_SIZE SHA384_DIGEST_SIZE

/* TPM 2.0 algorithm identifiers (TCG Algorithm Registry, TPM_ALG_ID). */
#define HASH_TPM_ALG_SHA1   0x0004
#define HASH_TPM_ALG_SHA256 0x000B
#define HASH_TPM_ALG_SHA384 0x000C

/* ------------------------------------------------------------ contexts */
/* h: chaining state; total: bytes hashed so far; buf/used: the partial
 * block not yet compressed (used < block size between calls). */
struct sha1_ctx {
    uint32_t h[5];
    uint32_t used;
    uint64_t total;
    uint8_t buf[SHA1_BLOCK_SIZE];
};

struct sha256_ctx {
    uint32_t h[8];
    uint64_t total;
    uint8_t buf[SHA256_BLOCK_SIZE];
    uint32_t used;
};

/* SHA-384 and SHA-512 share this context; only the IV and the output
 * length differ. total counts bytes, so messages are limited to 2^64 - 1
 * bytes (the 128-bit length field's high half is total >> 61). */
struct sha512_ctx {
    uint64_t h[8];
    uint64_t total;
    uint8_t buf[SHA512_BLOCK_SIZE];
    uint32_t used;
};

_Static_assert(sizeof(((struct sha1_ctx *)0)->buf) == SHA1_BLOCK_SIZE, "sha1 block");
_Static_assert(sizeof(((struct sha256_ctx *)0)->buf) == SHA256_BLOCK_SIZE, "sha256 block");
_Static_assert(sizeof(((struct sha512_ctx *)0)->buf) == SHA512_BLOCK_SIZE, "sha512 block");
_Static_assert(sizeof(((struct sha1_ctx *)0)->h) == SHA1_DIGEST_SIZE, "sha1 state");
_Static_assert(sizeof(((struct sha256_ctx *)0)->h) == SHA256_DIGEST_SIZE, "sha256 state");
_Static_assert(sizeof(((struct sha512_ctx *)0)->h) == SHA512_DIGEST_SIZE, "sha512 state");
/* Shared Merkle-Damgard framing (tpm/md.c): feed bytes through a block
 * function, buffering partial blocks; pad with 0x80, zeros and the message
 * bit length (len_bytes 8, or 16 for SHA-384/512) and run the last blocks. */
typedef void (*md_blocks_fn)(void *state, const uint8_t *p, size_t n);
void md_update(void *state, md_blocks_fn blocks, uint8_t *buf, uint32_t *used, uint32_t block, const void *data,
               size_t len);
void md_pad(void *state, md_blocks_fn blocks, uint8_t *buf, uint32_t used, uint32_t block, uint32_t len_bytes,
            uint64_t total);

/* Contexts live on the loader's small stack: keep them bounded. */
_Static_assert(sizeof(struct sha512_ctx) <= 224, "sha512 context grew");

/* ------------------------------------------------------------ streaming */
void sha1_init(struct sha1_ctx *c);
void sha1_update(struct sha1_ctx *c, const void *data, size_t len);
void sha1_final(struct sha1_ctx *c, uint8_t out[SHA1_DIGEST_SIZE]);
void sha1(const void *data, size_t len, uint8_t out[SHA1_DIGEST_SIZE]);

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
void sha256_final(struct sha256_ctx *c, uint8_t out[SHA256_DIGEST_SIZE]);
void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE]);

void sha384_init(struct sha512_ctx *c);
void sha384_update(struct sha512_ctx *c, const void *data, size_t len);
void sha384_final(struct sha512_ctx *c, uint8_t out[SHA384_DIGEST_SIZE]);
void sha384(const void *data, size_t len, uint8_t out[SHA384_DIGEST_SIZE]);

void sha512_init(struct sha512_ctx *c);
void sha512_update(struct sha512_ctx *c, const void *data, size_t len);
void sha512_final(struct sha512_ctx *c, uint8_t out[SHA512_DIGEST_SIZE]);
void sha512(const void *data, size_t len, uint8_t out[SHA512_DIGEST_SIZE]);

/* ------------------------------------------------------------ wrapper */
enum hash_alg { HASH_SHA1, HASH_SHA256, HASH_SHA384, HASH_ALG_COUNT };

struct hash_ctx {
    enum hash_alg alg;
    union {
        struct sha1_ctx sha1;
        struct sha256_ctx sha256;
        struct sha512_ctx sha512; /* SHA-384 */
    } u;
};

/* hash_init fails (false) only for an unknown alg; hash_final returns the
 * number of bytes written to out (hash_digest_size(alg), at most
 * HASH_MAX_DIGEST_SIZE). hash_buffer returns 0 for an unknown alg. */
bool hash_init(struct hash_ctx *c, enum hash_alg alg);
void hash_update(struct hash_ctx *c, const void *data, size_t len);
size_t hash_final(struct hash_ctx *c, uint8_t *out);
size_t hash_buffer(enum hash_alg alg, const void *data, size_t len, uint8_t *out);

size_t hash_digest_size(enum hash_alg alg);     /* 0 for unknown */
uint16_t hash_tpm_alg_id(enum hash_alg alg);    /* 0 (TPM_ALG_ERROR) for unknown */
bool hash_alg_from_tpm(uint16_t tpm_alg, enum hash_alg *out);
const char *hash_alg_name(enum hash_alg alg);   /* "sha1", "sha256", "sha384", "?" */

/* ------------------------------------------------------------ implementation choice */
enum sha_impl { SHA_IMPL_PORTABLE, SHA_IMPL_NI };

/* CPUID only: SHA (leaf 7 EBX bit 29), SSSE3, SSE2, FXSR. */
bool sha_ni_supported(void);
/* If supported, make SSE usable (bare metal: CR0.EM=0, CR0.MP=1, CR0.TS=0,
 * CR4.OSFXSR=1, CR4.OSXMMEXCPT=1; the host build only checks CPUID) and
 * select SHA-NI for SHA-1/SHA-256. Returns whether SHA-NI is now usable. */
bool sha_ni_enable(void);
/* true: always use the portable C code (default false). */
void hash_force_portable(bool on);
/* The block functions SHA-1/SHA-256 use right now. */
enum sha_impl sha_active_impl(void);

/* Block functions: compress n consecutive 64-byte blocks into h. The _ni
 * ones may be called only after sha_ni_enable() returned true. Exposed for
 * tests and the benchmark; everything else goes through the streaming API. */
void sha1_blocks_portable(uint32_t h[5], const uint8_t *p, size_t n);
void sha256_blocks_portable(uint32_t h[8], const uint8_t *p, size_t n);
void sha1_blocks_ni(uint32_t h[5], const uint8_t *p, size_t n);
void sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t n);
void sha512_blocks(uint64_t h[8], const uint8_t *p, size_t n);
/* SHA-256 round constants (tpm/sha256.c), 16-byte aligned. */
extern _Alignas(16) const uint32_t sha256_k[64];

/* ------------------------------------------------------------ byte order */
static inline uint32_t sha_load_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void sha_store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline uint64_t sha_load_be64(const uint8_t *p)
{
    return (uint64_t)sha_load_be32(p) << 32 | sha_load_be32(p + 4);
}

static inline void sha_store_be64(uint8_t *p, uint64_t v)
{
    sha_store_be32(p, (uint32_t)(v >> 32));
    sha_store_be32(p + 4, (uint32_t)v);
}

#endif
