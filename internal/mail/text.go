package mail

import "strings"

// text is the fixed wording of a suggestion in one language.
type text struct {
	lang    string // Content-Language value
	subject func(sender, title string) string
	// intro, closing and reply are printf-free on purpose: the values are
	// concatenated, so a "%" in a title cannot disturb the text.
	intro   func(sender, site string) string
	closing func(sender, site string) string
	reply   func(sender string) string
}

var english = text{
	lang: "en",
	subject: func(sender, title string) string {
		return sender + " suggests: " + title
	},
	intro: func(sender, site string) string {
		return sender + " thought you would be interested in this article from " + site + ":"
	},
	closing: func(sender, site string) string {
		return "This message was sent from the \"suggest to a friend\" form of " + site +
			" at the request of a reader who gave the name " + sender + ". " +
			"The site adds no other text to these messages and does not use your address for anything else. " +
			"If you were not expecting it, you can simply ignore it."
	},
	reply: func(sender string) string {
		return "Replying to this message reaches " + sender + "."
	},
}

var chinese = text{
	lang: "zh",
	subject: func(sender, title string) string {
		return sender + " 向您推荐：" + title
	},
	intro: func(sender, site string) string {
		return sender + " 认为您可能会对" + site + "的这篇文章感兴趣："
	},
	closing: func(sender, site string) string {
		return "本邮件是" + site + "网站应一位署名为 " + sender + " 的读者的请求，通过“推荐给朋友”功能发出的。" +
			"网站不会在此类邮件中添加任何其他内容，也不会将您的邮箱地址用于其他用途。" +
			"如果您并未期待这封邮件，可以直接忽略。"
	},
	reply: func(sender string) string {
		return "直接回复本邮件即可联系 " + sender + "。"
	},
}

// textFor picks the wording for a language tag: Chinese for "zh" and its
// subtags ("zh-Hans", "zh_CN"), English for everything else.
func textFor(lang string) text {
	l := strings.ToLower(lang)
	if l == "zh" || strings.HasPrefix(l, "zh-") || strings.HasPrefix(l, "zh_") {
		return chinese
	}
	return english
}

// body lays out the message text with CRLF line ends: the introduction,
// title, summary, the link on a line of its own, then the closing
// paragraph.
func (t text) body(sender, site, title, summary, link string, canReply bool) string {
	var b strings.Builder
	line := func(s string) {
		b.WriteString(s)
		b.WriteString("\r\n")
	}
	line(t.intro(sender, site))
	line("")
	line(title)
	line("")
	if summary != "" {
		line(summary)
		line("")
	}
	line(link)
	line("")
	line("-- ")
	line(t.closing(sender, site))
	if canReply {
		line(t.reply(sender))
	}
	return b.String()
}
