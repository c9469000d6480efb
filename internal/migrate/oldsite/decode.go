package oldsite

import (
	"bytes"
	"errors"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

var (
	errEmpty  = errors.New("empty file")
	errBinary = errors.New("binary data, not a web page")
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// prescanSize is how much of a page is searched for its charset
// declaration. The HTML standard stops at 1,024 bytes, but the old
// platform's heads carry long scripts and style sheets before the meta.
const prescanSize = 8 << 10

// decode returns the text of a page as valid UTF-8. Old pages are often
// GBK and as often declare a charset their bytes do not have, so the bytes
// are trusted before the declaration: a byte order mark decides; bytes
// that are valid UTF-8 are UTF-8 whatever the page says; otherwise the
// declared charset is used, with GB18030 (a superset of GB2312 and GBK)
// standing in for the Chinese ones.
func decode(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		return strings.ToValidUTF8(string(data[len(bomUTF8):]), "\uFFFD"), nil
	case bytes.HasPrefix(data, bomUTF16LE):
		return decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), data), nil
	case bytes.HasPrefix(data, bomUTF16BE):
		return decodeWith(unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), data), nil
	}
	if isBinary(data) {
		return "", errBinary
	}
	if n, ok := utf8Length(data); ok {
		// ASCII reads the same in every charset these pages use, and
		// valid UTF-8 with non-ASCII in it is all but never an accident.
		return string(data[:n]), nil
	}
	enc, name := declaredCharset(data)
	switch name {
	case "gbk", "gb18030":
		return decodeWith(simplifiedchinese.GB18030, data), nil
	case "utf-8", "utf-16le", "utf-16be", "":
		// The bytes are not UTF-8 (nor UTF-16, which no page with an
		// ASCII meta can be). Pages of this platform that say so, or say
		// nothing, were almost always written by its Chinese tools in GBK.
		if s, ok := cleanGB18030(data); ok {
			return s, nil
		}
		if name == "" {
			enc, _, _ = charset.DetermineEncoding(data, "text/html")
			return decodeWith(enc, data), nil
		}
		return strings.ToValidUTF8(string(data), "\uFFFD"), nil
	default:
		return decodeWith(enc, data), nil
	}
}

// decodeWith decodes data, replacing what does not decode.
func decodeWith(enc encoding.Encoding, data []byte) string {
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

// cleanGB18030 decodes data as GB18030 and reports whether every byte
// decoded. A character cut off at the very end of a truncated file does
// not count against it and is dropped.
func cleanGB18030(data []byte) (string, bool) {
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", false
	}
	s := string(out)
	for i := 0; i < utf8.UTFMax-1 && strings.HasSuffix(s, "\uFFFD"); i++ {
		s = strings.TrimSuffix(s, "\uFFFD")
	}
	if strings.ContainsRune(s, utf8.RuneError) {
		return "", false
	}
	return s, true
}

// utf8Length reports whether data reads as UTF-8 and how many of its bytes
// to keep: all of them, or all but a character cut off at the end of a
// truncated file.
func utf8Length(data []byte) (int, bool) {
	if utf8.Valid(data) {
		return len(data), true
	}
	for i := len(data) - 1; i >= 0 && i >= len(data)-utf8.UTFMax; i-- {
		if utf8.RuneStart(data[i]) {
			if !utf8.FullRune(data[i:]) && utf8.Valid(data[:i]) {
				return i, true
			}
			return 0, false
		}
	}
	return 0, false
}

// binarySignatures open the files a mirror keeps next to its pages
// (documents, images, archives): some of them, PDF above all, start with
// text and would otherwise pass for a page.
var binarySignatures = [][]byte{
	[]byte("%PDF-"), []byte("\x89PNG"), []byte("GIF8"), []byte("\xFF\xD8\xFF"), []byte("PK\x03\x04"),
	[]byte("\x1F\x8B"), []byte("{\\rtf"), []byte("\xD0\xCF\x11\xE0"),
}

// isBinary reports whether data is a known kind of file other than a page,
// or its start holds bytes no web page has: NUL, or more than a few
// control characters.
func isBinary(data []byte) bool {
	for _, sig := range binarySignatures {
		if bytes.HasPrefix(data, sig) {
			return true
		}
	}
	head := data[:min(len(data), 1024)]
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	ctrl := 0
	for _, c := range head {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			ctrl++
		}
	}
	return ctrl*20 > len(head)
}

// declaredCharset returns the encoding a page declares in a meta element
// of its head and its canonical name ("gbk", "utf-8", "windows-1252"), or
// a nil encoding and "" when it declares none the standard knows.
func declaredCharset(data []byte) (encoding.Encoding, string) {
	z := html.NewTokenizer(bytes.NewReader(data[:min(len(data), prescanSize)]))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return nil, ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body":
				return nil, ""
			case "meta":
				label := metaCharset(z, hasAttr)
				if label == "" {
					continue
				}
				enc, err := htmlindex.Get(label)
				if err != nil {
					continue
				}
				if n, err := htmlindex.Name(enc); err == nil {
					return enc, n
				}
			}
		}
	}
}

// metaCharset returns the charset label a meta tag gives, as
// <meta charset="…"> or <meta http-equiv="Content-Type" content="…; charset=…">.
func metaCharset(z *html.Tokenizer, hasAttr bool) string {
	var content string
	for hasAttr {
		var key, val []byte
		key, val, hasAttr = z.TagAttr()
		switch strings.ToLower(string(key)) {
		case "charset":
			return strings.TrimSpace(string(val))
		case "content":
			content = string(val)
		}
	}
	i := strings.Index(strings.ToLower(content), "charset=")
	if i < 0 {
		return ""
	}
	label := strings.TrimLeft(content[i+len("charset="):], " \"'")
	if j := strings.IndexAny(label, " ;\"'"); j >= 0 {
		label = label[:j]
	}
	return label
}
