/* kernel_jump(const struct kernel_entry *ke): enter the next kernel in
 * 32-bit protected mode with Rensa's own flat GDT: code at 0x10 and data at
 * 0x18 (Linux's __BOOT_CS / __BOOT_DS; Multiboot kernels take any flat
 * selectors), interrupts off, EFLAGS clear, EAX/EBX/ESI from *ke and every
 * other general register zero (Linux wants EBP, EDI and EBX zero). */
#include "kernel_load.h"

#define HANDOFF_CS 0x10
#define HANDOFF_DS 0x18

    .section .rodata
    .balign 8
handoff_gdt:
    .quad 0                     /* 0x00: null */
    .quad 0                     /* 0x08: unused */
    .quad 0x00cf9b000000ffff    /* 0x10: code, base 0, limit 4 GiB, 32-bit, execute/read, accessed */
    .quad 0x00cf93000000ffff    /* 0x18: data, base 0, limit 4 GiB, read/write, accessed */
handoff_gdt_end:

    .balign 4
    .word 0                     /* so that the base below is 4-byte aligned */
handoff_gdtr:
    .word handoff_gdt_end - handoff_gdt - 1
    .long handoff_gdt

    .text
    .code32
    .globl kernel_jump
    .type kernel_jump, @function
kernel_jump:
    cli
    movl 4(%esp), %ebp          /* ke: kept in EBP until the last loads */
    lgdt handoff_gdtr
    ljmp $HANDOFF_CS, $1f
1:
    movl $HANDOFF_DS, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %fs
    movl %eax, %gs
    movl %eax, %ss
    pushl KE_EIP(%ebp)          /* the entry point, taken by ret below */
    pushl $0
    popfl                       /* IF, DF, TF, AC and the rest cleared */
    movl KE_EAX(%ebp), %eax
    movl KE_EBX(%ebp), %ebx
    movl KE_ESI(%ebp), %esi
    xorl %ecx, %ecx
    xorl %edx, %edx
    xorl %edi, %edi
    xorl %ebp, %ebp
    ret
    .size kernel_jump, . - kernel_jump

    .section .note.GNU-stack, "", @progbits
