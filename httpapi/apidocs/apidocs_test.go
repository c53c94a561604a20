package apidocs_test

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi"
	"github.com/enrichd/enrichd/httpapi/apidocs"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/httpapi/native"
	"github.com/enrichd/enrichd/mock"
)

// Ensure the document is a valid OpenAPI 3.1 document with every reference resolved.
func TestSpec_Valid(t *testing.T) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(apidocs.Spec())
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi=%q, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		t.Fatalf("validate: %v", err)
	}
	// Every operation has an id, a tag that the document declares, and a 2xx answer.
	tags := map[string]bool{}
	for _, tg := range doc.Tags {
		tags[tg.Name] = true
	}
	ids := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			if op.OperationID == "" || ids[op.OperationID] != "" {
				t.Errorf("%s: missing or duplicate operationId %q", where, op.OperationID)
			}
			ids[op.OperationID] = where
			if len(op.Tags) == 0 || !tags[op.Tags[0]] {
				t.Errorf("%s: tag %v is not declared", where, op.Tags)
			}
			ok := false
			for code := range op.Responses.Map() {
				ok = ok || strings.HasPrefix(code, "2")
			}
			if !ok {
				t.Errorf("%s: no 2xx response", where)
			}
		}
	}
}

// Ensure the native Person and Company schemas list exactly the JSON fields
// of the root types, so that a field added to the model is documented.
func TestSpec_SchemasMatchModel(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(apidocs.Spec())
	if err != nil {
		t.Fatal(err)
	}
	for name, typ := range map[string]reflect.Type{
		"Person": reflect.TypeFor[enrichd.Person](), "Company": reflect.TypeFor[enrichd.Company](),
		"Location": reflect.TypeFor[enrichd.Location](), "Employment": reflect.TypeFor[enrichd.Employment](),
		"Education": reflect.TypeFor[enrichd.Education](), "Certification": reflect.TypeFor[enrichd.Certification](),
		"Honor": reflect.TypeFor[enrichd.Honor](), "Contact": reflect.TypeFor[enrichd.Contact](),
		"Email": reflect.TypeFor[enrichd.Email](), "Phone": reflect.TypeFor[enrichd.Phone](),
		"Social": reflect.TypeFor[enrichd.Social](), "Provenance": reflect.TypeFor[enrichd.Provenance](),
		"Evidence": reflect.TypeFor[enrichd.Evidence](), "GuessedEmail": reflect.TypeFor[enrichd.GuessedEmail](),
	} {
		ref := doc.Components.Schemas[name]
		if ref == nil || ref.Value == nil {
			t.Errorf("schema %s is missing", name)
			continue
		}
		var want, got []string
		for i := range typ.NumField() {
			n, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			if n != "-" && n != "" {
				want = append(want, n)
			}
		}
		for n := range ref.Value.Properties {
			got = append(got, n)
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("schema %s properties=%v\nwant %v", name, got, want)
		}
	}
	// The fields option enumerates exactly what the native API accepts.
	fields := doc.Components.Schemas["PersonEnrichRequest"].Value.Properties["fields"].Value.Items.Value.Enum
	var got []string
	for _, f := range fields {
		got = append(got, f.(string))
	}
	if want := native.PersonFields(); !slices.Equal(got, want) {
		t.Errorf("fields enum=%v\nwant %v", got, want)
	}
}

// routePattern is one pattern registered on a ServeMux in the httpapi tree.
type routePattern struct {
	Method, Path, Pos string
}

// muxPatterns finds the patterns passed to Handle and HandleFunc in the
// non-test Go files of httpapi and its packages. A pattern must be a string
// literal, a constant of its package, or a concatenation of those, so that it
// can be checked here; anything else is reported.
func muxPatterns(t *testing.T) []routePattern {
	t.Helper()
	files, _ := filepath.Glob("../*.go")
	more, _ := filepath.Glob("../*/*.go")
	files = append(files, more...)
	fset := token.NewFileSet()
	consts := map[string]map[string]string{}    // dir → const name → value
	pkgConsts := map[string]map[string]string{} // package name → const name → value, for pkg.Name
	parsed := map[string]*ast.File{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		parsed[f] = af
		dir := filepath.Dir(f)
		if consts[dir] == nil {
			consts[dir] = map[string]string{}
		}
		if pkgConsts[af.Name.Name] == nil {
			pkgConsts[af.Name.Name] = consts[dir]
		}
		for _, decl := range af.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							consts[dir][name.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			}
		}
	}
	var eval func(dir string, e ast.Expr) (string, bool)
	eval = func(dir string, e ast.Expr) (string, bool) {
		switch e := e.(type) {
		case *ast.BasicLit:
			if e.Kind == token.STRING {
				s, err := strconv.Unquote(e.Value)
				return s, err == nil
			}
		case *ast.Ident:
			s, ok := consts[dir][e.Name]
			return s, ok
		case *ast.BinaryExpr:
			if e.Op == token.ADD {
				a, ok1 := eval(dir, e.X)
				b, ok2 := eval(dir, e.Y)
				return a + b, ok1 && ok2
			}
		case *ast.ParenExpr:
			return eval(dir, e.X)
		case *ast.SelectorExpr:
			if pkg, ok := e.X.(*ast.Ident); ok {
				s, ok := pkgConsts[pkg.Name][e.Sel.Name]
				return s, ok
			}
		}
		return "", false
	}
	var out []routePattern
	for f, af := range parsed {
		dir := filepath.Dir(f)
		ast.Inspect(af, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 2 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "Handle" && sel.Sel.Name != "HandleFunc") {
				return true
			}
			pos := fset.Position(call.Pos()).String()
			pattern, ok := eval(dir, call.Args[0])
			if !ok {
				// slog's Handler().Handle(ctx, record) also has two arguments.
				if _, isStr := call.Args[0].(*ast.CallExpr); !isStr && !strings.Contains(pos, "middleware") {
					t.Errorf("%s: route pattern is not a constant string; use a literal or a const so that it can be checked", pos)
				}
				return true
			}
			method, path, found := strings.Cut(pattern, " ")
			if !found {
				method, path = "", pattern
			}
			methods := []string{method}
			if method == "" {
				if m := dispatchMethods(call.Args[1]); len(m) > 0 {
					methods = m
				}
			}
			for _, m := range methods {
				out = append(out, routePattern{Method: m, Path: path, Pos: pos})
			}
			return true
		})
	}
	return out
}

// dispatchMethods returns the methods of a handler built as
// dispatch(map[string]http.HandlerFunc{"GET": ..., "POST": ...}), or nil.
func dispatchMethods(e ast.Expr) []string {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return nil
	}
	var methods []string
	for _, arg := range call.Args {
		lit, ok := arg.(*ast.CompositeLit)
		if !ok {
			continue
		}
		if _, ok := lit.Type.(*ast.MapType); !ok {
			continue
		}
		for _, elt := range lit.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			if k, ok := kv.Key.(*ast.BasicLit); ok && k.Kind == token.STRING {
				m, _ := strconv.Unquote(k.Value)
				methods = append(methods, m)
			}
		}
	}
	return methods
}

// Ensure every route mounted by routes.go, the server and each dialect's mux
// appears in the document.
func TestSpec_CoversRoutes(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(apidocs.Spec())
	if err != nil {
		t.Fatal(err)
	}
	patterns := muxPatterns(t)
	if len(patterns) < 10 {
		t.Fatalf("found only %d route patterns: %v", len(patterns), patterns)
	}
	t.Logf("%d route patterns", len(patterns))
	for _, p := range patterns {
		path := strings.TrimSuffix(p.Path, "{$}")
		if strings.HasSuffix(path, "/") && path != "/" || path == "/" && !strings.HasSuffix(p.Path, "{$}") {
			continue // a subtree: a dialect mount or a not-found fallback
		}
		item := doc.Paths.Find(path)
		if item == nil {
			t.Errorf("%s: route %q is not in openapi.json", p.Pos, strings.TrimSpace(p.Method+" "+p.Path))
			continue
		}
		if p.Method != "" && item.GetOperation(p.Method) == nil {
			t.Errorf("%s: route %q has no %s operation in openapi.json", p.Pos, p.Path, p.Method)
		}
	}
}

// Ensure every documented operation is served: through the real server, with
// no credentials, each answers something other than 404 or 405.
func TestSpec_OperationsServed(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(apidocs.Spec())
	if err != nil {
		t.Fatal(err)
	}
	accounts := &mock.AccountService{AuthenticateFn: func(ctx context.Context, secret string) (*enrichd.APIKey, error) {
		return nil, enrichd.Errorf(enrichd.EUNAUTHORIZED, "Invalid API key.")
	}}
	s := &kit.Services{People: &mock.PersonService{}, Companies: &mock.CompanyService{}, Matcher: &mock.Matcher{},
		Kit: &kit.Kit{Accounts: accounts, Prices: kit.DefaultPrices()}}
	srv := httpapi.NewServer(httpapi.Config{AdminToken: "admin-secret-for-tests"}, s, nil)
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			url := strings.NewReplacer("{id}", "0123456789abcdef", "{key_id}", "0123456789abcdef").Replace(path)
			req := httptest.NewRequest(method, url, strings.NewReader(`{}`))
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code == http.StatusNotFound || rec.Code == http.StatusMethodNotAllowed {
				t.Errorf("%s %s: status %d: %.200s", method, path, rec.Code, rec.Body)
			}
		}
	}
}

// Ensure /openapi.json and /docs are served by the server, cacheable, and
// that the page is self-contained.
func TestHandlers(t *testing.T) {
	srv := httpapi.NewServer(httpapi.Config{}, &kit.Services{Kit: &kit.Kit{Accounts: &mock.AccountService{}}}, nil)
	t.Run("OpenAPI", func(t *testing.T) {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/openapi.json", nil))
		if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("status=%d type=%q", rec.Code, rec.Header().Get("Content-Type"))
		}
		var v map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil || v["openapi"] != "3.1.0" {
			t.Fatalf("body: %v %v", err, v["openapi"])
		}
		etag := rec.Header().Get("ETag")
		req := httptest.NewRequest(http.MethodGet, "/openapi.json", nil)
		req.Header.Set("If-None-Match", etag)
		rec = httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if etag == "" || rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
			t.Fatalf("revalidation: etag=%q status=%d", etag, rec.Code)
		}
	})
	t.Run("Docs", func(t *testing.T) {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/docs", nil))
		body := rec.Body.String()
		if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			t.Fatalf("status=%d type=%q", rec.Code, rec.Header().Get("Content-Type"))
		}
		for _, want := range []string{"/v1/person/enrich", "/v1/company/enrich", "/v1/person/search", "/person/enrich",
			"/api/v1/cleanup/enrich", "/v2/enrich/person", "/api/v1/people/enrich", "/healthz", `id="schema-Person"`, "min_confidence"} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		for _, banned := range []string{"<script", "http://", "https://cdn", "src=\"http"} {
			if strings.Contains(body, banned) {
				t.Errorf("page is not self-contained: has %q", banned)
			}
		}
	})
}

// Ensure every link inside the page points at an anchor that exists.
func TestRender_Links(t *testing.T) {
	page, err := apidocs.Render(apidocs.Spec())
	if err != nil {
		t.Fatal(err)
	}
	body := string(page)
	for _, part := range strings.Split(body, `href="#`)[1:] {
		anchor, _, _ := strings.Cut(part, `"`)
		if !strings.Contains(body, `id="`+anchor+`"`) {
			t.Errorf("dangling link #%s", anchor)
		}
	}
}

// Ensure the document describes what the server really answers: every golden
// response of the native API validates against its operation's schema for
// its status, and every golden response of a vendor dialect against one of
// the response schemas of that dialect's operations.
func TestSpec_DescribesGoldenResponses(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(apidocs.Spec())
	if err != nil {
		t.Fatal(err)
	}
	opts := []openapi3.SchemaValidationOption{openapi3.EnableJSONSchema2020(), openapi3.VisitAsResponse(), openapi3.MultiErrors()}
	schemaFor := func(op *openapi3.Operation, status string) *openapi3.Schema {
		resp := op.Responses.Value(status)
		if resp == nil || resp.Value == nil {
			return nil
		}
		mt := resp.Value.Content.Get("application/json")
		if mt == nil || mt.Schema == nil {
			return nil
		}
		// NOTE: kin-openapi validates schemas that hold references with its
		// OpenAPI 3.0 rules (no type means "not null") unless the schema uses
		// a JSON Schema 2020-12 keyword; an empty $defs makes it use its
		// 2020-12 validator, which is what a 3.1 document means.
		return &openapi3.Schema{AllOf: openapi3.SchemaRefs{mt.Schema}, Defs: openapi3.Schemas{"_": &openapi3.SchemaRef{Value: &openapi3.Schema{}}}}
	}

	t.Run("native", func(t *testing.T) {
		files, _ := filepath.Glob("../native/testdata/*.response.golden.json")
		if len(files) == 0 {
			t.Fatal("no native golden files")
		}
		for _, f := range files {
			var golden struct {
				Status int             `json:"status"`
				Body   json.RawMessage `json:"body"`
			}
			var req struct {
				Path string
				Body json.RawMessage
			}
			mustReadJSON(t, f, &golden)
			mustReadJSON(t, strings.Replace(f, ".response.golden.json", ".request.json", 1), &req)
			item := doc.Paths.Find(req.Path)
			if item == nil || item.Post == nil {
				if golden.Status != http.StatusNotFound {
					t.Errorf("%s: POST %s is not documented", f, req.Path)
				}
				continue
			}
			schema := schemaFor(item.Post, strconv.Itoa(golden.Status))
			if schema == nil {
				t.Errorf("%s: POST %s does not document status %d", f, req.Path, golden.Status)
				continue
			}
			var v any
			_ = json.Unmarshal(golden.Body, &v)
			if err := schema.VisitJSON(v, opts...); err != nil {
				t.Errorf("%s: body does not match the documented %d response:\n%v", f, golden.Status, err)
			}
			// What the API accepted, the documented request schema must accept too.
			if golden.Status == http.StatusOK && len(req.Body) > 0 {
				rs := &openapi3.Schema{AllOf: openapi3.SchemaRefs{item.Post.RequestBody.Value.Content.Get("application/json").Schema},
					Defs: openapi3.Schemas{"_": &openapi3.SchemaRef{Value: &openapi3.Schema{}}}}
				var body any
				_ = json.Unmarshal(req.Body, &body)
				if err := rs.VisitJSON(body, openapi3.EnableJSONSchema2020(), openapi3.VisitAsRequest(), openapi3.MultiErrors()); err != nil {
					t.Errorf("%s: accepted request does not match the documented request body:\n%v", f, err)
				}
			}
		}
	})

	for dialect, tag := range map[string]string{"crustdata": "Crustdata dialect", "clodura": "Clodura dialect", "ocean": "Ocean.io dialect", "apione": "ApiOne dialect"} {
		t.Run(dialect, func(t *testing.T) {
			var schemas []*openapi3.Schema
			for _, item := range doc.Paths.Map() {
				for _, op := range item.Operations() {
					if len(op.Tags) == 0 || op.Tags[0] != tag {
						continue
					}
					for status := range op.Responses.Map() {
						if s := schemaFor(op, status); s != nil {
							schemas = append(schemas, s)
						}
					}
				}
			}
			files, _ := filepath.Glob("../" + dialect + "/testdata/*.response.golden.json")
			if len(schemas) == 0 || len(files) == 0 {
				t.Fatalf("%d schemas, %d golden files", len(schemas), len(files))
			}
			for _, f := range files {
				var v any
				mustReadJSON(t, f, &v)
				var errs []string
				for _, s := range schemas {
					err := s.VisitJSON(v, opts...)
					if err == nil {
						errs = nil
						break
					}
					errs = append(errs, err.Error())
				}
				if errs != nil {
					slices.SortFunc(errs, func(a, b string) int { return len(a) - len(b) })
					t.Errorf("%s: no documented %s response matches; closest:\n%s", f, tag, errs[0])
				}
			}
		})
	}
}

func mustReadJSON(tb testing.TB, file string, v any) {
	tb.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		tb.Fatalf("%s: %v", file, err)
	}
}

// Ensure the admin API answers what the document says: each documented
// admin operation is called through the server with the admin token and a
// valid body, and its answer validates against the documented schema.
func TestSpec_DescribesAdminResponses(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(apidocs.Spec())
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	key := func() *enrichd.APIKey {
		return &enrichd.APIKey{ID: "0123456789abcdef", Name: "acme-crm", Prefix: "ek_live_3fA9", Plan: enrichd.DefaultPlan(), Balance: 1000, CreatedAt: created}
	}
	charges := []enrichd.Charge{{KeyID: "0123456789abcdef", RequestID: "r1", API: "native", Endpoint: "person/enrich", Outcome: "match", Credits: 1, CreatedAt: created, BalanceAfter: 999}}
	accounts := &mock.AccountService{
		CreateAPIKeyFn: func(ctx context.Context, name string, plan enrichd.Plan, credits int64, expiresAt *time.Time) (*enrichd.APIKey, string, error) {
			return key(), "ek_live_3fA9secret", nil
		},
		FindAPIKeysFn:    func(ctx context.Context) ([]*enrichd.APIKey, error) { return []*enrichd.APIKey{key()}, nil },
		FindAPIKeyByIDFn: func(ctx context.Context, id string) (*enrichd.APIKey, error) { return key(), nil },
		RevokeAPIKeyFn:   func(ctx context.Context, id string) error { return nil },
		UpdatePlanFn:     func(ctx context.Context, id string, plan enrichd.Plan) error { return nil },
		GrantFn:          func(ctx context.Context, keyID string, credits int64, note string) (int64, error) { return 1500, nil },
		UsageFn: func(ctx context.Context, keyID string, since time.Time) ([]enrichd.Charge, error) {
			return charges, nil
		},
	}
	srv := httpapi.NewServer(httpapi.Config{AdminToken: "admin-secret-for-tests"}, &kit.Services{Kit: &kit.Kit{Accounts: accounts}}, nil)
	opts := []openapi3.SchemaValidationOption{openapi3.EnableJSONSchema2020(), openapi3.VisitAsResponse(), openapi3.MultiErrors()}
	n := 0
	for path, item := range doc.Paths.Map() {
		if !strings.HasPrefix(path, "/admin/") {
			continue
		}
		for method, op := range item.Operations() {
			n++
			body := ""
			if op.RequestBody != nil {
				for _, ex := range op.RequestBody.Value.Content.Get("application/json").Examples {
					b, _ := json.Marshal(ex.Value.Value)
					body = string(b)
				}
			}
			url := strings.ReplaceAll(path, "{id}", "0123456789abcdef") + "?entries=true"
			req := httptest.NewRequest(method, url, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer admin-secret-for-tests")
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			resp := op.Responses.Status(rec.Code)
			if resp == nil {
				t.Errorf("%s %s: undocumented status %d: %s", method, path, rec.Code, rec.Body)
				continue
			}
			var v any
			if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
				t.Errorf("%s %s: %v", method, path, err)
				continue
			}
			schema := &openapi3.Schema{AllOf: openapi3.SchemaRefs{resp.Value.Content.Get("application/json").Schema},
				Defs: openapi3.Schemas{"_": &openapi3.SchemaRef{Value: &openapi3.Schema{}}}}
			if err := schema.VisitJSON(v, opts...); err != nil {
				t.Errorf("%s %s: status %d answer does not match the document: %v\n%s", method, path, rec.Code, err, rec.Body)
			}
		}
	}
	if n < 9 {
		t.Fatalf("only %d admin operations documented", n)
	}
}
