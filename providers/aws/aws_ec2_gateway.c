/*
 * providers/aws/aws_ec2_gateway.c — aws_internet_gateway, aws_eip, aws_nat_gateway.
 *
 * Placeholder: the family is being written; the table is empty until then.
 */
#include "providers/aws/aws_ec2.h"

const aws_family aws_ec2_gateway_family = {NULL, 0};
