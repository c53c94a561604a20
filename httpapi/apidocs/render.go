package apidocs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Render turns an OpenAPI document into a self-contained HTML reference page.
func Render(data []byte) ([]byte, error) {
	doc, err := parse(data)
	if err != nil {
		return nil, err
	}
	var raw struct {
		Paths      json.RawMessage `json:"paths"`
		Components struct {
			Schemas json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("parse openapi document: %w", err)
	}
	r := &renderer{doc: doc}
	v, err := r.page(orderedKeys(raw.Paths), orderedKeys(raw.Components.Schemas))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("render api reference: %w", err)
	}
	return buf.Bytes(), nil
}

// orderedKeys returns the keys of a JSON object in document order, which Go
// maps lose; the page follows the order the document's authors chose.
func orderedKeys(obj json.RawMessage) []string {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return keys
		}
		k, _ := t.(string)
		keys = append(keys, k)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return keys
		}
	}
	return keys
}

type renderer struct{ doc *document }

type pageView struct {
	Title, Version, Summary string
	Description             []string
	CSS                     template.CSS
	Auth                    []authView
	Sections                []sectionView
	Schemas                 []schemaView
}

type authView struct{ Name, How, Description string }

type sectionView struct {
	ID, Name, Description string
	Ops                   []opView
}

type opView struct {
	ID, Method, Path, Summary string
	Description               []string
	Auth                      []string
	Params                    []paramView
	Body                      template.HTML
	BodyRequired              bool
	Examples                  []exampleView
	Responses                 []respView
}

type paramView struct {
	Name, In, Description string
	Required              bool
	Type                  template.HTML
}

type exampleView struct{ Summary, JSON string }

type respView struct {
	Status, Description string
	Type                template.HTML
	Headers             []string
	Example             string
}

type schemaView struct {
	ID, Name, Description string
	Kind                  template.HTML
	Props                 []propView
}

type propView struct {
	Name, Description, Constraints string
	Required                       bool
	Type                           template.HTML
}

var methodOrder = []string{"get", "post", "put", "patch", "delete"}

func (r *renderer) page(pathOrder, schemaOrder []string) (*pageView, error) {
	d := r.doc
	v := &pageView{Title: d.Info.Title, Version: d.Info.Version, Summary: d.Info.Summary,
		Description: paragraphs(d.Info.Description), CSS: template.CSS(css)}

	names := make([]string, 0, len(d.Components.SecuritySchemes))
	for n := range d.Components.SecuritySchemes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := d.Components.SecuritySchemes[n]
		how := s.In + " " + s.Name
		if s.Type == "http" {
			how = "Authorization: " + strings.ToUpper(s.Scheme[:1]) + s.Scheme[1:] + " <token>"
		}
		v.Auth = append(v.Auth, authView{Name: n, How: how, Description: s.Description})
	}

	sections := map[string]*sectionView{}
	for _, t := range d.Tags {
		v.Sections = append(v.Sections, sectionView{ID: "tag-" + slug(t.Name), Name: t.Name, Description: t.Description})
	}
	for i := range v.Sections {
		sections[v.Sections[i].Name] = &v.Sections[i]
	}
	for _, path := range pathOrder {
		item := d.Paths[path]
		for _, m := range methodOrder {
			rawOp, ok := item[m]
			if !ok {
				continue
			}
			var op operation
			if err := json.Unmarshal(rawOp, &op); err != nil {
				return nil, fmt.Errorf("operation %s %s: %w", m, path, err)
			}
			ov, err := r.operation(m, path, &op, exampleOrder(rawOp))
			if err != nil {
				return nil, err
			}
			tag := "Other"
			if len(op.Tags) > 0 {
				tag = op.Tags[0]
			}
			sec := sections[tag]
			if sec == nil {
				v.Sections = append(v.Sections, sectionView{ID: "tag-" + slug(tag), Name: tag})
				// Appending may move the slice: rebuild the index.
				for i := range v.Sections {
					sections[v.Sections[i].Name] = &v.Sections[i]
				}
				sec = sections[tag]
			}
			sec.Ops = append(sec.Ops, *ov)
		}
	}
	v.Sections = slices.DeleteFunc(v.Sections, func(s sectionView) bool { return len(s.Ops) == 0 })

	for _, n := range schemaOrder {
		s := d.Components.Schemas[n]
		if s == nil {
			continue
		}
		sv := schemaView{ID: "schema-" + n, Name: n, Description: s.Description}
		if len(s.Properties) > 0 {
			sv.Props = r.props(s)
		} else {
			sv.Kind = r.typeHTML(s)
		}
		v.Schemas = append(v.Schemas, sv)
	}
	return v, nil
}

// exampleOrder returns the request body example names of a raw operation in
// document order, so that the page shows them as the authors listed them.
func exampleOrder(rawOp json.RawMessage) []string {
	var op struct {
		RequestBody struct {
			Content map[string]struct {
				Examples json.RawMessage `json:"examples"`
			} `json:"content"`
		} `json:"requestBody"`
	}
	if json.Unmarshal(rawOp, &op) != nil {
		return nil
	}
	return orderedKeys(op.RequestBody.Content["application/json"].Examples)
}

func (r *renderer) operation(method, path string, op *operation, examples []string) (*opView, error) {
	ov := &opView{ID: "op-" + method + "-" + slug(path), Method: strings.ToUpper(method), Path: path,
		Summary: op.Summary, Description: paragraphs(op.Description)}
	if op.OperationID != "" {
		ov.ID = "op-" + op.OperationID
	}
	for _, req := range op.Security {
		var parts []string
		for n := range req {
			parts = append(parts, n)
		}
		sort.Strings(parts)
		ov.Auth = append(ov.Auth, strings.Join(parts, " + "))
	}
	for _, p := range op.Parameters {
		if p.Ref != "" {
			p = r.doc.Components.Parameters[strings.TrimPrefix(p.Ref, "#/components/parameters/")]
			if p == nil {
				return nil, fmt.Errorf("%s %s: unresolved parameter", method, path)
			}
		}
		ov.Params = append(ov.Params, paramView{Name: p.Name, In: p.In, Description: p.Description, Required: p.Required, Type: r.typeHTML(p.Schema)})
	}
	if op.RequestBody != nil {
		ov.BodyRequired = op.RequestBody.Required
		if mt := op.RequestBody.Content["application/json"]; mt != nil {
			ov.Body = r.typeHTML(mt.Schema)
			for _, k := range examples {
				ov.Examples = append(ov.Examples, exampleView{Summary: mt.Examples[k].Summary, JSON: pretty(mt.Examples[k].Value)})
			}
		}
	}
	codes := make([]string, 0, len(op.Responses))
	for c := range op.Responses {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		resp := op.Responses[c]
		if resp.Ref != "" {
			resp = r.doc.Components.Responses[strings.TrimPrefix(resp.Ref, "#/components/responses/")]
			if resp == nil {
				return nil, fmt.Errorf("%s %s: unresolved response %s", method, path, c)
			}
		}
		rv := respView{Status: c, Description: resp.Description}
		for h := range resp.Headers {
			rv.Headers = append(rv.Headers, h)
		}
		sort.Strings(rv.Headers)
		for ct, mt := range resp.Content {
			if ct == "application/json" && mt.Schema != nil {
				rv.Type = r.typeHTML(mt.Schema)
				rv.Example = pretty(mt.Example)
			} else {
				rv.Type = template.HTML(html.EscapeString(ct))
			}
		}
		ov.Responses = append(ov.Responses, rv)
	}
	return ov, nil
}

func (r *renderer) props(s *schema) []propView {
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	// Required first, then alphabetical: what a caller must send comes first.
	sort.Slice(names, func(i, j int) bool {
		ri, rj := slices.Contains(s.Required, names[i]), slices.Contains(s.Required, names[j])
		if ri != rj {
			return ri
		}
		return names[i] < names[j]
	})
	out := make([]propView, 0, len(names))
	for _, n := range names {
		p := s.Properties[n]
		out = append(out, propView{Name: n, Required: slices.Contains(s.Required, n), Type: r.typeHTML(p),
			Description: p.Description, Constraints: constraints(p)})
	}
	return out
}

// typeHTML renders a schema's type as short HTML with links to named schemas.
func (r *renderer) typeHTML(s *schema) template.HTML {
	if s == nil {
		return "any"
	}
	if s.Ref != "" {
		name := s.Ref[strings.LastIndex(s.Ref, "/")+1:]
		return template.HTML(`<a href="#schema-` + html.EscapeString(name) + `">` + html.EscapeString(name) + `</a>`)
	}
	alt := func(word string, list []*schema) template.HTML {
		parts := make([]string, len(list))
		for i, x := range list {
			parts[i] = string(r.typeHTML(x))
		}
		return template.HTML(word + strings.Join(parts, " | "))
	}
	switch {
	case len(s.OneOf) > 0:
		return alt("one of ", s.OneOf)
	case len(s.AnyOf) > 0:
		return alt("", s.AnyOf)
	case len(s.AllOf) > 0:
		return alt("all of ", s.AllOf)
	}
	types := schemaTypes(s)
	parts := make([]string, 0, len(types))
	for _, t := range types {
		switch t {
		case "array":
			parts = append(parts, "array of "+string(r.typeHTML(s.Items)))
		case "object":
			if len(s.Properties) > 0 {
				names := make([]string, 0, len(s.Properties))
				for n := range s.Properties {
					names = append(names, html.EscapeString(n))
				}
				sort.Strings(names)
				parts = append(parts, "object {"+strings.Join(names, ", ")+"}")
			} else {
				parts = append(parts, "object")
			}
		default:
			w := html.EscapeString(t)
			if s.Format != "" {
				w += " (" + html.EscapeString(s.Format) + ")"
			}
			parts = append(parts, w)
		}
	}
	if len(parts) == 0 {
		return "any"
	}
	return template.HTML(strings.Join(parts, " or "))
}

// schemaTypes returns the type keyword as a list (3.1 allows an array).
func schemaTypes(s *schema) []string {
	if len(s.Type) == 0 {
		if len(s.Properties) > 0 {
			return []string{"object"}
		}
		return nil
	}
	var one string
	if json.Unmarshal(s.Type, &one) == nil {
		return []string{one}
	}
	var many []string
	_ = json.Unmarshal(s.Type, &many)
	return many
}

func constraints(s *schema) string {
	var c []string
	if len(s.Enum) > 0 {
		vals := make([]string, len(s.Enum))
		for i, e := range s.Enum {
			b, _ := json.Marshal(e)
			vals[i] = string(b)
		}
		c = append(c, "one of "+strings.Join(vals, ", "))
	}
	if s.Items != nil && len(s.Items.Enum) > 0 {
		c = append(c, fmt.Sprintf("items: %d allowed values", len(s.Items.Enum)))
	}
	num := func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
	if s.Minimum != nil {
		c = append(c, "≥ "+num(*s.Minimum))
	}
	if s.Maximum != nil {
		c = append(c, "≤ "+num(*s.Maximum))
	}
	if s.MinItems != nil {
		c = append(c, fmt.Sprintf("at least %d items", *s.MinItems))
	}
	if s.MaxItems != nil {
		c = append(c, fmt.Sprintf("at most %d items", *s.MaxItems))
	}
	if s.MaxLength != nil {
		c = append(c, fmt.Sprintf("at most %d characters", *s.MaxLength))
	}
	if s.Pattern != "" {
		c = append(c, "pattern "+s.Pattern)
	}
	return strings.Join(c, "; ")
}

func pretty(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return string(raw)
	}
	return buf.String()
}

func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

var pageTemplate = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} reference</title>
<style>{{.CSS}}</style>
</head>
<body>
<nav>
  <p class="brand"><a href="#top">{{.Title}}</a> <span class="version">{{.Version}}</span></p>
  <ul>
  <li><a href="#authentication">Authentication</a></li>
  {{range .Sections}}<li><a href="#{{.ID}}">{{.Name}}</a>
    <ul>{{range .Ops}}<li><a href="#{{.ID}}"><span class="m m-{{.Method}}">{{.Method}}</span> {{.Path}}</a></li>{{end}}</ul>
  </li>{{end}}
  <li><a href="#schemas">Schemas</a></li>
  </ul>
  <p class="raw"><a href="/openapi.json">openapi.json</a></p>
</nav>
<main id="top">
<h1>{{.Title}}</h1>
<p class="summary">{{.Summary}}</p>
{{range .Description}}<p>{{.}}</p>{{end}}

<section id="authentication">
<h2>Authentication</h2>
<table>
<thead><tr><th>Scheme</th><th>Send</th><th>Used by</th></tr></thead>
<tbody>{{range .Auth}}<tr><td><code>{{.Name}}</code></td><td><code>{{.How}}</code></td><td>{{.Description}}</td></tr>{{end}}</tbody>
</table>
</section>

{{range .Sections}}
<section id="{{.ID}}">
<h2>{{.Name}}</h2>
{{if .Description}}<p>{{.Description}}</p>{{end}}
{{range .Ops}}
<article id="{{.ID}}" class="op">
<h3><span class="m m-{{.Method}}">{{.Method}}</span> <code>{{.Path}}</code> <span class="opsum">{{.Summary}}</span></h3>
{{range .Description}}<p>{{.}}</p>{{end}}
<p class="auth">Authentication: {{if .Auth}}{{range $i, $a := .Auth}}{{if $i}} or {{end}}<code>{{$a}}</code>{{end}}{{else}}none{{end}}</p>
{{if .Params}}<h4>Parameters</h4>
<table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>
{{range .Params}}<tr><td><code>{{.Name}}</code>{{if .Required}} <span class="req">required</span>{{end}}</td><td>{{.In}}</td><td>{{.Type}}</td><td>{{.Description}}</td></tr>{{end}}
</tbody></table>{{end}}
{{if .Body}}<h4>Request body{{if .BodyRequired}} <span class="req">required</span>{{end}}</h4>
<p class="type">{{.Body}}</p>
{{range .Examples}}<details><summary>Example: {{.Summary}}</summary><pre>{{.JSON}}</pre></details>{{end}}{{end}}
<h4>Responses</h4>
<table class="resp"><thead><tr><th>Status</th><th>Body</th><th>Description</th></tr></thead><tbody>
{{range .Responses}}<tr><td class="status s{{slice .Status 0 1}}">{{.Status}}</td><td>{{.Type}}</td><td>{{.Description}}{{if .Headers}}<br><span class="hdrs">Headers: {{range $i, $h := .Headers}}{{if $i}}, {{end}}<code>{{$h}}</code>{{end}}</span>{{end}}{{if .Example}}<details><summary>Example</summary><pre>{{.Example}}</pre></details>{{end}}</td></tr>{{end}}
</tbody></table>
</article>
{{end}}
</section>
{{end}}

<section id="schemas">
<h2>Schemas</h2>
{{range .Schemas}}
<article id="{{.ID}}" class="schema">
<h3>{{.Name}}</h3>
{{if .Description}}<p>{{.Description}}</p>{{end}}
{{if .Props}}<table><thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead><tbody>
{{range .Props}}<tr><td><code>{{.Name}}</code>{{if .Required}} <span class="req">required</span>{{end}}</td><td>{{.Type}}</td><td>{{.Description}}{{if .Constraints}} <span class="cons">{{.Constraints}}</span>{{end}}</td></tr>{{end}}
</tbody></table>{{else}}<p class="type">{{.Kind}}</p>{{end}}
</article>
{{end}}
</section>
</main>
</body>
</html>
`))
