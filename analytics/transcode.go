package analytics

import (
	"bufio"
	"bytes"
	"io"
	"runtime"
	"sync"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// gb18030ToUTF8 decodes r to w using every CPU: the input is cut into chunks
// at line ends, which is safe because the byte '\n' never occurs inside a
// GB18030 multi-byte character, and the chunks are decoded in parallel and
// written in order.
func gb18030ToUTF8(w io.Writer, r io.Reader) error {
	const chunk = 4 << 20
	workers := runtime.NumCPU()
	br := bufio.NewReaderSize(r, chunk)
	var carry []byte
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
				return err
			default:
				cut := bytes.LastIndexByte(buf, '\n') + 1
				if cut == 0 {
					cut = len(buf) // a line longer than a chunk: decode what there is
				}
				buf, carry = buf[:cut], append([]byte(nil), buf[cut:]...)
			}
			if len(buf) > 0 {
				batch = append(batch, buf)
			}
		}
		out := make([][]byte, len(batch))
		errs := make([]error, len(batch))
		var wg sync.WaitGroup
		for i, b := range batch {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out[i], errs[i] = simplifiedchinese.GB18030.NewDecoder().Bytes(b)
			}()
		}
		wg.Wait()
		for i := range out {
			if errs[i] != nil {
				return errs[i]
			}
			if _, err := w.Write(out[i]); err != nil {
				return err
			}
		}
		if eof {
			return nil
		}
	}
}
