package sqlite

import (
	"bytes"
	"encoding/json"
	"hash/maphash"
	"slices"
	"sync"

	"github.com/enrichd/enrichd"
)

// Cache sizes: decoded documents kept per kind. A decoded person with its
// document takes a few KB, so the person cache stays under ~100 MB.
const (
	personCacheSize  = 16384
	companyCacheSize = 4096
)

// docCache keeps decoded documents keyed by their stored bytes, so that a
// read still fetches the document from SQLite but skips decoding it (JSON
// decoding costs more than the look-up itself).
//
// NOTE: the cache is content-addressed: an entry is used only when the
// document just read is byte-for-byte the one it was decoded from, so a
// changed row (written by this process or any other node) can never be
// served stale, and no write path needs to know about the cache. Callers get
// a deep copy, never the cached value, so they may modify what they get.
type docCache[T any] struct {
	decode func(string) (*T, error)
	clone  func(*T) *T
	max    int
	seed   maphash.Seed

	mu sync.RWMutex
	m  map[uint64]cacheEntry[T]
}

type cacheEntry[T any] struct {
	doc string
	v   *T
}

func newDocCache[T any](size int, decode func(string) (*T, error), clone func(*T) *T) *docCache[T] {
	return &docCache[T]{decode: decode, clone: clone, max: size, seed: maphash.MakeSeed(), m: make(map[uint64]cacheEntry[T])}
}

// get returns a private copy of doc decoded, from the cache when doc was
// decoded before.
//
// NOTE: doc is a string, as the driver returns TEXT columns: a string is
// immutable, so the cache keeps the caller's without copying it.
func (c *docCache[T]) get(doc string) (*T, error) {
	v, hit, err := c.lookup(doc)
	if err != nil || !hit {
		return v, err
	}
	return c.clone(v), nil
}

// view is get without the copy: the result is shared and must not be
// modified (for callers that only read a few fields of it).
func (c *docCache[T]) view(doc string) (*T, error) {
	v, _, err := c.lookup(doc)
	return v, err
}

// lookup returns doc decoded: on a hit the cached value, which is shared
// (get copies it, view only reads it); else a fresh decoding, of which the
// cache keeps a copy.
func (c *docCache[T]) lookup(doc string) (v *T, hit bool, err error) {
	h := maphash.String(c.seed, doc)
	c.mu.RLock()
	e, ok := c.m[h]
	c.mu.RUnlock()
	if ok && e.doc == doc {
		return e.v, true, nil
	}
	if v, err = c.decode(doc); err != nil {
		return nil, false, err
	}
	c.put(h, doc, c.clone(v))
	return v, false, nil
}

func (c *docCache[T]) put(h uint64, doc string, v *T) {
	c.mu.Lock()
	if len(c.m) >= c.max {
		// Evict one arbitrary entry: map iteration starts at a random place.
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[h] = cacheEntry[T]{doc: doc, v: v}
	c.mu.Unlock()
}

// clonePerson returns a copy of p that shares no mutable memory with it
// (strings, immutable in Go, are shared). NOTE: TestClone fails when a field
// holding a slice, map or pointer is added to Person and not copied here.
func clonePerson(p *enrichd.Person) *enrichd.Person {
	c := *p
	c.Departments = slices.Clone(p.Departments)
	c.Languages = slices.Clone(p.Languages)
	c.Skills = slices.Clone(p.Skills)
	c.Employment = slices.Clone(p.Employment)
	c.Education = slices.Clone(p.Education)
	c.Certifications = slices.Clone(p.Certifications)
	c.Honors = slices.Clone(p.Honors)
	c.Contact.BusinessEmails = slices.Clone(p.Contact.BusinessEmails)
	c.Contact.PersonalEmails = slices.Clone(p.Contact.PersonalEmails)
	c.Contact.Phones = slices.Clone(p.Contact.Phones)
	c.Contact.Websites = slices.Clone(p.Contact.Websites)
	c.Extra = cloneExtra(p.Extra)
	c.Sources = slices.Clone(p.Sources)
	return &c
}

// cloneCompany is clonePerson for companies.
func cloneCompany(p *enrichd.Company) *enrichd.Company {
	c := *p
	c.OtherDomains = slices.Clone(p.OtherDomains)
	c.Extra = cloneExtra(p.Extra)
	c.Sources = slices.Clone(p.Sources)
	return &c
}

func cloneExtra(m map[string]json.RawMessage) map[string]json.RawMessage {
	if m == nil {
		return nil
	}
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		out[k] = bytes.Clone(v)
	}
	return out
}
