package admin

import (
	"fmt"
	"regexp"
	"strings"

	"chancery/internal/content"
)

// translate gives the Chinese of an interface phrase; English phrases are
// their own keys, so a phrase missing here shows in English (a test lists
// every phrase the templates and handlers use, and fails on a missing
// one).
func translate(lang, s string) string {
	table := en
	if lang == "zh" {
		table = zh
	}
	if t, ok := table[s]; ok {
		return t
	}
	return s
}

// en names the values shown through T that are codes, not phrases: kinds,
// statuses and roles.
var en = map[string]string{
	"news": "News", "statement": "Statement or speech", "readout": "Readout", "press-release": "Press release",
	"document": "Document", "page": "Standing page",
	"draft": "Draft", "scheduled": "Scheduled", "published": "Published", "withdrawn": "Withdrawn",
	"admin": "Administrator", "editor": "Editor", "author": "Author", "translator": "Translator",
}

// patterns translate the problems that name what was typed ("%q is not a
// usable address segment"): the English form with its quoted value, and
// the Chinese with $1 where the value goes.
var patterns = []struct {
	re *regexp.Regexp
	zh string
}{
	{regexp.MustCompile(`^the section needs a name in every language of the site: none given for ("[^"]*")$`), "栏目须有本站每种语言的名称：缺少 $1 的名称"},
	{regexp.MustCompile(`^the section needs an address segment in every language of the site: none given for ("[^"]*")$`), "栏目须有本站每种语言的地址段：缺少 $1 的地址段"},
	{regexp.MustCompile(`^("[^"]*") is not a usable address segment: use lower-case letters, digits, hyphens and underscores$`), "$1 不能用作地址段：请使用小写字母、数字、连字符和下划线"},
	{regexp.MustCompile(`^("[^"]*") is reserved for the site's own addresses: choose another$`), "$1 为网站自身地址所保留：请另选"},
	{regexp.MustCompile(`^("[^"]*") has no letter: address segments of digits alone are taken by date archives$`), "$1 不含字母：纯数字地址段用于日期归档"},
	{regexp.MustCompile(`^the section does not belong to site ("[^"]*")$`), "该栏目不属于站点 $1"},
	{regexp.MustCompile(`^(.+) has passed: choose a time to come, or publish now$`), "$1 已过：请选择将来的时间，或立即发布"},
	{regexp.MustCompile(`^the article is (\w+): only a published article can be withdrawn$`), "文章状态为 $1：只有已发布的文章可以撤回"},
}

// conflicts are the uniqueness rules a save can run into, matched in the
// store's words (both engines say the same), with what the page says
// instead: what happened and what to do.
var conflicts = []struct {
	re     *regexp.Regexp
	en, zh string
}{
	{regexp.MustCompile(`address segment ("[^"]*") \((\w[\w-]*)\) is taken by a sibling section`),
		"The address segment $1 ($2) is taken by another section under the same parent: choose another segment, or another parent.",
		"地址段 $1（$2）已被同一上级下的另一栏目使用：请另选地址段或上级栏目。"},
	{regexp.MustCompile(`translation group \d+ already has a (\w[\w-]*) version`),
		"The article already has a translation in $1, made meanwhile: open that one from the article's translations and work there.",
		"该文章已有 $1 译文（刚由他人创建）：请从文章的译文列表打开它，在那里修改。"},
	{regexp.MustCompile(`article \d+ is published at (\S+), and a published address never changes`),
		"The article is published at $1, and a published address never changes: keep its address.",
		"文章已在 $1 发布，已发布的地址永不更改：请保留原地址。"},
}

// conflictProblem says, in lang, what a save refused by a uniqueness rule
// (content.ErrConflict) ran into and what to do; a rule not listed is
// named in the store's English.
func conflictProblem(lang string, err error) string {
	msg := err.Error()
	for _, c := range conflicts {
		if m := c.re.FindStringSubmatchIndex(msg); m != nil {
			t := c.en
			if lang == "zh" {
				t = c.zh
			}
			return string(c.re.ExpandString(nil, t, msg, m))
		}
	}
	return fmt.Sprintf(translate(lang, "Not saved: it conflicts with what is stored (%s). Reload the page and try again."),
		strings.TrimSuffix(msg, ": "+content.ErrConflict.Error()))
}

// translateProblem translates a problem shown next to a field: a phrase
// of the table, or one of the patterns; else it stays in English.
func translateProblem(lang, msg string) string {
	if t := translate(lang, msg); t != msg || lang != "zh" {
		return t
	}
	for _, p := range patterns {
		if p.re.MatchString(msg) {
			return p.re.ReplaceAllString(msg, p.zh)
		}
	}
	return msg
}

// dict builds a map for passing several values to a template.
func dict(kv ...any) map[string]any {
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		if k, ok := kv[i].(string); ok {
			m[k] = kv[i+1]
		}
	}
	return m
}

var zh = map[string]string{
	"%d articles":                 "共 %d 篇文章",
	"%d recovery codes are left.": "还剩 %d 个恢复码。",
	"%d words added, %d removed.": "新增 %d 个词，删除 %d 个词。",
	"%s saved this article at %s, after you opened it: your text was not saved; compare it with theirs below, merge, and save again": "%s 在 %s 保存了这篇文章（在您打开它之后）：您的文本未保存；请与下方对方的版本比较、合并后再保存",
	"(top level)": "（顶级）",
	"Account":     "账户",
	"Address segment (lower-case letters, digits, hyphens; empty: from the name)": "地址段（小写字母、数字、连字符；留空则按名称生成）",
	"Anyone with this link can read the draft until %s.":                          "%s 之前，任何人均可凭此链接查看草稿。",
	"Article":                 "文章",
	"Articles":                "文章",
	"Audit log":               "审计日志",
	"Back to the article":     "返回文章",
	"Back to the back office": "返回后台",
	"Browser":                 "浏览器",
	"By":                      "修改人",
	"Cancel":                  "取消",
	"Cancel the schedule":     "取消定时发布",
	"Change":                  "修改",
	"Change note":             "更正说明",
	"Change note (required: this article is published)": "更正说明（必填：本文已发布）",
	"Change the password":                               "修改密码",
	"Change the section":                                "修改栏目",
	"Change your password":                              "修改密码",
	"Changed":                                           "修改时间",
	"Choose a file to upload.":                          "请选择要上传的文件。",
	"Choose a password":                                 "设置密码",
	"Compare":                                           "比较",
	"Continue":                                          "继续",
	"Continue where I was":                              "继续之前的操作",
	"Create the administrator":                          "创建管理员",
	"Current password":                                  "当前密码",
	"Current password, for new recovery codes":          "当前密码（生成新的恢复码）",
	"Current password, to turn it off":                  "当前密码（关闭双重验证需输入）",
	"Description of an image, for those who cannot see it": "图片说明（供无法看到图片的读者使用）",
	"Detail":                            "详情",
	"Document":                          "文件",
	"Documents listed with the article": "随文发布的文件",
	"E-mail address":                    "电子邮箱地址",
	"File":                              "文件",
	"Filter":                            "筛选",
	"Filter the articles":               "筛选文章",
	"Form expired":                      "表单已过期",
	"From":                              "来自",
	"Give a role, or take it away":      "授予或撤销角色",
	"Image (JPEG, PNG, GIF, WebP) or PDF document, at most %s": "图片（JPEG、PNG、GIF、WebP）或 PDF 文件，不超过 %s",
	"Image to insert":      "要插入的图片",
	"Images and documents": "图片和文件",
	"In your authenticator app, add an account with this key (time-based), or open the link on your phone:": "请在身份验证器应用中用此密钥添加账户（选择基于时间），或在手机上打开以下链接：",
	"Insert the image":                      "插入图片",
	"Kind":                                  "类型",
	"Language":                              "语言",
	"Languages":                             "语言版本",
	"Last seen":                             "最近活动时间",
	"List it with the article":              "随文发布",
	"Make a preview link":                   "生成预览链接",
	"Make new recovery codes":               "重新生成恢复码",
	"Move down":                             "下移",
	"Move up":                               "上移",
	"Name":                                  "姓名",
	"Name (for a new account)":              "姓名（新建账户时填写）",
	"New article":                           "新建文章",
	"New password (at least 12 characters)": "新密码（至少 12 个字符）",
	"New recovery codes: the old ones no longer work. They are shown only now.": "已生成新恢复码，原恢复码已失效。新恢复码仅显示这一次。",
	"New section":            "新建栏目",
	"New translation":        "新建译文",
	"Next →":                 "下一页 →",
	"No article matches.":    "没有符合条件的文章。",
	"No file is stored yet.": "尚无已存文件。",
	"No longer scheduled.":   "已取消定时发布。",
	"No one with this address has a role here.": "使用此地址的人员在本站点没有角色。",
	"None.":       "无。",
	"Not allowed": "无权操作",
	"Not found":   "未找到",
	"Not saved: it conflicts with what is stored (%s). Reload the page and try again.":                                  "未保存：与已存储的内容冲突（%s）。请重新加载页面后再试。",
	"Nothing was changed: a page of the site could not be drawn (%s). Ask the site's administrator to check the theme.": "未作任何更改：网站有页面无法生成（%s）。请联系站点管理员检查主题。",
	"Older entries":                "更早的记录",
	"Open in an authenticator app": "在身份验证器应用中打开",
	"Or publish at (time in %s)":   "或定时发布（%s 时间）",
	"Order":                        "顺序",
	"Pages":                        "分页",
	"Paragraph by paragraph: the source on the left, your translation on the right. Empty boxes are left out.": "逐段翻译：左侧为原文，右侧填写译文。留空的段落将被略去。",
	"Password":                          "密码",
	"Password (at least 12 characters)": "密码（至少 12 个字符）",
	"Password link":                     "密码设置链接",
	"Password link not valid":           "密码设置链接无效",
	"People":                            "人员",
	"Preview":                           "预览",
	"Preview link":                      "预览链接",
	"Preview link not valid":            "预览链接无效",
	"Publish":                           "发布",
	"Publish now":                       "立即发布",
	"Publish without review":            "免审发布",
	"Published.":                        "已发布。",
	"Publishing":                        "发布操作",
	"Reason (only to publish without review)": "理由（仅免审发布时填写）",
	"Reason for readers":                      "撤回理由（读者可见）",
	"Recovery codes":                          "恢复码",
	"Refused":                                 "请求被拒绝",
	"Remove":                                  "移除",
	"Renaming or moving a section never changes an article's address; the section's old addresses answer with a permanent redirect.": "栏目改名或移动不会改变任何文章的地址；栏目的旧地址将永久重定向到新地址。",
	"Require a second person to publish (the one who wrote the last change cannot publish it alone)":                                 "发布须经他人审核（最后修改者不能自行发布）",
	"Require two-factor sign-in for everyone with a role on this site":                                                               "本站点所有人员须使用双重验证登录",
	"Restore as a new draft":     "恢复为新草稿",
	"Revision":                   "修订版本",
	"Revision %d → %d":           "修订版本 %d → %d",
	"Revisions":                  "修订记录",
	"Revisions of %s":            "《%s》的修订记录",
	"Role":                       "角色",
	"Save":                       "保存",
	"Save and submit for review": "保存并提交审核",
	"Save draft":                 "保存草稿",
	"Save the draft edition":     "保存新版本草稿",
	"Saved":                      "保存时间",
	"Saved.":                     "已保存。",
	"Saved. %s already had an account, made on %s (roles on other sites: %s): it signs in with the password chosen when it was made. If you did not expect it, check with the person before relying on it, or give them a new password with: chancery user reset-password --email %s": "已保存。%s 已有账户，创建于 %s（在其他站点的角色：%s），以创建时设定的密码登录。如这一账户出乎您的意料，请先与本人核实再予以信任，或用以下命令为其重设密码：chancery user reset-password --email %s",
	"Schedule":                       "定时发布",
	"Scheduled.":                     "已设定定时发布。",
	"Section":                        "栏目",
	"Sections":                       "栏目",
	"Sections and navigation":        "栏目与导航",
	"Set the password":               "设置密码",
	"Set up the first administrator": "设置首位管理员",
	"Set up two-factor sign-in":      "设置双重验证",
	"Set-up address not valid":       "初始设置地址无效",
	"Show in the top navigation (top-level sections)": "显示在顶部导航中（限顶级栏目）",
	"Show this note to readers (not a minor change)":  "向读者显示此说明（非细微修改）",
	"Sign in":              "登录",
	"Sign out":             "退出登录",
	"Sign out everywhere":  "在所有设备上退出登录",
	"Signed in":            "已登录",
	"Site":                 "站点",
	"Site settings":        "站点设置",
	"Sites":                "站点",
	"Size":                 "大小",
	"Skip to main content": "跳至主要内容",
	"Someone saved this article since you opened this page, so nothing was restored. The list below is up to date: restore again if you still want to.": "您打开本页后，已有人保存了本文，因此未恢复任何版本。下方列表已更新；如仍需恢复，请再次操作。",
	"Something went wrong": "出现错误",
	"Source":               "原文",
	"Source changed":       "原文已修改",
	"Status":               "状态",
	"Stored files":         "已存文件",
	"Struck through: only in the saved version. Underlined: only in yours. Your text is in the form below; saving it now replaces theirs.": "删除线：仅见于已保存版本；下划线：仅见于您的版本。您的文本在下方表单中，现在保存将覆盖对方的版本。",
	"Submitted for review.":                                          "已提交审核。",
	"Summary (optional: a sentence or two for listings)":             "摘要（选填：一两句话，用于列表显示）",
	"Text (Markdown, or pasted HTML)":                                "正文（Markdown 格式，或粘贴 HTML）",
	"The 6-digit code of your authenticator app, or a recovery code": "身份验证器应用显示的 6 位验证码，或恢复码",
	"The 6-digit code the app shows":                                 "应用显示的 6 位验证码",
	"The account is made. Send the person this password link (valid 24 hours); they choose their password there.":                                 "账户已创建。请将此密码设置链接（24 小时内有效）发给本人，由其自行设置密码。",
	"The article leaves every listing and stays at its address with a dated notice and your reason. Its other language versions are not changed.": "文章将从所有列表中移除，原地址保留，并注明撤回日期和理由。其他语言版本不受影响。",
	"The article was not saved: correct what is marked below.":                                                                                    "文章未保存：请更正下方标出的内容。",
	"The e-mail address or the password is wrong.":                                                                                                "电子邮箱地址或密码错误。",
	"The file is empty.": "文件为空。",
	"The file is larger than %s, the most this server takes. Make it smaller (a PDF can be saved for the web; a photo exported smaller) and upload it again.": "文件超过 %s，超出服务器上限。请缩小文件（PDF 可另存为网页版，照片可导出为较小尺寸）后重新上传。",
	"The form could not be read. Nothing was saved; go back and send it again.":                                                                               "无法读取表单，未保存任何内容。请返回后重新提交。",
	"The image is added at the end of the text: move it where it belongs, then save.":                                                                         "图片已添加到正文末尾：请移到合适位置后保存。",
	"The old revision is now the newest draft.":                                                                                                               "该旧版本已恢复为最新草稿。",
	"The same password again":                                                                                                         "确认密码",
	"The section was not saved: correct what is marked below.":                                                                        "栏目未保存：请更正下方标出的问题。",
	"The server could not do this. Nothing you saved before is lost; try again in a moment.":                                          "服务器未能完成此操作。此前保存的内容均未丢失，请稍后重试。",
	"The sign-in took too long. Sign in again.":                                                                                       "登录超时，请重新登录。",
	"The source text has changed since this translation was made from it. The changes:":                                               "本译文据以翻译的原文已修改。修改内容如下：",
	"Their version and yours":                                                                                                         "对方版本与您的版本",
	"There is nothing at this address, or it is not on this site.":                                                                    "此地址没有内容，或不属于本站点。",
	"This code is not the one the app shows for this key. Check the key, wait for a new code and type it.":                            "验证码与应用中此密钥显示的不符。请核对密钥，待新验证码出现后重新输入。",
	"This code is wrong or was used already. Type the 6 digits your app shows now, or one of your recovery codes.":                    "验证码错误或已使用。请输入应用当前显示的 6 位验证码，或一个恢复码。",
	"This file is %s, judged from its content, not its name. Upload images (JPEG, PNG, GIF, WebP) or PDF documents.":                  "根据文件内容（而非文件名）判断，此文件为 %s。请上传图片（JPEG、PNG、GIF、WebP）或 PDF 文件。",
	"This form had expired or did not come from this site, so it was not accepted. Check it and send it again.":                       "此表单已过期或并非来自本站点，未被受理。请核对后重新提交。",
	"This form was sent from another site, so it was refused. If you sent it, open the back office at its own address and try again.": "此表单来自其他网站，已被拒绝。如确系您本人提交，请通过后台自身的地址打开后台并重试。",
	"This form's security token was missing or wrong (it may be older than your current sign-in), so nothing was saved. What you typed is kept: continue, and check it before saving.": "此表单的安全令牌缺失或错误（可能早于您本次登录），未保存任何内容。您填写的内容已保留：请继续，并在保存前核对。",
	"This is not your current password.":                               "当前密码不正确。",
	"This is what you sent, not yet done. Check it and send it again.": "这是您提交的内容，尚未执行。请检查后重新提交。",
	"This is what you sent, not yet saved. Check it and save.":         "以下是您提交的内容，尚未保存。请核对后保存。",
	"This network has no administrator yet. Choose the address and password you will sign in with; you will be able to add the other people after.":                                                     "本站群尚无管理员。请设置您登录所用的电子邮箱地址和密码，之后即可添加其他人员。",
	"This password link has been used or is more than 24 hours old. Ask an administrator for a new one (chancery user reset-password).":                                                                 "此密码设置链接已使用或已超过 24 小时。请向管理员索取新链接（chancery user reset-password）。",
	"This preview link has expired or is wrong. Ask the editor who sent it for a new one.":                                                                                                              "此预览链接已过期或有误。请向发送链接的编辑索取新链接。",
	"This set-up address has been used or is more than 24 hours old. Restart chancery serve on a database without users to print a new one, or ask an administrator to add you with chancery user add.": "此初始设置地址已使用或已超过 24 小时。请在没有用户的数据库上重新运行 chancery serve 以生成新地址，或请管理员用 chancery user add 添加您。",
	"This set-up address has just been used. Sign in instead.":                                                                                                                                          "此初始设置地址刚刚已被使用，请直接登录。",
	"This site requires a second person to publish, and you wrote the last change. To publish alone, tick the box and give the reason; it is kept in the audit log.":                                    "本站点发布须经他人审核，而最后修改者是您。如需自行发布，请勾选此项并填写理由；理由将记入审计日志。",
	"This site requires a second person to publish.":                                                                                                                                                    "本站点发布须经他人审核。",
	"This site's administrators require two-factor sign-in. Set it up on your account page, then come back.":                                                                                            "本站点管理员要求使用双重验证登录。请在账户页面完成设置后返回。",
	"This was not done: see the problem marked below.":                                                                                                                                                  "操作未完成：请查看下方标出的问题。",
	"Title":                        "标题",
	"Title (shown with documents)": "标题（随文件显示）",
	"Title words":                  "标题关键词",
	"Titles and descriptions":      "标题和说明",
	"To":                           "至",
	"Too large":                    "表单过大",
	"Too many failed sign-ins from this address or for this account. Try again in %s.": "此地址或此账户登录失败次数过多，请 %s 后重试。",
	"Top navigation":              "顶部导航",
	"Translate into":              "翻译为",
	"Translation":                 "译文",
	"Translation of paragraph":    "段落译文",
	"Turn off two-factor sign-in": "关闭双重验证",
	"Turn on two-factor sign-in":  "开启双重验证",
	"Turn on two-factor sign-in for yourself first, or you would lock yourself out of this site.": "请先为自己开启双重验证，否则您将被锁定在本站点之外。",
	"Two-factor":                 "双重验证",
	"Two-factor sign-in":         "双重验证",
	"Two-factor sign-in is off.": "双重验证已关闭。",
	"Two-factor sign-in is off. With it on, signing in also asks for a code from an app on your phone.": "双重验证未开启。开启后，登录时还需输入手机应用生成的验证码。",
	"Two-factor sign-in is on.": "双重验证已开启。",
	"Two-factor sign-in is on. Keep the recovery codes below somewhere safe: each signs you in once if you lose your phone. They are shown only now.": "双重验证已开启。请妥善保管下列恢复码：手机丢失时，每个恢复码可用于登录一次。恢复码仅显示这一次。",
	"Two-factor sign-in required": "须使用双重验证登录",
	"Type":                        "类型",
	"Under":                       "上级栏目",
	"Upload":                      "上传",
	"Upload images and documents": "上传图片和文件",
	"What":                        "操作",
	"What changed":                "修改内容",
	"What was sent was larger than the server accepts (%s). Nothing was saved; send something smaller.": "提交的内容超过服务器上限（%s），未保存任何内容；请缩小后重新提交。",
	"When":         "时间",
	"Who":          "操作人",
	"Withdraw":     "撤回",
	"Withdrawn on": "撤回于",
	"Withdrawn.":   "已撤回。",
	"You are signed in again. What you had sent is kept: continue to check it and save it.":                           "您已重新登录。此前提交的内容已保留：请继续核对并保存。",
	"You can read this article but not change it.":                                                                    "您可以查看本文，但无权修改。",
	"You have no role on any site yet. Ask a site's administrator to give you one.":                                   "您尚未在任何站点担任角色。请联系站点管理员为您分配。",
	"You were signed out, so what you sent was not saved. It is kept: sign in, and you will continue where you were.": "您已退出登录，提交的内容未保存，但已保留：登录后即可从中断处继续。",
	"Your account": "我的账户",
	"Your password is changed. Your other sessions have ended.": "密码已修改，您的其他会话均已结束。",
	"Your role":     "我的角色",
	"Your sessions": "我的登录会话",
	"Your sites":    "我的站点",
	"a draft edition waits: readers see the published text until it is published":  "有待发布的新版本草稿：发布前，读者看到的仍是已发布文本",
	"a translation is in another language than its source":                         "译文的语言须与原文不同",
	"a withdrawn article is kept as it was withdrawn; write a new article instead": "已撤回的文章保持撤回时的原样，不能修改，请另写新文章",
	"a withdrawn article stays withdrawn; write a new article instead":             "已撤回的文章不能重新发布，请另写新文章",
	"admin":                                  "管理员",
	"all":                                    "全部",
	"attach":                                 "添加随文文件",
	"author":                                 "撰稿人",
	"choose a role from the list":            "请从列表中选择角色",
	"choose a stored document":               "请选择已存文件",
	"choose a stored image":                  "请选择已存图片",
	"choose the date and time to publish at": "请选择发布日期和时间",
	"command line or import":                 "命令行或导入",
	"create":                                 "新建",
	"description":                            "说明",
	"detach":                                 "移除随文文件",
	"disabled":                               "已停用",
	"document":                               "文件",
	"draft":                                  "草稿",
	"edition scheduled for":                  "新版本定时发布于",
	"editor":                                 "编辑",
	"file-texts":                             "修改文件说明",
	"for":                                    "定于",
	"force-publish":                          "免审发布",
	"give a date and time such as 2026-12-24T23:45": "请填写日期和时间，例如 2026-12-24T23:45",
	"minor":                                "细微修改",
	"news":                                 "新闻",
	"no role (take it away)":               "无角色（撤销现有角色）",
	"none":                                 "无",
	"nothing of this article is scheduled": "本文没有定时发布的内容",
	"off":                                  "未开启",
	"on":                                   "已开启",
	"page":                                 "固定页面",
	"password":                             "密码",
	"password and code":                    "密码和验证码",
	"password and recovery code":           "密码和恢复码",
	"password link":                        "密码设置链接",
	"password-changed":                     "修改密码",
	"password-reset":                       "重置密码",
	"password-set":                         "设置密码",
	"press-release":                        "新闻稿",
	"preview-link":                         "生成预览链接",
	"public address":                       "公开地址",
	"publish":                              "发布",
	"published":                            "已发布",
	"readout":                              "会见通话",
	"recovery-codes":                       "重新生成恢复码",
	"role":                                 "变更角色",
	"say why the article is withdrawn: readers see the reason beside the article":       "请说明撤回理由：读者会在文章旁看到",
	"say why this cannot wait for a second person: the reason is kept in the audit log": "请说明为何不能等待他人审核：理由将记入审计日志",
	"schedule":            "定时发布",
	"scheduled":           "已定时",
	"second factor":       "第二步验证",
	"section-changed":     "修改栏目",
	"section-created":     "新建栏目",
	"section-moved":       "调整栏目顺序",
	"settings":            "修改站点设置",
	"setup":               "初始设置",
	"sign-in":             "登录",
	"sign-in-failed":      "登录失败",
	"sign-out-everywhere": "在所有设备上退出登录",
	"someone else":        "其他人",
	"someone saved a newer text since you opened this page: read it, then publish again": "您打开本页后，已有人保存了更新的文本：请先阅读，再重新发布",
	"statement":               "声明与讲话",
	"submit":                  "提交审核",
	"submitted for review on": "提交审核于",
	"the article is published as it is: save a change first":                                                    "文章当前版本已发布：请先保存修改",
	"the change note is longer than 500 characters":                                                             "更正说明超过 500 个字符",
	"the description is longer than 500 characters":                                                             "说明超过 500 个字符",
	"the e-mail address is empty":                                                                               "请填写电子邮箱地址",
	"the e-mail address is longer than 254 characters":                                                          "电子邮箱地址超过 254 个字符",
	"the name is longer than 100 characters":                                                                    "姓名超过 100 个字符",
	"the password is not valid text":                                                                            "密码含有无效字符",
	"the password is your e-mail address: choose something else":                                                "密码不能与电子邮箱地址相同，请另行设置",
	"the reason is longer than 1,000 characters":                                                                "理由超过 1,000 个字符",
	"the server is busy: send the form again in a moment":                                                       "服务器繁忙：请稍后重新提交",
	"the source text named by the form is not the source article's; open the translation again":                 "表单所指的原文不属于本文的原文章：请重新打开译文",
	"the title is empty":                                                                                        "请填写标题",
	"the title is longer than 300 characters":                                                                   "标题超过 300 个字符",
	"the two passwords differ: type the same one twice":                                                         "两次输入的密码不一致，请重新输入",
	"there is no change to review: save one first":                                                              "没有待审核的修改：请先保存修改",
	"this article has a version in that language already: open it from the article's page":                      "本文已有该语言版本：请从文章页面打开",
	"this article is published: say in a change note what you changed, and whether readers should see the note": "本文已发布：请在更正说明中写明修改内容，并选择是否向读者显示",
	"this is not an e-mail address like name@example.org":                                                       "这不是有效的电子邮件地址（例如 name@example.org）",
	"this one":  "当前会话",
	"title":     "标题",
	"translate": "翻译",
	"translate from the article's first version, not from another translation": "请从文章的原始版本翻译，而不是从另一个译本翻译",
	"translator":         "译者",
	"two-factor-off":     "关闭双重验证",
	"two-factor-on":      "开启双重验证",
	"unschedule":         "取消定时发布",
	"upload":             "上传文件",
	"user-added":         "添加用户",
	"user-disabled":      "停用用户",
	"user-enabled":       "启用用户",
	"waiting for review": "待审核",
	"withdraw":           "撤回",
	"withdrawn":          "已撤回",
	"yes":                "是",
	"← Previous":         "← 上一页",
}
