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
 * The system call switch table, indexed by the numbers of <sys/syscall.h>
 * (FreeBSD 4.8's syscalls.master): for each call the number of 32-bit
 * argument words syscall() copies from the user stack, and the handler.
 * FreeBSD generates this file from syscalls.master with makesyscalls.sh;
 * this kernel keeps it by hand.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/sysent.h>
#include <sys/sysproto.h>

#define	AS(name)	(sizeof(struct name) / sizeof(register_t))

/* The table itself. */
struct sysent sysent[SYS_MAXSYSCALL] = {
	{ 0, (sy_call_t *)nosys },		/* 0 = syscall */
	{ AS(sys_exit_args), (sy_call_t *)sys_exit },		/* 1 = exit */
	{ 0, (sy_call_t *)fork },		/* 2 = fork */
	{ AS(read_args), (sy_call_t *)read },		/* 3 = read */
	{ AS(write_args), (sy_call_t *)write },		/* 4 = write */
	{ AS(open_args), (sy_call_t *)open },		/* 5 = open */
	{ AS(close_args), (sy_call_t *)close },		/* 6 = close */
	{ AS(wait_args), (sy_call_t *)wait4 },		/* 7 = wait4 */
	{ 0, (sy_call_t *)nosys },		/* 8 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 9 = nosys */
	{ AS(unlink_args), (sy_call_t *)unlink },		/* 10 = unlink */
	{ 0, (sy_call_t *)nosys },		/* 11 = nosys */
	{ AS(chdir_args), (sy_call_t *)chdir },		/* 12 = chdir */
	{ 0, (sy_call_t *)nosys },		/* 13 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 14 = nosys */
	{ AS(chmod_args), (sy_call_t *)chmod },		/* 15 = chmod */
	{ 0, (sy_call_t *)nosys },		/* 16 = nosys */
	{ AS(obreak_args), (sy_call_t *)obreak },		/* 17 = break */
	{ 0, (sy_call_t *)nosys },		/* 18 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 19 = nosys */
	{ 0, (sy_call_t *)getpid },		/* 20 = getpid */
	{ AS(mount_args), (sy_call_t *)mount },		/* 21 = mount */
	{ AS(unmount_args), (sy_call_t *)unmount },		/* 22 = unmount */
	{ 0, (sy_call_t *)nosys },		/* 23 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 24 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 25 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 26 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 27 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 28 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 29 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 30 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 31 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 32 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 33 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 34 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 35 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 36 = nosys */
	{ AS(kill_args), (sy_call_t *)kill },		/* 37 = kill */
	{ 0, (sy_call_t *)nosys },		/* 38 = nosys */
	{ 0, (sy_call_t *)getppid },		/* 39 = getppid */
	{ 0, (sy_call_t *)nosys },		/* 40 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 41 = nosys */
	{ 0, (sy_call_t *)pipe },		/* 42 = pipe */
	{ 0, (sy_call_t *)nosys },		/* 43 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 44 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 45 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 46 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 47 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 48 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 49 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 50 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 51 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 52 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 53 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 54 = nosys */
	{ AS(reboot_args), (sy_call_t *)reboot },		/* 55 = reboot */
	{ 0, (sy_call_t *)nosys },		/* 56 = nosys */
	{ AS(symlink_args), (sy_call_t *)symlink },		/* 57 = symlink */
	{ AS(readlink_args), (sy_call_t *)readlink },		/* 58 = readlink */
	{ AS(execve_args), (sy_call_t *)execve },		/* 59 = execve */
	{ 0, (sy_call_t *)nosys },		/* 60 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 61 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 62 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 63 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 64 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 65 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 66 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 67 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 68 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 69 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 70 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 71 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 72 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 73 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 74 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 75 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 76 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 77 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 78 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 79 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 80 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 81 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 82 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 83 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 84 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 85 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 86 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 87 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 88 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 89 = nosys */
	{ AS(dup2_args), (sy_call_t *)dup2 },		/* 90 = dup2 */
	{ 0, (sy_call_t *)nosys },		/* 91 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 92 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 93 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 94 = nosys */
	{ AS(fsync_args), (sy_call_t *)fsync },		/* 95 = fsync */
	{ 0, (sy_call_t *)nosys },		/* 96 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 97 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 98 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 99 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 100 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 101 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 102 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 103 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 104 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 105 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 106 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 107 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 108 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 109 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 110 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 111 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 112 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 113 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 114 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 115 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 116 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 117 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 118 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 119 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 120 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 121 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 122 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 123 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 124 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 125 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 126 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 127 = nosys */
	{ AS(rename_args), (sy_call_t *)rename },		/* 128 = rename */
	{ 0, (sy_call_t *)nosys },		/* 129 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 130 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 131 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 132 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 133 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 134 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 135 = nosys */
	{ AS(mkdir_args), (sy_call_t *)mkdir },		/* 136 = mkdir */
	{ AS(rmdir_args), (sy_call_t *)rmdir },		/* 137 = rmdir */
	{ 0, (sy_call_t *)nosys },		/* 138 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 139 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 140 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 141 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 142 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 143 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 144 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 145 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 146 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 147 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 148 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 149 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 150 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 151 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 152 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 153 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 154 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 155 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 156 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 157 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 158 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 159 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 160 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 161 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 162 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 163 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 164 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 165 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 166 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 167 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 168 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 169 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 170 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 171 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 172 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 173 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 174 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 175 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 176 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 177 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 178 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 179 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 180 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 181 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 182 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 183 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 184 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 185 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 186 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 187 = nosys */
	{ AS(stat_args), (sy_call_t *)stat },		/* 188 = stat */
	{ AS(fstat_args), (sy_call_t *)fstat },		/* 189 = fstat */
	{ AS(lstat_args), (sy_call_t *)lstat },		/* 190 = lstat */
	{ 0, (sy_call_t *)nosys },		/* 191 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 192 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 193 = nosys */
	{ AS(__getrlimit_args), (sy_call_t *)getrlimit },		/* 194 = getrlimit */
	{ AS(__setrlimit_args), (sy_call_t *)setrlimit },		/* 195 = setrlimit */
	{ AS(getdirentries_args), (sy_call_t *)getdirentries },		/* 196 = getdirentries */
	{ 0, (sy_call_t *)nosys },		/* 197 = nosys */
	{ 0, (sy_call_t *)nosys },		/* 198 = nosys */
	{ AS(lseek_args), (sy_call_t *)lseek },		/* 199 = lseek */
	{ AS(truncate_args), (sy_call_t *)truncate },		/* 200 = truncate */
	{ AS(ftruncate_args), (sy_call_t *)ftruncate },		/* 201 = ftruncate */
};
