/* The MLE header, first in the measured region. Field meanings: include/mle.h. */
#include "mle.h"

    .section .mle_header, "a"
    .align 4
    .globl rensa_mle_header
rensa_mle_header:
    .long MLE_UUID0, MLE_UUID1, MLE_UUID2, MLE_UUID3
    .long 52                        /* header length */
    .long MLE_HEADER_VERSION_2_1
    .long _mle_entry_off            /* post-launch entry, relative to the MLE start */
    .long 0                         /* first valid page */
    .long _mle_start_off
    .long _mle_end_off
    .long MLE_CAP_RLP_WAKE_GETSEC | MLE_CAP_RLP_WAKE_MONITOR | MLE_CAP_ECX_PGTBL | MLE_CAP_TCG_EVENT_LOG
    .long 0                         /* command line start offset (none measured by SINIT yet) */
    .long 0                         /* command line end offset */
