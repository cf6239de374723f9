/* The measurement event log Rensa hands to the OS, in the TCG formats:
 * TPM 1.2: a list of TCG_PCR_EVENT (TCG PC Client Specific Implementation
 * Specification for Conventional BIOS, "TCG_PCClientPCREventStruct");
 * TPM 2.0: the crypto-agile format of the TCG PC Client Platform Firmware
 * Profile (a TCG_PCR_EVENT carrying TCG_EfiSpecIDEvent "Spec ID Event03",
 * then TCG_PCR_EVENT2 records with a digest for every bank). All fields are
 * little-endian. docs/measurements.md defines every Rensa event. */
#ifndef RENSA_EVLOG_H
#define RENSA_EVLOG_H

#include "diag.h"
#include "rtypes.h"

#define EV_NO_ACTION 0x00000003u

/* Rensa's event types (docs/measurements.md). */
#define EV_RENSA_NO_DRTM 0x00000601u
#define EV_RENSA_POLICY 0x00000602u
#define EV_RENSA_KERNEL 0x00000603u
#define EV_RENSA_KERNEL_CMDLINE 0x00000604u
#define EV_RENSA_MODULE 0x00000605u
#define EV_RENSA_MODULE_CMDLINE 0x00000606u
#define EV_RENSA_S3_RESUME 0x00000607u /* after an S3 re-launch, instead of events 3-6 */

#define EVLOG_SPEC_ID_SIGNATURE "Spec ID Event03"
#define EVLOG_MAX_BANKS 8u
#define EVLOG_DIGEST_MAX 64u
#define EVLOG_SIZE 65536u /* bytes Rensa reserves for the log */

enum evlog_format {
    EVLOG_TPM12 = 1, /* TCG_PCR_EVENT, SHA-1 only */
    EVLOG_AGILE = 2, /* crypto-agile, TPM 2.0 */
};

/* TCG_PCR_EVENT (fixed part); event data follows. */
struct tcg_pcr_event {
    uint32_t pcr_index;
    uint32_t event_type;
    uint8_t digest[20];
    uint32_t event_size;
} PACKED;
_Static_assert(sizeof(struct tcg_pcr_event) == 32, "TCG_PCR_EVENT header is 32 bytes");

/* TCG_EfiSpecIDEvent (fixed part); algorithm sizes and vendor info follow. */
struct tcg_spec_id_event {
    char signature[16];
    uint32_t platform_class;
    uint8_t spec_version_minor;
    uint8_t spec_version_major;
    uint8_t spec_errata;
    uint8_t uintn_size;
    uint32_t number_of_algorithms;
} PACKED;
_Static_assert(sizeof(struct tcg_spec_id_event) == 28, "TCG_EfiSpecIDEvent fixed part is 28 bytes");

struct tcg_alg_size {
    uint16_t alg_id;
    uint16_t digest_size;
} PACKED;
_Static_assert(sizeof(struct tcg_alg_size) == 4, "TCG_EfiSpecIdEventAlgorithmSize is 4 bytes");

/* One bank of the log: TPM algorithm id and digest size. */
struct evlog_bank {
    uint16_t alg;
    uint16_t size;
};

/* A log being written into a buffer (the loader) or read (the host). */
struct evlog {
    enum evlog_format format;
    uint8_t *buf;
    uint32_t size; /* capacity */
    uint32_t used; /* writer: bytes written; reader: the log's size */
    uint32_t start; /* reader: offset of the first event after the Spec ID event */
    unsigned nbanks;
    struct evlog_bank banks[EVLOG_MAX_BANKS]; /* TPM 1.2: one SHA-1 bank */
};

/* Start a log in buf: TPM 1.2 takes exactly one SHA-1 bank; the agile
 * format writes the Spec ID event listing every bank. */
enum rensa_err evlog_init(struct evlog *l, enum evlog_format f, uint8_t *buf, uint32_t size,
                          const struct evlog_bank *banks, unsigned nbanks, struct diag *d);
/* Append one event; digests[i] is for banks[i] (TPM 1.2: digests[0]).
 * E_EVLOG_FULL when it does not fit (nothing is written then). */
enum rensa_err evlog_append(struct evlog *l, uint32_t pcr, uint32_t type, const uint8_t *const *digests,
                            const void *data, uint32_t data_len, struct diag *d);

/* Continue a log that someone else (SINIT) added records to: l was set
 * up by evlog_init over the same buffer; the records in [l->used, used)
 * are parsed, must be well formed and carry exactly l's banks, and the
 * writer then appends after them. */
enum rensa_err evlog_adopt(struct evlog *l, uint32_t used, struct diag *d);

/* TXT event types (Intel TXT Software Development Guide, "Event Log"). */
#define EV_TXT_HASH_START 0x00000402u
#define EV_TXT_MLE_HASH 0x00000404u
#define EV_TXT_BIOSAC_REG_DATA 0x0000040Au

/* One parsed event (pointers into the log). */
struct evlog_event {
    uint32_t pcr;
    uint32_t type;
    unsigned ndigests;
    struct {
        uint16_t alg;
        uint16_t size;
        const uint8_t *digest;
    } digests[EVLOG_MAX_BANKS];
    const uint8_t *data;
    uint32_t data_len;
    uint32_t offset; /* of the event in the log */
};

/* Reader: evlog_open detects the format (a Spec ID event first means
 * agile) and fills l->banks; evlog_next returns E_OK with an event,
 * and sets *end at the end of the log; a malformed record is an error
 * naming its offset. A run of zero bytes after the last event ends the log.
 * Start with *pos = 0: the Spec ID event is not returned as an event (its
 * content is l->banks); *pos then advances past each event returned. The
 * reader never reads outside buf[0..size). */
enum rensa_err evlog_open(struct evlog *l, const uint8_t *buf, uint32_t size, struct diag *d);
enum rensa_err evlog_next(struct evlog *l, uint32_t *pos, struct evlog_event *ev, bool *end, struct diag *d);

#endif
