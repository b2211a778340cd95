package ingest

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// GEDCOM family trees, versions 5.5.1 and 7.0, read by a small line-level
// parser. The Go libraries there are read GEDCOM 5.5 only
// (github.com/elliotchance/gedcom, github.com/iand/gedcom) or are GPL
// (github.com/funwithbots/go-gedcom), so this one parses lines (level,
// xref, tag, value, CONT/CONC) into a tree and leaves meaning to the
// importer.

// MaxGEDCOMSize bounds the file read into memory: families refer to
// individuals anywhere in the file, so a tree is read whole.
const MaxGEDCOMSize = 256 << 20

// GEDNode is one structure: a line and its subordinate lines.
type GEDNode struct {
	Line     int // 1-based line in the file
	Level    int
	Xref     string // "@I1@" → "I1"; empty when absent
	Tag      string
	Value    string // CONT/CONC already folded in
	Pointer  string // the value when it is a pointer "@X@" → "X"
	Children []*GEDNode
}

// Child returns the first child with the tag, or nil.
func (n *GEDNode) Child(tag string) *GEDNode {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Tag == tag {
			return c
		}
	}
	return nil
}

// All returns the children with the tag.
func (n *GEDNode) All(tag string) []*GEDNode {
	if n == nil {
		return nil
	}
	var out []*GEDNode
	for _, c := range n.Children {
		if c.Tag == tag {
			out = append(out, c)
		}
	}
	return out
}

// Val returns the value of the first child with the tag, "" when none.
func (n *GEDNode) Val(tag string) string {
	if c := n.Child(tag); c != nil {
		return c.Value
	}
	return ""
}

// GEDFile is a parsed GEDCOM file.
type GEDFile struct {
	Path     string
	Version  string // "5.5.1", "7.0", … as HEAD.GEDC.VERS says
	Major    int    // 5 or 7
	Encoding string // what the bytes were read as
	Head     *GEDNode
	// Records are the level-0 records after HEAD, TRLR excluded.
	Records []*GEDNode
	// ByXref finds a record by its xref.
	ByXref map[string]*GEDNode
	// Errors are the problems found; a record with a syntax error is
	// left out of Records and named here.
	Errors []*RowError
	lines  []string
}

// LineText returns line n of the file as read (1-based), for reports.
func (f *GEDFile) LineText(n int) string {
	if n < 1 || n > len(f.lines) {
		return ""
	}
	return f.lines[n-1]
}

func (f *GEDFile) errorf(line int, col, zh, en string) {
	f.Errors = append(f.Errors, &RowError{File: f.Path, Line: line, Column: col, Reason: zh, ReasonEN: en})
}

// ParseGEDCOM reads a GEDCOM file. A file it cannot read at all (wrong
// encoding, not GEDCOM, an unsupported version) is an error naming the
// line; a broken record is left out and listed in GEDFile.Errors, so
// the good records can still land.
func ParseGEDCOM(r io.Reader, path string) (*GEDFile, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxGEDCOMSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: read: %w", path, err)
	}
	if len(raw) > MaxGEDCOMSize {
		return nil, fmt.Errorf("%s: 文件超过 %d MB / file larger than %d MB", path, MaxGEDCOMSize>>20, MaxGEDCOMSize>>20)
	}
	text, enc, err := gedDecode(raw, path)
	if err != nil {
		return nil, err
	}
	f := &GEDFile{Path: path, Encoding: enc, ByXref: map[string]*GEDNode{}}
	if err := f.parse(text); err != nil {
		return nil, err
	}
	return f, nil
}

// gedDecode turns the bytes into UTF-8 text. UTF-16 (5.5.1's UNICODE) is
// known by its byte-order mark or by the NUL bytes of "0 HEAD"; otherwise
// the HEAD's CHAR tag decides: UTF-8, ASCII and ANSEL (only their 7-bit
// part, which is ASCII), and GB2312/GBK/GB18030, which Chinese
// genealogy programs write. Anything else is refused, naming the line.
func gedDecode(raw []byte, path string) (string, string, error) {
	switch {
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}), len(raw) > 1 && raw[0] == '0' && raw[1] == 0:
		s, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder().Bytes(raw)
		if err != nil {
			return "", "", fmt.Errorf("%s: UTF-16 解码失败 / invalid UTF-16: %w: %w", path, ErrEncoding, err)
		}
		return strings.TrimPrefix(string(s), "\ufeff"), "UTF-16LE", nil
	case bytes.HasPrefix(raw, []byte{0xFE, 0xFF}), len(raw) > 1 && raw[0] == 0 && raw[1] == '0':
		s, err := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder().Bytes(raw)
		if err != nil {
			return "", "", fmt.Errorf("%s: UTF-16 解码失败 / invalid UTF-16: %w: %w", path, ErrEncoding, err)
		}
		return strings.TrimPrefix(string(s), "\ufeff"), "UTF-16BE", nil
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	charset, charLine := gedHeadChar(raw)
	firstHigh := func() int {
		for i, b := range raw {
			if b >= 0x80 {
				return i
			}
		}
		return -1
	}
	lineOf := func(off int) int { return bytes.Count(raw[:off], []byte("\n")) + 1 }
	switch strings.ToUpper(strings.ReplaceAll(charset, "-", "")) {
	case "", "UTF8":
		if !utf8.Valid(raw) {
			at := 0
			for at < len(raw) {
				r, n := utf8.DecodeRune(raw[at:])
				if r == utf8.RuneError && n <= 1 {
					break
				}
				at += n
			}
			return "", "", fmt.Errorf("%s:%d: 不是有效的 UTF-8（CHAR %q）/ not valid UTF-8 (CHAR %q): %w", path, lineOf(at), charset, charset, ErrEncoding)
		}
		return string(raw), "UTF-8", nil
	case "ASCII", "ANSEL":
		if at := firstHigh(); at >= 0 {
			return "", "", fmt.Errorf("%s:%d: 文件声明 CHAR %s（第 %d 行），但含非 ASCII 字符；不支持 ANSEL 扩展字符，请用家谱软件另存为 UTF-8 / CHAR %s declared on line %d but the file has non-ASCII bytes; ANSEL beyond ASCII is not supported, save the file as UTF-8: %w",
				path, lineOf(at), charset, charLine, charset, charLine, ErrEncoding)
		}
		return string(raw), strings.ToUpper(charset), nil
	case "GB2312", "GBK", "GB18030", "CP936":
		s, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
		if err != nil {
			return "", "", fmt.Errorf("%s: GB18030 解码失败 / invalid GB18030: %w: %w", path, ErrEncoding, err)
		}
		return string(s), "GB18030", nil
	case "UNICODE":
		return "", "", fmt.Errorf("%s:%d: CHAR UNICODE 但文件不是 UTF-16 / CHAR UNICODE but the file is not UTF-16: %w", path, charLine, ErrEncoding)
	default:
		return "", "", fmt.Errorf("%s:%d: 不支持的字符集 CHAR %q，请另存为 UTF-8 / unsupported character set CHAR %q; save the file as UTF-8: %w", path, charLine, charset, charset, ErrEncoding)
	}
}

// gedHeadChar finds "1 CHAR x" in the header, before decoding: the tag
// and the usual values are ASCII in every encoding GEDCOM allows.
func gedHeadChar(raw []byte) (string, int) {
	for i, l := range splitLines(string(raw[:min(len(raw), 64<<10)])) {
		fields := strings.Fields(l)
		if len(fields) == 0 {
			continue
		}
		if i > 0 && fields[0] == "0" {
			break
		}
		if len(fields) >= 3 && fields[0] == "1" && fields[1] == "CHAR" {
			return fields[2], i + 1
		}
	}
	return "", 0
}

// gedLine is one physical line split into its parts.
type gedLine struct {
	n       int
	level   int
	xref    string
	tag     string
	value   string
	pointer string
}

func splitLines(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	return strings.Split(text, "\n")
}

// parseGEDLine reads "LEVEL [@XREF@] TAG [VALUE]". Leading white space
// (allowed by 5.5.1) is skipped; the value is kept as written after the
// single delimiter space.
func parseGEDLine(n int, s string) (gedLine, string, string) {
	l := gedLine{n: n}
	s = strings.TrimLeft(s, " \t")
	i := strings.IndexByte(s, ' ')
	if i < 0 {
		i = len(s)
	}
	lv := s[:i]
	if lv == "" || len(lv) > 2 || (len(lv) > 1 && lv[0] == '0') {
		return l, fmt.Sprintf("层级 %q 无效", lv), fmt.Sprintf("invalid level %q", lv)
	}
	level, err := strconv.Atoi(lv)
	if err != nil || level < 0 {
		return l, fmt.Sprintf("层级 %q 无效", lv), fmt.Sprintf("invalid level %q", lv)
	}
	l.level = level
	if i >= len(s) {
		return l, "缺少标签", "missing tag"
	}
	s = s[i+1:]
	if strings.HasPrefix(s, "@") {
		j := strings.IndexByte(s[1:], '@')
		if j < 1 {
			return l, "交叉引用标识（@…@）不完整", "unterminated cross-reference id (@…@)"
		}
		l.xref = s[1 : j+1]
		s = strings.TrimPrefix(s[j+2:], " ")
		if strings.ContainsAny(l.xref, " \t") {
			return l, fmt.Sprintf("交叉引用标识 @%s@ 含空格", l.xref), fmt.Sprintf("cross-reference id @%s@ contains a space", l.xref)
		}
	}
	i = strings.IndexByte(s, ' ')
	if i < 0 {
		l.tag = s
	} else {
		l.tag, l.value = s[:i], s[i+1:]
	}
	if l.tag == "" {
		return l, "缺少标签", "missing tag"
	}
	for _, r := range l.tag {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return l, fmt.Sprintf("标签 %q 含非法字符", l.tag), fmt.Sprintf("tag %q has an invalid character", l.tag)
		}
	}
	if v := l.value; len(v) > 2 && v[0] == '@' && v[len(v)-1] == '@' && v[1] != '@' && v[1] != '#' && !strings.Contains(v[1:len(v)-1], "@") {
		l.pointer = v[1 : len(v)-1]
	}
	if strings.HasPrefix(l.value, "@@") {
		l.value = l.value[1:] // 7.0 escape of a leading @; 5.5.1 doubles every @
	}
	return l, "", ""
}

func (f *GEDFile) parse(text string) error {
	lines := splitLines(text)
	f.lines = lines
	var stack []*GEDNode
	var cur *GEDNode // the level-0 record being read
	curBad := false
	seenHead, seenTrlr := false, false
	finish := func() {
		if cur != nil && !curBad {
			switch {
			case cur.Tag == "HEAD":
				f.Head = cur
			case cur.Tag == "TRLR":
			default:
				if cur.Xref != "" {
					if prev, dup := f.ByXref[cur.Xref]; dup {
						f.errorf(cur.Line, "", fmt.Sprintf("交叉引用标识 @%s@ 重复（第 %d 行已用）", cur.Xref, prev.Line),
							fmt.Sprintf("cross-reference id @%s@ used twice (first on line %d)", cur.Xref, prev.Line))
						break
					}
					f.ByXref[cur.Xref] = cur
				}
				f.Records = append(f.Records, cur)
			}
		}
		cur, curBad, stack = nil, false, stack[:0]
	}
	for i, s := range lines {
		n := i + 1
		if strings.TrimSpace(s) == "" {
			continue
		}
		l, zh, en := parseGEDLine(n, s)
		if zh == "" && l.level == 0 {
			finish()
		}
		if zh != "" {
			if !seenHead {
				return fmt.Errorf("%s:%d: 不是 GEDCOM 文件：首行应为「0 HEAD」（%s）/ not a GEDCOM file: the first line must be \"0 HEAD\" (%s): %w", f.Path, n, zh, en, ErrEncoding)
			}
			f.errorf(n, "", "行格式错误："+zh+"，所在记录未导入", "malformed line: "+en+"; its record is skipped")
			if strings.HasPrefix(strings.TrimLeft(s, " \t"), "0 ") {
				// A broken record header: what follows belongs to it.
				finish()
			}
			curBad = true
			continue
		}
		if !seenHead {
			if l.level != 0 || l.tag != "HEAD" {
				return fmt.Errorf("%s:%d: 不是 GEDCOM 文件：首行应为「0 HEAD」/ not a GEDCOM file: the first line must be \"0 HEAD\"", f.Path, n)
			}
			seenHead = true
		}
		if seenTrlr {
			f.errorf(n, "", "TRLR 之后还有内容，已忽略", "content after TRLR, ignored")
			break
		}
		node := &GEDNode{Line: n, Level: l.level, Xref: l.xref, Tag: l.tag, Value: l.value, Pointer: l.pointer}
		if l.level == 0 {
			cur = node
			stack = append(stack, node)
			if l.tag == "TRLR" {
				seenTrlr = true
			}
			continue
		}
		if cur == nil || curBad {
			continue
		}
		if l.level > len(stack) {
			f.errorf(n, "", fmt.Sprintf("层级从 %d 跳到 %d，所在记录未导入", len(stack)-1, l.level),
				fmt.Sprintf("level jumps from %d to %d; its record is skipped", len(stack)-1, l.level))
			curBad = true
			continue
		}
		stack = stack[:l.level]
		parent := stack[len(stack)-1]
		if l.tag == "CONT" || l.tag == "CONC" {
			if l.tag == "CONC" && f.Major == 7 {
				f.errorf(n, "", "GEDCOM 7.0 不再有 CONC，已按 5.5.1 处理", "GEDCOM 7.0 has no CONC; read as in 5.5.1")
			}
			sep := "\n"
			if l.tag == "CONC" {
				sep = ""
			}
			parent.Value += sep + l.value
			parent.Pointer = ""
			// CONT/CONC lines have no children; keep the stack as it is.
			stack = append(stack, node)
			continue
		}
		parent.Children = append(parent.Children, node)
		stack = append(stack, node)
		if cur.Tag == "HEAD" && f.Major == 0 && l.tag == "VERS" && parent.Tag == "GEDC" && l.level == 2 {
			if err := f.setVersion(l.value, n); err != nil {
				return err
			}
		}
	}
	finish()
	if !seenHead {
		return fmt.Errorf("%s: 空文件 / empty file", f.Path)
	}
	if f.Major == 0 {
		line := 1
		if f.Head != nil {
			line = f.Head.Line
		}
		return fmt.Errorf("%s:%d: HEAD 中没有 GEDC.VERS，无法判断 GEDCOM 版本 / no GEDC.VERS in HEAD: cannot tell the GEDCOM version", f.Path, line)
	}
	if !seenTrlr {
		f.errorf(len(lines), "", "文件没有 TRLR 结尾，可能不完整", "no TRLR at the end: the file may be truncated")
	}
	return nil
}

func (f *GEDFile) setVersion(v string, line int) error {
	v = strings.TrimSpace(v)
	f.Version = v
	switch {
	case v == "5.5.1", v == "5.5", v == "5.5.5":
		f.Major = 5
	case v == "7.0", strings.HasPrefix(v, "7.0."):
		f.Major = 7
	default:
		return fmt.Errorf("%s:%d: 不支持的 GEDCOM 版本 %q（支持 5.5.1 与 7.0）/ unsupported GEDCOM version %q (5.5.1 and 7.0 are supported)", f.Path, line, v, v)
	}
	return nil
}
