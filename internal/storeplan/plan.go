// Package storeplan is the backend-neutral half of ingest: it resolves a
// batch of records against the store (through a Reader bound to the ingest
// transaction), merges them into golden records, and returns the rows to
// write. The sqlite and postgres packages only read and write; the rules live
// here once, so that both backends merge exactly alike.
package storeplan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/internal/doccodec"
)

// Store-owned key namespaces, beside the Keyer's. They never collide with a
// Keyer key because Keyer keys do not start with '~'.
const (
	// RecordKeyPrefix indexes a person that came from a record with no
	// identity key, by its provenance, so re-importing the same file finds it.
	RecordKeyPrefix = "~rec:"
	// EmailDomainKeyPrefix indexes people by the domain of each business email.
	EmailDomainKeyPrefix = "~edom:"
)

// ErrRetry reports that a concurrent transaction created a record this batch
// was about to create; the caller rolls back and runs the batch again, which
// then merges into that record.
var ErrRetry = errors.New("storeplan: concurrent insert of the same record; retry the batch")

// Reader reads the store inside the ingest transaction. Every method takes a
// set of ids or keys and answers with one indexed query per chunk.
type Reader interface {
	// PersonIDsByKeys returns the ids of the people under each key.
	PersonIDsByKeys(ctx context.Context, keys []string) (map[string][]string, error)
	// CompanyIDsByKeys returns the ids of the companies under each key.
	CompanyIDsByKeys(ctx context.Context, keys []string) (map[string][]string, error)
	// PeopleDocs and CompanyDocs return the stored JSON of the ids that exist.
	PeopleDocs(ctx context.Context, ids []string) (map[string][]byte, error)
	CompanyDocs(ctx context.Context, ids []string) (map[string][]byte, error)
	// PersonKeysOf and CompanyKeysOf return the stored keys of each id.
	PersonKeysOf(ctx context.Context, ids []string) (map[string][]string, error)
	CompanyKeysOf(ctx context.Context, ids []string) (map[string][]string, error)
	// ExistingPeople and ExistingCompanies return which of ids are taken.
	ExistingPeople(ctx context.Context, ids []string) (map[string]bool, error)
	ExistingCompanies(ctx context.Context, ids []string) (map[string]bool, error)
}

// PersonWrite is one person to insert (New) or update.
type PersonWrite struct {
	ID     string
	New    bool
	Person *enrichd.Person
	Doc    []byte
	Row    enrichd.SearchRow
	// AddKeys and DelKeys are the key rows to insert and delete; for a new
	// person AddKeys holds them all. AddTerms and DelTerms likewise.
	AddKeys, DelKeys   []string
	AddTerms, DelTerms []enrichd.SearchTerm
}

// CompanyWrite is one company to insert (New) or update.
type CompanyWrite struct {
	ID               string
	New              bool
	Company          *enrichd.Company
	Doc              []byte
	AddKeys, DelKeys []string
}

// Plan is what a batch writes, and what it reports.
type Plan struct {
	People    []*PersonWrite
	Companies []*CompanyWrite
	Results   []enrichd.IngestResult
	// NewPeople and NewCompanies are the row-count increments.
	NewPeople, NewCompanies int
}

// NewID returns the id derived from key with attempt n (0 first): 16 lower-case
// hex characters of SHA-256.
//
// NOTE: ids are a function of the first identity key, not random, so that two
// transactions (or a re-run of an interrupted import) creating the same new
// person compute the same id: the primary key then rejects the second insert
// instead of letting a duplicate in. Attempt n > 0 resolves a collision with a
// different record (about one in 2^32 at four billion records).
func NewID(key string, n int) string {
	if n > 0 {
		key += "#" + strconv.Itoa(n)
	}
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:8])
}

// EmailDomainKey returns the store key for people with a business email at
// domain (an address or a bare domain), and the lower-cased domain; "" when
// domain is not one.
func EmailDomainKey(domain string) (key, dom string) {
	dom = strings.ToLower(strings.TrimSpace(domain))
	if i := strings.LastIndexByte(dom, '@'); i >= 0 {
		dom = dom[i+1:]
	}
	dom = strings.TrimSuffix(strings.TrimPrefix(dom, "www."), ".")
	if dom == "" || !strings.Contains(dom, ".") || strings.ContainsAny(dom, " /:@") {
		return "", ""
	}
	return EmailDomainKeyPrefix + dom, dom
}

// AppendEmailsAt appends p's usable business addresses at dom to out, up to
// limit entries in all. Guessed and invalid addresses are skipped.
func AppendEmailsAt(out []enrichd.NamedEmail, p *enrichd.Person, dom string, limit int) []enrichd.NamedEmail {
	for _, e := range p.Contact.BusinessEmails {
		if len(out) >= limit {
			break
		}
		if UsableEmailAt(e.Address, e.Status, dom) {
			out = append(out, enrichd.NamedEmail{Address: e.Address, FirstName: p.FirstName, LastName: p.LastName})
		}
	}
	return out
}

// UsableEmailAt reports whether a stored business address with status may
// teach the address pattern at dom: it is at dom, and neither guessed (our
// own output) nor known invalid.
func UsableEmailAt(address, status, dom string) bool {
	if status == enrichd.StatusGuessed || status == enrichd.StatusInvalid {
		return false
	}
	_, d := EmailDomainKey(address)
	return d == dom
}

// personState is a person being resolved in this batch.
type personState struct {
	id       string // "" for a new person until ids are assigned
	seq      int    // creation order within the batch, for new people
	p        *enrichd.Person
	isNew    bool
	dirty    bool
	firstKey string   // for a new person: the key its id derives from
	oldDoc   []byte   // the stored doc, for its terms if the person changes
	recKeys  []string // provenance keys to add (records with no identity key)
}

// companyState is a company being resolved in this batch.
type companyState struct {
	c     *enrichd.Company
	isNew bool
	dirty bool
}

// Options tune Build for a backend.
type Options struct {
	// Now is the creation time of new records.
	Now time.Time
	// PersonID returns the id of a new person from its first identity key
	// and the attempt number (0 first, more after a collision). Nil means
	// NewID.
	PersonID func(firstKey string, attempt int) string
	// OldKeysFromDoc derives the stored keys of a changed person from their
	// stored doc with the Keyer instead of reading them (Reader.PersonKeysOf),
	// as is always done for terms: for a store whose person_id index on keys
	// is missing, e.g. dropped for a bulk load. Provenance keys are never
	// deleted either way; if the Keyer changed since the doc was written,
	// keys it no longer derives stay behind (extra candidates, never a
	// missed one).
	OldKeysFromDoc bool
}

// planner holds the state of one Build call.
type planner struct {
	ctx         context.Context
	r           Reader
	keyer       enrichd.Keyer
	now         time.Time
	personID    func(firstKey string, attempt int) string
	keysFromDoc bool

	dbPersonKeys  map[string][]string // identity key → stored person ids
	dbCompanyKeys map[string][]string
	personDocs    map[string][]byte
	people        map[string]*personState // by stored id
	companies     map[string]*companyState
	batchPeople   map[string][]*personState // identity key → people created or merged in this batch
	batchCompany  map[string][]*companyState
	newPeople     []*personState
	seq           int
}

// Build resolves batch against the store and returns what to write. It
// validates every record first and returns EINVALID, writing nothing, if any
// has nothing to identify it: the error's Fields are keyed by the record's
// index in batch (decimal), so that a caller can reject those and resend the
// rest.
//
// Ingest takes ownership of the records in batch: it links employment to
// company ids on them and stores new records as they are.
func Build(ctx context.Context, r Reader, keyer enrichd.Keyer, batch []enrichd.IngestRecord, opts Options) (*Plan, error) {
	if keyer == nil {
		return nil, errors.New("storeplan: ingest needs a Keyer")
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.PersonID == nil {
		opts.PersonID = NewID
	}
	pl := &planner{
		ctx: ctx, r: r, keyer: keyer, now: opts.Now.UTC(), personID: opts.PersonID, keysFromDoc: opts.OldKeysFromDoc,
		people:       make(map[string]*personState),
		companies:    make(map[string]*companyState),
		batchPeople:  make(map[string][]*personState),
		batchCompany: make(map[string][]*companyState),
	}
	// Validate the whole batch before touching the store.
	pkeys := make([][]string, len(batch))
	ckeys := make([][]string, len(batch))
	var invalid map[string]string
	for i, rec := range batch {
		if rec.Company != nil {
			ckeys[i] = dedupe(keyer.CompanyIdentityKeys(rec.Company))
		}
		if rec.Person != nil {
			pkeys[i] = dedupe(keyer.PersonIdentityKeys(rec.Person))
			if len(pkeys[i]) == 0 && len(ckeys[i]) > 0 {
				// A person known only with their employer: identified by
				// the record they came from, so that re-importing the same
				// file finds them again.
				pkeys[i] = recordKeys(rec.Person)
			}
		}
		var problem string
		switch {
		case rec.Person == nil && rec.Company == nil:
			problem = "empty record"
		case rec.Person != nil && len(pkeys[i]) == 0 && len(ckeys[i]) == 0:
			problem = "no usable identifier: no LinkedIn URL, email or company"
		case rec.Person != nil && len(pkeys[i]) == 0:
			problem = "person has no identity key and no source record id"
		case rec.Person == nil && len(ckeys[i]) == 0:
			problem = "company has no domain, LinkedIn URL or name"
		}
		if problem != "" {
			if invalid == nil {
				invalid = make(map[string]string)
			}
			invalid[strconv.Itoa(i)] = problem
		}
	}
	if len(invalid) > 0 {
		return nil, enrichd.InvalidFields(fmt.Sprintf("%d of %d records have no usable identifier.", len(invalid), len(batch)), invalid)
	}

	if err := pl.load(pkeys, ckeys); err != nil {
		return nil, err
	}
	results := make([]enrichd.IngestResult, len(batch))
	personOf := make([]*personState, len(batch))
	companyOf := make([]*companyState, len(batch))
	for i, rec := range batch {
		if rec.Company != nil && len(ckeys[i]) > 0 {
			cs, outcome, err := pl.resolveCompany(rec.Company, ckeys[i])
			if err != nil {
				return nil, err
			}
			companyOf[i], results[i].CompanyOutcome = cs, outcome
		}
		if rec.Person != nil {
			p := clonePerson(rec.Person)
			if cs := companyOf[i]; cs != nil {
				linkEmployment(p, rec.Company, cs.c)
			}
			ps, outcome, err := pl.resolvePerson(p, pkeys[i])
			if err != nil {
				return nil, err
			}
			personOf[i], results[i].PersonOutcome = ps, outcome
		}
	}
	plan, err := pl.finish()
	if err != nil {
		return nil, err
	}
	for i := range results {
		if ps := personOf[i]; ps != nil {
			results[i].PersonID = ps.id
		}
		if cs := companyOf[i]; cs != nil {
			results[i].CompanyID = cs.c.ID
		}
	}
	plan.Results = results
	return plan, nil
}

// load reads, in a few queries, every stored record that an identity key of
// the batch points at.
func (pl *planner) load(pkeys, ckeys [][]string) (err error) {
	all := func(lists [][]string) []string {
		seen := make(map[string]bool)
		var out []string
		for _, l := range lists {
			for _, k := range l {
				if !seen[k] {
					seen[k] = true
					out = append(out, k)
				}
			}
		}
		return out
	}
	if keys := all(ckeys); len(keys) > 0 {
		if pl.dbCompanyKeys, err = pl.r.CompanyIDsByKeys(pl.ctx, keys); err != nil {
			return fmt.Errorf("look up company keys: %w", err)
		}
		ids := idsOf(pl.dbCompanyKeys)
		docs, err := pl.r.CompanyDocs(pl.ctx, ids)
		if err != nil {
			return fmt.Errorf("load companies: %w", err)
		}
		for id, doc := range docs {
			var c enrichd.Company
			if err := doccodec.DecodeCompany(doc, &c); err != nil {
				return fmt.Errorf("decode company %s: %w", id, err)
			}
			c.ID = id
			pl.companies[id] = &companyState{c: &c}
		}
	}
	if keys := all(pkeys); len(keys) > 0 {
		if pl.dbPersonKeys, err = pl.r.PersonIDsByKeys(pl.ctx, keys); err != nil {
			return fmt.Errorf("look up person keys: %w", err)
		}
		if pl.personDocs, err = pl.r.PeopleDocs(pl.ctx, idsOf(pl.dbPersonKeys)); err != nil {
			return fmt.Errorf("load people: %w", err)
		}
	}
	return nil
}

func idsOf(m map[string][]string) []string {
	seen := make(map[string]bool)
	var ids []string
	for _, l := range m {
		for _, id := range l {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	return ids
}

// storedPerson returns the state of stored person id, decoding it on first use.
func (pl *planner) storedPerson(id string) (*personState, error) {
	if ps, ok := pl.people[id]; ok {
		return ps, nil
	}
	doc, ok := pl.personDocs[id]
	if !ok {
		return nil, nil // key row without a person: ignore it
	}
	var p enrichd.Person
	if err := doccodec.DecodePerson(doc, &p); err != nil {
		return nil, fmt.Errorf("decode person %s: %w", id, err)
	}
	p.ID = id
	ps := &personState{id: id, p: &p, oldDoc: doc}
	pl.people[id] = ps
	return ps, nil
}

// olderPerson orders people by creation (stored before new, then by time,
// batch order and id): a record hitting several people merges into the oldest.
func olderPerson(a, b *personState) bool {
	if a.isNew != b.isNew {
		return !a.isNew
	}
	if !a.p.CreatedAt.Equal(b.p.CreatedAt) {
		return a.p.CreatedAt.Before(b.p.CreatedAt)
	}
	if a.seq != b.seq {
		return a.seq < b.seq
	}
	return a.id < b.id
}

// resolvePerson merges p into the person its identity keys point at, or
// creates one.
//
// NOTE: when the keys point at several people (say the LinkedIn URL at one and
// the business email at another), the record merges into the oldest and is
// reported merged; the others are left as they are. A candidate whose LinkedIn
// URL differs from the record's is never merged into: a shared address
// (info@, a reused inbox) must not fuse two profiles.
func (pl *planner) resolvePerson(p *enrichd.Person, keys []string) (*personState, string, error) {
	var best *personState
	consider := func(ps *personState) {
		if ps == nil || (best != nil && !olderPerson(ps, best)) {
			return
		}
		if a, b := ps.p.Social.LinkedInURL, p.Social.LinkedInURL; a != "" && b != "" && !strings.EqualFold(a, b) {
			return
		}
		best = ps
	}
	for _, k := range keys {
		for _, id := range pl.dbPersonKeys[k] {
			ps, err := pl.storedPerson(id)
			if err != nil {
				return nil, "", err
			}
			consider(ps)
		}
		for _, ps := range pl.batchPeople[k] {
			consider(ps)
		}
	}
	outcome := enrichd.OutcomeNew
	if best == nil {
		pl.seq++
		best = &personState{p: p, isNew: true, dirty: true, seq: pl.seq, firstKey: keys[0]}
		p.ID = ""
		p.CreatedAt = pl.now
		if t := recordTimeOf(p.Sources); !t.IsZero() && t.Before(pl.now) {
			p.UpdatedAt = t
		} else if p.UpdatedAt.IsZero() {
			p.UpdatedAt = pl.now
		}
		pl.newPeople = append(pl.newPeople, best)
	} else if enrichd.MergePerson(best.p, p) {
		best.dirty = true
		outcome = enrichd.OutcomeMerged
	} else {
		outcome = enrichd.OutcomeUnchanged
	}
	for _, k := range keys {
		if strings.HasPrefix(k, RecordKeyPrefix) && !slices.Contains(best.recKeys, k) {
			best.recKeys = append(best.recKeys, k)
		}
		if !slices.Contains(pl.batchPeople[k], best) {
			pl.batchPeople[k] = append(pl.batchPeople[k], best)
		}
	}
	return best, outcome, nil
}

func recordTimeOf(sources []enrichd.Provenance) time.Time {
	var t time.Time
	for _, s := range sources {
		if s.SeenAt.After(t) {
			t = s.SeenAt
		}
	}
	return t
}

// companyConflicts reports whether stored company c cannot be the company in
// (only a weak key such as the name can join them): both have a domain and
// they differ, or both a LinkedIn URL and they differ.
func companyConflicts(c, in *enrichd.Company) bool {
	if in.Domain != "" && (strings.EqualFold(c.Domain, in.Domain) || containsFold(c.OtherDomains, in.Domain)) {
		return false
	}
	if in.LinkedInURL != "" && strings.EqualFold(c.LinkedInURL, in.LinkedInURL) {
		return false
	}
	return (in.Domain != "" && c.Domain != "") || (in.LinkedInURL != "" && c.LinkedInURL != "")
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

func olderCompany(a, b *companyState) bool {
	if a.isNew != b.isNew {
		return !a.isNew
	}
	if !a.c.CreatedAt.Equal(b.c.CreatedAt) {
		return a.c.CreatedAt.Before(b.c.CreatedAt)
	}
	return a.c.ID < b.c.ID
}

// resolveCompany merges in into the oldest company its identity keys point at
// that does not conflict with it (see companyConflicts), or creates one.
func (pl *planner) resolveCompany(in *enrichd.Company, keys []string) (*companyState, string, error) {
	var best *companyState
	consider := func(cs *companyState) {
		if cs == nil || companyConflicts(cs.c, in) || (best != nil && !olderCompany(cs, best)) {
			return
		}
		best = cs
	}
	for _, k := range keys {
		for _, id := range pl.dbCompanyKeys[k] {
			consider(pl.companies[id])
		}
		for _, cs := range pl.batchCompany[k] {
			consider(cs)
		}
	}
	outcome := enrichd.OutcomeNew
	if best == nil {
		c := *in
		c.OtherDomains = slices.Clone(in.OtherDomains)
		c.Sources = slices.Clone(in.Sources)
		c.CreatedAt = pl.now
		if t := recordTimeOf(c.Sources); !t.IsZero() && t.Before(pl.now) {
			c.UpdatedAt = t
		} else if c.UpdatedAt.IsZero() {
			c.UpdatedAt = pl.now
		}
		id, err := pl.newCompanyID(keys[0])
		if err != nil {
			return nil, "", err
		}
		c.ID = id
		best = &companyState{c: &c, isNew: true, dirty: true}
		pl.companies[id] = best
	} else if enrichd.MergeCompany(best.c, in) {
		best.dirty = true
		outcome = enrichd.OutcomeMerged
	} else {
		outcome = enrichd.OutcomeUnchanged
	}
	for _, k := range keys {
		if !slices.Contains(pl.batchCompany[k], best) {
			pl.batchCompany[k] = append(pl.batchCompany[k], best)
		}
	}
	return best, outcome, nil
}

// newCompanyID returns the first free id derived from key (see NewID).
func (pl *planner) newCompanyID(key string) (string, error) {
	for n := 0; ; n++ {
		id := NewID(key, n)
		if _, taken := pl.companies[id]; taken {
			continue
		}
		exists, err := pl.r.ExistingCompanies(pl.ctx, []string{id})
		if err != nil {
			return "", fmt.Errorf("check company id: %w", err)
		}
		if !exists[id] {
			return id, nil
		}
		// Taken in the store: by this very company if a concurrent
		// transaction just created it (retry and merge), else a collision.
		owners, err := pl.r.CompanyIDsByKeys(pl.ctx, []string{key})
		if err != nil {
			return "", fmt.Errorf("check company id: %w", err)
		}
		if slices.Contains(owners[key], id) {
			return "", ErrRetry
		}
	}
}

// linkEmployment points p's jobs at company c (the resolved form of in, the
// record's company): jobs at the same company get its id and fill their blank
// company fields from it; if none is, the first current job is taken to be at
// c, and a person with no current job gets one.
func linkEmployment(p *enrichd.Person, in, c *enrichd.Company) {
	ref := enrichd.Employment{CompanyID: c.ID, CompanyName: c.Name, CompanyDomain: c.Domain, CompanyLinkedInURL: c.LinkedInURL}
	same := func(j *enrichd.Employment) bool {
		switch {
		case j.CompanyID != "":
			return j.CompanyID == c.ID
		case j.CompanyDomain != "" && (strings.EqualFold(j.CompanyDomain, c.Domain) || containsFold(c.OtherDomains, j.CompanyDomain) || strings.EqualFold(j.CompanyDomain, in.Domain)):
			return true
		case j.CompanyLinkedInURL != "" && (strings.EqualFold(j.CompanyLinkedInURL, c.LinkedInURL) || strings.EqualFold(j.CompanyLinkedInURL, in.LinkedInURL)):
			return true
		case j.CompanyDomain == "" && j.CompanyLinkedInURL == "" && j.CompanyName != "":
			n := strings.TrimSpace(j.CompanyName)
			return strings.EqualFold(n, c.Name) || strings.EqualFold(n, in.Name)
		}
		return false
	}
	fill := func(j *enrichd.Employment) {
		j.CompanyID = c.ID
		if j.CompanyName == "" {
			j.CompanyName = c.Name
		}
		if j.CompanyDomain == "" {
			j.CompanyDomain = c.Domain
		}
		if j.CompanyLinkedInURL == "" {
			j.CompanyLinkedInURL = c.LinkedInURL
		}
	}
	linked := false
	for i := range p.Employment {
		if same(&p.Employment[i]) {
			fill(&p.Employment[i])
			linked = true
		}
	}
	if linked {
		return
	}
	if j := p.CurrentJob(); j != nil && j.CompanyID == "" {
		fill(j)
		return
	}
	job := ref
	job.Current = true
	job.Title = p.Title
	job.Seniority = p.Seniority
	p.Employment = append(p.Employment, job)
}

// clonePerson copies what ingest modifies on a caller's record.
func clonePerson(p *enrichd.Person) *enrichd.Person {
	c := *p
	c.Employment = slices.Clone(p.Employment)
	return &c
}

// recordKeys returns the provenance keys of a person with no identity key.
func recordKeys(p *enrichd.Person) []string {
	var keys []string
	for _, s := range p.Sources {
		if s.Source != "" && s.RecordID != "" {
			keys = append(keys, RecordKeyPrefix+s.Source+"|"+s.RecordID)
		}
	}
	return keys
}

func dedupe(keys []string) []string {
	out := keys[:0:0]
	for _, k := range keys {
		if k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// personKeys returns every key row of p: the Keyer's identity and blocking
// keys and the store's email-domain keys.
func (pl *planner) personKeys(p *enrichd.Person) []string {
	keys := pl.keyer.PersonIdentityKeys(p)
	keys = append(keys, pl.keyer.PersonBlockingKeys(p)...)
	for _, e := range p.Contact.BusinessEmails {
		if k, _ := EmailDomainKey(e.Address); k != "" {
			keys = append(keys, k)
		}
	}
	return dedupe(keys)
}

func (pl *planner) companyKeys(c *enrichd.Company) []string {
	keys := pl.keyer.CompanyIdentityKeys(c)
	keys = append(keys, pl.keyer.CompanyBlockingKeys(c)...)
	return dedupe(keys)
}

// finish assigns ids to new people, reads the old keys of changed records,
// and computes rows, keys and JSON of everything to write.
func (pl *planner) finish() (*Plan, error) {
	plan := &Plan{}
	if err := pl.assignPersonIDs(); err != nil {
		return nil, err
	}

	var changedPeople, changedCompanies []string
	var pws []*PersonWrite
	var pstates []*personState
	for _, ps := range pl.newPeople {
		pws = append(pws, &PersonWrite{ID: ps.id, New: true, Person: ps.p})
		pstates = append(pstates, ps)
	}
	for _, ps := range pl.people {
		if ps.dirty && !ps.isNew {
			changedPeople = append(changedPeople, ps.id)
		}
	}
	slices.Sort(changedPeople)
	for _, id := range changedPeople {
		ps := pl.people[id]
		pws = append(pws, &PersonWrite{ID: id, Person: ps.p})
		pstates = append(pstates, ps)
	}
	var cws []*CompanyWrite
	for id, cs := range pl.companies {
		if cs.dirty && !cs.isNew {
			changedCompanies = append(changedCompanies, id)
		}
	}
	slices.Sort(changedCompanies)
	for id, cs := range pl.companies {
		if cs.isNew {
			cws = append(cws, &CompanyWrite{ID: id, New: true, Company: cs.c})
			plan.NewCompanies++
		}
	}
	slices.SortFunc(cws, func(a, b *CompanyWrite) int { return strings.Compare(a.ID, b.ID) })
	for _, id := range changedCompanies {
		cws = append(cws, &CompanyWrite{ID: id, Company: pl.companies[id].c})
	}
	plan.NewPeople = len(pl.newPeople)

	var oldPersonKeys, oldCompanyKeys map[string][]string
	var err error
	if len(changedPeople) > 0 && !pl.keysFromDoc {
		if oldPersonKeys, err = pl.r.PersonKeysOf(pl.ctx, changedPeople); err != nil {
			return nil, fmt.Errorf("read person keys: %w", err)
		}
	}
	if len(changedCompanies) > 0 {
		if oldCompanyKeys, err = pl.r.CompanyKeysOf(pl.ctx, changedCompanies); err != nil {
			return nil, fmt.Errorf("read company keys: %w", err)
		}
	}

	// The CPU-heavy part (keys, projections, JSON) runs on every core.
	errs := make([]error, len(pws)+len(cws))
	parallel(len(pws)+len(cws), func(i int) {
		if i < len(pws) {
			w, ps := pws[i], pstates[i]
			keys := append(pl.personKeys(w.Person), ps.recKeys...)
			w.Row = enrichd.NewSearchRow(w.Person)
			if w.New {
				w.AddKeys, w.AddTerms = dedupe(keys), w.Row.Terms
			} else {
				// Terms (and with keysFromDoc keys) are derived from the
				// stored doc, decoded again only now that the person changed
				// (most re-imported people don't).
				var old enrichd.Person
				if errs[i] = doccodec.DecodePerson(ps.oldDoc, &old); errs[i] != nil {
					return
				}
				oldKeys := oldPersonKeys[w.ID]
				if pl.keysFromDoc {
					oldKeys = pl.personKeys(&old)
				}
				w.AddKeys, w.DelKeys = diffKeys(oldKeys, dedupe(keys))
				w.AddTerms, w.DelTerms = diffTerms(enrichd.NewSearchRow(&old).Terms, w.Row.Terms)
			}
			w.Doc, errs[i] = encodePerson(w.Person)
			return
		}
		w := cws[i-len(pws)]
		keys := pl.companyKeys(w.Company)
		if w.New {
			w.AddKeys = keys
		} else {
			w.AddKeys, w.DelKeys = diffKeys(oldCompanyKeys[w.ID], keys)
		}
		w.Doc, errs[i] = encodeCompany(w.Company)
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	plan.People, plan.Companies = pws, cws
	return plan, nil
}

// assignPersonIDs gives each new person the first free id from personID,
// checking the whole batch against the store at once.
func (pl *planner) assignPersonIDs() error {
	pending := pl.newPeople
	attempt := make(map[*personState]int)
	taken := make(map[string]bool)
	for len(pending) > 0 {
		ids := make([]string, 0, len(pending))
		for _, ps := range pending {
			for {
				ps.id = pl.personID(ps.firstKey, attempt[ps])
				// Ids of people loaded for this batch are taken even when the
				// record was not merged into them (a LinkedIn conflict).
				_, loaded := pl.personDocs[ps.id]
				if !taken[ps.id] && !loaded {
					break
				}
				attempt[ps]++
			}
			taken[ps.id] = true
			ids = append(ids, ps.id)
		}
		exists, err := pl.r.ExistingPeople(pl.ctx, ids)
		if err != nil {
			return fmt.Errorf("check person ids: %w", err)
		}
		var again []*personState
		for _, ps := range pending {
			if !exists[ps.id] {
				continue
			}
			// Taken in the store: by this very person if a concurrent
			// transaction just created it (retry and merge), else a collision.
			owners, err := pl.r.PersonIDsByKeys(pl.ctx, []string{ps.firstKey})
			if err != nil {
				return fmt.Errorf("check person ids: %w", err)
			}
			if slices.Contains(owners[ps.firstKey], ps.id) {
				return ErrRetry
			}
			attempt[ps]++
			again = append(again, ps)
		}
		pending = again
	}
	for _, ps := range pl.newPeople {
		ps.p.ID = ps.id
	}
	return nil
}

// diffKeys returns the keys of next not in old, and of old not in next.
// Provenance keys are never removed: the record they stand for may come again.
func diffKeys(old, next []string) (add, del []string) {
	have := make(map[string]bool, len(old))
	for _, k := range old {
		have[k] = true
	}
	want := make(map[string]bool, len(next))
	for _, k := range next {
		want[k] = true
		if !have[k] {
			add = append(add, k)
		}
	}
	for _, k := range old {
		if !want[k] && !strings.HasPrefix(k, RecordKeyPrefix) {
			del = append(del, k)
		}
	}
	return add, del
}

func diffTerms(old, next []enrichd.SearchTerm) (add, del []enrichd.SearchTerm) {
	have := make(map[enrichd.SearchTerm]bool, len(old))
	for _, t := range old {
		have[t] = true
	}
	want := make(map[enrichd.SearchTerm]bool, len(next))
	for _, t := range next {
		want[t] = true
		if !have[t] {
			add = append(add, t)
		}
	}
	for _, t := range old {
		if !want[t] {
			del = append(del, t)
		}
	}
	return add, del
}

func encodePerson(p *enrichd.Person) ([]byte, error) {
	doc, err := doccodec.EncodePerson(nil, p)
	if err != nil {
		return nil, fmt.Errorf("encode person %s: %w", p.ID, err)
	}
	return doc, nil
}

func encodeCompany(c *enrichd.Company) ([]byte, error) {
	doc, err := doccodec.EncodeCompany(nil, c)
	if err != nil {
		return nil, fmt.Errorf("encode company %s: %w", c.ID, err)
	}
	return doc, nil
}

// parallel runs fn(0..n-1) on GOMAXPROCS goroutines.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	const chunk = 64
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				start := next
				next += chunk
				mu.Unlock()
				if start >= n {
					return
				}
				for i := start; i < min(start+chunk, n); i++ {
					fn(i)
				}
			}
		}()
	}
	wg.Wait()
}
