package sqlite

/*
#include <stddef.h>

typedef struct sqlite3 sqlite3;
struct sqlite3_api_routines;
int sqlite3_db_config(sqlite3*, int op, ...);
int sqlite3_auto_extension(void(*xEntryPoint)(void));

// SQLITE_DBCONFIG_ENABLE_QPSG in sqlite3.h.
#define ENRICHD_DBCONFIG_ENABLE_QPSG 1007

static int enrichd_qpsg_entry(sqlite3 *db, char **err, const struct sqlite3_api_routines *api) {
	(void)err; (void)api;
	return sqlite3_db_config(db, ENRICHD_DBCONFIG_ENABLE_QPSG, 1, (int*)0);
}

static int enrichd_register_qpsg(void) {
	return sqlite3_auto_extension((void(*)(void))enrichd_qpsg_entry);
}

int sqlite3_open(const char *filename, sqlite3 **db);
int sqlite3_close(sqlite3*);

// enrichd_qpsg_on_new_conn opens an in-memory connection and reports whether
// it has the guarantee on (1), off (0) or could not be opened (-1).
static int enrichd_qpsg_on_new_conn(void) {
	sqlite3 *db = 0;
	int on = -1;
	if (sqlite3_open(":memory:", &db) == 0) {
		sqlite3_db_config(db, ENRICHD_DBCONFIG_ENABLE_QPSG, -1, &on);
	}
	sqlite3_close(db);
	return on;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"sync"
)

var qpsgOnce struct {
	sync.Once
	err error
}

// enableQPSG makes every SQLite connection this process opens from now on
// plan its statements without looking at bound values (SQLite's "query
// planner stability guarantee", SQLITE_DBCONFIG_ENABLE_QPSG).
//
// NOTE: without it, a prepared statement whose plan may depend on a bound
// value (a LIMIT ?, a join or subquery filtered by key = ?) is marked to be
// re-prepared when that value is re-bound, and mattn/go-sqlite3 clears the
// bindings before every execution, which expires such a statement every
// time: each look-up then parsed and planned its statement again (~10 µs, a
// 9-key UNION ALL far more), which made the statement cache useless. No
// statement of this package needs value-dependent plans (no STAT4 tables,
// LIKE patterns start with %). The setting is per connection; an automatic
// extension is SQLite's way of applying it to connections the driver opens.
func enableQPSG() error {
	qpsgOnce.Do(func() {
		if rc := C.enrichd_register_qpsg(); rc != 0 {
			qpsgOnce.err = fmt.Errorf("sqlite: register query planner stability guarantee: code %d", int(rc))
		}
	})
	return qpsgOnce.err
}

// qpsgOnNewConn reports whether a connection opened now has the guarantee
// on, for tests.
func qpsgOnNewConn() (bool, error) {
	switch C.enrichd_qpsg_on_new_conn() {
	case 1:
		return true, nil
	case 0:
		return false, nil
	}
	return false, errors.New("sqlite: open an in-memory connection failed")
}
