# Rensa build. `make` builds the loader image and the host tool;
# `make check` runs every test; `make demo` boots the chain in QEMU.
# See README.md.

BUILD      ?= build
CC         ?= gcc
HOSTCC     ?= gcc
LD         ?= ld
V          ?= 0
Q          := $(if $(filter 1,$(V)),,@)

# ---------------------------------------------------------------- loader
# Files that touch the machine directly (port I/O, MMIO, CPU state).
LOADER_BAREMETAL_C := main.c console.c platform.c timer.c
# Portable loader logic: also compiled for the host and unit-tested there.
LOADER_PORTABLE := $(filter-out $(addprefix loader/,$(LOADER_BAREMETAL_C)),$(wildcard loader/*.c acm/*.c txt/*.c tpm/*.c))
LOADER_C   := $(wildcard loader/*.c acm/*.c txt/*.c tpm/*.c) $(EMU_C)
LOADER_S   := $(wildcard loader/*.S txt/*.S)
LOADER_OBJ := $(patsubst %,$(BUILD)/obj/%.o,$(LOADER_C) $(LOADER_S))

# 4-byte stack alignment (no SSE in the loader): gcc and clang spell it differently.
# -fomit-frame-pointer: nothing walks the stack (the exception handler
# prints EIP only); it saves 0.9 KB of the compressed image with gcc 12.
STACK_ALIGN_FLAG := $(if $(findstring clang,$(shell $(CC) --version 2>/dev/null)),-mstack-alignment=4,-mpreferred-stack-boundary=2)
LOADER_CFLAGS = -m32 -march=i686 -std=c11 -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fcf-protection=none -mno-sse -mno-mmx -mno-80387 -mgeneral-regs-only \
	-mregparm=3 $(STACK_ALIGN_FLAG) -fomit-frame-pointer \
	-fno-strict-aliasing -fno-common -ffunction-sections -fdata-sections $(LOADER_OPT) -g -Wall -Wextra -Werror \
	-Wstrict-prototypes -Wmissing-prototypes -Wvla -Iinclude $(RENSA_CFLAGS)
LOADER_LDFLAGS := -m elf_i386 -nostdlib -static -z max-page-size=0x1000 \
	-z noexecstack --build-id=none --gc-sections -T loader/rensa.lds

# Size matters in the trusted base: -Os everywhere. The SHA files have
# their own knob: at -O2 the portable SHA-1/256 are about 1.3x faster (for
# CPUs without SHA-NI) but 0.5 KB bigger compressed, more than the image
# budget (scripts/check: 68 KiB compressed) is worth spending on (docs/hashing.md).
LOADER_OPT := -Os
SHA_OPT ?= -Os
$(BUILD)/obj/tpm/sha1.c.o $(BUILD)/obj/tpm/sha256.c.o $(BUILD)/obj/tpm/sha_ni.c.o: LOADER_OPT := $(SHA_OPT)

all: $(BUILD)/rensa.gz $(BUILD)/rensa

$(BUILD)/obj/%.c.o: %.c $(wildcard include/*.h) Makefile
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LOADER_CFLAGS) -c $< -o $@

$(BUILD)/obj/%.S.o: %.S $(wildcard include/*.h) Makefile
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LOADER_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/rensa.elf: $(LOADER_OBJ) loader/rensa.lds
	$(Q)$(LD) $(LOADER_LDFLAGS) -o $@ $(LOADER_OBJ)
	$(Q)RENSA_TEST_BUILD=$(if $(EMU_C),1,0) scripts/check-image $@

# What GRUB loads: the same image without symbols or debug information.
$(BUILD)/rensa.gz: $(BUILD)/rensa.elf
	$(Q)objcopy --strip-all $< $(BUILD)/rensa.stripped
	$(Q)gzip -9 -n -c $(BUILD)/rensa.stripped > $@

# ---------------------------------------------------------------- host tool
TOOL_C := $(wildcard tools/*.c)
HOST_CFLAGS := -std=c11 -D_GNU_SOURCE -DRENSA_HOST -O1 -g -Wall -Wextra -Werror -Iinclude
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# The host tool links the portable loader code: the same source the loader runs.
TOOL_LOADER := $(LOADER_PORTABLE)

$(BUILD)/rensa: $(TOOL_C) $(TOOL_LOADER) $(wildcard include/*.h tools/*.h) Makefile
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Itools -o $@ $(TOOL_C) $(TOOL_LOADER) -lcrypto -lz -llzma

# ---------------------------------------------------------------- tests
UNIT_C := $(wildcard tests/unit/*.c)
$(BUILD)/unit-tests: $(UNIT_C) $(LOADER_PORTABLE) $(wildcard include/*.h tests/unit/*.h) Makefile
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(SAN_FLAGS) -Wno-format-security -Itests/unit -o $@ $(UNIT_C) $(LOADER_PORTABLE) -lcrypto

unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

# Both compilers must build the loader warning-free.
clang-build:
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/clang CC=clang $(BUILD)/clang/rensa.elf

# The test build for the emulated launch (docs/emulated-launch.md): the
# emulated TXT platform and SENTER, never in build/rensa.elf; and the
# stand-in SINIT it calls.
emu-build:
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/emu EMU_C=tests/launch/emu_platform.c \
		RENSA_CFLAGS="-DRENSA_EMULATED_LAUNCH -Itests/launch" $(BUILD)/emu/rensa.gz
	$(Q)$(MAKE) --no-print-directory -f tests/launch/standin/standin.mk BUILD=$(BUILD) $(BUILD)/emu/standin.acm

# check and demo install what they need first (scripts/deps), then build.
check:
	$(Q)scripts/check

demo:
	$(Q)scripts/demo

bench:
	$(Q)scripts/bench

fuzz:
	$(Q)scripts/fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD)

.PHONY: all unit check demo bench fuzz clean clang-build emu-build
.DELETE_ON_ERROR:
