/*
 * engine/plugin.h — finding, loading and checking provider plugins
 * (providers/provider.h, ABI version 1).
 *
 * A provider named NAME lives in a shared object `cairn-provider-NAME.so`.
 * The registry looks for it in these directories, first match wins:
 *
 *   1. each directory of $CAIRN_PLUGIN_PATH (colon-separated, in order;
 *      empty entries skipped);
 *   2. .cairn/plugins under the working directory;
 *   3. <directory of the running executable>/plugins (so build/cairn finds
 *      build/plugins/ with no environment variable);
 *   4. <directory of the running executable>/../lib/cairn/plugins;
 *   5. CAIRN_PLUGIN_DIR, fixed at compile time (the install location).
 *
 * The list is computed once, by plugin_registry_new.  A file found there
 * is opened with dlopen(RTLD_NOW | RTLD_LOCAL), its entry symbol
 * (PROV_ENTRY_SYMBOL) called, and the result checked before it is used:
 * the ABI version, the name it declares, every MUST slot, and every
 * schema (each attribute's type expression parsed and converted with
 * lang/eval.h's eval_type_expr, defaults decoded).  The object type of
 * every schema is built at load time and kept until the registry is
 * freed, so nothing is parsed again while planning or applying.
 *
 * What must stay true:
 *   - a plugin that fails a check is never returned nor cached: the
 *     error names the file and what is wrong with it;
 *   - after loading, everything reachable from a registry is read-only:
 *     plugin_api, plugin_resource, plugin_schema_type... may be called
 *     from any number of threads at once.  plugin_load itself takes the
 *     registry's lock, so loads from several threads are safe too;
 *   - handles, paths and types live exactly as long as the registry.
 *
 * The registry is one of the few process-wide things: the engine makes
 * one and passes it around; nothing here is a hidden global.
 */
#ifndef CAIRN_PLUGIN_H
#define CAIRN_PLUGIN_H

#include <stddef.h>

#include "lang/diag.h"
#include "lang/val.h"
#include "providers/provider.h"

/* Longest provider local name accepted (bytes). */
#define PLUGIN_MAX_NAME 64
/* Deepest nesting of blocks in a schema (a cycle in a plugin's static
 * schema data would otherwise never end). */
#define PLUGIN_MAX_SCHEMA_DEPTH 32
/* Most directories searched ($CAIRN_PLUGIN_PATH entries beyond this are
 * ignored). */
#define PLUGIN_MAX_DIRS 32

typedef struct plugin_registry plugin_registry;
typedef struct plugin plugin;

/* A registry with the search directories listed above (read from the
 * environment and /proc/self/exe now).  Returns NULL with the last error
 * set (CAIRN_ENOMEM) when memory runs out.  Free with
 * plugin_registry_free. */
plugin_registry *plugin_registry_new(void);

/* Unload every plugin and free the registry (NULL is ok).  Every pointer
 * obtained from it (plugins, APIs, paths, types) becomes invalid; no other
 * thread may be using it. */
void plugin_registry_free(plugin_registry *r);

/* The directories searched, in order: *n receives how many; the array and
 * its strings are borrowed from the registry. */
const char *const *plugin_registry_dirs(const plugin_registry *r, size_t *n);

/* Load the provider plugin with local name `name` ("aws"), or return the
 * one loaded before under that name.  On success *out receives the plugin
 * (borrowed from the registry) and 0 is returned.  Errors (negative
 * cairn_err, message in the last error, *out set to NULL):
 *   CAIRN_EINVAL    the name is not a provider name ([A-Za-z0-9_-], at most
 *                   PLUGIN_MAX_NAME bytes); or the plugin is broken: no
 *                   entry symbol, a NULL MUST slot (naming the type and
 *                   slot), a bad schema (naming the type, attribute and
 *                   type string), a name other than `name`;
 *   CAIRN_ENOTFOUND no cairn-provider-NAME.so in any directory (the message
 *                   lists every directory searched);
 *   CAIRN_EIO       dlopen failed (with dlerror's text);
 *   CAIRN_EVERSION  the plugin was built for another ABI version;
 *   CAIRN_ENOMEM.
 * Every message names the plugin's file (or the file name searched for). */
int plugin_load(plugin_registry *r, const char *name, const plugin **out);

/* The plugin's ABI table (borrowed, static in the plugin). */
const prov_plugin *plugin_api(const plugin *p);

/* The file the plugin was loaded from (borrowed). */
const char *plugin_path(const plugin *p);

/* The resource type / data source named `type` ("aws_vpc"), or NULL when
 * the plugin has none.  Borrowed. */
const prov_resource_type *plugin_resource(const plugin *p, const char *type);
const prov_data_source *plugin_data_source(const plugin *p, const char *type);

/* The object type of schema s, which must be a schema of this plugin (its
 * config_schema, a resource's or data source's schema, or the schema of a
 * nested block of one of those); NULL for any other pointer.  Attributes
 * have their parsed types; a nested block B is an attribute B of type
 * object (SINGLE), list(object) (LIST), set(object) (SET) or map(object)
 * (MAP) of B's own schema type.  No attribute is optional in the type.
 * Borrowed: lives as long as the registry. */
const ty *plugin_schema_type(const plugin *p, const prov_schema *s);

/* The parsed type of attribute i of schema s (s as above, i < nattrs), or
 * NULL.  Borrowed: lives as long as the registry. */
const ty *plugin_attr_type(const plugin *p, const prov_schema *s, size_t i);

/* Build the object type of schema s (as plugin_schema_type describes)
 * without a loaded plugin: for tests and for the engine's built-in
 * schemas.  s is borrowed.  Checks what plugin_load checks of a schema:
 * every attribute has a name, a type expression that parses and converts,
 * a valid flag combination (REQUIRED alone, or OPTIONAL and/or COMPUTED),
 * a default that decodes and converts (not on REQUIRED attributes);
 * every block a name, a schema, a known nesting mode and consistent
 * min/max items; no name twice; nesting at most PLUGIN_MAX_SCHEMA_DEPTH.
 * Returns 0 and an owned type in *out, or a negative cairn_err
 * (CAIRN_EINVAL, CAIRN_ELIMIT) with *out NULL and the last error saying
 * what is wrong ("attribute \"port\": invalid type \"numbr\": ..."). */
int plugin_schema_type_build(const prov_schema *s, ty **out);

#endif
