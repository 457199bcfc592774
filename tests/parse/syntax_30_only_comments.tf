# This file has nothing but comments.
// Still nothing.
/* And a block
   comment. */
