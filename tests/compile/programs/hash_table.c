#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define NB 31
struct entry { char *key; int val; struct entry *next; };
static struct entry *tab[NB];
static unsigned hash(const char *s) { unsigned h = 5381; while (*s) h = h * 33 + (unsigned char)*s++; return h % NB; }
static void put(const char *k, int v) {
	unsigned h = hash(k); struct entry *e;
	for (e = tab[h]; e; e = e->next) if (!strcmp(e->key, k)) { e->val = v; return; }
	e = malloc(sizeof *e); e->key = malloc(strlen(k) + 1); strcpy(e->key, k); e->val = v; e->next = tab[h]; tab[h] = e;
}
static int get(const char *k) { struct entry *e; for (e = tab[hash(k)]; e; e = e->next) if (!strcmp(e->key, k)) return e->val; return -1; }
int main(void) {
	char key[16]; int i, sum = 0;
	for (i = 0; i < 200; i++) { sprintf(key, "k%d", i); put(key, i * 3); }
	put("k7", 1000);
	for (i = 0; i < 200; i += 13) { sprintf(key, "k%d", i); sum += get(key); }
	printf("%d %d %d %d\n", get("k7"), get("k199"), get("nope"), sum);
	return 0;
}
