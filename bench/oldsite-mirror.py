#!/usr/bin/env python3
"""Write a saved copy of an old mission site, in the old platform's shape,
for the import benchmark: PAGES article pages over four sections and two
channels (/eng/, /chn/), each English page linking its Chinese version, one
Chinese page in ten encoded in GBK, with section listing pages. The text is
generated; the result is deterministic for a given PAGES.

Usage: python3 bench/oldsite-mirror.py PAGES OUT_DIR
"""
import os
import random
import sys

SECTIONS = [("zgyw", "China News", "中国要闻"), ("xwfb", "Press Releases", "新闻发布"),
            ("sgxx", "Embassy News", "使馆新闻"), ("lsfw", "Consular Services", "领事服务")]
EN_WORDS = ("ambassador embassy cooperation meeting agreement development trade culture students "
            "delegation exchange partnership ministry minister statement visit province investment "
            "forum youth health climate energy port railway agriculture seminar reception").split()
ZH_CHARS = "大使馆合作会见协议发展贸易文化留学生代表团交流伙伴关系外交部长声明访问省投资论坛青年卫生气候能源港口铁路农业研讨会招待"

PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>{title}_{site}</title>
<link href="/css/style.css" rel="stylesheet" type="text/css" />
<script type="text/javascript">var visitDate = "2099-12-31 00:00";</script>
</head>
<body>
<div class="header"><div class="logo"><a href="../../../{channel}/">{site}</a></div>
<div class="nav"><ul>{nav}<li><a href="{other}">{switch}</a></li></ul></div></div>
<div class="BreadcrumbNav"><a href="../../">{home}</a> &gt; <a href="../">{section}</a></div>
<div class="main">
<div class="news-title"><h1>{title}</h1></div>
<div class="news-time">{time}</div>
<div class="content"><div class="TRS_Editor">
{body}
</div></div>
<div class="share"><a href="javascript:void(0)">{share}</a> <a href="javascript:window.print()">Print</a></div>
</div>
<div class="footer"><p>Copyright &copy; 2008-2024 {site}. All rights reserved.</p></div>
</body>
</html>
"""

LISTING = """<!DOCTYPE html>
<html><head><meta charset="utf-8" /><title>{section}_{site}</title></head>
<body><div class="BreadcrumbNav"><a href="../">{home}</a> &gt; <a href="./">{section}</a></div>
<div class="list"><ul>
{items}
</ul></div></body></html>
"""


def main():
    pages, out = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(pages)
    listed = {}
    pairs = pages // 2
    for i in range(pairs):
        code, en_name, zh_name = SECTIONS[i % len(SECTIONS)]
        year = 2010 + (i * 15) // max(pairs, 1)
        month, day = 1 + i % 12, 1 + i % 28
        hour, minute = 8 + i % 12, i % 60
        stamp = f"{year:04d}{month:02d}{day:02d}"
        en_num, zh_num = 10000000 + 2 * i, 10000001 + 2 * i
        en_path = f"eng/{code}/{year:04d}{month:02d}/t{stamp}_{en_num}.htm"
        zh_path = f"chn/{code}/{year:04d}{month:02d}/t{stamp}_{zh_num}.htm"
        when = f"{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}"
        en_title = " ".join(rnd.choice(EN_WORDS) for _ in range(8)).capitalize() + f" {i}"
        zh_title = "".join(rnd.choice(ZH_CHARS) for _ in range(14)) + str(i)
        en_body = "\n".join("<p>" + " ".join(rnd.choice(EN_WORDS) for _ in range(60)).capitalize() + ".</p>" for _ in range(6))
        zh_body = "\n".join("<p>" + "".join(rnd.choice(ZH_CHARS) for _ in range(120)) + "。</p>" for _ in range(6))
        nav_en = "".join(f'<li><a href="../../../eng/{c}/">{n}</a></li>' for c, n, _ in SECTIONS)
        nav_zh = "".join(f'<li><a href="../../../chn/{c}/">{z}</a></li>' for c, _, z in SECTIONS)
        gbk = i % 10 == 0
        docs = [
            (en_path, "utf-8", PAGE.format(charset="utf-8", title=en_title, site="Embassy of Example", channel="eng", nav=nav_en,
                                           other="../../../" + zh_path, switch="中文", home="Home", section=en_name, time=when,
                                           body=en_body, share="Suggest to a friend").encode("utf-8")),
            (zh_path, "gbk" if gbk else "utf-8",
             PAGE.format(charset="gb2312" if gbk else "utf-8", title=zh_title, site="示例大使馆", channel="chn", nav=nav_zh,
                         other="../../../" + en_path, switch="English", home="首页", section=zh_name, time=when,
                         body=zh_body, share="分享到").encode("gbk" if gbk else "utf-8")),
        ]
        for path, _, data in docs:
            full = os.path.join(out, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as f:
                f.write(data)
        listed.setdefault(("eng", code, en_name, "Home"), []).append((en_path, en_title))
        listed.setdefault(("chn", code, zh_name, "首页"), []).append((zh_path, zh_title))
    for (channel, code, name, home), items in listed.items():
        html = LISTING.format(section=name, site="Embassy of Example", home=home,
                              items="\n".join(f'<li><a href="../../{p}">{t}</a></li>' for p, t in items[:50]))
        with open(os.path.join(out, channel, code, "index.htm"), "w", encoding="utf-8") as f:
            f.write(html)


if __name__ == "__main__":
    main()
