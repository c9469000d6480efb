package feed

import "encoding/xml"

// atomFeed is <feed> of RFC 4287.
type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr,omitempty"`
	ID       xmlText     `xml:"id"`
	Title    atomText    `xml:"title"`
	Subtitle *atomText   `xml:"subtitle,omitempty"`
	Updated  xmlText     `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Entries  []atomEntry `xml:"entry"`
}

type atomEntry struct {
	ID        xmlText       `xml:"id"`
	Title     atomText      `xml:"title"`
	Link      atomLink      `xml:"link"`
	Published xmlText       `xml:"published"`
	Updated   xmlText       `xml:"updated"`
	Summary   *atomText     `xml:"summary,omitempty"`
	Content   *atomText     `xml:"content,omitempty"`
	Category  *atomCategory `xml:"category,omitempty"`
}

// atomText is a text construct of type "text" or "html".
type atomText struct {
	Type  string
	Value string
}

// MarshalXML writes the construct with its type attribute.
func (t atomText) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: "type"}, Value: t.Type})
	return encodeText(e, start, t.Value)
}

// atomLink is <link> of Atom, also used inside RSS as atom:link (the field
// tag there gives the prefixed name).
type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name xmlText `xml:"name"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// Atom returns f as an Atom (RFC 4287) document.
//
// The feed links HomeURL as rel="alternate" (text/html) and AtomURL as
// rel="self"; its author is Publisher (or Title, since Atom requires an
// author); Description becomes the subtitle. Each entry links its URL as
// rel="alternate" and carries its summary as type="text" and, when it has
// HTML, the body as content type="html".
func Atom(f Feed) []byte {
	doc := atomFeed{
		Lang:    clean(f.Language),
		ID:      xmlText(feedID(f)),
		Title:   atomText{Type: "text", Value: clean(f.Title)},
		Updated: xmlText(rfc3339(feedUpdated(f))),
		Author:  atomPerson{Name: xmlText(publisher(f))},
		Entries: make([]atomEntry, 0, len(f.Entries)),
	}
	if f.Description != "" {
		doc.Subtitle = &atomText{Type: "text", Value: clean(f.Description)}
	}
	if f.HomeURL != "" {
		doc.Links = append(doc.Links, atomLink{Rel: "alternate", Type: "text/html", Href: clean(f.HomeURL)})
	}
	if f.AtomURL != "" {
		doc.Links = append(doc.Links, atomLink{Rel: "self", Type: "application/atom+xml", Href: clean(f.AtomURL)})
	}
	for _, e := range f.Entries {
		published, updated := entryDates(e)
		ae := atomEntry{
			ID:        xmlText(entryID(e)),
			Title:     atomText{Type: "text", Value: clean(e.Title)},
			Link:      atomLink{Rel: "alternate", Type: "text/html", Href: clean(e.URL)},
			Published: xmlText(rfc3339(published)),
			Updated:   xmlText(rfc3339(updated)),
		}
		if e.Summary != "" {
			ae.Summary = &atomText{Type: "text", Value: clean(e.Summary)}
		}
		if e.HTML != "" {
			ae.Content = &atomText{Type: "html", Value: clean(e.HTML)}
		}
		if e.Category != "" {
			ae.Category = &atomCategory{Term: clean(e.Category)}
		}
		doc.Entries = append(doc.Entries, ae)
	}
	return marshalXML(doc)
}
