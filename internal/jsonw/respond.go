package jsonw

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// Appender is an answer that writes itself, byte for byte as encoding/json
// (with SetEscapeHTML(false)) writes it.
type Appender interface{ AppendJSON(w *W) }

// Respond writes v and a newline as the body with status, Content-Type
// contentType (shared, never modified) and an exact Content-Length, in one
// write. An Appender writes itself; anything else, or an Appender whose
// writer failed, goes through encoding/json. When that fails too, Respond
// writes a 500 with internalBody instead and returns the error, for the
// caller to log.
func Respond(rw http.ResponseWriter, status int, contentType []string, v any, internalBody string) error {
	w := Get()
	defer Put(w)
	a, ok := v.(Appender)
	if ok {
		a.AppendJSON(w)
		w.Byte('\n')
	}
	var err error
	if !ok || w.Failed() {
		buf := bytes.NewBuffer(w.B[:0])
		enc := json.NewEncoder(buf)
		enc.SetEscapeHTML(false)
		if err = enc.Encode(v); err != nil {
			buf.Reset()
			buf.WriteString(internalBody)
			status = http.StatusInternalServerError
		}
		w.B = buf.Bytes()
	}
	h := rw.Header()
	h["Content-Type"] = contentType
	h["Content-Length"] = []string{strconv.Itoa(len(w.B))}
	rw.WriteHeader(status)
	_, _ = rw.Write(w.B)
	return err
}
