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
  TSNode *nodes; /* by index, for queries and descendant lookups */
  uint32_t count;
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

static void flat_free(Flat *f) {
  tree_arena_release(f->arena); /* the tree with it, all at once */
  f->arena = NULL;
  free(f->nodes);
  free(f->keys);
  free(f->vals);
  f->tree = NULL;
  f->nodes = NULL;
  f->keys = NULL;
  f->vals = NULL;
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

static Flat *flat_of(napi_env env, napi_value v) {
  void *data = NULL;
  if (napi_get_value_external(env, v, &data) != napi_ok || !data || !((Flat *)data)->tree) {
    napi_throw_error(env, NULL, "xenoport_ts: not a live tree");
    return NULL;
  }
  return (Flat *)data;
}

static int grow(int32_t **buf, TSNode **nodes, uint32_t *cap, uint32_t need) {
  if (need <= *cap) return 1;
  uint32_t n = *cap ? *cap * 2 : 4096;
  while (n < need) n *= 2;
  int32_t *b = realloc(*buf, (size_t)n * COLS * sizeof(int32_t));
  if (!b) return 0;
  *buf = b;
  TSNode *t = realloc(*nodes, (size_t)n * sizeof(TSNode));
  if (!t) return 0;
  *nodes = t;
  *cap = n;
  return 1;
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
  int ascii = 1;
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)latin1[i] >= 0x80) {
      ascii = 0;
      break;
    }
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

  /* Pre-order walk; `stack` holds the open ancestors' indices. */
  int32_t *buf = NULL;
  TSNode *nodes = NULL;
  uint32_t cap = 0, count = 0, depth = 0, stack_cap = 256;
  uint32_t *stack = malloc(stack_cap * sizeof(uint32_t));
  TSTreeCursor cursor = ts_tree_cursor_new(ts_tree_root_node(tree));
  int32_t prev_sibling = -1; /* the node before the current one among its siblings */
  for (;;) {
    if (!grow(&buf, &nodes, &cap, count + 1)) break;
    TSNode n = ts_tree_cursor_current_node(&cursor);
    int32_t *row = buf + (size_t)count * COLS;
    uint32_t flags = (ts_node_is_named(n) ? F_NAMED : 0) | (ts_node_is_missing(n) ? F_MISSING : 0) |
                     (ts_node_has_error(n) ? F_HAS_ERROR : 0) | (ts_node_is_extra(n) ? F_EXTRA : 0);
    row[0] = (int32_t)((uint32_t)ts_node_symbol(n) | ((uint32_t)ts_tree_cursor_current_field_id(&cursor) & 0xff) << 16 | flags << 24);
    row[1] = (int32_t)(ts_node_start_byte(n) >> shift);
    row[2] = (int32_t)(ts_node_end_byte(n) >> shift);
    row[3] = depth ? (int32_t)stack[depth - 1] : -1;
    row[4] = -1;
    row[5] = (int32_t)count + 1;
    if (prev_sibling >= 0) buf[(size_t)prev_sibling * COLS + 4] = (int32_t)count;
    nodes[count] = n;
    uint32_t self = count++;
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      if (depth == stack_cap) {
        stack_cap *= 2;
        stack = realloc(stack, stack_cap * sizeof(uint32_t));
      }
      stack[depth++] = self;
      prev_sibling = -1;
      continue;
    }
    prev_sibling = (int32_t)self;
    /* No children: move to the next sibling, closing finished ancestors. */
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (!depth || !ts_tree_cursor_goto_parent(&cursor)) goto done;
      uint32_t up = stack[--depth];
      buf[(size_t)up * COLS + 5] = (int32_t)count;
      prev_sibling = (int32_t)up;
    }
  }
done:
  ts_tree_cursor_delete(&cursor);
  tree_arena_leave();
  free(stack);
  if (count == 0 || !buf) {
    free(buf);
    free(nodes);
    tree_arena_release(arena);
    return napi_throw_error(env, NULL, "xenoport_ts: out of memory"), NULL;
  }
  buf[5] = (int32_t)count; /* the root's subtree is everything */

  Flat *f = calloc(1, sizeof(Flat));
  f->tree = tree;
  f->arena = arena;
  f->shift = shift;
  f->nodes = nodes;
  f->count = count;
  uint32_t size = 1;
  while (size < count * 2) size <<= 1;
  f->mask = size - 1;
  f->keys = calloc(size, sizeof(void *));
  f->vals = malloc(size * sizeof(uint32_t));
  for (uint32_t i = 0; i < count; i++) map_put(f, nodes[i].id, i);

  napi_value handle, ab, table, out;
  CHECK(napi_create_external(env, f, flat_finalize, NULL, &handle));
  void *data;
  CHECK(napi_create_arraybuffer(env, (size_t)count * COLS * sizeof(int32_t), &data, &ab));
  memcpy(data, buf, (size_t)count * COLS * sizeof(int32_t));
  free(buf);
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
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}
