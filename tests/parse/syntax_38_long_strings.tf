policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\"}]}"
long_interp = "${var.a}/${var.b}/${var.c}/${var.d}/${var.e}/${var.f}/${var.g}/${var.h}"
