/*
 * engine/markdown.h — a plan as a pull-request comment (`cairn show
 * -markdown PLANFILE`, `cairn plan -markdown=FILE`).
 *
 * The comment, in this order:
 *   1. a one-line verdict ("**cairn plan: 2 to destroy or replace**",
 *      "**cairn plan: changes, nothing destroyed**", "**cairn plan: no
 *      changes**") and a line of counts per action;
 *   2. every destroy and replace in a GitHub CAUTION alert (a blockquote
 *      elsewhere), each with its reason;
 *   3. a table (HTML, so that any CommonMark renderer draws it) of every
 *      changed resource: address, action, reason;
 *   4. each resource's diff (the plan text's block for it, action symbols
 *      moved to the first column for GitHub's diff colouring) in a
 *      collapsible <details> block, then the changed outputs in one.
 *
 * What must stay true:
 *   - At most max_chars bytes (so at most that many characters) whenever
 *     parts 1-3 and the note fit; parts 1-3 are never cut.  When the
 *     details do not fit, the largest are left out first and a note says
 *     how many and which.
 *   - Deterministic: same plan, same options, same bytes.
 *   - No sensitive value unless show_sensitive (the plan text redacts
 *     them; reasons and addresses hold none).
 *   - A plan without changes gives a comment of a few lines.
 */
#ifndef CAIRN_MARKDOWN_H
#define CAIRN_MARKDOWN_H

#include "engine/plan.h"

#define MARKDOWN_DEFAULT_MAX_CHARS 60000
#define MARKDOWN_MIN_MAX_CHARS 1000

typedef struct md_opts {
    size_t max_chars;           /* 0: MARKDOWN_DEFAULT_MAX_CHARS */
    int show_sensitive;
} md_opts;

/* The comment for plan p (borrowed), owned by the caller (free()); NULL
 * only when memory ran out. */
char *markdown_plan(const plan *p, const md_opts *o);

#endif
