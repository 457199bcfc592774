moved {
  from = aws_instance.old
  to   = aws_instance.new
}

import {
  to = aws_s3_bucket.logs
  id = "my-log-bucket"
}

check "health" {
  assert {
    condition     = data.http.health.status_code == 200
    error_message = "unhealthy"
  }
}

removed {
  from = aws_instance.legacy
  lifecycle {
    destroy = false
  }
}
