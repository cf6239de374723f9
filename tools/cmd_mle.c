/* rensa mle: the MLE as SINIT sees it (docs/cli.md, docs/txt-launch.md).
 *
 *   rensa mle hash [--alg sha1|sha256|both] [--json] FILE
 *
 * Loads the ELF's PT_LOAD segments at their physical addresses relative to
 * the lowest, finds the MLE header by its UUID, builds the MLE page table
 * with the loader's own builder (txt/mle_pt.c) over a model of physical
 * memory, walks it with the loader's walker (what SINIT does) and hashes
 * the MLE's bytes in linear order. The result is what SINIT extends as the
 * MLE measurement, and what tboot's lcp2_mlehash prints. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <zlib.h>
#include "commands.h"
#include "mle_tool.h"
#include "elf_image.h"
#include "mle.h"
#include "mle_pt.h"

#define MLE_FILE_MAX (256u << 20)
#define MLE_IMAGE_MAX (256u << 20)

/* Reads a file, gunzipping it if it is compressed (as lcp2_mlehash does). */
static uint8_t *read_all(const char *path, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 20, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            if (cap >= MLE_FILE_MAX)
                break;
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb)
                break;
            buf = nb;
            cap *= 2;
        }
        int r = gzread(f, buf + n, (unsigned)(cap - n));
        if (r < 0) {
            free(buf);
            buf = NULL;
            break;
        }
        if (r == 0) {
            gzclose(f);
            *len = n;
            return buf;
        }
        n += (size_t)r;
    }
    gzclose(f);
    free(buf);
    return NULL;
}

static int load_elf(const uint8_t *f, size_t len, struct image *img, char *err, size_t errlen)
{
    struct elf32_ehdr eh;
    if (len < sizeof(eh) || memcmp(f, ELF_MAGIC, 4) != 0) {
        snprintf(err, errlen, "not an ELF file");
        return -1;
    }
    memcpy(&eh, f, sizeof(eh));
    if (eh.e_ident[ELF_EI_CLASS] != ELF_CLASS32 || eh.e_ident[ELF_EI_DATA] != ELF_DATA_LSB ||
        eh.e_machine != ELF_EM_386 || eh.e_type != ELF_ET_EXEC) {
        snprintf(err, errlen, "not a 32-bit little-endian i386 executable (an MLE image is one)");
        return -1;
    }
    if (eh.e_phentsize < sizeof(struct elf32_phdr) || eh.e_phnum == 0 ||
        (uint64_t)eh.e_phoff + (uint64_t)eh.e_phnum * eh.e_phentsize > len) {
        snprintf(err, errlen, "program headers past the end of the file");
        return -1;
    }
    uint64_t lo = UINT64_MAX, hi = 0;
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        struct elf32_phdr ph;
        memcpy(&ph, f + eh.e_phoff + (size_t)i * eh.e_phentsize, sizeof(ph));
        if (ph.p_type != ELF_PT_LOAD || ph.p_memsz == 0)
            continue;
        if (ph.p_filesz > ph.p_memsz || (uint64_t)ph.p_offset + ph.p_filesz > len) {
            snprintf(err, errlen, "segment %u: file bytes past the end of the file or beyond its memory size", i);
            return -1;
        }
        lo = ph.p_paddr < lo ? ph.p_paddr : lo;
        hi = (uint64_t)ph.p_paddr + ph.p_memsz > hi ? (uint64_t)ph.p_paddr + ph.p_memsz : hi;
    }
    if (hi <= lo || hi - lo > MLE_IMAGE_MAX) {
        snprintf(err, errlen, "no loadable segments, or they span more than %u MiB", MLE_IMAGE_MAX >> 20);
        return -1;
    }
    img->base = lo;
    img->size = hi - lo;
    img->bytes = calloc(1, (size_t)img->size);
    if (!img->bytes) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        struct elf32_phdr ph;
        memcpy(&ph, f + eh.e_phoff + (size_t)i * eh.e_phentsize, sizeof(ph));
        if (ph.p_type == ELF_PT_LOAD && ph.p_memsz)
            memcpy(img->bytes + (ph.p_paddr - lo), f + ph.p_offset, ph.p_filesz);
    }
    return 0;
}

static const void *phys_map(void *ctx, paddr_t addr, uint64_t len)
{
    const struct physmem *m = ctx;
    if (addr >= m->pt_phys && len <= m->pt_len && addr - m->pt_phys <= m->pt_len - len)
        return m->pt + (addr - m->pt_phys);
    if (addr >= m->img->base && len <= m->img->size && addr - m->img->base <= m->img->size - len)
        return m->img->bytes + (addr - m->img->base);
    return NULL;
}

static void hex(const uint8_t *p, unsigned n, char *out)
{
    for (unsigned i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
}

static int usage(void)
{
    fprintf(stderr, "usage: rensa mle hash [--alg sha1|sha256|both] [--json] FILE\n");
    return EXIT_USAGE;
}

void mle_walked_free(struct mle_walked *w)
{
    free(w->pages);
    free(w->pt);
    free(w->img.bytes);
    memset(w, 0, sizeof(*w));
}

int mle_walk_file(const char *cmd, const char *path, struct mle_walked *w)
{
    memset(w, 0, sizeof(*w));
    size_t flen = 0;
    uint8_t *file = read_all(path, &flen);
    if (!file) {
        fprintf(stderr, "rensa %s: %s: cannot read\n", cmd, path);
        return EXIT_INPUT;
    }
    char err[160];
    int rc = EXIT_INPUT;
    if (load_elf(file, flen, &w->img, err, sizeof(err)) != 0) {
        fprintf(stderr, "rensa %s: %s: %s\n", cmd, path, err);
        goto out;
    }
    /* The MLE header: the UUID on a 4-byte boundary (lcp2_mlehash looks on
     * 16-byte boundaries only; Rensa's header is page aligned). */
    static const uint32_t uuid[4] = {MLE_UUID0, MLE_UUID1, MLE_UUID2, MLE_UUID3};
    uint64_t hoff = UINT64_MAX;
    for (uint64_t o = 0; o + sizeof(struct mle_header) <= w->img.size; o += 4)
        if (memcmp(w->img.bytes + o, uuid, sizeof(uuid)) == 0) {
            hoff = o;
            break;
        }
    if (hoff == UINT64_MAX) {
        fprintf(stderr, "rensa %s: %s: E_TXT_NO_MLE_HEADER: no MLE header (UUID 9082ac5a-...) in the loaded image\n",
                cmd, path);
        goto out;
    }
    struct mle_header h;
    memcpy(&h, w->img.bytes + hoff, sizeof(h));
    /* mle_start_off and mle_end_off count from the image's first byte (the
     * lowest loaded address), as lcp2_mlehash reads them. */
    uint64_t start = h.mle_start_off, end = h.mle_end_off, mle_phys = w->img.base + start;
    if (end <= start || end > w->img.size || (mle_phys & (MLE_PT_PAGE - 1)) || hoff < start || hoff >= end) {
        fprintf(stderr,
                "rensa %s: %s: E_TXT_NO_MLE_HEADER: MLE [0x%" PRIx64 ", 0x%" PRIx64 ") with its header at 0x%" PRIx64
                " is empty, outside the 0x%" PRIx64 "-byte image, not page aligned, or does not hold the header\n",
                cmd, path, start, end, hoff, w->img.size);
        goto out;
    }
    uint64_t size = end - start, npages = mle_pt_pages(size), ptlen = mle_pt_size(size);
    /* The table goes directly below the MLE, as tboot and GRUB place it,
     * or above the image when the MLE starts too low. */
    uint64_t pt_phys = mle_phys >= ptlen ? mle_phys - ptlen : ALIGN_UP(w->img.base + w->img.size, MLE_PT_PAGE);
    w->pt = malloc(ptlen);
    w->pages = malloc(npages * sizeof(*w->pages));
    if (!w->pt || !w->pages) {
        fprintf(stderr, "rensa %s: out of memory\n", cmd);
        goto out;
    }
    struct diag d;
    enum mle_pt_reason r = mle_pt_build(w->pt, ptlen, pt_phys, mle_phys, size, &d);
    w->mem = (struct physmem){&w->img, w->pt, pt_phys, ptlen};
    struct mle_pt_mem mem = {phys_map, &w->mem};
    uint64_t got = 0;
    if (r == MLE_PT_OK)
        r = mle_pt_walk(&mem, pt_phys, size, w->pages, npages, &got, &d);
    if (r != MLE_PT_OK) {
        fprintf(stderr, "rensa %s: %s: %s\n", cmd, path, d.msg);
        rc = EXIT_PROBLEM;
        goto out;
    }
    w->hoff = hoff;
    w->start = start;
    w->end = end;
    w->size = size;
    w->npages = got;
    w->pt_phys = pt_phys;
    w->pt_len = ptlen;
    w->entry_point = h.entry_point;
    rc = 0;
out:
    free(file);
    if (rc)
        mle_walked_free(w);
    return rc;
}

bool mle_walked_hash(const struct mle_walked *w, const EVP_MD *md, uint8_t *out)
{
    /* Hash in linear order through the page table. */
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    bool ok = c && md && EVP_DigestInit_ex(c, md, NULL) == 1;
    for (uint64_t i = 0; ok && i < w->npages; i++) {
        uint64_t n = w->size - i * MLE_PT_PAGE < MLE_PT_PAGE ? w->size - i * MLE_PT_PAGE : MLE_PT_PAGE;
        const void *p = phys_map((void *)&w->mem, w->pages[i], n);
        ok = p && EVP_DigestUpdate(c, p, n) == 1;
    }
    unsigned len = 0;
    ok = ok && EVP_DigestFinal_ex(c, out, &len) == 1;
    EVP_MD_CTX_free(c);
    return ok;
}

static int mle_hash(int argc, char **argv)
{
    const char *alg = "both", *path = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--alg") == 0 && i + 1 < argc)
            alg = argv[++i];
        else if (argv[i][0] == '-' || path) {
            fprintf(stderr, "rensa mle hash: unknown argument '%s'\n", argv[i]);
            return usage();
        } else
            path = argv[i];
    }
    int want1 = !strcmp(alg, "sha1") || !strcmp(alg, "both");
    int want256 = !strcmp(alg, "sha256") || !strcmp(alg, "both");
    if (!path || (!want1 && !want256))
        return usage();

    struct mle_walked w;
    int rc = mle_walk_file("mle hash", path, &w);
    if (rc)
        return rc;
    uint8_t d1[20], d256[32];
    char h1[41], h256[65];
    if (!mle_walked_hash(&w, EVP_sha1(), d1) || !mle_walked_hash(&w, EVP_sha256(), d256)) {
        fprintf(stderr, "rensa mle hash: OpenSSL failed\n");
        mle_walked_free(&w);
        return EXIT_INPUT;
    }
    hex(d1, 20, h1);
    hex(d256, 32, h256);
    if (json) {
        printf("{\"file\": ");
        json_string(path);
        printf(", \"image_base\": %" PRIu64 ", \"image_size\": %" PRIu64 ", \"header_off\": %" PRIu64
               ", \"mle_start_off\": %" PRIu64 ", \"mle_end_off\": %" PRIu64 ", \"mle_size\": %" PRIu64
               ", \"entry_point\": %u, \"pages\": %" PRIu64 ", \"page_table_bytes\": %" PRIu64,
               w.img.base, w.img.size, w.hoff, w.start, w.end, w.size, w.entry_point, w.npages, w.pt_len);
        if (want1)
            printf(", \"sha1\": \"%s\"", h1);
        if (want256)
            printf(", \"sha256\": \"%s\"", h256);
        printf("}\n");
    } else {
        printf("%s:\n  image: 0x%" PRIx64 "..0x%" PRIx64 " (physical)\n", path, w.img.base, w.img.base + w.img.size);
        printf("  mle: offsets 0x%" PRIx64 "..0x%" PRIx64 " (%" PRIu64 " bytes, %" PRIu64
               " pages), header at 0x%" PRIx64 ", entry at linear 0x%x\n",
               w.start, w.end, w.size, w.npages, w.hoff, w.entry_point);
        printf("  page table: %" PRIu64 " pages at 0x%" PRIx64 ", walked: every entry valid\n",
               w.pt_len / MLE_PT_PAGE, w.pt_phys);
        if (want1)
            printf("  sha1: %s\n", h1);
        if (want256)
            printf("  sha256: %s\n", h256);
    }
    mle_walked_free(&w);
    return 0;
}

int cmd_mle(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    if (strcmp(argv[1], "hash") == 0)
        return mle_hash(argc - 1, argv + 1);
    fprintf(stderr, "rensa mle: unknown subcommand '%s'\n", argv[1]);
    return usage();
}
