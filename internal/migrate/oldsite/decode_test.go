package oldsite

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

func gbk(t *testing.T, s string) string {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecode(t *testing.T) {
	const zh = "<p>驻瓦尔多利亚使馆举行开放日活动</p>"
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String("<html>" + zh)
	if err != nil {
		t.Fatal(err)
	}
	latin, err := charmap.Windows1252.NewEncoder().String("<p>Café “Lindhaven”</p>")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"ASCII", `<meta charset="gb2312"><p>plain</p>`, `<meta charset="gb2312"><p>plain</p>`},
		{"UTF-8 byte order mark", "\xEF\xBB\xBF" + zh, zh},
		{"UTF-16 byte order mark", utf16, "<html>" + zh},
		{"UTF-8 declared gb2312", `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">` + zh,
			`<meta http-equiv="Content-Type" content="text/html; charset=gb2312">` + zh},
		{"GBK declared gb2312", `<meta content="text/html; charset=gb2312" http-equiv="Content-Type">` + gbk(t, zh),
			`<meta content="text/html; charset=gb2312" http-equiv="Content-Type">` + zh},
		{"GBK declared GBK", `<meta charset='GBK'>` + gbk(t, zh), `<meta charset='GBK'>` + zh},
		{"GBK declared utf-8", `<meta charset="utf-8">` + gbk(t, zh), `<meta charset="utf-8">` + zh},
		{"GBK undeclared", gbk(t, zh), zh},
		{"GB18030 four-byte character", `<meta charset="gb2312">` + gbk(t, "<p>中") + "\x81\x30\x81\x30" + "</p>", `<meta charset="gb2312"><p>中` + "\u0080" + "</p>"},
		{"UTF-8 cut inside a character", zh + "<p>中"[:len("<p>中")-1], zh + "<p>"},
		{"GBK declared utf-8, cut inside a character", `<meta charset="utf-8">` + gbk(t, zh+"中")[:len(gbk(t, zh+"中"))-1], `<meta charset="utf-8">` + zh},
		{"windows-1252 declared", `<meta charset="windows-1252">` + latin, `<meta charset="windows-1252"><p>Café “Lindhaven”</p>`},
		{"broken bytes declared utf-8", "<meta charset=\"utf-8\"><p>a\xFF\xFEb</p>", "<meta charset=\"utf-8\"><p>a\uFFFDb</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decode([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("decode = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDecodeBinary(t *testing.T) {
	for _, in := range []string{"\x89PNG\r\n\x1a\n", "%PDF-1.4\n", "PK\x03\x04", "\x1F\x8B\x08", "<html>\x00\x00\x00", strings.Repeat("\x01\x02<", 50)} {
		if _, err := decode([]byte(in)); err != errBinary {
			t.Errorf("decode(%q) error = %v, want %v", in, err, errBinary)
		}
	}
}
