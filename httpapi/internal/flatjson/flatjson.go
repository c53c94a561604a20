// Package flatjson reads the common shape of an enrichment request body, an
// object of plain strings such as {"email":"a@b.com"}, without reflection.
//
// NOTE: it is a fast path only. It accepts nothing that encoding/json would
// read differently: any other shape (numbers, nesting, escapes, invalid
// UTF-8, a key the caller does not know exactly, trailing data) makes Scan
// report false, and the dialect then decodes the body with encoding/json as
// before, errors and all.
package flatjson

import "unicode/utf8"

// Scan calls set for each member of the object in data, in order, and
// reports whether data is one object whose values are all strings without
// escapes and set accepted every key. set receives the key's raw bytes,
// which it must not keep.
func Scan(data []byte, set func(key []byte, value string) bool) bool {
	i := skip(data, 0)
	if i >= len(data) || data[i] != '{' {
		return false
	}
	i = skip(data, i+1)
	if i < len(data) && data[i] == '}' {
		return skip(data, i+1) == len(data)
	}
	for {
		var key, val []byte
		var ok bool
		if key, i, ok = str(data, i); !ok {
			return false
		}
		if i = skip(data, i); i >= len(data) || data[i] != ':' {
			return false
		}
		if val, i, ok = str(data, skip(data, i+1)); !ok {
			return false
		}
		if !set(key, string(val)) {
			return false
		}
		i = skip(data, i)
		if i >= len(data) {
			return false
		}
		switch data[i] {
		case ',':
			i = skip(data, i+1)
		case '}':
			return skip(data, i+1) == len(data)
		default:
			return false
		}
	}
}

// str reads a string without escapes at data[i] and returns its content and
// the index after its closing quote.
func str(data []byte, i int) ([]byte, int, bool) {
	if i >= len(data) || data[i] != '"' {
		return nil, i, false
	}
	start := i + 1
	ascii := true
	for j := start; j < len(data); j++ {
		switch c := data[j]; {
		case c == '"':
			s := data[start:j]
			if !ascii && !utf8.Valid(s) {
				return nil, i, false // encoding/json would replace the bad bytes
			}
			return s, j + 1, true
		case c == '\\' || c < 0x20:
			return nil, i, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, i, false
}

func skip(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}
