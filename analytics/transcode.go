package analytics

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// gb18030ToUTF8 decodes r to w using every CPU: the input is cut into chunks
// at line ends, which is safe because the byte '\n' never occurs inside a
// GB18030 multi-byte character, and the chunks are decoded in parallel and
// written in order.
func gb18030ToUTF8(w io.Writer, r io.Reader) error {
	_, err := gb18030ToUTF8Scan(w, r, nil)
	return err
}

// gb18030ToUTF8Scan is gb18030ToUTF8 that also scans the decoded text as
// scanFile scans a UTF-8 file (clean, plain and, for kind k, the keys): the
// chunks are scanned for cleanliness and plainness where they are decoded,
// and the keys in order as they are written.
func gb18030ToUTF8Scan(w io.Writer, r io.Reader, k *Kind) (fileScan, error) {
	const chunk = 4 << 20
	workers := runtime.NumCPU()
	br := bufio.NewReaderSize(r, chunk)
	var carry []byte
	res := fileScan{clean: true, plain: true}
	clean := true
	first := true
	ki, keysOn := -1, true
	for {
		batch := make([][]byte, 0, workers)
		eof := false
		for len(batch) < workers && !eof {
			buf := make([]byte, len(carry), chunk+len(carry))
			copy(buf, carry)
			n, err := io.ReadFull(br, buf[len(carry):cap(buf)])
			buf = buf[:len(carry)+n]
			switch {
			case err == io.EOF || err == io.ErrUnexpectedEOF:
				eof, carry = true, nil
			case err != nil:
				return fileScan{}, err
			default:
				cut := bytes.LastIndexByte(buf, '\n') + 1
				if cut == 0 {
					// A line longer than a chunk: decode what there is. The
					// cut may fall inside a cell, so the scan cannot vouch
					// for the file.
					cut, clean, res.plain = len(buf), false, false
				}
				buf, carry = buf[:cut], append([]byte(nil), buf[cut:]...)
			}
			if len(buf) > 0 {
				batch = append(batch, buf)
			}
		}
		out := make([][]byte, len(batch))
		errs := make([]error, len(batch))
		dirty := make([]bool, len(batch))
		mixed := make([]bool, len(batch))
		var wg sync.WaitGroup
		for i, b := range batch {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out[i], errs[i] = decodeGB18030(b)
				if errs[i] == nil {
					// Every chunk but the file's first starts after a '\n'
					// and every chunk but the last ends with one, so the
					// chunks can be scanned apart.
					prev := byte('\n')
					if first && i == 0 {
						prev = 0
					}
					dirty[i] = !cleanScan(out[i], prev, eof && i == len(batch)-1)
					mixed[i] = !plainScan(out[i])
				}
			}()
		}
		wg.Wait()
		for i := range out {
			if errs[i] != nil {
				return fileScan{}, errs[i]
			}
			if dirty[i] {
				clean = false
			}
			if mixed[i] {
				res.plain = false
			}
			if keysOn = keysOn && res.plain; keysOn {
				piece := out[i]
				if first && i == 0 {
					h := bytes.TrimPrefix(piece, []byte{0xEF, 0xBB, 0xBF})
					piece = nil
					if j := bytes.IndexByte(h, '\n'); j >= 0 {
						h, piece = h[:j], h[j+1:]
					}
					ki = keyIndex(k, h)
				}
				keysOn = ki >= 0 && scanKeys(piece, ki, &res.keys)
			}
			if _, err := w.Write(out[i]); err != nil {
				return fileScan{}, err
			}
		}
		first = false
		if eof {
			res.clean = clean
			res.keys.finish(keysOn && res.plain)
			return res, nil
		}
	}
}

// gbPairs maps each GB18030 two-byte sequence (lead 0x81–0xFE, trail
// 0x40–0xFE) to the rune golang.org/x/text decodes it to, or 0 where that
// decoder does anything else (a four-byte lead, an unmapped pair).
var gbPairs = sync.OnceValue(func() []rune {
	tab := make([]rune, 126*191)
	dec := simplifiedchinese.GB18030.NewDecoder()
	for lead := 0x81; lead <= 0xFE; lead++ {
		for trail := 0x40; trail <= 0xFE; trail++ {
			if trail == 0x7F {
				continue
			}
			out, err := dec.Bytes([]byte{byte(lead), byte(trail)})
			if err != nil {
				continue
			}
			r, n := utf8.DecodeRune(out)
			if n == len(out) && r != utf8.RuneError {
				tab[(lead-0x81)*191+trail-0x40] = r
			}
		}
	}
	return tab
})

// decodeGB18030 decodes one chunk. ASCII and the two-byte characters, which
// are all of Chinese text but rare characters, go through a table built from
// golang.org/x/text's decoder; a chunk holding anything else (four-byte
// characters, invalid bytes) is decoded by that decoder itself, so the output
// is always exactly the library's.
func decodeGB18030(src []byte) ([]byte, error) {
	tab := gbPairs()
	dst := make([]byte, 0, len(src)+len(src)/2)
	for i := 0; i < len(src); {
		c := src[i]
		if c < 0x80 {
			j := i + 1
			for j < len(src) && src[j] < 0x80 {
				j++
			}
			dst = append(dst, src[i:j]...)
			i = j
			continue
		}
		if c == 0x80 || c == 0xFF || i+1 == len(src) {
			return simplifiedchinese.GB18030.NewDecoder().Bytes(src)
		}
		t := src[i+1]
		if t < 0x40 || t == 0x7F || t == 0xFF {
			return simplifiedchinese.GB18030.NewDecoder().Bytes(src)
		}
		r := tab[int(c-0x81)*191+int(t-0x40)]
		if r == 0 {
			return simplifiedchinese.GB18030.NewDecoder().Bytes(src)
		}
		dst = utf8.AppendRune(dst, r)
		i += 2
	}
	return dst, nil
}

// transcodeGB18030 writes a UTF-8 copy of a GB18030 file into dir, returning
// its path and what a scan of the copy proves (scanFile).
func transcodeGB18030(path, dir string, k *Kind) (string, fileScan, error) {
	in, err := os.Open(path)
	if err != nil {
		return "", fileScan{}, err
	}
	defer in.Close()
	out, err := os.CreateTemp(dir, "import-*-"+filepath.Base(path)+".utf8.csv")
	if err != nil {
		return "", fileScan{}, err
	}
	w := bufio.NewWriterSize(out, 1<<20)
	scan, err := gb18030ToUTF8Scan(w, in, k)
	if err == nil {
		err = w.Flush()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", fileScan{}, err
	}
	return out.Name(), scan, nil
}

// cleanScan reports whether no data cell of a CSV text can change under the
// importer's cell normalisation (trimming ' ', '\t', '\r', '\n' and U+3000,
// folding full-width forms): then the typed statement can take every cell as
// it is (an empty cell is NULL either way: read_csv reads "" as NULL).
//
// It looks at bytes, not cells, and errs on the side of "not clean": a space
// or tab touching a comma, quote, line break or either end of the text, a
// quote touching a line break, a carriage return not followed by a line feed,
// the ideographic space and every full-width form each make it false.
//
// b is one piece of the text that, unless atEnd, ends with a line feed; prev
// is the byte before it (0 at the start of the text).
func cleanScan(b []byte, prev byte, atEnd bool) bool {
	if !atEnd && len(b) > 0 && b[len(b)-1] != '\n' {
		return false
	}
	for i, c := range b {
		if !scanClass[c] {
			continue
		}
		p := prev
		if i > 0 {
			p = b[i-1]
		}
		nx := -1 // the end of the text (a piece that is not the last ends with '\n', never looked past)
		if i+1 < len(b) {
			nx = int(b[i+1])
		}
		switch c {
		case ' ', '\t':
			if p == 0 || p == ',' || p == '\n' || p == '\r' || p == '"' || nx < 0 || nx == ',' || nx == '\n' || nx == '\r' || nx == '"' {
				return false
			}
		case '"':
			if p == '\n' || p == '\r' || nx == '\n' || nx == '\r' {
				return false
			}
		case '\r':
			if nx != '\n' {
				return false
			}
		case 0xEF: // U+FF00–U+FF7F hold the full-width forms
			if nx < 0 || nx == 0xBC || nx == 0xBD {
				return false
			}
		case 0xE3: // U+3000, the ideographic space
			if nx < 0 || (nx == 0x80 && (i+2 >= len(b) || b[i+2] == 0x80)) {
				return false
			}
		}
	}
	return true
}

var scanClass = func() (t [256]bool) {
	for _, c := range []byte{' ', '\t', '\r', '"', 0xEF, 0xE3} {
		t[c] = true
	}
	return t
}()
