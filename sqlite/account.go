package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/enrichd/enrichd"
)

var (
	_ enrichd.AccountService     = (*AccountService)(nil)
	_ enrichd.IdempotencyService = (*AccountService)(nil)
)

// AccountService implements enrichd.AccountService and
// enrichd.IdempotencyService on SQLite.
//
// NOTE: every balance change and its ledger row are one IMMEDIATE
// transaction (the DSN sets _txlock=immediate; the charge connection runs
// BEGIN IMMEDIATE), which holds the write lock from BEGIN, so the balance a
// charge reads is the one it debits and a balance can never go below zero;
// the CHECK constraint on api_keys.balance backs this up.
//
// NOTE: to stay within the ≤ 50 µs per request of issue 4, concurrent charges
// are group-committed (one transaction for every charge that arrives while
// the previous transaction commits; each caller still returns only after its
// own charge is committed), and authenticated keys are cached for
// AuthCacheTTL (revocations and plan changes made through this service apply
// at once; those made by another process within AuthCacheTTL).
type AccountService struct {
	db  *DB
	now func() time.Time

	mu    sync.Mutex
	stmts map[string]*sql.Stmt

	auth enrichd.KeyAuthenticator

	qmu       sync.Mutex
	queue     []*acctChargeReq
	flushing  bool
	lastBatch int           // charges in the last batch committed; see ChargeLinger
	linger    time.Duration // ChargeLinger; tests change it
	// waitFor, while a batch lingers, is the queue length at which the
	// charge that reaches it wakes the lingering committer through full.
	waitFor int
	full    chan struct{}

	cconn *acctChargeConn // used only by the committing goroutine (flushing)
}

// AuthCacheTTL is how long an authenticated key is reused without a look-up.
const AuthCacheTTL = enrichd.AuthCacheTTL

// NewAccountService returns the account service of an opened db.
func NewAccountService(db *DB) *AccountService {
	return &AccountService{db: db, now: time.Now, stmts: map[string]*sql.Stmt{}, linger: ChargeLinger, full: make(chan struct{}, 1)}
}

// forget drops cached keys so that a change made here applies at once.
func (s *AccountService) forget() {
	s.auth.Forget()
}

// stmt returns query prepared once per service: preparing costs a few
// microseconds per call otherwise, and authentication is on every request.
func (s *AccountService) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.stmts[query]; ok {
		return st, nil
	}
	st, err := s.db.SQL().PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	s.stmts[query] = st
	return st, nil
}

func acctMicros(t time.Time) int64 { return t.UnixMicro() }

func acctFromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

func acctNullMicros(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMicro()
}

const acctKeyColumns = `id, name, prefix, secret_hash, plan, balance, created_at, expires_at, revoked_at`

type acctRowScanner interface{ Scan(dest ...any) error }

func acctScanKey(row acctRowScanner) (*enrichd.APIKey, []byte, error) {
	var (
		k                enrichd.APIKey
		hash             []byte
		plan             string
		created          int64
		expires, revoked sql.NullInt64
	)
	if err := row.Scan(&k.ID, &k.Name, &k.Prefix, &hash, &plan, &k.Balance, &created, &expires, &revoked); err != nil {
		return nil, nil, err
	}
	if err := json.Unmarshal([]byte(plan), &k.Plan); err != nil {
		return nil, nil, fmt.Errorf("decode plan of key %s: %w", k.ID, err)
	}
	k.CreatedAt = acctFromMicros(created)
	if expires.Valid {
		t := acctFromMicros(expires.Int64)
		k.ExpiresAt = &t
	}
	if revoked.Valid {
		t := acctFromMicros(revoked.Int64)
		k.RevokedAt = &t
	}
	return &k, hash, nil
}

// CreateAPIKey creates a key and returns it with its secret, which is not
// stored and cannot be shown again. A zero Plan means enrichd.DefaultPlan.
// The initial credits are recorded in the ledger as a grant.
func (s *AccountService) CreateAPIKey(ctx context.Context, name string, plan enrichd.Plan, credits int64, expiresAt *time.Time) (*enrichd.APIKey, string, error) {
	now := s.now().UTC().Truncate(time.Microsecond)
	k, secret, hash, err := enrichd.PrepareAPIKey(name, plan, credits, expiresAt, now)
	if err != nil {
		return nil, "", err
	}
	planJSON, err := json.Marshal(k.Plan)
	if err != nil {
		return nil, "", fmt.Errorf("encode plan: %w", err)
	}
	tx, err := s.db.SQL().BeginTx(ctx, nil)
	if err != nil {
		return nil, "", fmt.Errorf("create api key: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO api_keys (`+acctKeyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
		k.ID, k.Name, k.Prefix, hash, string(planJSON), k.Balance, acctMicros(now), acctNullMicros(k.ExpiresAt)); err != nil {
		return nil, "", fmt.Errorf("create api key: %w", err)
	}
	if credits > 0 {
		if _, err := tx.ExecContext(ctx, acctLedgerInsert,
			k.ID, "", enrichd.LedgerAPIAdmin, enrichd.LedgerEndpointGrant, enrichd.OutcomeGrant, -credits, credits, "initial credits", acctMicros(now)); err != nil {
			return nil, "", fmt.Errorf("record initial credits: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, "", fmt.Errorf("create api key: %w", err)
	}
	return k, secret, nil
}

// Authenticate returns the key whose secret is secret: EUNAUTHORIZED if it
// is unknown, revoked or expired.
func (s *AccountService) Authenticate(ctx context.Context, secret string) (*enrichd.APIKey, error) {
	return s.auth.Authenticate(secret, s.now(), func(hash []byte) (*enrichd.APIKey, []byte, error) {
		st, err := s.stmt(ctx, `SELECT `+acctKeyColumns+` FROM api_keys WHERE secret_hash = ?`)
		if err != nil {
			return nil, nil, err
		}
		k, got, err := acctScanKey(st.QueryRowContext(ctx, hash))
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil, enrichd.ErrInvalidAPIKey()
		} else if err != nil {
			return nil, nil, fmt.Errorf("authenticate: %w", FormatError(err))
		}
		return k, got, nil
	})
}

// Charge atomically debits c.Credits and records c; EPAYMENT, writing
// nothing, when the balance is smaller. Returns the balance after the charge,
// once the charge is committed.
func (s *AccountService) Charge(ctx context.Context, c enrichd.Charge) (int64, error) {
	if err := enrichd.ValidateCharge(&c); err != nil {
		return 0, err
	}
	c.CreatedAt = s.now()
	req := &acctChargeReq{c: c, done: make(chan struct{})}

	// The first caller to find no commit in progress becomes the leader and
	// commits the queue (itself included); charges arriving meanwhile wait
	// for the next batch, which a short-lived goroutine commits so that the
	// leader's own answer is never held up by later arrivals.
	s.qmu.Lock()
	s.queue = append(s.queue, req)
	if s.flushing {
		if s.waitFor > 0 && len(s.queue) >= s.waitFor {
			s.waitFor = 0
			select {
			case s.full <- struct{}{}:
			default:
			}
		}
		s.qmu.Unlock()
		<-req.done // NOTE: not ctx.Done(): the charge may be committing and its result must be known
		return req.balance, req.err
	}
	s.flushing = true
	batch := s.takeBatch()
	s.qmu.Unlock()
	bg := context.WithoutCancel(ctx)
	s.commitCharges(bg, batch)
	s.qmu.Lock()
	if len(s.queue) == 0 {
		s.flushing = false
	} else {
		go s.drain(bg)
	}
	s.qmu.Unlock()
	<-req.done
	return req.balance, req.err
}

// drain commits queued charges, batch after batch, until none is left.
func (s *AccountService) drain(ctx context.Context) {
	for {
		s.qmu.Lock()
		batch := s.takeBatch()
		if len(batch) == 0 {
			s.flushing = false
			s.qmu.Unlock()
			return
		}
		s.qmu.Unlock()
		s.commitCharges(ctx, batch)
	}
}

// ChargeLinger is the longest a batch of charges waits for more to arrive
// before it commits, when the batch before it held more than one; a charge
// arriving alone (sequential traffic) never waits, and a batch commits as
// soon as it holds as many charges as the one before it.
//
// NOTE: on 2 cores a commit takes ~40 µs while requests arrive every
// ~150 µs, so without waiting nearly every batch held one charge: a
// transaction, a WAL append and the shared cache's write lock per request
// (a quarter of a served identifier look-up's CPU). Waiting the whole
// linger, though, set the pace of every client: at 16 connections each
// request waited ~0.5 ms for charges that were never coming, and requests/s
// were bounded by 16 per linger, not by CPU (a quarter of the requests/s at
// 64 connections). The previous batch's size is the concurrency seen, so
// reaching it ends the wait; the deadline covers fewer arrivals (a client
// that went away, or arrivals that do not follow the commits: open loop).
// Every caller still returns only after its own charge is committed.
const ChargeLinger = 500 * time.Microsecond

// chargeBatchMax is the size at which a lingering batch commits at once.
const chargeBatchMax = 64

// takeBatch returns the queued charges to commit next, after waiting up to
// ChargeLinger for as many as the last batch held, when that showed
// concurrent charges. The caller holds s.qmu, which is released while
// waiting.
func (s *AccountService) takeBatch() []*acctChargeReq {
	if want := min(s.lastBatch, chargeBatchMax); s.linger > 0 && want > 1 && len(s.queue) > 0 && len(s.queue) < want {
		select { // a wake-up left over from a batch that committed on its deadline
		case <-s.full:
		default:
		}
		s.waitFor = want
		s.qmu.Unlock()
		t := time.NewTimer(s.linger)
		select {
		case <-s.full:
		case <-t.C:
		}
		t.Stop()
		s.qmu.Lock()
		s.waitFor = 0
	}
	batch := s.queue
	s.queue = nil
	if len(batch) > 0 {
		s.lastBatch = len(batch)
	}
	return batch
}

// acctChargeReq is one queued charge and, once done is closed, its result.
type acctChargeReq struct {
	c       enrichd.Charge
	balance int64
	err     error
	done    chan struct{}
}

// commitCharges applies batch in one transaction: the affordable charges in
// arrival order, then their ledger rows.
//
// NOTE: a single charge cannot fail the transaction (unknown keys and
// unaffordable charges are decided before any write), so a failed
// transaction is the store's failure (busy, I/O) and fails every charge of
// the batch, none of which was applied; a busy store is EUNAVAILABLE.
func (s *AccountService) commitCharges(ctx context.Context, batch []*acctChargeReq) {
	err := s.applyCharges(ctx, batch)
	for _, r := range batch {
		if err != nil {
			r.err, r.balance = FormatError(err), 0
		}
		close(r.done)
	}
}

// acctChargeStmts are the prepared statements of a charge.
type acctChargeStmts struct {
	balance, update, insert, lastID *sql.Stmt
	// ledgerRows, when not nil, keeps the multi-row ledger INSERT of each
	// row count, prepared by prepare on first use (the charge connection's).
	//
	// NOTE: parsing a statement of a few dozen placeholders costs more than
	// running it; there are at most ledgerChunk shapes.
	ledgerRows map[int]*sql.Stmt
	prepare    func(ctx context.Context, query string) (*sql.Stmt, error)
}

// ledgerChunk is the most ledger rows one INSERT writes.
const ledgerChunk = chargeBatchMax

// acctLedgerRowsSQL is the INSERT of n ledger rows, args as acctLedgerInsert's
// but with the id first, n times.
func acctLedgerRowsSQL(n int) string {
	var q strings.Builder
	q.WriteString(`INSERT INTO credit_ledger (id, key_id, request_id, api, endpoint, outcome, credits, balance_after, note, created_at) VALUES `)
	for i := range n {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
	}
	return q.String()
}

// insertLedgerRows runs the INSERT of len(args)/10 ledger rows: prepared
// once per row count on the charge connection, else on ex.
func (st *acctChargeStmts) insertLedgerRows(ctx context.Context, ex acctExecer, args []any) error {
	n := len(args) / 10
	if st.ledgerRows == nil {
		_, err := ex.ExecContext(ctx, acctLedgerRowsSQL(n), args...)
		return err
	}
	stmt := st.ledgerRows[n]
	if stmt == nil {
		var err error
		if stmt, err = st.prepare(ctx, acctLedgerRowsSQL(n)); err != nil {
			return err
		}
		st.ledgerRows[n] = stmt
	}
	_, err := stmt.ExecContext(ctx, args...)
	return err
}

const (
	acctBalance = `SELECT balance FROM api_keys WHERE id = ?`
	acctUpdate  = `UPDATE api_keys SET balance = balance - ? WHERE id = ?`
	// acctLedgerInsert writes one ledger row, args key_id … created_at.
	//
	// NOTE: ledger ids are time-ordered: id = max(created_at, last id + 1)
	// (0004_ledger_time_ids), so id >= created_at and a report since t reads
	// the rowid range from t instead of a created_at index, which would cost
	// every charge one more page written to the WAL. Writers are serialised,
	// so MAX(id) is stable in the transaction.
	acctLedgerInsert = `INSERT INTO credit_ledger (id, key_id, request_id, api, endpoint, outcome, credits, balance_after, note, created_at) VALUES (MAX(?9, ` + acctLastID + ` + 1), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`
	acctLastID       = `(SELECT COALESCE(MAX(id), 0) FROM credit_ledger)`
)

// acctLedgerID is the id of a ledger row created at micros after the row last.
func acctLedgerID(micros, last int64) int64 { return max(micros, last+1) }

func (s *AccountService) chargeStmts(ctx context.Context) (*acctChargeStmts, error) {
	var (
		st  acctChargeStmts
		err error
	)
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&st.balance, acctBalance},
		{&st.update, acctUpdate},
		{&st.insert, acctLedgerInsert},
		{&st.lastID, `SELECT ` + acctLastID},
	} {
		if *p.dst, err = s.stmt(ctx, p.query); err != nil {
			return nil, err
		}
	}
	return &st, nil
}

// acctExecer runs ad-hoc statements in the charge's transaction.
type acctExecer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// debitOne applies one charge: the fewest statements for the common case of
// a request arriving alone. st is bound to the transaction, which holds the
// write lock from BEGIN (IMMEDIATE), so the balance read stays true until the
// UPDATE.
//
// NOTE: not a guarded `UPDATE … RETURNING`: SQLite runs RETURNING as a
// trigger, and a trigger plus the CHECK on balance make the UPDATE open a
// statement journal, whose 64 KiB buffer is malloc'd and freed (brk, page
// faults) on every charge: about a tenth of a lone charge's cost.
func (s *AccountService) debitOne(ctx context.Context, st *acctChargeStmts, batch []*acctChargeReq) ([]*acctChargeReq, error) {
	r := batch[0]
	var have int64
	if err := st.balance.QueryRowContext(ctx, r.c.KeyID).Scan(&have); errors.Is(err, sql.ErrNoRows) {
		r.err = enrichd.Errorf(enrichd.ENOTFOUND, "API key %s not found.", r.c.KeyID)
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("charge: %w", err)
	}
	if have < r.c.Credits {
		r.balance, r.err = have, enrichd.ErrInsufficientCredits(r.c.Credits, have)
		return nil, nil
	}
	if _, err := st.update.ExecContext(ctx, r.c.Credits, r.c.KeyID); err != nil {
		return nil, fmt.Errorf("charge: %w", err)
	}
	r.balance = have - r.c.Credits
	return batch, nil
}

// debitMany applies a batch with one read and one UPDATE per key: the
// transaction holds the write lock from BEGIN (IMMEDIATE), so the balance
// read stays true while the charges are decided in arrival order. st is
// bound to the transaction.
func (s *AccountService) debitMany(ctx context.Context, st *acctChargeStmts, batch []*acctChargeReq) ([]*acctChargeReq, error) {
	balances := map[string]int64{}
	spent := map[string]int64{}
	var ok []*acctChargeReq
	for _, r := range batch {
		id := r.c.KeyID
		bal, seen := balances[id]
		if !seen {
			if err := st.balance.QueryRowContext(ctx, id).Scan(&bal); errors.Is(err, sql.ErrNoRows) {
				bal = -1
			} else if err != nil {
				return nil, fmt.Errorf("charge: %w", err)
			}
			balances[id] = bal
		}
		switch {
		case bal < 0:
			r.err = enrichd.Errorf(enrichd.ENOTFOUND, "API key %s not found.", id)
		case bal < r.c.Credits:
			r.balance, r.err = bal, enrichd.ErrInsufficientCredits(r.c.Credits, bal)
		default:
			bal -= r.c.Credits
			balances[id], spent[id] = bal, spent[id]+r.c.Credits
			r.balance = bal
			ok = append(ok, r)
		}
	}
	for id, n := range spent {
		if n == 0 {
			continue
		}
		if _, err := st.update.ExecContext(ctx, n, id); err != nil {
			return nil, fmt.Errorf("charge: %w", err)
		}
	}
	return ok, nil
}

// debitAndRecord decides and applies batch, then writes the ledger rows of
// the charges applied, inside the caller's transaction (st bound to it, ex
// running in it).
func (s *AccountService) debitAndRecord(ctx context.Context, st *acctChargeStmts, ex acctExecer, batch []*acctChargeReq) error {
	var ok []*acctChargeReq
	var err error
	if len(batch) == 1 {
		ok, err = s.debitOne(ctx, st, batch)
	} else {
		ok, err = s.debitMany(ctx, st, batch)
	}
	if err != nil {
		return err
	}
	if len(ok) == 1 {
		c := ok[0].c
		if _, err := st.insert.ExecContext(ctx, c.KeyID, c.RequestID, c.API, c.Endpoint, c.Outcome, c.Credits, ok[0].balance, c.Note, acctMicros(c.CreatedAt)); err != nil {
			return fmt.Errorf("charge: record ledger: %w", err)
		}
		return nil
	}
	// One multi-row INSERT per chunk: far fewer statements than rows; the
	// ids are assigned here, as acctLedgerInsert would one row at a time.
	var last int64
	if err := st.lastID.QueryRowContext(ctx).Scan(&last); err != nil {
		return fmt.Errorf("charge: record ledger: %w", err)
	}
	args := make([]any, 0, 10*min(len(ok), ledgerChunk))
	for start := 0; start < len(ok); start += ledgerChunk {
		args = args[:0]
		for _, r := range ok[start:min(start+ledgerChunk, len(ok))] {
			c := r.c
			at := acctMicros(c.CreatedAt)
			last = acctLedgerID(at, last)
			args = append(args, last, c.KeyID, c.RequestID, c.API, c.Endpoint, c.Outcome, c.Credits, r.balance, c.Note, at)
		}
		if err := st.insertLedgerRows(ctx, ex, args); err != nil {
			return fmt.Errorf("charge: record ledger: %w", err)
		}
	}
	return nil
}

// applyCharges sets each request's balance or application error, and
// returns a non-nil error only when the transaction failed as a whole.
func (s *AccountService) applyCharges(ctx context.Context, batch []*acctChargeReq) error {
	if s.db.SQL().Stats().MaxOpenConnections != 1 {
		return s.applyChargesOnConn(ctx, batch)
	}
	// NOTE: statements are prepared before BEGIN: preparing on the pool
	// inside the transaction would wait forever for a second connection
	// when the pool has one (":memory:" databases).
	st, err := s.chargeStmts(ctx)
	if err != nil {
		return err
	}
	tx, err := s.db.SQL().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("charge: %w", err)
	}
	defer tx.Rollback()
	bound := &acctChargeStmts{
		balance: tx.StmtContext(ctx, st.balance),
		update:  tx.StmtContext(ctx, st.update),
		insert:  tx.StmtContext(ctx, st.insert),
		lastID:  tx.StmtContext(ctx, st.lastID),
	}
	if err := s.debitAndRecord(ctx, bound, tx, batch); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("charge: %w", err)
	}
	return nil
}

// acctChargeConn is the connection charges are committed on, with its
// statements (BEGIN and COMMIT included) prepared once.
//
// NOTE: a database/sql transaction starts a goroutine to watch its context,
// and another for every query run in it; waking them costs more CPU than
// the statements of a lone charge. Charges are committed by one goroutine at
// a time (see Charge), so they can own one connection and run BEGIN
// IMMEDIATE … COMMIT on it themselves, with a context that is never
// cancelled: no goroutine is started. The connection is held for the life
// of the service, which a pool of one (":memory:") cannot spare: those use
// a database/sql transaction.
type acctChargeConn struct {
	conn                    *sql.Conn
	begin, commit, rollback *sql.Stmt
	st                      acctChargeStmts
}

func (s *AccountService) chargeConn(ctx context.Context) (*acctChargeConn, error) {
	if s.cconn != nil {
		return s.cconn, nil
	}
	conn, err := s.db.hotConn(ctx) // NOTE: in the readers' shared cache, see sharedCacheDSN
	if err != nil {
		return nil, err
	}
	cc := &acctChargeConn{conn: conn}
	cc.st.ledgerRows, cc.st.prepare = map[int]*sql.Stmt{}, conn.PrepareContext
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&cc.begin, `BEGIN IMMEDIATE`},
		{&cc.commit, `COMMIT`},
		{&cc.rollback, `ROLLBACK`},
		{&cc.st.balance, acctBalance},
		{&cc.st.update, acctUpdate},
		{&cc.st.insert, acctLedgerInsert},
		{&cc.st.lastID, `SELECT ` + acctLastID},
	} {
		if *p.dst, err = conn.PrepareContext(ctx, p.query); err != nil {
			conn.Close()
			return nil, fmt.Errorf("prepare: %w", err)
		}
	}
	s.cconn = cc
	return cc, nil
}

// dropChargeConn gives up the charge connection after a failure, so that
// the next batch starts on a fresh one in a known state.
func (s *AccountService) dropChargeConn() {
	if s.cconn != nil {
		s.cconn.conn.Close() // closes its statements
		s.cconn = nil
	}
}

func (s *AccountService) applyChargesOnConn(ctx context.Context, batch []*acctChargeReq) error {
	ctx = context.WithoutCancel(ctx) // see acctChargeConn
	cc, err := s.chargeConn(ctx)
	if err != nil {
		return fmt.Errorf("charge: %w", err)
	}
	if err := s.db.hotBegin(ctx, cc.begin); err != nil {
		s.dropChargeConn()
		return fmt.Errorf("charge: %w", err)
	}
	err = s.debitAndRecord(ctx, &cc.st, cc.conn, batch)
	if err == nil {
		if _, err = cc.commit.ExecContext(ctx); err != nil {
			err = fmt.Errorf("charge: %w", err)
		}
	}
	if err != nil {
		// NOTE: nothing of the batch is applied: roll back what COMMIT did
		// not finish (an error here means no transaction was left open).
		cc.rollback.ExecContext(ctx)
		s.dropChargeConn()
		return err
	}
	return nil
}

// Grant adds credits to a key (a negative amount takes them back, but never
// below zero: EINVALID then). The ledger records it as a negative charge.
func (s *AccountService) Grant(ctx context.Context, keyID string, credits int64, note string) (int64, error) {
	if err := enrichd.ValidateGrant(keyID, credits); err != nil {
		return 0, err
	}
	now := s.now()
	tx, err := s.db.SQL().BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("grant: %w", err)
	}
	defer tx.Rollback()
	var balance int64
	err = tx.QueryRowContext(ctx, `UPDATE api_keys SET balance = balance + ? WHERE id = ? AND balance + ? >= 0 RETURNING balance`, credits, keyID, credits).Scan(&balance)
	if errors.Is(err, sql.ErrNoRows) {
		var have int64
		if err := tx.QueryRowContext(ctx, `SELECT balance FROM api_keys WHERE id = ?`, keyID).Scan(&have); errors.Is(err, sql.ErrNoRows) {
			return 0, enrichd.Errorf(enrichd.ENOTFOUND, "API key %s not found.", keyID)
		} else if err != nil {
			return 0, fmt.Errorf("grant: %w", err)
		}
		return have, enrichd.Errorf(enrichd.EINVALID, "Cannot take back %d credits: the balance is %d.", -credits, have)
	} else if err != nil {
		return 0, fmt.Errorf("grant: %w", err)
	}
	if _, err := tx.ExecContext(ctx, acctLedgerInsert,
		keyID, "", enrichd.LedgerAPIAdmin, enrichd.LedgerEndpointGrant, enrichd.OutcomeGrant, -credits, balance, note, acctMicros(now)); err != nil {
		return 0, fmt.Errorf("grant: record ledger: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("grant: %w", err)
	}
	return balance, nil
}

// FindAPIKeys lists every key, oldest first.
func (s *AccountService) FindAPIKeys(ctx context.Context) ([]*enrichd.APIKey, error) {
	rows, err := s.db.SQL().QueryContext(ctx, `SELECT `+acctKeyColumns+` FROM api_keys ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("find api keys: %w", err)
	}
	defer rows.Close()
	keys := []*enrichd.APIKey{}
	for rows.Next() {
		k, _, err := acctScanKey(rows)
		if err != nil {
			return nil, fmt.Errorf("find api keys: %w", err)
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find api keys: %w", err)
	}
	return keys, nil
}

// FindAPIKeyByID returns the key; ENOTFOUND if there is none.
func (s *AccountService) FindAPIKeyByID(ctx context.Context, id string) (*enrichd.APIKey, error) {
	k, _, err := acctScanKey(s.db.SQL().QueryRowContext(ctx, `SELECT `+acctKeyColumns+` FROM api_keys WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, enrichd.Errorf(enrichd.ENOTFOUND, "API key %s not found.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find api key: %w", err)
	}
	return k, nil
}

// RevokeAPIKey revokes the key at once; revoking twice keeps the first time.
// ENOTFOUND if there is no such key.
func (s *AccountService) RevokeAPIKey(ctx context.Context, id string) error {
	defer s.forget()
	res, err := s.db.SQL().ExecContext(ctx, `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`, acctMicros(s.now()), id)
	if err != nil {
		return fmt.Errorf("revoke api key: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("revoke api key: %w", err)
	} else if n == 0 {
		return enrichd.Errorf(enrichd.ENOTFOUND, "API key %s not found.", id)
	}
	return nil
}

// UpdatePlan replaces the key's plan; EINVALID if the plan is invalid,
// ENOTFOUND if there is no such key.
func (s *AccountService) UpdatePlan(ctx context.Context, id string, plan enrichd.Plan) error {
	if err := plan.Validate(); err != nil {
		return err
	}
	buf, err := json.Marshal(plan)
	if err != nil {
		return fmt.Errorf("encode plan: %w", err)
	}
	defer s.forget()
	res, err := s.db.SQL().ExecContext(ctx, `UPDATE api_keys SET plan = ? WHERE id = ?`, string(buf), id)
	if err != nil {
		return fmt.Errorf("update plan: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("update plan: %w", err)
	} else if n == 0 {
		return enrichd.Errorf(enrichd.ENOTFOUND, "API key %s not found.", id)
	}
	return nil
}

// Usage returns the ledger entries of keyID (every key when "") since t, oldest first.
//
// NOTE: every row has id >= created_at (see acctLedgerInsert), so the rows
// since t are among the rowid range from t: a range read, not a scan.
func (s *AccountService) Usage(ctx context.Context, keyID string, since time.Time) ([]enrichd.Charge, error) {
	const cols = `SELECT key_id, request_id, api, endpoint, outcome, credits, balance_after, note, created_at FROM credit_ledger`
	var (
		rows *sql.Rows
		err  error
	)
	if keyID == "" {
		rows, err = s.db.SQL().QueryContext(ctx, cols+` WHERE id >= ?1 AND created_at >= ?1 ORDER BY id`, acctMicros(since))
	} else {
		rows, err = s.db.SQL().QueryContext(ctx, cols+` WHERE id >= ?2 AND created_at >= ?2 AND key_id = ?1 ORDER BY id`, keyID, acctMicros(since))
	}
	if err != nil {
		return nil, fmt.Errorf("usage: %w", err)
	}
	defer rows.Close()
	out := []enrichd.Charge{}
	for rows.Next() {
		var (
			c  enrichd.Charge
			at int64
		)
		if err := rows.Scan(&c.KeyID, &c.RequestID, &c.API, &c.Endpoint, &c.Outcome, &c.Credits, &c.BalanceAfter, &c.Note, &at); err != nil {
			return nil, fmt.Errorf("usage: %w", err)
		}
		c.CreatedAt = acctFromMicros(at)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("usage: %w", err)
	}
	return out, nil
}

// ReserveIdempotencyKey implements enrichd.IdempotencyService.
func (s *AccountService) ReserveIdempotencyKey(ctx context.Context, keyID, idemKey, fingerprint string, lease time.Duration) (*enrichd.IdempotentResponse, error) {
	now := s.now()
	tx, err := s.db.SQL().BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("reserve idempotency key: %w", err)
	}
	defer tx.Rollback()
	var (
		fp      string
		done    bool
		status  int
		header  string
		body    []byte
		created int64
	)
	err = tx.QueryRowContext(ctx, `SELECT fingerprint, done, status, header, body, created_at FROM idempotency_keys WHERE key_id = ? AND idem_key = ?`, keyID, idemKey).
		Scan(&fp, &done, &status, &header, &body, &created)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (key_id, idem_key, fingerprint, created_at) VALUES (?, ?, ?, ?)`, keyID, idemKey, fingerprint, acctMicros(now)); err != nil {
			return nil, fmt.Errorf("reserve idempotency key: %w", err)
		}
	case err != nil:
		return nil, fmt.Errorf("reserve idempotency key: %w", err)
	default:
		rec := enrichd.IdempotencyRecord{Fingerprint: fp, Done: done, CreatedAt: acctFromMicros(created)}
		resp, takeOver, err := rec.Decide(fingerprint, now, lease)
		if err != nil || !takeOver {
			if resp != nil {
				resp.Status, resp.Body = status, body
				if err := json.Unmarshal([]byte(header), &resp.Header); err != nil {
					return nil, fmt.Errorf("decode stored headers: %w", err)
				}
			}
			return resp, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE idempotency_keys SET fingerprint = ?, done = 0, status = 0, header = '{}', body = NULL, created_at = ? WHERE key_id = ? AND idem_key = ?`,
			fingerprint, acctMicros(now), keyID, idemKey); err != nil {
			return nil, fmt.Errorf("reserve idempotency key: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("reserve idempotency key: %w", err)
	}
	return nil, nil
}

// CompleteIdempotencyKey implements enrichd.IdempotencyService.
func (s *AccountService) CompleteIdempotencyKey(ctx context.Context, keyID, idemKey string, resp enrichd.IdempotentResponse) error {
	header := resp.Header
	if header == nil {
		header = http.Header{}
	}
	buf, err := json.Marshal(header)
	if err != nil {
		return fmt.Errorf("encode headers: %w", err)
	}
	body := resp.Body
	if body == nil {
		body = []byte{}
	}
	res, err := s.db.SQL().ExecContext(ctx, `UPDATE idempotency_keys SET done = 1, status = ?, header = ?, body = ?, created_at = ? WHERE key_id = ? AND idem_key = ?`,
		resp.Status, string(buf), body, acctMicros(s.now()), keyID, idemKey)
	if err != nil {
		return fmt.Errorf("complete idempotency key: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("complete idempotency key: %w", err)
	} else if n == 0 {
		return enrichd.Errorf(enrichd.ENOTFOUND, "Idempotency key %q is not reserved.", idemKey)
	}
	return nil
}

// ReleaseIdempotencyKey implements enrichd.IdempotencyService.
func (s *AccountService) ReleaseIdempotencyKey(ctx context.Context, keyID, idemKey string) error {
	if _, err := s.db.SQL().ExecContext(ctx, `DELETE FROM idempotency_keys WHERE key_id = ? AND idem_key = ? AND done = 0`, keyID, idemKey); err != nil {
		return fmt.Errorf("release idempotency key: %w", err)
	}
	return nil
}

// PurgeIdempotencyKeys implements enrichd.IdempotencyService.
func (s *AccountService) PurgeIdempotencyKeys(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.SQL().ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < ?`, acctMicros(before))
	if err != nil {
		return 0, fmt.Errorf("purge idempotency keys: %w", err)
	}
	return res.RowsAffected()
}
