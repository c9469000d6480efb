package feed

import (
	"bytes"
	"encoding/xml"
)

// xmlHeader starts every XML document this package writes.
const xmlHeader = `<?xml version="1.0" encoding="utf-8"?>` + "\n"

// Namespaces used in the XML formats.
const (
	atomNS    = "http://www.w3.org/2005/Atom"
	contentNS = "http://purl.org/rss/1.0/modules/content/"
)

// marshalXML encodes v after the XML declaration. The values are plain
// structs of strings, so encoding cannot fail; a failure would be a bug in
// this package and panics.
func marshalXML(v any) []byte {
	var buf bytes.Buffer
	buf.WriteString(xmlHeader)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic("feed: encoding XML: " + err.Error())
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}

// xmlText is element text. encoding/xml writes a string field's newlines and
// tabs as character references (&#xA;); written as a CharData token they stay
// literal, which keeps HTML bodies readable and smaller. Both parse the same.
type xmlText string

// MarshalXML writes t as the whole content of start.
func (t xmlText) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return encodeText(e, start, string(t))
}

// encodeText writes start, s as character data, and the end of start.
func encodeText(e *xml.Encoder, start xml.StartElement, s string) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if err := e.EncodeToken(xml.CharData(s)); err != nil {
		return err
	}
	return e.EncodeToken(start.End())
}

// xtext returns s cleaned for XML output as element text.
func xtext(s string) xmlText { return xmlText(clean(s)) }
