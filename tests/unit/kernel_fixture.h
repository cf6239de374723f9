/* Shared set-up for the kernel hand-off tests: a context over simulated
 * RAM, and hand-made bzImage and ELF kernel files. */
#ifndef RENSA_KERNEL_FIXTURE_H
#define RENSA_KERNEL_FIXTURE_H

#include "ctx.h"
#include "kernel_load.h"

/* Simulated RAM: [0, FX_LOW_END) and [FX_RAM_BASE, FX_RAM_END); Rensa at
 * [FX_RENSA_BASE, FX_RENSA_END), marked busy. */
#define FX_LOW_END 0x9fc00u
#define FX_RAM_BASE 0x100000u
#define FX_RAM_END 0x4000000u /* 64 MiB */
#define FX_RENSA_BASE 0x100000u
#define FX_RENSA_END 0x140000u
#define FX_OUTSIDE 0x10000000u /* not RAM: modules with their own tight regions go here */

/* A new context over freshly reset simulated memory. */
struct rensa_ctx *fx_ctx(unsigned mb_version);
/* Add module data at paddr (own_region: in a simulated region of exactly
 * len bytes, so ASan catches reads past its end), marked busy. */
void fx_module(struct rensa_ctx *ctx, paddr_t paddr, const void *data, size_t len, const char *cmdline,
               bool own_region);
/* True when [base, base+len) overlaps a busy range other than the one
 * starting at base. */
bool fx_overlaps_other(const struct rensa_ctx *ctx, paddr_t base, paddr_t len);

struct bz_opts {
    unsigned setup_sects;
    uint16_t version;
    uint32_t payload; /* bytes after the setup sectors */
    uint32_t syssize; /* 0: payload / 16 rounded up */
    uint32_t init_size;
    uint32_t align;
    uint64_t pref;
    bool reloc;
    uint32_t cmdline_size;
    uint32_t initrd_max;
};
void fx_bz_default(struct bz_opts *o);
uint8_t *fx_bzimage(const struct bz_opts *o, size_t *len); /* malloc'd */
uint8_t fx_payload_byte(size_t i);

struct fx_seg {
    uint64_t paddr, vaddr;
    uint32_t filesz, memsz;
};
struct elf_opts {
    bool is64;
    uint64_t entry;
    unsigned nseg;
    struct fx_seg seg[4];
    bool mb1, mb2;
    bool mb2_entry_tag;
    uint32_t mb2_entry;
    uint32_t mb2_request; /* an information tag requested, 0 = none */
    bool request_optional;
};
#define FX_ELF_PHOFF 0x40u
#define FX_ELF_MB1_OFF 0x200u
#define FX_ELF_MB2_OFF 0x400u
#define FX_ELF_DATA_OFF 0x1000u
uint8_t *fx_elf(const struct elf_opts *o, size_t *len); /* malloc'd */
uint8_t fx_seg_byte(unsigned seg, size_t i);

#endif
