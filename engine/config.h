/*
 * engine/config.h — the configuration: a tree of modules loaded from
 * directories of *.tf files.
 *
 * cfg_load() parses every *.tf file of a directory (lexical order), sorts
 * its top-level blocks into the structures below, and loads each local
 * module call (`source = "./..."`) as a child module, recursively.  Nothing
 * is evaluated here except what must be static in Terraform: variable
 * types, `source`, meta-argument shapes (`lifecycle`, `depends_on`,
 * `provider`), and the `terraform` block.  Expressions stay as syntax trees
 * (borrowed from the module's parsed files) for the evaluator.
 *
 * OWNERSHIP.  A cfg_module owns its files, parse trees and children;
 * everything reachable from it (names, trees, ranges) is borrowed from it
 * and valid until cfg_free() of the root.  Names are NUL-terminated strings
 * inside the parse trees.
 *
 * DIAGNOSTICS.  Every problem is appended to the caller's diag_list with
 * its source range; loading goes on so that one run reports them all.
 *
 * What must stay true: a module's arrays are in source order (files in
 * lexical order), and names are unique within their kind (duplicates are
 * diagnostics, the later one dropped).
 */
#ifndef CAIRN_CONFIG_H
#define CAIRN_CONFIG_H

#include "lang/ast.h"
#include "lang/diag.h"
#include "lang/parse.h"
#include "lang/val.h"

#define CFG_MAX_MODULE_DEPTH 32     /* nested module calls */
#define CFG_MAX_FILES 10000         /* *.tf files in one module directory */

typedef struct cfg_module cfg_module;

typedef struct cfg_check {          /* validation / precondition / postcondition */
    const ast *condition;
    const ast *error_message;
    srange range;
} cfg_check;

typedef struct cfg_variable {
    const char *name;
    ty *type;                       /* owned; NULL: any */
    const ast *default_;            /* NULL: required */
    const char *description;
    int sensitive;
    int nullable;                   /* default 1 */
    cfg_check *validations;
    size_t nvalidations;
    srange range;                   /* the block */
} cfg_variable;

typedef struct cfg_local {
    const char *name;
    const ast *expr;
    srange range;                   /* the attribute */
} cfg_local;

typedef struct cfg_output {
    const char *name;
    const ast *value;
    int sensitive;
    const ast *const *depends_on;
    size_t ndepends_on;
    cfg_check *preconditions;
    size_t npreconditions;
    srange range;
} cfg_output;

typedef struct cfg_resource {
    int data;                       /* data "TYPE" "NAME" */
    const char *type, *name;
    const ast_block *block;
    const ast_body *body;
    const ast *count, *for_each;    /* NULL when absent */
    const char *provider;           /* local provider name ("aws") */
    const char *provider_alias;     /* NULL: default configuration */
    srange provider_range;
    const ast *const *depends_on;
    size_t ndepends_on;
    /* lifecycle */
    int create_before_destroy, prevent_destroy;
    int ignore_all;                 /* ignore_changes = all */
    const char **ignore_changes;    /* top-level attribute names */
    size_t nignore_changes;
    const ast *const *replace_triggered_by;
    size_t nreplace_triggered_by;
    cfg_check *preconditions, *postconditions;
    size_t npreconditions, npostconditions;
    cfg_module *module;             /* the module that declares it */
    srange range;                   /* the block's header (type and labels) */
} cfg_resource;

typedef struct cfg_provider_pass {  /* providers = { aws = aws.west } */
    const char *child, *child_alias;
    const char *parent, *parent_alias;
} cfg_provider_pass;

typedef struct cfg_call {           /* module "NAME" { source = "./x" ... } */
    const char *name;
    const char *source;
    const ast_block *block;
    const ast *count, *for_each;
    const ast *const *depends_on;
    size_t ndepends_on;
    cfg_provider_pass *providers;
    size_t nproviders;
    cfg_module *child;              /* NULL when it failed to load */
    srange range;
} cfg_call;

typedef struct cfg_provider {       /* provider "aws" { alias = "west" ... } */
    const char *name, *alias;
    const ast_block *block;
    srange range;
} cfg_provider;

typedef struct cfg_required {       /* terraform { required_providers { ... } } */
    const char *name;
    const char *source;             /* "hashicorp/aws"; NULL if not given */
    const char *version;
    srange range;
} cfg_required;

typedef struct cfg_moved {
    const char *from, *to;          /* addresses as written (text, owned by cfg) */
    srange range;
} cfg_moved;

typedef struct cfg_import {         /* import { to = ADDR  id = "..." } */
    const char *to;
    const ast *id;
    srange range;
} cfg_import;

struct cfg_module {
    char *dir;                      /* as given ("." for the root) */
    char *path;                     /* module path "module.a.module.b"; "" for root */
    cfg_module *parent;
    ast_file **files;
    size_t nfiles;
    cfg_variable *vars;
    size_t nvars;
    cfg_local *locals;
    size_t nlocals;
    cfg_output *outputs;
    size_t noutputs;
    cfg_resource *resources;        /* managed and data, in source order */
    size_t nresources;
    cfg_call *calls;
    size_t ncalls;
    cfg_provider *providers;
    size_t nproviders;
    cfg_required *required;
    size_t nrequired;
    cfg_moved *moved;
    size_t nmoved;
    cfg_import *imports;
    size_t nimports;
    const char *required_version;   /* terraform { required_version } */
    srange required_version_range;
    /* private: open-addressing index of resources (slot = index + 1) */
    size_t *res_slots;
    size_t res_nslots, capresources;
};

/* Load the module in directory dir (and its local children).  Returns the
 * root module (owned: cfg_free), possibly partial when diags has errors;
 * NULL only when the directory cannot be read (an error diagnostic says
 * why).  A directory without *.tf files is an error ("No configuration
 * files") for the root. */
cfg_module *cfg_load(const char *dir, diag_list *diags);
void cfg_free(cfg_module *m);

/* Lookups by name (NULL if none). */
const cfg_variable *cfg_var(const cfg_module *m, const char *name);
const cfg_local *cfg_local_find(const cfg_module *m, const char *name);
const cfg_output *cfg_output_find(const cfg_module *m, const char *name);
const cfg_call *cfg_call_find(const cfg_module *m, const char *name);
cfg_resource *cfg_resource_find(const cfg_module *m, int data, const char *type,
                                const char *name);

/* The local provider name a resource type belongs to: the prefix before the
 * first '_' ("aws_vpc" -> "aws"), written into buf. */
void cfg_type_provider(const char *type, char *buf, size_t size);

/* A digest (SHA-256 hex, 65 bytes with NUL) of every file of the tree, in
 * order, with their paths: saved plans compare it to see whether the
 * configuration changed. */
void cfg_digest(const cfg_module *m, char out[65]);

#endif
