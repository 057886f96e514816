export * from '../../src/hypervisor/index.js';
export { LAYOUT as LAYOUT_FOR_TESTS } from '../../src/xen-abi/index.js';
