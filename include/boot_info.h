/* What the boot loader told Rensa, copied out of the Multiboot1 or
 * Multiboot2 information into memory Rensa owns, so that moving modules or
 * placing the kernel can never clobber it. */
#ifndef RENSA_BOOT_INFO_H
#define RENSA_BOOT_INFO_H

#include "diag.h"
#include "memmap.h"
#include "rtypes.h"

#define BOOT_MODS_MAX 32u
#define BOOT_STRING_POOL 16384u
#define BOOT_CMDLINE_MAX 4096u /* longest command line accepted */
#define BOOT_EFI_MMAP_MAX 8192u  /* bytes of EFI memory map kept */

struct boot_module {
    paddr_t start;
    paddr_t end; /* exclusive */
    const char *cmdline; /* in the string pool; never NULL */
};

struct boot_framebuffer {
    bool present;
    uint64_t addr;
    uint32_t pitch, width, height;
    uint8_t bpp, type; /* type: 0 indexed, 1 RGB, 2 EGA text */
};

struct boot_info {
    unsigned mb_version; /* 1 or 2 */
    paddr_t info_base, info_size; /* where the loader's structure was */
    const char *cmdline; /* Rensa's own command line; never NULL */
    const char *loader_name; /* never NULL */

    bool has_meminfo;
    uint32_t mem_lower_kb, mem_upper_kb;

    struct memmap mmap; /* from the e820-style map, or from the EFI map */
    bool mmap_from_efi;

    struct boot_module mods[BOOT_MODS_MAX];
    unsigned mod_count;

    uint8_t rsdp[36]; /* copy of the ACPI RSDP, if any */
    unsigned rsdp_len; /* 0 = none, 20 = ACPI 1.0, 36 = ACPI 2.0+ */

    struct boot_framebuffer fb;

    bool efi; /* booted from UEFI (an EFI system table tag) */
    uint64_t efi_systab;
    bool efi_bs_active; /* EFI boot services not terminated */
    uint32_t efi_desc_size, efi_desc_version;
    uint32_t efi_mmap_len;
    uint8_t efi_mmap[BOOT_EFI_MMAP_MAX];

    char pool[BOOT_STRING_POOL];
    size_t pool_used;
};

/* Parse the information structure the loader passed; magic is EAX. */
enum rensa_err boot_info_parse(uint32_t magic, paddr_t info, struct boot_info *bi, struct diag *d);
enum rensa_err mb1_parse(paddr_t info, struct boot_info *bi, struct diag *d);
enum rensa_err mb2_parse(paddr_t info, struct boot_info *bi, struct diag *d);

/* Copy a bounded string from physical memory into the pool. */
enum rensa_err boot_info_string(struct boot_info *bi, paddr_t addr, const char *what, const char **out,
                                struct diag *d);
/* Copy an in-memory string of length n into the pool. */
enum rensa_err boot_info_strdup(struct boot_info *bi, const char *s, size_t n, const char *what,
                                const char **out, struct diag *d);

#endif
