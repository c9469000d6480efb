package mail

import (
	"errors"
	"strings"
	"testing"
)

func TestParseAddress(t *testing.T) {
	long := strings.Repeat("a", 60) + "@" + strings.Repeat("b", 60) + "." + strings.Repeat("c", 60) + "." + strings.Repeat("d", 60) + "." + strings.Repeat("e", 60) + ".org" // 300+ bytes
	tests := []struct {
		in, want string
		err      error
	}{
		{"a@b.org", "a@b.org", nil},
		{"  Alex.Chen+news@Example.ORG \t", "Alex.Chen+news@example.org", nil},
		{"o'brien@mission.gov.ie", "o'brien@mission.gov.ie", nil},
		{"user@例子.中国", "user@xn--fsqu00a.xn--fiqs8s", nil},
		{"user@XN--FSQU00A.xn--fiqs8s", "user@xn--fsqu00a.xn--fiqs8s", nil},
		{"user@ＥＸＡＭＰＬＥ。com", "user@example.com", nil}, // UTS 46 mapping of full-width forms
		{"a-b@sub-1.example.co.uk", "a-b@sub-1.example.co.uk", nil},
		{strings.Repeat("x", 64) + "@b.org", strings.Repeat("x", 64) + "@b.org", nil},

		{"", "", ErrAddressEmpty},
		{"   ", "", ErrAddressEmpty},
		{"a@b.org\r\nBcc: x@y.org", "", ErrAddressInvalid},
		{"a@b.org\nBcc: x@y.org", "", ErrAddressInvalid},
		{"a@b.org\x00", "", ErrAddressInvalid},
		{"a\x7f@b.org", "", ErrAddressInvalid},
		{"a@b.org, c@d.org", "", ErrAddressInvalid},
		{"a@b.org,c@d.org", "", ErrAddressInvalid},
		{"a@b.org;c@d.org", "", ErrAddressInvalid},
		{"<a@b.org>", "", ErrAddressInvalid},
		{"Name <a@b.org>", "", ErrAddressInvalid},
		{"\"Name\" <a@b.org>", "", ErrAddressInvalid},
		{"a@b.org (comment)", "", ErrAddressInvalid},
		{"a(comment)@b.org", "", ErrAddressInvalid},
		{"\"a b\"@b.org", "", ErrAddressInvalid},
		{"a b@b.org", "", ErrAddressInvalid},
		{"a\u00a0b@b.org", "", ErrAddressInvalid},
		{"ab.org", "", ErrAddressInvalid},
		{"a@@b.org", "", ErrAddressInvalid},
		{"a@b@c.org", "", ErrAddressInvalid},
		{"@b.org", "", ErrAddressInvalid},
		{"a@", "", ErrAddressInvalid},
		{".a@b.org", "", ErrAddressInvalid},
		{"a.@b.org", "", ErrAddressInvalid},
		{"a..b@b.org", "", ErrAddressInvalid},
		{"a@localhost", "", ErrAddressInvalid},
		{"a@[127.0.0.1]", "", ErrAddressInvalid},
		{"a@[IPv6:::1]", "", ErrAddressInvalid},
		{"a@127.0.0.1", "", ErrAddressInvalid},
		{"a@b..org", "", ErrAddressInvalid},
		{"a@b.org.", "", ErrAddressInvalid},
		{"a@-b.org", "", ErrAddressInvalid},
		{"a@b-.org", "", ErrAddressInvalid},
		{"a@b_c.org", "", ErrAddressInvalid},
		{"a@xn--abc.org", "", ErrAddressInvalid}, // not valid punycode
		{"用户@例子.中国", "", ErrAddressInvalid},      // non-ASCII local part (needs SMTPUTF8)
		{"a@b.org\xff", "", ErrAddressInvalid},
		{"a@" + strings.Repeat("b", 64) + ".org", "", ErrAddressInvalid}, // label > 63
		{strings.Repeat("x", 65) + "@b.org", "", ErrAddressTooLong},
		{long, "", ErrAddressTooLong},
		{strings.Repeat("a", 300), "", ErrAddressInvalid},
		{strings.Repeat("a", 1100) + "@b.org", "", ErrAddressTooLong},
	}
	for _, tt := range tests {
		got, err := ParseAddress(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("ParseAddress(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
	if len(long) <= 254 {
		t.Fatalf("test address is only %d bytes", len(long))
	}
}

func TestCheckName(t *testing.T) {
	tests := []struct {
		in, want string
		err      error
	}{
		{"Alex Chen", "Alex Chen", nil},
		{"  Alex   Chen ", "Alex Chen", nil},
		{"Alex\tChen", "", ErrNameInvalid}, // a tab is a control character too
		{"J. Smith", "J. Smith", nil},
		{"John Smith Jr.", "John Smith Jr.", nil},
		{"Mary-Jane O'Neil", "Mary-Jane O'Neil", nil},
		{"D’Arcy", "D’Arcy", nil},
		{"陈小明", "陈小明", nil},
		{"约翰·史密斯", "约翰·史密斯", nil},
		{"Zoë Ångström", "Zoë Ångström", nil},
		{"Zoe\u0308", "Zoë", nil}, // NFC
		{"Nguyễn Văn An", "Nguyễn Văn An", nil},
		{"देवनागरी नाम", "देवनागरी नाम", nil},
		{"محمد علي", "محمد علي", nil},
		{"Анна Иванова", "Анна Иванова", nil},
		{"陈\u3000小明", "陈 小明", nil}, // ideographic space collapsed
		{strings.Repeat("é", 60), strings.Repeat("é", 60), nil},

		{"", "", ErrNameEmpty},
		{" \u00a0 ", "", ErrNameEmpty},
		{"evil.com", "", ErrNameInvalid},
		{"Visit evil.com now", "", ErrNameInvalid},
		{"J.Smith", "", ErrNameInvalid},
		{"a@b.org", "", ErrNameInvalid},
		{"http://evil.com", "", ErrNameInvalid},
		{"https: evil", "", ErrNameInvalid},
		{"a/b", "", ErrNameInvalid},
		{"<b>Alex</b>", "", ErrNameInvalid},
		{"Alex\r\nBcc: x@y.org", "", ErrNameInvalid},
		{"Alex\nChen", "", ErrNameInvalid},
		{"Alex\x00", "", ErrNameInvalid},
		{"Alex\xff", "", ErrNameInvalid},
		{"Agent 007", "", ErrNameInvalid},
		{"Alex 😀", "", ErrNameInvalid},
		{"ℹ\ufe0f", "", ErrNameInvalid},
		{"\u0301Alex", "", ErrNameInvalid},
		{"Z" + strings.Repeat("\u0301", 10), "", ErrNameInvalid},
		{"Alex\u202eChen", "", ErrNameInvalid}, // bidi override
		{"Alex\u200bChen", "", ErrNameInvalid}, // zero-width space
		{"evil。com", "", ErrNameInvalid},
		{"evil．com", "", ErrNameInvalid},
		{". Alex", "", ErrNameInvalid},
		{"·Alex", "", ErrNameInvalid},
		{"\"Alex\"", "", ErrNameInvalid},
		{"Alex, Chen", "", ErrNameInvalid},
		{strings.Repeat("a", 61), "", ErrNameTooLong},
		{strings.Repeat("陈", 61), "", ErrNameTooLong},
	}
	for _, tt := range tests {
		got, err := CheckName(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("CheckName(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}
