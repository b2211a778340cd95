package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func gb18030(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode GB18030: %v", err)
	}
	return b
}

func TestDecodeReader(t *testing.T) {
	const text = "代码,名称\n370224,胶县\n370281,胶州市\n"
	longASCII := strings.Repeat("code,name,0123456789\n", 6000) // > 64 KiB before any hanzi
	tests := []struct {
		name     string
		input    []byte
		want     string
		encoding string
	}{
		{"empty", nil, "", EncodingUTF8},
		{"ascii", []byte("code,name\n1,a\n"), "code,name\n1,a\n", EncodingUTF8},
		{"utf8", []byte(text), text, EncodingUTF8},
		{"utf8 bom", []byte("\ufeff" + text), text, EncodingUTF8BOM},
		{"gbk", gbk(t, text), text, EncodingGB18030},
		// é and 𠀀 take four bytes in GB18030; GBK has neither.
		{"gb18030 four-byte", gb18030(t, "é,𠀀,胶县\n"), "é,𠀀,胶县\n", EncodingGB18030},
		{"gbk after a long ascii run", append([]byte(longASCII), gbk(t, text)...), longASCII + text, EncodingGB18030},
		{"utf8 after a long ascii run", []byte(longASCII + text), longASCII + text, EncodingUTF8},
		// The bare 0x80 is the euro sign in code page 936.
		{"cp936 euro", append(gbk(t, "胶县"), 0x80), "胶县€", EncodingGB18030},
	}
	for _, tt := range tests {
		for _, oneByte := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/onebyte=%v", tt.name, oneByte), func(t *testing.T) {
				var r io.Reader = bytes.NewReader(tt.input)
				if oneByte {
					r = iotest.OneByteReader(r)
				}
				dec, enc, err := DecodeReader(r)
				if err != nil {
					t.Fatalf("DecodeReader: %v", err)
				}
				if enc != tt.encoding {
					t.Errorf("encoding %q, want %q", enc, tt.encoding)
				}
				got, err := io.ReadAll(dec)
				if err != nil {
					t.Fatalf("read: %v", err)
				}
				if string(got) != tt.want {
					t.Errorf("decoded %d bytes %q..., want %d bytes %q...", len(got), trunc(string(got)), len(tt.want), trunc(tt.want))
				}
			})
		}
	}
}

func trunc(s string) string {
	if len(s) > 40 {
		return s[:40]
	}
	return s
}

func TestDecodeReaderErrors(t *testing.T) {
	utf8Lines := strings.Repeat("胶县,胶州市\n", 5000)        // 85,000 bytes, 5000 lines: past the sniffed part
	gbkLines := gbk(t, strings.Repeat("胶县,胶州市\n", 6000)) // 72,000 bytes
	tests := []struct {
		name    string
		input   []byte
		atOpen  bool   // fails in DecodeReader rather than while reading
		wantMsg string // a part of the message
	}{
		{"latin1", []byte("caf\xe9,\xff\n"), true, "第 1 行（第 4 字节）: 字节 0xE9 不是有效的 UTF-8"},
		{"utf16le", []byte("\xff\xfe,\x00"), true, "UTF-16"},
		{"utf16be", []byte("\xfe\xff\x00,"), true, "UTF-16"},
		{"xlsx", []byte("PK\x03\x04\x14\x00"), true, "XLSX"},
		{"nul", []byte("a,b\x00\n"), true, "NUL"},
		{"bom then invalid", []byte("\ufeffab\n\xc3("), true, "第 2 行（第 7 字节）: 字节 0xC3 不是有效的 UTF-8"},
		{"utf8 then gbk past the sniff", append([]byte(utf8Lines), gbk(t, "胶县\n")...), false,
			"第 5001 行（第 85001 字节）: 字节 0xBD 不是有效的 UTF-8 / line 5001, byte 85001: invalid UTF-8"},
		{"gbk then 0xff past the sniff", append(append([]byte{}, gbkLines...), "x\xff\n"...), false,
			"第 6001 行（第 72002 字节）: 字节 0xFF 不是有效的 GB18030"},
		{"utf8 cut short at the end", append([]byte(utf8Lines), "\xe8\x83"...), false, "第 5001 行（第 85001 字节）: 字节 0xE8 不是有效的 UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dec, _, err := DecodeReader(bytes.NewReader(tt.input))
			if err == nil {
				if tt.atOpen {
					t.Fatal("DecodeReader succeeded; want an error at once")
				}
				_, err = io.ReadAll(dec)
			} else if !tt.atOpen {
				t.Fatalf("DecodeReader: %v; want the error only while reading", err)
			}
			if !errors.Is(err, ErrEncoding) {
				t.Fatalf("err = %v; want errors.Is ErrEncoding", err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("err = %q; want it to contain %q", err, tt.wantMsg)
			}
		})
	}
}

// TestReadPlacesEncodingErrorMidFile: a file that turns invalid after the
// sniffed start fails as a whole, naming the line.
func TestReadPlacesEncodingErrorMidFile(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(strings.Join(placesOtherNamesHeader, ",") + "\n")
	for b.Len() < 100<<10 {
		b.WriteString("石门,910281,,,俗称\n")
	}
	b.Write(gbk(t, "石门,910281,,,俗称\n"))
	_, err := ReadPlaces(&b, "mixed.csv")
	if !errors.Is(err, ErrEncoding) || !strings.Contains(err.Error(), "mixed.csv") || !strings.Contains(err.Error(), "不是有效的 UTF-8") {
		t.Fatalf("err = %v; want an encoding error naming the file", err)
	}
}
