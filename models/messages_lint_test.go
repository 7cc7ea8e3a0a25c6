package models_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jd/creator-portal/views/i18n"
)

// messageID is what a catalogue ID looks like: snake_case, no spaces.
var messageID = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// The models build no sentence meant for a person: every message they return
// is a catalogue ID (in Msg{ID: …}, M(…), errMsg(…), sentinel(…) or a Word)
// that the catalogue defines, its arguments are values rather than prose, and
// no Validate or Check function answers with a string. A message written in
// English here again would fail this test, not slip through untranslated.
func TestModelsBuildNoSentences(t *testing.T) {
	known := map[string]bool{}
	ids, err := i18n.MessageIDs(i18n.EN)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		known[id] = true
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		where := func(n ast.Node) string { return fset.Position(n.Pos()).String() }
		checkID := func(n ast.Expr, what string) {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return // built from a prefix and a code ("subject_" + code): checked where it is rendered
			}
			id, _ := strconv.Unquote(lit.Value)
			checked++
			switch {
			case !messageID.MatchString(id):
				t.Errorf("%s: %s %q is not a message ID (a sentence?)", where(n), what, id)
			case !known[id]:
				t.Errorf("%s: %s %q is not in the catalogue (views/i18n/locales/en.toml)", where(n), what, id)
			}
		}
		// An argument that is a string literal with a space, or text built
		// with fmt from a format with a space, is a sentence smuggled into a
		// message ("U+%04X" is a value).
		checkArg := func(n ast.Expr) {
			switch a := n.(type) {
			case *ast.BasicLit:
				if s, _ := strconv.Unquote(a.Value); a.Kind == token.STRING && strings.Contains(s, " ") {
					t.Errorf("%s: message argument %s is prose", where(n), a.Value)
				}
			case *ast.CallExpr:
				if sel, ok := a.Fun.(*ast.SelectorExpr); ok {
					if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "fmt" && len(a.Args) > 0 {
						if f, ok := a.Args[0].(*ast.BasicLit); !ok || strings.Contains(f.Value, " ") {
							t.Errorf("%s: message argument built with fmt.%s", where(n), sel.Sel.Name)
						}
					}
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CompositeLit:
				if id, ok := x.Type.(*ast.Ident); ok && id.Name == "Msg" {
					for _, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if key, ok := kv.Key.(*ast.Ident); ok && key.Name == "ID" {
								checkID(kv.Value, "Msg ID")
							}
						}
					}
				}
				if id, ok := x.Type.(*ast.Ident); ok && id.Name == "FieldErrors" {
					for _, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if lit, ok := kv.Value.(*ast.BasicLit); ok {
								t.Errorf("%s: field error %s is a string, not a message", where(lit), lit.Value)
							}
						}
					}
				}
			case *ast.CallExpr:
				fn, ok := x.Fun.(*ast.Ident)
				if !ok || len(x.Args) == 0 {
					return true
				}
				switch fn.Name {
				case "M", "errMsg":
					checkID(x.Args[0], fn.Name+" ID")
					for i := 2; i < len(x.Args); i += 2 {
						checkArg(x.Args[i])
					}
				case "sentinel":
					checkID(x.Args[0], "sentinel ID")
				case "Word":
					checkID(x.Args[0], "Word")
				}
			case *ast.FuncDecl:
				name := x.Name.Name
				if x.Recv == nil && (strings.HasPrefix(name, "Validate") || strings.HasPrefix(name, "Check")) && x.Type.Results != nil {
					for _, r := range x.Type.Results.List {
						if id, ok := r.Type.(*ast.Ident); ok && id.Name == "string" {
							t.Errorf("%s: %s answers with a string; return a Msg", where(x), name)
						}
					}
				}
			}
			return true
		})
	}
	if checked < 100 {
		t.Fatalf("only %d message IDs found: the test no longer sees the models' messages", checked)
	}
}
