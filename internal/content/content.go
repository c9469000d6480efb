// Package content holds Chancery's domain: sites, their languages and
// section trees, and articles with their translations, together with the
// rules that keep them valid. It does no I/O and imports nothing of the
// project, so every other package can depend on it.
package content

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Errors shared by every layer. Handlers test them with errors.Is.
var (
	// ErrNotFound is returned by store reads when the thing asked for does
	// not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict is returned by store writes that would break a uniqueness
	// rule: a host claimed by another site, a slug or address already taken.
	ErrConflict = errors.New("conflict")
)

// ValidationError lists what is wrong with a value, field by field, in words
// a person can act on. It is returned by the Validate methods and by store
// writes that refuse invalid input.
type ValidationError struct {
	// What names the thing that was checked, such as "site" or "article".
	What string
	// Fields maps a field name to the problem with it.
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k]
	}
	return fmt.Sprintf("invalid %s: %s", e.What, strings.Join(parts, "; "))
}

// problems collects field messages and becomes a *ValidationError, or nil
// when nothing was added.
type problems struct {
	what   string
	fields map[string]string
}

func (p *problems) add(field, format string, args ...any) {
	if p.fields == nil {
		p.fields = map[string]string{}
	}
	if _, ok := p.fields[field]; !ok {
		p.fields[field] = fmt.Sprintf(format, args...)
	}
}

func (p *problems) err() error {
	if len(p.fields) == 0 {
		return nil
	}
	return &ValidationError{What: p.what, Fields: p.fields}
}
