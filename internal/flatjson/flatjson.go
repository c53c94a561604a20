// Package flatjson reads the common shapes of an enrichment request body, an
// object of plain strings such as {"email":"a@b.com"} or of arrays of them
// ({"business_emails":["a@b.com"]}), without reflection.
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
	return scan(data, func(key []byte, data []byte, i int) (int, bool) {
		val, i, ok := str(data, i)
		return i, ok && set(key, string(val))
	})
}

// ScanLists is Scan for an object whose values are all arrays of such
// strings; an empty array is an empty, non-nil slice, as encoding/json makes it.
func ScanLists(data []byte, set func(key []byte, values []string) bool) bool {
	return scan(data, func(key []byte, data []byte, i int) (int, bool) {
		if i >= len(data) || data[i] != '[' {
			return i, false
		}
		values := []string{}
		i = skip(data, i+1)
		if i < len(data) && data[i] == ']' {
			return i + 1, set(key, values)
		}
		for {
			val, j, ok := str(data, i)
			if !ok {
				return i, false
			}
			values = append(values, string(val))
			if i = skip(data, j); i >= len(data) {
				return i, false
			}
			switch data[i] {
			case ',':
				i = skip(data, i+1)
			case ']':
				return i + 1, set(key, values)
			default:
				return i, false
			}
		}
	})
}

// scan walks one object, reading each value with value, which returns the
// index after the value and whether it was accepted.
func scan(data []byte, value func(key, data []byte, i int) (int, bool)) bool {
	i := skip(data, 0)
	if i >= len(data) || data[i] != '{' {
		return false
	}
	i = skip(data, i+1)
	if i < len(data) && data[i] == '}' {
		return skip(data, i+1) == len(data)
	}
	for {
		var key []byte
		var ok bool
		if key, i, ok = str(data, i); !ok {
			return false
		}
		if i = skip(data, i); i >= len(data) || data[i] != ':' {
			return false
		}
		if i, ok = value(key, data, skip(data, i+1)); !ok {
			return false
		}
		if i = skip(data, i); i >= len(data) {
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
