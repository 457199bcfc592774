// tests/oracle/main.go — the evaluation oracle for cairn's expression
// conformance suite (tests/suites/eval_conformance.sh).
//
// It evaluates HCL native-syntax expressions with HashiCorp's own libraries
// (hclsyntax + go-cty, as packaged by Debian) and prints, for each input line,
// one line in the canonical form that tests/helpers/evalexpr.c also prints:
//
//	TYPE VALUE        e.g.  list(string) ["a", "b"]
//	error             the expression failed to parse or evaluate
//
// TYPE: string number bool any list(T) set(T) map(T) tuple([T, U])
// object({a=T, b=U}) (attributes sorted by name).
// VALUE: null, ? (unknown), true/false, numbers as integers when integral
// and below 2^53 in magnitude, else shortest round-trip %e form; strings as
// JSON-like quoted text (only " \ and control characters escaped); lists,
// tuples [a, b]; sets the same with elements sorted by their canonical text;
// maps and objects {"k": v} sorted by key.  A value marked sensitive, at
// any depth, is preceded by "sensitive ".
//
// Only functions the libraries provide are wired, under the names Terraform
// gives them.  Nothing of Terraform's own function library is reimplemented
// here: functions missing from the libraries are checked against values from
// Terraform's documentation instead (tests/eval/doc_checked.txt).
//
// Usage: oracle SCOPEFILE < expressions
// SCOPEFILE lines: "var.NAME = EXPR", "local.NAME = EXPR" (evaluated in order
// with the scope built so far), "typed var.NAME TYPEEXPR := EXPR" (the value
// converted to the type, as Terraform does for a typed variable),
// "unknown var.NAME TYPEEXPR", or "sensitive var.NAME = EXPR" (the value
// marked sensitive, as a sensitive variable's value is).
package main

import (
	"bufio"
	"fmt"
	"math"
	"math/big"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

func functions() map[string]function.Function {
	return map[string]function.Function{
		// numeric
		"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "floor": stdlib.FloorFunc,
		"log": stdlib.LogFunc, "max": stdlib.MaxFunc, "min": stdlib.MinFunc,
		"parseint": stdlib.ParseIntFunc, "pow": stdlib.PowFunc, "signum": stdlib.SignumFunc,
		// string
		"chomp": stdlib.ChompFunc, "format": stdlib.FormatFunc,
		"formatlist": stdlib.FormatListFunc, "indent": stdlib.IndentFunc,
		"join": stdlib.JoinFunc, "lower": stdlib.LowerFunc, "regex": stdlib.RegexFunc,
		"regexall": stdlib.RegexAllFunc,
		// Terraform's replace treats a /.../ search string as a regular
		// expression; the corpus only gives the oracle plain search strings.
		"replace": stdlib.ReplaceFunc,
		"split":   stdlib.SplitFunc, "strrev": stdlib.ReverseFunc, "substr": stdlib.SubstrFunc,
		"title": stdlib.TitleFunc, "trim": stdlib.TrimFunc, "trimprefix": stdlib.TrimPrefixFunc,
		"trimsuffix": stdlib.TrimSuffixFunc, "trimspace": stdlib.TrimSpaceFunc,
		"upper": stdlib.UpperFunc,
		// collection
		"chunklist": stdlib.ChunklistFunc, "coalesce": stdlib.CoalesceFunc,
		"coalescelist": stdlib.CoalesceListFunc, "compact": stdlib.CompactFunc,
		"concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc,
		"distinct": stdlib.DistinctFunc, "element": stdlib.ElementFunc,
		"flatten": stdlib.FlattenFunc, "keys": stdlib.KeysFunc, "length": stdlib.LengthFunc,
		"lookup": stdlib.LookupFunc, "merge": stdlib.MergeFunc, "range": stdlib.RangeFunc,
		"reverse": stdlib.ReverseListFunc, "setintersection": stdlib.SetIntersectionFunc,
		"setproduct": stdlib.SetProductFunc, "setsubtract": stdlib.SetSubtractFunc,
		"setunion": stdlib.SetUnionFunc, "slice": stdlib.SliceFunc, "sort": stdlib.SortFunc,
		"values": stdlib.ValuesFunc, "zipmap": stdlib.ZipmapFunc,
		// encoding
		"csvdecode": stdlib.CSVDecodeFunc, "jsondecode": stdlib.JSONDecodeFunc,
		"jsonencode": stdlib.JSONEncodeFunc,
		// date
		"formatdate": stdlib.FormatDateFunc, "timeadd": stdlib.TimeAddFunc,
		// type
		"tobool": stdlib.MakeToFunc(cty.Bool), "tonumber": stdlib.MakeToFunc(cty.Number),
		"tostring": stdlib.MakeToFunc(cty.String),
		"tolist":   stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"toset":    stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tomap":    stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"can":      tryfunc.CanFunc, "try": tryfunc.TryFunc,
	}
}

func typeStr(t cty.Type) string {
	switch {
	case t == cty.DynamicPseudoType:
		return "any"
	case t == cty.String:
		return "string"
	case t == cty.Number:
		return "number"
	case t == cty.Bool:
		return "bool"
	case t.IsListType():
		return "list(" + typeStr(t.ElementType()) + ")"
	case t.IsSetType():
		return "set(" + typeStr(t.ElementType()) + ")"
	case t.IsMapType():
		return "map(" + typeStr(t.ElementType()) + ")"
	case t.IsTupleType():
		parts := []string{}
		for _, et := range t.TupleElementTypes() {
			parts = append(parts, typeStr(et))
		}
		return "tuple([" + strings.Join(parts, ", ") + "])"
	case t.IsObjectType():
		names := []string{}
		for n := range t.AttributeTypes() {
			names = append(names, n)
		}
		sort.Strings(names)
		parts := []string{}
		for _, n := range names {
			parts = append(parts, n+"="+typeStr(t.AttributeType(n)))
		}
		return "object({" + strings.Join(parts, ", ") + "})"
	}
	return "?type"
}

func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			b.WriteString("\\\"")
		case c == '\\':
			b.WriteString("\\\\")
		case c == '\n':
			b.WriteString("\\n")
		case c == '\t':
			b.WriteString("\\t")
		case c == '\r':
			b.WriteString("\\r")
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, "\\u%04x", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func numStr(f *big.Float) string {
	x, _ := f.Float64()
	if math.IsInf(x, 0) {
		if x > 0 {
			return "inf"
		}
		return "-inf"
	}
	if x == math.Trunc(x) && math.Abs(x) < 9007199254740992.0 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'e', -1, 64)
}

func valStr(v cty.Value) string {
	prefix := ""
	if v.IsMarked() {
		prefix = "sensitive "
		v, _ = v.Unmark()
	}
	if !v.IsKnown() {
		return prefix + "?"
	}
	if v.IsNull() {
		return prefix + "null"
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return prefix + quote(v.AsString())
	case t == cty.Number:
		return prefix + numStr(v.AsBigFloat())
	case t == cty.Bool:
		if v.True() {
			return prefix + "true"
		}
		return prefix + "false"
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		parts := []string{}
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			parts = append(parts, valStr(ev))
		}
		if t.IsSetType() {
			sort.Strings(parts)
		}
		return prefix + "[" + strings.Join(parts, ", ") + "]"
	case t.IsMapType() || t.IsObjectType():
		keys := []string{}
		m := map[string]cty.Value{}
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			keys = append(keys, k.AsString())
			m[k.AsString()] = ev
		}
		sort.Strings(keys)
		parts := []string{}
		for _, k := range keys {
			parts = append(parts, quote(k)+": "+valStr(m[k]))
		}
		return prefix + "{" + strings.Join(parts, ", ") + "}"
	}
	return prefix + "?value"
}

type scope struct {
	vars, locals map[string]cty.Value
}

func (s *scope) ctx() *hcl.EvalContext {
	return &hcl.EvalContext{
		Variables: map[string]cty.Value{
			"var":   cty.ObjectVal(s.vars),
			"local": cty.ObjectVal(s.locals),
		},
		Functions: functions(),
	}
}

func eval(src string, ctx *hcl.EvalContext) (cty.Value, bool) {
	expr, diags := hclsyntax.ParseExpression([]byte(src), "expr", hcl.Pos{Line: 1, Column: 1})
	if diags.HasErrors() {
		return cty.NilVal, false
	}
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return cty.NilVal, false
	}
	return v, true
}

func loadScope(path string) (*scope, error) {
	s := &scope{vars: map[string]cty.Value{}, locals: map[string]cty.Value{}}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "unknown ") {
			fields := strings.SplitN(strings.TrimPrefix(line, "unknown "), " ", 2)
			texpr, diags := hclsyntax.ParseExpression([]byte(fields[1]), "type",
				hcl.Pos{Line: 1, Column: 1})
			if diags.HasErrors() {
				return nil, fmt.Errorf("bad type in %q", line)
			}
			ty, diags := typeexpr.TypeConstraint(texpr)
			if diags.HasErrors() {
				return nil, fmt.Errorf("bad type in %q", line)
			}
			s.set(fields[0], cty.UnknownVal(ty))
			continue
		}
		if strings.HasPrefix(line, "typed ") {
			rest := strings.TrimPrefix(line, "typed ")
			sp := strings.Index(rest, " ")
			def := strings.Index(rest, " := ")
			if sp < 0 || def < sp {
				return nil, fmt.Errorf("bad scope line %q", line)
			}
			texpr, diags := hclsyntax.ParseExpression([]byte(rest[sp+1:def]), "type",
				hcl.Pos{Line: 1, Column: 1})
			if diags.HasErrors() {
				return nil, fmt.Errorf("bad type in %q", line)
			}
			ty, diags := typeexpr.TypeConstraint(texpr)
			if diags.HasErrors() {
				return nil, fmt.Errorf("bad type in %q", line)
			}
			v, ok := eval(rest[def+4:], s.ctx())
			if !ok {
				return nil, fmt.Errorf("scope line fails: %q", line)
			}
			v, err := convert.Convert(v, ty)
			if err != nil {
				return nil, fmt.Errorf("scope line fails: %q: %s", line, err)
			}
			s.set(rest[:sp], v)
			continue
		}
		sensitive := strings.HasPrefix(line, "sensitive ")
		line = strings.TrimPrefix(line, "sensitive ")
		eq := strings.Index(line, "=")
		if eq < 0 {
			return nil, fmt.Errorf("bad scope line %q", line)
		}
		v, ok := eval(strings.TrimSpace(line[eq+1:]), s.ctx())
		if !ok {
			return nil, fmt.Errorf("scope line fails: %q", line)
		}
		if sensitive {
			// Terraform's mark for a sensitive variable (marks.Sensitive).
			v = v.Mark("sensitive")
		}
		s.set(strings.TrimSpace(line[:eq]), v)
	}
	return s, sc.Err()
}

func (s *scope) set(name string, v cty.Value) {
	if strings.HasPrefix(name, "var.") {
		s.vars[strings.TrimPrefix(name, "var.")] = v
	} else {
		s.locals[strings.TrimPrefix(name, "local.")] = v
	}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: oracle SCOPEFILE < expressions")
		os.Exit(2)
	}
	s, err := loadScope(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "oracle:", err)
		os.Exit(2)
	}
	ctx := s.ctx()
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		v, ok := eval(in.Text(), ctx)
		if !ok {
			fmt.Fprintln(out, "error")
			continue
		}
		fmt.Fprintln(out, typeStr(v.Type())+" "+valStr(v))
	}
}
