/*
 * xenoport's scanner core: tree-sitter-c parsing with the whole tree handed to
 * JavaScript in one call, as a flat table of nodes, and queries run natively
 * with their results as node indices into that table.
 *
 * Why: through the tree-sitter node binding, every node property the scanner
 * reads (type, offsets, parent, fields) is its own call into native code and
 * every node handed to JS is a fresh object registered for finalization; that
 * cost was about 40% of a cold scan. Here the tree crosses once per file.
 *
 * It is built from the same tree-sitter runtime (the binding's vendored copy)
 * and the same tree-sitter-c parser.c as the binding, and parses the same
 * UTF-16 text, so trees and query results are identical; tests compare them.
 *
 * Node table: six int32 per node, in pre-order (a subtree is a contiguous
 * range): [symbol | field << 16 | flags << 24, start, end, parent, next sibling,
 * end of subtree]. Offsets are UTF-16 code units, i.e. string indices.
 */
#include <stdint.h>
#include <stdio.h>
#include <uchar.h>
#include <stdlib.h>
#include <string.h>
#include <node_api.h>
#include <tree_sitter/api.h>
/* tree-sitter internals (the vendored runtime's src/, on the include path): the walk reads subtrees directly. */
#include "subtree.h"
#include "language.h"
#include "tree.h"
#include "tree_arena.h"
#ifdef __GLIBC__
#include <malloc.h>
#endif

const TSLanguage *tree_sitter_c(void);

#define COLS 6
enum { F_NAMED = 1, F_MISSING = 2, F_HAS_ERROR = 4, F_EXTRA = 8 };

typedef struct {
  TSQueryCursor *qcursor;
} Instance;

typedef struct {
  TSTree *tree;
  TreeArena *arena; /* the tree's nodes and the parser that made them (tree_arena.c) */
  uint32_t count;
  /*
   * Made on the first descendant() or run() (ensure_index): most trees never
   * run a query (query rules skip the files their text rules out), so parse()
   * no longer pays a TSNode and a map entry per node. Never changes afterwards.
   */
  TSNode *nodes; /* by index, for queries and descendant lookups */
  const void **keys; /* open-addressing map: node id -> index */
  uint32_t *vals;
  uint32_t mask;
  unsigned shift; /* byte offset >> shift = string index (1 for UTF-16 input) */
} Flat;

#define CHECK(call)                                 \
  do {                                              \
    if ((call) != napi_ok) {                        \
      napi_throw_error(env, NULL, "napi: " #call); \
      return NULL;                                  \
    }                                               \
  } while (0)

/* The node index (ensure_index): built only for a tree that is queried. */
static void index_free(Flat *f) {
  free(f->nodes);
  free(f->keys);
  free(f->vals);
  f->nodes = NULL;
  f->keys = NULL;
  f->vals = NULL;
}

static void flat_free(Flat *f) {
  tree_arena_release(f->arena); /* the tree with it, all at once */
  f->arena = NULL;
  index_free(f);
  f->tree = NULL;
  f->count = 0;
}

static void flat_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  flat_free((Flat *)data);
  free(data);
}

static uint32_t hash_ptr(const void *p) {
  uint64_t x = (uint64_t)(uintptr_t)p;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return (uint32_t)x;
}

static void map_put(Flat *f, const void *key, uint32_t val) {
  uint32_t h = hash_ptr(key) & f->mask;
  while (f->keys[h] && f->keys[h] != key) h = (h + 1) & f->mask;
  f->keys[h] = key;
  f->vals[h] = val;
}

static int64_t map_get(const Flat *f, const void *key) {
  uint32_t h = hash_ptr(key) & f->mask;
  while (f->keys[h]) {
    if (f->keys[h] == key) return f->vals[h];
    h = (h + 1) & f->mask;
  }
  return -1;
}

/*
 * The flattening walk, straight over tree-sitter's subtrees (its internal
 * headers, the vendored runtime this is built with) rather than through a
 * TSTreeCursor: per node the cursor paid a call to move, a TSNode to build and
 * ts_tree_cursor_current_field_id, which walks back up its stack and searches
 * the parent's field map again for every node (together about 15% of a
 * parse-only run over FreeBSD sys/). This walk keeps one frame per subtree whose
 * children it is going through, with that subtree's alias sequence and field
 * map looked up once per child list.
 *
 * It reproduces the cursor's rules exactly (tree_cursor.c, 0.22):
 * - a child is visible when its subtree is, or when it is not extra and its
 *   parent's production aliases it (ts_tree_cursor_child_iterator_next);
 * - a hidden child with visible children is gone into, its visible descendants
 *   being children of the nearest visible ancestor (goto_first_child/sibling);
 * - positions: a child list starts at its parent's start, each later child
 *   after the previous one's end and its own padding;
 * - a node's field (ts_tree_cursor_current_field_id): none for an extra node;
 *   else the first non-inherited entry of its parent's field map for its
 *   structural index; else, when that parent is hidden, the parent's own field
 *   by the same rule (so `inh` below), stopping at a visible parent or the root;
 * - symbol, named, missing, error and extra as ts_node_* read them, with the
 *   alias the cursor gives (none for extras and for the root).
 * Tests compare every node of every sample-kernel file with the binding's cursor.
 */
/* ts_language_public_symbol, inlined (it is a call into language.c per node otherwise). */
static inline TSSymbol public_symbol(const TSLanguage *lang, TSSymbol sym) {
  return sym == ts_builtin_sym_error ? sym : lang->public_symbol_map[sym];
}

typedef struct {
  const Subtree *children;
  uint32_t child_count, i, sci; /* next child, its structural index */
  Length pos;                   /* end of the previous child (before the first: the parent's start) */
  const TSSymbol *aliases;      /* the parent's alias sequence, or NULL */
  const TSFieldMapEntry *fmap, *fmap_end;
  uint32_t owner;  /* row of the visible node whose children these are */
  uint32_t vframe; /* the frame of that visible node (its last child so far is there) */
  int32_t last;    /* in a visible node's frame: its last child row so far, or -1 */
  uint8_t inh;     /* the field a hidden parent passes to its children (0 for a visible one) */
  uint8_t visible;
} Frame;

typedef struct {
  Frame *st;
  uint32_t sp, cap;
} FrameStack;

static int frame_push(FrameStack *s, const TSLanguage *lang, Subtree sub, Length pos, uint32_t owner, uint32_t vframe, uint8_t inh, uint8_t visible) {
  if (s->sp == s->cap) {
    uint32_t n = s->cap ? s->cap * 2 : 64;
    Frame *st = realloc(s->st, n * sizeof(Frame));
    if (!st) return 0;
    s->st = st;
    s->cap = n;
  }
  Frame *fr = &s->st[s->sp];
  uint16_t prod = sub.ptr->production_id;
  fr->children = ts_subtree_children(sub);
  fr->child_count = sub.ptr->child_count;
  /* The first children are read next; the rest are prefetched one ahead as the walk goes. */
  for (uint32_t k = 0; k < 2 && k < fr->child_count; k++)
    if (!fr->children[k].data.is_inline) __builtin_prefetch(fr->children[k].ptr);
  fr->i = 0;
  fr->sci = 0;
  fr->pos = pos;
  fr->aliases = ts_language_alias_sequence(lang, prod);
  ts_language_field_map(lang, prod, &fr->fmap, &fr->fmap_end);
  fr->owner = owner;
  fr->vframe = visible ? s->sp : vframe;
  fr->last = -1;
  fr->inh = inh;
  fr->visible = visible;
  s->sp++;
  return 1;
}

/*
 * Walks `tree` in pre-order. WANT_ROWS: writes the node table into *buf (room
 * for *cap rows; past that the rows move to malloc'd memory, *grown set, which
 * the caller frees). WANT_NODES: fills nodes[] and the id -> index map instead
 * (the lazy index, at most `limit` nodes). Returns the node count, 0 when out
 * of memory.
 */
enum { WANT_ROWS = 1, WANT_NODES = 2 };
static inline __attribute__((always_inline)) uint32_t walk(const TSTree *tree, int want, unsigned shift, int32_t **buf, uint32_t *cap, int32_t **grown, Flat *f, uint32_t limit) {
  const TSLanguage *lang = tree->language;
  FrameStack s = {NULL, 0, 0};
  uint32_t count = 0;
  Subtree root = tree->root;
  Length rpos = ts_subtree_padding(root);
  /* The root: alias none, field none, no parent. */
  {
    if (want & WANT_ROWS) {
      if (*cap == 0) return 0;
      int32_t *row = *buf;
      uint32_t flags = (ts_subtree_named(root) ? F_NAMED : 0) | (ts_subtree_missing(root) ? F_MISSING : 0) |
                       (ts_subtree_error_cost(root) > 0 ? F_HAS_ERROR : 0) | (ts_subtree_extra(root) ? F_EXTRA : 0);
      row[0] = (int32_t)((uint32_t)public_symbol(lang, ts_subtree_symbol(root)) | flags << 24);
      row[1] = (int32_t)(rpos.bytes >> shift);
      row[2] = (int32_t)((rpos.bytes + ts_subtree_size(root).bytes) >> shift);
      row[3] = -1;
      row[4] = -1;
      row[5] = 1;
    }
    if (want & WANT_NODES) {
      if (limit == 0) return 0;
      f->nodes[0] = ts_tree_root_node(tree);
      map_put(f, &tree->root, 0);
    }
    count = 1;
    if (ts_subtree_visible_child_count(root) > 0 && !frame_push(&s, lang, root, rpos, 0, 0, 0, 1)) return free(s.st), 0;
  }
  while (s.sp) {
    Frame *fr = &s.st[s.sp - 1];
    if (fr->i == fr->child_count) {
      if ((want & WANT_ROWS) && fr->visible) (*buf)[(size_t)fr->owner * COLS + 5] = (int32_t)count;
      s.sp--;
      continue;
    }
    const Subtree *c = &fr->children[fr->i];
    Subtree child = *c;
    /*
     * fr->pos is the end of the previous child (the parent's start for the
     * first): a child starts after its own padding. Read here rather than when
     * the previous child was passed, so the next sibling's memory is only
     * prefetched then and read after the current child's subtree is walked.
     */
    Length cpos = fr->pos;
    if (fr->i) {
      if (want & WANT_NODES) cpos = length_add(cpos, ts_subtree_padding(child));
      else cpos.bytes += ts_subtree_padding(child).bytes; /* the table needs bytes only */
    }
    Length csize = ts_subtree_size(child);
    if (want & WANT_NODES) fr->pos = length_add(cpos, csize);
    else fr->pos.bytes = cpos.bytes + csize.bytes;
    if (++fr->i < fr->child_count && !fr->children[fr->i].data.is_inline) __builtin_prefetch(fr->children[fr->i].ptr);
    int extra = ts_subtree_extra(child);
    uint32_t sci = fr->sci;
    TSSymbol alias = 0;
    if (!extra) {
      if (fr->aliases) alias = fr->aliases[sci];
      fr->sci++;
    }
    int visible = ts_subtree_visible(child) || alias;
    uint32_t nkids = ts_subtree_child_count(child);
    if (!visible && (!nkids || !child.ptr->visible_child_count)) continue;
    uint8_t field = 0;
    if (!extra) {
      for (const TSFieldMapEntry *m = fr->fmap; m < fr->fmap_end; m++)
        if (!m->inherited && m->child_index == sci) {
          field = (uint8_t)m->field_id;
          break;
        }
      if (!field) field = fr->inh;
    }
    if (!visible) {
      /* A hidden node with visible children: they belong to this frame's owner. */
      if (!frame_push(&s, lang, child, cpos, fr->owner, fr->vframe, field, 0)) return free(s.st), 0;
      continue;
    }
    uint32_t self = count;
    Frame *vf = &s.st[fr->vframe];
    if (want & WANT_ROWS) {
      if (self == *cap) {
        /* More nodes than the root's visible_descendant_count said: carry on in malloc'd memory. */
        uint32_t n = *cap * 2 + 1024;
        int32_t *b = malloc((size_t)n * COLS * sizeof(int32_t));
        if (!b) return free(s.st), 0;
        memcpy(b, *buf, (size_t)self * COLS * sizeof(int32_t));
        free(*grown);
        *buf = *grown = b;
        *cap = n;
      }
      int32_t *row = *buf + (size_t)self * COLS;
      TSSymbol sym = alias ? alias : ts_subtree_symbol(child);
      int named = alias ? ts_language_symbol_metadata(lang, alias).named : ts_subtree_named(child);
      uint32_t flags = (named ? F_NAMED : 0) | (ts_subtree_missing(child) ? F_MISSING : 0) |
                       (ts_subtree_error_cost(child) > 0 ? F_HAS_ERROR : 0) | (extra ? F_EXTRA : 0);
      row[0] = (int32_t)((uint32_t)public_symbol(lang, sym) | (uint32_t)field << 16 | flags << 24);
      row[1] = (int32_t)(cpos.bytes >> shift);
      row[2] = (int32_t)((cpos.bytes + csize.bytes) >> shift);
      row[3] = (int32_t)fr->owner;
      row[4] = -1;
      row[5] = (int32_t)self + 1;
      if (vf->last >= 0) (*buf)[(size_t)vf->last * COLS + 4] = (int32_t)self;
    }
    if (want & WANT_NODES) {
      if (self == limit) return free(s.st), 0;
      f->nodes[self] = ts_node_new(tree, c, cpos, alias);
      map_put(f, c, self);
    }
    vf->last = (int32_t)self;
    count++;
    /* A node whose children are all hidden leaves (or none) has no rows below it: no frame. */
    if (nkids && child.ptr->visible_child_count && !frame_push(&s, lang, child, cpos, self, 0, 0, 1)) return free(s.st), 0;
  }
  free(s.st);
  return count;
}

/* nodes[] and the id -> index map, made on first use by the same walk as the table. */
static int ensure_index(Flat *f) {
  if (f->nodes) return 1;
  uint32_t size = 1;
  while (size < f->count * 2) size <<= 1;
  f->nodes = malloc((size_t)f->count * sizeof(TSNode));
  f->keys = calloc(size, sizeof(void *));
  f->vals = malloc(size * sizeof(uint32_t));
  f->mask = size - 1;
  if (f->nodes && f->keys && f->vals && walk(f->tree, WANT_NODES, f->shift, NULL, NULL, NULL, f, f->count) == f->count) return 1;
  index_free(f);
  return 0;
}

static Flat *flat_of(napi_env env, napi_value v) {
  void *data = NULL;
  if (napi_get_value_external(env, v, &data) != napi_ok || !data || !((Flat *)data)->tree) {
    napi_throw_error(env, NULL, "xenoport_ts: not a live tree");
    return NULL;
  }
  return (Flat *)data;
}

/* parse(text: string) -> [tree handle, Int32Array node table] */
static napi_value parse(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  /*
   * The text is Latin-1 (one char per byte of the file). Pure ASCII, the usual
   * case, is parsed as UTF-8 (the same bytes, half the reading); otherwise as
   * UTF-16, as the binding does. `shift` turns byte offsets into char indices.
   */
  size_t len = 0;
  CHECK(napi_get_value_string_latin1(env, argv[0], NULL, 0, &len));
  char *latin1 = malloc(len + 1);
  if (!latin1) return napi_throw_error(env, NULL, "xenoport_ts: out of memory"), NULL;
  CHECK(napi_get_value_string_latin1(env, argv[0], latin1, len + 1, &len));
  /* Eight bytes at a time (a byte at a time was 5% of parse() itself). */
  uint64_t high = 0;
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    memcpy(&w, latin1 + i, 8);
    high |= w;
  }
  for (; i < len; i++) high |= (unsigned char)latin1[i];
  int ascii = (high & 0x8080808080808080ULL) == 0;
  TSTree *tree;
  unsigned shift;
  /* A parser per tree, in the tree's arena: nothing of one parse outlives its arena. */
  TreeArena *arena = tree_arena_enter(NULL);
  TSParser *parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_c());
  if (ascii) {
    tree = ts_parser_parse_string_encoding(parser, NULL, latin1, (uint32_t)len, TSInputEncodingUTF8);
    shift = 0;
  } else {
    char16_t *text = malloc((len + 1) * sizeof(char16_t));
    if (!text) return free(latin1), tree_arena_leave(), tree_arena_release(arena), napi_throw_error(env, NULL, "xenoport_ts: out of memory"), NULL;
    for (size_t i = 0; i < len; i++) text[i] = (unsigned char)latin1[i];
    tree = ts_parser_parse_string_encoding(parser, NULL, (const char *)text, (uint32_t)(len * 2), TSInputEncodingUTF16LE);
    free(text);
    shift = 1;
  }
  free(latin1);
  if (!tree) return tree_arena_leave(), tree_arena_release(arena), napi_throw_error(env, NULL, "xenoport_ts: parse failed"), NULL;

  /*
   * The rows go straight into the ArrayBuffer handed to JS, sized by the root's
   * visible_descendant_count (tree-sitter's count of the nodes the walk visits),
   * rather than into a growing buffer copied over at the end.
   */
  tree_arena_leave();
  uint32_t want = 1 + ts_subtree_visible_descendant_count(tree->root);
  napi_value handle, ab, table, out;
  void *data;
  if (napi_create_arraybuffer(env, (size_t)want * COLS * sizeof(int32_t), &data, &ab) != napi_ok)
    return tree_arena_release(arena), napi_throw_error(env, NULL, "xenoport_ts: out of memory"), NULL;
  int32_t *buf = data, *grown = NULL;
  uint32_t cap = want;
  uint32_t count = walk(tree, WANT_ROWS, shift, &buf, &cap, &grown, NULL, 0);
  if (count == 0) return free(grown), tree_arena_release(arena), napi_throw_error(env, NULL, "xenoport_ts: out of memory"), NULL;
  if (grown || count != want) {
    /* Never seen on FreeBSD sys/; a count that was off still gives an exact table. */
    void *exact;
    CHECK(napi_create_arraybuffer(env, (size_t)count * COLS * sizeof(int32_t), &exact, &ab));
    memcpy(exact, buf, (size_t)count * COLS * sizeof(int32_t));
    free(grown);
    buf = exact;
  }
  buf[5] = (int32_t)count; /* the root's subtree is everything */

  Flat *f = calloc(1, sizeof(Flat));
  f->tree = tree;
  f->arena = arena;
  f->shift = shift;
  f->count = count;
  CHECK(napi_create_external(env, f, flat_finalize, NULL, &handle));
  CHECK(napi_create_typedarray(env, napi_int32_array, (size_t)count * COLS, ab, 0, &table));
  CHECK(napi_create_array_with_length(env, 2, &out));
  CHECK(napi_set_element(env, out, 0, handle));
  CHECK(napi_set_element(env, out, 1, table));
  return out;
}

/* free(tree): releases the native tree now rather than at garbage collection. */
static napi_value free_tree(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *data = NULL;
  if (napi_get_value_external(env, argv[0], &data) == napi_ok && data) flat_free((Flat *)data);
  return NULL;
}

static int get_u32(napi_env env, napi_value v, uint32_t *out) { return napi_get_value_uint32(env, v, out) == napi_ok; }

/* descendantForIndex(tree, node, start, end) -> node index (tree-sitter's own byte-range descent) */
static napi_value descendant(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Flat *f = flat_of(env, argv[0]);
  if (!f) return NULL;
  uint32_t node, start, end;
  if (!get_u32(env, argv[1], &node) || !get_u32(env, argv[2], &start) || !get_u32(env, argv[3], &end) || node >= f->count)
    return napi_throw_error(env, NULL, "xenoport_ts: bad descendant arguments"), NULL;
  if (!ensure_index(f)) return napi_throw_error(env, NULL, "xenoport_ts: out of memory"), NULL;
  TSNode d = ts_node_descendant_for_byte_range(f->nodes[node], start << f->shift, end << f->shift);
  napi_value out;
  CHECK(napi_create_int32(env, (int32_t)map_get(f, d.id), &out));
  return out;
}

static void query_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  ts_query_delete((TSQuery *)data);
}

/* query(source) -> query handle; throws "offset:type" on a bad query */
static napi_value query(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  size_t len = 0;
  CHECK(napi_get_value_string_utf8(env, argv[0], NULL, 0, &len));
  char *src = malloc(len + 1);
  CHECK(napi_get_value_string_utf8(env, argv[0], src, len + 1, &len));
  uint32_t err_offset = 0;
  TSQueryError err = TSQueryErrorNone;
  TSQuery *q = ts_query_new(tree_sitter_c(), src, (uint32_t)len, &err_offset, &err);
  free(src);
  if (!q) {
    char msg[64];
    snprintf(msg, sizeof msg, "%u:%d", err_offset, (int)err);
    napi_throw_error(env, "QUERY", msg);
    return NULL;
  }
  napi_value handle;
  CHECK(napi_create_external(env, q, query_finalize, NULL, &handle));
  return handle;
}

/*
 * run(tree, query, node, capturesMode) -> Int32Array. Matches mode: per match
 * [pattern, n, (capture id, node index) x n]. Captures mode: per capture
 * [pattern, capture index in the match, n, (capture id, node index) x n].
 * The cursor is set up exactly as the node binding sets it up.
 */
static napi_value run(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Instance *inst;
  CHECK(napi_get_instance_data(env, (void **)&inst));
  Flat *f = flat_of(env, argv[0]);
  if (!f) return NULL;
  TSQuery *q = NULL;
  CHECK(napi_get_value_external(env, argv[1], (void **)&q));
  uint32_t node;
  bool captures_mode = false;
  if (!get_u32(env, argv[2], &node) || node >= f->count) return napi_throw_error(env, NULL, "xenoport_ts: bad node"), NULL;
  if (!ensure_index(f)) return napi_throw_error(env, NULL, "xenoport_ts: out of memory"), NULL;
  CHECK(napi_get_value_bool(env, argv[3], &captures_mode));
  TSQueryCursor *c = inst->qcursor;
  TSPoint zero = {0, 0};
  ts_query_cursor_set_point_range(c, zero, zero);
  ts_query_cursor_set_byte_range(c, 0, 0);
  ts_query_cursor_set_match_limit(c, 0xFFFFFFFF);
  ts_query_cursor_set_max_start_depth(c, 0xFFFFFFFF);
  ts_query_cursor_set_timeout_micros(c, 0);
  ts_query_cursor_exec(c, q, f->nodes[node]);
  size_t cap = 1024, len = 0;
  int32_t *buf = malloc(cap * sizeof(int32_t));
  TSQueryMatch m;
  uint32_t capture_index = 0;
  for (;;) {
    bool ok = captures_mode ? ts_query_cursor_next_capture(c, &m, &capture_index) : ts_query_cursor_next_match(c, &m);
    if (!ok) break;
    size_t need = len + 3 + 2 * (size_t)m.capture_count;
    if (need > cap) {
      while (cap < need) cap *= 2;
      buf = realloc(buf, cap * sizeof(int32_t));
    }
    buf[len++] = m.pattern_index;
    if (captures_mode) buf[len++] = (int32_t)capture_index;
    buf[len++] = m.capture_count;
    for (uint16_t i = 0; i < m.capture_count; i++) {
      buf[len++] = (int32_t)m.captures[i].index;
      buf[len++] = (int32_t)map_get(f, m.captures[i].node.id);
    }
  }
  napi_value ab, out;
  void *data;
  CHECK(napi_create_arraybuffer(env, len * sizeof(int32_t), &data, &ab));
  if (len) memcpy(data, buf, len * sizeof(int32_t));
  free(buf);
  CHECK(napi_create_typedarray(env, napi_int32_array, len, ab, 0, &out));
  return out;
}

/* captureNames(query) -> string[] by capture id */
static napi_value capture_names(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  TSQuery *q = NULL;
  CHECK(napi_get_value_external(env, argv[0], (void **)&q));
  uint32_t n = ts_query_capture_count(q);
  napi_value arr;
  CHECK(napi_create_array_with_length(env, n, &arr));
  for (uint32_t i = 0; i < n; i++) {
    uint32_t l = 0;
    const char *s = ts_query_capture_name_for_id(q, i, &l);
    napi_value v;
    CHECK(napi_create_string_utf8(env, s, l, &v));
    CHECK(napi_set_element(env, arr, i, v));
  }
  return arr;
}

/* language() -> { symbols: string[], fields: string[] } (fields[0] is unused) */
/*
 * trim(): gives the C heap's free memory back to the system. Parsing leaves
 * freed blocks in glibc's per-thread arenas (a worker's arena outlives the
 * worker), which glibc returns only from an arena's top; a scan calls this when
 * extraction ends, before resolution grows the JS heap.
 */
static napi_value trim(napi_env env, napi_callback_info info) {
  (void)env;
  (void)info;
#ifdef __GLIBC__
  malloc_trim(0);
#endif
  return NULL;
}

static napi_value language(napi_env env, napi_callback_info info) {
  (void)info;
  const TSLanguage *lang = tree_sitter_c();
  uint32_t ns = ts_language_symbol_count(lang), nf = ts_language_field_count(lang);
  napi_value out, syms, fields, v;
  CHECK(napi_create_object(env, &out));
  CHECK(napi_create_array_with_length(env, ns, &syms));
  for (uint32_t i = 0; i < ns; i++) {
    const char *s = ts_language_symbol_name(lang, (TSSymbol)i);
    CHECK(napi_create_string_utf8(env, s ? s : "", NAPI_AUTO_LENGTH, &v));
    CHECK(napi_set_element(env, syms, i, v));
  }
  CHECK(napi_create_array_with_length(env, nf + 1, &fields));
  for (uint32_t i = 1; i <= nf; i++) {
    const char *s = ts_language_field_name_for_id(lang, (TSFieldId)i);
    CHECK(napi_create_string_utf8(env, s ? s : "", NAPI_AUTO_LENGTH, &v));
    CHECK(napi_set_element(env, fields, i, v));
  }
  CHECK(napi_set_named_property(env, out, "symbols", syms));
  CHECK(napi_set_named_property(env, out, "fields", fields));
  return out;
}

static void instance_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  Instance *inst = data;
  ts_query_cursor_delete(inst->qcursor);
  /* A worker thread's end: its kept arena memory would otherwise outlive it. */
  tree_arena_thread_done();
  free(inst);
}

NAPI_MODULE_INIT() {
#ifdef __GLIBC__
  /*
   * A file's parse makes blocks of megabytes (the UTF-16 text, the node index,
   * the table, the arena's chunks) that die with the file. glibc raises its
   * mmap threshold to the size of each such block freed, so later ones come
   * from the heap arenas, which keep the memory once it is freed: on a whole
   * FreeBSD 9.3 sys/ that was about 300 MB of the scan's peak RSS. A fixed
   * threshold (glibc's initial 128 KiB) maps them on their own again, so that
   * freeing them gives the memory back.
   */
  static int tuned;
  if (!tuned) {
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    tuned = 1;
  }
#endif
  tree_arena_install();
  Instance *inst = calloc(1, sizeof(Instance));
  inst->qcursor = ts_query_cursor_new();
  if (napi_set_instance_data(env, inst, instance_finalize, NULL) != napi_ok) return NULL;
  napi_property_descriptor props[] = {
      {"parse", NULL, parse, NULL, NULL, NULL, napi_default, NULL},
      {"free", NULL, free_tree, NULL, NULL, NULL, napi_default, NULL},
      {"descendant", NULL, descendant, NULL, NULL, NULL, napi_default, NULL},
      {"query", NULL, query, NULL, NULL, NULL, napi_default, NULL},
      {"run", NULL, run, NULL, NULL, NULL, napi_default, NULL},
      {"captureNames", NULL, capture_names, NULL, NULL, NULL, napi_default, NULL},
      {"language", NULL, language, NULL, NULL, NULL, napi_default, NULL},
      {"trim", NULL, trim, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}
