package site

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Labels are the words of the page around the content, in one language.
type Labels struct {
	Home, Skip, Languages, MainNav, Breadcrumb              string
	Latest, More, Subsections, Archive, ArchiveYears, Empty string
	Pages, Prev, Next, PageOf                               string
	Suggest, SuggestBody, Withdrawn                         string
	WithdrawnOn, Reason, Updates, Preview                   string
	Documents                                               string
	NotFound, NotFoundText, NoSite, NoSiteText              string
	Network, NetworkIntro                                   string
	SiteDescription, Print, Address                         string
	// Suggest to a friend
	ShareTitle, ShareIntro, ShareNoMail, ShareMailto, ShareSent, ShareSentOne, ShareBack string
	ShareTo, ShareToMore, ShareName, ShareFrom, ShareFromHint, ShareTrap, ShareSend      string
	ShareErrForm, ShareErrTooFast, ShareErrExpired, ShareErrText, ShareErrNoRecipient    string
	ShareErrTooMany, ShareErrAddress, ShareErrName, ShareErrFrom                         string
	ShareErrLimitClient, ShareErrLimitRecipient, ShareErrLimitSite                       string
	// Search
	Search, SearchTitle, SearchSite, SearchFilters, AnySection, AnyKind         string
	Section, Kind, Language, AllLanguages, From, To, Sort, Relevance, Newest    string
	Results, NoResults, NeedWords, OnlyExcluded, BadDate, TooMany, TooManyTitle string
	RankedOf                                                                    string
	Kinds                                                                       map[string]string
	MonthFormat                                                                 func(year, month int) string
	MonthShort                                                                  func(month int) string
}

var labels = map[string]Labels{
	"en": {
		Home: "Home", Skip: "Skip to main content", Languages: "Languages", MainNav: "Main sections", Breadcrumb: "You are here",
		Latest: "Latest", More: "More", Subsections: "Subsections", Archive: "Archive by month", ArchiveYears: "Archive by year", Empty: "Nothing has been published here yet.",
		Pages: "Pages", Prev: "← Newer", Next: "Older →", PageOf: "Page %d of %d",
		Suggest: "Suggest to a friend", SuggestBody: "I thought you would like to read this:", Withdrawn: "This article has been withdrawn. It is kept here for the record.",
		WithdrawnOn: "Withdrawn on", Reason: "Reason:", Updates: "Updates", Documents: "Documents", Preview: "Preview: this text is not published. Readers do not see it.",
		NotFound: "Page not found", NotFoundText: "There is no page at this address. It may have been mistyped; every page that was ever published here keeps its address.",
		NoSite: "No site at this address", NoSiteText: "This network has no site on the host name you asked for. These are its sites:",
		Network: "Sites of this network", NetworkIntro: "Choose a site to visit.",
		SiteDescription: "News, statements, speeches and documents of the %s.", Print: "Print", Address: "Address of this page:",
		ShareTitle:  "Suggest to a friend",
		ShareIntro:  "We will send each friend a short message with this article's title, summary and address, saying that you suggested it. Nothing else can be added to it, and the addresses are used for nothing else.",
		ShareNoMail: "This site does not send e-mail itself. The link below opens a message in your own e-mail program, ready to send to your friends.",
		ShareMailto: "Write to a friend about this article", ShareSent: "Thank you. Your suggestion is on its way to %d addresses.", ShareSentOne: "Thank you. Your suggestion is on its way.",
		ShareBack: "Back to the article", ShareTo: "Your friend's e-mail address", ShareToMore: "Another friend's e-mail address (optional)",
		ShareName: "Your name", ShareFrom: "Your e-mail address (optional)", ShareFromHint: "If you give it, your friends can reply to you.",
		ShareTrap: "Leave this field empty", ShareSend: "Send",
		ShareErrForm:           "This form can no longer be used. Please check the fields below and send it again.",
		ShareErrTooFast:        "The form was sent too quickly to have been filled in. Please check the fields below and send it again.",
		ShareErrExpired:        "This form has expired. Please check the fields below and send it again.",
		ShareErrText:           "The form contained text that cannot be read. Please type the addresses and your name again.",
		ShareErrNoRecipient:    "Give at least one e-mail address to send the suggestion to.",
		ShareErrTooMany:        "You can send a suggestion to at most %d addresses at a time.",
		ShareErrAddress:        "“%s” is not an e-mail address. Write it as name@example.org, one address per field.",
		ShareErrName:           "Give your name as you would sign a letter: letters, spaces, hyphens and apostrophes only, at most 60 characters, with no web or e-mail addresses.",
		ShareErrFrom:           "Your own e-mail address is not valid. Correct it, or leave the field empty.",
		ShareErrLimitClient:    "Too many suggestions have been sent from your network in the last hour. Please try again later.",
		ShareErrLimitRecipient: "One of these addresses has already received as many suggestions as we send to one person in an hour. Please try again later.",
		ShareErrLimitSite:      "This site has sent as many suggestions as it can in an hour. Please try again later.",
		Search:                 "Search", SearchTitle: "Search", SearchSite: "Search this site", SearchFilters: "Narrow the search",
		AnySection: "All sections", AnyKind: "All kinds", Section: "Section", Kind: "Kind", Language: "Language",
		AllLanguages: "All languages", From: "From", To: "To", Sort: "Order", Relevance: "Best match first", Newest: "Newest first",
		Results: "%d results", NoResults: "Nothing was found. Try fewer or other words, or remove a filter.",
		NeedWords:    "Type one or more words to search for. Put an exact phrase in \"quotes\"; put a minus sign before a word to leave it out.",
		OnlyExcluded: "Add at least one word to look for: words with a minus sign only leave results out.",
		BadDate:      "%q is not a date: write it as YYYY-MM-DD, for example 2024-05-31. The date was left out of the search.",
		TooMany:      "There have been too many searches from your address in the last minute. Please wait %d seconds and try again.",
		TooManyTitle: "Please wait a moment",
		RankedOf:     "More than %d results; the newest %d are shown here. Add words, or choose dates, to reach older ones.",
		Kinds: map[string]string{"news": "News", "statement": "Statements and speeches", "readout": "Readouts",
			"press-release": "Press releases", "document": "Documents", "page": "Pages"},
		MonthFormat: func(y, m int) string {
			return fmt.Sprintf("%s %d", []string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}[m], y)
		},
		MonthShort: func(m int) string {
			return []string{"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}[m]
		},
	},
	"zh": {
		Home: "首页", Skip: "跳到正文", Languages: "语言", MainNav: "主要栏目", Breadcrumb: "当前位置",
		Latest: "最新", More: "更多", Subsections: "子栏目", Archive: "按月归档", ArchiveYears: "按年归档", Empty: "本栏目尚无内容。",
		Pages: "分页", Prev: "← 较新", Next: "较早 →", PageOf: "第 %d 页，共 %d 页",
		Suggest: "推荐给朋友", SuggestBody: "推荐您阅读：", Withdrawn: "本文已撤回，仅作存档保留。",
		WithdrawnOn: "撤回时间：", Reason: "撤回原因：", Updates: "更新记录", Documents: "相关文件", Preview: "预览：本文尚未发布，读者看不到。",
		NotFound: "页面不存在", NotFoundText: "此地址没有页面，可能是地址输入有误。本站发布过的每个页面都保持原地址。",
		NoSite: "此地址没有网站", NoSiteText: "本网络在您访问的主机名上没有网站。本网络的网站如下：",
		Network: "本网络的网站", NetworkIntro: "请选择要访问的网站。",
		SiteDescription: "%s的新闻、声明、讲话和文件。", Print: "打印", Address: "本页地址：",
		ShareTitle:  "推荐给朋友",
		ShareIntro:  "我们将向您的每位朋友发送一封简短邮件，内含本文的标题、摘要和网址，并说明是您推荐的。邮件中不能添加其他内容，这些邮箱地址也不会用于其他用途。",
		ShareNoMail: "本站不直接发送邮件。点击下面的链接，将在您自己的邮件程序中打开一封写好的邮件，可发送给您的朋友。",
		ShareMailto: "写信向朋友推荐本文", ShareSent: "谢谢。您的推荐正在发往 %d 个邮箱地址。", ShareSentOne: "谢谢。您的推荐正在发送中。",
		ShareBack: "返回文章", ShareTo: "朋友的邮箱地址", ShareToMore: "其他朋友的邮箱地址（选填）",
		ShareName: "您的姓名", ShareFrom: "您的邮箱地址（选填）", ShareFromHint: "填写后，朋友可以直接回复您。",
		ShareTrap: "此栏请留空", ShareSend: "发送",
		ShareErrForm:           "此表单已无法使用。请检查下面各栏后重新发送。",
		ShareErrTooFast:        "表单提交过快，不像是人工填写。请检查下面各栏后重新发送。",
		ShareErrExpired:        "此表单已过期。请检查下面各栏后重新发送。",
		ShareErrText:           "表单中含有无法识别的文字。请重新输入邮箱地址和姓名。",
		ShareErrNoRecipient:    "请至少填写一个收件人的邮箱地址。",
		ShareErrTooMany:        "每次最多只能推荐给 %d 个邮箱地址。",
		ShareErrAddress:        "“%s”不是有效的邮箱地址。请按 name@example.org 的格式填写，每栏一个地址。",
		ShareErrName:           "请填写您的姓名：只能使用文字、空格、连字符和撇号，不超过 60 个字符，不能包含网址或邮箱地址。",
		ShareErrFrom:           "您的邮箱地址无效。请更正，或留空此栏。",
		ShareErrLimitClient:    "过去一小时内从您所在网络发出的推荐过多，请稍后再试。",
		ShareErrLimitRecipient: "其中一个邮箱地址在一小时内收到的推荐已达上限，请稍后再试。",
		ShareErrLimitSite:      "本站在一小时内发出的推荐已达上限，请稍后再试。",
		Search:                 "搜索", SearchTitle: "搜索", SearchSite: "站内搜索", SearchFilters: "缩小搜索范围",
		AnySection: "全部栏目", AnyKind: "全部类型", Section: "栏目", Kind: "类型", Language: "语言",
		AllLanguages: "全部语言", From: "起始日期", To: "截止日期", Sort: "排序", Relevance: "按相关度", Newest: "按时间（最新在前）",
		Results: "共 %d 条结果", NoResults: "没有找到结果。请减少或更换关键词，或去掉筛选条件。",
		NeedWords:    "请输入要搜索的词语。精确词组请加“引号”；在词前加减号可排除该词。",
		OnlyExcluded: "请至少输入一个要查找的词：带减号的词只用于排除结果。",
		BadDate:      "“%s”不是有效日期，请按 YYYY-MM-DD 格式填写，例如 2024-05-31。该日期未用于搜索。",
		TooMany:      "您所在地址在过去一分钟内搜索次数过多，请等待 %d 秒后再试。",
		TooManyTitle: "请稍候",
		RankedOf:     "结果超过 %d 条，此处显示最新的 %d 条。请增加关键词或选择日期范围以查找更早的内容。",
		Kinds: map[string]string{"news": "新闻", "statement": "讲话与发言", "readout": "会见会谈", "press-release": "新闻稿",
			"document": "文件", "page": "页面"},
		MonthFormat: func(y, m int) string { return fmt.Sprintf("%d年%d月", y, m) },
		MonthShort:  func(m int) string { return fmt.Sprintf("%d月", m) },
	},
}

// labelsFor returns the labels of lang, of its base language ("zh" for
// "zh-Hant"), or English.
func labelsFor(lang string) Labels {
	if l, ok := labels[lang]; ok {
		return l
	}
	if base, _, ok := strings.Cut(lang, "-"); ok {
		if l, ok := labels[base]; ok {
			return l
		}
	}
	return labels["en"]
}

// Autonym is a language's name in itself: "English", "中文", "العربية".
func Autonym(lang string) string {
	t, err := language.Parse(lang)
	if err != nil {
		return lang
	}
	if name := display.Self.Name(t); name != "" {
		return name
	}
	return lang
}
