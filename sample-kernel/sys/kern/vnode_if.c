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
 * The descriptions of the vnode operations: slot numbers in every
 * operations vector (see sys/vnode_if.h).
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/vnode.h>

struct vnodeop_desc vop_default_desc = { 0, "default" };
struct vnodeop_desc vop_lookup_desc = { 1, "vop_lookup" };
struct vnodeop_desc vop_create_desc = { 2, "vop_create" };
struct vnodeop_desc vop_open_desc = { 3, "vop_open" };
struct vnodeop_desc vop_close_desc = { 4, "vop_close" };
struct vnodeop_desc vop_access_desc = { 5, "vop_access" };
struct vnodeop_desc vop_getattr_desc = { 6, "vop_getattr" };
struct vnodeop_desc vop_setattr_desc = { 7, "vop_setattr" };
struct vnodeop_desc vop_read_desc = { 8, "vop_read" };
struct vnodeop_desc vop_write_desc = { 9, "vop_write" };
struct vnodeop_desc vop_remove_desc = { 10, "vop_remove" };
struct vnodeop_desc vop_rename_desc = { 11, "vop_rename" };
struct vnodeop_desc vop_mkdir_desc = { 12, "vop_mkdir" };
struct vnodeop_desc vop_rmdir_desc = { 13, "vop_rmdir" };
struct vnodeop_desc vop_readdir_desc = { 14, "vop_readdir" };
struct vnodeop_desc vop_readlink_desc = { 15, "vop_readlink" };
struct vnodeop_desc vop_inactive_desc = { 16, "vop_inactive" };
struct vnodeop_desc vop_reclaim_desc = { 17, "vop_reclaim" };
struct vnodeop_desc vop_bmap_desc = { 18, "vop_bmap" };
struct vnodeop_desc vop_strategy_desc = { 19, "vop_strategy" };
struct vnodeop_desc vop_fsync_desc = { 20, "vop_fsync" };
struct vnodeop_desc vop_symlink_desc = { 21, "vop_symlink" };
