package mdtree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"
)

// maxFrontMatter caps the front matter a file may have. Real front matter
// is a few hundred bytes; the cap bounds what a hostile file can make the
// YAML decoder expand (its alias limits scale with the input's size).
const maxFrontMatter = 64 << 10

// frontMatter splits a file into its front matter, decoded with lower-cased
// keys, and its body. It reads YAML between "---" lines, TOML between
// "+++" lines, or a JSON object at the very start, as Hugo does.
func frontMatter(data []byte) (map[string]any, []byte, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	first, rest, _ := bytes.Cut(data, []byte("\n"))
	switch strings.TrimSpace(string(first)) {
	case "---":
		fm, body, err := fenced(rest, "---", "...")
		if err != nil {
			return nil, nil, err
		}
		m, err := yamlMap(fm)
		if err != nil {
			return nil, nil, err
		}
		return m, body, nil
	case "+++":
		fm, body, err := fenced(rest, "+++")
		if err != nil {
			return nil, nil, err
		}
		if err := tomlNesting(fm); err != nil {
			return nil, nil, err
		}
		m := map[string]any{}
		if _, err := toml.Decode(string(fm), &m); err != nil {
			var pe toml.ParseError
			if errors.As(err, &pe) {
				return nil, nil, fmt.Errorf("line %d: front matter is not valid TOML: %s", pe.Position.Line+1, pe.Message)
			}
			return nil, nil, fmt.Errorf("front matter is not valid TOML: %w", err)
		}
		return lowerKeys(m), body, nil
	}
	if bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{")) {
		return jsonFrontMatter(data)
	}
	return nil, nil, errors.New(`no front matter: the file does not start with "---", "+++" or a JSON object`)
}

// fenced returns the lines before the first closing line (any of ends)
// and what follows that line.
func fenced(data []byte, ends ...string) (fm, body []byte, err error) {
	for off := 0; off <= len(data); {
		if off > maxFrontMatter {
			return nil, nil, fmt.Errorf("front matter is longer than %d KiB", maxFrontMatter>>10)
		}
		line, _, found := bytes.Cut(data[off:], []byte("\n"))
		next := off + len(line) + 1
		for _, end := range ends {
			if strings.TrimRight(string(line), " \t\r") == end {
				return data[:off], data[min(next, len(data)):], nil
			}
		}
		if !found {
			break
		}
		off = next
	}
	return nil, nil, fmt.Errorf("front matter is not closed: no %q line after line 1", ends[0])
}

// maxNesting bounds how deeply TOML front matter may nest tables, arrays
// and dotted keys. The TOML decoder's time grows faster than the square of
// the depth (20,000 nested inline tables take a minute), and front matter
// never needs more than a few levels.
const maxNesting = 32

// tomlNesting checks TOML front matter against maxNesting before it is
// decoded, skipping strings and comments, whose brackets and dots are text.
func tomlNesting(fm []byte) error {
	tooDeep := fmt.Errorf("front matter nests tables, arrays or dotted keys more than %d levels deep", maxNesting)
	depth, dots := 0, 0
	for i := 0; i < len(fm); i++ {
		switch c := fm[i]; c {
		case '"', '\'':
			i = stringEnd(fm, i)
		case '#':
			if j := bytes.IndexByte(fm[i:], '\n'); j >= 0 {
				i += j - 1 // the newline itself resets the dotted key count
			} else {
				i = len(fm)
			}
		case '[', '{':
			if depth++; depth > maxNesting {
				return tooDeep
			}
		case ']', '}':
			depth = max(depth-1, 0)
		case '.':
			if dots++; dots > maxNesting {
				return tooDeep
			}
		case '\n', '=', ',':
			dots = 0
		}
	}
	return nil
}

// stringEnd returns the index of the last byte of the TOML string that
// starts at fm[i] (a quote): basic "…" and literal '…' strings end at their
// line, multi-line ones at their closing triple quote.
func stringEnd(fm []byte, i int) int {
	q := fm[i]
	if triple := []byte{q, q, q}; bytes.HasPrefix(fm[i:], triple) {
		for j := i + 3; j < len(fm); j++ {
			switch {
			case q == '"' && fm[j] == '\\':
				j++
			case bytes.HasPrefix(fm[j:], triple):
				return j + 2
			}
		}
		return len(fm)
	}
	for j := i + 1; j < len(fm); j++ {
		switch {
		case q == '"' && fm[j] == '\\':
			j++
		case fm[j] == q, fm[j] == '\n':
			return j
		}
	}
	return len(fm)
}

// yamlLine finds the line in the YAML decoder's messages ("yaml: line 3:
// did not find expected key").
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// yamlError says where in the file (not in the front matter) YAML failed:
// the front matter starts on the file's second line.
func yamlError(err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		if n, convErr := strconv.Atoi(m[1]); convErr == nil {
			return fmt.Errorf("line %d: front matter is not valid YAML: %s", n+1, msg[len(m[0]):])
		}
	}
	return fmt.Errorf("front matter is not valid YAML: %s", strings.TrimPrefix(msg, "yaml: "))
}

// yamlMap decodes YAML front matter. Timestamps are kept as the text they
// are written as, because decoded they would lose whether they had a zone:
// "2024-05-01" is a floating date, not midnight UTC.
func yamlMap(fm []byte) (map[string]any, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(fm, &doc); err != nil {
		return nil, yamlError(err)
	}
	m := map[string]any{}
	if len(doc.Content) == 0 {
		return m, nil
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: front matter is not a YAML mapping of keys to values", top.Line+1)
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!timestamp" {
			m[strings.ToLower(k.Value)] = v.Value
			continue
		}
		var x any
		if err := v.Decode(&x); err != nil {
			return nil, yamlError(err)
		}
		m[strings.ToLower(k.Value)] = x
	}
	return m, nil
}

// jsonFrontMatter decodes the JSON object a file starts with; the body
// follows it.
func jsonFrontMatter(data []byte) (map[string]any, []byte, error) {
	limited := data[:min(len(data), maxFrontMatter+1)]
	dec := json.NewDecoder(bytes.NewReader(limited))
	m := map[string]any{}
	if err := dec.Decode(&m); err != nil {
		if len(data) > maxFrontMatter {
			return nil, nil, fmt.Errorf("front matter is longer than %d KiB or not valid JSON: %v", maxFrontMatter>>10, err)
		}
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			line := 1 + bytes.Count(data[:min(int(syn.Offset), len(data))], []byte("\n"))
			return nil, nil, fmt.Errorf("line %d: front matter is not valid JSON: %v", line, err)
		}
		return nil, nil, fmt.Errorf("front matter is not valid JSON: %v", err)
	}
	return lowerKeys(m), data[dec.InputOffset():], nil
}

// lowerKeys makes front matter keys case-insensitive: Hugo accepts
// "Title" as well as "title".
func lowerKeys(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[strings.ToLower(k)] = v
	}
	return out
}
