/*
 * Rig self-test stub: a tiny Multiboot 1 kernel that stands in for Rensa
 * when testing the rig itself (tests/qemu/selftest).  It prints its command
 * line on COM1, with every '|' turned into a newline, and then does what the
 * last "stub_action=" word says: halt (default), reboot or poweroff.
 * Not part of the loader.
 */
	.set	MB_MAGIC, 0x1BADB002
	.set	MB_FLAGS, 0
	.set	COM1, 0x3f8

	.section .multiboot, "a"
	.align	4
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)

	.text
	.code32
	.globl	_start
_start:
	cli
	movl	$stack_top, %esp
	cmpl	$0x2BADB002, %eax
	jne	no_mbi
	testl	$4, (%ebx)		/* cmdline present? */
	jz	no_mbi
	movl	16(%ebx), %esi
	jmp	have_cmdline
no_mbi:
	movl	$empty, %esi
have_cmdline:
	movl	%esi, cmdline

	movl	$hello, %esi
	call	puts
	movl	cmdline, %esi
	call	puts_bar
	movl	$nl, %esi
	call	puts

	/* find the last "stub_action=" */
	movl	cmdline, %esi
	movl	$0, %edi		/* edi = start of value, 0 if none */
1:	cmpb	$0, (%esi)
	je	3f
	movl	$key, %edx
	movl	%esi, %ecx
2:	movb	(%edx), %al
	testb	%al, %al
	jz	found
	cmpb	%al, (%ecx)
	jne	next
	incl	%edx
	incl	%ecx
	jmp	2b
found:	movl	%ecx, %edi
next:	incl	%esi
	jmp	1b
3:	testl	%edi, %edi
	jz	do_halt
	cmpb	$'r', (%edi)
	je	do_reboot
	cmpb	$'p', (%edi)
	je	do_poweroff
do_halt:
	movl	$m_halt, %esi
	call	puts
4:	cli
	hlt
	jmp	4b
do_reboot:
	movl	$m_reboot, %esi
	call	puts
	movw	$0xcf9, %dx		/* PCI reset control: full reset */
	movb	$0x02, %al
	outb	%al, %dx
	movb	$0x06, %al
	outb	%al, %dx
	lidt	null_idt		/* fall back to a triple fault */
	int	$3
	jmp	do_halt
do_poweroff:
	movl	$m_poweroff, %esi
	call	puts
	movw	$0x604, %dx		/* ICH9 PM1a_CNT (SeaBIOS PMBASE 0x600) */
	movw	$0x2000, %ax		/* SLP_EN, SLP_TYP=0 (S5 on QEMU) */
	outw	%ax, %dx
	movw	$0xb004, %dx		/* PIIX4 PM1a_CNT, just in case */
	outw	%ax, %dx
	jmp	do_halt

/* putc %al on COM1 */
putc:
	pushl	%edx
	pushl	%eax
	movw	$COM1+5, %dx
1:	inb	%dx, %al
	testb	$0x20, %al
	jz	1b
	popl	%eax
	movw	$COM1, %dx
	outb	%al, %dx
	popl	%edx
	ret
/* puts: NUL-terminated string at %esi */
puts:
	lodsb
	testb	%al, %al
	jz	1f
	call	putc
	jmp	puts
1:	ret
/* puts_bar: like puts, but '|' becomes CR LF */
puts_bar:
	lodsb
	testb	%al, %al
	jz	2f
	cmpb	$'|', %al
	jne	1f
	movb	$'\r', %al
	call	putc
	movb	$'\n', %al
1:	call	putc
	jmp	puts_bar
2:	ret

	.data
hello:		.asciz	"rig-stub: cmdline: "
nl:		.asciz	"\r\n"
key:		.asciz	"stub_action="
m_halt:		.asciz	"rig-stub: halting\r\n"
m_reboot:	.asciz	"rig-stub: rebooting\r\n"
m_poweroff:	.asciz	"rig-stub: powering off\r\n"
empty:		.asciz	""
	.align	4
null_idt:	.word	0
		.long	0
cmdline:	.long	0

	.bss
	.align	16
	.space	4096
stack_top:
