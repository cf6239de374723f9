/* libFuzzer target: the TXT heap verifier and builder (txt/heap.c). The
 * input is a heap; heap_verify must never read outside it, and whenever
 * heap_build accepts the BIOS's part, heap_verify must accept the result. */
#include <stdlib.h>
#include <string.h>
#include "mle_pt.h"
#include "txt_heap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy, so ASan sees any read past the heap. */
    uint8_t *heap = malloc(size ? size : 1);
    if (!heap)
        return 0;
    memcpy(heap, data, size);
    struct txt_heap_view v;
    struct diag d;
    for (unsigned flags = 0; flags <= HEAP_VERIFY_SINIT_MLE; flags++) {
        if (heap_verify(heap, size, flags, &v, &d) == HEAP_OK && (flags & HEAP_VERIFY_SINIT_MLE)) {
            volatile uint64_t sink = 0;
            for (uint32_t i = 0; i < v.sinit_mle.num_mdrs; i++)
                sink += heap_mdr_at(heap, &v, i).length;
            (void)sink;
        }
    }
    /* Build over the input's BiosData with a version from its first byte. */
    struct txt_heap_params p;
    memset(&p, 0, sizeof(p));
    p.os_sinit_version = 5 + (size ? data[0] % 3 : 0);
    p.evlog = p.os_sinit_version >= 6 ? (size > 1 ? data[1] % 3 : 0) : TXT_EVLOG_NONE;
    p.mle_base = 0x1000000;
    p.mle_size = 0x20000;
    p.mle_ptab = p.mle_base - mle_pt_size(p.mle_size);
    p.pmr.lo_size = 0x80000000;
    p.evlog_base = 0x2000000;
    p.evlog_size = 0x1000;
    if (heap_build(heap, size, &p, &d) == HEAP_OK && heap_verify(heap, size, 0, &v, &d) != HEAP_OK)
        abort(); /* Rensa's own output must verify */
    free(heap);
    return 0;
}
