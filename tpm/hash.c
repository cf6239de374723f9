/* The algorithm-agnostic hashing interface (include/sha.h): one context
 * for SHA-1, SHA-256 or SHA-384, and the TPM algorithm identifiers. */
#include "rstring.h"
#include "sha.h"


static const struct {
    const char *name;
    uint16_t tpm_id;
    uint8_t digest_size;
} hash_algs[HASH_ALG_COUNT] = {
    [HASH_SHA1] = {"sha1", HASH_TPM_ALG_SHA1, SHA1_DIGEST_SIZE},
    [HASH_SHA256] = {"sha256", HASH_TPM_ALG_SHA256, SHA256_DIGEST_SIZE},
    [HASH_SHA384] = {"sha384", HASH_TPM_ALG_SHA384, SHA384_DIGEST_SIZE},
};

_Static_assert(SHA1_DIGEST_SIZE <= HASH_MAX_DIGEST_SIZE && SHA256_DIGEST_SIZE <= HASH_MAX_DIGEST_SIZE &&
                   SHA384_DIGEST_SIZE <= HASH_MAX_DIGEST_SIZE,
               "HASH_MAX_DIGEST_SIZE too small");

static bool alg_valid(enum hash_alg alg)
{
    return (unsigned)alg < HASH_ALG_COUNT;
}

size_t hash_digest_size(enum hash_alg alg)
{
    return alg_valid(alg) ? hash_algs[alg].digest_size : 0;
}

uint16_t hash_tpm_alg_id(enum hash_alg alg)
{
    return alg_valid(alg) ? hash_algs[alg].tpm_id : 0;
}

const char *hash_alg_name(enum hash_alg alg)
{
    return alg_valid(alg) ? hash_algs[alg].name : "?";
}

bool hash_alg_from_tpm(uint16_t tpm_alg, enum hash_alg *out)
{
    for (unsigned i = 0; i < HASH_ALG_COUNT; i++) {
        if (hash_algs[i].tpm_id == tpm_alg) {
            *out = (enum hash_alg)i;
            return true;
        }
    }
    return false;
}

bool hash_init(struct hash_ctx *c, enum hash_alg alg)
{
    c->alg = alg;
    switch (alg) {
    case HASH_SHA1:
        sha1_init(&c->u.sha1);
        return true;
    case HASH_SHA256:
        sha256_init(&c->u.sha256);
        return true;
    case HASH_SHA384:
        sha384_init(&c->u.sha512);
        return true;
    default:
        return false;
    }
}

void hash_update(struct hash_ctx *c, const void *data, size_t len)
{
    switch (c->alg) {
    case HASH_SHA1:
        sha1_update(&c->u.sha1, data, len);
        break;
    case HASH_SHA256:
        sha256_update(&c->u.sha256, data, len);
        break;
    case HASH_SHA384:
        sha384_update(&c->u.sha512, data, len);
        break;
    default:
        break;
    }
}

size_t hash_final(struct hash_ctx *c, uint8_t *out)
{
    switch (c->alg) {
    case HASH_SHA1:
        sha1_final(&c->u.sha1, out);
        return SHA1_DIGEST_SIZE;
    case HASH_SHA256:
        sha256_final(&c->u.sha256, out);
        return SHA256_DIGEST_SIZE;
    case HASH_SHA384:
        sha384_final(&c->u.sha512, out);
        return SHA384_DIGEST_SIZE;
    default:
        return 0;
    }
}

size_t hash_buffer(enum hash_alg alg, const void *data, size_t len, uint8_t *out)
{
    struct hash_ctx c;
    if (!hash_init(&c, alg))
        return 0;
    hash_update(&c, data, len);
    return hash_final(&c, out);
}
