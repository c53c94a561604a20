package crustdata

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/kit"
)

// defaultSections are returned when a request names no fields, as the
// reference says ("only basic_profile and social_handles").
var defaultSections = []string{"basic_profile", "social_handles"}

// gatedSections need a field permission on the key's plan (kit.FieldAllowed),
// as Crustdata documents for contact data, certifications and honors.
var gatedSections = map[string]bool{enrichd.FieldContact: true, enrichd.FieldCertifications: true, enrichd.FieldHonors: true}

// unavailableSections are documented by Crustdata but have no data source here.
var unavailableSections = map[string]bool{"assessment": true, "social_posts": true}

// personDataType is walked to validate dot-paths against the json tags of
// the response types, so that the accepted paths never drift from what is
// rendered.
var personDataType = reflect.TypeOf(personData{})

// selection is what a request's fields ask for.
type selection struct {
	sections map[string]bool // sections to build, wholly or partly
	whole    map[string]bool // sections wanted whole
	paths    [][]string      // narrower dot-paths; when any, the answer is projected
}

// wants reports whether section must be built.
func (s *selection) wants(section string) bool { return s.sections[section] }

// wantsPart reports whether section.part (e.g. contact.phone_numbers) is in
// the answer, for charging add-ons only for what is returned.
func (s *selection) wantsPart(section, part string) bool {
	if s.whole[section] {
		return true
	}
	for _, p := range s.paths {
		if p[0] == section && (len(p) == 1 || p[1] == part) {
			return true
		}
	}
	return false
}

// parseFields validates fields and returns the selection. Unknown fields are
// EINVALID; permission-gated sections the key may not see are EFORBIDDEN.
func parseFields(fields []string, key *enrichd.APIKey) (*selection, error) {
	sel := &selection{sections: map[string]bool{}, whole: map[string]bool{}}
	if len(fields) == 0 {
		for _, s := range defaultSections {
			sel.sections[s], sel.whole[s] = true, true
		}
		return sel, nil
	}
	for i, f := range fields {
		at := fmt.Sprintf("fields[%d]", i)
		segs := strings.Split(strings.TrimSpace(f), ".")
		if segs[0] == "" {
			return nil, invalid(at, "Field names must not be empty.")
		}
		if unavailableSections[segs[0]] {
			return nil, invalid(at, fmt.Sprintf("Field %q is not available on this server.", f))
		}
		if !validPath(personDataType, segs) {
			return nil, invalid(at, fmt.Sprintf("Unsupported field: %q.", f))
		}
		if gatedSections[segs[0]] && !kit.FieldAllowed(key, segs[0]) {
			return nil, enrichd.Errorf(enrichd.EFORBIDDEN, "Your API key does not have permission to access the %s field.", segs[0])
		}
		sel.sections[segs[0]] = true
		if len(segs) == 1 {
			sel.whole[segs[0]] = true
		} else {
			sel.paths = append(sel.paths, segs)
		}
	}
	// A path inside a section that is wanted whole adds nothing.
	kept := sel.paths[:0]
	for _, p := range sel.paths {
		if !sel.whole[p[0]] {
			kept = append(kept, p)
		}
	}
	sel.paths = kept
	return sel, nil
}

// validPath reports whether segs names a field of t by its json tags,
// stepping through pointers and into array elements.
func validPath(t reflect.Type, segs []string) bool {
	for _, seg := range segs {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			if t == reflect.TypeOf(json.RawMessage(nil)) {
				return false // opaque vendor JSON: no known sub-fields
			}
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return false
		}
		found := false
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.IsExported() && name == seg {
				t, found = f.Type, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// render returns d as the selection shows it: d itself when only whole
// sections are wanted (the fast path), otherwise a generic tree holding the
// identifiers, the whole sections and each dot-path.
func (s *selection) render(d *personData) (any, error) {
	if len(s.paths) == 0 {
		return d, nil
	}
	buf, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("render person_data: %w", err)
	}
	var full map[string]any
	if err := json.Unmarshal(buf, &full); err != nil {
		return nil, fmt.Errorf("render person_data: %w", err)
	}
	out := map[string]any{"crustdata_person_id": full["crustdata_person_id"], "updated_at": full["updated_at"]}
	for name := range s.whole {
		if v, ok := full[name]; ok {
			out[name] = v
		}
	}
	for _, p := range s.paths {
		copyPath(out, full, p)
	}
	return out, nil
}

// copyPath copies the value at path from src into dst, creating the objects
// on the way and applying the rest of the path to every element of an array.
func copyPath(dst, src map[string]any, path []string) {
	k := path[0]
	v, ok := src[k]
	if !ok {
		return
	}
	if len(path) == 1 {
		dst[k] = v
		return
	}
	switch sv := v.(type) {
	case map[string]any:
		dm, _ := dst[k].(map[string]any)
		if dm == nil {
			dm = map[string]any{}
			dst[k] = dm
		}
		copyPath(dm, sv, path[1:])
	case []any:
		da, _ := dst[k].([]any)
		if len(da) != len(sv) {
			da = make([]any, len(sv))
			for i := range da {
				da[i] = map[string]any{}
			}
			dst[k] = da
		}
		for i, el := range sv {
			if em, ok := el.(map[string]any); ok {
				if dm, ok := da[i].(map[string]any); ok {
					copyPath(dm, em, path[1:])
				}
			}
		}
	default: // null: the parent is unknown, so is the child
		if _, exists := dst[k]; !exists {
			dst[k] = nil
		}
	}
}
