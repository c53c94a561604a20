package postgres

// DisableCopy makes s write every batch as a retried batch does, with
// INSERT … ON CONFLICT instead of COPY, so that tests cover both paths.
func (s *IngestService) DisableCopy() { s.noCopy = true }
