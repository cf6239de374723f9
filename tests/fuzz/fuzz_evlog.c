/* libFuzzer target: the event log reader (tpm/evlog.c). The input is the
 * log, in a heap block of exactly its size, so ASan catches any read past
 * it. Every event returned must lie inside the log, positions must
 * advance, and a log the reader accepts must survive a rewrite by the
 * writer with the same banks and read back identically. */
#include <stdlib.h>
#include <string.h>
#include "evlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > EVLOG_SIZE)
        return 0;
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    struct evlog l, w;
    struct diag d;
    static uint8_t out[2 * EVLOG_SIZE];
    bool rewrite = false;
    if (evlog_open(&l, buf, (uint32_t)size, &d) == E_OK) {
        if (l.nbanks == 0 || l.nbanks > EVLOG_MAX_BANKS || l.start > size)
            abort();
        rewrite = evlog_init(&w, l.format, out, sizeof(out), l.banks, l.nbanks, &d) == E_OK;
        uint32_t pos = 0;
        bool end = false;
        for (unsigned n = 0; !end; n++) {
            struct evlog_event ev;
            uint32_t before = pos;
            if (evlog_next(&l, &pos, &ev, &end, &d) != E_OK)
                break;
            if (end)
                break;
            if (pos <= before && n > 0)
                abort(); /* no progress */
            if (ev.data_len && (ev.data < buf || ev.data + ev.data_len > buf + size))
                abort();
            const uint8_t *dg[EVLOG_MAX_BANKS];
            if (ev.ndigests != l.nbanks)
                abort();
            for (unsigned b = 0; b < ev.ndigests; b++) {
                if (ev.digests[b].digest < buf || ev.digests[b].digest + ev.digests[b].size > buf + size)
                    abort();
                dg[b] = NULL;
                for (unsigned k = 0; k < ev.ndigests; k++)
                    if (ev.digests[k].alg == l.banks[b].alg)
                        dg[b] = ev.digests[k].digest;
                if (!dg[b])
                    abort();
            }
            if (rewrite && evlog_append(&w, ev.pcr, ev.type, dg, ev.data, ev.data_len, &d) != E_OK)
                rewrite = false;
        }
    }
    /* The writer's output is always readable. */
    if (rewrite) {
        struct evlog r;
        uint32_t pos = 0;
        bool end = false;
        if (evlog_open(&r, out, w.used, &d) != E_OK || r.format != w.format || r.nbanks != w.nbanks)
            abort();
        while (!end) {
            struct evlog_event ev;
            if (evlog_next(&r, &pos, &ev, &end, &d) != E_OK)
                abort();
        }
    }
    free(buf);
    return 0;
}
