package sqlite

import (
	"context"

	"github.com/enrichd/enrichd"
)

// SearchPeople runs a filtered, sorted, paged search.
func (s *PersonService) SearchPeople(ctx context.Context, q enrichd.PersonSearch) (*enrichd.PersonPage, error) {
	return nil, enrichd.Errorf(enrichd.ENOTIMPLEMENTED, "search is not available yet")
}
