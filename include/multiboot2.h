/* Multiboot2 Specification version 2.0: header tags in the image and the
 * tagged information structure the boot loader passes in EBX. */
#ifndef RENSA_MULTIBOOT2_H
#define RENSA_MULTIBOOT2_H

#include "rtypes.h"

#define MB2_HEADER_MAGIC 0xE85250D6u
#define MB2_BOOTLOADER_MAGIC 0x36D76289u
#define MB2_ARCH_I386 0u

/* Header tag types */
#define MB2_HTAG_END 0
#define MB2_HTAG_INFO_REQUEST 1
#define MB2_HTAG_ADDRESS 2
#define MB2_HTAG_ENTRY 3
#define MB2_HTAG_CONSOLE_FLAGS 4
#define MB2_HTAG_FRAMEBUFFER 5
#define MB2_HTAG_MODULE_ALIGN 6
#define MB2_HTAG_EFI_BS 7
#define MB2_HTAG_ENTRY_EFI32 8
#define MB2_HTAG_ENTRY_EFI64 9
#define MB2_HTAG_RELOCATABLE 10
#define MB2_HTAG_OPTIONAL 1u

/* Information tag types */
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_BOOT_LOADER_NAME 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_BASIC_MEMINFO 4
#define MB2_TAG_BOOTDEV 5
#define MB2_TAG_MMAP 6
#define MB2_TAG_VBE 7
#define MB2_TAG_FRAMEBUFFER 8
#define MB2_TAG_ELF_SECTIONS 9
#define MB2_TAG_APM 10
#define MB2_TAG_EFI32 11
#define MB2_TAG_EFI64 12
#define MB2_TAG_SMBIOS 13
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15
#define MB2_TAG_NETWORK 16
#define MB2_TAG_EFI_MMAP 17
#define MB2_TAG_EFI_BS 18
#define MB2_TAG_EFI32_IH 19
#define MB2_TAG_EFI64_IH 20
#define MB2_TAG_LOAD_BASE_ADDR 21

#define MB2_TAG_ALIGN 8u

struct mb2_header {
    uint32_t magic;
    uint32_t architecture;
    uint32_t header_length;
    uint32_t checksum;
};
_Static_assert(sizeof(struct mb2_header) == 16, "Multiboot2 header is 16 bytes");

struct mb2_info_header {
    uint32_t total_size;
    uint32_t reserved;
};
_Static_assert(sizeof(struct mb2_info_header) == 8, "Multiboot2 information header is 8 bytes");

struct mb2_tag {
    uint32_t type;
    uint32_t size;
};
_Static_assert(sizeof(struct mb2_tag) == 8, "Multiboot2 tag header is 8 bytes");

struct mb2_tag_module {
    uint32_t type;
    uint32_t size;
    uint32_t mod_start;
    uint32_t mod_end;
    /* char cmdline[] follows */
};
_Static_assert(sizeof(struct mb2_tag_module) == 16, "Multiboot2 module tag is 16 bytes + string");

struct mb2_tag_basic_meminfo {
    uint32_t type;
    uint32_t size;
    uint32_t mem_lower;
    uint32_t mem_upper;
};
_Static_assert(sizeof(struct mb2_tag_basic_meminfo) == 16, "Multiboot2 basic meminfo tag is 16 bytes");

struct mb2_tag_mmap {
    uint32_t type;
    uint32_t size;
    uint32_t entry_size;
    uint32_t entry_version;
    /* struct mb2_mmap_entry entries[] follow */
};
_Static_assert(sizeof(struct mb2_tag_mmap) == 16, "Multiboot2 mmap tag is 16 bytes + entries");

struct mb2_mmap_entry {
    uint64_t addr;
    uint64_t len;
    uint32_t type;
    uint32_t zero;
};
_Static_assert(sizeof(struct mb2_mmap_entry) == 24, "Multiboot2 mmap entry is 24 bytes");

struct mb2_tag_framebuffer {
    uint32_t type;
    uint32_t size;
    uint64_t framebuffer_addr;
    uint32_t framebuffer_pitch;
    uint32_t framebuffer_width;
    uint32_t framebuffer_height;
    uint8_t framebuffer_bpp;
    uint8_t framebuffer_type;
    uint16_t reserved;
    /* colour information follows */
} PACKED;
_Static_assert(sizeof(struct mb2_tag_framebuffer) == 32, "Multiboot2 framebuffer tag is 32 bytes + colours");

struct mb2_tag_efi_mmap {
    uint32_t type;
    uint32_t size;
    uint32_t descr_size;
    uint32_t descr_vers;
    /* EFI memory descriptors follow */
};
_Static_assert(sizeof(struct mb2_tag_efi_mmap) == 16, "Multiboot2 EFI mmap tag is 16 bytes + descriptors");

struct mb2_tag_efi64 {
    uint32_t type;
    uint32_t size;
    uint64_t pointer;
} PACKED;
_Static_assert(sizeof(struct mb2_tag_efi64) == 16, "Multiboot2 EFI64 system table tag is 16 bytes");

struct mb2_tag_efi32 {
    uint32_t type;
    uint32_t size;
    uint32_t pointer;
};
_Static_assert(sizeof(struct mb2_tag_efi32) == 12, "Multiboot2 EFI32 system table tag is 12 bytes");

/* UEFI memory descriptor (UEFI 2.x, EFI_MEMORY_DESCRIPTOR) */
struct efi_mem_desc {
    uint32_t type;
    uint32_t pad;
    uint64_t phys_start;
    uint64_t virt_start;
    uint64_t num_pages;
    uint64_t attribute;
};
_Static_assert(sizeof(struct efi_mem_desc) == 40, "EFI memory descriptor is 40 bytes");

#endif
