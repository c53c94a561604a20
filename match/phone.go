package match

import (
	"strings"

	"github.com/enrichd/enrichd"

	"github.com/nyaruka/phonenumbers"
)

// NormalizePhone returns the E.164 form of a phone number ("+4512345678") and
// true, or "", false when it is not a valid number. region is the default
// region for numbers written without a country code: an ISO 3166-1 alpha-2
// code or a country name (the person's country), or "" when unknown.
func NormalizePhone(s, region string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return "", false
	}
	if len(s) >= 4 && strings.EqualFold(s[:4], "tel:") {
		s = s[4:]
	}
	// "00" is the international prefix in most of the world.
	if strings.HasPrefix(s, "00") {
		s = "+" + s[2:]
	}
	cc := CountryCode(region)
	if cc == "" {
		cc = "ZZ" // unknown: only "+<country code>" numbers parse
	}
	num, err := phonenumbers.Parse(s, cc)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", false
	}
	return phonenumbers.Format(num, phonenumbers.E164), true
}

// countryNames maps folded country names and common aliases to ISO codes.
var countryNames = map[string]string{
	"united states": "US", "united states of america": "US", "usa": "US", "us": "US", "america": "US",
	"united kingdom": "GB", "uk": "GB", "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
	"northern ireland": "GB", "britain": "GB", "canada": "CA", "australia": "AU", "new zealand": "NZ",
	"ireland": "IE", "germany": "DE", "deutschland": "DE", "france": "FR", "spain": "ES", "espana": "ES",
	"italy": "IT", "italia": "IT", "netherlands": "NL", "the netherlands": "NL", "holland": "NL",
	"belgium": "BE", "switzerland": "CH", "austria": "AT", "denmark": "DK", "danmark": "DK", "sweden": "SE",
	"sverige": "SE", "norway": "NO", "norge": "NO", "finland": "FI", "suomi": "FI", "iceland": "IS",
	"portugal": "PT", "poland": "PL", "polska": "PL", "czech republic": "CZ", "czechia": "CZ",
	"slovakia": "SK", "hungary": "HU", "romania": "RO", "bulgaria": "BG", "greece": "GR", "turkey": "TR",
	"turkiye": "TR", "russia": "RU", "russian federation": "RU", "ukraine": "UA", "estonia": "EE",
	"latvia": "LV", "lithuania": "LT", "croatia": "HR", "serbia": "RS", "slovenia": "SI", "luxembourg": "LU",
	"india": "IN", "china": "CN", "japan": "JP", "south korea": "KR", "korea": "KR", "republic of korea": "KR",
	"singapore": "SG", "malaysia": "MY", "indonesia": "ID", "philippines": "PH", "thailand": "TH",
	"vietnam": "VN", "viet nam": "VN", "pakistan": "PK", "bangladesh": "BD", "sri lanka": "LK",
	"hong kong": "HK", "taiwan": "TW", "israel": "IL", "united arab emirates": "AE", "uae": "AE",
	"saudi arabia": "SA", "qatar": "QA", "egypt": "EG", "south africa": "ZA", "nigeria": "NG", "kenya": "KE",
	"morocco": "MA", "ghana": "GH", "mexico": "MX", "brazil": "BR", "brasil": "BR", "argentina": "AR",
	"chile": "CL", "colombia": "CO", "peru": "PE", "venezuela": "VE", "uruguay": "UY", "costa rica": "CR",
}

// CountryCode returns the ISO 3166-1 alpha-2 code (upper case) of a country
// given as a code ("dk", "GB") or a common name ("Denmark", "United States",
// "UK"), or "" when unknown.
func CountryCode(s string) string {
	f := Fold(s)
	if f == "" {
		return ""
	}
	if c, ok := countryNames[f]; ok {
		return c
	}
	if len(f) == 2 && isLetters(f) {
		c := strings.ToUpper(f)
		if phonenumbers.GetCountryCodeForRegion(c) != 0 {
			return c
		}
	}
	return ""
}

// storedPhone returns a stored person's phone in E.164. Stored numbers were
// normalised at ingest, so "+<digits>" is taken as is: re-validating with
// libphonenumber costs ~20 µs a number, on the import and match hot paths.
func storedPhone(num string, p *enrichd.Person) (string, bool) {
	if isE164(num) {
		return num, true
	}
	return NormalizePhone(num, personCountry(p))
}

// isE164 reports whether s is "+" followed by 8 to 15 digits, the first not 0.
func isE164(s string) bool {
	if len(s) < 9 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// looseE164 reads "+<digits>" written with spaces, dots, dashes or brackets,
// without checking that the number is assigned.
func looseE164(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "+") {
		return "", false
	}
	b := make([]byte, 1, len(s))
	b[0] = '+'
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			b = append(b, c)
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return "", false
		}
	}
	e := string(b)
	return e, isE164(e)
}
