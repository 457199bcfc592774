/*
 * providers/aws/aws_ec2_route.c — aws_route_table, aws_route, aws_route_table_association.
 *
 * Placeholder: the family is being written; the table is empty until then.
 */
#include "providers/aws/aws_ec2.h"

const aws_family aws_ec2_route_family = {NULL, 0};
