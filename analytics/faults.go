package analytics

import (
	"fmt"
	"strings"
)

// Resources an operation can run out of (ResourceShortage).
const (
	ResourceDisk   = "disk"   // the disk of the database is full
	ResourceTemp   = "temp"   // the temporary directory is full
	ResourceMemory = "memory" // DuckDB's memory limit was reached
)

// ResourceShortage tells which resource, if any, DuckDB's error err says
// ran out: ResourceDisk, ResourceTemp, ResourceMemory, or "".
func ResourceShortage(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	switch {
	case strings.Contains(firstLine(msg), "Out of Memory Error: "):
		lower := strings.ToLower(msg)
		if strings.Contains(lower, "max_temp_directory_size") || strings.Contains(lower, "temp directory") || strings.Contains(lower, "no space left") {
			return ResourceTemp
		}
		return ResourceMemory
	case strings.Contains(msg, "No space left on device"):
		return ResourceDisk
	case strings.Contains(msg, "max_temp_directory_size"):
		return ResourceTemp
	}
	return ""
}

// resourceMessage rewrites DuckDB's out-of-memory and full-temp-directory
// errors, which span several lines of tuning advice, as one line that says
// what ran out and what the operator can do.
func resourceMessage(err error) (string, bool) {
	first := firstLine(err.Error())
	if i := strings.Index(first, "Out of Memory Error: "); i >= 0 {
		first = first[i+len("Out of Memory Error: "):]
	}
	switch ResourceShortage(err) {
	case ResourceDisk:
		return "the disk is full (" + first + "); free disk space beside the database (its .tmp folder) and retry", true
	case ResourceTemp:
		return "the temporary directory is full (" + first + "); free disk space beside the database (its .tmp folder) and retry", true
	case ResourceMemory:
		return "out of memory (" + first + "); raise --memory-limit or import the data in smaller files", true
	}
	return "", false
}

// oneLine is the one-line form of an error for a message: the resource
// wording when memory or temp space ran out, else its first line.
func oneLine(err error) string {
	if m, ok := resourceMessage(err); ok {
		return m
	}
	return firstLine(err.Error())
}

// checkError wraps a failure of the checking phase of an import.
func checkError(name string, err error) error {
	if m, ok := resourceMessage(err); ok {
		return fmt.Errorf("analytics: import %s: %s (nothing was imported)", name, m)
	}
	return fmt.Errorf("analytics: check %s: %w", name, err)
}

// damagedMessage words DuckDB's errors for a damaged database file.
func damagedMessage(path, msg string) (string, bool) {
	var why string
	switch {
	case strings.Contains(msg, "Corrupt database file"):
		why = "a block's checksum does not match its contents"
	case strings.Contains(msg, "Could not read enough bytes"):
		why = "the file is shorter than its contents say: truncated"
	case strings.Contains(msg, "not a valid DuckDB database file"), strings.Contains(msg, "database file with version number"):
		why = "its header is not a valid DuckDB header"
	default:
		return "", false
	}
	return fmt.Sprintf("analytics: %s is damaged (%s); restore it from a backup with xiaoneng restore DIR --db NEW.duckdb", path, why), true
}
