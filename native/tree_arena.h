/*
 * Per-tree memory for tree-sitter (tree_arena.c): a tree's nodes, and the
 * parser that built them, come from one arena that is released at once.
 */
#ifndef XENOPORT_TREE_ARENA_H
#define XENOPORT_TREE_ARENA_H

typedef struct TreeArena TreeArena;

/* Routes tree-sitter's allocations here (once per process). */
void tree_arena_install(void);
/* Makes `a` (a new arena when NULL) where this thread's tree-sitter allocations go until tree_arena_leave. */
TreeArena *tree_arena_enter(TreeArena *a);
void tree_arena_leave(void);
/* Frees everything allocated in `a`; its memory is kept for this thread's next arenas. */
void tree_arena_release(TreeArena *a);
/* The thread is going away (a worker ends): frees the kept memory, and keeps none from now on. */
void tree_arena_thread_done(void);

#endif
