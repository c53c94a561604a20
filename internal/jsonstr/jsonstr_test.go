package jsonstr

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestAppend(t *testing.T) {
	for _, s := range []string{
		"", "plain", `quote " and \ backslash`, "\b\f\n\r\t\x00\x1f\x7f", "<a href='x'>&amp;</a>",
		"café", "line\u2028sep\u2029", "bad \xff utf-8 \xc3", "emoji 😀", "\u00e9\u0301",
	} {
		for _, html := range []bool{true, false} {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(html)
			if err := enc.Encode(s); err != nil {
				t.Fatal(err)
			}
			if got := string(Append(nil, s, html)); got+"\n" != want.String() {
				t.Errorf("Append(%q, html=%v) = %s, want %s", s, html, got, want.String())
			}
		}
	}
}

func FuzzAppend(f *testing.F) {
	f.Add("<x>&\"\\\n\u2028\xff")
	f.Fuzz(func(t *testing.T, s string) {
		for _, html := range []bool{true, false} {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(html)
			if err := enc.Encode(s); err != nil {
				t.Fatal(err)
			}
			if got := string(Append(nil, s, html)); got+"\n" != want.String() {
				t.Fatalf("Append(%q, html=%v) = %s, want %s", s, html, got, want.String())
			}
		}
	})
}
