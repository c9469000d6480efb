package benchdata

import (
	"strings"
	"unicode"
)

// The invented world of the benchmark network: the diplomats of the
// Republic of Example, the countries and officials they meet, the bodies
// and conferences they speak at, the topics they speak on and the places
// they go. Every word list is kept in English and Chinese side by side,
// so that a title or a sentence composed from it has a natural
// translation. The people and countries are invented; real organisations
// and cities appear only as the setting.

// term is one word or phrase in both languages. en is the form used in
// running text; its title-case form is derived once (see titleCase).
type term struct {
	en, zh string
}

// role is the rank or office of one of Example's diplomats. In Chinese
// some titles come before the name (外交部长某某) and some after it
// (某某大使).
type role struct {
	en, zh  string
	zhAfter bool
}

var roles = []role{
	{"Ambassador", "大使", true},                          // 0
	{"Deputy Permanent Representative", "副常驻代表", false}, // 1
	{"Foreign Minister", "外交部长", false},                 // 2
	{"Deputy Foreign Minister", "外交部副部长", false},        // 3
	{"Minister-Counsellor", "公使衔参赞", true},              // 4
	{"Counsellor", "参赞", true},                          // 5
	{"First Secretary", "一等秘书", false},                  // 6
	{"Chargé d'Affaires", "临时代办", false},                // 7
	{"Special Envoy", "特使", false},                      // 8
	{"Minister", "公使", true},                            // 9
	{"Consul General", "总领事", true},                     // 10
	{"Permanent Representative", "常驻代表", false},         // 11
}

// person is one of Example's diplomats. Chinese usage names a foreign
// official by surname and title, so only the surname is transliterated;
// every transliteration is distinct.
type person struct {
	given, surname, zh string
	role               int
}

// people: 74 invented diplomats. Their roles follow roleCycle.
var people = func() []person {
	names := [][3]string{
		{"Amara", "Ondreval", "翁德雷瓦尔"},
		{"Tomas", "Veridian", "维里迪安"},
		{"Ilse", "Marchetti-Vane", "马尔凯蒂-韦恩"},
		{"Rafael", "Quennell", "昆内尔"},
		{"Sefa", "Annorbah", "安诺巴"},
		{"Joaquim", "Tessaro", "泰萨罗"},
		{"Liesel", "Hartmoor", "哈特穆尔"},
		{"Kwame", "Dorsabe", "多尔萨贝"},
		{"Elin", "Sarkova", "萨尔科娃"},
		{"Teodor", "Vasquelle", "瓦斯奎尔"},
		{"Priya", "Ramanathan-Lowe", "拉马纳坦-洛"},
		{"Oskar", "Ferreby", "费雷比"},
		{"Nia", "Mbekela", "姆贝凯拉"},
		{"Anselm", "Grauwert", "格劳沃特"},
		{"Yara", "Calloway", "卡洛韦"},
		{"Matthias", "Oyelaran", "奥耶拉兰"},
		{"Soraya", "Delacroix-Amadi", "德拉克鲁瓦-阿马迪"},
		{"Henrik", "Talvela", "塔尔韦拉"},
		{"Lucia", "Ferrant", "费兰特"},
		{"Dmitri", "Ostrevan", "奥斯特雷万"},
		{"Adaeze", "Norquist", "诺奎斯特"},
		{"Pieter", "Vandermolen", "范德莫伦"},
		{"Ines", "Carvalhal", "卡尔瓦利亚尔"},
		{"Kofi", "Abenathy", "阿贝纳西"},
		{"Saskia", "Lundgren-Ayo", "伦德格伦-阿约"},
		{"Emeric", "Dubrovan", "杜布罗万"},
		{"Leila", "Haddaoui", "哈达维"},
		{"Rowan", "Achterberg", "阿赫特贝赫"},
		{"Nkechi", "Olumide", "奥卢米德"},
		{"Felix", "Strandqvist", "斯特兰德奎斯特"},
		{"Marisol", "Echevarne", "埃切瓦尔内"},
		{"Tobias", "Kerrigan", "克里根"},
		{"Aiko", "Verhoeven", "费尔霍芬"},
		{"Bastian", "Moravec", "莫拉韦茨"},
		{"Zainab", "Qureshi-Bell", "库雷希-贝尔"},
		{"Lorenzo", "Abruzzi", "阿布鲁齐"},
		{"Freya", "Holmsted", "霍尔姆斯特德"},
		{"Emeka", "Nwosu-Grant", "恩沃苏-格兰特"},
		{"Clara", "Wendeborn", "文德博恩"},
		{"Viktor", "Salminen", "萨尔米宁"},
		{"Esperanza", "Olivaro", "奥利瓦罗"},
		{"Jonas", "Aldercott", "奥尔德科特"},
		{"Thandiwe", "Mokoena-Reyes", "莫科埃纳-雷耶斯"},
		{"Arvid", "Kallberg", "卡尔贝里"},
		{"Noor", "Elsayed-Park", "埃尔赛义德-帕克"},
		{"Gideon", "Marlowe", "马洛"},
		{"Annika", "Vaaranen", "瓦拉宁"},
		{"Sebastien", "Loiseaux", "卢瓦索"},
		{"Mirela", "Constantinescu-Ward", "康斯坦丁内斯库-沃德"},
		{"Desmond", "Okafor-Lind", "奥卡福-林德"},
		{"Helena", "Brask", "布拉斯克"},
		{"Ismael", "Vantongeren", "范通赫伦"},
		{"Rosalind", "Quaye", "奎伊"},
		{"Casimir", "Wolanski", "沃兰斯基"},
		{"Ebba", "Sondergaard", "松德高"},
		{"Malik", "Dembara", "登巴拉"},
		{"Ottilie", "Fairbairn", "费尔贝恩"},
		{"Ruben", "Castellane", "卡斯特兰"},
		{"Selin", "Aksoyan", "阿克索扬"},
		{"Magnus", "Thorvaldsen-Ilo", "托瓦尔森-伊洛"},
		{"Chiara", "Bellomonte", "贝洛蒙特"},
		{"Hamid", "Zarandi", "扎兰迪"},
		{"Agnieszka", "Pawlenko", "帕夫连科"},
		{"Julien", "Marchbanks", "马奇班克斯"},
		{"Wanjiru", "Kamau-Hill", "卡毛-希尔"},
		{"Stellan", "Norberg", "诺尔贝格"},
		{"Imogen", "Tresize", "特雷西兹"},
		{"Bartholomew", "Ezeoke", "埃泽奥凯"},
		{"Mirjam", "Kooistra", "科伊斯特拉"},
		{"Anton", "Belosky", "别洛斯基"},
		{"Farida", "Osei-Lang", "奥塞-朗"},
		{"Leopold", "Wynant", "维南特"},
		{"Cecilia", "Montfort", "蒙福尔"},
		{"Ngozi", "Adebanjo", "阿德班乔"},
		{"Evander", "Siljander", "西利安德"},
	}
	roleCycle := []int{0, 1, 0, 5, 4, 0, 11, 6, 2, 0, 3, 1, 5, 0, 8, 9, 0, 7, 10, 4, 0, 5, 1, 6}
	ps := make([]person, len(names))
	for i, n := range names {
		ps[i] = person{given: n[0], surname: n[1], zh: n[2], role: roleCycle[i%len(roleCycle)]}
	}
	return ps
}()

// countries: invented states Example meets and signs agreements with.
var countries = []term{
	{"Aldoria", "阿尔多利亚"}, {"Belvaro", "贝尔瓦罗"}, {"Castavia", "卡斯塔维亚"}, {"Dravonia", "德拉沃尼亚"},
	{"Esterland", "埃斯特兰"}, {"Farvena", "法尔韦纳"}, {"Galivar", "加利瓦尔"}, {"Halvenia", "哈尔韦尼亚"},
	{"Ismeria", "伊斯梅里亚"}, {"Jorvania", "约尔瓦尼亚"}, {"Kelaria", "凯拉里亚"}, {"Lumera", "卢梅拉"},
	{"Marovia", "马罗维亚"}, {"Norvale", "诺尔瓦尔"}, {"Orsenia", "奥尔塞尼亚"}, {"Pelagia", "佩拉吉亚"},
	{"Quorvia", "夸尔维亚"}, {"Rovena", "罗韦纳"}, {"Solvaria", "索尔瓦里亚"}, {"Tavaris", "塔瓦里斯"},
	{"Ulvania", "乌尔瓦尼亚"}, {"Valtessa", "瓦尔泰萨"}, {"Westmarch", "韦斯特马奇"}, {"Xanthea", "桑西亚"},
	{"Yelvaria", "耶尔瓦里亚"}, {"Zarovia", "扎罗维亚"}, {"Amberlay", "安伯莱"}, {"Brisane", "布里萨内"},
	{"Corvessa", "科尔韦萨"}, {"Delmarra", "德尔马拉"}, {"Elvoria", "埃尔沃里亚"}, {"Fennhold", "芬霍尔德"},
	{"Gorvand", "戈尔万德"}, {"Heliora", "赫利奥拉"}, {"Kestria", "凯斯特里亚"}, {"Lorvane", "洛尔瓦内"},
	{"Mirenza", "米伦扎"}, {"Nestoria", "内斯托里亚"}, {"Ossaria", "奥萨里亚"}, {"Pravenia", "普拉韦尼亚"},
	{"Rhundia", "伦迪亚"}, {"Sarenta", "萨伦塔"}, {"Tirvalo", "蒂尔瓦洛"},
}

// counterparts: the offices of the foreign officials Example's diplomats
// meet, as "the {cp} of {country}" and "{country}{cp}".
var counterparts = []term{
	{"Foreign Minister", "外长"}, {"Prime Minister", "总理"}, {"President", "总统"},
	{"Minister of Trade", "贸易部长"}, {"Minister of the Environment", "环境部长"}, {"Minister of Health", "卫生部长"},
	{"Permanent Representative", "常驻代表"}, {"Ambassador", "大使"}, {"Deputy Foreign Minister", "副外长"},
	{"Minister of Education", "教育部长"}, {"Speaker of Parliament", "议长"}, {"Minister of Agriculture", "农业部长"},
	{"Minister of Energy", "能源部长"}, {"Minister of Finance", "财政部长"}, {"Special Envoy", "特使"},
	{"Vice-President", "副总统"}, {"Minister of Justice", "司法部长"}, {"Minister of Defence", "国防部长"},
	{"Minister of the Interior", "内政部长"}, {"Minister of Culture", "文化部长"}, {"Minister of Tourism", "旅游部长"},
	{"Minister of Labour", "劳工部长"}, {"Minister of Transport", "交通部长"}, {"Minister of Water Resources", "水利部长"},
	{"Minister of Science and Technology", "科技部长"}, {"Minister of Fisheries", "渔业部长"},
	{"Secretary-General of the Foreign Ministry", "外交部秘书长"},
}

// places: host cities of conferences, capitals visited, and the towns of
// Example itself (the last sixteen).
var places = []term{
	{"Geneva", "日内瓦"}, {"Vienna", "维也纳"}, {"Nairobi", "内罗毕"}, {"New York", "纽约"},
	{"Bangkok", "曼谷"}, {"Addis Ababa", "亚的斯亚贝巴"}, {"Santiago", "圣地亚哥"}, {"Beirut", "贝鲁特"},
	{"Rome", "罗马"}, {"Paris", "巴黎"}, {"Rotterdam", "鹿特丹"}, {"Bonn", "波恩"},
	{"Montreal", "蒙特利尔"}, {"Copenhagen", "哥本哈根"}, {"Beijing", "北京"}, {"Shanghai", "上海"},
	{"Guangzhou", "广州"}, {"Kunming", "昆明"}, {"Xiamen", "厦门"}, {"Chengdu", "成都"},
	{"Wuhan", "武汉"}, {"Tianjin", "天津"}, {"Hangzhou", "杭州"}, {"Xi'an", "西安"},
	{"Nanjing", "南京"}, {"Qingdao", "青岛"}, {"Dakar", "达喀尔"}, {"Jakarta", "雅加达"},
	{"Manila", "马尼拉"}, {"Doha", "多哈"}, {"Tokyo", "东京"}, {"Seoul", "首尔"},
	{"Singapore", "新加坡"}, {"Kuala Lumpur", "吉隆坡"}, {"Hanoi", "河内"}, {"Lima", "利马"},
	{"Bogotá", "波哥大"}, {"Brasília", "巴西利亚"}, {"Mexico City", "墨西哥城"}, {"Buenos Aires", "布宜诺斯艾利斯"},
	{"Cairo", "开罗"}, {"Abuja", "阿布贾"}, {"Accra", "阿克拉"}, {"Johannesburg", "约翰内斯堡"},
	{"Kigali", "基加利"}, {"Dar es Salaam", "达累斯萨拉姆"}, {"Istanbul", "伊斯坦布尔"}, {"Madrid", "马德里"},
	{"Lisbon", "里斯本"}, {"Brussels", "布鲁塞尔"}, {"Berlin", "柏林"}, {"Oslo", "奥斯陆"},
	{"Stockholm", "斯德哥尔摩"}, {"Helsinki", "赫尔辛基"}, {"Warsaw", "华沙"}, {"Prague", "布拉格"},
	{"Budapest", "布达佩斯"}, {"Athens", "雅典"}, {"Ottawa", "渥太华"}, {"Canberra", "堪培拉"},
	{"Wellington", "惠灵顿"}, {"Suva", "苏瓦"}, {"Apia", "阿皮亚"}, {"Windhoek", "温得和克"},
	{"Port Aurel", "奥雷尔港"}, {"Velden Bay", "费尔登湾"}, {"Cardanne", "卡尔丹"}, {"Mirrow", "米罗"},
	{"Saltmere", "索尔特米尔"}, {"Eastwold", "伊斯特沃尔德"}, {"Kelmouth", "凯尔茅斯"}, {"Brennfall", "布伦福尔"},
	{"Lake Oriel", "奥里尔湖"}, {"Northhaven", "诺斯黑文"}, {"Tessary", "泰萨里"}, {"Amberport", "安伯港"},
	{"Glenmora", "格伦莫拉"}, {"Halloway", "哈洛韦"}, {"Rivenford", "里文福德"}, {"Stonebridge", "斯通布里奇"},
}

// Topic domains, so that a section on disarmament mostly hears about
// disarmament. A section with no domain takes any topic.
const (
	domPeace  = 'P' // peace, security, disarmament
	domDev    = 'D' // sustainable development, economy, finance
	domEnv    = 'V' // climate, environment, oceans
	domHealth = 'H' // health
	domRights = 'R' // human rights, social development
	domCoop   = 'C' // bilateral cooperation, culture, people-to-people
	domGov    = 'G' // UN affairs, law, governance
)

type topic struct {
	term
	domain byte
}

// topics: what statements, meetings and papers are about.
var topics = []topic{
	{term{"water security", "水资源安全"}, domEnv},
	{term{"maritime cooperation", "海洋合作"}, domCoop},
	{term{"vaccine equity", "疫苗公平分配"}, domHealth},
	{term{"climate adaptation", "气候适应"}, domEnv},
	{term{"food security", "粮食安全"}, domDev},
	{term{"nuclear disarmament", "核裁军"}, domPeace},
	{term{"nuclear non-proliferation", "核不扩散"}, domPeace},
	{term{"cybersecurity", "网络安全"}, domPeace},
	{term{"artificial intelligence governance", "人工智能治理"}, domGov},
	{term{"protection of civilians", "保护平民"}, domPeace},
	{term{"children and armed conflict", "儿童与武装冲突"}, domPeace},
	{term{"women, peace and security", "妇女与和平与安全"}, domPeace},
	{term{"youth, peace and security", "青年与和平与安全"}, domPeace},
	{term{"peacekeeping reform", "维和行动改革"}, domPeace},
	{term{"peacebuilding and sustaining peace", "建设和平与保持和平"}, domPeace},
	{term{"counter-terrorism cooperation", "反恐合作"}, domPeace},
	{term{"small arms and light weapons", "小武器和轻武器"}, domPeace},
	{term{"landmine clearance", "地雷清除"}, domPeace},
	{term{"outer space security", "外空安全"}, domPeace},
	{term{"peaceful uses of outer space", "和平利用外空"}, domGov},
	{term{"biodiversity conservation", "生物多样性保护"}, domEnv},
	{term{"ocean governance", "海洋治理"}, domEnv},
	{term{"marine plastic pollution", "海洋塑料污染"}, domEnv},
	{term{"sustainable fisheries", "可持续渔业"}, domEnv},
	{term{"combating desertification", "防治荒漠化"}, domEnv},
	{term{"renewable energy", "可再生能源"}, domEnv},
	{term{"energy transition", "能源转型"}, domEnv},
	{term{"green finance", "绿色金融"}, domDev},
	{term{"debt sustainability", "债务可持续性"}, domDev},
	{term{"financing for development", "发展筹资"}, domDev},
	{term{"South-South cooperation", "南南合作"}, domDev},
	{term{"poverty eradication", "消除贫困"}, domDev},
	{term{"rural development", "农村发展"}, domDev},
	{term{"global health security", "全球卫生安全"}, domHealth},
	{term{"pandemic preparedness", "大流行病防范"}, domHealth},
	{term{"antimicrobial resistance", "抗微生物药物耐药性"}, domHealth},
	{term{"universal health coverage", "全民健康覆盖"}, domHealth},
	{term{"mental health", "心理健康"}, domHealth},
	{term{"ending tuberculosis", "终结结核病"}, domHealth},
	{term{"malaria elimination", "消除疟疾"}, domHealth},
	{term{"HIV prevention", "艾滋病预防"}, domHealth},
	{term{"maternal and child health", "妇幼健康"}, domHealth},
	{term{"quality education", "优质教育"}, domRights},
	{term{"girls' education", "女童教育"}, domRights},
	{term{"digital inclusion", "数字包容"}, domDev},
	{term{"bridging the digital divide", "弥合数字鸿沟"}, domDev},
	{term{"data governance", "数据治理"}, domGov},
	{term{"e-commerce", "电子商务"}, domDev},
	{term{"trade facilitation", "贸易便利化"}, domDev},
	{term{"supply chain resilience", "供应链韧性"}, domDev},
	{term{"investment protection", "投资保护"}, domDev},
	{term{"intellectual property", "知识产权"}, domDev},
	{term{"migration governance", "移民治理"}, domRights},
	{term{"refugee protection", "难民保护"}, domRights},
	{term{"humanitarian access", "人道主义准入"}, domPeace},
	{term{"disaster risk reduction", "减少灾害风险"}, domEnv},
	{term{"early warning", "早期预警"}, domEnv},
	{term{"urban resilience", "城市韧性"}, domDev},
	{term{"sustainable cities", "可持续城市"}, domDev},
	{term{"adequate housing", "适足住房"}, domRights},
	{term{"road safety", "道路安全"}, domHealth},
	{term{"clean air", "清洁空气"}, domEnv},
	{term{"chemical weapons", "化学武器"}, domPeace},
	{term{"biosecurity", "生物安全"}, domPeace},
	{term{"nuclear safety", "核安全"}, domPeace},
	{term{"peaceful uses of nuclear energy", "和平利用核能"}, domPeace},
	{term{"rule of law", "法治"}, domGov},
	{term{"international criminal justice", "国际刑事司法"}, domGov},
	{term{"law of the sea", "海洋法"}, domGov},
	{term{"judicial cooperation", "司法合作"}, domGov},
	{term{"anti-corruption cooperation", "反腐败合作"}, domGov},
	{term{"transnational organized crime", "跨国有组织犯罪"}, domGov},
	{term{"drug control", "禁毒"}, domGov},
	{term{"combating human trafficking", "打击人口贩运"}, domRights},
	{term{"human rights education", "人权教育"}, domRights},
	{term{"right to development", "发展权"}, domRights},
	{term{"rights of persons with disabilities", "残疾人权利"}, domRights},
	{term{"rights of older persons", "老年人权利"}, domRights},
	{term{"rights of indigenous peoples", "土著人民权利"}, domRights},
	{term{"gender equality", "性别平等"}, domRights},
	{term{"women's economic empowerment", "妇女经济赋权"}, domRights},
	{term{"youth employment", "青年就业"}, domRights},
	{term{"decent work", "体面劳动"}, domRights},
	{term{"social protection", "社会保障"}, domRights},
	{term{"ageing populations", "人口老龄化"}, domRights},
	{term{"population and development", "人口与发展"}, domRights},
	{term{"sustainable tourism", "可持续旅游"}, domCoop},
	{term{"cultural heritage protection", "文化遗产保护"}, domCoop},
	{term{"cultural diversity", "文化多样性"}, domCoop},
	{term{"interfaith dialogue", "宗教间对话"}, domCoop},
	{term{"sport for development", "体育促进发展"}, domCoop},
	{term{"science diplomacy", "科学外交"}, domCoop},
	{term{"polar research", "极地研究"}, domCoop},
	{term{"Arctic cooperation", "北极合作"}, domCoop},
	{term{"Antarctic research", "南极科考"}, domCoop},
	{term{"mountain ecosystems", "山地生态系统"}, domEnv},
	{term{"forest protection", "森林保护"}, domEnv},
	{term{"wetland conservation", "湿地保护"}, domEnv},
	{term{"coral reef protection", "珊瑚礁保护"}, domEnv},
	{term{"sea-level rise", "海平面上升"}, domEnv},
	{term{"small island developing states", "小岛屿发展中国家"}, domDev},
	{term{"least developed countries", "最不发达国家"}, domDev},
	{term{"landlocked developing countries", "内陆发展中国家"}, domDev},
	{term{"Africa's development", "非洲发展"}, domDev},
	{term{"regional connectivity", "区域互联互通"}, domDev},
	{term{"infrastructure investment", "基础设施投资"}, domDev},
	{term{"transport corridors", "交通走廊"}, domDev},
	{term{"port cooperation", "港口合作"}, domCoop},
	{term{"civil aviation", "民用航空"}, domCoop},
	{term{"shipping decarbonization", "航运脱碳"}, domEnv},
	{term{"green hydrogen", "绿色氢能"}, domEnv},
	{term{"critical minerals", "关键矿产"}, domDev},
	{term{"water and sanitation", "水与环境卫生"}, domDev},
	{term{"transboundary rivers", "跨界河流"}, domEnv},
	{term{"groundwater management", "地下水管理"}, domEnv},
	{term{"drought resilience", "抗旱韧性"}, domEnv},
	{term{"agricultural innovation", "农业创新"}, domDev},
	{term{"smallholder agriculture", "小农农业"}, domDev},
	{term{"child nutrition", "儿童营养"}, domHealth},
	{term{"school feeding", "学校供餐"}, domRights},
	{term{"food loss and waste", "粮食损失和浪费"}, domDev},
	{term{"fertilizer supply", "化肥供应"}, domDev},
	{term{"sanctions regimes", "制裁制度"}, domPeace},
	{term{"preventive diplomacy", "预防性外交"}, domPeace},
	{term{"conflict mediation", "冲突调解"}, domPeace},
	{term{"post-conflict reconstruction", "冲突后重建"}, domPeace},
	{term{"security sector reform", "安全部门改革"}, domPeace},
	{term{"disarmament, demobilization and reintegration", "解除武装、复员和重返社会"}, domPeace},
	{term{"United Nations reform", "联合国改革"}, domGov},
	{term{"Security Council reform", "安理会改革"}, domGov},
	{term{"revitalization of the General Assembly", "振兴联大工作"}, domGov},
	{term{"the United Nations budget", "联合国预算"}, domGov},
	{term{"peacekeeping financing", "维和经费"}, domPeace},
	{term{"multilateralism", "多边主义"}, domGov},
	{term{"global governance", "全球治理"}, domGov},
	{term{"the 2030 Agenda", "2030年议程"}, domDev},
	{term{"the Sustainable Development Goals", "可持续发展目标"}, domDev},
	{term{"climate finance", "气候融资"}, domEnv},
	{term{"loss and damage", "损失与损害"}, domEnv},
	{term{"carbon markets", "碳市场"}, domEnv},
	{term{"methane emissions", "甲烷排放"}, domEnv},
	{term{"circular economy", "循环经济"}, domEnv},
	{term{"sustainable consumption", "可持续消费"}, domEnv},
	{term{"single-use plastics", "一次性塑料"}, domEnv},
	{term{"chemicals management", "化学品管理"}, domEnv},
	{term{"air quality monitoring", "空气质量监测"}, domEnv},
	{term{"space debris", "空间碎片"}, domGov},
	{term{"satellite navigation", "卫星导航"}, domCoop},
	{term{"ICT security", "信息通信技术安全"}, domPeace},
	{term{"online child protection", "儿童网络保护"}, domRights},
	{term{"countering disinformation", "应对虚假信息"}, domGov},
	{term{"safety of journalists", "记者安全"}, domRights},
	{term{"consular protection", "领事保护"}, domCoop},
	{term{"diaspora engagement", "海外侨民联系"}, domCoop},
	{term{"visa facilitation", "签证便利化"}, domCoop},
	{term{"student exchanges", "学生交流"}, domCoop},
	{term{"academic cooperation", "学术合作"}, domCoop},
	{term{"vocational training", "职业培训"}, domCoop},
	{term{"science and technology cooperation", "科技合作"}, domCoop},
	{term{"space cooperation", "航天合作"}, domCoop},
	{term{"health cooperation", "卫生合作"}, domHealth},
	{term{"traditional medicine", "传统医药"}, domHealth},
	{term{"telemedicine", "远程医疗"}, domHealth},
	{term{"biotechnology", "生物技术"}, domCoop},
	{term{"semiconductor supply chains", "半导体供应链"}, domDev},
	{term{"standards cooperation", "标准合作"}, domCoop},
	{term{"customs cooperation", "海关合作"}, domCoop},
	{term{"international tax cooperation", "国际税收合作"}, domDev},
	{term{"remittances", "侨汇"}, domDev},
	{term{"microfinance", "小额信贷"}, domDev},
	{term{"financial inclusion", "普惠金融"}, domDev},
	{term{"tourism recovery", "旅游业复苏"}, domCoop},
	{term{"creative industries", "创意产业"}, domCoop},
	{term{"museum partnerships", "博物馆合作"}, domCoop},
	{term{"language teaching", "语言教学"}, domCoop},
	{term{"sister-city partnerships", "友好城市合作"}, domCoop},
	{term{"parliamentary exchanges", "议会交流"}, domCoop},
	{term{"think-tank dialogue", "智库对话"}, domCoop},
	{term{"youth leadership", "青年领导力"}, domRights},
	{term{"volunteerism", "志愿服务"}, domRights},
	{term{"water diplomacy", "水外交"}, domEnv},
	{term{"energy efficiency", "能源效率"}, domEnv},
	{term{"electric mobility", "电动交通"}, domEnv},
	{term{"nuclear-weapon-free zones", "无核武器区"}, domPeace},
	{term{"the nuclear test ban", "禁止核试验"}, domPeace},
	{term{"export controls", "出口管制"}, domPeace},
	{term{"maritime security", "海上安全"}, domPeace},
	{term{"counter-piracy", "打击海盗"}, domPeace},
	{term{"deep-sea mining", "深海采矿"}, domEnv},
	{term{"marine protected areas", "海洋保护区"}, domEnv},
	{term{"the blue economy", "蓝色经济"}, domEnv},
	{term{"coastal erosion", "海岸侵蚀"}, domEnv},
	{term{"glacier retreat", "冰川退缩"}, domEnv},
	{term{"extreme heat", "极端高温"}, domEnv},
	{term{"wildfire prevention", "山火防治"}, domEnv},
	{term{"flood management", "洪水管理"}, domEnv},
	{term{"tropical cyclone preparedness", "热带气旋防范"}, domEnv},
}

// meetingEvents are the kinds of meeting a body holds.
var meetingEvents = []term{
	{"open debate", "公开辩论会"},                      // 0
	{"briefing", "通报会"},                           // 1
	{"high-level open debate", "高级别公开辩论会"},        // 2
	{"Arria-formula meeting", "阿里亚模式会议"},          // 3
	{"general debate", "一般性辩论"},                   // 4
	{"plenary meeting", "全体会议"},                   // 5
	{"high-level meeting", "高级别会议"},               // 6
	{"special session", "特别会议"},                   // 7
	{"thematic debate", "专题辩论"},                   // 8
	{"interactive dialogue", "互动对话"},              // 9
	{"panel discussion", "小组讨论会"},                 // 10
	{"annual session", "年会"},                      // 11
	{"ministerial segment", "部长级会议"},              // 12
	{"general discussion", "一般性讨论"},               // 13
	{"informal consultations", "非正式磋商"},           // 14
	{"side event", "边会"},                          // 15
	{"opening session", "开幕会议"},                   // 16
	{"closing session", "闭幕会议"},                   // 17
	{"annual open debate", "年度公开辩论会"},             // 18
	{"ministerial-level open debate", "部长级公开辩论会"}, // 19
	{"commemorative meeting", "纪念会议"},             // 20
}

// body is a UN organ, agency governing body or conference, with the
// meetings it holds and the section family it belongs to.
type body struct {
	term
	events []int
	family byte // 'S' Security Council, 'A' General Assembly plenary, 'C' GA committee, 'E' ECOSOC family, 'H' human rights, 'D' disarmament, 'K' peacekeeping, 'V' environment and development, 'O' other
}

var bodies = []body{
	{term{"Security Council", "安理会"}, []int{0, 1, 2, 3, 18, 19}, 'S'},
	{term{"General Assembly", "联大"}, []int{4, 5, 6, 7, 8, 20}, 'A'},
	{term{"First Committee", "联大一委"}, []int{4, 8, 15}, 'C'},
	{term{"Second Committee", "联大二委"}, []int{4, 10, 15}, 'C'},
	{term{"Third Committee", "联大三委"}, []int{4, 9, 15}, 'C'},
	{term{"Fourth Committee", "联大四委"}, []int{4, 13}, 'C'},
	{term{"Fifth Committee", "联大五委"}, []int{4, 14}, 'C'},
	{term{"Sixth Committee", "联大六委"}, []int{4, 13}, 'C'},
	{term{"Economic and Social Council", "经社理事会"}, []int{6, 10, 12, 11}, 'E'},
	{term{"Human Rights Council", "人权理事会"}, []int{9, 4, 10, 7}, 'H'},
	{term{"Peacebuilding Commission", "建设和平委员会"}, []int{11, 6, 1}, 'K'},
	{term{"Commission on the Status of Women", "妇女地位委员会"}, []int{13, 10, 15}, 'E'},
	{term{"Commission for Social Development", "社会发展委员会"}, []int{13, 10}, 'E'},
	{term{"Committee on the Peaceful Uses of Outer Space", "和平利用外层空间委员会"}, []int{4, 5}, 'O'},
	{term{"Conference on Disarmament", "裁军谈判会议"}, []int{5, 8, 16}, 'D'},
	{term{"High-level Political Forum", "可持续发展问题高级别政治论坛"}, []int{12, 10, 15}, 'V'},
	{term{"World Health Assembly", "世界卫生大会"}, []int{13, 5, 15}, 'E'},
	{term{"UN Environment Assembly", "联合国环境大会"}, []int{12, 5, 16}, 'V'},
	{term{"UNESCO General Conference", "联合国教科文组织大会"}, []int{4, 5}, 'O'},
	{term{"IAEA General Conference", "国际原子能机构大会"}, []int{4, 15}, 'D'},
	{term{"UNICEF Executive Board", "联合国儿童基金会执行局"}, []int{11, 14}, 'E'},
	{term{"UNDP Executive Board", "开发署执行局"}, []int{11, 14}, 'E'},
	{term{"UN-Habitat Assembly", "联合国人居大会"}, []int{5, 10}, 'V'},
	{term{"Commission on Narcotic Drugs", "麻醉药品委员会"}, []int{13, 12}, 'E'},
	{term{"Crime Commission", "预防犯罪和刑事司法委员会"}, []int{13, 5}, 'E'},
	{term{"Committee on World Food Security", "世界粮食安全委员会"}, []int{5, 10}, 'V'},
	{term{"FAO Conference", "粮农组织大会"}, []int{4, 12}, 'V'},
	{term{"Climate Change Conference", "联合国气候变化大会"}, []int{12, 6, 15, 16}, 'V'},
	{term{"NPT Review Conference", "《不扩散核武器条约》审议大会"}, []int{4, 10, 17}, 'D'},
	{term{"Meeting of States Parties to UNCLOS", "《联合国海洋法公约》缔约国会议"}, []int{5, 13}, 'O'},
	{term{"International Labour Conference", "国际劳工大会"}, []int{5, 13}, 'E'},
	{term{"Committee on Information", "新闻委员会"}, []int{4, 13}, 'O'},
	{term{"Special Committee on Peacekeeping Operations", "维和行动特别委员会"}, []int{4, 14}, 'K'},
	{term{"Open-ended Working Group on ICT Security", "信息通信技术安全开放式工作组"}, []int{5, 14, 9}, 'D'},
	{term{"UN Ocean Conference", "联合国海洋大会"}, []int{5, 10, 15}, 'V'},
	{term{"Financing for Development Forum", "发展筹资论坛"}, []int{6, 10}, 'V'},
	{term{"Commission on Population and Development", "人口与发展委员会"}, []int{13, 4}, 'E'},
	{term{"UN Forum on Forests", "联合国森林论坛"}, []int{5, 10}, 'V'},
	{term{"Committee for Programme and Coordination", "计划和协调委员会"}, []int{13, 14}, 'O'},
	{term{"ESCAP Commission", "亚太经社会"}, []int{11, 12}, 'V'},
	{term{"Arms Trade Treaty Conference", "《武器贸易条约》缔约国大会"}, []int{4, 13}, 'D'},
	{term{"Human Rights Committee of the General Assembly", "联大人权议题会议"}, []int{9, 13}, 'H'},
}

// agencies: the UN funds, programmes and agencies Example works with.
var agencies = []term{
	{"UNICEF", "联合国儿童基金会"}, {"the World Health Organization", "世界卫生组织"}, {"UNDP", "联合国开发计划署"},
	{"UNHCR", "联合国难民署"}, {"the World Food Programme", "世界粮食计划署"}, {"FAO", "联合国粮农组织"},
	{"UNESCO", "联合国教科文组织"}, {"the UN Environment Programme", "联合国环境规划署"}, {"UN Women", "联合国妇女署"},
	{"the International Organization for Migration", "国际移民组织"}, {"OCHA", "联合国人道主义事务协调厅"},
	{"UNFPA", "联合国人口基金"}, {"UN-Habitat", "联合国人居署"}, {"the International Atomic Energy Agency", "国际原子能机构"},
	{"the World Meteorological Organization", "世界气象组织"}, {"the International Maritime Organization", "国际海事组织"},
	{"the International Labour Organization", "国际劳工组织"}, {"UNCTAD", "联合国贸发会议"},
	{"the International Telecommunication Union", "国际电信联盟"}, {"UNIDO", "联合国工业发展组织"},
}

// measures: the means a statement proposes.
var measures = []term{
	{"early warning systems", "早期预警系统"}, {"capacity-building", "能力建设"}, {"technology transfer", "技术转让"},
	{"concessional finance", "优惠融资"}, {"regional cooperation", "区域合作"}, {"public-private partnerships", "公私伙伴关系"},
	{"data sharing", "数据共享"}, {"joint research", "联合研究"}, {"training programmes", "培训项目"},
	{"community-led solutions", "社区主导型解决方案"}, {"national action plans", "国家行动计划"}, {"legal frameworks", "法律框架"},
	{"monitoring mechanisms", "监测机制"}, {"pilot projects", "试点项目"}, {"South-South exchanges", "南南交流"},
	{"scholarship programmes", "奖学金项目"}, {"knowledge platforms", "知识平台"}, {"emergency funds", "应急基金"},
	{"independent assessments", "独立评估"}, {"digital public infrastructure", "数字公共基础设施"},
	{"expert missions", "专家考察团"}, {"blended finance", "混合融资"}, {"peer review", "同行审议"},
}

// groups: the people a measure is for.
var groups = []term{
	{"developing countries", "发展中国家"}, {"small island developing states", "小岛屿发展中国家"},
	{"women and girls", "妇女和女童"}, {"young people", "青年"}, {"local communities", "地方社区"},
	{"civil society organizations", "民间社会组织"}, {"the private sector", "私营部门"},
	{"refugees and host communities", "难民和收容社区"}, {"older persons", "老年人"},
	{"persons with disabilities", "残疾人"}, {"smallholder farmers", "小农户"}, {"coastal communities", "沿海社区"},
	{"health workers", "卫生工作者"}, {"teachers and students", "师生"}, {"indigenous peoples", "土著人民"},
	{"regional organizations", "区域组织"}, {"displaced families", "流离失所家庭"}, {"city governments", "城市政府"},
}

// socialEvents are events without a topic: receptions, concerts.
var socialEvents = []term{
	{"reception", "招待会"}, {"concert", "音乐会"}, {"film screening", "电影放映活动"}, {"open day", "开放日活动"},
	{"cultural festival", "文化节"}, {"food festival", "美食节"}, {"charity bazaar", "慈善义卖"},
	{"award ceremony", "颁奖仪式"}, {"memorial ceremony", "纪念仪式"}, {"art exhibition", "艺术展"},
	{"photo exhibition", "图片展"}, {"book fair", "书展"}, {"charity run", "慈善长跑活动"},
	{"tree-planting event", "植树活动"}, {"poetry evening", "诗歌朗诵会"}, {"dance performance", "舞蹈演出"},
	{"children's painting exhibition", "儿童绘画展"}, {"gala dinner", "晚宴"},
}

// topicalEvents are events held on a topic: "a seminar on water security".
var topicalEvents = []term{
	{"seminar", "研讨会"}, {"forum", "论坛"}, {"round table", "圆桌会议"}, {"symposium", "专题研讨会"},
	{"workshop", "工作坊"}, {"exhibition", "展览"}, {"lecture", "讲座"}, {"youth dialogue", "青年对话会"},
	{"side event", "边会"}, {"book launch", "新书发布会"}, {"press briefing", "记者吹风会"},
	{"training course", "培训班"}, {"expert meeting", "专家会议"}, {"business roundtable", "企业家圆桌会"},
	{"signing ceremony", "签字仪式"}, {"photo exhibition", "图片展"},
}

// occasions are what a social event marks.
var occasions = []term{
	{"Example's National Day", "示例国庆"}, {"International Women's Day", "国际妇女节"},
	{"World Environment Day", "世界环境日"}, {"United Nations Day", "联合国日"}, {"the Lunar New Year", "春节"},
	{"the Mid-Autumn Festival", "中秋节"}, {"the International Day of Peace", "国际和平日"},
	{"World Oceans Day", "世界海洋日"}, {"International Youth Day", "国际青年日"}, {"World Water Day", "世界水日"},
	{"Human Rights Day", "人权日"}, {"the International Day of UN Peacekeepers", "联合国维和人员国际日"},
	{"Example's Constitution Day", "示例宪法日"}, {"World Health Day", "世界卫生日"},
	{"World Book Day", "世界读书日"}, {"International Mother Language Day", "国际母语日"},
	{"World Refugee Day", "世界难民日"}, {"World Food Day", "世界粮食日"},
	{"the International Day of Persons with Disabilities", "国际残疾人日"},
	{"International Migrants Day", "国际移徙者日"}, {"the International Day of Education", "国际教育日"},
}

// aid is what Example donates.
var aid = []term{
	{"medical supplies", "医疗物资"}, {"emergency food aid", "紧急粮食援助"}, {"vaccines", "疫苗"},
	{"school equipment", "教学设备"}, {"water purification equipment", "净水设备"}, {"solar lamps", "太阳能灯"},
	{"tents and blankets", "帐篷和毛毯"}, {"seeds and tools", "种子和农具"}, {"ambulances", "救护车"},
	{"laboratory equipment", "实验室设备"},
}

// institutes complete "the {place} Institute of International Affairs".
var institutes = []term{
	{"Institute of International Affairs", "国际问题研究所"}, {"Diplomatic Academy", "外交学院"},
	{"School of Public Policy", "公共政策学院"}, {"Centre for Ocean Studies", "海洋研究中心"},
	{"University", "大学"}, {"Academy of Sciences", "科学院"}, {"Chamber of Commerce", "商会"},
	{"Museum of Modern Art", "现代艺术博物馆"},
}

// headings for the "##" subheadings of longer bodies.
var headings = []tmplPair{
	{"Background", "背景"},
	{"Our priorities", "我们的优先事项"},
	{"The way forward", "未来方向"},
	{"Cooperation with {country}", "与{country}的合作"},
	{"{topic} in {place}", "{place}的{topic}"},
	{"Proposals of the Republic of Example", "示例共和国的建议"},
	{"Next steps", "下一步工作"},
	{"Key figures", "主要数据"},
	{"The role of {agency}", "{agency}的作用"},
	{"What the {body} can do", "{body}可以做什么"},
}

// measureClash[t][m] says that measure m repeats a word of topic t, and
// groupClash[t][g] that group g does: "Regional Cooperation for Maritime
// Cooperation", "the Role of Older Persons in Rights of Older Persons".
// Titles that join a measure or a group to the topic avoid those pairs.
var measureClash, groupClash = clashes(measures), clashes(groups)

func clashes(list []term) [][]bool {
	out := make([][]bool, len(topics))
	for t := range topics {
		out[t] = make([]bool, len(list))
		for i := range list {
			out[t][i] = overlap(topics[t].term, list[i])
		}
	}
	return out
}

// overlap reports whether two terms share an English word of four letters
// or more, compared by its first five ("finance" meets "financing"), or two
// Chinese characters in a row.
func overlap(a, b term) bool {
	words := func(s string) []string {
		ws := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) })
		out := ws[:0]
		for _, w := range ws {
			if len(w) >= 4 {
				out = append(out, w[:min(len(w), 5)])
			}
		}
		return out
	}
	wb := words(b.en)
	for _, w := range words(a.en) {
		for _, v := range wb {
			if w == v {
				return true
			}
		}
	}
	za := []rune(a.zh)
	for i := 0; i+1 < len(za); i++ {
		if strings.Contains(b.zh, string(za[i:i+2])) {
			return true
		}
	}
	return false
}
