package markup

import (
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	tests := []struct {
		name, in  string
		want      []string
		forbidden []string
	}{
		{"paragraphs", "First.\n\nSecond.", []string{"<p>First.</p>", "<p>Second.</p>"}, nil},
		{"heading ids", "## Water Security\n\n## 水安全\n\n## 水安全", []string{`id="water-security"`, `id="section-2"`, `id="section-3"`}, []string{`id="heading"`}},
		{"list and quote", "- one\n- two\n\n> quoted", []string{"<li>one</li>", "<blockquote>"}, nil},
		{"links keep", "[UN](https://www.un.org/)", []string{`href="https://www.un.org/"`}, []string{"nofollow"}},
		{"script removed", "Hello <script>alert(1)</script>", []string{"Hello"}, []string{"<script", "alert(1)"}},
		{"event handler removed", `<p onclick="steal()">Hi</p>`, []string{"<p>Hi</p>"}, []string{"onclick"}},
		{"javascript url removed", "[x](javascript:alert(1))", nil, []string{"javascript:"}},
		{"pasted html kept", "<p>Pasted <strong>bold</strong></p>", []string{"<strong>bold</strong>"}, nil},
		{"iframe removed", `<iframe src="https://evil.example"></iframe>`, nil, []string{"iframe"}},
		{"style removed", `<p style="position:fixed">x</p>`, nil, []string{"style="}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Render(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Render(%q) = %q; missing %q", tt.in, got, w)
				}
			}
			for _, f := range tt.forbidden {
				if strings.Contains(got, f) {
					t.Errorf("Render(%q) = %q; must not contain %q", tt.in, got, f)
				}
			}
		})
	}
}

// FuzzRender checks that no input makes the renderer fail or lets a script
// element or an inline event handler through.
func FuzzRender(f *testing.F) {
	for _, s := range []string{"# T\n\ntext", "<script>x</script>", "<img src=x onerror=alert(1)>", "[a](javascript:x)", "中文段落", "<<>>&&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := Render(in)
		if err != nil {
			t.Fatal(err)
		}
		low := strings.ToLower(out)
		if strings.Contains(low, "<script") || strings.Contains(low, " onerror=") || strings.Contains(low, " onclick=") {
			t.Fatalf("unsafe output %q from %q", out, in)
		}
	})
}

func TestText(t *testing.T) {
	in := `<h2 id="x">Water&nbsp;Security</h2><p>First <strong>point</strong> &amp; more.</p><ul><li>one</li><li>two</li></ul><script>evil()</script><p>中文段落</p>`
	got := Text(in)
	for _, want := range []string{"Water\u00a0Security", "First point & more.", "one\n", "two", "中文段落"} {
		if !strings.Contains(got, want) {
			t.Errorf("Text() = %q; missing %q", got, want)
		}
	}
	if strings.Contains(got, "evil") || strings.Contains(got, "<") {
		t.Errorf("Text() = %q; kept markup or script", got)
	}
	if strings.Contains(got, "Securityfirst") || strings.Contains(got, "onetwo") {
		t.Errorf("Text() = %q; ran two blocks together", got)
	}
}
