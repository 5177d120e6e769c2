package analytics

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding names the text encoding detected for a CSV file.
type Encoding string

// The encodings a CSV file may arrive in.
const (
	UTF8    Encoding = "UTF-8"
	UTF8BOM Encoding = "UTF-8 with BOM"
	UTF16   Encoding = "UTF-16"
	GB18030 Encoding = "GB18030"
)

// detectEncoding reads the whole file and decides its encoding from the bytes:
// a BOM wins; otherwise valid UTF-8 is UTF-8 and anything else is GB18030
// (a superset of GBK), unless the file mixes UTF-8 and non-UTF-8 lines.
//
// The same read hashes the file (SHA-256, for the import log), so a large
// file is read once here rather than twice.
func detectEncoding(path, name string) (Encoding, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	h := sha256.New()
	r := bufio.NewReaderSize(io.TeeReader(f, h), 1<<20)
	sum := func() (string, error) {
		if _, err := io.Copy(io.Discard, r); err != nil {
			return "", err
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	head, _ := r.Peek(3)
	enc := UTF8
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		enc, err = UTF8BOM, checkUTF8(r, name)
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		enc = UTF16
	default:
		if err = checkUTF8(r, name); errors.Is(err, errNotUTF8) {
			enc, err = GB18030, nil
		}
	}
	if err != nil {
		return "", "", err
	}
	digest, err := sum()
	if err != nil || enc != GB18030 {
		return enc, digest, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", "", err
	}
	return enc, digest, checkMixed(f, name)
}

var errNotUTF8 = errors.New("not UTF-8")

// checkUTF8 validates the stream in large chunks cut at line ends.
func checkUTF8(r *bufio.Reader, name string) error {
	buf := make([]byte, 4<<20)
	carry := 0
	for {
		n, err := io.ReadFull(r, buf[carry:])
		n += carry
		chunk := buf[:n]
		cut := n
		if err == nil {
			if i := bytes.LastIndexByte(chunk, '\n'); i >= 0 {
				cut = i + 1
			}
		}
		if !utf8.Valid(chunk[:cut]) {
			return errNotUTF8
		}
		carry = copy(buf, chunk[cut:])
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			if carry > 0 && !utf8.Valid(buf[:carry]) {
				return errNotUTF8
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
}

// checkMixed refuses a file in which some lines are non-ASCII UTF-8 and others
// are not UTF-8 at all: no single decoding would read it right.
func checkMixed(r io.Reader, name string) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	utf8Line, otherLine := 0, 0
	for line := 1; sc.Scan(); line++ {
		b := sc.Bytes()
		if isASCII(string(b)) {
			continue
		}
		if utf8.Valid(b) {
			if utf8Line == 0 {
				utf8Line = line
			}
		} else if otherLine == 0 {
			otherLine = line
		}
		if utf8Line > 0 && otherLine > 0 {
			return &ImportError{File: name, Problems: []Problem{{Line: max(utf8Line, otherLine),
				Reason: fmt.Sprintf("mixed encodings: line %d is UTF-8 but line %d is not; save the whole file in one encoding", utf8Line, otherLine)}}, Total: 1, BadRows: 1}
		}
	}
	return sc.Err()
}

// toUTF8 writes a UTF-8 copy of a UTF-16 or GB18030 file into dir and returns its path.
func toUTF8(path string, enc Encoding, dir string) (string, error) {
	if enc != UTF16 && enc != GB18030 {
		return path, nil
	}
	in, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.CreateTemp(dir, "import-*-"+filepath.Base(path)+".utf8.csv")
	if err != nil {
		return "", err
	}
	w := bufio.NewWriterSize(out, 1<<20)
	if enc == GB18030 {
		err = gb18030ToUTF8(w, in)
	} else {
		t := unicode.BOMOverride(unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
		_, err = io.Copy(w, transform.NewReader(bufio.NewReaderSize(in, 1<<20), t))
	}
	if err != nil {
		out.Close()
		os.Remove(out.Name())
		return "", fmt.Errorf("decode %s as %s: %w", filepath.Base(path), enc, err)
	}
	if err := w.Flush(); err != nil {
		out.Close()
		os.Remove(out.Name())
		return "", err
	}
	return out.Name(), out.Close()
}
