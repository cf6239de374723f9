#!/usr/bin/env python3
"""Writes test AC modules for tests/acm/run into OUTDIR, with manifest.json
describing each one: the platform it is meant for and, for malformed ones,
the rejection reason Rensa must give.

The modules are shaped like real SINITs (header 0.0 with RSA-2048 or 3.0
with RSA-3072, scratch area, information table, lists, a GDT and an entry
point inside the module) but the key, signature and code are random bytes:
no CPU would run them. IDs: the Ivy Bridge / Q77 platform of an Intel
DQ77MK board reports TXT.DIDVID 0x00000001b0018086 (vendor 0x8086, device
0xb001, revision 1) and CPUID.1:EAX 0x306a9 (i7-3770); SNB/IVB SINITs list
processors 0x206a0 and 0x306a0 under mask 0x0fff3ff0.

usage: gen.py OUTDIR
"""
import json
import os
import random
import struct
import sys

UUID_V3 = bytes([0xaa, 0x3a, 0xc0, 0x7f, 0xa7, 0x46, 0xdb, 0x18,
                 0x2e, 0xac, 0x69, 0x8f, 0x8d, 0x41, 0x7f, 0x5a])
CS1L, CS2L, CPUL, TPML, VERL, TERM = 0x4353314c, 0x4353324c, 0x4350554c, 0x54504d4c, 0x5645524c, 0x4e554c4c
SHA1, SHA256, SHA384, SHA512, SM3 = 0x4, 0xb, 0xc, 0xd, 0x12

# Capabilities
GETSEC, MONITOR, ECX_PGTBL, STM, NOLG, DA = 1, 2, 4, 8, 16, 32
CLIENT, SERVER = 1 << 6, 2 << 6
MAXPHY, TCGLOG, CBNT, TPR = 1 << 8, 1 << 9, 1 << 10, 1 << 14
# TPM info capabilities: ext policy bits 1:0, family bits 5:2, NV index set bit 6
def tpm_caps(ext, family, nv=0):
    return ext | (family << 2) | (nv << 6)
DTPM12, DTPM20, PTT20 = 1, 2, 8

IVB_CHIPSETS = [(1, 0x8086, 0xb001, 0x1, 0, 0)]          # flags, vid, did, rid, regmask, ext
IVB_CPUS = [(0x000206a0, 0x0fff3ff0, 0, 0), (0x000306a0, 0x0fff3ff0, 0, 0)]
HSX_CHIPSETS = [(1, 0x8086, 0xb002, 0x1, 0, 0)]
HSX_CPUS = [(0x000306f0, 0x0fff3ff0, 0, 0)]
MODERN_CS2 = [(0, 0x8086, 0xb000, 0, 0xfff0, 0)]         # device under mask
MODERN_CPUS = [(0x000906a0, 0x0fff3ff0, 0, 0), (0x000b06a0, 0x0fff3ff0, 0x8, 0x1c)]


def chipset_list(entries):
    out = struct.pack('<I', len(entries))
    for f, vid, did, rid, mask, ext in entries:
        out += struct.pack('<IHHHHI', f, vid, did, rid, mask, ext)
    return out


def cpu_list(entries):
    out = struct.pack('<I', len(entries))
    for fms, fmask, pid, pmask in entries:
        out += struct.pack('<IIQQ', fms, fmask, pid, pmask)
    return out


def tpm_list(caps, algs):
    return struct.pack('<IH', caps, len(algs)) + b''.join(struct.pack('<H', a) for a in algs)


def tlv(tag, body, rev=1):
    return struct.pack('<III', tag, 12 + len(body), rev) + body


def pad4(b):
    return b + b'\0' * (-len(b) % 4)


def build(name, hdr_ver=0, flags=0, date=0x20140630, txt_svn=2, se_svn=0, info_ver=5, acm_type=1,
          chipsets=IVB_CHIPSETS, cpus=IVB_CPUS, tpm=(tpm_caps(2, DTPM12), [SHA1]),
          caps=GETSEC | MONITOR | ECX_PGTBL | DA | CLIENT, os_sinit=6, min_mle=0x00020000,
          acm_ver=67, acm_rev=(1, 2, 3), size=0x8000, subtype=0, chipset_id=0xb001,
          tlvs=None, code_control=0, mutate=None):
    rnd = random.Random(name)
    if hdr_ver == 0:
        key_dw, exp, sig_len, scratch = 64, struct.pack('<I', 0x10001), 256, 143
    else:
        key_dw, exp, sig_len, scratch = 96, b'', 384, 208
    header_len = (128 + key_dw * 4 + len(exp) + sig_len) // 4
    info_off = (header_len + scratch) * 4
    info_len = 40 if info_ver == 3 else 44 if info_ver == 4 else 48
    lists_off = info_off + info_len
    # Lists after the table.
    blob = b''
    if info_ver < 9:
        cs_off = lists_off + len(blob); blob += pad4(chipset_list(chipsets))
        cpu_off = lists_off + len(blob) if info_ver >= 4 else 0
        if info_ver >= 4:
            blob += pad4(cpu_list(cpus))
        tpm_off = lists_off + len(blob) if info_ver >= 5 else 0
        if info_ver >= 5:
            blob += pad4(tpm_list(*tpm))
    else:
        cs_off = cpu_off = tpm_off = 0
        if tlvs is None:
            tlvs = [tlv(CS1L, chipset_list(chipsets)), tlv(CPUL, cpu_list(cpus)), tlv(TPML, pad4(tpm_list(*tpm)))]
        blob = b''.join(tlvs) + struct.pack('<III', TERM, 12, 1)
    info = UUID_V3 + struct.pack('<BBHIIIIB3BII', acm_type, info_ver, info_len, cs_off, os_sinit, min_mle, caps,
                                 acm_ver, *acm_rev, cpu_off, tpm_off)[:info_len - 16]
    body_off = lists_off + len(blob)
    gdt_off = (body_off + 15) & ~15
    gdt = bytes(8) + struct.pack('<Q', 0x00cf9b000000ffff) + struct.pack('<Q', 0x00cf93000000ffff) + bytes(8)
    entry = gdt_off + len(gdt) + 0x40
    size = max(size, (entry + 0x100 + 63) & ~63)
    hdr = struct.pack('<HHIIHHIIIHHIIIIII', 2, subtype, header_len, 0 if hdr_ver == 0 else 0x00030000, chipset_id,
                      flags, 0x8086, date, size // 4, txt_svn, se_svn, code_control, entry - 0x20,
                      len(gdt) - 1, gdt_off, 0x08, entry)
    hdr += bytes(64) + struct.pack('<II', key_dw, scratch)
    key = bytes(rnd.getrandbits(8) for _ in range(key_dw * 4))
    sig = bytes(rnd.getrandbits(8) for _ in range(sig_len))
    img = bytearray(hdr + key + exp + sig)
    img += bytes(rnd.getrandbits(8) for _ in range(scratch * 4))
    assert len(img) == info_off
    img += info + blob
    img += bytes(gdt_off - len(img)) + gdt
    img += bytes(rnd.getrandbits(8) for _ in range(size - len(img)))
    assert len(img) == size
    if mutate:
        img = mutate(img, info_off)
    return bytes(img)


def put32(img, off, v):
    img[off:off + 4] = struct.pack('<I', v & 0xffffffff)
    return img


IVB = {"didvid": "0x00000001b0018086", "fms": "0x306a9", "platform-id": "0x0004000000000000",
       "production": True, "type": "client", "tpm": "1.2", "algs": "sha1"}
HSX = {"didvid": "0x00000001b0028086", "fms": "0x306f2", "platform-id": "0",
       "production": True, "type": "server", "tpm": "1.2", "algs": "sha1"}
MODERN = {"didvid": "0x00000001b00d8086", "fms": "0x906a3", "platform-id": "0",
          "production": True, "type": "client", "tpm": "2.0", "algs": "sha256"}


def modules():
    m = {}
    def ok(name, plat, **kw):
        m[name] = (build(name, **kw), {"valid": True, "platform": plat})
    def bad(name, reason, data):
        m[name] = (data, {"valid": False, "reason": reason})

    ok("dq77mk-ivb-sinit", IVB, info_ver=5, date=0x20140219, txt_svn=2, acm_ver=67)
    for v in range(3, 10):
        ok("info-v%d" % v, IVB, info_ver=v, date=0x20120101 + v)
    ok("debug-signed", dict(IVB, production=False), flags=0x8000)
    ok("preproduction-debug", dict(IVB, production=False), flags=0xc000, date=0x20111111)
    ok("server-hsx", HSX, chipsets=HSX_CHIPSETS, cpus=HSX_CPUS, caps=GETSEC | MONITOR | ECX_PGTBL | DA | SERVER,
       info_ver=6, date=0x20190718, txt_svn=1, acm_ver=1, chipset_id=0x1d00)
    ok("client-hdr3-v9-cs2l", MODERN, hdr_ver=3, info_ver=9, date=0x20230315, txt_svn=5, acm_ver=3, acm_rev=(1, 18, 0),
       caps=GETSEC | MONITOR | ECX_PGTBL | DA | CLIENT | MAXPHY | TCGLOG | CBNT | TPR, os_sinit=7,
       min_mle=0x00020001, chipset_id=0,
       tlvs=[tlv(CS2L, chipset_list(MODERN_CS2)), tlv(CPUL, cpu_list(MODERN_CPUS)),
             tlv(VERL, struct.pack('<I', 0)),
             tlv(TPML, pad4(tpm_list(tpm_caps(3, DTPM20 | PTT20, 1), [SHA1, SHA256, SHA384, SM3])))])
    ok("tpm2-v7", dict(IVB, tpm="2.0", algs="sha256"), info_ver=7,
       tpm=(tpm_caps(3, DTPM12 | DTPM20), [SHA1, SHA256]), date=0x20150505, acm_rev=(2, 0, 9))
    ok("subtype-reset", IVB, subtype=1, info_ver=8)
    ok("many-chipsets", IVB, chipsets=[(0, 0x8086, 0x2e10 + i, i, 0, 0) for i in range(40)] + IVB_CHIPSETS,
       cpus=IVB_CPUS * 20)

    b = lambda name, **kw: bytearray(build(name, **kw))
    bad("not-sinit-bios-acm", "ACM_R_NOT_SINIT", build("bios", acm_type=0))
    bad("truncated", "ACM_R_TRUNCATED", build("trunc")[:0x5000])
    bad("tiny", "ACM_R_TOO_SMALL", build("tiny")[:100])
    bad("size-past-end", "ACM_R_TRUNCATED", bytes(put32(b("spe"), 24, 0x100000)))
    bad("size-zero", "ACM_R_SIZE_ZERO", bytes(put32(b("sz"), 24, 0)))
    bad("size-unaligned", "ACM_R_SIZE_ALIGN", bytes(put32(b("sua"), 24, 0x8000 // 4 - 1)))
    bad("vendor", "ACM_R_VENDOR", bytes(put32(b("ven"), 16, 0x1022)))
    bad("module-type", "ACM_R_MODULE_TYPE", struct.pack('<H', 3) + build("mt")[2:])
    bad("header-version", "ACM_R_HEADER_VERSION", bytes(put32(b("hv"), 8, 0x00010000)))
    bad("header-len-past-end", "ACM_R_HEADER_LEN", bytes(put32(b("hl"), 4, 0x10000)))
    bad("key-size", "ACM_R_KEY_SIZE", bytes(put32(b("ks"), 120, 96)))
    bad("scratch-past-end", "ACM_R_SCRATCH", bytes(put32(b("sc"), 124, 0x40000000)))
    bad("entry-outside", "ACM_R_ENTRY", bytes(put32(b("ep"), 52, 0x10000)))
    bad("seg-sel", "ACM_R_SEG_SEL", bytes(put32(b("ss"), 48, 0x0b)))
    bad("gdt-outside", "ACM_R_GDT", bytes(put32(b("gd"), 44, 0x7ff0)))
    def at_info(rel, v):
        return lambda img, off: put32(img, off + rel, v)
    bad("uuid", "ACM_R_UUID", build("uu", mutate=at_info(0, 0x12345678)))
    bad("info-version-2", "ACM_R_INFO_VERSION", build("iv2", mutate=lambda i, o: i.__setitem__(o + 17, 2) or i))
    bad("info-version-10", "ACM_R_INFO_VERSION", build("iv10", mutate=lambda i, o: i.__setitem__(o + 17, 10) or i))
    bad("info-length-short", "ACM_R_INFO_LENGTH", build("ils", mutate=lambda i, o: i.__setitem__(slice(o + 18, o + 20), b'\x10\x00') or i))
    bad("chipset-list-past-end", "ACM_R_LIST_OFFSET", build("clo", mutate=at_info(20, 0x7ffe)))
    bad("chipset-list-in-header", "ACM_R_LIST_OFFSET", build("clh", mutate=at_info(20, 0)))
    bad("chipset-list-empty", "ACM_R_LIST_EMPTY", build("cle", chipsets=[]))
    bad("processor-list-empty", "ACM_R_LIST_EMPTY", build("ple", cpus=[]))
    def count_at_list(field, v):
        def f(img, off):
            lo = struct.unpack_from('<I', img, off + field)[0]
            return put32(img, lo, v)
        return f
    bad("chipset-count-overflow", "ACM_R_LIST_COUNT", build("cco", mutate=count_at_list(20, 0xffffffff)))
    bad("processor-count-overflow", "ACM_R_LIST_COUNT", build("pco", mutate=count_at_list(40, 0x10000000)))
    bad("tpm-list-past-end", "ACM_R_LIST_OFFSET", build("tlp", mutate=at_info(44, 0x7ffc)))
    # v9 without TERM: fill everything after the lists with a repeating unknown entry
    def no_term(img, off):
        pos = off + 48
        while pos + 12 <= len(img):
            struct.pack_into('<III', img, pos, VERL, 12, 1)
            pos += 12
        return img
    bad("v9-no-term", "ACM_R_TLV_NO_TERM", build("nt", info_ver=9, mutate=no_term))
    bad("v9-tlv-size-small", "ACM_R_TLV_SIZE", build("tss", info_ver=9, mutate=lambda i, o: put32(i, o + 48 + 4, 4)))
    bad("v9-tlv-size-past-end", "ACM_R_TLV_SIZE", build("tsp", info_ver=9, mutate=lambda i, o: put32(i, o + 48 + 4, 0x100000)))
    bad("v9-duplicate-cs1l", "ACM_R_TLV_DUPLICATE", build("dup", info_ver=9,
        tlvs=[tlv(CS1L, chipset_list(IVB_CHIPSETS)), tlv(CS1L, chipset_list(IVB_CHIPSETS))]))
    bad("v9-no-chipset-list", "ACM_R_TLV_MISSING", build("ncl", info_ver=9, tlvs=[tlv(CPUL, cpu_list(IVB_CPUS))]))
    bad("v9-count-overflow", "ACM_R_LIST_COUNT", build("v9co", info_ver=9,
        tlvs=[tlv(CS1L, struct.pack('<I', 0x10000001) + chipset_list(IVB_CHIPSETS)[4:])]))
    bad("v9-empty-cpul", "ACM_R_LIST_EMPTY", build("v9ec", info_ver=9,
        tlvs=[tlv(CS1L, chipset_list(IVB_CHIPSETS)), tlv(CPUL, cpu_list([]))]))
    return m


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    manifest = {}
    for name, (data, meta) in modules().items():
        with open(os.path.join(out, name + ".acm"), "wb") as f:
            f.write(data)
        manifest[name] = meta
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
    print("wrote %d modules to %s" % (len(manifest), out))


if __name__ == "__main__":
    main()
