# The stand-in SINIT (tests/launch/standin/, docs/emulated-launch.md).
# Included by the top Makefile; also works alone:
#   make -f tests/launch/standin/standin.mk BUILD=build/sa build/sa/emu/standin.acm
# Defines STANDIN_ACM = $(BUILD)/emu/standin.acm and the rule that builds it.

BUILD ?= build
# Nothing here may become the including Makefile's default goal.
STANDIN_SAVED_GOAL := $(.DEFAULT_GOAL)
ifeq ($(origin CC),default)
CC := gcc
endif
STANDIN_LD ?= ld
STANDIN_OBJCOPY ?= objcopy
STANDIN_READELF ?= readelf
STANDIN_PYTHON ?= python3

STANDIN_DIR := tests/launch/standin
STANDIN_OUT := $(BUILD)/emu/standin
STANDIN_ACM := $(BUILD)/emu/standin.acm

STANDIN_SRC := $(STANDIN_DIR)/entry.S $(STANDIN_DIR)/standin.c $(STANDIN_DIR)/rlp.c $(STANDIN_DIR)/hw.c \
	$(STANDIN_DIR)/lib.c \
	tpm/sha1.c tpm/sha256.c tpm/md.c
STANDIN_OBJ := $(patsubst %,$(STANDIN_OUT)/%.o,$(notdir $(STANDIN_SRC)))
STANDIN_DEPS := $(wildcard include/*.h) $(wildcard $(STANDIN_DIR)/*.h) tests/launch/emu.h $(STANDIN_DIR)/standin.mk

# Position independent, no run-time relocations: -fPIE with hidden
# visibility makes every reference PC- or GOT-relative; the link below is
# -pie so that any absolute address would show up as a dynamic relocation,
# which the check after the link refuses.
STANDIN_CFLAGS := -m32 -march=i686 -std=c11 -ffreestanding -fPIE -fvisibility=hidden \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables -fno-jump-tables \
	-fcf-protection=none -mno-sse -mno-mmx -mno-80387 -mgeneral-regs-only -fno-strict-aliasing \
	-fno-common -ffunction-sections -fdata-sections -Os -g -Wall -Wextra -Werror \
	-Wstrict-prototypes -Wmissing-prototypes -Wvla -Iinclude -I$(STANDIN_DIR)
STANDIN_LDFLAGS := -m elf_i386 -nostdlib -pie --no-dynamic-linker -z max-page-size=0x1000 \
	-z noexecstack --no-warn-rwx-segments --build-id=none --gc-sections \
	-T $(STANDIN_DIR)/standin.lds

$(STANDIN_OUT)/%.c.o: $(STANDIN_DIR)/%.c $(STANDIN_DEPS)
	@mkdir -p $(@D)
	$(CC) $(STANDIN_CFLAGS) -c $< -o $@

$(STANDIN_OUT)/%.c.o: tpm/%.c $(STANDIN_DEPS)
	@mkdir -p $(@D)
	$(CC) $(STANDIN_CFLAGS) -c $< -o $@

$(STANDIN_OUT)/%.S.o: $(STANDIN_DIR)/%.S $(STANDIN_DEPS)
	@mkdir -p $(@D)
	$(CC) $(STANDIN_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(STANDIN_OUT)/standin.elf: $(STANDIN_OBJ) $(STANDIN_DIR)/standin.lds
	$(STANDIN_LD) $(STANDIN_LDFLAGS) -o $@ $(STANDIN_OBJ)
	@if $(STANDIN_READELF) -rW $@ | grep -q '^Relocation section'; then \
		echo "$@: the stand-in has run-time relocations (an absolute address in code or data):" >&2; \
		$(STANDIN_READELF) -rW $@ >&2; rm -f $@; exit 1; fi

$(STANDIN_OUT)/standin.bin: $(STANDIN_OUT)/standin.elf
	$(STANDIN_OBJCOPY) -O binary $< $@

$(STANDIN_ACM): $(STANDIN_OUT)/standin.bin $(STANDIN_OUT)/standin.elf $(STANDIN_DIR)/mkacm.py
	$(STANDIN_PYTHON) $(STANDIN_DIR)/mkacm.py --elf $(STANDIN_OUT)/standin.elf --bin $(STANDIN_OUT)/standin.bin --production -o $@

.DEFAULT_GOAL := $(STANDIN_SAVED_GOAL)
