/*
 * providers/aws/aws_data.c — the data sources: aws_availability_zones, aws_vpc, aws_subnets, aws_caller_identity, aws_region, aws_iam_policy_document.
 *
 * Placeholder: the family is being written; the table is empty until then.
 */
#include "providers/aws/aws_ec2.h"

const aws_data_family aws_data_sources = {NULL, 0};
