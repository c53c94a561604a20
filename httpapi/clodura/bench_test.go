package clodura_test

import (
	"testing"

	"github.com/enrichd/enrichd/httpapi/internal/dialecttest"
)

// bench is the shared benchmark suite (see dialecttest.Bench) over this dialect.
var bench = dialecttest.Bench{Dialect: dialect, Body: []byte(`{"linkedinUrl": "https://in.linkedin.com/in/dipak-bhoi-b3a700172"}`),
	NewHarness: newHarness, NewMeteredServer: newMeteredServer}

func BenchmarkEnrich(b *testing.B)            { bench.Enrich(b) }
func BenchmarkBare(b *testing.B)              { bench.Bare(b) }
func BenchmarkHTTP_Enrich(b *testing.B)       { bench.HTTPEnrich(b) }
func BenchmarkHTTP_EnrichSQLite(b *testing.B) { bench.HTTPEnrichSQLite(b) }
func BenchmarkHTTP_Bare(b *testing.B)         { bench.HTTPBare(b) }
