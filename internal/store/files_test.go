package store

import "testing"

func TestFileName(t *testing.T) {
	for _, tt := range []struct{ name, ctype, want string }{
		{"eng/zgyw/202207/P020220730.pdf", "application/pdf", "P020220730.pdf"},
		{"a/Report 2024 (final).PDF", "application/pdf", "Report-2024--final.PDF"},
		{"a/download.aspx", "application/pdf", "download.aspx.pdf"},
		{"a/photo", "image/jpeg", "photo.jpg"},
		{"a/图片.png", "image/png", "file.png"},
		{"a/...", "image/png", "file.png"},
		{"a/x.tar.gz", "application/zip", "x-tar.gz.zip"},
	} {
		if got := FileName(tt.name, tt.ctype); got != tt.want {
			t.Errorf("FileName(%q, %s) = %q; want %q", tt.name, tt.ctype, got, tt.want)
		}
	}
}
