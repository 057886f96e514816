/*
 * The Xen 2.0 guest ABI: declarations (xen2.ts), their reader (model.ts) and the
 * generators of the guest header, the guest API C file, the docs table and the
 * layout table. Other modules import only this file.
 */
export * from './xen2.js';
export { loadAbiModel, abiSourceHash, ABI_SOURCE, type AbiModel, type AbiStruct, type AbiField } from './model.js';
export { renderHeader, renderGuestC, renderDocs, renderLayoutTs, renderGuestFiles } from './generate.js';
export { LAYOUT, ABI_SOURCE_SHA256 } from './layout.generated.js';
