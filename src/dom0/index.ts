/*
 * Domain 0: what the guest's split drivers talk to. Its network namespace with a
 * real NFS server (nfs-server.ts), the domain controller (controller.ts), netback
 * (netback.ts) and its link to the namespace's tap (tap-link.ts). Built on the
 * hypervisor's public face only. Other modules import only this file.
 */
export { NfsServer, Dom0Error, dom0Unavailable, ganeshaConfig, DOM0_IP, DOM0_PREFIX, NFS_PORT, MOUNTD_PORT, type NfsServerOptions } from './nfs-server.js';
export { DomainController, defaultMac, type ControllerOptions, type ControlMessage } from './controller.js';
export { Netback, RX_OFFSET, type NetbackStats } from './netback.js';
export { TapLink, TAPFWD, type FrameLink } from './tap-link.js';
export { Blkback, parseDiskSpec, type DiskSpec, type BlkbackStats } from './blkback.js';
export { BlkifControl } from './blkif-control.js';
