package site

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Labels are the words of the page around the content, in one language.
type Labels struct {
	Home, Skip, Languages, MainNav, Breadcrumb string
	Latest, More, Subsections, Archive, Empty  string
	Pages, Prev, Next, PageOf                  string
	Suggest, SuggestBody, Withdrawn            string
	NotFound, NotFoundText, NoSite, NoSiteText string
	Network, NetworkIntro                      string
	SiteDescription, Print, Address            string
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
		Latest: "Latest", More: "More", Subsections: "Subsections", Archive: "Archive by month", Empty: "Nothing has been published here yet.",
		Pages: "Pages", Prev: "← Newer", Next: "Older →", PageOf: "Page %d of %d",
		Suggest: "Suggest to a friend", SuggestBody: "I thought you would like to read this:", Withdrawn: "This article has been withdrawn. It is kept here for the record.",
		NotFound: "Page not found", NotFoundText: "There is no page at this address. It may have been mistyped; every page that was ever published here keeps its address.",
		NoSite: "No site at this address", NoSiteText: "This network has no site on the host name you asked for. These are its sites:",
		Network: "Sites of this network", NetworkIntro: "Choose a site to visit.",
		SiteDescription: "News, statements, speeches and documents of the %s.", Print: "Print", Address: "Address of this page:",
		Search: "Search", SearchTitle: "Search", SearchSite: "Search this site", SearchFilters: "Narrow the search",
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
		Latest: "最新", More: "更多", Subsections: "子栏目", Archive: "按月归档", Empty: "本栏目尚无内容。",
		Pages: "分页", Prev: "← 较新", Next: "较早 →", PageOf: "第 %d 页，共 %d 页",
		Suggest: "推荐给朋友", SuggestBody: "推荐您阅读：", Withdrawn: "本文已撤回，仅作存档保留。",
		NotFound: "页面不存在", NotFoundText: "此地址没有页面，可能是地址输入有误。本站发布过的每个页面都保持原地址。",
		NoSite: "此地址没有网站", NoSiteText: "本网络在您访问的主机名上没有网站。本网络的网站如下：",
		Network: "本网络的网站", NetworkIntro: "请选择要访问的网站。",
		SiteDescription: "%s的新闻、声明、讲话和文件。", Print: "打印", Address: "本页地址：",
		Search: "搜索", SearchTitle: "搜索", SearchSite: "站内搜索", SearchFilters: "缩小搜索范围",
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
