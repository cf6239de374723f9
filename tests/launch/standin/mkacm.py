#!/usr/bin/env python3
"""Wraps the stand-in SINIT's flat image in an Intel AC module header
(Intel TXT Software Development Guide, appendix A: header version 0.0,
RSA-2048 key, exponent and signature areas, scratch area, information
table and lists), as Rensa's parser (acm/acm_parse.c) and matcher read it.

  mkacm.py --elf standin.elf --bin standin.bin -o standin.acm
           [--vendor 0xN] [--production]

The image is linked at STANDIN_LINK_BASE (0x800): everything below it is the
header area written here, so the ELF's symbol values are module offsets.
The key and signature are zero: no CPU authenticates this module; Rensa's
test build runs it in place of GETSEC[SENTER] (docs/emulated-launch.md).

Information table version 7: chipset list = the emulated chipset
(TXT.DIDVID 0x00000001b0f08086), a processor list whose one entry matches
every CPU (mask 0), and a TPM info list for TPM 1.2 and 2.0 with SHA-1 and
SHA-256. Debug-signed by default (flags bit 15): the emulated platform's
TXT.VER.FSBIF/QPIIF read 0, a debug-fused chipset to Rensa's matcher;
--production clears the bit.
"""
import argparse
import re
import struct
import subprocess
import sys

LINK_BASE = 0x800
STANDIN_VENDOR = 0x52534E41
UUID_V3 = bytes([0xaa, 0x3a, 0xc0, 0x7f, 0xa7, 0x46, 0xdb, 0x18,
                 0x2e, 0xac, 0x69, 0x8f, 0x8d, 0x41, 0x7f, 0x5a])
HEADER_LEN_DW = (128 + 256 + 4 + 256) // 4      # 161
SCRATCH_DW = 143
INFO_OFF = (HEADER_LEN_DW + SCRATCH_DW) * 4     # 0x4c0
DATE = 0x20261127                               # BCD yyyymmdd
FLAG_DEBUG_SIGNED = 1 << 15

# Capabilities: RLP wake GETSEC and MONITOR, ECX = page table, legacy PCR
# map (bit 4, "no legacy", clear), TCG event log format; platform type 0.
CAPS = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 9)
# TPM info: extend policy agile and embedded (bits 1:0 = 3), families
# discrete TPM 1.2 and 2.0 (bits 5:2 = 0b0011).
TPM_CAPS = 3 | (3 << 2)
TPM_ALGS = [0x0004, 0x000b]                     # SHA-1, SHA-256
CHIPSET = (0, 0x8086, 0xB0F0, 0x0001, 0, 0)     # flags, vendor, device, revision, mask, extended
PROCESSOR = (0, 0, 0, 0)                        # fms, fms_mask, platform_id, platform_mask: any
OS_SINIT_DATA_VER = 7
MIN_MLE_HDR_VER = 0x00020000
ACM_VER, ACM_REV = 1, (0, 0, 1)
MARKER = b"RNSAFAIL"


def symbols(elf):
    out = subprocess.run(["nm", elf], check=True, capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        m = re.match(r"([0-9a-fA-F]+) \S (\S+)$", line)
        if m:
            syms[m.group(2)] = int(m.group(1), 16)
    return syms


def build(body, entry, vendor, flags):
    info_len = 48
    lists = bytearray()
    lists_off = INFO_OFF + info_len
    cs_off = lists_off + len(lists)
    lists += struct.pack("<I", 1) + struct.pack("<IHHHHI", *CHIPSET)
    cpu_off = lists_off + len(lists)
    lists += struct.pack("<I", 1) + struct.pack("<IIQQ", *PROCESSOR)
    tpm_off = lists_off + len(lists)
    lists += struct.pack("<IH", TPM_CAPS, len(TPM_ALGS)) + b"".join(struct.pack("<H", a) for a in TPM_ALGS)
    lists += bytes(-len(lists) % 16)
    info = UUID_V3 + struct.pack("<BBHIIIIB3BII", 1, 7, info_len, cs_off, OS_SINIT_DATA_VER, MIN_MLE_HDR_VER,
                                 CAPS, ACM_VER, *ACM_REV, cpu_off, tpm_off)
    assert len(info) == info_len
    gdt_off = lists_off + len(lists)
    gdt = bytes(8) + struct.pack("<QQ", 0x00cf9b000000ffff, 0x00cf93000000ffff)
    area = bytearray(INFO_OFF) + info + lists + gdt
    if len(area) > LINK_BASE:
        sys.exit("mkacm.py: the header area (0x%x bytes) does not fit below 0x%x" % (len(area), LINK_BASE))
    area += bytes(LINK_BASE - len(area))
    img = area + body
    img += bytes(-len(img) % 64)
    size = len(img)
    hdr = struct.pack("<HHIIHHIIIHHIIIIII", 2, 0, HEADER_LEN_DW, 0x00000000, 0xB0F0, flags, vendor, DATE,
                      size // 4, 0, 0, 0, 0, len(gdt) - 1, gdt_off, 0x08, entry)
    hdr += bytes(64) + struct.pack("<II", 64, SCRATCH_DW)
    assert len(hdr) == 128
    img[0:128] = hdr
    img[128 + 256:128 + 256 + 4] = struct.pack("<I", 0x10001)   # RSA exponent (key, signature: zero)
    return bytes(img)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--elf", required=True)
    ap.add_argument("--bin", required=True)
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("--vendor", type=lambda s: int(s, 0), default=STANDIN_VENDOR)
    ap.add_argument("--production", action="store_true")
    a = ap.parse_args()
    syms = symbols(a.elf)
    for name in ("standin_entry", "standin_fault"):
        if name not in syms:
            sys.exit("mkacm.py: %s: no symbol %s" % (a.elf, name))
    entry = syms["standin_entry"]
    if entry < LINK_BASE:
        sys.exit("mkacm.py: entry 0x%x is below the link base 0x%x" % (entry, LINK_BASE))
    body = open(a.bin, "rb").read()
    img = build(body, entry, a.vendor, 0 if a.production else FLAG_DEBUG_SIGNED)
    if img.count(MARKER) != 1 or img.find(MARKER) != syms["standin_fault"]:
        sys.exit("mkacm.py: the fault marker must appear once, at standin_fault (0x%x); found %d at 0x%x"
                 % (syms["standin_fault"], img.count(MARKER), img.find(MARKER)))
    if len(img) > 0x40000:
        sys.exit("mkacm.py: %d bytes, more than the 256 KiB SINIT region" % len(img))
    with open(a.out, "wb") as f:
        f.write(img)


if __name__ == "__main__":
    main()
