/*
 * Arenas for tree-sitter's allocations while it parses. A parse allocates a
 * node at a time and ts_tree_delete frees them a node at a time: on the bench
 * tree that was 12% of the time spent parsing. Here a tree's parser and nodes
 * are bumped out of large chunks and the whole arena goes at once when the tree
 * is freed; a free inside a parse is a no-op.
 *
 * Allocations made outside tree_arena_enter/leave (queries, query cursors) go
 * to malloc as before. Each block carries a 16-byte header (size and a tag), so
 * free and realloc know an arena block from a malloc'd one without searching.
 * State is per thread: the scan parses on its worker and main threads at once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>
#include "tree_arena.h"

#define TAG 0x7865706f72746172ULL /* "xeportar" */
#define HEADER 16
#define CHUNK (1u << 20)
#define SPARE_LIMIT (16u << 20) /* bytes of released chunks kept per thread */

typedef struct Chunk {
  struct Chunk *next;
  size_t size, used;
  _Alignas(16) char data[];
} Chunk;

struct TreeArena {
  Chunk *head;
};

/* initial-exec: a fixed offset, no call per access (glibc reserves room for it in dlopen'd objects). */
static __thread TreeArena *current __attribute__((tls_model("initial-exec")));
static __thread Chunk *spare __attribute__((tls_model("initial-exec")));
static __thread size_t spare_bytes __attribute__((tls_model("initial-exec")));
static __thread int closing __attribute__((tls_model("initial-exec")));

static int is_arena_block(const void *p) {
  return ((const uint64_t *)p)[-1] == TAG;
}

static void *arena_alloc(TreeArena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  size_t need = n + HEADER;
  Chunk *c = a->head;
  if (!c || c->used + need > c->size) {
    size_t size = need > CHUNK ? need : CHUNK;
    if (spare && spare->size >= size) {
      c = spare;
      spare = c->next;
      spare_bytes -= c->size;
    } else {
      c = malloc(sizeof(Chunk) + size);
      if (!c) return NULL;
      c->size = size;
    }
    c->used = 0;
    c->next = a->head;
    a->head = c;
  }
  uint64_t *h = (uint64_t *)(c->data + c->used);
  c->used += need;
  h[0] = n;
  h[1] = TAG;
  return h + 2;
}

static void *ts_arena_malloc(size_t n) {
  return current ? arena_alloc(current, n) : malloc(n);
}

static void *ts_arena_calloc(size_t k, size_t n) {
  if (!current) return calloc(k, n);
  void *p = arena_alloc(current, k * n);
  if (p) memset(p, 0, k * n);
  return p;
}

static void *ts_arena_realloc(void *p, size_t n) {
  if (!p) return ts_arena_malloc(n);
  if (!is_arena_block(p)) return realloc(p, n);
  size_t old = ((uint64_t *)p)[-2];
  if (n <= old) return p;
  /* Outside a parse nothing should grow a tree's block; if it does, it moves to malloc. */
  void *q = current ? arena_alloc(current, n) : malloc(n);
  if (q) memcpy(q, p, old);
  return q;
}

static void ts_arena_free(void *p) {
  if (p && !is_arena_block(p)) free(p);
}

void tree_arena_install(void) {
  ts_set_allocator(ts_arena_malloc, ts_arena_calloc, ts_arena_realloc, ts_arena_free);
}

TreeArena *tree_arena_enter(TreeArena *a) {
  if (!a) a = calloc(1, sizeof(TreeArena));
  current = a;
  return a;
}

void tree_arena_leave(void) {
  current = NULL;
}

void tree_arena_release(TreeArena *a) {
  if (!a) return;
  while (a->head) {
    Chunk *c = a->head;
    a->head = c->next;
    if (!closing && spare_bytes + c->size <= SPARE_LIMIT) {
      c->next = spare;
      spare = c;
      spare_bytes += c->size;
    } else free(c);
  }
  free(a);
}

void tree_arena_thread_done(void) {
  closing = 1;
  while (spare) {
    Chunk *c = spare;
    spare = c->next;
    free(c);
  }
  spare_bytes = 0;
}
