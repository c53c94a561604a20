package clodura

import (
	"strings"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
)

// seniorityOf returns the person's Clodura seniority label (match.CloduraSeniority:
// "C-Level", "Owner", "Partner", "VP", "Director", "Manager", "Senior" or
// "Entry Level"), or "" when neither a title nor a level is known.
func seniorityOf(p *enrichd.Person, job *enrichd.Employment) string {
	title, level := p.Title, p.Seniority
	if job != nil {
		if title == "" {
			title = job.Title
		}
		if level == "" {
			level = job.Seniority
		}
	}
	return match.CloduraSeniority(level, title)
}

// functionalAreas returns the person's departments as stored, else the
// current job's department, else those the title suggests; never nil, so
// that a person answer always carries the array.
func functionalAreas(p *enrichd.Person, job *enrichd.Employment) []string {
	out := make([]string, 0, len(p.Departments)+1)
	for _, d := range p.Departments {
		if d = strings.TrimSpace(d); d != "" {
			out = append(out, d)
		}
	}
	if len(out) > 0 || job == nil {
		if len(out) == 0 && p.Title != "" {
			out = append(out, match.InferDepartments(p.Title)...)
		}
		return out
	}
	if d := strings.TrimSpace(job.Department); d != "" {
		return append(out, d)
	}
	title := p.Title
	if title == "" {
		title = job.Title
	}
	return append(out, match.InferDepartments(title)...)
}
