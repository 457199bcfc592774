/*
 * engine/heap.h — put glibc's heap on transparent huge pages.
 *
 * cairn's work is building many small objects (syntax trees, values,
 * decoded state), and on a virtual machine the page faults of first
 * touching that memory cost more than building it: parsing 10,000
 * resources spent over half its time in the kernel (bench/README.md).
 * glibc backs its heap with transparent huge pages only when asked through
 * the GLIBC_TUNABLES variable, which it reads at process start; so
 * heap_on_hugepages sets it and executes the program once more.
 *
 * What must stay true: a user's own GLIBC_TUNABLES is never touched;
 * CAIRN_NO_HUGEPAGES=1 (or a kernel with THP "never") turns it off; a
 * failed exec goes on as it is; it never loops (the variable is set when
 * the program runs again).
 */
#ifndef CAIRN_HEAP_H
#define CAIRN_HEAP_H

/* Call first thing in main with main's argv; returns only when it did not
 * execute the program again. */
void heap_on_hugepages(char **argv);

#endif
