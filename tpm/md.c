/* The Merkle-Damgard framing that SHA-1, SHA-256 and SHA-384/512 share
 * (FIPS 180-4 sections 5.1 and 6): buffering partial blocks, and padding. */
#include "rstring.h"
#include "sha.h"

void md_update(void *state, md_blocks_fn blocks, uint8_t *buf, uint32_t *used, uint32_t block, const void *data,
               size_t len)
{
    const uint8_t *p = data;
    if (*used) {
        size_t take = block - *used;
        if (take > len)
            take = len;
        memcpy(buf + *used, p, take);
        *used += (uint32_t)take;
        p += take;
        len -= take;
        if (*used < block)
            return;
        blocks(state, buf, 1);
        *used = 0;
    }
    if (len >= block) {
        size_t nb = len / block; /* size_t: no 64-bit division in the loader */
        blocks(state, p, nb);
        p += nb * block;
        len -= nb * block;
    }
    if (len) {
        memcpy(buf, p, len);
        *used = (uint32_t)len;
    }
}

void md_pad(void *state, md_blocks_fn blocks, uint8_t *buf, uint32_t used, uint32_t block, uint32_t len_bytes,
            uint64_t total)
{
    buf[used++] = 0x80;
    if (used > block - len_bytes) {
        memset(buf + used, 0, block - used);
        blocks(state, buf, 1);
        used = 0;
    }
    memset(buf + used, 0, block - 8 - used);
    if (len_bytes == 16)
        sha_store_be64(buf + block - 16, total >> 61); /* high half of the 128-bit bit length */
    sha_store_be64(buf + block - 8, total << 3);
    blocks(state, buf, 1);
}
