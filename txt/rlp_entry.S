/* The other processors' code (include/txt_rlp.h): where they enter from
 * the SENTER sleep state, and how a parked one leaves for its kernel. */
#include "txt_rlp.h"

    .text
    .code32
/* GETSEC[WAKEUP] / the MONITOR write brings each RLP here through
 * TXT.MLE.JOIN: protected mode, paging off, interrupts off, CS 0x08 and
 * DS/ES/SS 0x10 of Rensa's GDT (flat), no stack. Each takes a stack by
 * its ticket; one that BiosData did not count has none and halts. */
    .globl _rlp_entry
_rlp_entry:
    cli
    cld
    movl rensa_rlp, %esi                    /* struct txt_rlp * */
    movl $1, %eax
    lock xaddl %eax, RLP_TICKET(%esi)       /* EAX = this RLP's index */
    cmpl RLP_COUNT(%esi), %eax
    jae 9f
    leal 1(%eax), %ecx
    imull $RLP_STACK_SIZE, %ecx, %ecx
    addl RLP_PAGE(%esi), %ecx               /* the stacks follow the real-mode page */
    leal 4096(%ecx), %esp
    pushl %eax
    call load_gdt_idt
    call rensa_rlp_main                     /* (index); does not return */
9:  cli
    hlt
    jmp 9b

/* rlp_to_real(vector, page, slot): leave for real mode at vector, with
 * CS = vector >> 4 and IP = vector & 0xF (how a SIPI starts a processor
 * at a page, and how firmware enters an ACPI waking vector). The page
 * (below 1 MiB, built by txt/rlp.c) holds a GDT with 16-bit segments based
 * at the page, a copy of the 16-bit code below, and the far pointers: one
 * per RLP, and the boot processor's (slot: the pointer's offset in the
 * page). */
    .globl rlp_to_real
rlp_to_real:
    cli
    movl 4(%esp), %ebx                      /* vector: physical, below 1 MiB */
    movl 8(%esp), %edi                      /* the page */
    movl 12(%esp), %esi                     /* the slot's offset in the page */
    movl %ebx, %eax
    shrl $4, %eax
    shll $16, %eax                          /* segment (vector >> 4) in the high word */
    andl $0xf, %ebx
    orl %ebx, %eax                          /* offset (vector & 0xF) in the low word */
    movl %eax, (%edi,%esi)
    lgdt RLP_PAGE_GDTR(%edi)
    ljmp $0x08, $RLP_PAGE_CODE              /* the copy, in a 16-bit segment based at the page */

/* Copied to RLP_PAGE_CODE; runs with CS based at the page, SI = the slot. */
    .code16
    .globl rlp_real16_start, rlp_real16_rm, rlp_real16_end
rlp_real16_start:
    movw $0x10, %ax                         /* 16-bit data, base = the page, 64 KiB limit */
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    lidt RLP_PAGE_IDTR                      /* the real-mode IVT */
    movl %cr0, %eax
    andl $0x7ffffffe, %eax                  /* PE (and PG) off */
    movl %eax, %cr0
    ljmpw *RLP_PAGE_REAL                    /* CS = the page's segment: real mode */
rlp_real16_rm:
    xorw %ax, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    xorw %sp, %sp
    ljmpw *%cs:(%si)                        /* to the kernel's vector */
rlp_real16_end:
    .code32
    .if rlp_real16_end - rlp_real16_start > RLP_PAGE_WAKE - RLP_PAGE_CODE
    .error "the real-mode stub does not fit between RLP_PAGE_CODE and RLP_PAGE_WAKE"
    .endif

/* Copied to RLP_PAGE_WAKE: the FACS waking vector after an S3 sleep Rensa
 * entered. The firmware starts the boot processor here in real mode (CS =
 * vector >> 4, IP = 0, or any other split of the same address); txt/rlp.c
 * writes the page's segment into the MOV below. */
    .code16
    .globl s3_wake16_start, s3_wake16_seg, s3_wake16_end
s3_wake16_start:
    cli
    cld
    .byte 0xb8                              /* movw $segment, %ax */
s3_wake16_seg:
    .word 0
    movw %ax, %ds                           /* DS = the page */
    lgdtl RLP_PAGE_S3_GDTR                  /* Rensa's GDT (32-bit base) */
    movl %cr0, %eax
    orl $1, %eax                            /* PE */
    movl %eax, %cr0
    ljmpl *RLP_PAGE_S3_ENTRY                /* _s3_entry, CS 0x08 */
s3_wake16_end:
    .code32
    .if s3_wake16_end - s3_wake16_start > RLP_PAGE_S3_GDTR - RLP_PAGE_WAKE
    .error "the S3 waking stub does not fit between RLP_PAGE_WAKE and RLP_PAGE_S3_GDTR"
    .endif
