package match_test

import (
	"testing"

	"github.com/enrichd/enrichd/match"
)

func TestRenderEmailPatternForms(t *testing.T) {
	tests := []struct{ pattern, first, last, want string }{
		{"{first}.{last}", "Jane", "Doe", "jane.doe"},
		{"{f}{last}", "Jane", "Doe", "jdoe"},
		{"{first}{l}", "Jane", "Doe", "janed"},
		{"{first}_{last}", "Jane", "Doe", "jane_doe"},
		{"{last}", "Jane", "Doe", "doe"},
		{"{first}", "", "Doe", ""},
		{"{f}.{l}", "Jane", "Doe", "j.d"},
		{"{first}-{x}", "Jane", "Doe", "jane-{x}"},
	}
	for _, tt := range tests {
		if got := match.RenderEmailPattern(tt.pattern, tt.first, tt.last, ""); got != tt.want {
			t.Errorf("RenderEmailPattern(%q, %q, %q) = %q, want %q", tt.pattern, tt.first, tt.last, got, tt.want)
		}
	}
}
