package doccodec

import "github.com/enrichd/enrichd"

// FastPerson and FastCompany tell whether the fast path decodes doc alone.
func FastPerson(doc []byte) bool {
	var p enrichd.Person
	d := getDecoder(doc)
	defer putDecoder(d)
	return d.top(func() bool { return d.person(&p) })
}

func FastCompany(doc []byte) bool {
	var c enrichd.Company
	d := getDecoder(doc)
	defer putDecoder(d)
	return d.top(func() bool { return d.company(&c) })
}
