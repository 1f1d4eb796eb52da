@ A tiny Cortex-M4 program for the image tests: a vector table, code, 9 bytes of
@ .rodata, initialised .data (loaded from flash) and .bss. See mk.sh.
	.syntax unified
	.cpu cortex-m4
	.thumb

	.section .isr_vector, "a", %progbits
	.word _estack
	.word Reset_Handler

	.section .text, "ax", %progbits
	.thumb_func
	.global Reset_Handler
Reset_Handler:
	ldr r0, =counter
	ldr r1, [r0]
	adds r1, #1
	str r1, [r0]
	b Reset_Handler
	.ltorg

	.section .rodata, "a", %progbits
msg:	.ascii "stmrescue"

	.section .data, "aw", %progbits
	.align 2
counter: .word 0x11223344

	.section .bss, "aw", %nobits
	.align 2
zero:	.space 16
