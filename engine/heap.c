/*
 * engine/heap.c — heap_on_hugepages (engine/heap.h says why).
 */
#include "engine/heap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Whether the kernel would give this process transparent huge pages on
 * request ("always" or "madvise" selected). */
static int thp_offered(void)
{
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (!f)
        return 0;
    char line[128] = "";
    int ok = fgets(line, sizeof line, f) && !strstr(line, "[never]");
    fclose(f);
    return ok;
}

void heap_on_hugepages(char **argv)
{
    if (getenv("GLIBC_TUNABLES") || getenv("CAIRN_NO_HUGEPAGES") || !thp_offered())
        return;
    if (setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 1) != 0)
        return;
    execv("/proc/self/exe", argv);
    unsetenv("GLIBC_TUNABLES");
}
