package analytics

import (
	"bytes"
	"hash/maphash"
	"io"
	"os"
	"slices"
	"strings"
	"unicode/utf8"
)

// What one pass over a UTF-8 CSV file can prove, so that the fast path
// (importCSVFast) needs no DuckDB pass of its own over the key column and no
// per-row character test: the Go pass reads the file anyway, for the
// cleanliness of its cells, while the encoding check hashes it on the other core.

// fileScan is the result of scanFile.
type fileScan struct {
	// clean: no cell can change under the importer's normalisation (cleanScan).
	clean bool
	// plain: no quote, tab, C0 or C1 control character, DEL or text-direction
	// mark anywhere, and carriage returns only before line feeds. Then every
	// line is one row, cells are split by commas alone, and no cell can break
	// the character rules (forbiddenChars), which need no test.
	plain bool
	// keys holds, for a plain file and a kind with a one-column text key,
	// the key cells of the data rows; see keyScan.
	keys keyScan
}

// keyScan is the key column of a plain file: ok when every data row has a
// non-empty key cell and no key is twice in the file; lo and hi are the
// smallest and largest key in byte order (as DuckDB compares VARCHAR), rows
// counts the data rows. Keys that rise (an export in key order) prove
// themselves distinct as they go; otherwise each key's 64-bit hash is kept
// and the sorted hashes must all differ (two equal hashes, a repeated key or
// a collision, leave it to DuckDB's count of distinct keys).
type keyScan struct {
	ok     bool
	rows   int64
	lo, hi string
	// while scanning
	rising         bool
	last, min, max []byte
	hashes         []uint64
}

// keySeed seeds the key hashes (any seed will do: equal keys hash equally).
var keySeed = maphash.MakeSeed()

// add takes one key cell; false for an empty one.
func (ks *keyScan) add(cell []byte) bool {
	if len(cell) == 0 {
		return false
	}
	if ks.rows == 0 {
		ks.rising = true
		ks.min, ks.max = append(ks.min[:0], cell...), append(ks.max[:0], cell...)
	} else {
		if ks.rising && bytes.Compare(cell, ks.last) <= 0 {
			ks.rising = false
		}
		if bytes.Compare(cell, ks.min) < 0 {
			ks.min = append(ks.min[:0], cell...)
		}
		if bytes.Compare(cell, ks.max) > 0 {
			ks.max = append(ks.max[:0], cell...)
		}
	}
	ks.last = append(ks.last[:0], cell...)
	ks.hashes = append(ks.hashes, maphash.Bytes(keySeed, cell))
	ks.rows++
	return true
}

// finish decides ok once every row was added (on is false when the scan
// gave up on the keys) and frees the scratch space.
func (ks *keyScan) finish(on bool) {
	ks.ok = on && ks.rows > 0
	if ks.ok && !ks.rising {
		slices.Sort(ks.hashes)
		for i := 1; i < len(ks.hashes) && ks.ok; i++ {
			ks.ok = ks.hashes[i] != ks.hashes[i-1]
		}
	}
	ks.lo, ks.hi = string(ks.min), string(ks.max)
	ks.last, ks.min, ks.max, ks.hashes = nil, nil, nil, nil
}

// plainClass marks the bytes plainScan looks at.
var plainClass = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = c != '\n'
	}
	for _, c := range []byte{'"', 0x7F, 0xC2, 0xD8, 0xE2} {
		t[c] = true
	}
	return t
}()

// plainScan reports whether b (whole lines, valid UTF-8) is plain: see
// fileScan.plain. C1 controls are U+0080–U+009F (C2 80–C2 9F), the marks
// U+061C (D8 9C), U+200E–U+200F (E2 80 8E–8F), U+202A–U+202E (E2 80 AA–AE)
// and U+2066–U+2069 (E2 81 A6–A9).
func plainScan(b []byte) bool {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !plainClass[c] {
			continue
		}
		at := func(j int) int {
			if i+j < len(b) {
				return int(b[i+j])
			}
			return -1
		}
		switch c {
		case '\r':
			if at(1) != '\n' {
				return false
			}
		case 0xC2:
			if n := at(1); n >= 0x80 && n <= 0x9F {
				return false
			}
		case 0xD8:
			if at(1) == 0x9C {
				return false
			}
		case 0xE2:
			n, m := at(1), at(2)
			if (n == 0x80 && (m == 0x8E || m == 0x8F || (m >= 0xAA && m <= 0xAE))) || (n == 0x81 && m >= 0xA6 && m <= 0xA9) {
				return false
			}
		default: // a quote, tab, other control character or DEL
			return false
		}
	}
	return true
}

// keyIndex is the position of k's one-column text key in a plain header
// line, -1 when the kind has another key or the header lacks it.
func keyIndex(k *Kind, header []byte) int {
	if k == nil || len(k.Key) != 1 {
		return -1
	}
	if c, ok := k.Column(k.Key[0]); !ok || (c.Type != ID && c.Type != Text) {
		return -1
	}
	idx := headerIndex(k)
	found := -1
	for i, h := range strings.Split(strings.TrimSuffix(string(header), "\r"), ",") {
		if idx[foldHeader(h)] == k.Key[0] {
			if found >= 0 {
				return -1 // twice: mapHeader refuses the file
			}
			found = i
		}
	}
	return found
}

// scanKeys adds the key cells (column ki) of the lines of b to ks; it
// returns false when a line is empty, lacks the column or has an empty key.
func scanKeys(b []byte, ki int, ks *keyScan) bool {
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		cell := line
		for j := 0; j < ki; j++ {
			i := bytes.IndexByte(cell, ',')
			if i < 0 {
				return false
			}
			cell = cell[i+1:]
		}
		if i := bytes.IndexByte(cell, ','); i >= 0 {
			cell = cell[:i]
		}
		if !ks.add(cell) {
			return false
		}
	}
	return true
}

// scanFile runs cleanScan, plainScan and, for kind k, scanKeys over a UTF-8
// file (with or without a BOM) in one read. A file that is not UTF-8 or has
// a line longer than a chunk proves nothing (all false).
func scanFile(path string, k *Kind) (fileScan, error) {
	f, err := os.Open(path)
	if err != nil {
		return fileScan{}, err
	}
	defer f.Close()
	const chunk = 4 << 20
	buf := make([]byte, chunk)
	res := fileScan{clean: true, plain: true}
	prev := byte(0)
	carry := 0
	ki := -1
	keysOn := true
	for start := true; ; start = false {
		n, err := io.ReadFull(f, buf[carry:])
		n += carry
		eof := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !eof {
			return fileScan{}, err
		}
		b := buf[:n]
		if start && bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}) {
			b = b[3:]
		}
		cut := len(b)
		if !eof {
			if cut = bytes.LastIndexByte(b, '\n') + 1; cut == 0 {
				return fileScan{}, nil // a line longer than a chunk: cannot vouch
			}
		}
		piece := b[:cut]
		if start && !utf8.Valid(piece) {
			return fileScan{}, nil // not UTF-8: the transcoded copy is scanned instead
		}
		res.clean = res.clean && cleanScan(piece, prev, eof)
		res.plain = res.plain && plainScan(piece)
		if start {
			h := piece
			if i := bytes.IndexByte(h, '\n'); i >= 0 {
				h, piece = h[:i], piece[i+1:]
			} else {
				piece = nil
			}
			ki = keyIndex(k, h)
		}
		keysOn = keysOn && res.plain && ki >= 0 && scanKeys(piece, ki, &res.keys)
		if !res.clean && !res.plain {
			return res, nil
		}
		if cut > 0 {
			prev = b[cut-1]
		}
		if eof {
			res.keys.finish(keysOn && res.plain)
			return res, nil
		}
		carry = copy(buf, b[cut:])
	}
}
