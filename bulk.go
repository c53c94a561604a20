package enrichd

import "context"

// BulkIngester is implemented by an IngestService that loads large imports
// faster when told where one begins and ends (sqlite.IngestService). The
// importer uses it when it is available and the import is large compared with
// the store.
type BulkIngester interface {
	// BeginBulk prepares the store for many batches, e.g. by dropping
	// secondary indexes that EndBulk rebuilds in one pass. Searches stay
	// correct meanwhile, only slower. Calling it twice is harmless.
	BeginBulk(ctx context.Context) error
	// EndBulk undoes BeginBulk. If it is never called (a crash), the store
	// finishes the work when it is next opened with migrations.
	EndBulk(ctx context.Context) error
}
