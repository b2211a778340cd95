package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Encodings DecodeReader reports.
const (
	EncodingUTF8    = "UTF-8"
	EncodingUTF8BOM = "UTF-8 BOM"
	// EncodingGB18030 covers GBK and GB2312 too: both are subsets.
	EncodingGB18030 = "GB18030"
)

// ErrEncoding is wrapped by every error about a file's text encoding:
// neither UTF-8 nor GB18030, UTF-16, binary, or bytes that turn invalid
// after the encoding was chosen.
var ErrEncoding = errors.New("unsupported text encoding")

const (
	// encSniffSize is how much DecodeReader looks at before choosing.
	encSniffSize = 64 << 10
	// encSniffMax bounds the look-ahead when the file starts with a long
	// ASCII run, which both encodings read the same way.
	encSniffMax = 4 << 20
	// encSniffAfter is how much past the first non-ASCII byte is enough
	// to tell UTF-8 from GB18030.
	encSniffAfter = 16 << 10
)

// DecodeReader returns a reader yielding r's text as UTF-8, without a
// byte-order mark, and the encoding it found: UTF-8 with or without a
// BOM, else GB18030 (which reads GBK and GB2312). It chooses by looking at
// the start of the input — valid UTF-8 wins, since Chinese text in GBK is
// almost never valid UTF-8 — and then checks every later byte as it
// streams: a byte invalid in the chosen encoding fails the read with an
// error wrapping ErrEncoding that names its line, rather than letting
// mojibake into the data. UTF-16, ZIP/XLSX and binary input fail at once.
func DecodeReader(r io.Reader) (io.Reader, string, error) {
	head, eof, err := encSniff(r)
	if err != nil {
		return nil, "", fmt.Errorf("decode: read: %w", err)
	}
	var rest io.Reader = bytes.NewReader(head)
	if !eof {
		rest = io.MultiReader(rest, r)
	}
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		if at := encFirstInvalid(head[3:], eof, encUTF8RuneLen); at >= 0 {
			return nil, "", encInvalidError("UTF-8", head[3:], at, 3)
		}
		// Skip the BOM so the first header cell reads clean.
		if _, err := io.CopyN(io.Discard, rest, 3); err != nil {
			return nil, "", fmt.Errorf("decode: %w", err)
		}
		return transform.NewReader(rest, &encChecker{name: "UTF-8", runeLen: encUTF8RuneLen, base: 3}), EncodingUTF8BOM, nil
	case bytes.HasPrefix(head, []byte("\xff\xfe")), bytes.HasPrefix(head, []byte("\xfe\xff")):
		return nil, "", fmt.Errorf("decode: 文件是 UTF-16 编码，请另存为 UTF-8 / the file is UTF-16; save it as UTF-8: %w", ErrEncoding)
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return nil, "", fmt.Errorf("decode: 这是 ZIP 或 XLSX 文件，不是文本 / this is a ZIP or XLSX file, not text: %w", ErrEncoding)
	case bytes.IndexByte(head, 0) >= 0:
		return nil, "", fmt.Errorf("decode: 文件含有 NUL 字节，可能是二进制或无 BOM 的 UTF-16 / the file holds NUL bytes: binary or UTF-16 without a BOM: %w", ErrEncoding)
	}
	atUTF8 := encFirstInvalid(head, eof, encUTF8RuneLen)
	if atUTF8 < 0 {
		return transform.NewReader(rest, &encChecker{name: "UTF-8", runeLen: encUTF8RuneLen}), EncodingUTF8, nil
	}
	if encFirstInvalid(head, eof, encGB18030RuneLen) < 0 {
		chk := &encChecker{name: "GB18030", runeLen: encGB18030RuneLen}
		return transform.NewReader(rest, transform.Chain(chk, simplifiedchinese.GB18030.NewDecoder())), EncodingGB18030, nil
	}
	return nil, "", fmt.Errorf("decode: 既不是 UTF-8 也不是 GB18030/GBK 编码 / neither UTF-8 nor GB18030/GBK: %w",
		encInvalidError("UTF-8", head, atUTF8, 0))
}

// encSniff reads the start of r: encSniffSize bytes, or more while they
// are all ASCII, so that the choice is made on text that differs between
// the encodings. eof reports that head is the whole input.
func encSniff(r io.Reader) (head []byte, eof bool, err error) {
	buf := make([]byte, 0, encSniffSize)
	want := encSniffSize
	for {
		if cap(buf) < want {
			buf = append(buf[:cap(buf)], make([]byte, want-cap(buf))...)[:len(buf)]
		}
		n, err := io.ReadFull(r, buf[len(buf):want])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return buf, true, nil
		}
		if err != nil {
			return nil, false, err
		}
		if len(buf) >= encSniffMax {
			return buf, false, nil
		}
		i := encFirstNonASCII(buf)
		if i < 0 {
			want = min(len(buf)*2, encSniffMax)
			continue
		}
		if len(buf)-i >= encSniffAfter {
			return buf, false, nil
		}
		want = min(i+encSniffAfter, encSniffMax)
	}
}

func encFirstNonASCII(b []byte) int {
	for i, c := range b {
		if c >= utf8.RuneSelf {
			return i
		}
	}
	return -1
}

// encRuneLen measures the character at the start of p: its length in
// bytes, 0 when the bytes are invalid, or -1 when p ends inside it.
type encRuneLen func(p []byte) int

func encUTF8RuneLen(p []byte) int {
	if p[0] < utf8.RuneSelf {
		return 1
	}
	if !utf8.FullRune(p) {
		// FullRune is also true for some invalid prefixes, so a short
		// valid-looking prefix is the only "need more" case.
		return -1
	}
	r, n := utf8.DecodeRune(p)
	if r == utf8.RuneError && n == 1 {
		return 0
	}
	return n
}

// encGB18030RuneLen follows the GB18030 byte structure: ASCII; 0x80 (the
// euro sign in code page 936); a lead byte 0x81-0xFE with a trail byte
// 0x40-0x7E or 0x80-0xFE; or four bytes lead, 0x30-0x39, lead, 0x30-0x39.
func encGB18030RuneLen(p []byte) int {
	c0 := p[0]
	switch {
	case c0 <= 0x80:
		return 1
	case c0 == 0xff:
		return 0
	}
	if len(p) < 2 {
		return -1
	}
	c1 := p[1]
	switch {
	case 0x40 <= c1 && c1 <= 0x7e, 0x80 <= c1 && c1 <= 0xfe:
		return 2
	case 0x30 <= c1 && c1 <= 0x39:
		if len(p) < 3 {
			return -1
		}
		if p[2] < 0x81 || p[2] > 0xfe {
			return 0
		}
		if len(p) < 4 {
			return -1
		}
		if p[3] < 0x30 || p[3] > 0x39 {
			return 0
		}
		return 4
	}
	return 0
}

// encFirstInvalid returns the offset of the first invalid character in
// b, or -1. A character cut off at the end of b is invalid only at EOF.
func encFirstInvalid(b []byte, eof bool, runeLen encRuneLen) int {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		switch n := runeLen(b[i:]); {
		case n > 0:
			i += n
		case n < 0 && !eof:
			return -1
		default:
			return i
		}
	}
	return -1
}

// encInvalidError describes the invalid byte at b[at]; base is the offset
// of b in the input.
func encInvalidError(name string, b []byte, at int, base int64) error {
	line := 1 + bytes.Count(b[:at], []byte{'\n'})
	return fmt.Errorf("第 %d 行（第 %d 字节）: 字节 0x%02X 不是有效的 %s / line %d, byte %d: invalid %s: %w",
		line, base+int64(at)+1, b[at], name, line, base+int64(at)+1, name, ErrEncoding)
}

// encChecker passes bytes through unchanged while checking they are valid
// in one encoding, counting lines so that an error can say where.
type encChecker struct {
	name    string
	runeLen encRuneLen
	// base is where the checked bytes start in the file (after a BOM).
	base int64
	line int
	off  int64
}

// Reset is called by transform.NewReader before the first byte.
func (c *encChecker) Reset() { c.line, c.off = 1, c.base }

func (c *encChecker) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		b := src[nSrc]
		n := 1
		if b >= utf8.RuneSelf {
			n = c.runeLen(src[nSrc:])
			if n < 0 && !atEOF {
				return nDst, nSrc, transform.ErrShortSrc
			}
			if n <= 0 {
				return nDst, nSrc, fmt.Errorf("第 %d 行（第 %d 字节）: 字节 0x%02X 不是有效的 %s / line %d, byte %d: invalid %s: %w",
					c.line, c.off+1, b, c.name, c.line, c.off+1, c.name, ErrEncoding)
			}
		}
		if nDst+n > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		copy(dst[nDst:], src[nSrc:nSrc+n])
		if b == '\n' {
			c.line++
		}
		nDst += n
		nSrc += n
		c.off += int64(n)
	}
	return nDst, nSrc, nil
}
