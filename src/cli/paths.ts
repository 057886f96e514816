/*
 * Where the bundled inputs live (see src/project-root.ts), for the commands.
 */
export { PROJECT_ROOT, SAMPLE_KERNEL_DIR, HALT_LINE } from '../project-root.js';
