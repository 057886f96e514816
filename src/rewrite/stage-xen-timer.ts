/*
 * Seed step 10, the clock: the guest's Xen timer code (VIRQ_TIMER, set_timer_op)
 * placed in front of the arch clock start-up, whose 8254/8259 path becomes
 * native-only.
 */
import { emptyResult, includeLineFor, type StageInput, type StageResult } from './stage-common.js';

/*
 * Step 10, the clock: under Xen the 8254 and the 8259 are the hypervisor's. The
 * guest binds VIRQ_TIMER to an event channel (xen_bind_virq), arms set_timer_op
 * one tick ahead (xen_set_timer), and runs the native clock interrupt handler
 * (what cpu_initclocks() hooked to IRQ0 with inthand_add) on each timer event,
 * from the minimal OS's event upcall (xen_handle_event, which this code defines
 * in place of the minimal OS's weak default). Xen 2.0 also sends VIRQ_TIMER
 * periodically once bound; the handler re-arms the one-shot from shared_info's
 * system time. Compiled only into Xen kernels (-DXENOPORT_XEN).
 */
export function xenClockC(handler: string): string {
  return `#ifdef XENOPORT_XEN
/*
 * xenoport step 10: the clock runs on Xen's timer (VIRQ_TIMER and set_timer_op),
 * not on the 8254 through IRQ0 of the 8259, which belong to the hypervisor.
 */
#include <machine/xen/hypervisor.h>

void xen_evtchn_dispatch(unsigned int port);

static int xen_timer_port = -1;
static struct trapframe xen_timer_frame;	/* a kernel-mode frame, outside an upcall */
extern void *xen_upcall_frame;		/* the interrupted context (minimal OS) */

/* Xen's system time in ns (0 when the hypervisor does not publish it). */
static xen_u64
xen_clock_now(void)
{
	shared_info_t *s;
	xen_u32 v;
	xen_u64 t;

	s = HYPERVISOR_shared_info;
	do {
		v = s->time_version2;
		__asm __volatile("" : : : "memory");
		t = s->system_time;
		__asm __volatile("" : : : "memory");
	} while (v != s->time_version1);
	return (t);
}

static void
xen_clock_arm(void)
{
	xen_set_timer(xen_clock_now() + (xen_u64)(1000000000U / (u_int)hz));
}

/* The minimal OS's event upcall calls this for every pending, unmasked port. */
void
xen_handle_event(unsigned int port)
{

	if ((int)port == xen_timer_port) {
		if (xen_clock_now() != 0)
			xen_clock_arm();
		/* The interrupted context's frame, as a native clock interrupt has. */
		${handler}(xen_upcall_frame != (void *)0 ?
		    (struct trapframe *)xen_upcall_frame : &xen_timer_frame);
		return;
	}
	/* The split drivers' channels (evtchn.c); one without a handler is masked. */
	xen_evtchn_dispatch(port);
}

static void
xen_clock_start(void)
{

	xen_timer_port = xen_bind_virq(VIRQ_TIMER);
	if (xen_timer_port < 0)
		panic("xen: cannot bind VIRQ_TIMER");
	xen_clock_arm();
	printf("timecounter: Xen VIRQ_TIMER on event channel %d, %d Hz clock\\n",
	    xen_timer_port, hz);
}
#endif /* XENOPORT_XEN */

`;
}

/**
 * The xen-timer stage: finds the clock start-up (the arch function that hooks a
 * handler to IRQ0 with inthand_add(0, handler), cpu_initclocks() in FreeBSD),
 * puts the Xen clock in front of it, and makes its body start the Xen clock
 * and return under XENOPORT_XEN, so the 8254 programming and the IRQ0 hookup
 * through the 8259 are compiled only into the native kernel.
 */
export function xenTimer(input: StageInput): StageResult {
  const { config, tree } = input;
  const r = emptyResult();
  for (const f of tree.files) {
    if (!f.startsWith(`${config.arch}/`) || !f.endsWith('.c')) continue;
    const text = tree.read(f).toString('latin1');
    // 4.x: inthand_add(0, clkintr); 5.x-7.x: intr_add_handler("clk", 0, (driver_intr_t *)clkintr, ...).
    const hook =
      /\binthand_add\s*\(\s*(?:0|IRQ0)\s*,\s*([A-Za-z_]\w*)\s*\)/.exec(text) ??
      /\b(?:intr_add_handler|inthand_add)\s*\(\s*"[^"]*"\s*,\s*(?:0|IRQ0)\s*,\s*(?:\(\s*\w+\s*\*?\s*\)\s*)?([A-Za-z_]\w*)\s*,/.exec(text);
    if (!hook) continue;
    // The definition that contains the hookup: `type\nname(...)\n[K&R decls]{`.
    const defs = [...text.matchAll(/^([A-Za-z_]\w*)\s*\([^;{)]*\)[ \t]*\n(?:[ \t]+[^\n;{]*;[ \t]*\n)*\{[ \t]*\n/gm)];
    const def = defs.filter((m) => (m.index as number) < hook.index).pop();
    if (!def) continue;
    const to = `${config.target}/${f.slice(config.arch.length + 1)}`;
    // The start of the definition's return-type line(s): back to the previous blank line or '}'.
    const before = text.slice(0, def.index as number);
    const typeStart = Math.max(before.lastIndexOf('\n\n'), before.lastIndexOf('}\n')) + 2;
    const bodyAt = (def.index as number) + def[0].length;
    const line = (at: number) => text.slice(0, at).split('\n').length;
    r.edits.push({
      file: to,
      startByte: typeStart,
      endByte: typeStart,
      replacement: xenClockC(hook[1]).replace('#include <machine/xen/hypervisor.h>', includeLineFor(config, tree)),
      ruleId: 'xenify/xen-timer',
      kind: 'xenify',
      where: `${f}:${line(typeStart)}`,
    });
    r.edits.push({
      file: to,
      startByte: bodyAt,
      endByte: bodyAt,
      replacement: '#ifdef XENOPORT_XEN\n\t/* xenoport step 10: no 8254 or 8259 under Xen; VIRQ_TIMER drives the clock. */\n\txen_clock_start();\n\treturn;\n#endif\n',
      ruleId: 'xenify/xen-timer',
      kind: 'xenify',
      where: `${f}:${line(bodyAt)}`,
    });
    r.summary = `${def[1]}() in ${to} starts the Xen timer (VIRQ_TIMER, set_timer_op) and calls ${hook[1]}() on timer events; the 8254/8259 path is native-only`;
    return r;
  }
  r.notes.push('no arch function hooks a handler to IRQ0 (inthand_add(0, ...), intr_add_handler("clk", 0, ...)): the clock is not moved to the Xen timer');
  r.summary = 'no clock start-up found';
  return r;
}
