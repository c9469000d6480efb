#!/usr/bin/env python3
"""Write the content of one site of a Chancery data directory as a Hugo site.

Used by bench/publishing.sh to compare `chancery export` with Hugo building
the same content. It reads the SQLite database (chancery.db) made by
`chancery bench-data` and writes a bilingual Hugo site:

  DIR/config.toml            multilingual config: one content directory per
                             language, 20 entries a listing page, like ours
  DIR/content/LANG/…         sections as directories (each with _index.md),
                             one Markdown page per published article, placed
                             in its section's directory, with front matter
                             title, date, summary, translationKey and url set
                             to the article's Chancery address
  DIR/layouts/_default/      baseof, single and list templates, and
  DIR/layouts/index.html     the home: no theme, markup of about the weight
                             of Chancery's (head metadata, navigation,
                             language switch, breadcrumb)
  DIR/static/site.css        a style sheet

Usage: python3 bench/hugo-site.py DATA_DIR OUT_DIR [SITE_KEY]   (default bench)
"""

import json
import os
import sqlite3
import sys
from datetime import datetime, timezone

try:
    from zoneinfo import ZoneInfo
except ImportError:  # Python < 3.9
    ZoneInfo = None


def toml_str(s):
    return json.dumps(s, ensure_ascii=False)


def yaml_str(s):
    # JSON strings are valid YAML double-quoted scalars.
    return json.dumps(s, ensure_ascii=False)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    data, out = sys.argv[1], sys.argv[2]
    key = sys.argv[3] if len(sys.argv) > 3 else "bench"
    db = sqlite3.connect("file:" + os.path.join(data, "chancery.db") + "?mode=ro", uri=True)

    row = db.execute("SELECT id, default_language, time_zone FROM sites WHERE key = ?", (key,)).fetchone()
    if row is None:
        sys.exit(f"no site {key!r} in {data}")
    site_id, default_lang, tz_name = row
    tz = timezone.utc
    if ZoneInfo is not None:
        try:
            tz = ZoneInfo(tz_name)
        except Exception:
            pass
    langs = db.execute(
        "SELECT language, name FROM site_languages WHERE site_id = ? ORDER BY position", (site_id,)
    ).fetchall()

    # Sections: parent, position, navigation flag and per-language names.
    sections = {}
    for sid, parent, pos, in_nav in db.execute(
        "SELECT id, parent_id, position, in_nav FROM sections WHERE site_id = ?", (site_id,)
    ):
        sections[sid] = {"parent": parent, "pos": pos, "nav": in_nav, "names": {}}
    for sid, lang, name, slug in db.execute(
        "SELECT section_id, language, name, slug FROM section_names WHERE site_id = ?", (site_id,)
    ):
        if sid in sections:
            sections[sid]["names"][lang] = (name, slug)

    def chain(sid):
        c = []
        while sid is not None:
            c.append(sid)
            sid = sections[sid]["parent"]
        return list(reversed(c))

    def section_dir(sid, lang):
        """Directory of a section below content/LANG, or None when the
        section (or an ancestor) has no name in that language."""
        parts = []
        for s in chain(sid):
            n = sections[s]["names"].get(lang)
            if n is None:
                return None
            parts.append(n[1])
        return os.path.join(*parts)

    os.makedirs(out, exist_ok=True)
    lang_codes = [l for l, _ in langs]

    # config.toml
    with open(os.path.join(out, "config.toml"), "w", encoding="utf-8") as f:
        f.write('baseURL = "https://bench.localhost/"\n')
        f.write(f"defaultContentLanguage = {toml_str(default_lang)}\n")
        f.write("defaultContentLanguageInSubdir = true\n")
        f.write("paginate = 20\n")
        f.write('disableKinds = ["taxonomy", "term"]\n')
        f.write("enableRobotsTXT = true\n")
        f.write("[outputs]\n")
        f.write('  home = ["HTML", "RSS"]\n')
        f.write('  section = ["HTML", "RSS"]\n')
        f.write("[markup.goldmark.renderer]\n  unsafe = false\n")
        f.write("[languages]\n")
        for i, (lang, name) in enumerate(langs):
            f.write(f"  [languages.{lang}]\n")
            f.write(f'    contentDir = "content/{lang}"\n')
            f.write(f"    weight = {i + 1}\n")
            f.write(f"    title = {toml_str(name)}\n")
            f.write(f"    languageName = {toml_str({'en': 'English', 'zh': '中文'}.get(lang, lang))}\n")
            # Navigation: the top-level sections shown in the menu.
            tops = sorted(
                (s for s, v in sections.items() if v["parent"] is None and v["nav"] and lang in v["names"]),
                key=lambda s: sections[s]["pos"],
            )
            for w, s in enumerate(tops):
                name_, slug = sections[s]["names"][lang]
                f.write(f"    [[languages.{lang}.menus.main]]\n")
                f.write(f"      name = {toml_str(name_)}\n")
                f.write(f"      url = {toml_str('/' + lang + '/' + slug + '/')}\n")
                f.write(f"      weight = {w + 1}\n")

    # Section directories with their _index.md.
    for lang in lang_codes:
        base = os.path.join(out, "content", lang)
        os.makedirs(base, exist_ok=True)
        with open(os.path.join(base, "_index.md"), "w", encoding="utf-8") as f:
            f.write(f"---\ntitle: {yaml_str(dict(langs)[lang])}\n---\n")
        for sid, v in sections.items():
            d = section_dir(sid, lang)
            if d is None:
                continue
            os.makedirs(os.path.join(base, d), exist_ok=True)
            with open(os.path.join(base, d, "_index.md"), "w", encoding="utf-8") as f:
                f.write(f"---\ntitle: {yaml_str(v['names'][lang][0])}\nweight: {v['pos'] + 1}\n---\n")

    # Articles.
    n = 0
    for aid, sid, lang, title, summary, body, path, pub, group in db.execute(
        "SELECT id, section_id, language, title, summary, body, path, published_at, translation_group "
        "FROM articles WHERE site_id = ? AND status = 'published' ORDER BY id",
        (site_id,),
    ):
        d = section_dir(sid, lang) if sid is not None else ""
        if d is None or lang not in lang_codes:
            continue
        date = datetime.fromtimestamp(pub / 1e6, tz).isoformat()
        with open(os.path.join(out, "content", lang, d, f"a{aid}.md"), "w", encoding="utf-8") as f:
            f.write("---\n")
            f.write(f"title: {yaml_str(title)}\n")
            f.write(f"date: {date}\n")
            f.write(f"summary: {yaml_str(summary or '')}\n")
            f.write(f"url: {yaml_str(path)}\n")
            if group:
                f.write(f"translationKey: \"g{group}\"\n")
            f.write("---\n")
            f.write(body or "")
            f.write("\n")
        n += 1

    # Layouts: about the weight of Chancery's pages.
    lay = os.path.join(out, "layouts")
    os.makedirs(os.path.join(lay, "_default"), exist_ok=True)
    with open(os.path.join(lay, "_default", "baseof.html"), "w", encoding="utf-8") as f:
        f.write(BASEOF)
    with open(os.path.join(lay, "_default", "single.html"), "w", encoding="utf-8") as f:
        f.write(SINGLE)
    with open(os.path.join(lay, "_default", "list.html"), "w", encoding="utf-8") as f:
        f.write(LIST)
    with open(os.path.join(lay, "index.html"), "w", encoding="utf-8") as f:
        f.write(HOME)
    os.makedirs(os.path.join(out, "static"), exist_ok=True)
    with open(os.path.join(out, "static", "site.css"), "w", encoding="utf-8") as f:
        f.write(CSS)
    print(f"hugo site: {n} articles, {len(sections)} sections, languages {','.join(lang_codes)} in {out}")


BASEOF = """<!DOCTYPE html>
<html lang="{{ .Language.Lang }}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} – {{ end }}{{ .Site.Title }}</title>
<meta name="description" content="{{ with .Summary }}{{ . | plainify }}{{ else }}{{ .Site.Title }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end }}<meta property="og:type" content="{{ if .IsPage }}article{{ else }}website{{ end }}">
<meta property="og:title" content="{{ .Title }}">
<meta property="og:description" content="{{ .Summary | plainify }}">
<meta property="og:url" content="{{ .Permalink }}">
<meta property="og:site_name" content="{{ .Site.Title }}">
{{ if .IsPage }}<meta property="article:published_time" content="{{ .Date.UTC.Format "2006-01-02T15:04:05Z" }}">
<meta property="article:modified_time" content="{{ .Lastmod.UTC.Format "2006-01-02T15:04:05Z" }}">
<meta property="article:section" content="{{ .CurrentSection.Title }}">
<meta name="twitter:card" content="summary">
<meta name="twitter:title" content="{{ .Title }}">
<meta name="twitter:description" content="{{ .Summary | plainify }}">
<script type="application/ld+json">{{ dict "@context" "https://schema.org" "@type" "NewsArticle" "headline" .Title "description" (.Summary | plainify) "datePublished" (.Date.UTC.Format "2006-01-02T15:04:05Z") "inLanguage" .Language.Lang "articleSection" .CurrentSection.Title "url" .Permalink "publisher" (dict "@type" "GovernmentOrganization" "name" .Site.Title "url" .Site.Home.Permalink) | jsonify | safeJS }}</script>
{{ end }}{{ with .OutputFormats.Get "RSS" }}<link rel="alternate" type="application/rss+xml" title="{{ $.Site.Title }} (RSS)" href="{{ .RelPermalink }}">
{{ end }}<link rel="stylesheet" href="/site.css">
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header class="masthead">
<div class="wrap bar">
<a class="site-name" href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
<form class="search" role="search" action="{{ .Site.Home.RelPermalink }}search/" method="get">
<label class="visually-hidden" for="site-search">Search this site</label>
<input type="search" id="site-search" name="q" value="" maxlength="500">
<button type="submit">Search</button>
</form>
<ul class="langs" aria-label="Languages">
{{ range .Translations }}<li><a href="{{ .RelPermalink }}" lang="{{ .Language.Lang }}" hreflang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a></li>
{{ end }}</ul>
</div>
<nav class="topnav" aria-label="Main sections">
<ul class="wrap">
<li><a href="{{ .Site.Home.RelPermalink }}">Home</a></li>
{{ range .Site.Menus.main }}<li><a href="{{ .URL }}">{{ .Name }}</a></li>
{{ end }}</ul>
</nav>
</header>
{{ if not .IsHome }}<nav class="breadcrumb wrap" aria-label="You are here">
<ol>
{{ range .Ancestors.Reverse }}<li><a href="{{ .RelPermalink }}">{{ if .IsHome }}Home{{ else }}{{ .Title }}{{ end }}</a></li>
{{ end }}</ol>
</nav>
{{ end }}<main id="main" class="wrap" tabindex="-1">
{{ block "main" . }}{{ end }}
</main>
<footer class="footer">
<div class="wrap">
<p>{{ .Site.Title }}</p>
<p><a href="{{ .Site.Home.RelPermalink }}index.xml">RSS</a></p>
</div>
</footer>
</body>
</html>
"""

SINGLE = """{{ define "main" }}<article class="article">
<h1>{{ .Title }}</h1>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2 January 2006 15:04" }}</time> · <a href="{{ .CurrentSection.RelPermalink }}">{{ .CurrentSection.Title }}</a></p>
{{ with .Params.summary }}<p class="lead">{{ . }}</p>{{ end }}
<div class="body">
{{ .Content }}
</div>
{{ with .Translations }}<aside class="translations"><h2>Other languages</h2><ul>
{{ range . }}<li><a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">{{ .Title }}</a></li>
{{ end }}</ul></aside>{{ end }}
<p><a href="{{ .CurrentSection.RelPermalink }}">More from {{ .CurrentSection.Title }}</a></p>
</article>
{{ end }}
"""

LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ with .Sections }}<ul class="subsections">
{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>{{ end }}
{{ $pag := .Paginate .RegularPagesRecursive.ByDate.Reverse 20 }}
<ul class="entries">
{{ range $pag.Pages }}<li class="entry">
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2 January 2006" }}</time></p>
<p>{{ .Params.summary }}</p>
</li>
{{ end }}</ul>
{{ if gt $pag.TotalPages 1 }}<nav class="pager" aria-label="Pages">
{{ with $pag.Prev }}<a rel="prev" href="{{ .URL }}">Newer</a>{{ end }}
<span>Page {{ $pag.PageNumber }} of {{ $pag.TotalPages }}</span>
{{ with $pag.Next }}<a rel="next" href="{{ .URL }}">Older</a>{{ end }}
</nav>{{ end }}
{{ end }}
"""

HOME = """{{ define "main" }}<h1 class="visually-hidden">{{ .Site.Title }}</h1>
<section class="latest"><h2>Latest</h2>
<ul class="entries">
{{ range first 10 .Site.RegularPages.ByDate.Reverse }}<li class="entry">
<h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2 January 2006" }}</time> · {{ .CurrentSection.Title }}</p>
<p>{{ .Params.summary }}</p>
</li>
{{ end }}</ul>
</section>
{{ range .Site.Sections }}<section class="section-box"><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<ul>{{ range first 5 .RegularPagesRecursive.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</section>
{{ end }}{{ end }}
"""

CSS = """body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff}
.wrap{max-width:62rem;margin:0 auto;padding:0 1rem}
.masthead{border-bottom:1px solid #ccc}.bar{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:.75rem 1rem}
.site-name{font-weight:700;color:inherit;text-decoration:none}.langs{list-style:none;display:flex;gap:.5rem;margin:0;padding:0}
.topnav ul{list-style:none;display:flex;flex-wrap:wrap;gap:1rem;padding:.5rem 1rem;margin:0 auto}
.breadcrumb ol{list-style:none;display:flex;gap:.5rem;padding:0}.breadcrumb li+li:before{content:"›";margin-right:.5rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.skip{position:absolute;left:-10000px}.skip:focus{left:1rem}
.meta{color:#555;font-size:.9rem}.lead{font-size:1.1rem}.entries{list-style:none;padding:0}
.footer{border-top:1px solid #ccc;margin-top:2rem;color:#555}
"""

if __name__ == "__main__":
    main()
