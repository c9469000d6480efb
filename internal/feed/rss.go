package feed

import "encoding/xml"

// rssDoc is <rss>. The atom and content prefixes are declared on the root
// and their elements named with the prefix, which is how RSS readers
// expect them.
type rssDoc struct {
	XMLName   xml.Name   `xml:"rss"`
	Version   string     `xml:"version,attr"`
	AtomNS    string     `xml:"xmlns:atom,attr"`
	ContentNS string     `xml:"xmlns:content,attr"`
	Channel   rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         xmlText   `xml:"title"`
	Link          xmlText   `xml:"link"`
	Description   xmlText   `xml:"description"`
	Language      xmlText   `xml:"language,omitempty"`
	LastBuildDate xmlText   `xml:"lastBuildDate"`
	Self          *atomLink `xml:"atom:link,omitempty"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       xmlText `xml:"title"`
	Link        xmlText `xml:"link"`
	GUID        rssGUID `xml:"guid"`
	PubDate     xmlText `xml:"pubDate"`
	Updated     xmlText `xml:"atom:updated"`
	Description xmlText `xml:"description"`
	Content     xmlText `xml:"content:encoded,omitempty"`
	Category    xmlText `xml:"category,omitempty"`
}

// rssGUID is <guid isPermaLink="false">: the permanent id, not an address.
type rssGUID string

// MarshalXML writes the guid with its isPermaLink attribute.
func (g rssGUID) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: "isPermaLink"}, Value: "false"})
	return encodeText(e, start, string(g))
}

// RSS returns f as an RSS 2.0 document.
//
// Each item's guid is its permanent id (isPermaLink="false"), its link the
// URL, its description the summary and, when the entry has HTML, its
// content:encoded the body. The item's update time is given as
// atom:updated, which RSS lacks; the channel links itself with
// atom:link rel="self". RSS wants an e-mail address for an author, so
// Publisher is not used. Description falls back to Title, since RSS
// requires a channel description.
func RSS(f Feed) []byte {
	desc := f.Description
	if desc == "" {
		desc = f.Title
	}
	doc := rssDoc{
		Version:   "2.0",
		AtomNS:    atomNS,
		ContentNS: contentNS,
		Channel: rssChannel{
			Title:         xtext(f.Title),
			Link:          xtext(f.HomeURL),
			Description:   xtext(desc),
			Language:      xtext(f.Language),
			LastBuildDate: xmlText(rfc1123z(feedUpdated(f))),
			Items:         make([]rssItem, 0, len(f.Entries)),
		},
	}
	if f.RSSURL != "" {
		doc.Channel.Self = &atomLink{Rel: "self", Type: "application/rss+xml", Href: clean(f.RSSURL)}
	}
	for _, e := range f.Entries {
		published, updated := entryDates(e)
		doc.Channel.Items = append(doc.Channel.Items, rssItem{
			Title:       xtext(e.Title),
			Link:        xtext(e.URL),
			GUID:        rssGUID(entryID(e)),
			PubDate:     xmlText(rfc1123z(published)),
			Updated:     xmlText(rfc3339(updated)),
			Description: xtext(e.Summary),
			Content:     xtext(e.HTML),
			Category:    xtext(e.Category),
		})
	}
	return marshalXML(doc)
}
