// Package enrichd holds the domain types of the enrichd enrichment engine and
// the service interfaces that its packages implement: sqlite and postgres
// (storage), match (the matching engine), httpapi and its dialect packages
// (the HTTP surfaces), and cmd/enrichd (wiring).
package enrichd
