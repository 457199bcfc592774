/*
 * engine/version.h — `terraform { required_version = "..." }`.
 *
 * cairn implements the Terraform language of CAIRN_TERRAFORM_COMPAT, so a
 * configuration's required_version is checked against that version (a
 * configuration written for Terraform 1.5+ runs unchanged; one that needs
 * a newer language than cairn has is refused up front, as Terraform does).
 */
#ifndef CAIRN_VERSION_H
#define CAIRN_VERSION_H

#include "engine/config.h"

#define CAIRN_TERRAFORM_COMPAT "1.9.0"

/* Whether version v (e.g. "1.9.0") satisfies constraint c (Terraform's
 * syntax: ">= 1.3, < 2.0", "~> 1.5", "= 1.9.0", "!= 1.4.0").  Returns 1,
 * 0, or CAIRN_EINVAL with the last error set when c does not parse. */
int version_satisfies(const char *v, const char *c);

/* Check required_version of every module of the tree; a failure is an
 * error diagnostic "Unsupported Terraform Core version" at the constraint.
 * Returns 0 or CAIRN_EDIAG. */
int version_check_tree(const cfg_module *m, diag_list *d);

#endif
