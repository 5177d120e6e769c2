package analytics

import "sort"

// ColType says how a cell is parsed and which SQL type it becomes.
type ColType int

// Column types of the input files.
const (
	Text     ColType = iota // free text, trimmed
	ID                      // identifier: full-width folded, trimmed
	Int                     // whole number
	Number                  // decimal number
	Date                    // civil date
	DateTime                // local date and time (Asia/Shanghai)
	Enum                    // one of Values (English or Chinese)
	Bool                    // yes/no/是/否
	List                    // identifiers separated by ; ； 、 or ,
	Month                   // YYYY-MM
	Round                   // YYYY-B1 … YYYY-B6
)

// Column describes one column of an input kind.
type Column struct {
	Name     string
	Aliases  []string // accepted header names besides Name (Chinese first)
	Type     ColType
	Required bool
	Values   []EnumValue // for Enum
	Min, Max *float64    // inclusive bounds for Int and Number
	Positive bool        // must be > 0
	Ref      string      // referenced kind: "units", "counties", "evaluators", "work_groups"
	Default  string      // SQL over the typed row used when the cell is empty
	// Freeform exempts an ID column from the identifier rule (ids.go): a
	// number issued outside the office, such as a 文号, that names no file or link.
	Freeform bool
}

// EnumValue is a canonical enum value and the spellings accepted for it.
type EnumValue struct {
	Canonical string
	Aliases   []string
}

// Check is a rule over a typed row: Bad is a SQL condition, true for a bad row;
// Msg is a SQL string expression giving the reason shown for Column.
type Check struct {
	Column string
	Bad    string
	Msg    string
}

// Kind is one input file kind of CONTRACT §2 and the table it fills.
type Kind struct {
	Name      string
	Files     []string // file-name stems that identify the kind (English and Chinese)
	Columns   []Column
	Key       []string
	Checks    []Check
	ExtraJoin string // extra SQL joins for Checks (aliases r_*)
	order     int
}

func f(v float64) *float64 { return &v }

var (
	zero    = f(0)
	hundred = f(100)
)

func enum(pairs ...[]string) []EnumValue {
	out := make([]EnumValue, len(pairs))
	for i, p := range pairs {
		out[i] = EnumValue{Canonical: p[0], Aliases: p[1:]}
	}
	return out
}

// Column returns the named column of the kind.
func (k *Kind) Column(name string) (Column, bool) {
	for _, c := range k.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// Kinds returns every input kind in import order (referenced kinds first).
func Kinds() []*Kind {
	ks := []*Kind{
		holidaysKind(), unitsKind(), workGroupsKind(), evaluatorsKind(), peerScoresKind(),
		casesKind(), complaintsKind(), surveysKind(), deductionsKind(),
		projectsKind(), progressKind(), signedKind(), documentsKind(),
		tasksKind(), taskExtensionsKind(), targetsKind(),
	}
	for i, k := range ks {
		k.order = i
	}
	return ks
}

// KindByName finds a kind by its canonical name.
func KindByName(name string) (*Kind, bool) {
	for _, k := range Kinds() {
		if k.Name == name {
			return k, true
		}
	}
	return nil, false
}

// sortByImportOrder orders files so that referenced kinds are imported first,
// then by path.
func sortByImportOrder(items []fileKind) {
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].kind.order != items[j].kind.order {
			return items[i].kind.order < items[j].kind.order
		}
		return items[i].path < items[j].path
	})
}

type fileKind struct {
	path string
	kind *Kind
}
