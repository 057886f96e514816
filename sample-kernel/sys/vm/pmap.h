/*-
 * Copyright (c) 2026 The xenoport project.
 * All rights reserved.
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions
 * are met:
 * 1. Redistributions of source code must retain the above copyright
 *    notice, this list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright
 *    notice, this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 *
 * THIS SOFTWARE IS PROVIDED BY THE XENOPORT PROJECT AND CONTRIBUTORS ``AS IS''
 * AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
 * IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE
 * ARE DISCLAIMED.  IN NO EVENT SHALL THE XENOPORT PROJECT OR CONTRIBUTORS BE
 * LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR
 * CONSEQUENTIAL DAMAGES ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE,
 * EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 *
 * $xenoport$
 *
 * The machine-independent interface to the physical map, implemented by
 * each architecture's pmap.c.
 */

#ifndef _VM_PMAP_H_
#define	_VM_PMAP_H_

#include <machine/pmap.h>

void		pmap_init __P((void));
void		pmap_pinit __P((pmap_t));
void		pmap_pinit0 __P((pmap_t));
void		pmap_release __P((pmap_t));
void		pmap_enter __P((pmap_t, vm_offset_t, vm_paddr_t, vm_prot_t,
		    boolean_t));
void		pmap_remove __P((pmap_t, vm_offset_t, vm_offset_t));
void		pmap_protect __P((pmap_t, vm_offset_t, vm_offset_t, vm_prot_t));
void		pmap_kenter __P((vm_offset_t, vm_paddr_t));
void		pmap_kremove __P((vm_offset_t));
void		pmap_qenter __P((vm_offset_t, vm_paddr_t *, int));
void		pmap_qremove __P((vm_offset_t, int));
vm_paddr_t	pmap_extract __P((pmap_t, vm_offset_t));
void		pmap_growkernel __P((vm_offset_t));
void		pmap_zero_page __P((vm_paddr_t));
void		pmap_copy_page __P((vm_paddr_t, vm_paddr_t));
void		pmap_copy __P((pmap_t, pmap_t, vm_offset_t, vm_size_t,
		    vm_offset_t));
void		pmap_clear_modify __P((pmap_t, vm_offset_t));
boolean_t	pmap_is_modified __P((pmap_t, vm_offset_t));
void		pmap_change_wiring __P((pmap_t, vm_offset_t, boolean_t));
void		pmap_update_page __P((vm_offset_t));

#endif /* !_VM_PMAP_H_ */
