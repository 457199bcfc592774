/*
 * providers/aws/aws_ec2_sg.c — aws_security_group and the security group rule resources.
 *
 * Placeholder: the family is being written; the table is empty until then.
 */
#include "providers/aws/aws_ec2.h"

const aws_family aws_ec2_sg_family = {NULL, 0};
