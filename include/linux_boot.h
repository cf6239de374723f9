/* The x86 Linux boot protocol (Documentation/arch/x86/boot.rst and
 * zero-page.rst): the setup header in a bzImage and the zero page
 * (struct boot_params) handed to the 32-bit entry point. Only the fields
 * Rensa uses are named; the rest is padding at the documented offsets. */
#ifndef RENSA_LINUX_BOOT_H
#define RENSA_LINUX_BOOT_H

#include "rtypes.h"

#define LINUX_BOOT_FLAG 0xAA55u /* at 0x1fe */
#define LINUX_HDRS_MAGIC "HdrS" /* at 0x202 */
#define LINUX_HDR_OFFSET 0x1f1u
#define LINUX_HDR_END_MAX 0x290u /* the header may grow up to edd_mbr_sig_buffer */
#define LINUX_LOADED_HIGH (1u << 0) /* loadflags: protected-mode code at 0x100000 (bzImage) */
#define LINUX_TYPE_OF_LOADER_UNKNOWN 0xffu
#define LINUX_E820_MAX 128u
#define VIDEO_TYPE_VGAC 0x22u
#define VIDEO_TYPE_VLFB 0x23u
#define VIDEO_CAPABILITY_64BIT_BASE (1u << 1)

struct setup_header {
    uint8_t setup_sects; /* 0x1f1 */
    uint16_t root_flags; /* 0x1f2 */
    uint32_t syssize; /* 0x1f4: protected-mode code in 16-byte units */
    uint16_t ram_size; /* 0x1f8 */
    uint16_t vid_mode; /* 0x1fa */
    uint16_t root_dev; /* 0x1fc */
    uint16_t boot_flag; /* 0x1fe */
    uint16_t jump; /* 0x200 */
    uint32_t header; /* 0x202 */
    uint16_t version; /* 0x206 */
    uint32_t realmode_swtch; /* 0x208 */
    uint16_t start_sys_seg; /* 0x20c */
    uint16_t kernel_version; /* 0x20e */
    uint8_t type_of_loader; /* 0x210 */
    uint8_t loadflags; /* 0x211 */
    uint16_t setup_move_size; /* 0x212 */
    uint32_t code32_start; /* 0x214 */
    uint32_t ramdisk_image; /* 0x218 */
    uint32_t ramdisk_size; /* 0x21c */
    uint32_t bootsect_kludge; /* 0x220 */
    uint16_t heap_end_ptr; /* 0x224 */
    uint8_t ext_loader_ver; /* 0x226 */
    uint8_t ext_loader_type; /* 0x227 */
    uint32_t cmd_line_ptr; /* 0x228 */
    uint32_t initrd_addr_max; /* 0x22c */
    uint32_t kernel_alignment; /* 0x230 */
    uint8_t relocatable_kernel; /* 0x234 */
    uint8_t min_alignment; /* 0x235 */
    uint16_t xloadflags; /* 0x236 */
    uint32_t cmdline_size; /* 0x238 */
    uint32_t hardware_subarch; /* 0x23c */
    uint64_t hardware_subarch_data; /* 0x240 */
    uint32_t payload_offset; /* 0x248 */
    uint32_t payload_length; /* 0x24c */
    uint64_t setup_data; /* 0x250 */
    uint64_t pref_address; /* 0x258 */
    uint32_t init_size; /* 0x260 */
    uint32_t handover_offset; /* 0x264 */
    uint32_t kernel_info_offset; /* 0x268 */
} PACKED;
_Static_assert(sizeof(struct setup_header) == 0x26c - 0x1f1, "setup header spans 0x1f1..0x26c");
_Static_assert(offsetof(struct setup_header, header) == 0x202 - 0x1f1, "HdrS at 0x202");
_Static_assert(offsetof(struct setup_header, version) == 0x206 - 0x1f1, "version at 0x206");
_Static_assert(offsetof(struct setup_header, code32_start) == 0x214 - 0x1f1, "code32_start at 0x214");
_Static_assert(offsetof(struct setup_header, cmd_line_ptr) == 0x228 - 0x1f1, "cmd_line_ptr at 0x228");
_Static_assert(offsetof(struct setup_header, cmdline_size) == 0x238 - 0x1f1, "cmdline_size at 0x238");
_Static_assert(offsetof(struct setup_header, pref_address) == 0x258 - 0x1f1, "pref_address at 0x258");
_Static_assert(offsetof(struct setup_header, init_size) == 0x260 - 0x1f1, "init_size at 0x260");

struct screen_info {
    uint8_t orig_x; /* 0x00 */
    uint8_t orig_y; /* 0x01 */
    uint16_t ext_mem_k; /* 0x02 */
    uint16_t orig_video_page; /* 0x04 */
    uint8_t orig_video_mode; /* 0x06 */
    uint8_t orig_video_cols; /* 0x07 */
    uint8_t flags; /* 0x08 */
    uint8_t unused2; /* 0x09 */
    uint16_t orig_video_ega_bx; /* 0x0a */
    uint16_t unused3; /* 0x0c */
    uint8_t orig_video_lines; /* 0x0e */
    uint8_t orig_video_isVGA; /* 0x0f: 1 = VGA text, or a VIDEO_TYPE_ */
    uint16_t orig_video_points; /* 0x10: font height */
    uint16_t lfb_width; /* 0x12 */
    uint16_t lfb_height; /* 0x14 */
    uint16_t lfb_depth; /* 0x16 */
    uint32_t lfb_base; /* 0x18 */
    uint32_t lfb_size; /* 0x1c: in 64 KiB units for VIDEO_TYPE_VLFB */
    uint16_t cl_magic, cl_offset; /* 0x20 */
    uint16_t lfb_linelength; /* 0x24 */
    uint8_t red_size, red_pos; /* 0x26 */
    uint8_t green_size, green_pos; /* 0x28 */
    uint8_t blue_size, blue_pos; /* 0x2a */
    uint8_t rsvd_size, rsvd_pos; /* 0x2c */
    uint16_t vesapm_seg, vesapm_off; /* 0x2e */
    uint16_t pages; /* 0x32 */
    uint16_t vesa_attributes; /* 0x34 */
    uint32_t capabilities; /* 0x36 */
    uint32_t ext_lfb_base; /* 0x3a */
    uint8_t reserved[2]; /* 0x3e */
} PACKED;
_Static_assert(sizeof(struct screen_info) == 64, "screen_info is 64 bytes");
_Static_assert(offsetof(struct screen_info, orig_video_isVGA) == 0x0f, "orig_video_isVGA at 0x0f");
_Static_assert(offsetof(struct screen_info, lfb_base) == 0x18, "lfb_base at 0x18");
_Static_assert(offsetof(struct screen_info, red_size) == 0x26, "red_size at 0x26");
_Static_assert(offsetof(struct screen_info, ext_lfb_base) == 0x3a, "ext_lfb_base at 0x3a");

struct boot_e820_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} PACKED;
_Static_assert(sizeof(struct boot_e820_entry) == 20, "e820 entry is 20 bytes");

struct boot_params {
    struct screen_info screen_info; /* 0x000 */
    uint8_t pad_040[0x058 - 0x040];
    uint32_t tboot_addr; /* 0x058: the tboot shared page (include/tboot_shared.h) */
    uint8_t pad_05c[0x070 - 0x05c];
    uint64_t acpi_rsdp_addr; /* 0x070 */
    uint8_t pad_078[0x1e0 - 0x078];
    uint32_t alt_mem_k; /* 0x1e0 */
    uint32_t scratch; /* 0x1e4 */
    uint8_t e820_entries; /* 0x1e8 */
    uint8_t pad_1e9[0x1ef - 0x1e9];
    uint8_t sentinel; /* 0x1ef: must stay 0 */
    uint8_t pad_1f0;
    struct setup_header hdr; /* 0x1f1 */
    uint8_t pad_hdr_end[0x2d0 - 0x26c]; /* header growth room, then edd_mbr_sig_buffer */
    struct boot_e820_entry e820_table[LINUX_E820_MAX]; /* 0x2d0 */
    uint8_t pad_cd0[0x1000 - 0xcd0];
} PACKED;
_Static_assert(sizeof(struct boot_params) == 4096, "boot_params is one 4 KiB page");
_Static_assert(offsetof(struct boot_params, tboot_addr) == 0x058, "tboot_addr at 0x058");
_Static_assert(offsetof(struct boot_params, acpi_rsdp_addr) == 0x070, "acpi_rsdp_addr at 0x070");
_Static_assert(offsetof(struct boot_params, alt_mem_k) == 0x1e0, "alt_mem_k at 0x1e0");
_Static_assert(offsetof(struct boot_params, e820_entries) == 0x1e8, "e820_entries at 0x1e8");
_Static_assert(offsetof(struct boot_params, sentinel) == 0x1ef, "sentinel at 0x1ef");
_Static_assert(offsetof(struct boot_params, hdr) == 0x1f1, "setup header at 0x1f1");
_Static_assert(offsetof(struct boot_params, e820_table) == 0x2d0, "e820_table at 0x2d0");

#endif
