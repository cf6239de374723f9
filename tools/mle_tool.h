/* The MLE as SINIT sees it, shared by `rensa mle hash` and `rensa pcr
 * predict --mle` (tools/cmd_mle.c): load an MLE ELF, find its header, build
 * and walk the MLE page table with the loader's own code, and hash the MLE
 * in linear order (what SINIT extends as the MLE measurement). */
#ifndef RENSA_TOOLS_MLE_TOOL_H
#define RENSA_TOOLS_MLE_TOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <openssl/evp.h>
#include "mle_pt.h"

struct image {
    uint8_t *bytes; /* physical [base, base + size) */
    uint64_t base, size;
};

/* The model of physical memory the walker reads: the image and the table. */
struct physmem {
    const struct image *img;
    uint8_t *pt;
    uint64_t pt_phys, pt_len;
};

struct mle_walked {
    struct image img;
    struct physmem mem;
    uint8_t *pt;
    paddr_t *pages; /* npages physical page addresses, in linear order */
    uint64_t npages;
    uint64_t hoff, start, end, size; /* header offset; MLE [start, end) of the image */
    uint64_t pt_phys, pt_len;
    uint32_t entry_point;
};

/* Loads FILE (gzip allowed) and walks its MLE; prints errors as
 * "rensa CMD: FILE: ...". Returns 0, EXIT_INPUT or EXIT_PROBLEM. */
int mle_walk_file(const char *cmd, const char *path, struct mle_walked *w);
/* The MLE measurement with md (out: EVP_MD_size(md) bytes). */
bool mle_walked_hash(const struct mle_walked *w, const EVP_MD *md, uint8_t *out);
void mle_walked_free(struct mle_walked *w);

#endif
