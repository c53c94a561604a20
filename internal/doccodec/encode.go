package doccodec

import (
	"encoding/json"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/internal/jsonw"
)

// EncodePerson appends the JSON document of p to dst, byte for byte what
// json.Marshal(p) returns. On error dst is returned unchanged with
// json.Marshal's error.
//
// NOTE: the fast path is the dialects' writer (jsonw) with json.Marshal's
// HTML-safe escaping; anything it cannot write the way json.Marshal does (a
// time the time package refuses, an invalid raw value) falls back to
// json.Marshal whole, so errors stay json.Marshal's.
func EncodePerson(dst []byte, p *enrichd.Person) ([]byte, error) {
	return encode(dst, p, (*jsonw.W).Person)
}

// EncodeCompany appends the JSON document of c to dst, byte for byte what
// json.Marshal(c) returns. On error dst is returned unchanged with
// json.Marshal's error.
func EncodeCompany(dst []byte, c *enrichd.Company) ([]byte, error) {
	return encode(dst, c, (*jsonw.W).Company)
}

// encode writes v into a pooled writer, so that the result is allocated once
// at its size (as json.Marshal does) instead of grown by doubling.
func encode[T any](dst []byte, v *T, write func(*jsonw.W, *T)) ([]byte, error) {
	w := jsonw.Get()
	defer jsonw.Put(w)
	w.HTML = true
	write(w, v)
	if !w.Failed() {
		return append(dst, w.B...), nil
	}
	doc, err := json.Marshal(v)
	if err != nil {
		return dst, err
	}
	return append(dst, doc...), nil
}
