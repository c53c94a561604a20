package match

import (
	"strings"

	"github.com/enrichd/enrichd"
)

// Departments inferred from titles. The vocabulary is the one the native API
// and ApiOne return; OceanDepartments maps it onto Ocean's.
const (
	DeptEngineering     = "Engineering"
	DeptIT              = "Information Technology"
	DeptData            = "Data"
	DeptDesign          = "Design"
	DeptProduct         = "Product"
	DeptSales           = "Sales"
	DeptMarketing       = "Marketing"
	DeptCustomerSuccess = "Customer Success"
	DeptFinance         = "Finance"
	DeptHR              = "Human Resources"
	DeptOperations      = "Operations"
	DeptLegal           = "Legal"
	DeptResearch        = "Research"
	DeptEducation       = "Education"
	DeptHealthcare      = "Healthcare"
	DeptAdministration  = "Administration"
	DeptConsulting      = "Consulting"
	DeptManagement      = "Management"
)

// deptRules are checked in order; the first department that matches is the
// primary one. NOTE: the order settles compound titles: "Product Marketing
// Manager" is Marketing, "Sales Engineer" Sales, "Data Engineer" Data.
var deptRules = []struct {
	dept     string
	keywords []string
}{
	{DeptCustomerSuccess, []string{"customer success", "client success", "customer service", "customer support", "customer experience", "support engineer", "technical support", "support specialist", "implementation", "chief customer officer", "customer care", "service desk"}},
	{DeptData, []string{"data", "machine learning", "ml", "analytics", "business intelligence", "bi", "ai", "artificial intelligence", "statistician", "cdo"}},
	{DeptDesign, []string{"designer", "design", "ux", "ui", "creative", "art director", "illustrator", "cdo"}},
	{DeptEducation, []string{"teacher", "professor", "lecturer", "teaching", "student", "tutor", "instructor", "principal of", "school"}},
	{DeptResearch, []string{"research", "researcher", "scientist", "postdoctoral", "r&d", "rd"}},
	{DeptHealthcare, []string{"nurse", "physician", "pharmacist", "medical", "doctor", "clinical", "dentist", "surgeon", "therapist", "cmo medical"}},
	{DeptMarketing, []string{"marketing", "marketer", "brand", "content", "seo", "sem", "growth", "social media", "copywriter", "communications", "public relations", "pr", "cmo", "events", "community manager", "mercadeo"}},
	{DeptSales, []string{"sales", "account executive", "account manager", "business development", "bdr", "sdr", "presales", "pre sales", "revenue", "cro", "commercial", "ventas", "vertrieb", "key account", "inside sales", "channel"}},
	{DeptProduct, []string{"product", "cpo"}},
	{DeptLegal, []string{"legal", "lawyer", "attorney", "counsel", "solicitor", "paralegal", "compliance", "contract", "contracts", "juriste", "clo", "barrister"}},
	{DeptHR, []string{"hr", "human resources", "people", "recruiter", "recruiting", "recruitment", "talent", "chro", "learning and development", "personnel", "payroll manager", "hrbp"}},
	{DeptFinance, []string{"finance", "financial", "accountant", "accounting", "accounts", "controller", "treasurer", "treasury", "cfo", "audit", "auditor", "tax", "bookkeeper", "payable", "receivable", "payroll", "investment", "credit", "fp&a", "comptable", "finanzen"}},
	{DeptIT, []string{"it", "information technology", "cio", "ciso", "information security", "systems administrator", "system administrator", "sysadmin", "network", "security", "help desk", "helpdesk", "database administrator", "dba", "infrastructure", "enterprise architect", "desktop support"}},
	{DeptEngineering, []string{"engineer", "engineering", "developer", "software", "devops", "sre", "site reliability", "qa", "quality assurance", "test", "tester", "firmware", "architect", "cto", "tech lead", "technical lead", "team lead", "programmer", "scrum", "ingenieur", "desarrollador", "developpeur", "entwickler", "coder", "mobile", "ios", "android", "frontend", "backend", "full stack", "fullstack"}},
	{DeptOperations, []string{"operations", "operation", "coo", "supply chain", "logistics", "warehouse", "plant", "procurement", "purchasing", "buyer", "project manager", "program manager", "programme manager", "business analyst", "project coordinator", "electrician", "technician", "mechanic", "facilities", "production", "manufacturing", "quality"}},
	{DeptAdministration, []string{"executive assistant", "administrative", "administrator", "admin", "receptionist", "personal assistant", "office manager", "secretary", "office"}},
	{DeptConsulting, []string{"consultant", "consulting", "advisor", "adviser", "associate"}},
	{DeptManagement, []string{"ceo", "founder", "co founder", "cofounder", "owner", "president", "managing director", "general manager", "chairman", "chairwoman", "chair", "board", "partner", "executive", "geschaftsfuhrer", "self employed", "entrepreneur", "director general", "md"}},
}

// InferDepartments returns the departments a job title suggests, primary
// first, or nil when the title gives none away ("Intern").
func InferDepartments(title string) []string {
	t := foldTitle(title)
	if strings.TrimSpace(t) == "" {
		return nil
	}
	var out []string
	for _, r := range deptRules {
		for _, k := range r.keywords {
			if hasWords(t, k) {
				if !containsKey(out, r.dept) {
					out = append(out, r.dept)
				}
				break
			}
		}
	}
	// Management is a fallback: "VP of Sales" is Sales, "CEO" is Management.
	if len(out) > 1 && out[len(out)-1] == DeptManagement {
		out = out[:len(out)-1]
	}
	// Consulting only when no function is named ("IT Consultant" is IT).
	if len(out) > 1 && out[len(out)-1] == DeptConsulting {
		out = out[:len(out)-1]
	}
	return out
}

// titleHas reports whether the padded, folded title t contains any of the phrases.
func titleHas(t string, phrases ...string) bool {
	for _, p := range phrases {
		if hasWords(t, p) {
			return true
		}
	}
	return false
}

// hasWords reports whether the padded title t contains phrase p as whole
// words: strings.Contains(t, " "+p+" ") without building the padded phrase
// (one allocation per rule keyword, a few hundred per served profile).
func hasWords(t, p string) bool {
	for i := 0; ; {
		j := strings.Index(t[i:], p)
		if j < 0 {
			return false
		}
		j += i
		if j > 0 && t[j-1] == ' ' && j+len(p) < len(t) && t[j+len(p)] == ' ' {
			return true
		}
		i = j + 1
	}
}

// titlePunct spells out the punctuation that joins title words; built once
// because a Replacer's lazy build costs far more than using it.
var titlePunct = strings.NewReplacer("&", " and ", "/", " ", "-", " ", ",", " ")

func foldTitle(title string) string {
	t := Fold(titlePunct.Replace(title))
	t = " " + t + " "
	return titleExpander.Replace(t)
}

// titleExpander spells common long forms the short way the rules use.
var titleExpander = strings.NewReplacer(" co founder ", " cofounder ", " vice president ", " vp ", " sr ", " senior ", " jr ", " junior ",
	" chief executive officer ", " ceo ", " chief operating officer ", " coo ", " chief technology officer ", " cto ",
	" chief technical officer ", " cto ", " chief information officer ", " cio ", " chief financial officer ", " cfo ",
	" chief marketing officer ", " cmo ")

// executive markers; checked first.
var execMarkers = []string{
	"chief", "ceo", "cfo", "cto", "coo", "cio", "cmo", "cro", "cpo", "chro", "ciso", "cdo", "cso", "clo", "cxo",
	"founder", "cofounder", "owner", "president", "vp", "svp", "evp", "avp", "partner", "managing director",
	"general manager", "chairman", "chairwoman", "chair", "board member", "board", "geschaftsfuhrer",
	"self employed", "general counsel", "director general", "executive director", "entrepreneur",
}

// InferSeniority returns the four-level seniority (enrichd.Seniority*) a job
// title suggests, or "" for an empty title. NOTE: executive covers C-level,
// founders, owners, presidents, VPs and partners; senior covers directors,
// heads, managers and senior, lead, staff and principal individual
// contributors; junior covers interns, trainees, assistants, coordinators and
// entry-level representatives; anything else is mid.
func InferSeniority(title string) string {
	t := foldTitle(title)
	if strings.TrimSpace(t) == "" {
		return ""
	}
	switch {
	case titleHas(t, "product owner", "business partner", "hr business partner", "hrbp") && !titleHas(t, "chief", "vp", "founder", "head", "director"):
		// Not executives despite the words "owner" and "partner".
	case titleHas(t, "associate director", "assistant director"):
		return enrichd.SenioritySenior
	case titleHas(t, "associate vp", "avp"):
		return enrichd.SeniorityExecutive
	case titleHas(t, execMarkers...):
		return enrichd.SeniorityExecutive
	}
	switch {
	case titleHas(t, "intern", "internship", "trainee", "apprentice", "student", "graduate", "junior", "entry level", "werkstudent", "praktikant", "stagiaire", "becario"):
		return enrichd.SeniorityJunior
	case titleHas(t, "associate product manager", "associate software engineer", "associate engineer", "associate developer"):
		return enrichd.SeniorityJunior
	case titleHas(t, "senior associate", "account manager", "key account manager", "assistant professor", "associate professor", "staff accountant"):
		return enrichd.SeniorityMid
	case titleHas(t, "director", "head", "manager", "lead", "principal", "staff", "senior", "architect", "controller", "treasurer", "counsel", "professor", "supervisor", "gerente", "directeur", "directora", "director", "responsable", "leiter", "leiterin", "superintendent", "manager"):
		return enrichd.SenioritySenior
	case titleHas(t, "coordinator", "assistant", "representative", "rep", "sdr", "bdr", "receptionist", "clerk", "help desk", "helpdesk", "associate", "technician", "cashier") && !titleHas(t, "attorney"):
		return enrichd.SeniorityJunior
	}
	return enrichd.SeniorityMid
}

// CloduraSeniority returns the Clodura seniority label for a title and its
// four-level seniority (either may be empty): "C-Level", "Owner", "Partner",
// "VP", "Director", "Manager", "Senior" or "Entry Level" (Clodura labels
// individual contributors such as "Software Engineer" Entry Level). It
// returns "" when both are empty.
func CloduraSeniority(level, title string) string {
	t := foldTitle(title)
	if level == "" {
		level = InferSeniority(title)
	}
	switch level {
	case enrichd.SeniorityExecutive:
		switch {
		case titleHas(t, "vp", "svp", "evp", "avp") && !titleHas(t, "chief", "ceo", "cfo", "cto", "coo", "president"):
			return "VP"
		case titleHas(t, "owner") && !titleHas(t, "chief", "ceo"):
			return "Owner"
		case titleHas(t, "partner") && !titleHas(t, "chief", "ceo"):
			return "Partner"
		}
		return "C-Level"
	case enrichd.SenioritySenior:
		switch {
		case titleHas(t, "director", "head", "directeur", "directora"):
			return "Director"
		case titleHas(t, "manager", "gerente", "responsable", "supervisor"):
			return "Manager"
		}
		return "Senior"
	case enrichd.SeniorityMid, enrichd.SeniorityJunior:
		// A manager by title is a Manager in Clodura's vocabulary whatever
		// the four-level scale says ("Contract Manager" is mid here).
		if level == enrichd.SeniorityMid && titleHas(t, "manager", "gerente", "responsable", "supervisor") {
			return "Manager"
		}
		return "Entry Level"
	}
	return ""
}

// OceanSeniorities returns Ocean's seniority labels (its enum: "Owner",
// "Founder", "Board Member", "C-Level", "Partner", "VP", "Head", "Director",
// "Manager", "Other") for a title and its four-level seniority. A title can
// carry several ("CTO & Co-founder" → C-Level, Founder). It returns nil when
// both are empty.
func OceanSeniorities(level, title string) []string {
	t := foldTitle(title)
	var out []string
	add := func(ok bool, s string) {
		if ok {
			out = append(out, s)
		}
	}
	add(titleHas(t, "owner") && !titleHas(t, "product owner"), "Owner")
	add(titleHas(t, "founder", "cofounder"), "Founder")
	add(titleHas(t, "board member", "board", "chairman", "chairwoman", "chair"), "Board Member")
	add(titleHas(t, "chief", "ceo", "cfo", "cto", "coo", "cio", "cmo", "cro", "cpo", "chro", "ciso", "cdo", "clo", "president") && !titleHas(t, "vp"), "C-Level")
	add(titleHas(t, "partner") && !titleHas(t, "business partner"), "Partner")
	add(titleHas(t, "vp", "svp", "evp", "avp"), "VP")
	add(titleHas(t, "head"), "Head")
	add(titleHas(t, "director", "directeur", "directora"), "Director")
	add(titleHas(t, "manager", "gerente", "responsable", "supervisor") && !titleHas(t, "account manager"), "Manager")
	if len(out) > 0 {
		return out
	}
	switch {
	case level == enrichd.SeniorityExecutive:
		return []string{"C-Level"}
	case strings.TrimSpace(t) == "" && level == "":
		return nil
	}
	return []string{"Other"}
}

// oceanDepartments maps this package's departments onto Ocean's enum.
var oceanDepartments = map[string]string{
	DeptEngineering: "Engineering", DeptIT: "Engineering", DeptData: "Engineering", DeptDesign: "Design",
	DeptProduct: "Product", DeptSales: "Sales", DeptMarketing: "Marketing and Advertising",
	DeptCustomerSuccess: "Customer Relations", DeptFinance: "Accounting and Finance", DeptHR: "HR",
	DeptOperations: "Operations", DeptLegal: "Legal", DeptResearch: "R&D", DeptEducation: "Other",
	DeptHealthcare: "Healthcare", DeptAdministration: "Business Support", DeptConsulting: "Other",
	DeptManagement: "Management",
}

// OceanDepartments maps departments (this package's vocabulary, as stored on
// a Person) onto Ocean's department enum, deduplicated; unknown ones become "Other".
func OceanDepartments(depts []string) []string {
	var out []string
	for _, d := range depts {
		o, ok := oceanDepartments[d]
		if !ok {
			o = "Other"
		}
		if !containsKey(out, o) {
			out = append(out, o)
		}
	}
	return out
}
