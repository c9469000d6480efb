package benchdata

import "chancery/internal/content"

// tmplPair is one sentence, title or phrase in English and Chinese, with
// {slots} filled from a piece's facts (see slotNames). The two sides say
// the same thing, so a piece composed in both languages is a translation.
type tmplPair struct {
	en, zh string
}

// titleTmpl is a title with the lede that opens the body, so that the
// body is about what the title says.
type titleTmpl struct {
	title, lede tmplPair
}

// titles per kind. A reader who remembers a Chinese title searches for
// four characters of it, and the four that single it out span the join
// of two facts that vary independently, so the templates put such slots
// side by side in Chinese, with no number, punctuation or long literal
// between them: {topic}{measure} ("Capacity-Building for Nuclear Safety",
// 核安全能力建设), {topic}和{topic2}, {place}{topic}, {group}在{topic},
// {country}{cp} or {body}{topic}{event}. A number ({ord}, {year}) breaks
// the run of characters, so what follows it must join two facts of its
// own.
var titles = map[content.Kind][]titleTmpl{
	content.KindStatement: {
		{tmplPair{"Statement by {speaker} at the {body} {event} on {topic}", "{speaker}在{body}{topic}{event}上的发言"},
			tmplPair{"On {date}, {speaker} addressed the {body} {event} on {topic}.", "{date}，{speaker}在{body}{topic}{event}上发言。"}},
		{tmplPair{"Remarks by {speaker} at the {body} {event} on {topic}", "{speaker}在{body}{topic}{event}上的讲话"},
			tmplPair{"{speaker} delivered the following remarks at the {body} {event} on {topic} on {date}.", "{date}，{speaker}在{body}{topic}{event}上发表讲话。"}},
		{tmplPair{"Explanation of Vote by {speaker} after the {body} Vote on {measure} for {topic}", "{speaker}在{body}就{topic}{measure}问题表决后的解释性发言"},
			tmplPair{"After the {body} voted on the draft resolution on {measure} for {topic} on {date}, {speaker} explained the vote of the Republic of Example.", "{date}，{body}就{topic}{measure}决议草案进行表决后，{speaker}就示例共和国的投票立场作解释性发言。"}},
		{tmplPair{"Statement by {speaker} on Behalf of the Group of Friends of {topic2} at the {body} {event} on {topic}", "{speaker}代表{topic2}之友小组在{body}{topic}{event}上的发言"},
			tmplPair{"On {date}, {speaker} spoke at the {body} {event} on {topic} on behalf of the Group of Friends of {topic2}.", "{date}，{speaker}代表{topic2}之友小组在{body}{topic}{event}上发言。"}},
		{tmplPair{"Keynote Speech by {speaker} at the {place} Forum on {topic}", "{speaker}在{place}{topic}论坛上的主旨演讲"},
			tmplPair{"On {date}, {speaker} gave the keynote speech at the {place} Forum on {topic}.", "{date}，{speaker}在{place}{topic}论坛上发表主旨演讲。"}},
		{tmplPair{"Statement by {speaker} on {topic} and {topic2} at the {ord} Session of the {body}", "{speaker}在{body}第{ord}届会议{topic}和{topic2}议题下的发言"},
			tmplPair{"{speaker} spoke on {topic} and {topic2} at the {ord} session of the {body} on {date}.", "{date}，{speaker}在{body}第{ord}届会议上就{topic}和{topic2}议题发言。"}},
		{tmplPair{"Statement by {speaker} at the {body} {event} on the Role of {group} in {topic}", "{speaker}在{body}“{group}在{topic}中的作用”{event}上的发言"},
			tmplPair{"On {date}, {speaker} addressed the {body} {event} on the role of {group} in {topic}.", "{date}，{speaker}在{body}“{group}在{topic}中的作用”{event}上发言。"}},
		{tmplPair{"Statement by {speaker} at the {body} {event} on {measure} for {topic}", "{speaker}在{body}{topic}{measure}{event}上的发言"},
			tmplPair{"On {date}, {speaker} spoke at the {body} {event} on {measure} for {topic}.", "{date}，{speaker}在{body}{topic}{measure}{event}上发言。"}},
		{tmplPair{"Remarks by {speaker} at the {place} {tevent} on {topic} Co-hosted by Example and {agency}", "{speaker}在示例与{agency}共同主办的{place}{topic}{tevent}上的致辞"},
			tmplPair{"On {date}, {speaker} spoke at the {tevent} on {topic} that the Republic of Example co-hosted with {agency} in {place}.", "{date}，示例共和国与{agency}在{place}共同主办{topic}{tevent}，{speaker}出席并致辞。"}},
	},
	content.KindReadout: {
		{tmplPair{"{speaker} Meets the {cp} of {country} in {place}", "{speaker}在{place}会见{country}{cp}"},
			tmplPair{"On {date}, {speaker} met the {cp} of {country} in {place}.", "{date}，{speaker}在{place}会见{country}{cp}。"}},
		{tmplPair{"Readout of the Phone Call between {speaker} and the {cp} of {country}", "{speaker}同{country}{cp}通电话"},
			tmplPair{"On {date}, {speaker} spoke by telephone with the {cp} of {country}.", "{date}，{speaker}同{country}{cp}通电话。"}},
		{tmplPair{"{speaker} Holds Talks with the {cp} of {country} on {topic}", "{speaker}同{country}{cp}就{topic}举行会谈"},
			tmplPair{"On {date}, {speaker} held talks with the {cp} of {country} on {topic}.", "{date}，{speaker}同{country}{cp}就{topic}举行会谈。"}},
		{tmplPair{"{speaker} Meets the Head of {agency} to Discuss {measure} for {topic}", "{speaker}会见{agency}负责人，讨论{topic}{measure}问题"},
			tmplPair{"On {date}, {speaker} met the head of {agency} to discuss {measure} for {topic}.", "{date}，{speaker}会见{agency}负责人，讨论{topic}{measure}问题。"}},
		{tmplPair{"Readout of the {round} Round of Example–{country} Consultations on {topic}", "示例与{country}举行第{round}轮{topic}磋商"},
			tmplPair{"The {round} round of consultations between Example and {country} on {topic} was held in {place} on {date}.", "{date}，示例与{country}第{round}轮{topic}磋商在{place}举行。"}},
		{tmplPair{"{speaker} Receives the {cp} of {country} at the Mission", "{speaker}在代表团会见来访的{country}{cp}"},
			tmplPair{"On {date}, {speaker} received the {cp} of {country} at the Mission.", "{date}，{speaker}在代表团会见来访的{country}{cp}。"}},
	},
	content.KindNews: {
		{tmplPair{"Mission Hosts {tevent} on {topic} in {place}", "代表团在{place}举办{topic}{tevent}"},
			tmplPair{"On {date}, the Mission hosted {atevent} on {topic} in {place}.", "{date}，代表团在{place}举办{topic}{tevent}。"}},
		{tmplPair{"{speaker} Attends {tevent} on {topic} in {place}", "{speaker}出席在{place}举行的{topic}{tevent}"},
			tmplPair{"On {date}, {speaker} attended {atevent} on {topic} in {place}.", "{date}，{speaker}出席在{place}举行的{topic}{tevent}。"}},
		{tmplPair{"{speaker} Visits Projects on {topic} in {place}", "{speaker}考察{place}{topic}项目"},
			tmplPair{"From {date}, {speaker} visited projects on {topic} in {place} and discussed them with local officials and partners.", "{date}起，{speaker}考察{place}{topic}项目，并与当地官员和合作伙伴进行交流。"}},
		{tmplPair{"{speaker} Delivers Lecture on {topic} at the {place} {institute}", "{speaker}在{place}{institute}就{topic}发表演讲"},
			tmplPair{"On {date}, {speaker} delivered a lecture on {topic} at the {place} {institute}.", "{date}，{speaker}在{place}{institute}就{topic}发表演讲。"}},
		{tmplPair{"Example Delegation Attends the Debate on {measure} for {topic} at the {ord} Session of the {body}", "示例代表团出席{body}第{ord}届会议{topic}{measure}议题讨论"},
			tmplPair{"A delegation of the Republic of Example, led by {speaker}, took part in the debate on {measure} for {topic} at the {ord} session of the {body}, which opened on {date}.", "{date}，{body}第{ord}届会议开幕，{speaker}率示例代表团出席会议并参加{topic}{measure}议题讨论。"}},
		{tmplPair{"Example and {country} Sign Agreement on {topic} in {place}", "示例与{country}在{place}签署{topic}合作协议"},
			tmplPair{"On {date}, Example and {country} signed an agreement on {topic} in {place}.", "{date}，示例与{country}在{place}签署{topic}合作协议。"}},
		{tmplPair{"Mission Holds {sevent} in {place} to Mark {occasion}", "代表团在{place}举办{occasion}{sevent}"},
			tmplPair{"On {date}, the Mission held {asevent} in {place} to mark {occasion}.", "{date}，值此{occasion}之际，代表团在{place}举办{sevent}。"}},
		{tmplPair{"Mission and {agency} Launch Project on {measure} for {topic} in {place}", "代表团与{agency}在{place}启动{topic}{measure}项目"},
			tmplPair{"On {date}, the Mission and {agency} launched a project on {measure} for {topic} in {place}.", "{date}，代表团与{agency}在{place}启动{topic}{measure}项目。"}},
	},
	content.KindPressRelease: {
		{tmplPair{"Press Release on the {body} {event} on {topic}", "关于{body}{topic}{event}的新闻稿"},
			tmplPair{"On {date}, the {body} held its {event} on {topic}, at which {speaker} spoke for the Republic of Example.", "{date}，{body}举行{topic}{event}，{speaker}代表示例共和国发言。"}},
		{tmplPair{"Press Release on the Visit of the {cp} of {country} to {place}", "关于{country}{cp}访问{place}的新闻稿"},
			tmplPair{"At the invitation of the Government of the Republic of Example, the {cp} of {country} visited {place} on {date}.", "应示例共和国政府邀请，{country}{cp}于{date}访问{place}。"}},
		{tmplPair{"Press Release on the {round} Round of Example–{country} Consultations on {topic}", "关于示例与{country}第{round}轮{topic}磋商的新闻稿"},
			tmplPair{"The {round} round of consultations between Example and {country} on {topic} took place in {place} on {date}.", "{date}，示例与{country}第{round}轮{topic}磋商在{place}举行。"}},
		{tmplPair{"Press Release on the Donation of {aid} to {group} in {country}", "关于向{country}{group}捐赠{aid}的新闻稿"},
			tmplPair{"On {date}, the Republic of Example donated {aid} to {group} in {country}.", "{date}，示例共和国向{country}{group}捐赠{aid}。"}},
		{tmplPair{"Press Release: {speaker} to Attend the {body} {event} on {topic}", "新闻稿：{speaker}将出席{body}{topic}{event}"},
			tmplPair{"{speaker} will attend the {body} {event} on {topic}, to be held in {place} from {date}.", "{speaker}将出席{date}起在{place}举行的{body}{topic}{event}。"}},
	},
	content.KindDocument: {
		{tmplPair{"Position Paper on {topic} and {topic2} for the {ord} Session of the {body}", "关于{body}第{ord}届会议{topic}和{topic2}问题的立场文件"},
			tmplPair{"The Republic of Example submits this position paper on {topic} and {topic2} for the {ord} session of the {body}.", "示例共和国就{body}第{ord}届会议{topic}和{topic2}问题提交本立场文件。"}},
		{tmplPair{"Position Paper on {topic} and {topic2}", "关于{topic}和{topic2}的立场文件"},
			tmplPair{"This paper sets out the position of the Republic of Example on {topic} and {topic2}.", "本文件阐述示例共和国在{topic}和{topic2}问题上的立场。"}},
		{tmplPair{"Concept Note for the {body} {event} on the Role of {group} in {topic} ({month})", "{body}“{group}在{topic}中的作用”{event}概念文件（{month}）"},
			tmplPair{"This concept note was prepared by the Republic of Example for the {body} {event} on the role of {group} in {topic}.", "本概念文件由示例共和国为{body}“{group}在{topic}中的作用”{event}编写。"}},
		{tmplPair{"Letter from {speaker} to the President of the {body} on {topic}", "{speaker}就{topic}问题致{body}主席的信"},
			tmplPair{"{speaker} wrote to the President of the {body} on {date} to draw attention to {topic}.", "{date}，{speaker}致函{body}主席，提请关注{topic}问题。"}},
		{tmplPair{"Joint Statement of the Republic of Example and {country} on {topic} and {topic2}", "示例共和国与{country}关于{topic}和{topic2}的联合声明"},
			tmplPair{"The Republic of Example and {country}, meeting in {place} on {date}, adopted the following joint statement on {topic} and {topic2}.", "{date}，示例共和国与{country}在{place}会晤，通过以下关于{topic}和{topic2}的联合声明。"}},
		{tmplPair{"Working Paper on {measure} for {topic} Submitted to the {ord} Session of the {body}", "向{body}第{ord}届会议提交的关于{topic}{measure}的工作文件"},
			tmplPair{"This working paper on {measure} for {topic} is submitted by the Republic of Example to the {ord} session of the {body}.", "本工作文件由示例共和国就{topic}{measure}问题向{body}第{ord}届会议提交。"}},
		{tmplPair{"National Report of the Republic of Example on {topic} and {topic2} ({year})", "示例共和国{topic}和{topic2}国家报告（{year}年）"},
			tmplPair{"This national report reviews the progress made by the Republic of Example on {topic} and {topic2} in {year}.", "本国家报告回顾了示例共和国{year}年在{topic}和{topic2}领域取得的进展。"}},
	},
	content.KindPage: {
		{tmplPair{"Biography of {speaker}", "{speaker}简历"},
			tmplPair{"{speaker} took up the post in {year}.", "{speaker}于{year}年就任现职。"}},
		{tmplPair{"The Mission's Work on {topic} in the {body}", "代表团在{body}的{topic}工作"},
			tmplPair{"The Mission follows {topic} in the {body} and in its bilateral contacts.", "代表团在{body}及双边交往中关注{topic}问题。"}},
		{tmplPair{"Information for Delegations from {country} Attending the {body}", "{country}出席{body}会议代表团须知"},
			tmplPair{"Delegations from {country} attending the {body} are welcome at the Mission by appointment.", "欢迎出席{body}会议的{country}代表团预约访问代表团。"}},
		{tmplPair{"The Republic of Example in the {body}: Priorities on {topic} and {topic2}", "示例共和国在{body}的优先事项：{topic}和{topic2}"},
			tmplPair{"The Republic of Example has taken an active part in the work of the {body} since {year0}.", "示例共和国自{year0}年以来积极参与{body}的工作。"}},
		{tmplPair{"Example's Engagement on {topic} since {year0}", "{year0}年以来示例在{topic}领域的参与"},
			tmplPair{"Since {year0}, the Republic of Example has worked on {topic} with partners in {place} and beyond.", "{year0}年以来，示例共和国与{place}等地的合作伙伴在{topic}领域开展合作。"}},
	},
}

// openers start the speech proper of a statement.
var openers = []tmplPair{
	{"Mr. President, I thank you for convening this {event} on {topic}, and I thank the briefers for their insights.", "主席先生，感谢您召开此次{topic}{event}，也感谢各位通报人的介绍。"},
	{"Madam Chair, my delegation welcomes the opportunity to address the {body} on {topic} at this important moment.", "主席女士，我国代表团欢迎有机会在这一重要时刻就{topic}问题在{body}发言。"},
	{"Let me begin by congratulating the presidency on its leadership of the {body}.", "首先，我祝贺主席国领导{body}的工作。"},
	{"The Republic of Example aligns itself with the statement delivered on behalf of the Group of Friends of {topic}, and I wish to add the following remarks in my national capacity.", "示例共和国赞同以{topic}之友小组名义所作的发言，我愿以本国名义补充以下几点。"},
}

// firstPerson: the voice of statements and position papers.
var firstPerson = []tmplPair{
	{"For the Republic of Example, {topic} is not an abstract theme but a daily concern for families in {place} and across the country.", "对示例共和国而言，{topic}不是抽象的议题，而是{place}乃至全国民众每天都关心的现实问题。"},
	{"We believe that {measure} must be at the centre of any credible response to {topic}.", "我们认为，{measure}必须成为应对{topic}问题的核心。"},
	{"My delegation calls on all Member States to support {group} through {measure} and {measure2}.", "我国代表团呼吁各会员国通过{measure}和{measure2}支持{group}。"},
	{"Since {year0}, Example has supported {measure} in more than {n} countries, working closely with {agency}.", "{year0}年以来，示例同{agency}密切合作，在{n}个以上国家支持{measure}。"},
	{"The {body} should keep {topic} on its agenda and ask the Secretary-General to report regularly on progress.", "{body}应继续将{topic}列入议程，并请秘书长定期报告进展情况。"},
	{"We are concerned that the gap between commitments and delivery continues to widen.", "我们关切地注意到，承诺与落实之间的差距仍在扩大。"},
	{"No country can meet these challenges alone; shared problems demand shared solutions.", "任何国家都无法独自应对这些挑战，共同的问题需要共同的解决方案。"},
	{"Example stands ready to share its experience of {topic2} with all interested partners.", "示例愿与所有感兴趣的伙伴分享在{topic2}方面的经验。"},
	{"We must also listen to {group}, who are often the first to feel the consequences of {topic}.", "我们还必须倾听{group}的声音，他们往往最先感受到{topic}带来的影响。"},
	{"Adequate and predictable financing remains the key to progress.", "充足且可预测的资金仍是取得进展的关键。"},
	{"Example supports the proposal to review progress on {topic} at a high-level meeting in {nextyear}.", "示例支持于{nextyear}年举行高级别会议，审议{topic}方面的进展。"},
	{"Technology alone will not solve these problems; institutions and trust matter as much.", "仅靠技术无法解决这些问题，制度和信任同样重要。"},
	{"The Republic of Example has pledged {money} million dollars over the next five years for {measure} in support of {topic}.", "示例共和国承诺在未来五年内提供{moneyzh}美元，用于支持{topic}领域的{measure}。"},
	{"Example welcomes the growing attention that the international community pays to this issue.", "示例欢迎国际社会日益重视这一问题。"},
	{"The Government of Example will report on the implementation of these commitments to the {body} in {nextyear}.", "示例政府将于{nextyear}年向{body}报告上述承诺的落实情况。"},
	{"We commend the work of {agency} and urge partners to give it the resources its mandate requires.", "我们赞赏{agency}的工作，敦促各方为其履行职责提供必要资源。"},
	{"In {place}, we have seen how {measure} can turn a crisis into an opportunity for reform.", "在{place}，我们看到{measure}能够化危为机、推动改革。"},
	{"Our experience since {year0} shows that progress depends on the trust of local communities.", "我们自{year0}年以来的经验表明，能否取得进展取决于地方社区的信任。"},
	{"The international community should avoid duplication and make better use of existing mechanisms.", "国际社会应避免重复劳动，更好地利用现有机制。"},
	{"We call for a stronger partnership between the {body} and regional organizations on {topic2}.", "我们呼吁{body}与区域组织在{topic2}问题上建立更紧密的伙伴关系。"},
	{"Example will continue to work with {country} and other partners to advance {topic}.", "示例将继续同{country}等伙伴合作，推进{topic}工作。"},
	{"The outcome of this {event} must be measured by the difference it makes for {group}.", "衡量此次{event}成果的标准，是它能为{group}带来怎样的改变。"},
	{"We also underline the importance of {topic2}, which is closely linked to {topic}.", "我们还强调{topic2}的重要性，它与{topic}密切相关。"},
	{"Let me be clear: the Republic of Example will not accept any weakening of existing commitments.", "我要明确指出：示例共和国不会接受任何削弱现有承诺的做法。"},
	{"Our national strategy for {topic}, adopted in {year0}, sets clear targets for {nextyear}.", "示例于{year0}年通过的{topic}国家战略，为{nextyear}年设定了明确目标。"},
}

// neutral sentences fit every kind.
var neutral = []tmplPair{
	{"Example has consistently supported the central role of the United Nations in matters of {topic}.", "示例始终支持联合国在{topic}问题上发挥核心作用。"},
	{"According to recent figures, funding for {topic} fell by {pct} per cent between {year0} and {year}.", "最新数据显示，{year0}年至{year}年间，{topic}领域的资金减少了{pct}%。"},
	{"In {year0}, Example launched a national programme on {topic}, which has since reached {group} in {n} provinces.", "{year0}年，示例启动了{topic}国家计划，目前已惠及{n}个省份的{group}。"},
	{"Partners in {place} have already begun to apply the lessons learned from {measure}.", "{place}的合作伙伴已开始运用从{measure}中汲取的经验。"},
	{"Young people, scientists and local officials must have a say in these decisions.", "在这些问题上作决策时，必须听取青年、科学家和地方官员的意见。"},
	{"Work on {topic} is closely linked to work on {topic2}, and progress on one supports progress on the other.", "{topic}工作与{topic2}工作密切相关，二者相互促进。"},
	{"The experience of {place} shows that results are best when {group} lead the way on {measure}.", "{place}的经验表明，由{group}主导{measure}，效果最好。"},
	{"Cooperation between Example and {country} on {topic} has grown steadily since {year0}.", "{year0}年以来，示例与{country}在{topic}领域的合作稳步发展。"},
	{"{agency} estimates that {group} in more than {n} countries are directly affected by problems of {topic}.", "据{agency}估计，{n}个以上国家的{group}直接受到{topic}问题的影响。"},
	{"The Republic of Example was among the first countries to endorse the principles on {topic} adopted in {place} in {year0}.", "示例共和国是首批认可{year0}年在{place}通过的{topic}原则的国家之一。"},
	{"Much remains to be done, but the direction is clear.", "尽管仍有大量工作要做，但方向是明确的。"},
	{"Example's own experience of {topic2} has taught it the value of patience and of listening to those most affected.", "示例在{topic2}方面的自身经历，使其认识到保持耐心、倾听受影响最大群体声音的重要性。"},
	{"A growing number of countries now include {topic} in their national development plans.", "越来越多的国家已将{topic}纳入国家发展规划。"},
	{"The next review of {topic} is due in {nextyear}, and preparations are already under way in {place}.", "下一次{topic}审议将于{nextyear}年进行，{place}的筹备工作已经启动。"},
	{"Progress also depends on open trade, reliable data and predictable rules.", "进展还有赖于开放的贸易、可靠的数据和可预期的规则。"},
	{"Since {year0}, Example has trained more than {n0} officials from {n} countries in {measure}.", "{year0}年以来，示例已为{n}个国家的{n0}多名官员提供了{measure}培训。"},
	{"The Republic of Example is a party to all the main international instruments in this field.", "示例共和国是该领域所有主要国际文书的缔约国。"},
	{"Example's programme of {measure} with {agency} now covers {n} regions of the country.", "示例与{agency}合作开展的{measure}项目目前已覆盖全国{n}个地区。"},
	{"Officials from {place} and {place2} have visited Example to learn from its approach to {topic}.", "{place}和{place2}的官员曾访问示例，学习其{topic}工作经验。"},
	{"The link between {topic} and lasting peace is now widely recognized.", "{topic}与持久和平之间的联系已得到广泛承认。"},
	{"Half of the projects supported by Example in {year} concerned {topic} or {topic2}.", "{year}年示例支持的项目中，有一半涉及{topic}或{topic2}。"},
	{"Women and young people have led many of the most successful initiatives on {topic} in {place}.", "在{place}，许多最成功的{topic}倡议由妇女和青年牵头。"},
}

// narrative sentences report what someone did: news, readouts, press
// releases.
var narrative = []tmplPair{
	{"{sname} said that {topic} remains a priority of Example's foreign policy.", "{sname}表示，{topic}始终是示例外交政策的优先方向。"},
	{"{sname} thanked the hosts and noted that the exchange had given new momentum to cooperation on {topic}.", "{sname}感谢东道方，并指出此次交流为双方在{topic}领域的合作注入了新动力。"},
	{"{sname} recalled that Example had hosted a regional conference on {topic} in {place2} in {year0}.", "{sname}回顾说，示例曾于{year0}年在{place2}主办{topic}地区会议。"},
	{"{sname} expressed appreciation to {agency} for its work on {topic} in difficult circumstances.", "{sname}赞赏{agency}在困难条件下为{topic}所做的工作。"},
	{"{sname} stressed that {measure} and {measure2} would be essential to progress on {topic}.", "{sname}强调，{measure}和{measure2}对推进{topic}工作至关重要。"},
	{"The Mission's staff also visited projects on {measure} in {place2} and met representatives of {group}.", "代表团工作人员还考察了{place2}的{measure}项目，并会见了{group}代表。"},
	{"{sname} invited partners to take part in the {body} {event} on {topic} in {nextyear}.", "{sname}邀请各方参加{nextyear}年举行的{body}{topic}{event}。"},
	{"The programme also included meetings with researchers working on {topic2}.", "活动期间还安排了与从事{topic2}研究的学者的会面。"},
	{"{sname} noted that trade between Example and {country} had grown by {pct} per cent since {year0}.", "{sname}指出，{year0}年以来示例与{country}的贸易额增长了{pct}%。"},
	{"{sname} also answered questions from journalists about {topic2}.", "{sname}还回答了记者关于{topic2}的提问。"},
	{"The Mission will continue to follow the work of the {body} on {topic} closely.", "代表团将继续密切关注{body}在{topic}问题上的工作。"},
	{"Both sides expressed satisfaction with the progress made since {year0}.", "双方对{year0}年以来取得的进展表示满意。"},
}

// meeting sentences belong to readouts of talks and calls.
var meeting = []tmplPair{
	{"The two sides exchanged views on {topic} and {topic2}, as well as on regional developments.", "双方就{topic}、{topic2}以及地区形势交换了意见。"},
	{"The {cp} of {country} welcomed Example's proposals and expressed the hope that the two countries would deepen cooperation on {topic}.", "{country}{cp}欢迎示例提出的倡议，希望两国深化{topic}合作。"},
	{"Both sides agreed to hold the next round of consultations in {place2} in {nextyear}.", "双方同意于{nextyear}年在{place2}举行下一轮磋商。"},
	{"The {cp} briefed {sname} on the priorities of {country} for {topic}.", "{cp}向{sname}介绍了{country}在{topic}方面的优先事项。"},
	{"The two sides agreed to strengthen coordination in the {body} and other multilateral forums.", "双方同意加强在{body}等多边场合的协调。"},
	{"{sname} said that Example valued its long friendship with {country} and was ready to expand cooperation on {topic2}.", "{sname}表示，示例珍视与{country}的传统友谊，愿扩大双方在{topic2}领域的合作。"},
	{"The two sides also discussed preparations for the visit of the {cp} of {country} to {place} in {nextyear}.", "双方还讨论了{country}{cp}{nextyear}年访问{place}的筹备工作。"},
	{"They agreed that experts from both countries would meet in {place2} to work out the details of a joint programme on {measure}.", "双方同意两国专家在{place2}会面，商定{measure}联合项目的具体安排。"},
	{"The {cp} of {country} said that {country} appreciated Example's support for {group}.", "{country}{cp}表示，{country}赞赏示例对{group}的支持。"},
	{"Talks covered {topic}, {topic2} and the preparations for the {body} {event}.", "会谈涉及{topic}、{topic2}以及{body}{event}的筹备工作。"},
}

// gathering sentences describe events: seminars, receptions, visits.
var gathering = []tmplPair{
	{"More than {n0} participants, including representatives of {group} and {agency}, attended the event.", "来自{group}和{agency}的代表等{n0}余人出席活动。"},
	{"Participants discussed how {measure} could help {group} cope with the effects of {topic}.", "与会者探讨了如何通过{measure}帮助{group}应对{topic}带来的影响。"},
	{"The event was organized by the Mission together with {agency} and the {place} {institute}.", "活动由代表团与{agency}和{place}{institute}共同主办。"},
	{"Speakers from {place} and {place2} described how {measure} had changed the situation on the ground.", "来自{place}和{place2}的发言者介绍了{measure}如何改变了当地的情况。"},
	{"The discussion also touched on {topic2} and on the role of {agency} in coordinating international support.", "讨论还涉及{topic2}以及{agency}在协调国际支持方面的作用。"},
	{"An exhibition of photographs from {place2} showed the work of {group} on {topic}.", "来自{place2}的图片展展示了{group}在{topic}方面所做的工作。"},
	{"Students from the {place} {institute} presented their research on {topic2}.", "{place}{institute}的学生介绍了他们在{topic2}方面的研究成果。"},
	{"Ministers and officials from {n} countries took part in the discussions in {place}.", "来自{n}个国家的部长和官员参加了在{place}举行的讨论。"},
	{"Guests also enjoyed music and food from the different regions of Example.", "来宾还欣赏了示例各地的音乐，品尝了特色美食。"},
	{"The organizers plan to publish a summary of the discussions and to hold a follow-up meeting in {nextyear}.", "主办方计划发布讨论纪要，并于{nextyear}年举行后续会议。"},
	{"{sname} welcomed the guests and presented Example's work on {topic} since {year0}.", "{sname}欢迎来宾，并介绍了示例{year0}年以来在{topic}领域的工作。"},
	{"A representative of {agency} said that the partnership with Example had made a real difference in {place2}.", "{agency}代表表示，与示例的伙伴关系给{place2}带来了实实在在的变化。"},
}

// paper sentences belong to documents.
var paper = []tmplPair{
	{"This paper draws on consultations held in {place} and {place2} in {year}.", "本文件参考了{year}年在{place}和{place2}举行的磋商成果。"},
	{"The annex lists the projects supported by the Republic of Example since {year0}.", "附件列出了示例共和国{year0}年以来支持的项目。"},
	{"The Republic of Example invites all Member States to consider these proposals in a spirit of cooperation.", "示例共和国请各会员国本着合作精神审议上述建议。"},
}

// standing sentences belong to pages about the Mission.
var standing = []tmplPair{
	{"The Mission is open to visitors on weekdays by appointment.", "代表团工作日接待预约访客。"},
	{"Requests for meetings on {topic} should be sent to the Mission's political section.", "如需就{topic}问题约见，请联系代表团政治处。"},
	{"The Mission's staff includes specialists in {topic}, {topic2} and {measure}.", "代表团工作人员中有{topic}、{topic2}和{measure}方面的专家。"},
	{"Before joining the Mission, {sname} served in {place} and {place2}.", "在加入代表团之前，{sname}曾在{place}和{place2}任职。"},
	{"{sname} has written on {topic} and {topic2}.", "{sname}曾撰写多篇关于{topic}和{topic2}的文章。"},
}

// closers end a body, per kind.
var closers = map[content.Kind][]tmplPair{
	content.KindStatement: {
		{"I thank you, Mr. President.", "谢谢主席先生。"},
		{"Example will remain a constructive partner of the {body} on {topic}. Thank you.", "示例将继续作为{body}在{topic}问题上的建设性伙伴。谢谢。"},
	},
	content.KindNews: {
		{"The event concluded with a reception hosted by {sname}.", "活动最后，{sname}举行了招待会。"},
		{"Photographs of the event are available from the Mission's press office.", "活动图片可向代表团新闻处索取。"},
	},
	content.KindReadout: {
		{"The two sides agreed to stay in close contact.", "双方同意保持密切沟通。"},
		{"Both sides agreed to keep in close touch on {topic}.", "双方同意就{topic}问题保持密切沟通。"},
	},
	content.KindPressRelease: {
		{"Media enquiries may be addressed to the Mission's press office.", "媒体垂询请联系代表团新闻处。"},
	},
	content.KindDocument: {
		{"The Republic of Example stands ready to work with all parties to translate these proposals into action.", "示例共和国愿同各方一道，推动上述建议落到实处。"},
	},
	content.KindPage: {
		{"For appointments, please contact the Mission's protocol office.", "如需预约，请联系代表团礼宾处。"},
	},
}

// summaries: one sentence per piece, per kind.
var summaries = map[content.Kind][]tmplPair{
	content.KindStatement: {
		{"{sname} called on the {body} to step up {measure} on {topic}.", "{sname}呼吁{body}加强{topic}领域的{measure}。"},
		{"{sname} set out Example's position on {topic} and its proposals for {nextyear}.", "{sname}阐述了示例在{topic}问题上的立场及{nextyear}年的建议。"},
	},
	content.KindReadout: {
		{"{sname} and the {cp} of {country} discussed {topic} and agreed to deepen cooperation.", "{sname}与{country}{cp}讨论了{topic}问题，同意深化合作。"},
		{"The two sides reviewed cooperation on {topic} and {topic2}.", "双方回顾了在{topic}和{topic2}领域的合作。"},
	},
	content.KindNews: {
		{"The event in {place} brought together {group} and experts to discuss {topic}.", "在{place}举行的活动汇聚了{group}和专家，共同探讨{topic}问题。"},
		{"{sname} presented Example's work on {topic} to partners in {place}.", "{sname}向{place}的合作伙伴介绍了示例在{topic}领域的工作。"},
	},
	content.KindPressRelease: {
		{"The Mission sets out the outcome on {topic} and the next steps.", "代表团介绍了{topic}相关成果和下一步安排。"},
	},
	content.KindDocument: {
		{"The position of the Republic of Example on {topic}, with proposals for the {body}.", "示例共和国在{topic}问题上的立场及对{body}的建议。"},
	},
	content.KindPage: {
		{"How the Mission works on {topic}, and how to reach it.", "代表团在{topic}领域的工作及联系方式。"},
	},
}

// listIntros introduce a Markdown list of listItems, per kind.
var listIntros = map[content.Kind][]tmplPair{
	content.KindStatement: {
		{"Example proposes the following steps:", "示例提出以下建议："},
		{"We call on the {body} to:", "我们呼吁{body}："},
		{"Our priorities for {nextyear} are to:", "我们{nextyear}年的优先事项是："},
	},
	content.KindDocument: {
		{"The Republic of Example proposes to:", "示例共和国建议："},
		{"We call on the {body} to:", "我们呼吁{body}："},
	},
	content.KindReadout: {
		{"The two sides agreed to:", "双方同意："},
	},
	content.KindNews: {
		{"The participants agreed on the need to:", "与会者一致认为有必要："},
		{"The Mission's programme for {nextyear} aims to:", "代表团{nextyear}年的工作计划旨在："},
	},
	content.KindPressRelease: {
		{"The two sides agreed to:", "双方同意："},
	},
	content.KindPage: {
		{"The Mission works to:", "代表团致力于："},
	},
}

var listItems = []tmplPair{
	{"strengthen {measure} for {group}", "加强面向{group}的{measure}"},
	{"integrate {topic} into national development plans", "将{topic}纳入国家发展规划"},
	{"mobilize financing for {topic2} in {place}", "为{place}的{topic2}筹集资金"},
	{"support the work of {agency} on {topic}", "支持{agency}在{topic}方面的工作"},
	{"share data and expertise through {measure2}", "通过{measure2}分享数据和专业知识"},
	{"review progress at the {body} in {nextyear}", "在{nextyear}年{body}会议上审议进展"},
	{"expand exchanges between {place} and {place2}", "扩大{place}与{place2}之间的交流"},
	{"involve {group} in every stage of the work on {topic}", "让{group}参与{topic}工作的各个环节"},
	{"set up a joint working group on {topic} with {country}", "与{country}成立{topic}联合工作组"},
}
