#include <stdio.h>
#include <string.h>
struct person { char name[16]; int age; };
static struct person people[] = { { "zoe", 31 }, { "adam", 45 }, { "mia", 22 }, { "bob", 31 }, { "eve", 19 } };
#define NP ((int)(sizeof(people) / sizeof(people[0])))
int main(void) {
	int i, j;
	for (i = 0; i < NP; i++)
		for (j = 0; j + 1 < NP - i; j++)
			if (people[j].age > people[j + 1].age || (people[j].age == people[j + 1].age && strcmp(people[j].name, people[j + 1].name) > 0)) {
				struct person t = people[j]; people[j] = people[j + 1]; people[j + 1] = t;
			}
	for (i = 0; i < NP; i++) printf("%-5s %d\n", people[i].name, people[i].age);
	return 0;
}
