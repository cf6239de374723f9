/* The stand-in SINIT's entry, its exit into the MLE, and the RLPs' code
 * that cannot be C: the real-mode trampoline and the join (standin.c has
 * the contract, standin.h the rendezvous page). Position independent:
 * addresses inside the module are found from the program counter at run
 * time; the trampoline addresses its page from CS. */
#include "standin.h"

    .section .text.entry, "ax"
    .globl standin_entry
    .hidden standin_entry
    .type standin_entry, @function
/* Near-called at module base + entry_point: EBX base, ECX size, EDX SENTER
 * flags, ESI emulated TXT register space, EDI the RLP rendezvous page (or
 * 0). Returns only on an error, with EAX = ERRORCODE and the callee-saved
 * registers intact. */
standin_entry:
    cld
    pushl %ebp
    movl %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    andl $-16, %esp
    subl $12, %esp               /* 16-byte aligned at the call below */
    pushl %edi                   /* rendezvous page */
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

/* ---------------------------------------------------------------- RLPs */

#define CR0_PE 0x00000001
#define CR0_NE 0x00000020
/* ~(PG 31 | CD 30 | NW 29 | AM 18 | WP 16) */
#define CR0_KEEP 0x1FFAFFFF

/* The real-mode trampoline: rlp.c copies standin_rlp_tramp..end to offset
 * 0 of the rendezvous page and writes the page's data area (standin.h).
 * A SIPI with vector page >> 12 starts each RLP at its first byte in real
 * mode, CS = page >> 4, IP = 0. The 16-bit part addresses the data area
 * through DS = CS; the 32-bit part through EBX = the page. Not executed
 * where it is linked (read-only data of the module). */
    .section .rodata.standin_rlp_tramp, "a"
    .globl standin_rlp_tramp, standin_rlp_tramp32, standin_rlp_tramp_end
    .hidden standin_rlp_tramp, standin_rlp_tramp32, standin_rlp_tramp_end
    .code16
standin_rlp_tramp:
    cli
    cld
    movw %cs, %ax
    movw %ax, %ds                /* DS base = the page */
    xorl %ebx, %ebx
    movw %ax, %bx
    shll $4, %ebx                /* EBX = the page: survives the mode switch */
    lgdtl STANDIN_RDV_GDTR       /* operand size 32: all of the base */
    movl %cr0, %eax
    orl $CR0_PE, %eax
    movl %eax, %cr0
    ljmpl *STANDIN_RDV_FAR       /* 0x08 : page + (standin_rlp_tramp32 - standin_rlp_tramp) */
    .code32
standin_rlp_tramp32:
    movl $STANDIN_DS, %eax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    movl $1, %ecx
    lock xaddl %ecx, STANDIN_RDV_TICKET(%ebx) /* ECX = this RLP's ticket */
    cmpl $STANDIN_RDV_MAX_RLPS, %ecx
    jae 9f                       /* no stack left for it */
    movl %ecx, %eax
    shll $STANDIN_RDV_STACK_SHIFT, %eax
    negl %eax
    leal STANDIN_RDV_PAGE(%ebx,%eax), %esp /* page + 4 KiB - ticket * stack size */
    subl $8, %esp                /* 16-byte aligned at the call */
    pushl %ecx                   /* index */
    pushl %ebx                   /* page */
    call *STANDIN_RDV_ROUTINE(%ebx) /* standin_rlp_main: does not return */
9:  cli
    hlt
    jmp 9b
standin_rlp_tramp_end:

    .text
    .globl standin_rlp_join
    .hidden standin_rlp_join
    .type standin_rlp_join, @function
/* standin_rlp_join(gdt_limit, gdt_base, sel, eip, stub): never returns.
 * What GETSEC[WAKEUP] makes of a checked JOIN structure (SDM vol. 2D):
 * GDTR = {gdt_limit, gdt_base}, CR0.PE and NE set, PG, CD, NW, AM, WP
 * clear, EFLAGS = 2, DS = ES = FS = GS = SS = sel + 8, every general
 * register 0 (ESP too: the MLE sets its own stack), a far jump to
 * sel:eip. The far jump is written as code at stub (11 bytes of this
 * RLP's stack area in the rendezvous page) after two instructions that
 * clear EAX and ESP, so that no register is left holding an address. */
standin_rlp_join:
    cli
    movl 20(%esp), %edi          /* stub */
    movw $0xC031, (%edi)         /* 31 C0: xorl %eax, %eax */
    movw $0xE431, 2(%edi)        /* 31 E4: xorl %esp, %esp */
    movb $0xEA, 4(%edi)          /* EA: ljmp $sel, $eip (ptr16:32) */
    movl 16(%esp), %eax
    movl %eax, 5(%edi)
    movl 12(%esp), %ecx
    movw %cx, 9(%edi)
    movl 4(%esp), %eax
    movl 8(%esp), %edx
    subl $8, %esp
    movw %ax, 2(%esp)
    movl %edx, 4(%esp)
    lgdt 2(%esp)
    movl %cr0, %eax
    andl $CR0_KEEP, %eax
    orl $(CR0_NE | CR0_PE), %eax
    movl %eax, %cr0
    pushl $2
    popfl
    leal 8(%ecx), %eax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    movl %edi, %eax
    xorl %ebx, %ebx
    xorl %ecx, %ecx
    xorl %edx, %edx
    xorl %esi, %esi
    xorl %edi, %edi
    xorl %ebp, %ebp
    jmp *%eax
    .size standin_rlp_join, . - standin_rlp_join

    .globl standin_rlp_halt
    .hidden standin_rlp_halt
    .type standin_rlp_halt, @function
/* standin_rlp_halt(): this RLP stops for good (a TXT shutdown of one
 * processor): interrupts off, HLT forever. */
standin_rlp_halt:
1:  cli
    hlt
    jmp 1b
    .size standin_rlp_halt, . - standin_rlp_halt

    .section .note.GNU-stack, "", @progbits
