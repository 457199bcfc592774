// gen_val_convert.go writes tests/unit/data/val_convert.txt: random values
// and target types, and what go-cty's convert.Convert makes of them.  The
// C test (tests/unit/test_val_convert.c) replays every line.
//
// Regenerate (Debian's golang-github-zclconf-go-cty-dev installed):
//   cd tests/unit/data && GO111MODULE=off GOPATH=/usr/share/gocode \
//     go run gen_val_convert.go > val_convert.txt
//
// With the argument "types" it writes val_types.txt instead: lines
//   T1|T2|... ; UNIFY_UNSAFE ; UNIFY_SAFE           (or NIL)
//   T1 -> T2 ; CONVERTIBLE_UNSAFE CONVERTIBLE_SAFE ; MISMATCH_MESSAGE
// (the message is "*" when it depends on Go map iteration order).
//
// With the argument "json" it writes val_json.txt: lines
//   VALUE ; JSON ; DECODED
// where JSON is cty's json.Marshal of VALUE (hex) and DECODED is what
// Terraform's jsondecode makes of it (cty ImpliedType + Unmarshal).
//
// Line format:  VALUE ; TYPE ; RESULT
//   types:  string number bool any list(T) set(T) map(T) tuple([T,T])
//           object({a=T,b=optional(T)})
//   values: null<T>  ?<T> (unknown)  s:HEX  n:NUMBER  b:true  L<T>[v,v]
//           S<T>[v,v]  M<T>{HEX=v,HEX=v}  T[v,v]  O{HEX=v}   ! marks sensitive
//   result: a value, "ERR message", or "ERR*" (cty's message depends on Go
//           map iteration order, so only the failure is checked)
package main

import (
	"encoding/hex"
	"fmt"
	"math/rand"
	"os"
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

var r = rand.New(rand.NewSource(20261122))

var names = []string{"a", "b", "c", "d"}

func randPrim() cty.Type {
	return []cty.Type{cty.String, cty.Number, cty.Bool}[r.Intn(3)]
}

func randType(depth int) cty.Type {
	if depth <= 0 || r.Intn(3) == 0 {
		if r.Intn(12) == 0 {
			return cty.DynamicPseudoType
		}
		return randPrim()
	}
	switch r.Intn(6) {
	case 0:
		return cty.List(randType(depth - 1))
	case 1:
		return cty.Set(randType(depth - 1))
	case 2:
		return cty.Map(randType(depth - 1))
	case 3:
		n := r.Intn(4)
		ts := make([]cty.Type, n)
		for i := range ts {
			ts[i] = randType(depth - 1)
		}
		return cty.Tuple(ts)
	default:
		at := map[string]cty.Type{}
		for _, n := range names[:r.Intn(4)] {
			at[n] = randType(depth - 1)
		}
		return cty.Object(at)
	}
}

var strs = []string{"", "a", "abc", "1", "1.5", "-2", "true", "false", "TRUE", "0", "1e3", " 1", "x\ny"}
var nums = []string{"0", "1", "-1", "1.5", "100", "0.25", "1000000", "-0.5"}

func randVal(t cty.Type, depth int) cty.Value {
	if r.Intn(14) == 0 {
		return cty.NullVal(t)
	}
	if r.Intn(16) == 0 {
		return cty.UnknownVal(t)
	}
	var v cty.Value
	switch {
	case t == cty.DynamicPseudoType:
		return randVal(randPrim(), depth)
	case t == cty.String:
		v = cty.StringVal(strs[r.Intn(len(strs))])
	case t == cty.Number:
		v = cty.MustParseNumberVal(nums[r.Intn(len(nums))])
	case t == cty.Bool:
		v = cty.BoolVal(r.Intn(2) == 0)
	case t.IsListType() || t.IsSetType():
		n := r.Intn(4)
		if n == 0 {
			if t.IsListType() {
				return cty.ListValEmpty(t.ElementType())
			}
			return cty.SetValEmpty(t.ElementType())
		}
		// a collection of any needs one real element type
		et := concrete(t.ElementType())
		var es []cty.Value
		for i := 0; i < n; i++ {
			es = append(es, randVal(et, depth-1))
		}
		if t.IsListType() {
			v = cty.ListVal(es)
		} else {
			v = cty.SetVal(es)
		}
	case t.IsMapType():
		n := r.Intn(4)
		if n == 0 {
			return cty.MapValEmpty(t.ElementType())
		}
		et := concrete(t.ElementType())
		m := map[string]cty.Value{}
		for _, k := range names[:n] {
			m[k] = randVal(et, depth-1)
		}
		v = cty.MapVal(m)
	case t.IsTupleType():
		var es []cty.Value
		for _, et := range t.TupleElementTypes() {
			es = append(es, randVal(et, depth-1))
		}
		v = cty.TupleVal(es)
	default:
		m := map[string]cty.Value{}
		for _, k := range sortedAttrs(t) {
			m[k] = randVal(t.AttributeType(k), depth-1)
		}
		v = cty.ObjectVal(m)
	}
	if r.Intn(20) == 0 {
		v = v.Mark("sensitive")
	}
	return v
}

// Attribute names in order (ranging over a Go map would make the random
// sequence, and so the output, differ from run to run).
func sortedAttrs(t cty.Type) []string {
	var ks []string
	for k := range t.AttributeTypes() {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// t with every any replaced by a primitive type.
func concrete(t cty.Type) cty.Type {
	switch {
	case t == cty.DynamicPseudoType:
		return randPrim()
	case t.IsListType():
		return cty.List(concrete(t.ElementType()))
	case t.IsSetType():
		return cty.Set(concrete(t.ElementType()))
	case t.IsMapType():
		return cty.Map(concrete(t.ElementType()))
	case t.IsTupleType():
		var ts []cty.Type
		for _, e := range t.TupleElementTypes() {
			ts = append(ts, concrete(e))
		}
		return cty.Tuple(ts)
	case t.IsObjectType():
		at := map[string]cty.Type{}
		for _, k := range sortedAttrs(t) {
			at[k] = concrete(t.AttributeType(k))
		}
		return cty.Object(at)
	}
	return t
}

// A target type related to t, so that conversions are often possible.
func relate(t cty.Type, depth int) cty.Type {
	if r.Intn(20) == 0 {
		return randType(depth)
	}
	switch {
	case t == cty.DynamicPseudoType:
		return randPrim()
	case t.IsPrimitiveType():
		switch k := r.Intn(10); {
		case k < 4:
			return t
		case k < 7:
			return cty.String
		case k < 8:
			return cty.DynamicPseudoType
		}
		return randPrim()
	case t.IsListType() || t.IsSetType():
		et := relate(t.ElementType(), depth-1)
		if r.Intn(2) == 0 {
			return cty.List(et)
		}
		return cty.Set(et)
	case t.IsMapType():
		et := relate(t.ElementType(), depth-1)
		if r.Intn(3) > 0 {
			return cty.Map(et)
		}
		at := map[string]cty.Type{}
		for _, n := range names[:r.Intn(3)] {
			at[n] = et
		}
		if _, ok := at["a"]; ok && r.Intn(2) == 0 {
			return cty.ObjectWithOptionalAttrs(at, []string{"a"})
		}
		return cty.Object(at)
	case t.IsTupleType():
		etys := t.TupleElementTypes()
		switch r.Intn(4) {
		case 0, 1:
			if r.Intn(2) == 0 {
				return cty.List(cty.DynamicPseudoType)
			}
			return cty.Set(cty.DynamicPseudoType)
		case 2:
			if len(etys) > 0 {
				return cty.List(relate(etys[0], depth-1))
			}
			return cty.List(randPrim())
		default:
			var ts []cty.Type
			for _, et := range etys {
				ts = append(ts, relate(et, depth-1))
			}
			return cty.Tuple(ts)
		}
	default:
		atys := t.AttributeTypes()
		switch r.Intn(4) {
		case 0:
			return cty.Map(cty.DynamicPseudoType)
		case 1:
			return cty.Map(randPrim())
		default:
			at := map[string]cty.Type{}
			var opt []string
			for _, k := range sortedAttrs(t) {
				if r.Intn(5) == 0 {
					continue
				}
				at[k] = relate(atys[k], depth-1)
				if r.Intn(3) == 0 {
					opt = append(opt, k)
				}
			}
			if r.Intn(3) == 0 {
				at["d"] = randPrim()
				if r.Intn(2) == 0 {
					opt = append(opt, "d")
				}
			}
			return cty.ObjectWithOptionalAttrs(at, opt)
		}
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
		var ps []string
		for _, e := range t.TupleElementTypes() {
			ps = append(ps, typeStr(e))
		}
		return "tuple([" + strings.Join(ps, ",") + "])"
	default:
		var ks []string
		for k := range t.AttributeTypes() {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		var ps []string
		for _, k := range ks {
			s := typeStr(t.AttributeType(k))
			if t.AttributeOptional(k) {
				s = "optional(" + s + ")"
			}
			ps = append(ps, k+"="+s)
		}
		return "object({" + strings.Join(ps, ",") + "})"
	}
}

func valStr(v cty.Value) string {
	prefix := ""
	if v.IsMarked() {
		prefix = "!"
		v, _ = v.Unmark()
	}
	t := v.Type()
	if !v.IsKnown() {
		return prefix + "?<" + typeStr(t) + ">"
	}
	if v.IsNull() {
		return prefix + "null<" + typeStr(t) + ">"
	}
	switch {
	case t == cty.String:
		return prefix + "s:" + hex.EncodeToString([]byte(v.AsString()))
	case t == cty.Number:
		return prefix + "n:" + v.AsBigFloat().Text('f', -1)
	case t == cty.Bool:
		return prefix + fmt.Sprintf("b:%v", v.True())
	case t.IsListType() || t.IsSetType() || t.IsTupleType():
		var ps []string
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			ps = append(ps, valStr(e))
		}
		switch {
		case t.IsListType():
			return prefix + "L<" + typeStr(t.ElementType()) + ">[" + strings.Join(ps, ",") + "]"
		case t.IsSetType():
			return prefix + "S<" + typeStr(t.ElementType()) + ">[" + strings.Join(ps, ",") + "]"
		}
		return prefix + "T[" + strings.Join(ps, ",") + "]"
	default:
		var ps []string
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			ps = append(ps, hex.EncodeToString([]byte(k.AsString()))+"="+valStr(e))
		}
		if t.IsMapType() {
			return prefix + "M<" + typeStr(t.ElementType()) + ">{" + strings.Join(ps, ",") + "}"
		}
		return prefix + "O{" + strings.Join(ps, ",") + "}"
	}
}

func unifyStr(ts []cty.Type, unsafe bool) string {
	var u cty.Type
	if unsafe {
		u, _ = convert.UnifyUnsafe(ts)
	} else {
		u, _ = convert.Unify(ts)
	}
	if u == cty.NilType {
		return "NIL"
	}
	return typeStr(u)
}

func typesMain() {
	seen := map[string]bool{}
	for len(seen) < 1500 {
		n := 2 + r.Intn(3)
		base := randType(2)
		ts := []cty.Type{base}
		for i := 1; i < n; i++ {
			switch r.Intn(5) {
			case 0:
				ts = append(ts, randType(2))
			case 1:
				ts = append(ts, base)
			default:
				ts = append(ts, relate(base, 2))
			}
		}
		var ps []string
		for _, t := range ts {
			ps = append(ps, typeStr(t))
		}
		line := strings.Join(ps, "|")
		if seen[line] {
			continue
		}
		seen[line] = true
		fmt.Println(line + " ; " + unifyStr(ts, true) + " ; " + unifyStr(ts, false))
	}
	seen = map[string]bool{}
	for len(seen) < 1500 {
		in := randType(3)
		out := relate(in, 3)
		line := typeStr(in) + " -> " + typeStr(out)
		if seen[line] {
			continue
		}
		seen[line] = true
		cu := convert.GetConversionUnsafe(in, out) != nil
		cs := convert.GetConversion(in, out) != nil
		msg := convert.MismatchMessage(in, out)
		for i := 0; i < 256; i++ {
			if convert.MismatchMessage(in, out) != msg {
				msg = "*"
				break
			}
		}
		fmt.Printf("%s ; %v %v ; %s\n", line, cu, cs, msg)
	}
}

func jsonMain() {
	seen := map[string]bool{}
	for len(seen) < 1500 {
		v, _ := randVal(randType(3), 3).UnmarkDeep()
		if !v.IsWhollyKnown() {
			continue
		}
		b, err := ctyjson.Marshal(v, v.Type())
		if err != nil {
			continue
		}
		line := valStr(v)
		if seen[line] {
			continue
		}
		seen[line] = true
		t, err := ctyjson.ImpliedType(b)
		if err != nil {
			panic(err)
		}
		d, err := ctyjson.Unmarshal(b, t)
		if err != nil {
			panic(err)
		}
		fmt.Println(line + " ; " + hex.EncodeToString(b) + " ; " + valStr(d))
	}
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "json" {
		jsonMain()
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "types" {
		typesMain()
		return
	}
	seen := map[string]bool{}
	for len(seen) < 2000 {
		t := randType(3)
		v := randVal(t, 3)
		want := relate(t, 3)
		line := valStr(v) + " ; " + typeStr(want) + " ; "
		if seen[line] {
			continue
		}
		seen[line] = true
		res, err := convert.Convert(v, want)
		if err != nil {
			msg := err.Error()
			for i := 0; i < 256; i++ {
				if _, e2 := convert.Convert(v, want); e2 == nil || e2.Error() != msg {
					msg = "*"
					break
				}
			}
			if msg == "*" {
				fmt.Println(line + "ERR*")
			} else {
				fmt.Println(line + "ERR " + msg)
			}
			continue
		}
		fmt.Println(line + valStr(res))
	}
}
