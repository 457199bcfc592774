// hclfmt_oracle: the reference formatter for cairn's fmt tests.
//
// Reads HCL native syntax on stdin and writes hclwrite.Format's output (the
// formatting core `terraform fmt` uses) on stdout.  Exit 1 if the input does
// not parse.  Built from Debian's golang-github-hashicorp-hcl-v2-dev by
// tests/suites/fmt.sh (GOPATH mode, no network).
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

func main() {
	src, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	_, diags := hclsyntax.ParseConfig(src, "input.tf", hcl.InitialPos)
	if diags.HasErrors() {
		fmt.Fprintln(os.Stderr, diags.Error())
		os.Exit(1)
	}
	os.Stdout.Write(hclwrite.Format(src))
}
