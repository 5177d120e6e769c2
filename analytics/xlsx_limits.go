package analytics

import (
	"archive/zip"
	"fmt"
	"strings"
)

// Limits on an .xlsx package, checked on the sizes its zip directory
// declares before anything is unpacked (Go's zip reader refuses an entry that
// unpacks to more than it declares, so the declared sizes are binding). An
// Excel sheet holds at most 1,048,576 rows, about 0.7 GB of sheet XML for the
// widest kind; a workbook beyond these limits is a zip bomb or not an export.
const (
	// XLSXMaxUnpacked bounds the whole package unpacked: what excelize may
	// write to the temp directory.
	XLSXMaxUnpacked = 2 << 30
	// XLSXMaxInMemory is the largest part unpacked in memory; larger sheets
	// and shared strings are unpacked to the temp directory and streamed.
	XLSXMaxInMemory = 64 << 20
	// XLSXMaxRatio bounds how much a part larger than XLSXMaxInMemory may
	// expand: real sheets compress about 10:1, a zip bomb several hundred to one.
	XLSXMaxRatio = 100
)

// checkXLSXPackage refuses a workbook whose parts would unpack to more than
// the limits allow, with a reason a user can act on.
func checkXLSXPackage(path string) error {
	z, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("not a readable .xlsx file (%s)", firstLine(err.Error()))
	}
	defer z.Close()
	var total uint64
	for _, f := range z.File {
		size := f.UncompressedSize64
		total += size
		if total > XLSXMaxUnpacked {
			return fmt.Errorf("the workbook unpacks to more than %d GB; it is refused as a possible zip bomb (split the data over several files or save it as CSV)", XLSXMaxUnpacked>>30)
		}
		if size <= XLSXMaxInMemory {
			continue
		}
		name := strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))
		streamed := strings.HasPrefix(name, "xl/worksheets/sheet") || name == "xl/sharedstrings.xml"
		if !streamed {
			return fmt.Errorf("the workbook part %s unpacks to %d MB, more than a data export holds; it is refused as a possible zip bomb", f.Name, size>>20)
		}
		if f.CompressedSize64 == 0 || size/f.CompressedSize64 > XLSXMaxRatio {
			return fmt.Errorf("the workbook part %s expands %d MB from %d KB, far beyond any real sheet; it is refused as a possible zip bomb", f.Name, size>>20, f.CompressedSize64>>10)
		}
	}
	return nil
}
