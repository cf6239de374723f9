/* Authenticated Code modules (Intel TXT Software Development Guide,
 * appendix A "Intel TXT Execution Technology Authenticated Code Modules").
 *
 *   acm_is_sinit   a quick recogniser, so a SINIT module is never handed to
 *                  the kernel (loader/main.c)
 *   acm_parse      parses and validates the header, the information table
 *                  and its lists (table versions 3..9, the TLV form of 9)
 *   acm_match      checks a parsed SINIT against a platform (struct
 *                  acm_platform) and Rensa's MLE requirements
 *   acm_choose     picks the newest compatible SINIT among the modules and
 *                  the BIOS copy in the SINIT region, with a reason for
 *                  every candidate that lost
 *   acm_install    copies the chosen module to TXT.SINIT.BASE
 *
 * Everything here is portable C without console output: results and
 * reasons come back in the structures below and in struct diag. The host
 * command (`rensa acm`) and the unit tests run the same code. */
#ifndef RENSA_ACM_H
#define RENSA_ACM_H

#include "diag.h"
#include "rtypes.h"

#define ACM_MODULE_TYPE_CHIPSET 2u
#define ACM_VENDOR_INTEL 0x8086u
/* The stand-in SINIT of the emulated launch (docs/emulated-launch.md):
 * only a test build (RENSA_EMULATED_LAUNCH) accepts this vendor. */
#define ACM_VENDOR_RENSA_STANDIN 0x52534E41u
#define ACM_TYPE_SINIT 1u

/* module_subtype bits */
#define ACM_SUBTYPE_RESET (1u << 0) /* may execute at reset */
#define ACM_SUBTYPE_ANC (1u << 1) /* ANC module (Boot Guard) */

/* header_version */
#define ACM_HDR_VER_0_0 0x00000000u /* RSA-2048 key, exponent, signature */
#define ACM_HDR_VER_3_0 0x00030000u /* RSA-3072 key and signature, no exponent */

/* flags */
#define ACM_FLAG_PREPRODUCTION (1u << 14)
#define ACM_FLAG_DEBUG_SIGNED (1u << 15)

struct acm_header {
    uint16_t module_type;
    uint16_t module_subtype;
    uint32_t header_len; /* in 4-byte units */
    uint32_t header_version;
    uint16_t chipset_id;
    uint16_t flags;
    uint32_t module_vendor;
    uint32_t date; /* BCD yyyymmdd */
    uint32_t size; /* in 4-byte units */
    uint16_t txt_svn;
    uint16_t se_svn;
    uint32_t code_control;
    uint32_t error_entry_point;
    uint32_t gdt_limit;
    uint32_t gdt_base;
    uint32_t seg_sel;
    uint32_t entry_point;
    uint8_t reserved2[64];
    uint32_t key_size; /* in 4-byte units */
    uint32_t scratch_size; /* in 4-byte units */
    /* RSA public key, exponent (header v0.0 only), signature, scratch follow */
};
_Static_assert(sizeof(struct acm_header) == 128, "ACM header fixed part is 128 bytes");

/* True when the len bytes at p carry a chipset AC module header from Intel
 * whose sizes fit in len, and whose information table (when inside len)
 * says SINIT. A recogniser only: acm_parse does the validation. */
bool acm_is_sinit(const void *p, uint64_t len);

/* ---------------------------------------------------------------- info table */

/* 7FC03AAA-46A7-18DB-AC2E-698F8D417F5A as stored in the module */
#define ACM_UUID_V3_BYTES                                                              \
    {0xaa, 0x3a, 0xc0, 0x7f, 0xa7, 0x46, 0xdb, 0x18, 0x2e, 0xac, 0x69, 0x8f, 0x8d, 0x41, \
     0x7f, 0x5a}

/* chipset_acm_type */
#define ACM_CHIPSET_TYPE_BIOS 0u
#define ACM_CHIPSET_TYPE_SINIT 1u
#define ACM_CHIPSET_TYPE_BIOS_REVOC 8u
#define ACM_CHIPSET_TYPE_SINIT_REVOC 9u

/* capabilities (same bits as the MLE header's, include/mle.h) */
#define ACM_CAP_RLP_WAKE_GETSEC (1u << 0)
#define ACM_CAP_RLP_WAKE_MONITOR (1u << 1)
#define ACM_CAP_ECX_PGTBL (1u << 2)
#define ACM_CAP_STM (1u << 3)
#define ACM_CAP_PCR_MAP_NO_LEGACY (1u << 4)
#define ACM_CAP_PCR_MAP_DA (1u << 5)
#define ACM_CAP_PLATFORM_TYPE_SHIFT 6
#define ACM_CAP_PLATFORM_TYPE_MASK (3u << 6)
#define ACM_CAP_MAX_PHY_ADDR (1u << 8)
#define ACM_CAP_TCG_EVENT_LOG (1u << 9)
#define ACM_CAP_CBNT (1u << 10)
#define ACM_CAP_TPR (1u << 14)

/* platform type (capabilities bits 7:6, BiosData flags) */
#define ACM_PLATFORM_LEGACY 0u /* not stated */
#define ACM_PLATFORM_CLIENT 1u
#define ACM_PLATFORM_SERVER 2u

/* TPM info list capabilities */
#define ACM_TPM_EXT_POLICY_MASK 3u /* bits 1:0 */
#define ACM_TPM_EXT_POLICY_AGILE 1u /* TPM does the hashing (algorithm-agile commands) */
#define ACM_TPM_EXT_POLICY_EMBEDDED 2u /* SINIT hashes in software (embedded algorithms) */
#define ACM_TPM_FAMILY_SHIFT 2 /* bits 5:2 */
#define ACM_TPM_FAMILY_MASK (0xfu << 2)
#define ACM_TPM_FAMILY_DTPM12 (1u << 0) /* in the 4-bit family field */
#define ACM_TPM_FAMILY_DTPM20 (1u << 1)
#define ACM_TPM_FAMILY_PTT20 (1u << 3)
#define ACM_TPM_NV_INDEX_SET (1u << 6)

/* TPM algorithm IDs (TCG) */
#define ACM_ALG_SHA1 0x0004u
#define ACM_ALG_SHA256 0x000bu
#define ACM_ALG_SHA384 0x000cu
#define ACM_ALG_SHA512 0x000du
#define ACM_ALG_SM3_256 0x0012u

/* Information table version 9 lists: {id, size (whole entry), revision},
 * then the list itself; TERM ends them. IDs are four ASCII letters read as
 * a big-endian number. */
#define ACM_TLV_CS1L 0x4353314cu /* chipset ID list */
#define ACM_TLV_CS2L 0x4353324cu /* chipset ID list with device ID register masks */
#define ACM_TLV_CPUL 0x4350554cu /* processor ID list */
#define ACM_TLV_TPML 0x54504d4cu /* TPM info list */
#define ACM_TLV_VERL 0x5645524cu /* version list (not used by Rensa) */
#define ACM_TLV_TERM 0x4e554c4cu /* end of the lists */
#define ACM_TLV_HDR_LEN 12u

/* Size of the table's fixed fields by version. */
#define ACM_INFO_LEN_V3 40u
#define ACM_INFO_LEN_V4 44u
#define ACM_INFO_LEN_V5 48u
#define ACM_INFO_MIN_VERSION 3u
#define ACM_INFO_MAX_VERSION 9u

struct acm_info_table {
    uint8_t uuid[16];
    uint8_t chipset_acm_type;
    uint8_t version;
    uint16_t length;
    uint32_t chipset_id_list; /* offset from the module start */
    uint32_t os_sinit_data_ver;
    uint32_t min_mle_hdr_ver;
    uint32_t capabilities;
    uint8_t acm_ver;
    uint8_t acm_revision[3];
    uint32_t processor_id_list; /* version >= 4 */
    uint32_t tpm_info_list; /* version >= 5 */
};
_Static_assert(sizeof(struct acm_info_table) == ACM_INFO_LEN_V5, "ACM info table is 48 bytes");

struct acm_chipset_id {
    uint32_t flags; /* bit 0: revision_id is a mask */
    uint16_t vendor_id;
    uint16_t device_id;
    uint16_t revision_id;
    uint16_t register_mask; /* CS2L: device ID mask; reserved elsewhere */
    uint32_t extended_id;
};
_Static_assert(sizeof(struct acm_chipset_id) == 16, "chipset ID entry is 16 bytes");
#define ACM_CHIPSET_FLAG_REVISION_MASK (1u << 0)

struct acm_processor_id {
    uint32_t fms;
    uint32_t fms_mask;
    uint64_t platform_id;
    uint64_t platform_mask;
};
_Static_assert(sizeof(struct acm_processor_id) == 24, "processor ID entry is 24 bytes");

/* ---------------------------------------------------------------- reasons */

/* Why a module is rejected: a stable name (docs/sinit.md lists every one),
 * the error code it maps to and a short meaning. The diag message adds the
 * numbers. */
#define ACM_REASONS(X)                                                                        \
    X(ACM_OK, E_OK, "usable")                                                                 \
    X(ACM_R_NULL, E_ACM_MALFORMED, "the module is not addressable")                           \
    X(ACM_R_TOO_SMALL, E_ACM_MALFORMED, "shorter than the 128-byte AC module header")         \
    X(ACM_R_MODULE_TYPE, E_ACM_MALFORMED, "not a chipset AC module (module type is not 2)")    \
    X(ACM_R_VENDOR, E_ACM_MALFORMED, "module vendor is not Intel (0x8086)")                  \
    X(ACM_R_SIZE_ZERO, E_ACM_MALFORMED, "header gives a module size of zero")                 \
    X(ACM_R_TRUNCATED, E_ACM_MALFORMED, "the file is shorter than the module size in its header") \
    X(ACM_R_SIZE_ALIGN, E_ACM_MALFORMED, "module size is not a multiple of 64 bytes")        \
    X(ACM_R_HEADER_VERSION, E_ACM_MALFORMED, "unknown header version (Rensa knows 0.0 and 3.0)") \
    X(ACM_R_HEADER_LEN, E_ACM_MALFORMED, "header length does not fit its key and signature or the module") \
    X(ACM_R_KEY_SIZE, E_ACM_MALFORMED, "key size does not match the header version")          \
    X(ACM_R_SCRATCH, E_ACM_MALFORMED, "header plus scratch area run past the module end")     \
    X(ACM_R_ENTRY, E_ACM_MALFORMED, "entry point is outside the module")                      \
    X(ACM_R_GDT, E_ACM_MALFORMED, "GDT lies outside the module")                              \
    X(ACM_R_SEG_SEL, E_ACM_MALFORMED, "segment selector is null, not GDT ring 0, or past the GDT limit") \
    X(ACM_R_INFO_PAST_END, E_ACM_MALFORMED, "information table runs past the module end")     \
    X(ACM_R_UUID, E_ACM_MALFORMED, "information table UUID is not ACM_UUID_V3")               \
    X(ACM_R_INFO_VERSION, E_ACM_MALFORMED, "information table version outside 3..9")          \
    X(ACM_R_INFO_LENGTH, E_ACM_MALFORMED, "information table length too small for its version or past the end") \
    X(ACM_R_LIST_OFFSET, E_ACM_MALFORMED, "a list offset points outside the module")         \
    X(ACM_R_LIST_COUNT, E_ACM_MALFORMED, "a list's entries run past the module end")         \
    X(ACM_R_LIST_EMPTY, E_ACM_MALFORMED, "a chipset or processor list has no entries")        \
    X(ACM_R_TLV_SIZE, E_ACM_MALFORMED, "a version 9 list entry has a bad size")               \
    X(ACM_R_TLV_NO_TERM, E_ACM_MALFORMED, "version 9 lists do not end with TERM")              \
    X(ACM_R_TLV_DUPLICATE, E_ACM_MALFORMED, "a version 9 list appears twice")                 \
    X(ACM_R_TLV_MISSING, E_ACM_MALFORMED, "a version 9 table without a chipset list")         \
    X(ACM_R_NOT_SINIT, E_ACM_NOT_SINIT, "an AC module, but not a SINIT")                      \
    X(ACM_R_DEBUG_MISMATCH, E_ACM_MISMATCH, "debug-signed vs production-fused mismatch")      \
    X(ACM_R_CHIPSET, E_ACM_MISMATCH, "no chipset ID entry matches TXT.DIDVID")                \
    X(ACM_R_PROCESSOR, E_ACM_MISMATCH, "no processor ID entry matches CPUID and IA32_PLATFORM_ID") \
    X(ACM_R_PLATFORM_TYPE, E_ACM_MISMATCH, "client SINIT on a server platform or the reverse") \
    X(ACM_R_TPM_FAMILY, E_ACM_MISMATCH, "SINIT does not support this platform's TPM family")  \
    X(ACM_R_TPM_ALG, E_ACM_MISMATCH, "SINIT supports none of the TPM's hash algorithms")      \
    X(ACM_R_OS_SINIT_VER, E_ACM_MISMATCH, "SINIT's OS-to-SINIT data version is older than Rensa needs") \
    X(ACM_R_MLE_HDR_VER, E_ACM_MISMATCH, "SINIT needs a newer MLE header than Rensa's")        \
    X(ACM_R_RLP_WAKE, E_ACM_MISMATCH, "SINIT and Rensa share no way to wake the other CPUs")  \
    X(ACM_R_MAX_SIZE, E_ACM_MISMATCH, "larger than this processor's maximum AC module size")   \
    X(ACM_R_REGION_SIZE, E_ACM_REGION, "larger than the TXT SINIT region (TXT.SINIT.SIZE)")    \
    X(ACM_R_OVERLAP, E_ACM_OVERLAP, "overlaps another module, or the SINIT region it would be copied to") \
    X(ACM_R_OVERWRITTEN, E_ACM_OVERLAP, "BIOS copy ignored: a module was loaded over the SINIT region") \
    X(ACM_R_OLDER, E_ACM_MISMATCH, "compatible, but another SINIT is newer")

enum acm_reason {
#define ACM_REASON_ENUM(name, err, text) name,
    ACM_REASONS(ACM_REASON_ENUM)
#undef ACM_REASON_ENUM
        ACM_REASON_COUNT
};

const char *acm_reason_name(enum acm_reason r);
const char *acm_reason_text(enum acm_reason r);
enum rensa_err acm_reason_err(enum acm_reason r);
/* Records r in d (if non-NULL) as "NAME: detail"; returns r. */
enum acm_reason acm_reason_set(struct diag *d, enum acm_reason r, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* ---------------------------------------------------------------- parsing */

struct acm_list {
    uint32_t off; /* of the first entry, from the module start; 0 = absent */
    uint32_t count;
    bool present;
};

struct acm {
    const uint8_t *base;
    uint64_t file_len; /* bytes available at base */
    uint32_t size; /* module size in bytes (header size * 4) */
    struct acm_header hdr;
    uint32_t header_bytes; /* header_len * 4 */
    uint32_t key_off, key_len; /* RSA public key modulus */
    uint32_t exp_off; /* RSA exponent (header 0.0), 0 when absent */
    uint32_t exponent;
    uint32_t sig_off, sig_len; /* RSA signature */
    uint32_t scratch_off, scratch_len;
    uint32_t info_off;
    struct acm_info_table info;
    /* Lists: legacy offsets for versions < 9, TLV entries for version 9. */
    struct acm_list chipsets; /* legacy list or CS1L */
    struct acm_list chipsets2; /* CS2L (version 9) */
    struct acm_list processors; /* version >= 4 */
    struct acm_list tpm_algs; /* version >= 5: entries are uint16_t */
    uint32_t tpm_caps;
    bool has_tpm_info;
    uint32_t tlv_unknown; /* version 9 entries Rensa skipped (e.g. VERL) */
};

/* Parses and validates the len bytes at p. On success returns ACM_OK with
 * *a filled in; otherwise the reason, with d (if non-NULL) naming the
 * numbers. The lists are checked to lie inside the module. A non-SINIT
 * AC module parses fully but returns ACM_R_NOT_SINIT. */
enum acm_reason acm_parse(const void *p, uint64_t len, struct acm *a, struct diag *d);

/* Entry i of a list (i < list->count). */
struct acm_chipset_id acm_chipset_at(const struct acm *a, const struct acm_list *l, uint32_t i);
struct acm_processor_id acm_processor_at(const struct acm *a, uint32_t i);
uint16_t acm_tpm_alg_at(const struct acm *a, uint32_t i);

/* Platform type (ACM_PLATFORM_*) from the capabilities; 0 before version 5. */
unsigned acm_platform_type(const struct acm *a);

/* Names for the decoders (never NULL). */
const char *acm_chipset_type_name(uint8_t t);
const char *acm_alg_name(uint16_t alg);
const char *acm_platform_type_name(unsigned t);
/* True when date is a valid BCD yyyymmdd. */
bool acm_date_valid(uint32_t date);

/* ---------------------------------------------------------------- matching */

/* What the platform is. Filled by acm_platform_read on the machine, or by
 * the caller (host tool, tests). */
struct acm_platform {
    uint64_t didvid; /* TXT.DIDVID: vendor 15:0, device 31:16, revision 47:32 */
    uint64_t ver_fsbif; /* TXT.VER.FSBIF; all ones or zero = use QPIIF */
    uint64_t ver_qpiif; /* TXT.VER.QPIIF */
    uint32_t fms; /* CPUID.1:EAX */
    uint64_t platform_id; /* IA32_PLATFORM_ID MSR */
    unsigned platform_type; /* ACM_PLATFORM_*: from BiosData; LEGACY = not checked */
    unsigned tpm_family; /* ACM_TPM_FAMILY_* bits; 0 = not checked */
    unsigned n_tpm_algs; /* PCR banks the TPM has; 0 = not checked */
    uint16_t tpm_algs[8];
    uint32_t acm_max_size; /* GETSEC[PARAMETERS]; 0 = not checked */
};

/* How the machine is read: TXT public registers, CPUID, MSRs. */
struct acm_platform_ops {
    void *ctx;
    uint64_t (*txt_read)(void *ctx, uint32_t reg); /* offset in the public space */
    uint32_t (*cpuid1_eax)(void *ctx);
    uint64_t (*rdmsr)(void *ctx, uint32_t msr);
};
#define ACM_TXT_DIDVID 0x110u
#define ACM_TXT_VER_FSBIF 0x100u
#define ACM_TXT_VER_QPIIF 0x200u
#define ACM_TXT_SINIT_BASE 0x270u
#define ACM_TXT_SINIT_SIZE 0x278u
#define ACM_MSR_PLATFORM_ID 0x17u

/* Fills the register, CPUID and MSR fields of *p; the rest is left alone. */
void acm_platform_read(const struct acm_platform_ops *ops, struct acm_platform *p);

/* True when the chipset is production-fused (VER.FSBIF, else VER.QPIIF, bit 31). */
bool acm_platform_production(const struct acm_platform *p);

/* What Rensa's MLE offers. */
struct acm_mle_req {
    uint32_t os_sinit_min, os_sinit_max; /* OS-to-SINIT data versions Rensa can write */
    uint32_t mle_hdr_ver; /* Rensa's MLE header version */
    uint32_t mle_caps; /* Rensa's MLE header capabilities */
};
/* Rensa's own values (the MLE header in txt/mle_header.S). */
#define ACM_RENSA_OS_SINIT_MIN 5u
#define ACM_RENSA_OS_SINIT_MAX 7u
void acm_mle_req_default(struct acm_mle_req *r);

struct acm_match_result {
    enum acm_reason reason;
    uint32_t os_sinit_ver; /* the version Rensa will write, when matched */
    int chipset_entry; /* index of the matching entry, -1 when none */
    int chipset2_entry;
    int processor_entry;
};

/* Checks a parsed SINIT against the platform in the order a person would
 * fix them: production/debug, chipset, processor, client/server, TPM,
 * versions, wake-up, size. */
enum acm_reason acm_match(const struct acm *a, const struct acm_platform *p, const struct acm_mle_req *r,
                          struct acm_match_result *m, struct diag *d);

/* ---------------------------------------------------------------- choosing */

#define ACM_MAX_CANDIDATES 33 /* 32 boot modules and the BIOS copy */

enum acm_source { ACM_SRC_MODULE, ACM_SRC_BIOS };

struct acm_candidate {
    enum acm_source source;
    unsigned index; /* boot module number */
    const void *p; /* the bytes (may be NULL: not addressable) */
    uint64_t len;
    paddr_t phys; /* where they are in physical memory */
    /* results */
    enum acm_reason reason;
    struct diag why;
    struct acm acm;
    struct acm_match_result match;
};

struct acm_region {
    paddr_t base; /* TXT.SINIT.BASE */
    uint64_t size; /* TXT.SINIT.SIZE */
    uint64_t bios_sinit_size; /* BiosData.BiosSinitSize: 0 = no BIOS copy */
};

struct acm_choice {
    int chosen; /* index into the candidate array, -1 when none */
    bool copy_needed; /* false when the choice already sits at SINIT.BASE */
    struct diag why; /* a sentence for the choice or for having none */
};

/* Considers every candidate: parse, match, overlap and fit checks, then
 * the newest compatible one wins: higher TXT SVN, then higher ACM version
 * and revision, then later date; on a tie the BIOS copy (no copy needed),
 * then the lower module number. Each other candidate's reason says why it
 * lost. The BIOS copy must be candidate 0 when present. */
enum rensa_err acm_choose(struct acm_candidate *c, unsigned n, const struct acm_region *region,
                          const struct acm_platform *p, const struct acm_mle_req *r, struct acm_choice *out);

/* Fills c[0] with the BIOS copy when region->bios_sinit_size is non-zero
 * (p = bytes of the SINIT region) and returns the number of candidates
 * written (0 or 1). */
unsigned acm_bios_candidate(struct acm_candidate *c, const void *region_bytes, const struct acm_region *region);

/* Copies the chosen module into the SINIT region (dst = its bytes, of
 * region->size). Checks the fit first; the source may overlap dst. */
enum rensa_err acm_install(const struct acm_candidate *c, void *dst, const struct acm_region *region,
                           struct diag *d);

#endif
