/* libFuzzer target: the Multiboot1 and Multiboot2 information parsers.
 * The input is placed in simulated physical memory at INFO; its first
 * byte picks the format. Pointers inside the input may point back into it. */
#include <string.h>
#include "boot_info.h"
#include "multiboot1.h"
#include "multiboot2.h"
#include "sim.h"

#define INFO 0x10000u

static struct boot_info bi;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 65536)
        return 0;
    uint8_t *mem = sim_map(INFO, size - 1);
    memcpy(mem, data + 1, size - 1);
    uint32_t magic = (data[0] & 1) ? MB2_BOOTLOADER_MAGIC : MB1_BOOTLOADER_MAGIC;
    struct diag d;
    boot_info_parse(magic, INFO, &bi, &d);
    sim_reset();
    return 0;
}
