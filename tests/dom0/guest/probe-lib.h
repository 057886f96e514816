/*
 * What the bare Xen 2.0 test and bench guests share (probe-lib.c): the start
 * (shared_info mapped, the control interface found, events unmasked with no
 * callback, so SCHEDOP_block returns when one is pending and the guest clears
 * the bits itself), console output, the control ring's send and receive, and
 * the event channel, a grant table, a block front end's connection.  Each guest is a probe_main of its own beside this file.
 */
#ifndef _PROBE_LIB_H_
#define	_PROBE_LIB_H_

#include <machine/xen/hypervisor.h>

#define	VIRT_BASE	0xC0000000UL

extern start_info_t *si;
extern shared_info_t *shared;
extern control_if_t *ctrl;
extern unsigned long *p2m;
extern unsigned int cport;
/* Timer ticks seen by wait_event; past tick_limit (0: none) the guest fails. */
extern unsigned int ticks, tick_limit;
/* The word before "FAIL" in a failure line ("probe", "blk", "bench"). */
extern const char *fail_tag;

void	probe_start(start_info_t *start, unsigned long base);
void	say(const char *s);
void	sayhex(unsigned int v, int digits);
void	saydec(unsigned int v);
void	fail(const char *why);
unsigned long mfn_of(void *va);
void	notify(unsigned int port);
void	wait_event(void);
void	ctrl_send(int type, int subtype, void *body, int len);
void	ctrl_recv(int type, int subtype, void *body, int len);
grant_entry_t *grant_table_start(unsigned long va);
void	blkif_connect(blkif_sring_t *ring, unsigned int *port,
	    unsigned int *backend);

#endif /* !_PROBE_LIB_H_ */
