/* The stand-in SINIT's entry and its exit into the MLE (standin.c has the
 * contract). Position independent: addresses inside the module are found
 * from the program counter at run time. */
#include "standin.h"

    .section .text.entry, "ax"
    .globl standin_entry
    .hidden standin_entry
    .type standin_entry, @function
/* Near-called at module base + entry_point: EBX base, ECX size, EDX SENTER
 * flags, ESI emulated TXT register space. Returns only on an error, with
 * EAX = ERRORCODE and the callee-saved registers intact. */
standin_entry:
    cld
    pushl %ebp
    movl %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    andl $-16, %esp              /* 16-byte aligned at the call below */
    pushl %esi                   /* txt */
    pushl %edx                   /* flags */
    pushl %ecx                   /* size */
    pushl %ebx                   /* base */
    call standin_main
    leal -12(%ebp), %esp
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret
    .size standin_entry, . - standin_entry

    .text
    .globl standin_enter_mle
    .hidden standin_enter_mle
    .type standin_enter_mle, @function
/* standin_enter_mle(entry_phys, pt_phys, flags, stack_top): never returns.
 * Loads the flat GDT below, CS 0x08, data selectors 0x10, and jumps to the
 * MLE with EBX = entry_phys, ECX = pt_phys, EDX = flags, IF = 0, paging
 * off (as it is at SENTER). stack_top 0 keeps the current stack. */
standin_enter_mle:
    cli
    movl 4(%esp), %ebx
    movl 8(%esp), %ecx
    movl 12(%esp), %edx
    movl 16(%esp), %esi
    testl %esi, %esi
    jnz 1f
    movl %esp, %esi
1:  call 2f
2:  popl %edi                    /* run-time address of 2 */
    movl %esi, %esp
    subl $8, %esp
    movw $(standin_gdt_end - standin_gdt - 1), 2(%esp)
    leal (standin_gdt - 2b)(%edi), %eax
    movl %eax, 4(%esp)
    lgdt 2(%esp)
    leal (3f - 2b)(%edi), %eax
    pushl $STANDIN_CS
    pushl %eax
    lret
3:  movl $STANDIN_DS, %eax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    movl %esi, %esp
    xorl %eax, %eax
    xorl %esi, %esi
    xorl %edi, %edi
    xorl %ebp, %ebp
    jmp *%ebx
    .size standin_enter_mle, . - standin_enter_mle

    .balign 8
standin_gdt:
    .quad 0                      /* null */
    .quad 0x00cf9b000000ffff     /* 0x08: flat 32-bit code, ring 0 */
    .quad 0x00cf93000000ffff     /* 0x10: flat data */
standin_gdt_end:

    .section .note.GNU-stack, "", @progbits
