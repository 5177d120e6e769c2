// Package queries holds the project's SQL statements, one per .sql file named
// <subject>_<action>.sql, each with a header comment giving its purpose,
// parameters and result columns. Code refers to a statement by its name.
package queries

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
)

//go:embed *.sql
var files embed.FS

// SQL returns the statement in name.sql; it panics on a name with no file,
// which the package tests catch for every name used in the code.
func SQL(name string) string {
	b, err := files.ReadFile(name + ".sql")
	if err != nil {
		panic(fmt.Sprintf("queries: no statement %q", name))
	}
	return string(b)
}

// Names lists every statement name.
func Names() []string {
	ents, _ := fs.ReadDir(files, ".")
	var out []string
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), ".sql"))
	}
	return out
}
