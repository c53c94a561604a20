package flatjson_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/enrichd/enrichd/internal/flatjson"
)

// Ensure whatever Scan accepts, encoding/json reads as the same members.
func FuzzScan(f *testing.F) {
	for _, s := range []string{`{"email":"a@b.com"}`, ` { "a" : "1" , "b":"" } `, `{}`, `{"a":"x","a":"y"}`, `{"a":"\u00e9"}`,
		`{"a":1}`, `{"a":"x"} x`, "{\"a\":\"\xff\"}", `{"a":"é"}`, `{"a":"x",}`, `[]`, ``, `{"a":{"b":"c"}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got := map[string]string{}
		if !flatjson.Scan(data, func(k []byte, v string) bool { got[string(k)] = v; return true }) {
			return
		}
		var want map[string]string
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatalf("Scan accepted %q, encoding/json did not: %v", data, err)
		}
		if len(got) != len(want) {
			t.Fatalf("%q: got %v, want %v", data, got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("%q: got %v, want %v", data, got, want)
			}
		}
	})
}

// Ensure a key the caller refuses stops the scan.
func TestScan_Refused(t *testing.T) {
	if flatjson.Scan([]byte(`{"a":"1","b":"2"}`), func(k []byte, v string) bool { return string(k) == "a" }) {
		t.Fatal("accepted a refused key")
	}
}

// Ensure whatever ScanLists accepts, encoding/json reads as the same members.
func FuzzScanLists(f *testing.F) {
	for _, s := range []string{`{"a":["x"]}`, ` { "a" : [ "1" , "2" ] , "b":[] } `, `{}`, `{"a":["x"],"a":["y"]}`, `{"a":[1]}`,
		`{"a":["x",]}`, `{"a":"x"}`, `{"a":[["x"]]}`, "{\"a\":[\"\xff\"]}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got := map[string][]string{}
		if !flatjson.ScanLists(data, func(k []byte, v []string) bool { got[string(k)] = v; return true }) {
			return
		}
		var want map[string][]string
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatalf("ScanLists accepted %q, encoding/json did not: %v", data, err)
		}
		if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("%q: got %#v, want %#v", data, got, want)
		}
	})
}
