package native

import (
	"slices"

	"github.com/enrichd/enrichd/internal/jsonw"
)

// jsonAppender is a response that writes itself without reflection, byte for
// byte as encoding/json would (encode_test.go checks it); writeJSON falls
// back to encoding/json for anything else or when the writer fails.
type jsonAppender interface{ appendJSON(w *jsonw.W) }

func (r *personResponse) AppendJSON(w *jsonw.W) {
	w.Byte('{')
	w.OptString("request_id", r.RequestID)
	r.personResult.appendMembers(w)
	w.Key("credits")
	r.Credits.AppendJSON(w)
	w.Byte('}')
}

func (r *personResult) AppendJSON(w *jsonw.W) {
	w.Byte('{')
	r.appendMembers(w)
	w.Byte('}')
}

// appendMembers writes the members of personResult, which personResponse embeds.
func (r *personResult) appendMembers(w *jsonw.W) {
	w.Key("match")
	w.Bool(r.Match)
	if r.Person != nil {
		w.Key("person")
		w.Person(r.Person)
	}
	w.Key("confidence")
	w.Float(r.Confidence)
	w.OptString("matched_on", r.MatchedOn)
	if len(r.Evidence) > 0 {
		w.Key("evidence")
		w.Evidence(r.Evidence)
	}
	if len(r.Candidates) > 0 {
		w.Key("candidates")
		w.Byte('[')
		for i := range r.Candidates {
			c := &r.Candidates[i]
			w.Elem()
			w.Byte('{')
			w.Key("person")
			w.Person(c.Person)
			w.Key("confidence")
			w.Float(c.Confidence)
			w.OptString("matched_on", c.MatchedOn)
			if len(c.Evidence) > 0 {
				w.Key("evidence")
				w.Evidence(c.Evidence)
			}
			w.Byte('}')
		}
		w.Byte(']')
	}
	if r.Company != nil {
		w.Key("company")
		w.Company(r.Company)
	}
	if r.CompanyConfidence != 0 {
		w.Key("company_confidence")
		w.Float(r.CompanyConfidence)
	}
	if r.GuessedEmail != nil {
		w.Key("guessed_email")
		w.GuessedEmail(r.GuessedEmail)
	}
}

func (c credits) AppendJSON(w *jsonw.W) {
	w.Raw(`{"used":`)
	w.Int(c.Used)
	w.Raw(`,"remaining":`)
	w.Int(c.Remaining)
	w.Byte('}')
}

func (r *batchResponse) AppendJSON(w *jsonw.W) {
	w.Byte('{')
	w.OptString("request_id", r.RequestID)
	w.Key("results")
	if r.Results == nil {
		w.Raw("null")
	} else {
		w.Byte('[')
		for _, res := range r.Results {
			w.Elem()
			switch v := res.(type) {
			case *personResult:
				if v == nil {
					w.Raw("null")
				} else {
					v.AppendJSON(w)
				}
			case *itemError:
				if v == nil {
					w.Raw("null")
				} else {
					w.Raw(`{"error":`)
					v.Error.AppendJSON(w)
					w.Byte('}')
				}
			case nil:
				w.Raw("null")
			default:
				w.Fail() // not a shape this writer knows
			}
		}
		w.Byte(']')
	}
	w.Key("credits")
	r.Credits.AppendJSON(w)
	w.Byte('}')
}

func (e errorEnvelope) AppendJSON(w *jsonw.W) {
	w.Raw(`{"error":`)
	e.Error.AppendJSON(w)
	w.Byte('}')
}

func (b *errorBody) AppendJSON(w *jsonw.W) {
	w.Byte('{')
	w.Key("code")
	w.String(b.Code)
	w.Key("message")
	w.String(b.Message)
	if len(b.Fields) > 0 {
		// encoding/json sorts map keys.
		keys := make([]string, 0, len(b.Fields))
		for k := range b.Fields {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		w.Key("fields")
		w.Byte('{')
		for i, k := range keys {
			if i > 0 {
				w.Byte(',')
			}
			w.String(k)
			w.Byte(':')
			w.String(b.Fields[k])
		}
		w.Byte('}')
	}
	w.OptString("request_id", b.RequestID)
	w.Byte('}')
}

func (r *companyResponse) AppendJSON(w *jsonw.W) {
	w.Byte('{')
	w.OptString("request_id", r.RequestID)
	w.Key("match")
	w.Bool(r.Match)
	if r.Company != nil {
		w.Key("company")
		w.Company(r.Company)
	}
	w.Key("confidence")
	w.Float(r.Confidence)
	w.Key("credits")
	r.Credits.AppendJSON(w)
	w.Byte('}')
}

func (r *searchResponse) AppendJSON(w *jsonw.W) {
	w.Byte('{')
	w.OptString("request_id", r.RequestID)
	w.Key("people")
	if r.People == nil {
		w.Raw("null")
	} else {
		w.Byte('[')
		for _, p := range r.People {
			w.Elem()
			w.Person(p)
		}
		w.Byte(']')
	}
	w.Key("next_cursor")
	if r.NextCursor == nil {
		w.Raw("null")
	} else {
		w.String(*r.NextCursor)
	}
	if r.TotalCount != nil {
		w.Key("total_count")
		w.Int(int64(*r.TotalCount))
	}
	w.Key("credits")
	r.Credits.AppendJSON(w)
	w.Byte('}')
}
