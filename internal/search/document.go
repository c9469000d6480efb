package search

import "chancery/internal/markup"

// BodyText is the text of an article that the index holds besides its
// title, and that snippets are cut from: the summary, then the body's
// words. Engines index it and results show it, so a word that found an
// article is always one a snippet can show.
func BodyText(summary, bodyHTML string) string {
	if summary == "" {
		return markup.Text(bodyHTML)
	}
	return summary + "\n" + markup.Text(bodyHTML)
}
