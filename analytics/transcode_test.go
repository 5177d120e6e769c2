package analytics

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestParallelGB18030MatchesSequentialDecoding(t *testing.T) {
	var src strings.Builder
	for i := 0; src.Len() < 13<<20; i++ { // several 4 MiB chunks, cut mid-file
		src.WriteString("诉求编号,承办单位,来源,受理时间,𠀀扩展字符,市发展和改革委员会（试点）\n")
		if i%1000 == 0 {
			src.WriteString("a line without Chinese\n")
		}
	}
	src.WriteString("last line without a newline 结束")
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(src.String())
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := gb18030ToUTF8(&got, strings.NewReader(gb)); err != nil {
		t.Fatal(err)
	}
	if got.String() != src.String() {
		t.Errorf("decoded %d bytes differ from the %d-byte original", got.Len(), src.Len())
	}
}
