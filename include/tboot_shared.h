/* The tboot shared page: how a measured-launch loader tells Linux and Xen
 * that they run in a measured environment, and where to call it back for
 * shutdown and sleep. The layout is tboot's (version 6), which stock Linux
 * (CONFIG_INTEL_TXT, arch/x86/kernel/tboot.c: boot_params.tboot_addr) and
 * Xen (tboot=0xADDR) read; docs/txt-launch.md "Shutdown". */
#ifndef RENSA_TBOOT_SHARED_H
#define RENSA_TBOOT_SHARED_H

#include <stddef.h>
#include "rtypes.h"

/* {663C8DFF-E8B3-4B82-AABF-19EA4D057A08} in memory order */
#define TBOOT_SHARED_UUID_BYTES                                                                        \
    {0xff, 0x8d, 0x3c, 0x66, 0xb3, 0xe8, 0x82, 0x4b, 0xbf, 0xaa, 0x19, 0xea, 0x4d, 0x05, 0x7a, 0x08}
#define TBOOT_SHARED_VERSION 6u
#define TBOOT_MAC_REGIONS_MAX 32u
#define TBOOT_S3_KEY_SIZE 64u

/* shutdown_type, written by the kernel before it calls shutdown_entry */
#define TB_SHUTDOWN_REBOOT 0u
#define TB_SHUTDOWN_S5 1u
#define TB_SHUTDOWN_S4 2u
#define TB_SHUTDOWN_S3 3u
#define TB_SHUTDOWN_HALT 4u
#define TB_SHUTDOWN_WFS 5u

/* flags */
#define TB_FLAG_AP_WAKE_SUPPORT 0x1u /* parked APs start through ap_wake_addr/ap_wake_trigger */
#define TB_AP_WAKE_NONE 0xFFFFFFFFu /* ap_wake_trigger: no processor named */

/* ACPI Generic Address Structure */
struct tboot_gas {
    uint8_t space_id; /* 0 memory, 1 system I/O */
    uint8_t bit_width;
    uint8_t bit_offset;
    uint8_t access_width;
    uint64_t address;
} PACKED;
_Static_assert(sizeof(struct tboot_gas) == 12, "ACPI generic address is 12 bytes");

struct tboot_acpi_sleep_info {
    struct tboot_gas pm1a_cnt_blk, pm1b_cnt_blk, pm1a_evt_blk, pm1b_evt_blk;
    uint16_t pm1a_cnt_val, pm1b_cnt_val; /* SLP_TYP | SLP_EN to write */
    uint64_t wakeup_vector;
    uint32_t vector_width;
    uint64_t kernel_s3_resume_vector;
} PACKED;
_Static_assert(sizeof(struct tboot_acpi_sleep_info) == 72, "ACPI sleep info is 72 bytes");

struct tboot_mac_region {
    uint64_t start;
    uint32_t size;
} PACKED;
_Static_assert(sizeof(struct tboot_mac_region) == 12, "MAC region is 12 bytes");

struct tboot_shared {
    uint8_t uuid[16];
    uint32_t version;
    uint32_t log_addr; /* tboot's log; 0: Rensa's is named on the command line (rensa.log=) */
    uint32_t shutdown_entry; /* physical; the kernel calls it in 64-bit mode with it mapped 1:1 */
    uint32_t shutdown_type; /* TB_SHUTDOWN_* */
    struct tboot_acpi_sleep_info acpi_sinfo;
    uint32_t tboot_base, tboot_size; /* what the kernel maps 1:1 for the call */
    uint8_t num_mac_regions;
    struct tboot_mac_region mac_regions[TBOOT_MAC_REGIONS_MAX];
    uint8_t s3_key[TBOOT_S3_KEY_SIZE];
    uint8_t reserved_align[3];
    uint32_t num_in_wfs; /* processors in wait-for-SIPI (Rensa: parked) */
    uint32_t flags; /* TB_FLAG_* */
    uint64_t ap_wake_addr; /* the kernel: the SIPI vector's address (real mode, vector:0) */
    uint32_t ap_wake_trigger; /* the kernel: the APIC ID of the processor to start */
} PACKED;
_Static_assert(offsetof(struct tboot_shared, acpi_sinfo) == 32, "acpi_sinfo at 32");
_Static_assert(offsetof(struct tboot_shared, tboot_base) == 104, "tboot_base at 104");
_Static_assert(offsetof(struct tboot_shared, num_mac_regions) == 112, "num_mac_regions at 112");
_Static_assert(offsetof(struct tboot_shared, s3_key) == 497, "s3_key at 497");
_Static_assert(offsetof(struct tboot_shared, num_in_wfs) == 564, "num_in_wfs at 564");
_Static_assert(sizeof(struct tboot_shared) == 584, "tboot shared page version 6 is 584 bytes");

#endif
