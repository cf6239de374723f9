/* Rensa's entry points: the Multiboot headers, the pre-launch entry that
 * the boot loader jumps to, the post-launch entry that SINIT returns to,
 * and the CPU exception stubs. */

#define MB1_MAGIC 0x1BADB002
#define MB1_FLAGS 0x00000003 /* page-aligned modules, memory information */
#define MB2_MAGIC 0xE85250D6
#define STACK_SIZE 16384
#define CS32 0x08
#define DS32 0x10

/* ------------------------------------------------------------ headers */
    .section .multiboot, "a"
    .align 4
mb1_header:
    .long MB1_MAGIC
    .long MB1_FLAGS
    .long -(MB1_MAGIC + MB1_FLAGS)

    .align 8
mb2_header:
    .long MB2_MAGIC
    .long 0                                 /* i386 */
    .long mb2_header_end - mb2_header
    .long -(MB2_MAGIC + (mb2_header_end - mb2_header))
    .align 8
mb2_info_request:                           /* optional: what Rensa reads */
    .short 1, 1
    .long mb2_info_request_end - mb2_info_request
    .long 1, 2, 3, 4, 6, 8, 14, 15, 17
mb2_info_request_end:
    .align 8
    .short 6, 0                             /* page-align modules */
    .long 8
    .align 8
    .short 0, 0                             /* end */
    .long 8
mb2_header_end:

/* ------------------------------------------------------------ pre-launch */
    .section .text.entry, "ax"
    .code32
    .globl _start
_start:
    cli
    cld
    movl %eax, %edx                         /* Multiboot magic */
    movl %ebx, %ebp                         /* Multiboot information */
    movl $_bss_start, %edi
    movl $_bss_end, %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb
    movl $stack_top, %esp
    call load_cpu_tables
    pushl %ebp
    pushl %edx
    call rensa_main
1:  cli
    hlt
    jmp 1b

/* GDT, segments and IDT: a known CPU state before any C runs. Clobbers
 * EAX, ECX, EDI. */
load_cpu_tables:
    /* Fill 32 interrupt gates from the stub table. */
    xorl %ecx, %ecx
3:  movl exc_stub_table(,%ecx,4), %eax
    leal idt(,%ecx,8), %edi
    movw %ax, (%edi)
    movw $CS32, 2(%edi)
    movw $0x8e00, 4(%edi)                   /* present, DPL 0, 32-bit interrupt gate */
    shrl $16, %eax
    movw %ax, 6(%edi)
    incl %ecx
    cmpl $32, %ecx
    jne 3b
/* GDT, segments and the (filled) IDT; the RLPs start here. Clobbers EAX. */
    .globl load_gdt_idt
load_gdt_idt:
    lgdt gdt_desc
    ljmp $CS32, $2f
2:  movw $DS32, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    lidt idt_desc
    ret

/* ------------------------------------------------------------ post-launch */
/* SINIT enters here after GETSEC[SENTER] (MLE Developer's Guide, "MLE
 * Initialization"): protected mode, paging off, interrupts off, CS/DS
 * flat but from SINIT's GDT, no IDT, no stack; EBX = the physical address
 * of this entry, ECX = the MLE page table (MLE_CAP_ECX_PGTBL). Every piece
 * of CPU state is rebuilt before C runs; rensa_post_launch checks EBX and
 * ECX against what Rensa set up. State that survives the launch is in the
 * launch context (include/ctx.h), found through OsMleData. */
    .globl _post_launch_entry
_post_launch_entry:
    cli
    cld
    movl %ecx, %esi                         /* load_cpu_tables clobbers ECX */
    movl $stack_top, %esp
    call load_cpu_tables
    pushl %esi                              /* ECX: MLE page table */
    pushl %ebx                              /* EBX: where SINIT entered */
    call rensa_post_launch
4:  cli
    hlt
    jmp 4b

/* ------------------------------------------------------------ S3 */
/* The boot processor after an S3 sleep Rensa entered: the firmware ran
 * the waking stub in the real-mode page (txt/rlp_entry.S), which loaded
 * Rensa's GDT and came here in protected mode, paging off. The launch
 * context survived in RAM (Rensa's image is reserved). */
    .globl _s3_entry
_s3_entry:
    cli
    cld
    movl $DS32, %eax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl $stack_top, %esp
    call load_cpu_tables
    call rensa_s3_resume
7:  cli
    hlt
    jmp 7b

/* ------------------------------------------------------------ shutdown */
/* The kernel leaves the measured environment through here (the tboot shared
 * page's shutdown_entry, include/tboot_shared.h): Linux and Xen call it in
 * 64-bit mode with Rensa's image mapped 1:1. Back to 32-bit protected mode
 * with paging off (long mode ends when CR0.PG clears), EFER.LME and CR4.PAE
 * off, Rensa's GDT, IDT and stack, then rensa_shutdown in C. */
    .globl _shutdown_entry
    .code64
_shutdown_entry:
    cli
    lgdt gdt_desc64(%rip)
    movl $5f, %eax                          /* zero-extends into RAX */
    pushq $CS32
    pushq %rax
    lretq
    .code32
5:  movl $DS32, %eax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl %cr0, %eax
    andl $0x7fffffff, %eax
    movl %eax, %cr0
    movl $0xc0000080, %ecx                  /* IA32_EFER */
    rdmsr
    andl $~0x100, %eax                      /* LME */
    wrmsr
    movl %cr4, %eax
    andl $~0xa0, %eax                       /* PAE, PGE */
    movl %eax, %cr4
    movl $stack_top, %esp
    call load_cpu_tables
    call rensa_shutdown
6:  cli
    hlt
    jmp 6b

/* ------------------------------------------------------------ exceptions */
.macro EXC_NOERR n
exc_\n:
    pushl $0
    pushl $\n
    jmp exc_common
.endm
.macro EXC_ERR n
exc_\n:
    pushl $\n
    jmp exc_common
.endm

EXC_NOERR 0
EXC_NOERR 1
EXC_NOERR 2
EXC_NOERR 3
EXC_NOERR 4
EXC_NOERR 5
EXC_NOERR 6
EXC_NOERR 7
EXC_ERR 8
EXC_NOERR 9
EXC_ERR 10
EXC_ERR 11
EXC_ERR 12
EXC_ERR 13
EXC_ERR 14
EXC_NOERR 15
EXC_NOERR 16
EXC_ERR 17
EXC_NOERR 18
EXC_NOERR 19
EXC_NOERR 20
EXC_ERR 21
EXC_NOERR 22
EXC_NOERR 23
EXC_NOERR 24
EXC_NOERR 25
EXC_NOERR 26
EXC_NOERR 27
EXC_NOERR 28
EXC_ERR 29
EXC_ERR 30
EXC_NOERR 31

/* Stack: vector, error code, EIP, CS, EFLAGS. */
exc_common:
    movl $stack_top, %eax                   /* a fresh stack: the old one may be the fault */
    movl 0(%esp), %ecx                      /* vector */
    movl 4(%esp), %edx                      /* error code */
    movl 8(%esp), %ebx                      /* faulting EIP */
    movl %eax, %esp
    pushl %ebx
    pushl %edx
    pushl %ecx
    call rensa_exception
5:  cli
    hlt
    jmp 5b

    .section .rodata
    .align 4
exc_stub_table:
    .long exc_0, exc_1, exc_2, exc_3, exc_4, exc_5, exc_6, exc_7
    .long exc_8, exc_9, exc_10, exc_11, exc_12, exc_13, exc_14, exc_15
    .long exc_16, exc_17, exc_18, exc_19, exc_20, exc_21, exc_22, exc_23
    .long exc_24, exc_25, exc_26, exc_27, exc_28, exc_29, exc_30, exc_31

    .align 8
    .globl gdt, gdt_end
gdt:
    .quad 0
    /* The accessed bit is set already: the GDT is in the measured MLE,
     * and the processor would otherwise set it when a selector is
     * loaded, changing the MLE after SINIT measured it (PCR 18 would then
     * match no prediction made from the file). */
    .quad 0x00cf9b000000ffff                /* 0x08: flat 32-bit code */
    .quad 0x00cf93000000ffff                /* 0x10: flat data */
gdt_end:
    .align 4
gdt_desc:
    .short gdt_end - gdt - 1
    .long gdt
gdt_desc64:                                 /* LGDT in 64-bit mode reads a 64-bit base */
    .short gdt_end - gdt - 1
    .long gdt, 0

idt_desc:
    .short 32 * 8 - 1
    .long idt

    .section .bss
    .align 8
idt:
    .space 32 * 8
    .align 16
stack:
    .space STACK_SIZE
stack_top:
