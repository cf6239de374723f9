/* Multiboot Specification version 0.6.96: the header in the image and the
 * information structure the boot loader passes in EBX. */
#ifndef RENSA_MULTIBOOT1_H
#define RENSA_MULTIBOOT1_H

#include "rtypes.h"

#define MB1_HEADER_MAGIC 0x1BADB002u
#define MB1_BOOTLOADER_MAGIC 0x2BADB002u

#define MB1_HDR_PAGE_ALIGN (1u << 0)
#define MB1_HDR_MEMORY_INFO (1u << 1)
#define MB1_HDR_VIDEO_MODE (1u << 2)
#define MB1_HDR_AOUT_KLUDGE (1u << 16)

#define MB1_INFO_MEMORY (1u << 0)
#define MB1_INFO_BOOTDEV (1u << 1)
#define MB1_INFO_CMDLINE (1u << 2)
#define MB1_INFO_MODS (1u << 3)
#define MB1_INFO_AOUT_SYMS (1u << 4)
#define MB1_INFO_ELF_SHDR (1u << 5)
#define MB1_INFO_MEM_MAP (1u << 6)
#define MB1_INFO_DRIVE_INFO (1u << 7)
#define MB1_INFO_CONFIG_TABLE (1u << 8)
#define MB1_INFO_BOOT_LOADER_NAME (1u << 9)
#define MB1_INFO_APM_TABLE (1u << 10)
#define MB1_INFO_VBE_INFO (1u << 11)
#define MB1_INFO_FRAMEBUFFER_INFO (1u << 12)

struct mb1_header {
    uint32_t magic;
    uint32_t flags;
    uint32_t checksum;
    uint32_t header_addr;
    uint32_t load_addr;
    uint32_t load_end_addr;
    uint32_t bss_end_addr;
    uint32_t entry_addr;
    uint32_t mode_type;
    uint32_t width;
    uint32_t height;
    uint32_t depth;
};
_Static_assert(sizeof(struct mb1_header) == 48, "Multiboot1 header is 48 bytes");

struct mb1_info {
    uint32_t flags;
    uint32_t mem_lower;
    uint32_t mem_upper;
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count;
    uint32_t mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length;
    uint32_t mmap_addr;
    uint32_t drives_length;
    uint32_t drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;
    uint32_t apm_table;
    uint32_t vbe_control_info;
    uint32_t vbe_mode_info;
    uint16_t vbe_mode;
    uint16_t vbe_interface_seg;
    uint16_t vbe_interface_off;
    uint16_t vbe_interface_len;
    uint64_t framebuffer_addr;
    uint32_t framebuffer_pitch;
    uint32_t framebuffer_width;
    uint32_t framebuffer_height;
    uint8_t framebuffer_bpp;
    uint8_t framebuffer_type;
    uint8_t color_info[6];
} PACKED;
_Static_assert(sizeof(struct mb1_info) == 116, "Multiboot1 information is 116 bytes");

struct mb1_module {
    uint32_t mod_start;
    uint32_t mod_end;
    uint32_t string;
    uint32_t reserved;
};
_Static_assert(sizeof(struct mb1_module) == 16, "Multiboot1 module entry is 16 bytes");

/* 'size' counts the bytes after itself; the next entry starts at size + 4. */
struct mb1_mmap_entry {
    uint32_t size;
    uint64_t addr;
    uint64_t len;
    uint32_t type;
} PACKED;
_Static_assert(sizeof(struct mb1_mmap_entry) == 24, "Multiboot1 memory map entry is 24 bytes");

#endif
