package sqlite

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
)

func fullPerson() *enrichd.Person {
	return &enrichd.Person{
		ID: "0123456789abcdef", FirstName: "Zoë", LastName: "Okafor",
		Departments: []string{"Engineering"}, Skills: []string{"go", "sql"},
		Location:   enrichd.Location{City: "Lyon", CountryCode: "FR"},
		Employment: []enrichd.Employment{{CompanyName: "Acme", Current: true}},
		Contact:    enrichd.Contact{BusinessEmails: []enrichd.Email{{Address: "zoe@acme.com"}}},
		Extra:      map[string]json.RawMessage{"x.y": json.RawMessage(`{"a":1}`)},
		CreatedAt:  time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}
}

func TestDocCache(t *testing.T) {
	doc, err := json.Marshal(fullPerson())
	if err != nil {
		t.Fatal(err)
	}
	c := newDocCache(2, decodePerson, clonePerson)
	tests := []struct {
		name   string
		mutate func(p *enrichd.Person)
	}{
		{"scalar", func(p *enrichd.Person) { p.FirstName = "X" }},
		{"slice element", func(p *enrichd.Person) { p.Skills[0] = "X" }},
		{"nested slice", func(p *enrichd.Person) { p.Contact.BusinessEmails[0].Address = "X" }},
		{"struct in slice", func(p *enrichd.Person) { p.Employment[0].Current = false }},
		{"map", func(p *enrichd.Person) { p.Extra["x.y"][0] = 'X'; p.Extra["new"] = nil }},
		{"append", func(p *enrichd.Person) { p.Departments = append(p.Departments[:0], "X") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := c.get(string(doc)) // first call decodes, later ones hit
			if err != nil {
				t.Fatal(err)
			}
			tt.mutate(p)
			again, err := c.get(string(doc))
			if err != nil {
				t.Fatal(err)
			}
			want, _ := decodePerson(string(doc))
			if !reflect.DeepEqual(again, want) {
				t.Fatalf("cached value changed through a returned copy:\n got %+v\nwant %+v", again, want)
			}
		})
	}

	// A changed document is decoded afresh, never served from the cache.
	p := fullPerson()
	p.LastName = "Changed"
	doc2, _ := json.Marshal(p)
	got, err := c.get(string(doc2))
	if err != nil || got.LastName != "Changed" {
		t.Fatalf("changed doc: got %v, %v", got, err)
	}
	// Eviction keeps the cache bounded.
	for i := 0; i < 10; i++ {
		p.Followers = i
		d, _ := json.Marshal(p)
		if _, err := c.get(string(d)); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.m) > 2 {
		t.Fatalf("cache holds %d entries, max 2", len(c.m))
	}
	if _, err := c.get("{bad"); err == nil {
		t.Fatal("bad doc: want an error")
	}
}

func BenchmarkDocCache(b *testing.B) {
	doc, _ := json.Marshal(fullPerson())
	c := newDocCache(16, decodePerson, clonePerson)
	b.Run("decode", func(b *testing.B) {
		s := string(doc)
		for i := 0; i < b.N; i++ {
			decodePerson(s)
		}
	})
	b.Run("hit", func(b *testing.B) {
		s := string(doc)
		for i := 0; i < b.N; i++ {
			c.get(s)
		}
	})
}

// TestClone fills every field of a Person and a Company reflectively, so that
// a field added later is covered too, and checks that the clone shares no
// slice, map or byte array with the original.
func TestClone(t *testing.T) {
	var p enrichd.Person
	fill(reflect.ValueOf(&p).Elem())
	noSharing(t, "Person", reflect.ValueOf(p), reflect.ValueOf(*clonePerson(&p)))
	if !reflect.DeepEqual(&p, clonePerson(&p)) {
		t.Fatal("clonePerson: not equal")
	}
	var c enrichd.Company
	fill(reflect.ValueOf(&c).Elem())
	noSharing(t, "Company", reflect.ValueOf(c), reflect.ValueOf(*cloneCompany(&c)))
	if !reflect.DeepEqual(&c, cloneCompany(&c)) {
		t.Fatal("cloneCompany: not equal")
	}
}

// fill gives every exported field reachable from v a non-zero value, and
// every slice and map one element.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("s")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint8:
		v.SetUint(1)
	case reflect.Float64:
		v.SetFloat(1)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0))
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k := reflect.New(v.Type().Key()).Elem()
		fill(k)
		e := reflect.New(v.Type().Elem()).Elem()
		fill(e)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Pointer:
		n := reflect.New(v.Type().Elem())
		fill(n.Elem())
		v.Set(n)
	}
}

func noSharing(t *testing.T, path string, a, b reflect.Value) {
	t.Helper()
	switch a.Kind() {
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if a.Type().Field(i).IsExported() {
				noSharing(t, path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i))
			}
		}
	case reflect.Slice:
		if a.Len() > 0 && a.Pointer() == b.Pointer() {
			t.Errorf("%s: the clone shares the slice", path)
		}
		for i := 0; i < min(a.Len(), b.Len()); i++ {
			noSharing(t, path+"[i]", a.Index(i), b.Index(i))
		}
	case reflect.Map:
		if a.Len() > 0 && a.Pointer() == b.Pointer() {
			t.Errorf("%s: the clone shares the map", path)
		}
		it := a.MapRange()
		for it.Next() {
			noSharing(t, path+"[k]", it.Value(), b.MapIndex(it.Key()))
		}
	case reflect.Pointer:
		if !a.IsNil() && a.Pointer() == b.Pointer() {
			t.Errorf("%s: the clone shares the pointer", path)
		}
	}
}
