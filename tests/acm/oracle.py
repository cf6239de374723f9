#!/usr/bin/env python3
"""Independent oracle: for one AC module, compare `rensa acm info --json`
with tboot's `txt-acminfo` field by field, on every field both print.

usage: oracle.py RENSA TXT_ACMINFO FILE
Prints "agree N fields" and exits 0, or prints each disagreement and
exits 1. Exit 2 when a tool fails to run or its output cannot be read.

txt-acminfo (tboot 1.10.x) predates information table version 9: it then
reads the lists through the old offsets and prints bytes that are not
lists. When its binary does not know the version 9 lists (no "Unrecognized
entry in ACM info table" string), list fields of version 9 modules are
skipped and counted. It also prints the RSA exponent and signature at the
header 0.0 offsets whatever the header version, so those two are compared
for header 0.0 only.
"""
import json
import re
import subprocess
import sys


def parse_tboot(text):
    """txt-acminfo output -> dict of canonical field name -> value."""
    f = {}
    section = "header"
    lines = text.splitlines()
    entry = None
    algs = []
    hexbuf = None
    i = 0
    while i < len(lines):
        line = lines[i]
        s = line.strip()
        i += 1
        if hexbuf is not None:
            if re.fullmatch(r'([0-9a-f]{2} )*[0-9a-f]{2}', s):
                hexbuf[1].append(s.replace(' ', ''))
                continue
            f[hexbuf[0]] = ''.join(hexbuf[1])
            hexbuf = None
        if s == "info_table:":
            section = "info"; continue
        if s == "chipset list:":
            section = "chipset"; continue
        if s == "processor list:":
            section = "processor"; continue
        if s == "TPM info list:":
            section = "tpm"; continue
        if s == "signature information:":
            section = "sig"; continue
        m = re.match(r'entry (\d+):$', s)
        if m:
            entry = int(m.group(1)); continue
        if s == "RSA public key:":
            hexbuf = ("header.rsa_public_key", []); continue
        if s == "PKCS #1.5 RSA signature:":
            hexbuf = ("header.rsa_signature", []); continue
        m = re.match(r'([A-Za-z_ *#.0-9]+?)\s*:\s*(.*)$', s)
        if not m:
            continue
        key, val = m.group(1).strip(), m.group(2).strip()
        num = re.match(r'(0x[0-9a-fA-F]+|\d+)', val)
        n = int(num.group(1), 0) if num else None
        if section == "header":
            names = {"type": "module_type", "subtype": "module_subtype", "length": "header_len",
                     "version": "header_version", "chipset_id": "chipset_id", "flags": "flags",
                     "pre_production": "pre_production", "debug_signed": "debug_signed", "vendor": "module_vendor",
                     "date": "date", "size*4": "size_bytes", "txt_svn": "txt_svn", "se_svn": "se_svn",
                     "code_control": "code_control", "scratch_size": "scratch_size"}
            if key == "entry point":
                sel, ep = val.split(":")
                f["header.seg_sel"] = int(sel, 16)
                f["header.entry_point"] = int(ep, 16)
            elif key in names:
                f["header." + names[key]] = n
        elif section == "info":
            if key == "uuid":
                # {0x7fc03aaa, 0x46a7, 0x18db, 0xac2e,\n\t\t{0x69, 0x8f, ...}}
                rest = lines[i].strip(); i += 1
                a = [int(x, 16) for x in re.findall(r'0x([0-9a-fA-F]+)', val)]
                b = [int(x, 16) for x in re.findall(r'0x([0-9a-fA-F]+)', rest)]
                f["info.uuid"] = "%08x-%04x-%04x-%04x-%s" % (a[0], a[1], a[2], a[3], ''.join("%02x" % x for x in b))
            elif key == "acm_revision":
                f["info.acm_revision"] = [int(x, 16) for x in val.split(".")]
            elif key == "capabilities":
                f["info.capabilities.raw"] = n
            elif key in ("rlp_wake_getsec", "rlp_wake_monitor", "ecx_pgtbl", "stm", "pcr_map_no_legacy",
                         "pcr_map_da", "platform_type", "max_phy_addr", "tcg_event_log_format", "cbnt_supported"):
                f["info.capabilities." + key] = n
            elif key in ("chipset_acm_type", "version", "length", "chipset_id_list", "os_sinit_data_ver",
                         "min_mle_hdr_ver", "acm_ver"):
                f["info." + key] = n
        elif section in ("chipset", "processor"):
            if key == "count":
                f[section + ".count"] = n
            elif entry is not None:
                f["%s.%d.%s" % (section, entry, key)] = n
        elif section == "tpm":
            if key in ("ext_policy", "tpm_family", "tpm_nv_index_set"):
                f["tpm." + key] = n
            elif key == "alg count":
                f["tpm.alg_count"] = n
            elif key == "alg_id":
                algs.append(n)
                f["tpm.algs"] = list(algs)
        elif section == "sig":
            if key == "key size*4":
                f["header.key_size"] = n
            elif key == "RSA public key exponent":
                f["header.rsa_exponent"] = n
    if hexbuf is not None:
        f[hexbuf[0]] = ''.join(hexbuf[1])
    return f


def rensa_fields(d):
    """rensa JSON object -> the same canonical names."""
    f = {}
    for k, v in d.get("header", {}).items():
        f["header." + k] = v
    t = d.get("info_table", {})
    for k, v in t.items():
        if k == "capabilities":
            for ck, cv in v.items():
                f["info.capabilities." + ck] = cv
        else:
            f["info." + k] = v
    cl = d.get("chipset_list")
    if cl:
        f["chipset.count"] = cl["count"]
        for i, e in enumerate(cl["entries"]):
            for k in ("flags", "vendor_id", "device_id", "revision_id", "extended_id"):
                f["chipset.%d.%s" % (i, k)] = e[k]
    pl = d.get("processor_list")
    if pl:
        f["processor.count"] = pl["count"]
        for i, e in enumerate(pl["entries"]):
            for k in ("fms", "fms_mask", "platform_id", "platform_mask"):
                f["processor.%d.%s" % (i, k)] = e[k]
    tp = d.get("tpm_info_list")
    if tp:
        for k in ("ext_policy", "tpm_family", "tpm_nv_index_set", "alg_count"):
            f["tpm." + k] = tp[k]
        f["tpm.algs"] = [a["id"] for a in tp["algorithms"]]
    return f


def main():
    rensa, acminfo, path = sys.argv[1:4]
    r = subprocess.run([rensa, "acm", "info", "--json", path], capture_output=True, text=True)
    try:
        d = json.loads(r.stdout)[0]
    except (ValueError, IndexError) as e:
        print("rensa output unreadable (%s): %s" % (e, r.stderr.strip()))
        return 2
    t = subprocess.run([acminfo, path], capture_output=True, text=True)
    if not d["valid"] or "AC module header dump" not in t.stdout:
        print("not comparable: rensa valid=%s (%s), txt-acminfo exit %d" % (d["valid"], d["reason"], t.returncode))
        return 2
    tb = parse_tboot(t.stdout)
    rf = rensa_fields(d)
    knows_v9 = b"Unrecognized entry in ACM info table" in open(acminfo, "rb").read()
    skipped = 0
    bad = []
    agree = 0
    for k, v in sorted(tb.items()):
        if d["info_table"]["version"] >= 9 and not knows_v9 and k.split(".")[0] in ("chipset", "processor", "tpm"):
            skipped += 1
            continue
        if k in ("header.rsa_exponent", "header.rsa_signature") and d["header"]["header_version"] != 0:
            skipped += 1
            continue
        if k not in rf:
            bad.append("%s: txt-acminfo prints %r, rensa has no such field" % (k, v))
            continue
        if rf[k] != v:
            bad.append("%s: txt-acminfo %r, rensa %r" % (k, v, rf[k]))
            continue
        agree += 1
    # Lists rensa prints must be printed by txt-acminfo too (unless skipped above).
    for k in rf:
        if k.split(".")[0] in ("chipset", "processor", "tpm") and k not in tb and \
                (d["info_table"]["version"] < 9 or knows_v9):
            bad.append("%s: rensa prints %r, txt-acminfo does not" % (k, rf[k]))
    for b in bad:
        print("disagree " + b)
    print("agree %d fields, %d disagree, %d skipped" % (agree, len(bad), skipped))
    return 1 if bad or agree < 20 else 0


if __name__ == "__main__":
    sys.exit(main())
